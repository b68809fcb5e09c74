/// A POSIX TZ rule such as "EST5EDT,M3.2.0,M11.1.0", the footer of a TZif file that governs every instant after
/// the file's last listed transition.
///
/// Grammar (POSIX.1-2017 §8.3 with the RFC 8536 §3.3.1 extensions):
/// `std offset [dst [offset] [,start[/time],end[/time]]]`, where names are three or more letters or `<...>`
/// quoted with letters, digits, '+' and '-'; offsets are `[+-]hh[:mm[:ss]]` counted west of Greenwich (so "EST5"
/// is UTC−5); dates are `Jn` (1...365, Feb 29 never counted), `n` (0...365, Feb 29 counted) or `Mm.w.d` (day d,
/// 0 = Sunday, of week w, 5 = last, of month m); and times are `[+-]hh[:mm[:ss]]` with hours up to 167, default
/// 02:00:00. A missing rule after a DST name means the US rule "M3.2.0,M11.1.0", as glibc does.
struct PosixTimeZone: Hashable, Sendable {
    var standard: LocalTimeType
    var daylightSaving: DaylightSaving?

    /// The daylight-saving half of a rule: its local time type and when it starts and ends each year.
    struct DaylightSaving: Hashable, Sendable {
        var type: LocalTimeType
        /// When DST starts, on the standard-time wall clock.
        var start: TransitionRule
        /// When DST ends, on the daylight-time wall clock.
        var end: TransitionRule
    }

    /// A yearly transition: a day rule and a wall-clock time on that day, which may be negative or past 24:00.
    struct TransitionRule: Hashable, Sendable {
        var day: DayRule
        var secondsAfterMidnight: Int32
    }

    /// The three POSIX ways to name a day of the year.
    enum DayRule: Hashable, Sendable {
        /// `Jn`: day n of 1...365, where February 29 is never counted (J60 is always March 1).
        case julianIgnoringLeapDay(Int)
        /// `n`: day n of 0...365, where February 29 is counted in leap years.
        case zeroBasedDayOfYear(Int)
        /// `Mm.w.d`: weekday d (0 = Sunday) of week w (1...4, or 5 for the last) of month m.
        case monthWeekDay(month: Int, week: Int, weekdayFromSunday: Int)
    }

    /// The longest TZ string accepted; real footers are under 60 characters.
    static let byteCountMaximum = 255

    /// Parses a TZ string; throws `TimeError.malformedPosixTimeZone` naming the first problem.
    init(parsing text: String) throws(TimeError) {
        var parser = PosixTimeZoneParser(text)
        self = try parser.parseAll()
    }

    init(standard: LocalTimeType, daylightSaving: DaylightSaving?) {
        self.standard = standard
        self.daylightSaving = daylightSaving
    }
}

// MARK: - Evaluation

extension PosixTimeZone {
    /// A change of local time type at `secondsSinceEpoch` (UTC).
    struct Transition: Hashable, Sendable {
        var secondsSinceEpoch: Int64
        var type: LocalTimeType
    }

    /// The local time type in effect at `seconds` since the epoch (UTC).
    func type(atSecond seconds: Int64) -> LocalTimeType {
        guard daylightSaving != nil else { return standard }
        let localDay = CivilCalendar.floorDivide(seconds + Int64(standard.offset.seconds), CivilCalendar.secondsPerDay)
        let year = CivilCalendar.year(daysSinceEpoch: localDay)
        // The latest transition at or before `seconds`; on a tie the later-generated one wins, so that a DST start
        // on January 1 beats the previous year's end at the same instant (all-year DST).
        var latest: Transition?
        for transition in transitions(years: (year - 1)...(year + 1)) where transition.secondsSinceEpoch <= seconds {
            if let current = latest, current.secondsSinceEpoch > transition.secondsSinceEpoch { continue }
            latest = transition
        }
        return latest?.type ?? standard
    }

    /// The DST start and end of each year in `years`, in generation order (start then end, year by year); empty
    /// when the rule has no DST.
    func transitions(years: ClosedRange<Int64>) -> [Transition] {
        guard let daylightSaving else { return [] }
        var result: [Transition] = []
        result.reserveCapacity(years.count * 2)
        for year in years {
            let start = Self.secondsSinceEpoch(
                of: daylightSaving.start, year: year, wallClockOffset: standard.offset
            )
            let end = Self.secondsSinceEpoch(
                of: daylightSaving.end, year: year, wallClockOffset: daylightSaving.type.offset
            )
            result.append(Transition(secondsSinceEpoch: start, type: daylightSaving.type))
            result.append(Transition(secondsSinceEpoch: end, type: standard))
        }
        return result
    }

    /// The UTC second of `rule` in `year`, whose time is read on a wall clock running at `wallClockOffset`.
    static func secondsSinceEpoch(of rule: TransitionRule, year: Int64, wallClockOffset: UTCOffset) -> Int64 {
        let day = daysSinceEpoch(of: rule.day, year: year)
        return day * CivilCalendar.secondsPerDay + Int64(rule.secondsAfterMidnight) - Int64(wallClockOffset.seconds)
    }

    /// The day (since 1970-01-01) that `rule` names in `year`.
    static func daysSinceEpoch(of rule: DayRule, year: Int64) -> Int64 {
        let januaryFirst = CivilCalendar.daysSinceEpoch(year: year, month: 1, day: 1)
        switch rule {
        case let .julianIgnoringLeapDay(day):
            let skipsLeapDay = CivilCalendar.isLeapYear(year) && day >= 60
            return januaryFirst + Int64(day - 1) + (skipsLeapDay ? 1 : 0)
        case let .zeroBasedDayOfYear(day):
            return januaryFirst + Int64(day)
        case let .monthWeekDay(month, week, weekday):
            let firstOfMonth = CivilCalendar.daysSinceEpoch(year: year, month: month, day: 1)
            let firstWeekday = CivilCalendar.weekdayFromSunday(daysSinceEpoch: firstOfMonth)
            let firstMatch = firstOfMonth + Int64((weekday - firstWeekday + 7) % 7)
            let candidate = firstMatch + Int64(week - 1) * 7
            let monthLength = Int64(CivilCalendar.daysInMonth(year: year, month: month))
            return candidate < firstOfMonth + monthLength ? candidate : candidate - 7
        }
    }
}
