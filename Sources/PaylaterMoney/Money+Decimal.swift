/// Exact conversion between `Money` and decimal text such as "123.45", with no floating point in between.
extension Money {
    /// The longest text `init(parsing:currency:)` accepts; the most negative amount needs 21 characters.
    public static let maximumParsedLength = 32

    /// Reads a plain decimal amount such as "123.45", "-0.05" or, for JPY, "100".
    ///
    /// The grammar is `-?[0-9]+(\.[0-9]{1,exponent})?`: an optional leading '-', at least one digit, and, for
    /// currencies with minor units, an optional '.' followed by one up to `minorUnitExponent` digits ("1.5" USD is
    /// 150 minor units). Signs '+', spaces, thousands separators, exponents, "1." and ".5" are all rejected.
    /// - Throws: `.invalidAmount` for text that does not match or is longer than `maximumParsedLength`,
    ///   `.tooManyDecimals` for more fraction digits than the currency has, `.overflow` beyond `Int64`.
    public init(parsing text: String, currency: Currency) throws(MoneyError) {
        guard text.utf8.count <= Self.maximumParsedLength, let literal = DecimalLiteral(text) else {
            throw .invalidAmount(MoneyError.excerpt(text))
        }
        let exponent = currency.minorUnitExponent
        guard literal.fractionDigits.count <= exponent else {
            throw .tooManyDecimals(text, allowed: exponent)
        }
        let limit = UInt128(literal.isNegative ? Int64.min.magnitude : Int64.max.magnitude)
        guard let magnitude = literal.magnitude(scale: exponent, limit: limit),
            let minorUnits = Int64(exactly: literal.isNegative ? -Int128(magnitude) : Int128(magnitude))
        else {
            throw .overflow("reading \"\(text)\" as an amount in \(currency.code)")
        }
        self.init(minorUnits: minorUnits, currency: currency)
    }

    /// The exact amount as plain decimal text in major units: "123.45", "-0.05", "0.00", "100" for JPY, "1.234" for
    /// KWD.
    ///
    /// It is the inverse of `init(parsing:currency:)`: parsing `decimalString` gives back the same amount.
    public var decimalString: String {
        let sign = isNegative ? "-" : ""
        let digits = String(minorUnits.magnitude)
        let exponent = currency.minorUnitExponent
        guard exponent > 0 else { return sign + digits }
        let padded = String(repeating: "0", count: max(0, exponent + 1 - digits.count)) + digits
        let point = padded.index(padded.endIndex, offsetBy: -exponent)
        return sign + padded[..<point] + "." + padded[point...]
    }
}
