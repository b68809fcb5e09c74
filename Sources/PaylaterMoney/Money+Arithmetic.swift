/// Checked arithmetic and comparison: every operation checks the currency and throws instead of overflowing.
extension Money {
    /// Adds two amounts in the same currency.
    /// - Throws: `.currencyMismatch` or `.overflow`.
    public static func + (lhs: Money, rhs: Money) throws(MoneyError) -> Money {
        try lhs.requireSameCurrency(as: rhs)
        let (sum, overflowed) = lhs.minorUnits.addingReportingOverflow(rhs.minorUnits)
        guard !overflowed else { throw .overflow("\(lhs) + \(rhs)") }
        return Money(minorUnits: sum, currency: lhs.currency)
    }

    /// Subtracts `rhs` from `lhs`, both in the same currency.
    /// - Throws: `.currencyMismatch` or `.overflow`.
    public static func - (lhs: Money, rhs: Money) throws(MoneyError) -> Money {
        try lhs.requireSameCurrency(as: rhs)
        let (difference, overflowed) = lhs.minorUnits.subtractingReportingOverflow(rhs.minorUnits)
        guard !overflowed else { throw .overflow("\(lhs) - \(rhs)") }
        return Money(minorUnits: difference, currency: lhs.currency)
    }

    /// Adds `rhs` to `lhs` in place; `lhs` is unchanged when this throws.
    public static func += (lhs: inout Money, rhs: Money) throws(MoneyError) {
        lhs = try lhs + rhs
    }

    /// Subtracts `rhs` from `lhs` in place; `lhs` is unchanged when this throws.
    public static func -= (lhs: inout Money, rhs: Money) throws(MoneyError) {
        lhs = try lhs - rhs
    }

    /// The same amount with the opposite sign.
    /// - Throws: `.overflow` for the most negative amount, which has no positive counterpart.
    public func negated() throws(MoneyError) -> Money {
        guard minorUnits != .min else { throw .overflow("negating \(self)") }
        return Money(minorUnits: -minorUnits, currency: currency)
    }

    /// The amount without its sign.
    /// - Throws: `.overflow` for the most negative amount.
    public func absoluteValue() throws(MoneyError) -> Money {
        isNegative ? try negated() : self
    }

    /// The amount times a whole number, such as the price of `quantity` items.
    /// - Throws: `.overflow`.
    public func multiplied(by factor: Int64) throws(MoneyError) -> Money {
        let (product, overflowed) = minorUnits.multipliedReportingOverflow(by: factor)
        guard !overflowed else { throw .overflow("multiplying \(self) by \(factor)") }
        return Money(minorUnits: product, currency: currency)
    }

    /// The amount divided by a whole number and rounded once with `rounding`.
    ///
    /// To split an amount into parts that add back up, use `allocate(into:remainder:)` instead.
    /// - Throws: `.divisionByZero` or `.overflow` (the most negative amount divided by −1).
    public func divided(by divisor: Int64, rounding: RoundingRule = .halfEven) throws(MoneyError) -> Money {
        let quotient = try divide(Int128(minorUnits), by: Int128(divisor), rounding: rounding)
        return Money(minorUnits: quotient, currency: currency)
    }

    /// The total of `amounts`, all of which must be in `currency`; an empty list totals zero.
    ///
    /// The running total is kept on 128 bits, so only a final total outside `Int64` overflows, whatever the order.
    /// - Throws: `.currencyMismatch` for the first amount in another currency, or `.overflow`.
    public static func sum(of amounts: some Sequence<Money>, currency: Currency) throws(MoneyError) -> Money {
        var total: Int128 = 0
        for amount in amounts {
            guard amount.currency == currency else { throw .currencyMismatch(currency, amount.currency) }
            total += Int128(amount.minorUnits)  // Cannot overflow before 2^64 additions.
        }
        guard let minorUnits = Int64(exactly: total) else {
            throw .overflow("summing amounts in \(currency.code) to \(total) minor units")
        }
        return Money(minorUnits: minorUnits, currency: currency)
    }

    /// Whether this amount is smaller than `other`, in the same currency.
    /// - Throws: `.currencyMismatch`.
    public func isLess(than other: Money) throws(MoneyError) -> Bool {
        try requireSameCurrency(as: other)
        return minorUnits < other.minorUnits
    }

    /// Whether this amount is smaller than or equal to `other`, in the same currency.
    /// - Throws: `.currencyMismatch`.
    public func isLessThanOrEqual(to other: Money) throws(MoneyError) -> Bool {
        try requireSameCurrency(as: other)
        return minorUnits <= other.minorUnits
    }

    /// Whether this amount is larger than `other`, in the same currency.
    /// - Throws: `.currencyMismatch`.
    public func isGreater(than other: Money) throws(MoneyError) -> Bool {
        try requireSameCurrency(as: other)
        return minorUnits > other.minorUnits
    }

    /// Whether this amount is larger than or equal to `other`, in the same currency.
    /// - Throws: `.currencyMismatch`.
    public func isGreaterThanOrEqual(to other: Money) throws(MoneyError) -> Bool {
        try requireSameCurrency(as: other)
        return minorUnits >= other.minorUnits
    }

    /// The smaller of two amounts in the same currency, such as a fee capped at a maximum.
    /// - Throws: `.currencyMismatch`.
    public static func minimum(_ first: Money, _ second: Money) throws(MoneyError) -> Money {
        try first.isGreater(than: second) ? second : first
    }

    /// The larger of two amounts in the same currency, such as a balance floored at zero.
    /// - Throws: `.currencyMismatch`.
    public static func maximum(_ first: Money, _ second: Money) throws(MoneyError) -> Money {
        try first.isLess(than: second) ? second : first
    }

    /// Throws `.currencyMismatch` unless `other` is in this amount's currency.
    func requireSameCurrency(as other: Money) throws(MoneyError) {
        guard currency == other.currency else { throw .currencyMismatch(currency, other.currency) }
    }
}
