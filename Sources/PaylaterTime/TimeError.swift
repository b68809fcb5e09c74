/// Everything that can go wrong when building dates, times and instants or loading time-zone rules.
///
/// Each case carries the offending text or fields so that its `description` explains the problem in one sentence.
public enum TimeError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The text forms this module parses, named in `malformed` errors.
    public enum TextFormat: String, Sendable, CaseIterable {
        case date = "an ISO 8601 date (YYYY-MM-DD, e.g. 2026-11-24)"
        case time = "an ISO 8601 time (HH:MM:SS with an optional fraction, e.g. 08:00:00)"
        case dateTime = "an ISO 8601 local date-time (YYYY-MM-DDTHH:MM:SS, e.g. 2026-11-24T08:00:00)"
        case instant = "an RFC 3339 timestamp with Z or an offset (e.g. 2026-11-24T08:00:00Z)"
    }

    /// The text does not have the expected shape (wrong length, separators or digits, or trailing characters).
    case malformed(TextFormat, text: String)
    /// The fields are well-formed numbers but name no day of the proleptic Gregorian calendar in years 1...9999.
    case invalidDate(year: Int, month: Int, day: Int)
    /// The fields name no time of day (hour 0...23, minute 0...59, second 0...59, nanosecond 0...999_999_999).
    case invalidTime(hour: Int, minute: Int, second: Int, nanosecond: Int)
    /// A computation left the supported range; `operation` says which one, e.g. "2026-11-24 + 3000000 days".
    case overflow(operation: String)
    /// No tzdata file exists for the identifier.
    case unknownTimeZone(identifier: String)
    /// The identifier was rejected before touching the file system (empty, too long, "..", a leading "/", or a
    /// character outside A-Z a-z 0-9 / _ + -).
    case invalidTimeZoneIdentifier(String)
    /// The tzdata file exists but could not be read; `errno` is the C library's error number.
    case unreadableTimeZoneFile(identifier: String, path: String, errno: Int32)
    /// The bytes are not a TZif file this module accepts; `reason` names the broken rule.
    case malformedTZif(identifier: String, reason: String)
    /// A POSIX TZ string (the TZif footer, e.g. "EST5EDT,M3.2.0,M11.1.0") could not be parsed.
    case malformedPosixTimeZone(text: String, reason: String)

    public var description: String {
        switch self {
        case let .malformed(format, text):
            return "\(Self.quoted(text)) is not \(format.rawValue)."
        case let .invalidDate(year, month, day):
            return Self.describeInvalidDate(year: year, month: month, day: day)
        case let .invalidTime(hour, minute, second, nanosecond):
            return "hour \(hour), minute \(minute), second \(second), nanosecond \(nanosecond) is not a time of day: "
                + "hours run 0-23, minutes and seconds 0-59 (there are no leap seconds), nanoseconds 0-999999999."
        case let .overflow(operation):
            return "\(operation) is outside the supported range."
        case let .unknownTimeZone(identifier):
            return "There is no time zone named \(Self.quoted(identifier)) in the tzdata database."
        case let .invalidTimeZoneIdentifier(identifier):
            return "\(Self.quoted(identifier)) is not a valid time zone identifier: use an IANA name such as "
                + "America/New_York (letters, digits, '/', '_', '+', '-'; no '..' or leading '/')."
        case let .unreadableTimeZoneFile(identifier, path, errno):
            return "The tzdata file for \(Self.quoted(identifier)) at \(path) could not be read (errno \(errno))."
        case let .malformedTZif(identifier, reason):
            return "The tzdata file for \(Self.quoted(identifier)) is not a valid TZif file: \(reason)."
        case let .malformedPosixTimeZone(text, reason):
            return "\(Self.quoted(text)) is not a valid POSIX TZ rule: \(reason)."
        }
    }

    private static func describeInvalidDate(year: Int, month: Int, day: Int) -> String {
        let fields = "year \(year), month \(month), day \(day)"
        guard CivilCalendar.supportedYears.contains(year) else {
            return "\(fields) is not a date: years run from 1 to 9999."
        }
        guard (1...12).contains(month) else {
            return "\(fields) is not a date: months run from 1 to 12."
        }
        let length = CivilCalendar.daysInMonth(year: Int64(year), month: month)
        return "\(fields) is not a date: month \(month) of \(year) has \(length) days."
    }

    /// The longest text an error repeats back, so that a huge hostile input does not become a huge log line.
    static let quotedCharacterCountMaximum = 64

    /// Shortens `text` to at most `quotedCharacterCountMaximum` characters, marking the cut with "…".
    static func clipped(_ text: String) -> String {
        guard text.count > quotedCharacterCountMaximum else { return text }
        return String(text.prefix(quotedCharacterCountMaximum)) + "…"
    }

    private static func quoted(_ text: String) -> String {
        "\"\(text)\""
    }
}
