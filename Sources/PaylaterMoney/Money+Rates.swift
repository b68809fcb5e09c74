/// Applying rates to money: the product is exact, then rounded once with a named rule.
extension Money {
    /// The amount times `rate`, rounded once to whole minor units with `rounding`.
    ///
    /// Multiply rates together first (exactly, as `Rational`s) and apply the result once, so that there is a single
    /// rounding step: 1,000.00 × 0.0003 × 30 is computed as 1,000.00 × 9/1000 = 9.00.
    /// - Throws: `.overflow` when the rounded result does not fit in `Int64`.
    public func multiplied(by rate: Rational, rounding: RoundingRule = .halfEven) throws(MoneyError) -> Money {
        try scaled(by: rate, rounding: rounding, rateDescription: rate.description)
    }

    /// The amount times a rate in basis points, rounded once to whole minor units with `rounding`.
    ///
    /// 10,000.00 CNY at 250 bp is 250.00 CNY.
    /// - Throws: `.overflow` when the rounded result does not fit in `Int64`.
    public func multiplied(by rate: BasisPoints, rounding: RoundingRule = .halfEven) throws(MoneyError) -> Money {
        try scaled(by: rate.rational, rounding: rounding, rateDescription: rate.description)
    }

    /// `minorUnits × rate` computed exactly on 128 bits (|product| < 2^126), then rounded once.
    private func scaled(by rate: Rational, rounding: RoundingRule, rateDescription: String) throws(MoneyError)
        -> Money
    {
        let product = Int128(minorUnits) * Int128(rate.numerator)
        let quotient = try roundedQuotient(product, Int128(rate.denominator), rounding)
        guard let result = Int64(exactly: quotient) else {
            throw .overflow("multiplying \(self) by \(rateDescription)")
        }
        return Money(minorUnits: result, currency: currency)
    }
}
