public import PaylaterMoney

/// An installment as servicing sees it: what is due and what the shopper has paid toward it.
public struct InstallmentBalance: Hashable, Sendable {
    public let number: Int
    public let principal: Money
    public let fee: Money
    /// Paid toward this installment so far, at most `principal + fee`.
    public let paid: Money

    /// Principal plus fee.
    public let total: Money

    /// Checks the amounts: one currency, none negative, a total that fits, and no more paid than the total.
    public init(number: Int, principal: Money, fee: Money, paid: Money) throws(RefundError) {
        for amount in [fee, paid] where amount.currency != principal.currency {
            throw .currencyMismatch(expected: principal.currency, found: amount.currency)
        }
        guard !principal.isNegative, !fee.isNegative, !paid.isNegative, let total = try? principal + fee else {
            throw .amountOutOfRange(number: number)
        }
        guard paid.minorUnits <= total.minorUnits else { throw .overpaidInstallment(number: number) }
        self.number = number
        self.principal = principal
        self.fee = fee
        self.paid = paid
        self.total = total
    }
}

/// What a merchant refund does to a plan.
public struct RefundOutcome: Hashable, Sendable {
    /// The installments after the refund (paid amounts capped at the new totals).
    public let installments: [InstallmentBalance]
    /// The principal the refund removed from the plan (the refund amount).
    public let principalReduced: Money
    /// Fees dropped with installments whose principal the refund removed entirely.
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
/// An installment whose principal the refund removes entirely has its fee waived (there is nothing left to charge
/// it on); an installment only partly reduced keeps its fee. Whatever the shopper already paid toward an
/// installment beyond its new total goes back to them. Nothing here rounds: every amount moves in whole minor units.
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
        var waived: Int64 = 0
        var returned: Int64 = 0
        var after = installments
        for index in installments.indices.reversed() {
            let old = installments[index]
            let cut = min(remaining, old.principal.minorUnits)
            remaining -= cut
            let newPrincipal = old.principal.minorUnits - cut
            let newFee = newPrincipal == 0 && cut > 0 ? 0 : old.fee.minorUnits
            waived += old.fee.minorUnits - newFee
            let newTotal = newPrincipal + newFee
            returned += max(0, old.paid.minorUnits - newTotal)
            after[index] = try InstallmentBalance(
                number: old.number, principal: Money(minorUnits: newPrincipal, currency: currency),
                fee: Money(minorUnits: newFee, currency: currency),
                paid: Money(minorUnits: min(old.paid.minorUnits, newTotal), currency: currency))
        }
        assert(remaining == 0, "the refund was checked against the principal")
        return RefundOutcome(
            installments: after, principalReduced: refund, feesWaived: Money(minorUnits: waived, currency: currency),
            returnedToShopper: Money(minorUnits: returned, currency: currency),
            closesPlan: after.allSatisfy { $0.paid == $0.total })
    }

    private static func check(_ installments: [InstallmentBalance], currency: Currency) throws(RefundError) {
        for installment in installments where installment.principal.currency != currency {
            throw .currencyMismatch(expected: currency, found: installment.principal.currency)
        }
    }
}
