public import PaylaterMoney
public import PaylaterTime

/// Why a billing cycle, a statement or a split was refused; each case carries what is needed to explain it.
public enum StatementError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A statement or due day outside 1...28.
    case dayOutOfRange(field: String, day: Int, allowed: ClosedRange<Int>)
    /// The cycle draws no statement on this day.
    case notAStatementDate(LocalDate)
    /// A purchase is in another currency than the statement's.
    case currencyMismatch(purchase: String, found: Currency, expected: Currency)
    /// A purchase was made outside the statement's period.
    case purchaseOutsideCycle(purchase: String, date: LocalDate, period: StatementPeriod)
    /// A purchase amount is zero or negative.
    case nonPositivePurchase(purchase: String, amount: Money)
    /// Two purchases share an id.
    case duplicatePurchase(String)
    /// A statement may hold at most `MonthlyStatement.linesMaximum` lines.
    case tooManyLines(Int, maximum: Int)
    /// A split was asked for after the statement's due date.
    case splitAfterDueDate(requested: LocalDate, dueDate: LocalDate)
    /// A split was asked for before the purchase was made.
    case splitBeforePurchase(requested: LocalDate, purchaseDate: LocalDate)
    /// The statement or purchase is already split (a purchase also counts as split when its whole statement is).
    case alreadySplit(SplitSubject)
    /// The purchase is not on this statement.
    case unknownPurchase(String)
    /// The statement has nothing left to split: every purchase on it is split already.
    case nothingToSplit(statementDate: LocalDate)
    /// Every purchase left on the statement is partly paid: a split takes purchases owed in full.
    case onlyPartlyPaid(statementDate: LocalDate, owed: Money)
    /// The product does not offer a split over this many months.
    case monthsNotOffered(Int, offered: [Int])
    /// The split's schedule could not be made.
    case schedule(ScheduleError)
    /// A date fell outside the calendar.
    case dateOutOfRange(TimeError)
    /// Money arithmetic overflowed.
    case arithmetic(MoneyError)

    public var description: String {
        switch self {
        case let .dayOutOfRange(field, day, allowed):
            "the \(field) \(day) is outside \(allowed.lowerBound)...\(allowed.upperBound)"
        case .notAStatementDate(let date): "no statement is drawn up on \(date)"
        case let .currencyMismatch(purchase, found, expected):
            "purchase \(purchase) is in \(found.code), but the statement is in \(expected.code)"
        case let .purchaseOutsideCycle(purchase, date, period):
            "purchase \(purchase) on \(date) is outside the period \(period.start) to \(period.statementDate) (exclusive)"
        case let .nonPositivePurchase(purchase, amount): "purchase \(purchase) is \(amount); it must be above zero"
        case .duplicatePurchase(let id): "purchase \(id) is listed twice"
        case let .tooManyLines(count, maximum): "a statement of \(count) lines is above the maximum of \(maximum)"
        case let .splitAfterDueDate(requested, dueDate): "a split on \(requested) is after the due date \(dueDate)"
        case let .splitBeforePurchase(requested, purchaseDate):
            "a split on \(requested) is before the purchase on \(purchaseDate)"
        case .alreadySplit(let subject): "\(subject) is already split"
        case .unknownPurchase(let id): "purchase \(id) is not on this statement"
        case .nothingToSplit(let date): "the statement of \(date) has nothing left to split"
        case let .onlyPartlyPaid(date, owed):
            "the statement of \(date) has only purchases partly paid left (\(owed) owed): a split takes purchases owed "
                + "in full; pay the rest by the due date"
        case let .monthsNotOffered(months, offered): "a split over \(months) months is not offered; choose one of \(offered)"
        case .schedule(let error): "the split could not be scheduled: \(error)"
        case .dateOutOfRange(let error): "a date is out of range: \(error)"
        case .arithmetic(let error): "the statement's arithmetic failed: \(error)"
        }
    }
}
