import PaylaterJSON
import PaylaterLedger
public import PaylaterTime

/// Why an event could not be put in the outbox.
public enum WebhookOutboxError: Error, Equatable, Sendable, CustomStringConvertible {
    /// An order id must be 1...64 bytes without control characters.
    case invalidOrderID(String)
    /// `data` must be a JSON object (`{...}`) of at most `NewWebhookEvent.dataByteCountMaximum` bytes.
    case invalidData(String)

    public var description: String {
        switch self {
        case let .invalidOrderID(id): "\"\(id)\" is not a valid order id (1 to 64 bytes, no control characters)"
        case let .invalidData(problem): "webhook data \(problem)"
        }
    }
}

/// The transactional outbox: services record webhook events in the same transaction as the change they report.
///
/// This is the point of the outbox: the event commits if and only if the change does. A refund that rolls back
/// sends no `order.refunded`, and a refund that commits cannot lose its event to a crash before a request was
/// made; the `WebhookDispatcher` sends what was committed, later and outside any transaction.
public enum WebhookOutbox {
    /// Records `event` inside the caller's write transaction (`connection`), numbered after the order's previous
    /// events, with one pending delivery due at `now` to each of the merchant's active endpoints.
    ///
    /// With `.firstOfNewOrder` the order's previous events are not looked up (a query less under the single
    /// writer on every authorization): the caller made the order in this transaction, under an id with 64 random
    /// bits, so it has none. Should it have one, the insert fails on the sequence's unique key and nothing is
    /// written.
    ///
    /// - Throws: `WebhookOutboxError` for invalid input; `StoreError` from the store, including a retryable
    ///   `.conflict` when a concurrent transaction took the same sequence number of the order (the caller's
    ///   `Database.write` then runs again and numbers the event after it).
    @discardableResult
    public static func enqueue(
        _ event: NewWebhookEvent, numbered numbering: EventNumbering = .afterPrevious,
        in connection: any SQLConnection, at now: Instant
    ) throws -> WebhookEventRecord {
        try validate(event)
        let repository = WebhookRepository(connection)
        let merchantID = event.merchantID.rawValue
        let sequence: Int64 =
            switch numbering {
            case .afterPrevious: try repository.lastSequence(merchantID: merchantID, orderID: event.orderID) + 1
            case .firstOfNewOrder: 1
            }
        let record = WebhookEventRecord(
            merchantID: merchantID, id: newEventID(at: now), orderID: event.orderID, sequence: sequence, type: event.type,
            data: event.data, createdAt: now)
        try repository.insert(record)
        for endpoint in try repository.endpoints(merchantID: merchantID, activeOnly: true) {
            let key = WebhookDeliveryKey(merchantID: merchantID, eventID: record.id, endpointID: endpoint.id, generation: 0)
            try repository.insertDelivery(key, dueAt: now, at: now)
        }
        return record
    }

    /// How an event's sequence number within its order is found.
    public enum EventNumbering: Sendable {
        /// After the order's last event, looked up.
        case afterPrevious
        /// 1: the order was made in the same transaction.
        case firstOfNewOrder
    }

    /// A new event id: `evt_` and the 32 hex digits of a version 7 UUID (RFC 9562): the Unix milliseconds of `now`
    /// in the first 48 bits (an `Instant` ends in 2262, well within them; before 1970 counts as 0), then 74 random
    /// bits around the version and variant.
    ///
    /// Time first, as order ids are (`CheckoutService.newID`), so that events made together sort together: the
    /// merchant's event index gains a page at its end, which the next events of that merchant share, rather than a
    /// random page of the log per event. The bits come from the system's generator (`getrandom`) rather than
    /// Foundation's `UUID()`, which opens, reads and closes `/dev/urandom` on every call: three system calls
    /// inside the writer's transaction for every event.
    static func newEventID(at now: Instant) -> String {
        var generator = SystemRandomNumberGenerator()
        let milliseconds = UInt64(clamping: max(0, now.nanosecondsSinceUnixEpoch / 1_000_000))
        let high = milliseconds << 16 | 0x7000 | generator.next() & 0x0FFF  // version 7
        let low = generator.next() & ~(0b11 << 62) | (0b10 << 62)  // RFC 9562 variant
        return "evt_" + hex(high) + hex(low)
    }

    private static func hex(_ value: UInt64) -> String {
        let digits = String(value, radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }

    /// Whether `text` has a control character (Unicode category Cc). ASCII text, which every order id Paylater
    /// makes is, is checked by its bytes; only other text asks for each scalar's category.
    static func containsControl(_ text: String) -> Bool {
        let utf8 = text.utf8
        if utf8.allSatisfy({ $0 < 0x80 }) { return utf8.contains { $0 < 0x20 || $0 == 0x7F } }
        return text.unicodeScalars.contains { $0.properties.generalCategory == .control }
    }

    private static func validate(_ event: NewWebhookEvent) throws(WebhookOutboxError) {
        let orderBytes = event.orderID.utf8
        guard (1...NewWebhookEvent.orderIDLengthMaximum).contains(orderBytes.count), !containsControl(event.orderID)
        else { throw .invalidOrderID(event.orderID) }
        guard event.data.utf8.count <= NewWebhookEvent.dataByteCountMaximum else {
            throw .invalidData("is longer than \(NewWebhookEvent.dataByteCountMaximum) bytes")
        }
        if event.dataIsEncodedObject {
            assert(JSONSyntax.isObject(event.data), "the canonical JSON writer wrote a dictionary as something else")
        } else {
            guard JSONSyntax.isObject(event.data) else { throw .invalidData("is not a JSON object") }
        }
    }
}
