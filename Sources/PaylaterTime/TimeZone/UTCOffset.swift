/// The difference between local wall-clock time and UTC, in seconds east of Greenwich (+08:00 for Shanghai,
/// −04:00 for New York in summer).
public struct UTCOffset: Hashable, Sendable {
    /// Seconds east of UTC, within ±25:59:59 (the TZif limit).
    public let seconds: Int32

    /// The largest magnitude an offset may have, 25:59:59.
    public static let magnitudeMaximumSeconds: Int32 = 93_599

    /// +00:00.
    public static let zero = UTCOffset(seconds: 0)

    /// Precondition: |seconds| ≤ 93,599 (25:59:59).
    public init(seconds: Int32) {
        precondition(seconds.magnitude <= Self.magnitudeMaximumSeconds, "UTC offset \(seconds) s is out of range")
        self.seconds = seconds
    }
}

extension UTCOffset: Comparable {
    public static func < (lhs: UTCOffset, rhs: UTCOffset) -> Bool {
        lhs.seconds < rhs.seconds
    }
}

extension UTCOffset: CustomStringConvertible {
    /// "+08:00", "-04:00", "+05:30"; seconds are shown only when not zero ("-00:01:15" for Dublin Mean Time).
    public var description: String {
        let magnitude = Int64(seconds.magnitude)
        let hoursAndMinutes = ISO8601Text.padded(magnitude / 3600, width: 2) + ":"
            + ISO8601Text.padded(magnitude / 60 % 60, width: 2)
        let secondsPart = magnitude % 60 == 0 ? "" : ":" + ISO8601Text.padded(magnitude % 60, width: 2)
        return (seconds < 0 ? "-" : "+") + hoursAndMinutes + secondsPart
    }
}

/// One of a zone's kinds of local time: its offset, whether it counts as daylight-saving time, and its
/// abbreviation ("EST", "EDT", "+0530"). A TZif file lists these; a POSIX TZ rule has one or two.
struct LocalTimeType: Hashable, Sendable {
    var offset: UTCOffset
    var isDaylightSavingTime: Bool
    var abbreviation: String
}
