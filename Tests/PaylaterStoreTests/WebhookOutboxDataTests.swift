import PaylaterLedger
@testable import PaylaterStore
import PaylaterTestSupport
import PaylaterTime
import Testing

/// The outbox takes an event's data only if it is a JSON object, and its order id only without control characters.
@Suite("Webhook outbox data")
struct WebhookOutboxDataTests {
    @Test("data that is not one JSON object is refused and nothing is stored", arguments: ["[1]", "", "{", "{} {}", "\"{}\"", "{\"a\":1,}"])
    func notAnObject(data: String) throws {
        let store = try TestStore(.sqlite)
        let event = NewWebhookEvent(merchantID: try MerchantID("m1"), orderID: "o1", type: .orderCaptured, data: data)
        #expect(throws: WebhookOutboxError.invalidData("is not a JSON object")) {
            try store.database.write { connection in
                try WebhookOutbox.enqueue(event, in: connection, at: Instant(secondsSinceUnixEpoch: 1_796_000_000))
            }
        }
        let stored = try store.database.read { connection in
            try connection.query("SELECT COUNT(*) FROM webhook_events", [])[0].int64(0)
        }
        #expect(stored == 0)
    }

    @Test("an event made from the canonical writer's object equals one made from the same text: the mark is not a field")
    func markIsNotAField() throws {
        let merchant = try MerchantID("m1")
        let checked = NewWebhookEvent(merchantID: merchant, orderID: "o1", type: .orderCaptured, data: #"{"a":1}"#)
        let encoded = NewWebhookEvent(merchantID: merchant, orderID: "o1", type: .orderCaptured, encodedObject: #"{"a":1}"#)
        #expect(checked == encoded)
        #expect(Set([checked, encoded]).count == 1)
        #expect(checked != NewWebhookEvent(merchantID: merchant, orderID: "o1", type: .orderCaptured, data: #"{"a":2}"#))
    }

    @Test("an order id with a control character is refused, ASCII or not", arguments: ["o\u{7}1", "o1\u{7F}", "o\u{85}", "订单\u{9F}"])
    func controlInOrderID(orderID: String) throws {
        let store = try TestStore(.sqlite)
        let event = NewWebhookEvent(merchantID: try MerchantID("m1"), orderID: orderID, type: .orderCaptured, data: "{}")
        #expect(throws: WebhookOutboxError.invalidOrderID(orderID)) {
            try store.database.write { connection in
                try WebhookOutbox.enqueue(event, in: connection, at: Instant(secondsSinceUnixEpoch: 1_796_000_000))
            }
        }
    }

    @Test("an event is numbered after the order's last, or 1 as a new order's first; a first that is not is refused and nothing is stored", arguments: StoreKind.available)
    func numbering(kind: StoreKind) throws {
        let store = try TestStore(kind)
        let now = Instant(secondsSinceUnixEpoch: 1_796_000_000)
        let event = NewWebhookEvent(merchantID: try MerchantID("m1"), orderID: "o1", type: .orderCaptured, data: "{}")
        let first = try store.database.write { connection in
            try WebhookOutbox.enqueue(event, numbered: .firstOfNewOrder, in: connection, at: now)
        }
        #expect(first.sequence == 1)
        let second = try store.database.write { connection in try WebhookOutbox.enqueue(event, in: connection, at: now) }
        #expect(second.sequence == 2)
        // An order that has events is not new: its "first" event collides with its first and is refused.
        #expect(throws: StoreError.self) {
            try store.database.write { connection in
                try WebhookOutbox.enqueue(event, numbered: .firstOfNewOrder, in: connection, at: now)
            }
        }
        let stored = try store.database.read { connection in
            try (WebhookRepository(connection).events(merchantID: "m1", orderID: "o1") ?? []).map(\.sequence).sorted()
        }
        #expect(stored == [1, 2])
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
