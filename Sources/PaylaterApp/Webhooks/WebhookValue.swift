import PaylaterMoney

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
