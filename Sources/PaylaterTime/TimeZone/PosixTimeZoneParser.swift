/// A recursive-descent reader for the POSIX TZ grammar documented on `PosixTimeZone`.
struct PosixTimeZoneParser {
    private let text: String
    private let bytes: [UInt8]
    private var position = 0

    /// Hours allowed in a UTC offset ("EST5"): POSIX allows 0...24.
    private static let offsetHoursMaximum = 24
    /// Hours allowed in a transition time ("/167"): RFC 8536 extends POSIX's 0...24 to −167...167.
    private static let transitionHoursMaximum = 167
    private static let defaultTransitionSeconds: Int32 = 2 * 3600
    private static let usDefaultRule = (
        start: PosixTimeZone.TransitionRule(
            day: .monthWeekDay(month: 3, week: 2, weekdayFromSunday: 0), secondsAfterMidnight: defaultTransitionSeconds
        ),
        end: PosixTimeZone.TransitionRule(
            day: .monthWeekDay(month: 11, week: 1, weekdayFromSunday: 0), secondsAfterMidnight: defaultTransitionSeconds
        )
    )

    init(_ text: String) {
        self.text = text
        bytes = Array(text.utf8)
    }

    mutating func parseAll() throws(TimeError) -> PosixTimeZone {
        guard bytes.count <= PosixTimeZone.byteCountMaximum else {
            throw failure("longer than \(PosixTimeZone.byteCountMaximum) bytes")
        }
        let standardName = try name(role: "standard-time")
        let standardOffset = try offset(role: "standard-time")
        let standard = LocalTimeType(offset: standardOffset, isDaylightSavingTime: false, abbreviation: standardName)
        if isAtEnd { return PosixTimeZone(standard: standard, daylightSaving: nil) }

        let daylightName = try name(role: "daylight-time")
        let daylightOffset: UTCOffset
        if isAtEnd || peek == UInt8(ascii: ",") {
            daylightOffset = try shifted(standardOffset, bySeconds: 3600)
        } else {
            daylightOffset = try offset(role: "daylight-time")
        }
        let daylight = LocalTimeType(offset: daylightOffset, isDaylightSavingTime: true, abbreviation: daylightName)

        var rule = Self.usDefaultRule
        if !isAtEnd {
            guard skip(UInt8(ascii: ",")) else { throw failure("expected ',' before the DST start rule") }
            rule.start = try transitionRule(role: "DST start")
            guard skip(UInt8(ascii: ",")) else { throw failure("expected ',' before the DST end rule") }
            rule.end = try transitionRule(role: "DST end")
        }
        guard isAtEnd else { throw failure("unexpected text after the rule at byte \(position + 1)") }
        let daylightSaving = PosixTimeZone.DaylightSaving(type: daylight, start: rule.start, end: rule.end)
        return PosixTimeZone(standard: standard, daylightSaving: daylightSaving)
    }

    // MARK: Names and offsets

    /// `<...>` with letters, digits, '+' and '-', or bare letters; at least three characters either way.
    private mutating func name(role: String) throws(TimeError) -> String {
        let isQuoted = skip(UInt8(ascii: "<"))
        let start = position
        while let byte = peek, Self.isLetter(byte) || (isQuoted && (Self.isDigit(byte) || byte == 43 || byte == 45)) {
            position += 1
        }
        let name = String(decoding: bytes[start..<position], as: UTF8.self)
        guard name.utf8.count >= 3 else { throw failure("the \(role) name must have at least three characters") }
        if isQuoted, !skip(UInt8(ascii: ">")) { throw failure("the quoted \(role) name is missing its '>'") }
        return name
    }

    /// A POSIX offset (positive west of Greenwich), returned as a `UTCOffset` (positive east).
    private mutating func offset(role: String) throws(TimeError) -> UTCOffset {
        guard let westSeconds = try signedHoursMinutesSeconds(hoursMaximum: Self.offsetHoursMaximum) else {
            throw failure("expected the \(role) UTC offset at byte \(position + 1)")
        }
        guard westSeconds.magnitude <= UTCOffset.magnitudeMaximumSeconds else {
            throw failure("the \(role) UTC offset is out of range")
        }
        return UTCOffset(seconds: -westSeconds)
    }

    private func shifted(_ offset: UTCOffset, bySeconds seconds: Int32) throws(TimeError) -> UTCOffset {
        let result = offset.seconds + seconds
        guard result.magnitude <= UTCOffset.magnitudeMaximumSeconds else {
            throw failure("the default daylight-time offset is out of range")
        }
        return UTCOffset(seconds: result)
    }

    // MARK: Rules

    private mutating func transitionRule(role: String) throws(TimeError) -> PosixTimeZone.TransitionRule {
        let day = try dayRule(role: role)
        var seconds = Self.defaultTransitionSeconds
        if skip(UInt8(ascii: "/")) {
            guard let time = try signedHoursMinutesSeconds(hoursMaximum: Self.transitionHoursMaximum) else {
                throw failure("expected the \(role) time after '/'")
            }
            seconds = time
        }
        return PosixTimeZone.TransitionRule(day: day, secondsAfterMidnight: seconds)
    }

    private mutating func dayRule(role: String) throws(TimeError) -> PosixTimeZone.DayRule {
        if skip(UInt8(ascii: "J")) {
            guard let day = number(maximumDigits: 3), (1...365).contains(day) else {
                throw failure("the \(role) day Jn needs n in 1...365")
            }
            return .julianIgnoringLeapDay(day)
        }
        if skip(UInt8(ascii: "M")) {
            guard let month = number(maximumDigits: 2), (1...12).contains(month), skip(UInt8(ascii: ".")),
                let week = number(maximumDigits: 1), (1...5).contains(week), skip(UInt8(ascii: ".")),
                let weekday = number(maximumDigits: 1), (0...6).contains(weekday)
            else { throw failure("the \(role) day Mm.w.d needs m in 1...12, w in 1...5 and d in 0...6") }
            return .monthWeekDay(month: month, week: week, weekdayFromSunday: weekday)
        }
        guard let day = number(maximumDigits: 3), (0...365).contains(day) else {
            throw failure("the \(role) day must be Jn, n or Mm.w.d")
        }
        return .zeroBasedDayOfYear(day)
    }

    // MARK: Lexemes

    /// `[+-]hh[:mm[:ss]]` in seconds, or nil if no digits follow the optional sign.
    private mutating func signedHoursMinutesSeconds(hoursMaximum: Int) throws(TimeError) -> Int32? {
        var sign: Int32 = 1
        if skip(UInt8(ascii: "-")) {
            sign = -1
        } else {
            _ = skip(UInt8(ascii: "+"))
        }
        guard let hours = number(maximumDigits: 3) else { return nil }
        guard hours <= hoursMaximum else { throw failure("hours must be at most \(hoursMaximum)") }
        var seconds = hours * 3600
        for unit in [60, 1] {
            guard skip(UInt8(ascii: ":")) else { break }
            guard let value = number(maximumDigits: 2), value <= 59 else {
                throw failure("minutes and seconds must be in 00...59")
            }
            seconds += value * unit
        }
        return sign * Int32(seconds)
    }

    /// One to `maximumDigits` decimal digits, or nil if none is next.
    private mutating func number(maximumDigits: Int) -> Int? {
        var value = 0
        var count = 0
        while count < maximumDigits, let byte = peek, Self.isDigit(byte) {
            value = value * 10 + Int(byte - UInt8(ascii: "0"))
            count += 1
            position += 1
        }
        return count == 0 ? nil : value
    }

    private var peek: UInt8? {
        position < bytes.count ? bytes[position] : nil
    }

    private var isAtEnd: Bool {
        position == bytes.count
    }

    private mutating func skip(_ byte: UInt8) -> Bool {
        guard peek == byte else { return false }
        position += 1
        return true
    }

    private static func isLetter(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte) || (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte)
    }

    private static func isDigit(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
    }

    private func failure(_ reason: String) -> TimeError {
        .malformedPosixTimeZone(text: TimeError.clipped(text), reason: reason)
    }
}
