/// A wall-clock time of day with nanosecond precision and no time zone, from 00:00:00 to 23:59:59.999999999.
///
/// There are no leap seconds: like POSIX time, every day has exactly 86,400 seconds.
public struct LocalTime: Hashable, Sendable {
    /// Nanoseconds since midnight, 0..<86_400_000_000_000.
    public let nanosecondsSinceMidnight: Int64

    /// 00:00:00.
    public static let midnight = LocalTime(uncheckedNanosecondsSinceMidnight: 0)

    /// The time with these fields; throws `TimeError.invalidTime` unless hour is 0...23, minute and second
    /// 0...59, and nanosecond 0...999_999_999.
    public init(hour: Int, minute: Int, second: Int = 0, nanosecond: Int = 0) throws(TimeError) {
        guard (0...23).contains(hour), (0...59).contains(minute), (0...59).contains(second),
            (0...999_999_999).contains(nanosecond)
        else { throw .invalidTime(hour: hour, minute: minute, second: second, nanosecond: nanosecond) }
        let seconds = Int64(hour * 3600 + minute * 60 + second)
        self.init(uncheckedNanosecondsSinceMidnight: seconds * CivilCalendar.nanosecondsPerSecond + Int64(nanosecond))
    }

    /// Parses exactly "HH:MM:SS" with an optional "." and 1 to 9 fractional digits.
    public init(iso8601 text: String) throws(TimeError) {
        var scanner = ASCIIScanner(text)
        guard scanner.byteCount <= ISO8601Text.byteCountMaximum, let fields = ISO8601Text.scanTime(&scanner),
            scanner.isAtEnd
        else { throw .malformed(.time, text: TimeError.clipped(text)) }
        try self.init(hour: fields.hour, minute: fields.minute, second: fields.second, nanosecond: fields.nanosecond)
    }

    init(uncheckedNanosecondsSinceMidnight nanoseconds: Int64) {
        assert((0..<CivilCalendar.nanosecondsPerDay).contains(nanoseconds))
        nanosecondsSinceMidnight = nanoseconds
    }

    /// 0...23.
    public var hour: Int { Int(secondsSinceMidnight / 3600) }
    /// 0...59.
    public var minute: Int { Int(secondsSinceMidnight / 60 % 60) }
    /// 0...59.
    public var second: Int { Int(secondsSinceMidnight % 60) }
    /// 0...999_999_999.
    public var nanosecond: Int { Int(nanosecondsSinceMidnight % CivilCalendar.nanosecondsPerSecond) }

    /// Whole seconds since midnight, 0..<86_400.
    public var secondsSinceMidnight: Int64 {
        nanosecondsSinceMidnight / CivilCalendar.nanosecondsPerSecond
    }
}

extension LocalTime: Comparable {
    public static func < (lhs: LocalTime, rhs: LocalTime) -> Bool {
        lhs.nanosecondsSinceMidnight < rhs.nanosecondsSinceMidnight
    }
}

extension LocalTime: CustomStringConvertible {
    /// "08:00:00", with a fraction of 3, 6 or 9 digits only when it is not zero ("08:00:00.250").
    public var description: String {
        ISO8601Text.text(capacity: 18) { appendISO8601(to: &$0) }
    }

    /// Appends `description`'s bytes.
    func appendISO8601(to bytes: inout [UInt8]) {
        ISO8601Text.appendFields(Int64(hour), width: 2, Int64(minute), Int64(second), separator: UInt8(ascii: ":"), to: &bytes)
        ISO8601Text.appendFraction(nanosecond: nanosecond, to: &bytes)
    }
}

extension LocalTime: ISO8601Codable {}
