public import PaylaterMoney
public import PaylaterTime

/// Why a servicing operation on a plan was refused; the plan is unchanged when one is thrown.
public enum PlanError: Error, Equatable, Sendable, CustomStringConvertible {
    case currencyMismatch(expected: Currency, found: Currency)
    case notPositive(Money)
    /// The plan owes nothing more, so it takes no payment.
    case alreadySettled
    /// A refund larger than the principal the merchant still has on the plan.
    case refundExceedsPrincipal(refund: Money, remaining: Money)
    case returnAlreadyReported(on: LocalDate)
    case returnPause(ReturnPauseError)
    case payment(PaymentError)
    case refund(RefundError)
    case lateFee(LateFeeError)
    case dueDateExtension(DueDateExtensionError)
    /// A payoff must pay exactly the quoted amount.
    case payoffAmountMismatch(offered: Money, quoted: Money)
    case payoff(PayoffError)
    case arithmetic(MoneyError)
    /// The plan was split into installments already; a purchase is split once.
    case alreadySplit(on: LocalDate)
    /// Only a purchase still owed in full as one installment, with no late fee and no payment on it, can be split.
    case notSplittable(planID: String)
    /// The purchase would split but has `paid` on it already: a split takes a purchase owed in full.
    case partlyPaid(planID: String, paid: Money)
    /// The split is of another amount than the principal the purchase still owes.
    case splitPrincipalMismatch(split: Money, owed: Money)
    /// The monthly bill's rules refused the split (after the due date, months not offered, ...).
    case split(StatementError)

    public var description: String {
        switch self {
        case let .currencyMismatch(expected, found): "the plan is in \(expected.code), not \(found.code)"
        case let .notPositive(amount): "the amount must be positive, not \(amount)"
        case .alreadySettled: "the plan owes nothing"
        case let .refundExceedsPrincipal(refund, remaining):
            "a refund of \(refund) is more than the \(remaining) of principal left on the plan"
        case let .returnAlreadyReported(date): "a return was already reported on \(date)"
        case let .returnPause(error): error.description
        case let .payment(error): error.description
        case let .refund(error): error.description
        case let .lateFee(error): error.description
        case let .dueDateExtension(error): error.description
        case let .payoffAmountMismatch(offered, quoted): "a payoff today is \(quoted), not \(offered)"
        case let .payoff(error): error.description
        case let .arithmetic(error): "\(error)"
        case let .alreadySplit(date): "the purchase was already split on \(date)"
        case let .notSplittable(plan): "plan \(plan) is not one unpaid purchase, so it cannot be split"
        case let .partlyPaid(plan, paid):
            "plan \(plan) is partly paid (\(paid)): only a purchase owed in full can be split; pay the rest by its due date"
        case let .splitPrincipalMismatch(split, owed): "a split of \(split) does not match the \(owed) owed"
        case let .split(error): error.description
        }
    }
}
