/// The rules of one IANA time zone: which UTC offset applies at every instant, and how wall-clock times map back
/// to instants across DST gaps and overlaps.
///
/// Built from the bytes of a TZif file (see `TimeZoneDatabase` to load them) or from a POSIX TZ string. Instants
/// after the file's last listed transition follow its POSIX footer rule, so far-future dates are right.
public struct TimeZoneRules: Hashable, Sendable {
    /// The IANA name, e.g. "America/New_York".
    public let identifier: String
    let file: TZifFile

    /// Coordinated Universal Time: offset +00:00 at every instant. Built in; needs no tzdata file.
    public static let utc = TimeZoneRules(
        identifier: "UTC",
        file: TZifFile(
            transitionTimes: [], transitionTypes: [],
            initialType: LocalTimeType(offset: .zero, isDaylightSavingTime: false, abbreviation: "UTC"),
            footer: nil
        )
    )

    /// Parses the bytes of a TZif file (version 2 or later); throws `TimeError.malformedTZif`.
    public init(identifier: String, tzif bytes: [UInt8]) throws(TimeError) {
        self.init(identifier: identifier, file: try TZifFile(parsing: bytes, identifier: identifier))
    }

    /// Rules from a POSIX TZ string alone, such as "EST5EDT,M3.2.0,M11.1.0" or "<+0530>-5:30", applied to every
    /// instant; throws `TimeError.malformedPosixTimeZone`. Useful for tests and for zones without a tzdata file.
    public init(identifier: String, posixTZ rule: String) throws(TimeError) {
        let posix = try PosixTimeZone(parsing: rule)
        let file = TZifFile(transitionTimes: [], transitionTypes: [], initialType: posix.standard, footer: posix)
        self.init(identifier: identifier, file: file)
    }

    init(identifier: String, file: TZifFile) {
        self.identifier = identifier
        self.file = file
    }
}

// MARK: - Instant to local

extension TimeZoneRules {
    /// The UTC offset in effect at `instant`.
    public func offset(at instant: Instant) -> UTCOffset {
        localTimeType(atSecond: instant.secondsSinceUnixEpoch).offset
    }

    /// The abbreviation in effect at `instant`, e.g. "EST", "EDT" or "+0530". For display only: abbreviations are
    /// ambiguous (CST is both China and US Central).
    public func abbreviation(at instant: Instant) -> String {
        localTimeType(atSecond: instant.secondsSinceUnixEpoch).abbreviation
    }

    /// Whether the local time in effect at `instant` is flagged as daylight-saving time.
    public func isDaylightSavingTime(at instant: Instant) -> Bool {
        localTimeType(atSecond: instant.secondsSinceUnixEpoch).isDaylightSavingTime
    }

    /// The wall-clock date and time in this zone at `instant`.
    public func localDateTime(at instant: Instant) -> LocalDateTime {
        let seconds = instant.secondsSinceUnixEpoch + Int64(offset(at: instant).seconds)
        return LocalDateTime(uncheckedSecondsSinceEpochAsUTC: seconds, nanosecond: instant.nanosecondOfSecond)
    }

    /// The calendar date in this zone at `instant`: the consumer's "today" when `instant` is now.
    public func localDate(at instant: Instant) -> LocalDate {
        localDateTime(at: instant).date
    }

    /// The local time type at `seconds` since the epoch: type 0 before the first transition, the listed type up to
    /// the last transition, and the footer rule from the last transition on.
    func localTimeType(atSecond seconds: Int64) -> LocalTimeType {
        let times = file.transitionTimes
        guard let first = times.first, let last = times.last else {
            return file.footer?.type(atSecond: seconds) ?? file.initialType
        }
        if seconds < first { return file.initialType }
        if seconds >= last, let footer = file.footer { return footer.type(atSecond: seconds) }
        return file.transitionTypes[Self.lastIndex(in: times, atOrBefore: seconds)]
    }

    func offsetSeconds(atSecond seconds: Int64) -> Int64 {
        Int64(localTimeType(atSecond: seconds).offset.seconds)
    }

    /// The index of the last element of the sorted `times` that is ≤ `seconds`. Precondition: `times[0] <= seconds`.
    static func lastIndex(in times: [Int64], atOrBefore seconds: Int64) -> Int {
        precondition(!times.isEmpty && times[0] <= seconds)
        var low = 0
        var high = times.count - 1
        while low < high {
            let middle = low + (high - low + 1) / 2
            if times[middle] <= seconds { low = middle } else { high = middle - 1 }
        }
        return low
    }

    /// Every instant (in seconds since the epoch) in `window` at which the local time type may change: the listed
    /// transitions, then the footer's yearly transitions after the last listed one.
    func transitionTimes(in window: ClosedRange<Int64>) -> [Int64] {
        let times = file.transitionTimes
        var result: [Int64] = []
        if let first = times.first, first <= window.upperBound {
            var index = first >= window.lowerBound ? 0 : Self.lastIndex(in: times, atOrBefore: window.lowerBound)
            while index < times.count, times[index] <= window.upperBound {
                if times[index] >= window.lowerBound { result.append(times[index]) }
                index += 1
            }
        }
        let lastListed = times.last ?? .min
        guard let footer = file.footer, window.upperBound > lastListed else { return result }
        let firstYear = CivilCalendar.year(daysSinceEpoch: window.lowerBound / CivilCalendar.secondsPerDay) - 1
        let lastYear = CivilCalendar.year(daysSinceEpoch: window.upperBound / CivilCalendar.secondsPerDay) + 1
        for transition in footer.transitions(years: firstYear...lastYear) {
            let time = transition.secondsSinceEpoch
            if time > lastListed, window.contains(time), !result.contains(time) { result.append(time) }
        }
        return result.sorted()
    }
}
