import PaylaterLedger
import PaylaterMoney
import PaylaterStore
import PaylaterTime

/// One value in a webhook event's `data`: text, a count (a JSON integer), or an amount.
///
/// An amount is written exactly as the HTTP API writes one, `{"amount": <minor units>, "currency": "CNY"}` (the
/// `Codable` form of `Money`, which the API's responses use too), so a merchant parses one format everywhere and
/// never a decimal string.
enum WebhookValue: Encodable, Sendable, Hashable {
    case text(String)
    /// A whole number such as days past due: a JSON integer, never a string of digits.
    case count(Int)
    case money(Money)

    func encode(to encoder: any Encoder) throws {
        switch self {
        case let .text(text):
            var container = encoder.singleValueContainer()
            try container.encode(text)
        case let .count(count):
            var container = encoder.singleValueContainer()
            try container.encode(count)
        case let .money(amount): try amount.encode(to: encoder)
        }
    }
}

extension WebhookOutbox {
    /// Records an event whose `data` is `values`, as canonical JSON, in the caller's write transaction: how the
    /// app's services (orders, plans, settlements) report a change to the merchant.
    @discardableResult
    static func enqueue(
        _ type: WebhookEventType, merchant: MerchantID, orderID: String, values: [String: WebhookValue],
        numbered numbering: EventNumbering = .afterPrevious, in connection: any SQLConnection, at now: Instant
    ) throws -> WebhookEventRecord {
        try enqueue(
            NewWebhookEvent(
                merchantID: merchant, orderID: orderID, type: type, encodedObject: try CanonicalJSON.encode(values)),
            numbered: numbering, in: connection, at: now)
    }
}

extension WebhookValue: CanonicalJSONWritable {
    package func write(to json: inout CanonicalJSONWriter) {
        switch self {
        case let .text(text): json.string(text)
        case let .count(count): json.integer(Int64(count))
        case let .money(amount): json.value(amount)
        }
    }
}
