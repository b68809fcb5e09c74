import Foundation
@testable import PaylaterAPI
import PaylaterHTTP
import PaylaterProducts
import PaylaterTestSupport
import PaylaterTime
import Testing

/// The authorization's answer and the order view are written by hand; they must be the bytes the API's encoder
/// writes for them (snake_case keys, sorted, amounts in minor units).
@Suite("API views written by hand")
struct APIViewJSONTests {
    @Test("random orders as merchants see them, and the authorization answers that carry them", arguments: 0..<4)
    func orders(seed: UInt64) throws {
        var random = SplitMix64(seed: seed)
        for _ in 0..<200 {
            let order = try RandomValues.order(&random)
            let now = order.authorizedAt.advanced(by: .seconds(Int64.random(in: 0...(40 * 86_400), using: &random)))
            let view = OrderView(order, at: now)
            #expect(try APIJSON.response(view).body == Self.encoded(view))
            let approved = AuthorizationView(decision: "approved", decisionId: order.checkoutID, reasons: [], order: view)
            #expect(try APIJSON.response(approved).body == Self.encoded(approved))
            let declined = AuthorizationView(
                decision: "declined", decisionId: order.checkoutID, reasons: [RandomValues.text(&random)], order: nil)
            #expect(try APIJSON.response(declined).body == Self.encoded(declined))
        }
    }

    /// What the API's `JSONEncoder` writes.
    private static func encoded(_ value: some Encodable) throws -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.keyEncodingStrategy = .convertToSnakeCase
        return Array(try encoder.encode(value))
    }
}
