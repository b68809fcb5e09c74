import PaylaterLedger
@testable import PaylaterStore
import PaylaterTestSupport
import PaylaterTime
import Testing

/// The outbox takes an event's data only if it is a JSON object; data the app's own writer wrote is not parsed
/// again, unless it was changed afterwards.
@Suite("Webhook outbox data")
struct WebhookOutboxDataTests {
    @Test("data written as an object is taken; changed afterwards to something else, it is checked and refused")
    func writtenObjectChanged() throws {
        let store = try TestStore(.sqlite)
        let merchant = try MerchantID("m1")
        var event = NewWebhookEvent(merchantID: merchant, orderID: "o1", type: .orderCaptured, writtenObject: #"{"a":1}"#)
        #expect(event.dataIsWrittenObject)
        event.data = "[1]"
        #expect(!event.dataIsWrittenObject)
        let refused = event
        #expect(throws: WebhookOutboxError.invalidData("is not a JSON object")) {
            try store.database.write { connection in
                try WebhookOutbox.enqueue(refused, in: connection, at: Instant(secondsSinceUnixEpoch: 1_796_000_000))
            }
        }
    }

    @Test("an order id with a control character is refused, ASCII or not", arguments: ["o\u{7}1", "o1\u{7F}", "o\u{85}", "订单\u{9F}"])
    func controlInOrderID(orderID: String) throws {
        let store = try TestStore(.sqlite)
        let event = NewWebhookEvent(merchantID: try MerchantID("m1"), orderID: orderID, type: .orderCaptured, writtenObject: "{}")
        #expect(throws: WebhookOutboxError.invalidOrderID(orderID)) {
            try store.database.write { connection in
                try WebhookOutbox.enqueue(event, in: connection, at: Instant(secondsSinceUnixEpoch: 1_796_000_000))
            }
        }
    }

    @Test("the byte check for ASCII order ids agrees with Unicode's control category, for every scalar to U+2FFF")
    func controlCheckAgreesWithCategory() {
        for value in UInt32(0)...0x2FFF {
            guard let scalar = Unicode.Scalar(value) else { continue }
            let text = "ord_" + String(scalar) + "1"
            #expect(WebhookOutbox.containsControl(text) == (scalar.properties.generalCategory == .control), "U+\(value)")
        }
    }
}
