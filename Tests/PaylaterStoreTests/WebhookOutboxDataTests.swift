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
}
