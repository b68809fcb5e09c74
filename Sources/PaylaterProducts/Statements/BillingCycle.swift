public import PaylaterTime

/// The day of the month a monthly bill's statement is drawn up.
public enum StatementDay: Hashable, Sendable {
    /// A fixed day, 1...28, so that it exists in every month (Huabei draws statements on the 1st).
    case day(Int)
    /// The last day of each month: Jan 31, Feb 28 (29 in a leap year), Apr 30 …
    case lastDayOfMonth

    /// The days a fixed statement or due day may fall on: those that exist in every month.
    public static let daysAllowed: ClosedRange<Int> = 1...28
}

/// One statement period of a monthly bill: the purchases it collects, the day the statement is drawn up and the day
/// it must be paid.
public struct StatementPeriod: Hashable, Sendable {
    /// The first day whose purchases the statement collects (inclusive): the previous statement date.
    public let start: LocalDate
    /// The day the statement is drawn up. Purchases made on this day belong to the next period (exclusive end).
    public let statementDate: LocalDate
    /// The day the statement must be paid in full, or split, at the latest.
    public let dueDate: LocalDate

    /// Whether a purchase made on `date` belongs to this period: `start <= date < statementDate`.
    public func contains(_ date: LocalDate) -> Bool { start <= date && date < statementDate }
}

/// When a monthly bill (月付) draws up its statements and when they fall due.
///
/// The rules, chosen to match Huabei (statement on the 1st covering the previous month, due on the 10th) and to let
/// a Douyin 月付 shopper pick both days:
/// - A period runs from one statement date (inclusive) to the next (exclusive): with statement day 1, purchases
///   from Mar 1 to Mar 31 are on the Apr 1 statement; a purchase on Apr 1 is on the May 1 statement.
/// - The due day is a day of the month (1...28): the statement falls due on the first such day strictly after the
///   statement date. Statement day 1 and due day 10 → due Apr 10; statement day 25 and due day 5 → due the 5th of
///   the next month. A due day equal to the statement day gives a full month to pay.
/// - Because the due day is at most 28, every statement's due date falls on the same day of the month, so a split
///   that starts on one due date (`adding(months:)` from that anchor) lands on every later statement's due date.
public struct BillingCycle: Hashable, Sendable {
    /// The day statements are drawn up.
    public let statementDay: StatementDay
    /// The day of the month statements fall due, the first after the statement date.
    public let dueDay: Int

    /// Checks the days.
    /// - Throws: `.dayOutOfRange` for a statement or due day outside 1...28.
    public init(statementDay: StatementDay, dueDay: Int) throws(StatementError) {
        if case .day(let day) = statementDay, !StatementDay.daysAllowed.contains(day) {
            throw .dayOutOfRange(field: "statement day", day: day, allowed: StatementDay.daysAllowed)
        }
        guard StatementDay.daysAllowed.contains(dueDay) else {
            throw .dayOutOfRange(field: "due day", day: dueDay, allowed: StatementDay.daysAllowed)
        }
        self.statementDay = statementDay
        self.dueDay = dueDay
    }

    /// The period a purchase made on `date` belongs to: the first statement date strictly after `date`.
    /// - Throws: `.dateOutOfRange` near the end of the calendar.
    public func period(containing date: LocalDate) throws(StatementError) -> StatementPeriod {
        let thisMonth = try statementDate(inMonthOf: date)
        let statementDate = date < thisMonth ? thisMonth : try statementDate(inMonthOf: Self.months(date.firstDayOfMonth, 1))
        return try period(endingOn: statementDate)
    }

    /// The period whose statement is drawn up on `statementDate`.
    /// - Throws: `.notAStatementDate` when the cycle draws no statement that day.
    public func period(statementDate: LocalDate) throws(StatementError) -> StatementPeriod {
        guard try self.statementDate(inMonthOf: statementDate) == statementDate else {
            throw .notAStatementDate(statementDate)
        }
        return try period(endingOn: statementDate)
    }

    /// The period after `period`: the one whose purchases start on `period.statementDate`.
    public func period(after period: StatementPeriod) throws(StatementError) -> StatementPeriod {
        try self.period(containing: period.statementDate)
    }

    private func period(endingOn statementDate: LocalDate) throws(StatementError) -> StatementPeriod {
        let start = try self.statementDate(inMonthOf: Self.months(statementDate.firstDayOfMonth, -1))
        return StatementPeriod(start: start, statementDate: statementDate, dueDate: try dueDate(after: statementDate))
    }

    /// The statement date in the month of `date`.
    private func statementDate(inMonthOf date: LocalDate) throws(StatementError) -> LocalDate {
        switch statementDay {
        case .lastDayOfMonth: return date.lastDayOfMonth
        case .day(let day): return try Self.date(date.year, date.month, day)
        }
    }

    /// The first day-of-month `dueDay` strictly after the statement date.
    private func dueDate(after statementDate: LocalDate) throws(StatementError) -> LocalDate {
        let sameMonth = try Self.date(statementDate.year, statementDate.month, dueDay)
        if sameMonth > statementDate { return sameMonth }
        let next = try Self.months(statementDate.firstDayOfMonth, 1)
        return try Self.date(next.year, next.month, dueDay)
    }

    private static func months(_ date: LocalDate, _ count: Int) throws(StatementError) -> LocalDate {
        do { return try date.adding(months: count) } catch { throw .dateOutOfRange(error) }
    }

    private static func date(_ year: Int, _ month: Int, _ day: Int) throws(StatementError) -> LocalDate {
        do { return try LocalDate(year: year, month: month, day: day) } catch { throw .dateOutOfRange(error) }
    }
}
