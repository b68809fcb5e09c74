import PaylaterTime

/// The unit period of Regulation Z Appendix J, paragraph (b)(4): the common period between payments that occurs
/// most often (the smaller one on a tie), or, for one advance repaid by one payment, the term up to one year.
public enum UnitPeriod: Hashable, Sendable, CustomStringConvertible {
    /// A whole number of months, 1 to 12 (12 is a year).
    case months(Int)
    /// A whole number of weeks, 1 to 52.
    case weeks(Int)
    /// Half a month, for payments on two fixed days of each month such as the 1st and the 16th.
    case semimonth
    /// A number of days, 1 to 365 (for a single payment not a whole number of months or weeks away).
    case days(Int)

    /// How many unit periods make a year: 12/months, 52/weeks, 24 semimonths, 365/days.
    public var perYear: Double {
        switch self {
        case let .months(count): 12 / Double(count)
        case let .weeks(count): 52 / Double(count)
        case .semimonth: 24
        case let .days(count): 365 / Double(count)
        }
    }

    /// How many days one day is worth in a fractional unit period's denominator, per Appendix J (b)(5)(iv):
    /// 30 a month, 15 a semimonth, 7 a week, 365 a year, or the unit's own days.
    var daysPerUnit: Double {
        switch self {
        case let .months(count): count == 12 ? 365 : 30 * Double(count)
        case let .weeks(count): 7 * Double(count)
        case .semimonth: 15
        case let .days(count): Double(count)
        }
    }

    public var description: String {
        switch self {
        case let .months(count): count == 1 ? "1 month" : count == 12 ? "1 year" : "\(count) months"
        case let .weeks(count): count == 1 ? "1 week" : "\(count) weeks"
        case .semimonth: "1 semimonth"
        case let .days(count): count == 1 ? "1 day" : "\(count) days"
        }
    }
}

extension UnitPeriod {
    /// The period from `earlier` to `later` when it is a standard interval (Appendix J (b)(3)(iii)): whole months
    /// (same day of month, or both month ends), whole weeks, or a semimonth (13 to 17 days that is not two weeks).
    static func standard(from earlier: LocalDate, to later: LocalDate) -> UnitPeriod? {
        let days = earlier.days(until: later)
        guard days > 0 else { return nil }
        let monthCount = (later.year - earlier.year) * 12 + (later.month - earlier.month)
        let sameDay = earlier.day == later.day || (earlier == earlier.lastDayOfMonth && later == later.lastDayOfMonth)
        if sameDay, (1...12).contains(monthCount) { return .months(monthCount) }
        if days % 7 == 0, days / 7 <= 52 { return .weeks(days / 7) }
        if (13...17).contains(days) { return .semimonth }
        return nil
    }

    /// The unit period for a schedule per Appendix J (b)(4).
    static func of(_ schedule: CashFlowSchedule) -> UnitPeriod {
        let dates = [schedule.start] + schedule.payments.map(\.date)
        if schedule.advances.count == 1, schedule.payments.count == 1 {
            return term(from: dates[0], to: dates[1])
        }
        var counts: [UnitPeriod: Int] = [:]
        for (earlier, later) in zip(dates, dates.dropFirst()) {
            if let period = standard(from: earlier, to: later) { counts[period, default: 0] += 1 }
        }
        let best = counts.max { left, right in
            left.value != right.value ? left.value < right.value : left.key.daysPerUnit > right.key.daysPerUnit
        }
        return best?.key ?? .days(1)
    }

    /// A single advance and single payment: the term as the unit period, at most a year (Appendix J (b)(4)(ii)).
    private static func term(from start: LocalDate, to end: LocalDate) -> UnitPeriod {
        let days = start.days(until: end)
        if let period = standard(from: start, to: end), period != .semimonth { return period }
        if days >= 365 || ((try? start.adding(years: 1)).map { $0 <= end } ?? false) { return .months(12) }
        return .days(max(days, 1))
    }

    /// The whole unit periods and the fraction left over from `start` to `date`, counting whole periods back from
    /// `date` (Appendix J (b)(5)): the odd days fall at the beginning of the term.
    func position(of date: LocalDate, from start: LocalDate) -> (periods: Double, fraction: Double) {
        let totalDays = start.days(until: date)
        precondition(totalDays >= 0, "a flow lies at or after the start")
        switch self {
        case let .months(count):
            let whole = Self.wholeMonths(back: date, to: start, step: count)
            let periodStart = Self.monthsBack(from: date, count * whole)
            if count == 12, let months = Self.wholeMonths(from: start, to: periodStart) {
                return (Double(whole), Double(months) / 12)
            }
            return (Double(whole), Double(start.days(until: periodStart)) / daysPerUnit)
        case .semimonth:
            var whole = 2 * Self.wholeMonths(back: date, to: start, step: 1) + 1
            while whole > 0, Self.semimonthsBack(from: date, whole) < start { whole -= 1 }
            let remaining = start.days(until: Self.semimonthsBack(from: date, whole))
            return (Double(whole), Double(remaining) / daysPerUnit)
        case .weeks, .days:
            let unitDays = Int(daysPerUnit)
            return (Double(totalDays / unitDays), Double(totalDays % unitDays) / daysPerUnit)
        }
    }

    /// `date` moved back `months` months, keeping a month-end date at month ends (Appendix J (b)(3)(iv)).
    private static func monthsBack(from date: LocalDate, _ months: Int) -> LocalDate {
        guard let moved = try? date.adding(months: -months) else { return LocalDate.minimum }
        return date == date.lastDayOfMonth ? moved.lastDayOfMonth : moved
    }

    /// The number of months from `start` to `end` when it is whole (Appendix J (b)(5)(v): a yearly unit period's
    /// odd whole months count twelfths; other odd intervals count days over 365).
    private static func wholeMonths(from start: LocalDate, to end: LocalDate) -> Int? {
        let months = (end.year - start.year) * 12 + (end.month - start.month)
        guard months >= 0, (try? start.adding(months: months)) == end || monthsBack(from: end, months) == start else {
            return nil
        }
        return months
    }

    /// `date` moved back `count` semimonths: whole months for each pair, and for an odd one the 16th-or-later moves
    /// back 15 days while an earlier day moves to the previous month's day + 15 (4-1 → 3-16, 4-16 → 4-1).
    private static func semimonthsBack(from date: LocalDate, _ count: Int) -> LocalDate {
        let months = monthsBack(from: date, count / 2)
        guard count % 2 == 1 else { return months }
        if months.day >= 16 { return (try? months.adding(days: -15)) ?? LocalDate.minimum }
        guard let previous = try? months.adding(months: -1) else { return LocalDate.minimum }
        let day = min(months.day + 15, previous.daysInMonth)
        return (try? LocalDate(year: previous.year, month: previous.month, day: day)) ?? LocalDate.minimum
    }

    /// How many whole steps of `step` months fit between `start` and `date`, counted back from `date`.
    private static func wholeMonths(back date: LocalDate, to start: LocalDate, step: Int) -> Int {
        var whole = max(0, ((date.year - start.year) * 12 + (date.month - start.month)) / step + 1)
        while whole > 0, monthsBack(from: date, whole * step) < start { whole -= 1 }
        return whole
    }
}
