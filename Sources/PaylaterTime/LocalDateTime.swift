/// A date and a wall-clock time with no time zone, such as "2026-11-24T08:00:00".
///
/// It names a moment only together with a time zone: see `TimeZoneRules.resolve(_:)` and `Instant(utc:)`.
public struct LocalDateTime: Hashable, Sendable {
    /// The calendar date.
    public let date: LocalDate
    /// The wall-clock time on `date`.
    public let time: LocalTime

    /// The date-time of `time` on `date`.
    public init(date: LocalDate, time: LocalTime) {
        self.date = date
        self.time = time
    }

    /// The date-time with these fields; throws `TimeError.invalidDate` or `TimeError.invalidTime`.
    public init(
        year: Int, month: Int, day: Int, hour: Int = 0, minute: Int = 0, second: Int = 0, nanosecond: Int = 0
    ) throws(TimeError) {
        let date = try LocalDate(year: year, month: month, day: day)
        let time = try LocalTime(hour: hour, minute: minute, second: second, nanosecond: nanosecond)
        self.init(date: date, time: time)
    }

    /// Parses exactly "YYYY-MM-DDTHH:MM:SS" with an optional "." and 1 to 9 fractional digits, and no offset.
    public init(iso8601 text: String) throws(TimeError) {
        var scanner = ASCIIScanner(text)
        guard scanner.byteCount <= ISO8601Text.byteCountMaximum, let dateFields = ISO8601Text.scanDate(&scanner),
            ISO8601Text.scanDateTimeSeparator(&scanner), let timeFields = ISO8601Text.scanTime(&scanner),
            scanner.isAtEnd
        else { throw .malformed(.dateTime, text: TimeError.clipped(text)) }
        try self.init(
            year: dateFields.year, month: dateFields.month, day: dateFields.day, hour: timeFields.hour,
            minute: timeFields.minute, second: timeFields.second, nanosecond: timeFields.nanosecond
        )
    }

    /// Seconds from 1970-01-01T00:00:00 to this date-time, counting the wall clock as if it were UTC (floor).
    /// Never overflows: years 1...9999 span about ±2.5 × 10¹¹ seconds.
    var secondsSinceEpochAsUTC: Int64 {
        date.daysSinceEpoch * CivilCalendar.secondsPerDay + time.secondsSinceMidnight
    }

    /// The date-time `seconds` seconds after 1970-01-01T00:00:00 on a wall clock counted as UTC, with
    /// `nanosecond` added; the caller guarantees the result lies in years 1...9999.
    init(uncheckedSecondsSinceEpochAsUTC seconds: Int64, nanosecond: Int64) {
        let days = CivilCalendar.floorDivide(seconds, CivilCalendar.secondsPerDay)
        let secondOfDay = CivilCalendar.floorModulo(seconds, CivilCalendar.secondsPerDay)
        let time = LocalTime(
            uncheckedNanosecondsSinceMidnight: secondOfDay * CivilCalendar.nanosecondsPerSecond + nanosecond
        )
        self.init(date: LocalDate(uncheckedDaysSinceEpoch: days), time: time)
    }
}

extension LocalDateTime: Comparable {
    public static func < (lhs: LocalDateTime, rhs: LocalDateTime) -> Bool {
        (lhs.date, lhs.time) < (rhs.date, rhs.time)
    }
}

extension LocalDateTime: CustomStringConvertible {
    /// "2026-11-24T08:00:00", with a fraction of 3, 6 or 9 digits only when it is not zero.
    public var description: String {
        ISO8601Text.text(capacity: 29) { appendISO8601(to: &$0) }
    }

    /// Appends `description`'s bytes.
    func appendISO8601(to bytes: inout [UInt8]) {
        date.appendISO8601(to: &bytes)
        bytes.append(UInt8(ascii: "T"))
        time.appendISO8601(to: &bytes)
    }
}

extension LocalDateTime: ISO8601Codable {}
