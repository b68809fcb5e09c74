import Foundation
@testable import PaylaterApp
import PaylaterStore
import PaylaterTestSupport
import PaylaterTime
import Testing

/// Documents read by hand must read as `JSONDecoder` reads them: the same value from every document it accepts
/// (optional members missing or null, unknown members, a checkout's whole document as older rows hold it), and an
/// error for every document it refuses.
@Suite("Canonical JSON read by hand")
struct CanonicalJSONReaderTests {
    @Test("random checkout terms and whole checkout documents read as JSONDecoder reads them", arguments: 0..<4)
    func checkoutTerms(seed: UInt64) throws {
        var random = SplitMix64(seed: seed)
        var seen: Set<String> = []
        for _ in 0..<250 {
            let document = Self.checkoutDocument(&random)
            let text = String(decoding: try JSONSerialization.data(withJSONObject: document, options: [.sortedKeys]), as: UTF8.self)
            let expected = try JSONDecoder().decode(CheckoutTerms.self, from: Data(text.utf8))
            #expect(try CheckoutTerms.read(text) == expected, "\(text)")
            if expected.offers.contains(where: { $0.promotion != nil }) { seen.insert("promotion") }
            if expected.orderID != nil { seen.insert("order") }
            if expected.reasons == nil { seen.insert("no reasons") } else { seen.insert("reasons") }
            if document["lines"] != nil { seen.insert("whole document") }
        }
        #expect(seen == ["promotion", "order", "no reasons", "reasons", "whole document"])
    }

    /// A required member taken out or given the wrong type: `JSONDecoder` refuses it, and so does the reader,
    /// naming where.
    @Test("a document JSONDecoder refuses is an unreadable row", arguments: [
        ("id", nil), ("merchantID", "7"), ("total", #"{"amount":1}"#), ("total", #"{"amount":1.5,"currency":"CNY"}"#),
        ("total", #"{"amount":1,"currency":"XXQ"}"#), ("offers", #""none""#), ("offers", #"[{"promotion":null}]"#),
        ("orderID", "12"), ("reasons", "[1]"),
        ("offers", #"[{"productID":"p","promotion":{"id":"x","merchantShareBp":1,"subsidy":{"amount":1,"currency":"CNY"},"quotedOn":"2026-02-30"}}]"#),
    ] as [(String, String?)])
    func refused(key: String, value: String?) throws {
        var random = SplitMix64(seed: 99)
        var document = Self.checkoutDocument(&random)
        document[key] = try value.map { try JSONSerialization.jsonObject(with: Data($0.utf8), options: .fragmentsAllowed) }
        let text = String(decoding: try JSONSerialization.data(withJSONObject: document, options: [.sortedKeys]), as: UTF8.self)
        #expect(throws: (any Error).self) { try JSONDecoder().decode(CheckoutTerms.self, from: Data(text.utf8)) }
        #expect {
            try CheckoutTerms.read(text)
        } throws: { error in
            guard case StoreError.unreadableRow(let problem) = error else { return false }
            return problem.hasPrefix("CheckoutTerms.\(key)")
        }
    }

    @Test("text that is not a JSON object is an unreadable row")
    func notAnObject() {
        for text in ["", "[]", #"{"id":"a",}"#, "null"] {
            #expect(throws: StoreError.self) { try CheckoutTerms.read(text) }
        }
    }

    /// A checkout's terms as stored, or (one time in three) its whole document as rows before schema version 8
    /// hold it: lines, quotes and state beside the terms, which the reader skips.
    static func checkoutDocument(_ random: inout SplitMix64) -> [String: Any] {
        func money() -> [String: Any] {
            ["amount": Int64.random(in: -1...1_000_000, using: &random), "currency": ["CNY", "USD", "JPY"].randomElement(using: &random)!]
        }
        var offers: [[String: Any]] = []
        for index in 0..<Int.random(in: 0...3, using: &random) {
            var offer: [String: Any] = ["productID": "product-\(index)-" + RandomValues.text(&random)]
            switch Int.random(in: 0..<3, using: &random) {
            case 0:
                offer["promotion"] = [
                    "id": RandomValues.text(&random), "merchantShareBp": Int64.random(in: 0...10_000, using: &random),
                    "subsidy": money(), "quotedOn": "2026-0\(Int.random(in: 1...9, using: &random))-2\(Int.random(in: 0...8, using: &random))",
                ]
            case 1: offer["promotion"] = NSNull()
            default: break
            }
            offers.append(offer)
        }
        var document: [String: Any] = [
            "id": "chk_" + RandomValues.text(&random), "merchantID": RandomValues.text(&random),
            "consumerID": RandomValues.text(&random), "merchantReference": RandomValues.text(&random), "total": money(),
            "offers": offers,
        ]
        if Bool.random(using: &random) { document["orderID"] = Bool.random(using: &random) ? "ord_1" : NSNull() }
        if Bool.random(using: &random) { document["reasons"] = (0..<Int.random(in: 0...2, using: &random)).map { "reason \($0)" } }
        if Int.random(in: 0..<3, using: &random) == 0 {
            document["lines"] = [["name": "socks", "quantity": 2, "unitPrice": money(), "taxRateBp": 600]]
            document["state"] = "open"
            document["createdAt"] = "2026-12-06T12:00:00Z"
        }
        return document
    }
}
