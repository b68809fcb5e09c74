/// A business date with no time zone: a day of the proleptic Gregorian calendar in years 1...9999.
///
/// Due dates, statement dates and days past due are `LocalDate`s. Which date it is "today" depends on a time zone;
/// get it from `TimeZoneRules.localDate(at:)` with the instant from a `Clock`.
///
/// Month arithmetic clamps to the end of the month (Jan 31 + 1 month = Feb 28, or Feb 29 in a leap year). Clamping
/// loses information, so a schedule must compute its k-th due date from the anchor, `anchor.adding(months: k)`,
/// never by adding one month to the previous due date: from Jan 31 that gives Feb 28 then Mar 31, whereas repeated
/// addition drifts to Feb 28, Mar 28, Apr 28.
public struct LocalDate: Hashable, Sendable {
    /// 1...9999.
    public let year: Int
    /// 1...12.
    public let month: Int
    /// 1...`daysInMonth`.
    public let day: Int

    /// The earliest supported date, 0001-01-01.
    public static let minimum = LocalDate(uncheckedYear: 1, month: 1, day: 1)
    /// The latest supported date, 9999-12-31.
    public static let maximum = LocalDate(uncheckedYear: 9999, month: 12, day: 31)
    /// 1970-01-01, day 0 of `daysSinceEpoch`.
    public static let unixEpoch = LocalDate(uncheckedYear: 1970, month: 1, day: 1)

    /// The date with these fields; throws `TimeError.invalidDate` unless it exists in years 1...9999.
    public init(year: Int, month: Int, day: Int) throws(TimeError) {
        guard CivilCalendar.supportedYears.contains(year), (1...12).contains(month), day >= 1,
            day <= CivilCalendar.daysInMonth(year: Int64(year), month: month)
        else { throw .invalidDate(year: year, month: month, day: day) }
        self.init(uncheckedYear: year, month: month, day: day)
    }

    /// Parses exactly "YYYY-MM-DD" (four-digit year, two-digit month and day, nothing before or after).
    public init(iso8601 text: String) throws(TimeError) {
        var scanner = ASCIIScanner(text)
        guard scanner.byteCount <= ISO8601Text.byteCountMaximum, let fields = ISO8601Text.scanDate(&scanner),
            scanner.isAtEnd
        else { throw .malformed(.date, text: TimeError.clipped(text)) }
        try self.init(year: fields.year, month: fields.month, day: fields.day)
    }

    /// The date `daysSinceEpoch` days after 1970-01-01 (negative for earlier dates); throws `TimeError.overflow`
    /// outside 0001-01-01...9999-12-31.
    public init(daysSinceEpoch days: Int64) throws(TimeError) {
        guard Self.supportedDaysSinceEpoch.contains(days) else {
            throw .overflow(operation: "The date \(days) days after 1970-01-01")
        }
        self.init(uncheckedDaysSinceEpoch: days)
    }

    init(uncheckedYear year: Int, month: Int, day: Int) {
        assert(CivilCalendar.supportedYears.contains(year) && (1...12).contains(month))
        assert((1...CivilCalendar.daysInMonth(year: Int64(year), month: month)).contains(day))
        self.year = year
        self.month = month
        self.day = day
    }

    init(uncheckedDaysSinceEpoch days: Int64) {
        let civil = CivilCalendar.civil(daysSinceEpoch: days)
        self.init(uncheckedYear: Int(civil.year), month: civil.month, day: civil.day)
    }

    static let supportedDaysSinceEpoch: ClosedRange<Int64> = minimum.daysSinceEpoch...maximum.daysSinceEpoch

    /// Days from 1970-01-01 to this date; negative before it.
    public var daysSinceEpoch: Int64 {
        CivilCalendar.daysSinceEpoch(year: Int64(year), month: month, day: day)
    }

    /// The day of the week.
    public var weekday: Weekday {
        Weekday(fromSunday: CivilCalendar.weekdayFromSunday(daysSinceEpoch: daysSinceEpoch))
    }

    /// Whether this date's year has a February 29 (divisible by 4, except centuries not divisible by 400).
    public var isLeapYear: Bool {
        CivilCalendar.isLeapYear(Int64(year))
    }

    /// The number of days in this date's month, 28...31.
    public var daysInMonth: Int {
        CivilCalendar.daysInMonth(year: Int64(year), month: month)
    }

    /// The first day of this date's month.
    public var firstDayOfMonth: LocalDate {
        LocalDate(uncheckedYear: year, month: month, day: 1)
    }

    /// The last day of this date's month.
    public var lastDayOfMonth: LocalDate {
        LocalDate(uncheckedYear: year, month: month, day: daysInMonth)
    }

    /// 1 for January 1 up to 365 or 366 for December 31.
    public var dayOfYear: Int {
        Int(daysSinceEpoch - LocalDate(uncheckedYear: year, month: 1, day: 1).daysSinceEpoch) + 1
    }
}

// MARK: - Arithmetic

extension LocalDate {
    /// The date `days` days later (earlier if negative); throws `TimeError.overflow` outside years 1...9999.
    public func adding(days: Int) throws(TimeError) -> LocalDate {
        let (result, overflow) = daysSinceEpoch.addingReportingOverflow(Int64(days))
        guard !overflow, Self.supportedDaysSinceEpoch.contains(result) else {
            throw .overflow(operation: "\(self) + \(days) days")
        }
        return LocalDate(uncheckedDaysSinceEpoch: result)
    }

    /// The date `months` months later (earlier if negative), with the day clamped to the last day of the target
    /// month: Jan 31 + 1 month = Feb 28 (Feb 29 in a leap year), Mar 31 − 1 month = Feb 28/29.
    ///
    /// For a schedule, compute the k-th date as `anchor.adding(months: k)` rather than adding one month k times,
    /// because clamping is not reversible (Jan 31 → Feb 28 → Mar 31, not Mar 28).
    public func adding(months: Int) throws(TimeError) -> LocalDate {
        let monthIndex = Int64(year) * 12 + Int64(month - 1)
        let (target, overflow) = monthIndex.addingReportingOverflow(Int64(months))
        let targetYear = CivilCalendar.floorDivide(target, 12)
        guard !overflow, CivilCalendar.supportedYears.contains(Int(clamping: targetYear)) else {
            throw .overflow(operation: "\(self) + \(months) months")
        }
        let targetMonth = Int(CivilCalendar.floorModulo(target, 12)) + 1
        let targetDay = min(day, CivilCalendar.daysInMonth(year: targetYear, month: targetMonth))
        return LocalDate(uncheckedYear: Int(targetYear), month: targetMonth, day: targetDay)
    }

    /// The date `years` years later (earlier if negative), clamping Feb 29 to Feb 28 in a common year.
    public func adding(years: Int) throws(TimeError) -> LocalDate {
        let (months, overflow) = years.multipliedReportingOverflow(by: 12)
        guard !overflow else { throw .overflow(operation: "\(self) + \(years) years") }
        do {
            return try adding(months: months)
        } catch {
            throw .overflow(operation: "\(self) + \(years) years")
        }
    }

    /// The signed number of days from this date to `other`: positive when `other` is later.
    public func days(until other: LocalDate) -> Int {
        Int(other.daysSinceEpoch - daysSinceEpoch)
    }
}

// MARK: - Conformances

extension LocalDate: Comparable {
    public static func < (lhs: LocalDate, rhs: LocalDate) -> Bool {
        (lhs.year, lhs.month, lhs.day) < (rhs.year, rhs.month, rhs.day)
    }
}

extension LocalDate: CustomStringConvertible {
    /// The ISO 8601 form, "2026-11-24".
    public var description: String {
        ISO8601Text.text(capacity: 10) { appendISO8601(to: &$0) }
    }

    /// Appends `description`'s bytes.
    func appendISO8601(to bytes: inout [UInt8]) {
        ISO8601Text.appendFields(Int64(year), width: 4, Int64(month), Int64(day), separator: UInt8(ascii: "-"), to: &bytes)
    }
}

extension LocalDate: ISO8601Codable {}
