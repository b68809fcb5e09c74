/// A point on the UTC time line, counted in nanoseconds since 1970-01-01T00:00:00Z without leap seconds.
///
/// The range is that of `Int64` nanoseconds: 1677-09-21T00:12:43.145224192Z ... 2262-04-11T23:47:16.854775807Z.
/// Operations that could leave it come in pairs: a throwing one (`adding(_:)`, `init(validatingUTC:)`) for values
/// from outside, and a non-throwing one (`advanced(by:)`, `init(utc:)`) that stops the process with a precondition
/// failure on overflow, for values the program computed itself.
public struct Instant: Hashable, Sendable {
    /// Nanoseconds since 1970-01-01T00:00:00Z; negative before it.
    public let nanosecondsSinceUnixEpoch: Int64

    /// 1970-01-01T00:00:00Z.
    public static let unixEpoch = Instant(nanosecondsSinceUnixEpoch: 0)
    /// The earliest representable instant, 1677-09-21T00:12:43.145224192Z.
    public static let minimum = Instant(nanosecondsSinceUnixEpoch: .min)
    /// The latest representable instant, 2262-04-11T23:47:16.854775807Z.
    public static let maximum = Instant(nanosecondsSinceUnixEpoch: .max)
    /// Local dates whose every wall-clock time converts to an `Instant` in any time zone (offsets are within
    /// ±26 hours): 1678-01-01...2261-12-31. Check untrusted dates against this before calling the non-throwing
    /// conversions, or use the `validating` variants.
    public static let supportedLocalDates: ClosedRange<LocalDate> =
        LocalDate(uncheckedYear: 1678, month: 1, day: 1)...LocalDate(uncheckedYear: 2261, month: 12, day: 31)

    /// The instant `nanosecondsSinceUnixEpoch` nanoseconds after 1970-01-01T00:00:00Z; every `Int64` is valid.
    public init(nanosecondsSinceUnixEpoch: Int64) {
        self.nanosecondsSinceUnixEpoch = nanosecondsSinceUnixEpoch
    }

    /// The instant `seconds` whole seconds after the epoch. Precondition: the result is representable
    /// (|seconds| ≤ 9,223,372,036).
    public init(secondsSinceUnixEpoch seconds: Int64) {
        let (nanoseconds, overflow) = seconds.multipliedReportingOverflow(by: CivilCalendar.nanosecondsPerSecond)
        precondition(!overflow, "Instant(secondsSinceUnixEpoch: \(seconds)) is outside the representable range")
        self.init(nanosecondsSinceUnixEpoch: nanoseconds)
    }

    /// Whole seconds since the epoch, rounded toward negative infinity (so the fraction is always non-negative).
    public var secondsSinceUnixEpoch: Int64 {
        CivilCalendar.floorDivide(nanosecondsSinceUnixEpoch, CivilCalendar.nanosecondsPerSecond)
    }

    /// The non-negative nanoseconds past `secondsSinceUnixEpoch`, 0...999_999_999.
    public var nanosecondOfSecond: Int64 {
        CivilCalendar.floorModulo(nanosecondsSinceUnixEpoch, CivilCalendar.nanosecondsPerSecond)
    }

    /// `seconds` seconds plus `nanosecond` nanoseconds after the epoch, or nil when not representable.
    init?(secondsSinceUnixEpoch seconds: Int64, nanosecond: Int64) {
        let total = Int128(seconds) * Int128(CivilCalendar.nanosecondsPerSecond) + Int128(nanosecond)
        guard let nanoseconds = Int64(exactly: total) else { return nil }
        self.init(nanosecondsSinceUnixEpoch: nanoseconds)
    }
}

// MARK: - Arithmetic

extension Instant {
    /// The instant `duration` later (earlier if negative); throws `TimeError.overflow` if it is not representable.
    /// Sub-nanosecond parts of the duration are truncated toward zero.
    public func adding(_ duration: Duration) throws(TimeError) -> Instant {
        let total = Int128(nanosecondsSinceUnixEpoch) + Self.nanoseconds(of: duration)
        guard let nanoseconds = Int64(exactly: total) else {
            throw .overflow(operation: "\(self) + \(duration)")
        }
        return Instant(nanosecondsSinceUnixEpoch: nanoseconds)
    }

    /// The instant `duration` later (earlier if negative). Precondition: the result is representable; use
    /// `adding(_:)` for durations from outside the program.
    public func advanced(by duration: Duration) -> Instant {
        do {
            return try adding(duration)
        } catch {
            preconditionFailure(error.description)
        }
    }

    /// The signed duration from this instant to `other`: positive when `other` is later. Never overflows.
    public func duration(to other: Instant) -> Duration {
        let nanoseconds = Int128(other.nanosecondsSinceUnixEpoch) - Int128(nanosecondsSinceUnixEpoch)
        return Duration(attoseconds: nanoseconds * 1_000_000_000)
    }

    /// `duration` in whole nanoseconds, truncated toward zero.
    static func nanoseconds(of duration: Duration) -> Int128 {
        duration.attoseconds / 1_000_000_000
    }
}

// MARK: - UTC calendar

extension Instant {
    /// The UTC wall-clock date and time of this instant.
    public var utcDateTime: LocalDateTime {
        LocalDateTime(uncheckedSecondsSinceEpochAsUTC: secondsSinceUnixEpoch, nanosecond: nanosecondOfSecond)
    }

    /// The instant whose UTC wall clock reads `utc`. Precondition: it is representable (any date in
    /// `Instant.supportedLocalDates` is); use `init(validatingUTC:)` for dates from outside the program.
    public init(utc: LocalDateTime) {
        do {
            try self.init(validatingUTC: utc)
        } catch {
            preconditionFailure(error.description)
        }
    }

    /// The instant whose UTC wall clock reads `utc`; throws `TimeError.overflow` if it is not representable.
    public init(validatingUTC utc: LocalDateTime) throws(TimeError) {
        guard let instant = Instant(
            secondsSinceUnixEpoch: utc.secondsSinceEpochAsUTC, nanosecond: Int64(utc.time.nanosecond)
        ) else { throw .overflow(operation: "The instant \(utc)Z") }
        self = instant
    }
}

// MARK: - Conformances

extension Instant: Comparable {
    public static func < (lhs: Instant, rhs: Instant) -> Bool {
        lhs.nanosecondsSinceUnixEpoch < rhs.nanosecondsSinceUnixEpoch
    }
}

extension Instant: CustomStringConvertible {
    /// RFC 3339 in UTC, "2026-11-24T08:00:00Z", with a fraction of 3, 6 or 9 digits only when it is not zero.
    public var description: String {
        ISO8601Text.text(capacity: 30) { appendDescription(to: &$0) }
    }

    /// Appends `description`'s bytes (ASCII digits, `-`, `:`, `T`, `.` and `Z`) without making the string: the
    /// canonical JSON of every authorization holds a dozen instants.
    public func appendDescription(to bytes: inout [UInt8]) {
        utcDateTime.appendISO8601(to: &bytes)
        bytes.append(UInt8(ascii: "Z"))
    }
}

extension Instant {
    /// Parses an RFC 3339 timestamp: "YYYY-MM-DDTHH:MM:SS", an optional "." and 1 to 9 fractional digits, then
    /// "Z" or "±hh:mm". Lower-case "t" and "z" are accepted as RFC 3339 allows; leap seconds (":60") are not.
    public init(iso8601 text: String) throws(TimeError) {
        var scanner = ASCIIScanner(text)
        guard scanner.byteCount <= ISO8601Text.byteCountMaximum, let dateFields = ISO8601Text.scanDate(&scanner),
            ISO8601Text.scanDateTimeSeparator(&scanner), let timeFields = ISO8601Text.scanTime(&scanner),
            let offsetSeconds = ISO8601Text.scanOffset(&scanner), scanner.isAtEnd
        else { throw .malformed(.instant, text: TimeError.clipped(text)) }
        let local = try LocalDateTime(
            year: dateFields.year, month: dateFields.month, day: dateFields.day, hour: timeFields.hour,
            minute: timeFields.minute, second: timeFields.second, nanosecond: timeFields.nanosecond
        )
        guard let instant = Instant(
            secondsSinceUnixEpoch: local.secondsSinceEpochAsUTC - offsetSeconds,
            nanosecond: Int64(timeFields.nanosecond)
        ) else { throw .overflow(operation: "The instant \(TimeError.clipped(text))") }
        self = instant
    }
}

extension Instant: ISO8601Codable {}
