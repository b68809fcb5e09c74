/// An exact amount of money: a whole number of minor units (fen, cents, fils) in one ISO 4217 currency.
///
/// Money is never a floating-point number. Combining amounts checks the currency and throws on a mismatch or an
/// overflow instead of trapping or wrapping; `Money` is deliberately not `Comparable`, because comparing amounts
/// in different currencies has no answer (use `isLess(than:)` and friends, which throw).
public struct Money: Hashable, Sendable, CustomStringConvertible {
    /// The amount in the currency's smallest unit: 12345 means 123.45 CNY, 100 means 100 JPY.
    public let minorUnits: Int64
    /// The currency the amount is counted in.
    public let currency: Currency

    /// Makes an amount from a count of minor units.
    public init(minorUnits: Int64, currency: Currency) {
        self.minorUnits = minorUnits
        self.currency = currency
    }

    /// Nothing, in `currency`.
    public static func zero(_ currency: Currency) -> Money {
        Money(minorUnits: 0, currency: currency)
    }

    /// Whether the amount is exactly zero.
    public var isZero: Bool { minorUnits == 0 }
    /// Whether the amount is below zero, such as a refund or a credit balance.
    public var isNegative: Bool { minorUnits < 0 }
    /// Whether the amount is above zero.
    public var isPositive: Bool { minorUnits > 0 }

    /// The amount and its currency code, such as "123.45 CNY".
    public var description: String { "\(decimalString) \(currency.code)" }
}

extension Money: Codable {
    /// The JSON keys: `{"amount": 12345, "currency": "CNY"}`.
    private enum CodingKeys: String, CodingKey {
        case amount
        case currency
    }

    /// Decodes `{"amount": <minor units>, "currency": "<ISO code>"}`, rejecting unknown currency codes.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let minorUnits = try container.decode(Int64.self, forKey: .amount)
        let currency = try container.decode(Currency.self, forKey: .currency)
        self.init(minorUnits: minorUnits, currency: currency)
    }

    /// Encodes `{"amount": <minor units>, "currency": "<ISO code>"}`; the amount is an integer, never a decimal.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(minorUnits, forKey: .amount)
        try container.encode(currency, forKey: .currency)
    }
}
