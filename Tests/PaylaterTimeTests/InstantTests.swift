import PaylaterTime
import Testing

/// Parses an RFC 3339 timestamp known to be valid.
func instant(_ text: String) -> Instant {
    do {
        return try Instant(iso8601: text)
    } catch {
        fatalError("test fixture \(text): \(error)")
    }
}

@Suite struct InstantText {
    @Test("RFC 3339 timestamps parse to the right nanosecond count", arguments: [
        ("1970-01-01T00:00:00Z", Int64(0)),
        ("1970-01-01T00:00:01Z", 1_000_000_000),
        ("1969-12-31T23:59:59Z", -1_000_000_000),
        ("1969-12-31T23:59:59.999999999Z", -1),
        ("2026-11-24T08:00:00Z", 1_795_507_200_000_000_000),
        ("2026-11-24T16:00:00+08:00", 1_795_507_200_000_000_000),
        ("2026-11-24T03:00:00-05:00", 1_795_507_200_000_000_000),
        ("2026-11-24T13:30:00+05:30", 1_795_507_200_000_000_000),
        ("2026-11-24T08:00:00-00:00", 1_795_507_200_000_000_000),
        ("2026-11-24t08:00:00z", 1_795_507_200_000_000_000),
        ("2026-11-24T08:00:00.5Z", 1_795_507_200_500_000_000),
        ("2026-11-24T08:00:00.123456789Z", 1_795_507_200_123_456_789),
        ("2026-11-24T08:00:00.000001Z", 1_795_507_200_000_001_000),
        ("2262-04-11T23:47:16.854775807Z", Int64.max),
        ("1677-09-21T00:12:43.145224192Z", Int64.min),
    ])
    func parses(text: String, nanoseconds: Int64) throws {
        #expect(try Instant(iso8601: text).nanosecondsSinceUnixEpoch == nanoseconds)
    }

    @Test("instants print in UTC with Z and a 3, 6 or 9 digit fraction only when non-zero", arguments: [
        (Int64(0), "1970-01-01T00:00:00Z"),
        (1_795_507_200_000_000_000, "2026-11-24T08:00:00Z"),
        (1_795_507_200_500_000_000, "2026-11-24T08:00:00.500Z"),
        (1_795_507_200_120_000_000, "2026-11-24T08:00:00.120Z"),
        (1_795_507_200_000_100_000, "2026-11-24T08:00:00.000100Z"),
        (1_795_507_200_000_000_007, "2026-11-24T08:00:00.000000007Z"),
        (-1, "1969-12-31T23:59:59.999999999Z"),
        (-1_500_000_000, "1969-12-31T23:59:58.500Z"),
        (Int64.max, "2262-04-11T23:47:16.854775807Z"),
        (Int64.min, "1677-09-21T00:12:43.145224192Z"),
    ])
    func formats(nanoseconds: Int64, text: String) {
        #expect(Instant(nanosecondsSinceUnixEpoch: nanoseconds).description == text)
    }

    @Test("offsets are converted to UTC when printing", arguments: [
        ("2026-11-24T00:30:00+08:00", "2026-11-23T16:30:00Z"),
        ("2026-12-31T23:00:00-02:00", "2027-01-01T01:00:00Z"),
        ("2024-02-29T23:59:59.25-00:30", "2024-03-01T00:29:59.250Z"),
    ])
    func normalisesOffsets(text: String, utc: String) {
        #expect(instant(text).description == utc)
    }

    @Test("timestamps that are not RFC 3339 are rejected", arguments: [
        "2026-11-24T08:00:00", "2026-11-24 08:00:00Z", "2026-11-24T08:00Z", "2026-11-24T08:00:00+0800",
        "2026-11-24T08:00:00+08", "2026-11-24T08:00:00.Z", "2026-11-24T08:00:00.1234567891Z", "2026-11-24T08:00:00ZZ",
        "2026-11-24T08:00:00+24:00", "2026-11-24T08:00:00+08:60", "2026-11-24", "", "2026-11-24T08:00:00UTC",
    ])
    func rejectsMalformed(text: String) {
        #expect(throws: TimeError.malformed(.instant, text: text)) { try Instant(iso8601: text) }
    }

    @Test("impossible fields and leap seconds are rejected")
    func rejectsImpossibleFields() {
        #expect(throws: TimeError.invalidDate(year: 2026, month: 2, day: 30)) {
            try Instant(iso8601: "2026-02-30T00:00:00Z")
        }
        #expect(throws: TimeError.invalidTime(hour: 23, minute: 59, second: 60, nanosecond: 0)) {
            try Instant(iso8601: "2016-12-31T23:59:60Z")
        }
    }

    @Test("timestamps outside the Int64 nanosecond range throw overflow", arguments: [
        "2262-04-11T23:47:16.854775808Z", "1677-09-21T00:12:43.145224191Z", "9999-12-31T23:59:59Z",
        "0001-01-01T00:00:00Z",
    ])
    func rejectsOutOfRange(text: String) {
        #expect(throws: TimeError.overflow(operation: "The instant \(text)")) { try Instant(iso8601: text) }
    }
}

@Suite struct InstantArithmetic {
    @Test("whole seconds round toward negative infinity", arguments: [
        (Int64(1_500_000_000), Int64(1)), (-1, -1), (-1_000_000_000, -1), (-1_000_000_001, -2), (999_999_999, 0),
    ])
    func secondsFloor(nanoseconds: Int64, seconds: Int64) {
        #expect(Instant(nanosecondsSinceUnixEpoch: nanoseconds).secondsSinceUnixEpoch == seconds)
    }

    @Test("advancing by a duration moves along the time line and duration(to:) measures it back")
    func advancing() throws {
        let start = instant("2026-11-24T08:00:00Z")
        #expect(start.advanced(by: .seconds(90)) == instant("2026-11-24T08:01:30Z"))
        #expect(start.advanced(by: .milliseconds(-1)) == instant("2026-11-24T07:59:59.999Z"))
        #expect(try start.adding(.seconds(86_400 * 7)) == instant("2026-12-01T08:00:00Z"))
        #expect(start.duration(to: instant("2026-11-25T08:00:00Z")) == .seconds(86_400))
        #expect(instant("2026-11-25T08:00:00Z").duration(to: start) == .seconds(-86_400))
        #expect(Instant(secondsSinceUnixEpoch: 1_795_507_200) == start)
    }

    @Test("durations that leave the representable range throw instead of trapping")
    func overflowThrows() {
        #expect(throws: TimeError.self) { try Instant.maximum.adding(.nanoseconds(1)) }
        #expect(throws: TimeError.self) { try Instant.minimum.adding(.nanoseconds(-1)) }
        #expect(throws: TimeError.self) { try Instant.unixEpoch.adding(.seconds(Int64.max)) }
    }

    @Test("the distance between the extremes does not overflow")
    func extremeDuration() {
        let span = Instant.minimum.duration(to: .maximum)
        #expect(span.components.seconds == 18_446_744_073)
        #expect(span.components.attoseconds == 709_551_615_000_000_000)
    }

    @Test("sub-nanosecond parts of a duration are truncated toward zero")
    func truncatesAttoseconds() throws {
        let epoch = Instant.unixEpoch
        #expect(try epoch.adding(.nanoseconds(1) + .init(secondsComponent: 0, attosecondsComponent: 999_999_999))
            == Instant(nanosecondsSinceUnixEpoch: 1))
        #expect(try epoch.adding(Duration(secondsComponent: 0, attosecondsComponent: -999_999_999)) == epoch)
    }
}

@Suite struct InstantUTCCalendar {
    @Test("an instant's UTC wall clock round-trips through init(utc:)", arguments: [
        "2026-11-24T08:00:00Z", "1969-12-31T23:59:59.999999999Z", "2000-02-29T12:00:00.5Z",
        "1677-09-21T00:12:43.145224192Z",
    ])
    func utcRoundTrip(text: String) throws {
        let point = instant(text)
        #expect(Instant(utc: point.utcDateTime) == point)
        #expect(try Instant(validatingUTC: point.utcDateTime) == point)
    }

    @Test("the UTC date-time has the expected fields")
    func utcFields() throws {
        let utc = instant("2026-11-24T16:05:09.25+08:00").utcDateTime
        #expect(utc == (try LocalDateTime(year: 2026, month: 11, day: 24, hour: 8, minute: 5, second: 9,
                                          nanosecond: 250_000_000)))
    }

    @Test("a UTC date-time outside the Instant range throws from the validating initializer")
    func utcOutOfRange() throws {
        let far = try LocalDateTime(year: 9999, month: 1, day: 1)
        #expect(throws: TimeError.overflow(operation: "The instant 9999-01-01T00:00:00Z")) {
            try Instant(validatingUTC: far)
        }
        #expect(Instant.supportedLocalDates.lowerBound == date(1678, 1, 1))
        #expect(Instant.supportedLocalDates.upperBound == date(2261, 12, 31))
    }
}
