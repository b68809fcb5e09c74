/// An ISO 4217 currency: its three-letter code and how many decimal digits its minor unit has.
///
/// A `Currency` can only be made from a code in the built-in table, so every value in the system names a real
/// currency with the right exponent (2 for CNY, 0 for JPY, 3 for KWD).
public struct Currency: Hashable, Sendable, Comparable, CustomStringConvertible {
    /// The ISO 4217 alphabetic code: three upper-case ASCII letters, such as "CNY".
    public let code: String
    /// How many decimal digits the minor unit has: 2 means 1 CNY = 100 fen.
    public let minorUnitExponent: Int

    /// Looks `code` up in the ISO 4217 table; codes are matched exactly, so "cny" and " CNY" are unknown.
    public init(code: String) throws(MoneyError) {
        guard code.utf8.count == 3, let exponent = ISO4217.minorUnitExponents[code] else {
            throw .unknownCurrency(MoneyError.excerpt(code))
        }
        self.init(validatedCode: code, minorUnitExponent: exponent)
    }

    /// Builds a currency from a table entry the caller has already looked up.
    private init(validatedCode code: String, minorUnitExponent: Int) {
        assert(code.utf8.count == 3 && code.utf8.allSatisfy { $0 >= UInt8(ascii: "A") && $0 <= UInt8(ascii: "Z") })
        assert((0...ISO4217.maximumExponent).contains(minorUnitExponent))
        self.code = code
        self.minorUnitExponent = minorUnitExponent
    }

    /// Builds one of the static constants; a code missing from the table is a programming error.
    private init(builtIn code: String) {
        guard let exponent = ISO4217.minorUnitExponents[code] else {
            preconditionFailure("built-in currency \(code) is missing from the ISO 4217 table")
        }
        self.init(validatedCode: code, minorUnitExponent: exponent)
    }

    /// How many minor units make one major unit: 10 to the power of `minorUnitExponent` (100 for CNY, 1 for JPY).
    public var minorUnitsPerMajorUnit: Int64 {
        var result: Int64 = 1
        for _ in 0..<minorUnitExponent { result *= 10 }
        return result
    }

    /// The ISO 4217 code, such as "CNY".
    public var description: String { code }

    /// Orders currencies alphabetically by code, so lists and reports come out in a stable order.
    public static func < (lhs: Currency, rhs: Currency) -> Bool {
        lhs.code < rhs.code
    }

    /// Every currency in the built-in table, ordered by code.
    public static let all: [Currency] = ISO4217.minorUnitExponents.keys.sorted().map { Currency(builtIn: $0) }

    /// Chinese yuan renminbi (2 decimals).
    public static let CNY = Currency(builtIn: "CNY")
    /// United States dollar (2 decimals).
    public static let USD = Currency(builtIn: "USD")
    /// Euro (2 decimals).
    public static let EUR = Currency(builtIn: "EUR")
    /// Pound sterling (2 decimals).
    public static let GBP = Currency(builtIn: "GBP")
    /// Japanese yen (no decimals).
    public static let JPY = Currency(builtIn: "JPY")
    /// Kuwaiti dinar (3 decimals).
    public static let KWD = Currency(builtIn: "KWD")
    /// Hong Kong dollar (2 decimals).
    public static let HKD = Currency(builtIn: "HKD")
}

extension Currency: Codable {
    /// Decodes the bare code string ("CNY"), rejecting codes that are not in the ISO 4217 table.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let code = try container.decode(String.self)
        do {
            try self.init(code: code)
        } catch {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: error.description)
        }
    }

    /// Encodes the currency as its bare code string ("CNY").
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(code)
    }
}
