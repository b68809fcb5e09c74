/// A plain decimal number split into its sign, integer digits and fraction digits, before any scaling.
///
/// The grammar is deliberately narrow, `-?[0-9]+(\.[0-9]+)?`, so that "1,000", " 1", "+1", "1e3", "1." and ".5"
/// are rejected rather than guessed at. Amounts and rates share it.
struct DecimalLiteral {
    /// Whether the text began with '-'.
    let isNegative: Bool
    /// The digits before the point, as values 0...9; never empty.
    let integerDigits: [UInt8]
    /// The digits after the point, as values 0...9; empty when there is no point.
    let fractionDigits: [UInt8]

    /// Splits `text`, or returns nil when it does not match `-?[0-9]+(\.[0-9]+)?`.
    ///
    /// Callers bound the length of `text` first.
    init?(_ text: String) {
        var rest = ArraySlice(text.utf8)
        isNegative = rest.first == UInt8(ascii: "-")
        if isNegative { rest = rest.dropFirst() }
        guard let integerDigits = Self.takeDigits(from: &rest) else { return nil }
        self.integerDigits = integerDigits
        guard !rest.isEmpty else {
            fractionDigits = []
            return
        }
        guard rest.popFirst() == UInt8(ascii: "."), let fractionDigits = Self.takeDigits(from: &rest), rest.isEmpty
        else { return nil }
        self.fractionDigits = fractionDigits
    }

    /// Removes the leading ASCII digits of `text` and returns their values, or nil when there are none.
    private static func takeDigits(from text: inout ArraySlice<UInt8>) -> [UInt8]? {
        let digits = text.prefix { $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }
        guard !digits.isEmpty else { return nil }
        text = text.dropFirst(digits.count)
        return digits.map { $0 - UInt8(ascii: "0") }
    }

    /// The digits read as one integer after moving the point `scale` places right, or nil once it exceeds `limit`.
    ///
    /// `scale` must be at least the number of fraction digits, so that no digit is dropped.
    func magnitude(scale: Int, limit: UInt128) -> UInt128? {
        precondition(scale >= fractionDigits.count, "scaling would drop fraction digits")
        assert(limit <= UInt128(UInt64.max), "the limit keeps value * 10 inside 128 bits")
        let padding = [UInt8](repeating: 0, count: scale - fractionDigits.count)
        var value: UInt128 = 0
        for digit in [integerDigits, fractionDigits, padding].joined() {
            value = value * 10 + UInt128(digit)
            guard value <= limit else { return nil }
        }
        return value
    }
}
