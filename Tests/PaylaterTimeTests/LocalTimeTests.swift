import PaylaterTime
import Testing

@Suite struct LocalTimeRules {
    @Test("a time of day has hours 0-23, minutes and seconds 0-59 and no leap second", arguments: [
        (24, 0, 0, 0), (-1, 0, 0, 0), (12, 60, 0, 0), (23, 59, 60, 0), (0, 0, 0, 1_000_000_000), (0, 0, 0, -1),
    ])
    func rejectsImpossibleTimes(hour: Int, minute: Int, second: Int, nanosecond: Int) {
        #expect(throws: TimeError.invalidTime(hour: hour, minute: minute, second: second, nanosecond: nanosecond)) {
            try LocalTime(hour: hour, minute: minute, second: second, nanosecond: nanosecond)
        }
    }

    @Test("fields read back as given")
    func fields() throws {
        let time = try LocalTime(hour: 23, minute: 59, second: 58, nanosecond: 123_456_789)
        #expect((time.hour, time.minute, time.second, time.nanosecond) == (23, 59, 58, 123_456_789))
        #expect(time.secondsSinceMidnight == 86_398)
        #expect(LocalTime.midnight < time)
    }

    @Test("times print as HH:MM:SS with a 3, 6 or 9 digit fraction only when needed", arguments: [
        ("08:00:00", "08:00:00"), ("08:00:00.5", "08:00:00.500"), ("23:59:59.123456", "23:59:59.123456"),
        ("00:00:00.000000001", "00:00:00.000000001"), ("12:34:56.000", "12:34:56"),
        ("01:02:03.1234", "01:02:03.123400"),
    ])
    func textForms(text: String, printed: String) throws {
        #expect(try LocalTime(iso8601: text).description == printed)
    }

    @Test("malformed times are rejected", arguments: [
        "8:00:00", "08:00", "08:00:00.", "08:00:00.1234567890", "08:00:00Z", "T08:00:00", "08-00-00",
    ])
    func rejectsMalformed(text: String) {
        #expect(throws: TimeError.malformed(.time, text: text)) { try LocalTime(iso8601: text) }
    }
}

@Suite struct LocalDateTimeRules {
    @Test("local date-times print and parse in ISO 8601 form", arguments: [
        "2026-11-24T08:00:00", "2026-03-08T02:30:00", "2026-11-24T23:59:59.999", "0001-01-01T00:00:00",
    ])
    func roundTrip(text: String) throws {
        #expect(try LocalDateTime(iso8601: text).description == text)
    }

    @Test("a local date-time has no offset and a T separator", arguments: [
        "2026-11-24T08:00:00Z", "2026-11-24 08:00:00", "2026-11-24T08:00", "2026-11-24", "2026-11-24T08:00:00+01:00",
    ])
    func rejectsMalformed(text: String) {
        #expect(throws: TimeError.malformed(.dateTime, text: text)) { try LocalDateTime(iso8601: text) }
    }

    @Test("local date-times order by date, then time")
    func ordering() throws {
        let morning = try LocalDateTime(year: 2026, month: 11, day: 24, hour: 8)
        let evening = try LocalDateTime(year: 2026, month: 11, day: 24, hour: 20)
        let nextMorning = try LocalDateTime(year: 2026, month: 11, day: 25, hour: 1)
        #expect(morning < evening && evening < nextMorning)
        #expect(morning.date == date(2026, 11, 24))
        #expect(morning.time == (try LocalTime(hour: 8, minute: 0)))
    }
}
