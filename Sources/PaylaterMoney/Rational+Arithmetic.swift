/// Exact arithmetic on rates: every result is reduced, and a result that does not fit in 64 bits throws.
extension Rational {
    /// The exact sum.
    /// - Throws: `.overflow`.
    public static func + (lhs: Rational, rhs: Rational) throws(MoneyError) -> Rational {
        let top = Int128(lhs.numerator) * Int128(rhs.denominator) + Int128(rhs.numerator) * Int128(lhs.denominator)
        return try reduced(top, Int128(lhs.denominator) * Int128(rhs.denominator), operation: "\(lhs) + \(rhs)")
    }

    /// The exact difference.
    /// - Throws: `.overflow`.
    public static func - (lhs: Rational, rhs: Rational) throws(MoneyError) -> Rational {
        let top = Int128(lhs.numerator) * Int128(rhs.denominator) - Int128(rhs.numerator) * Int128(lhs.denominator)
        return try reduced(top, Int128(lhs.denominator) * Int128(rhs.denominator), operation: "\(lhs) - \(rhs)")
    }

    /// The exact product, such as a monthly rate from an annual one and a fraction of the year.
    /// - Throws: `.overflow`.
    public static func * (lhs: Rational, rhs: Rational) throws(MoneyError) -> Rational {
        let top = Int128(lhs.numerator) * Int128(rhs.numerator)
        return try reduced(top, Int128(lhs.denominator) * Int128(rhs.denominator), operation: "\(lhs) × \(rhs)")
    }

    /// The exact quotient.
    /// - Throws: `.divisionByZero` when `rhs` is zero, or `.overflow`.
    public static func / (lhs: Rational, rhs: Rational) throws(MoneyError) -> Rational {
        let top = Int128(lhs.numerator) * Int128(rhs.denominator)
        return try reduced(top, Int128(lhs.denominator) * Int128(rhs.numerator), operation: "\(lhs) ÷ \(rhs)")
    }

    /// The same value with the opposite sign.
    /// - Throws: `.overflow` when the numerator is `Int64.min`.
    public func negated() throws(MoneyError) -> Rational {
        try Self.reduced(-Int128(numerator), Int128(denominator), operation: "negating \(self)")
    }

    /// One divided by this value.
    /// - Throws: `.divisionByZero` for zero, `.overflow` when the numerator is `Int64.min`.
    public func reciprocal() throws(MoneyError) -> Rational {
        try Self.reduced(Int128(denominator), Int128(numerator), operation: "inverting \(self)")
    }
}
