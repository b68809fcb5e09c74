public import PaylaterMoney

/// How far one payment may exceed what is owed. A modest overpayment stays with the shopper as a refundable credit
/// balance; a payment of more than twice what is owed (an extra zero typed, or worse) is refused before anything is
/// booked: it is almost surely a mistake, taking it would hold the shopper's money for nothing, and no single
/// payment can then grow the platform's books without bound.
public enum OverpaymentLimit {
    /// The most a payment toward `owed` may be: what is owed and as much again, at most the largest amount.
    public static func maximumPayment(owed: Money) -> Money {
        precondition(!owed.isNegative, "what is owed is never negative")
        let (doubled, overflow) = owed.minorUnits.multipliedReportingOverflow(by: 2)
        return Money(minorUnits: overflow ? .max : doubled, currency: owed.currency)
    }

    /// Refuses `payment` when it is more than `maximumPayment(owed:)`.
    /// - Throws: `PaymentError.exceedsOverpaymentLimit` naming what is owed and the largest payment taken.
    public static func check(_ payment: Money, owed: Money) throws(PaymentError) {
        let maximum = maximumPayment(owed: owed)
        guard payment.currency == owed.currency else {
            throw .currencyMismatch(expected: owed.currency, found: payment.currency)
        }
        guard payment.minorUnits <= maximum.minorUnits else {
            throw .exceedsOverpaymentLimit(payment: payment, owed: owed, maximum: maximum)
        }
    }
}
