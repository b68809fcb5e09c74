public import PaylaterMoney
public import PaylaterTime

/// Why an installment schedule could not be made; each case names the input that was wrong.
public enum ScheduleError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The principal is zero or negative.
    case nonPositivePrincipal(Money)
    /// The principal is above `ScheduleGenerator.principalMinorUnitsMaximum`.
    case principalTooLarge(Money, maximumMinorUnits: Int64)
    /// The principal has fewer minor units than there are installments, so an equal split would leave some empty.
    case principalTooSmallToSplit(Money, installments: Int)
    /// A try-then-pay term outside `ScheduleTerms.tryThenPayDueAfterDaysAllowed`.
    case dueAfterDaysOutOfRange(Int, allowed: ClosedRange<Int>)
    /// A pay-in-4 interval outside `ScheduleTerms.payIn4IntervalDaysAllowed`.
    case intervalDaysOutOfRange(Int, allowed: ClosedRange<Int>)
    /// A monthly split over a number of months the product does not offer.
    case monthsNotOffered(Int, offered: [Int])
    /// A financing term outside `ScheduleTerms.financingMonthsAllowed`.
    case monthsOutOfRange(Int, allowed: ClosedRange<Int>)
    /// A fee or interest rate below zero.
    case negativeRate(Rational)
    /// A fee or interest rate above `ScheduleTerms.monthlyRateMaximum`.
    case rateTooHigh(Rational, maximum: Rational)
    /// A monthly split's first due date is on or before the statement due date it follows.
    case firstDueDateNotAfterStart(firstDueDate: LocalDate, start: LocalDate)
    /// An installment amount is negative.
    case negativeAmount(installment: Int, amount: Money)
    /// An installment amount is in another currency than the schedule's.
    case currencyMismatch(installment: Int, found: Currency, expected: Currency)
    /// Installments must be numbered 1, 2, 3 … in order.
    case misnumbered(position: Int, number: Int)
    /// Due dates must strictly increase.
    case dueDatesNotIncreasing(installment: Int, dueDate: LocalDate, previous: LocalDate)
    /// A schedule needs at least one installment and at most `InstallmentSchedule.installmentsMaximum`.
    case installmentCountOutOfRange(Int, allowed: ClosedRange<Int>)
    /// A due date fell outside the calendar's supported years.
    case dateOutOfRange(TimeError)
    /// Money arithmetic failed (overflow); inputs inside the limits above never cause this.
    case arithmetic(MoneyError)

    public var description: String {
        switch self {
        case .nonPositivePrincipal(let principal):
            "the principal is \(principal); it must be above zero"
        case let .principalTooLarge(principal, maximum):
            "the principal is \(principal); at most \(maximum) minor units are allowed"
        case let .principalTooSmallToSplit(principal, installments):
            "the principal \(principal) cannot be split into \(installments) installments of at least one minor unit"
        case let .dueAfterDaysOutOfRange(days, allowed):
            "a try-then-pay term of \(days) days is outside \(allowed.lowerBound)...\(allowed.upperBound)"
        case let .intervalDaysOutOfRange(days, allowed):
            "a pay-in-4 interval of \(days) days is outside \(allowed.lowerBound)...\(allowed.upperBound)"
        case let .monthsNotOffered(months, offered):
            "a monthly split over \(months) months is not offered; choose one of \(offered)"
        case let .monthsOutOfRange(months, allowed):
            "a financing term of \(months) months is outside \(allowed.lowerBound)...\(allowed.upperBound)"
        case .negativeRate(let rate):
            "the monthly rate \(rate) is negative"
        case let .rateTooHigh(rate, maximum):
            "the monthly rate \(rate) is above the maximum of \(maximum)"
        case let .firstDueDateNotAfterStart(firstDueDate, start):
            "the first due date \(firstDueDate) is not after the statement due date \(start)"
        case let .negativeAmount(installment, amount):
            "installment \(installment) has a negative amount \(amount)"
        case let .currencyMismatch(installment, found, expected):
            "installment \(installment) is in \(found.code), but the schedule is in \(expected.code)"
        case let .misnumbered(position, number):
            "the installment at position \(position) is numbered \(number); expected \(position + 1)"
        case let .dueDatesNotIncreasing(installment, dueDate, previous):
            "installment \(installment) is due \(dueDate), not after the previous due date \(previous)"
        case let .installmentCountOutOfRange(count, allowed):
            "a schedule of \(count) installments is outside \(allowed.lowerBound)...\(allowed.upperBound)"
        case .dateOutOfRange(let error):
            "a due date is out of range: \(error)"
        case .arithmetic(let error):
            "the schedule's arithmetic failed: \(error)"
        }
    }
}
