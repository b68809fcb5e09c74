public import PaylaterMoney

/// An installment as servicing sees it: what is due and what the shopper has paid toward its principal and its fee.
public struct InstallmentBalance: Hashable, Sendable {
    public let number: Int
    public let principal: Money
    public let fee: Money
    /// Paid toward the principal so far, at most `principal`.
    public let principalPaid: Money
    /// Paid toward the fee so far, at most `fee`.
    public let feePaid: Money

    /// Principal plus fee.
    public let total: Money
    /// `principalPaid + feePaid`.
    public let paid: Money

    /// Checks the amounts: one currency, none negative, a total that fits, and no more paid on either part than it
    /// is due.
    public init(number: Int, principal: Money, fee: Money, principalPaid: Money, feePaid: Money) throws(RefundError) {
        for amount in [fee, principalPaid, feePaid] where amount.currency != principal.currency {
            throw .currencyMismatch(expected: principal.currency, found: amount.currency)
        }
        guard !principal.isNegative, !fee.isNegative, !principalPaid.isNegative, !feePaid.isNegative,
            let total = try? principal + fee
        else {
            throw .amountOutOfRange(number: number)
        }
        guard principalPaid.minorUnits <= principal.minorUnits, feePaid.minorUnits <= fee.minorUnits else { throw .overpaidInstallment(number: number) }
        self.number = number
        self.principal = principal
        self.fee = fee
        self.principalPaid = principalPaid
        self.feePaid = feePaid
        self.total = total
        paid = Money(minorUnits: principalPaid.minorUnits + feePaid.minorUnits, currency: principal.currency)
    }

    /// An installment with `paid` paid toward it, taken as paying its fee first, then its principal.
    public init(number: Int, principal: Money, fee: Money, paid: Money) throws(RefundError) {
        guard paid.currency == principal.currency else {
            throw .currencyMismatch(expected: principal.currency, found: paid.currency)
        }
        guard !paid.isNegative, !fee.isNegative else { throw .amountOutOfRange(number: number) }
        let feePaid = Money(minorUnits: min(paid.minorUnits, fee.minorUnits), currency: paid.currency)
        let principalPaid = Money(minorUnits: paid.minorUnits - feePaid.minorUnits, currency: paid.currency)
        try self.init(number: number, principal: principal, fee: fee, principalPaid: principalPaid, feePaid: feePaid)
    }
}

/// What a merchant refund does to a plan.
public struct RefundOutcome: Hashable, Sendable {
    /// The installments after the refund (paid amounts capped at the new principals and fees).
    public let installments: [InstallmentBalance]
    /// The principal the refund removed from the plan (the refund amount).
    public let principalReduced: Money
    /// Fees and interest the refund took off: what was charged on the refunded principal.
    public let feesWaived: Money
    /// Money the shopper had paid beyond the new totals, which goes back to them.
    public let returnedToShopper: Money
    /// Whether nothing remains owed: every installment is paid in full (a full refund closes the plan).
    public let closesPlan: Bool
}

/// Why a refund cannot be applied.
public enum RefundError: Error, Equatable, Sendable, CustomStringConvertible {
    case notPositive(Money)
    case exceedsPrincipal(refund: Money, principal: Money)
    case currencyMismatch(expected: Currency, found: Currency)
    case overpaidInstallment(number: Int)
    case amountOutOfRange(number: Int)
    case noInstallments

    public var description: String {
        switch self {
        case let .notPositive(amount): "a refund must be positive, not \(amount)"
        case let .exceedsPrincipal(refund, principal): "a refund of \(refund) exceeds the plan's principal of \(principal)"
        case let .currencyMismatch(expected, found): "the plan is in \(expected), the refund in \(found)"
        case let .overpaidInstallment(number): "installment \(number) records more paid than it is due"
        case let .amountOutOfRange(number): "installment \(number) has a negative amount or one too large to add up"
        case .noInstallments: "the plan has no installments"
        }
    }
}

/// Merchant refunds: the refund reduces the **last** installments first and works backwards, as Afterpay and
/// Klarna do, so the shopper's next payments stay as they were for as long as possible.
///
/// The cost of credit follows the principal actually lent: the refund takes its principal off the plan as if it had
/// never been lent, so it lowers the scheduled principal balance over every installment's period (the principal of
/// that installment and all later ones) by the refund, down to zero. Each installment's fee or interest is scaled
/// by the same ratio, balance after over balance before, rounded down: interest on a declining balance stays the
/// contract's rate on the balance that remains, a fee never costs more per unit of balance than it did, and an
/// installment the refund empties has no fee left. Whatever the shopper already paid toward a principal or a fee
/// beyond its new amount goes back to them. Every amount moves in whole minor units.
public enum RefundAllocation {
    public static func apply(_ refund: Money, to installments: [InstallmentBalance]) throws(RefundError) -> RefundOutcome {
        guard let first = installments.first else { throw .noInstallments }
        let currency = first.principal.currency
        guard refund.currency == currency else { throw .currencyMismatch(expected: currency, found: refund.currency) }
        guard refund.isPositive else { throw .notPositive(refund) }
        try check(installments, currency: currency)
        let principal = installments.reduce(Int64(0)) { $0 + $1.principal.minorUnits }
        guard refund.minorUnits <= principal else {
            throw .exceedsPrincipal(refund: refund, principal: Money(minorUnits: principal, currency: currency))
        }
        var remaining = refund.minorUnits
        var balance: Int64 = 0
        var waived: Int64 = 0
        var returned: Int64 = 0
        var after = installments
        for index in installments.indices.reversed() {
            let old = installments[index]
            let cut = min(remaining, old.principal.minorUnits)
            remaining -= cut
            balance += old.principal.minorUnits
            let newPrincipal = old.principal.minorUnits - cut
            let newFee = try scaledFee(old.fee.minorUnits, balance: balance, refund: refund.minorUnits, number: old.number)
            waived += old.fee.minorUnits - newFee
            let principalPaid = min(old.principalPaid.minorUnits, newPrincipal)
            let feePaid = min(old.feePaid.minorUnits, newFee)
            returned += old.paid.minorUnits - principalPaid - feePaid
            after[index] = try InstallmentBalance(
                number: old.number, principal: Money(minorUnits: newPrincipal, currency: currency),
                fee: Money(minorUnits: newFee, currency: currency),
                principalPaid: Money(minorUnits: principalPaid, currency: currency),
                feePaid: Money(minorUnits: feePaid, currency: currency))
        }
        assert(remaining == 0, "the refund was checked against the principal")
        return RefundOutcome(
            installments: after, principalReduced: refund, feesWaived: Money(minorUnits: waived, currency: currency),
            returnedToShopper: Money(minorUnits: returned, currency: currency),
            closesPlan: after.allSatisfy { $0.paid == $0.total })
    }

    /// round_down(fee × max(0, balance − refund) / balance): the fee of an installment whose period's principal
    /// balance was `balance` once `refund` is taken off it; a fee on no balance stays as it is.
    private static func scaledFee(_ fee: Int64, balance: Int64, refund: Int64, number: Int) throws(RefundError) -> Int64 {
        guard balance > 0 else { return fee }
        let left = max(0, balance - refund)
        do { return try divide(Int128(fee) * Int128(left), by: Int128(balance), rounding: .down) } catch {
            throw .amountOutOfRange(number: number)
        }
    }

    private static func check(_ installments: [InstallmentBalance], currency: Currency) throws(RefundError) {
        for installment in installments where installment.principal.currency != currency {
            throw .currencyMismatch(expected: currency, found: installment.principal.currency)
        }
    }
}
