/// Exact reading of rates written as decimals ("0.0003") or percentages ("24.5%"), and their JSON form.
extension Rational {
    /// Reads a plain decimal such as "0.0003", "-1.5" or "7", or a percentage such as "24.5%" (= 49/200).
    ///
    /// The grammar is `-?[0-9]+(\.[0-9]+)?%?`, with the same strictness as amounts: no '+', spaces, separators or
    /// exponents. The value is exact; nothing is rounded.
    /// - Throws: `.invalidRate` for text that does not match or is longer than `maximumParsedLength`,
    ///   `.overflow` when the reduced fraction does not fit in 64 bits.
    public init(parsing text: String) throws(MoneyError) {
        guard text.utf8.count <= Self.maximumParsedLength else { throw .invalidRate(MoneyError.excerpt(text)) }
        let isPercentage = text.utf8.last == UInt8(ascii: "%")
        let body = isPercentage ? String(decoding: text.utf8.dropLast(), as: UTF8.self) : text
        guard let literal = DecimalLiteral(body) else { throw .invalidRate(text) }
        let scale = literal.fractionDigits.count + (isPercentage ? 2 : 0)
        // maximumParsedLength keeps 10^scale inside 128 bits.
        assert(scale <= 38)
        guard let magnitude = literal.magnitude(scale: literal.fractionDigits.count, limit: UInt128(UInt64.max))
        else { throw .overflow("reading the rate \"\(text)\"") }
        var denominator: Int128 = 1
        for _ in 0..<scale { denominator *= 10 }
        let numerator = literal.isNegative ? -Int128(magnitude) : Int128(magnitude)
        self = try Self.reduced(numerator, denominator, operation: "reading the rate \"\(text)\"")
    }
}

extension Rational: Codable {
    /// The JSON keys: `{"numerator": 3, "denominator": 10000}`.
    private enum CodingKeys: String, CodingKey {
        case numerator
        case denominator
    }

    /// Decodes `{"numerator": n, "denominator": d}`, reducing it and rejecting a zero denominator.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let numerator = try container.decode(Int64.self, forKey: .numerator)
        let denominator = try container.decode(Int64.self, forKey: .denominator)
        do {
            try self.init(numerator, denominator)
        } catch {
            throw DecodingError.dataCorruptedError(
                forKey: .denominator, in: container, debugDescription: error.description)
        }
    }

    /// Encodes `{"numerator": n, "denominator": d}` in reduced form.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(numerator, forKey: .numerator)
        try container.encode(denominator, forKey: .denominator)
    }
}
