public import PaylaterMoney
public import PaylaterTime

/// One installment of a live plan: what the schedule asked for, the late fees charged on it, and what the shopper
/// has paid toward each part.
///
/// The three "paid" amounts never exceed what they pay for; `RepaymentPlan` keeps that true and asserts it.
public struct PlanInstallment: Hashable, Sendable, Codable {
    public let number: Int
    /// The contractual due date (after any due-date extension); a return pause may defer it further, which
    /// `RepaymentPlan.effectiveDueDate(of:)` accounts for.
    public internal(set) var dueDate: LocalDate
    public internal(set) var principal: Money
    public internal(set) var fee: Money
    /// Late fees charged on this installment so far.
    public internal(set) var lateFee: Money
    /// How many of the late-fee policy's stages have been charged (0, 1 or 2).
    public internal(set) var lateFeeStages: Int
    public internal(set) var principalPaid: Money
    public internal(set) var feePaid: Money
    public internal(set) var lateFeePaid: Money
    /// The day a payment (or a payoff) settled it; nil while it owes something, when a refund or a split settled
    /// it, or when it was settled before plans recorded the day. Whether it was paid on time is judged from this,
    /// not from whether a late fee was charged: an end of day that did not run charges none.
    public internal(set) var settledOn: LocalDate?

    init(_ installment: Installment) {
        let zero = Money.zero(installment.principal.currency)
        number = installment.number
        dueDate = installment.dueDate
        principal = installment.principal
        fee = installment.fee
        lateFee = zero
        lateFeeStages = 0
        principalPaid = zero
        feePaid = zero
        lateFeePaid = zero
    }

    public var principalOwed: Money { Money(minorUnits: principal.minorUnits - principalPaid.minorUnits, currency: principal.currency) }
    public var feeOwed: Money { Money(minorUnits: fee.minorUnits - feePaid.minorUnits, currency: fee.currency) }
    public var lateFeeOwed: Money { Money(minorUnits: lateFee.minorUnits - lateFeePaid.minorUnits, currency: fee.currency) }
    /// Everything still owed on the installment.
    public var owed: Money {
        Money(minorUnits: principalOwed.minorUnits + feeOwed.minorUnits + lateFeeOwed.minorUnits, currency: fee.currency)
    }
    public var isSettled: Bool { owed.isZero }

    /// Whether every paid amount lies between zero and what it pays for.
    var isConsistent: Bool {
        (0...principal.minorUnits).contains(principalPaid.minorUnits) && (0...fee.minorUnits).contains(feePaid.minorUnits)
            && (0...lateFee.minorUnits).contains(lateFeePaid.minorUnits)
    }
}
