import PaylaterTime
import Testing

/// Builds a date known to be valid; tests use it to keep tables short.
func date(_ year: Int, _ month: Int, _ day: Int) -> LocalDate {
    do {
        return try LocalDate(year: year, month: month, day: day)
    } catch {
        fatalError("test fixture \(year)-\(month)-\(day): \(error)")
    }
}

@Suite struct LocalDateValidation {
    @Test("a date must exist in the proleptic Gregorian calendar", arguments: [
        (2026, 2, 29), (2026, 2, 30), (2026, 4, 31), (2026, 13, 1), (2026, 0, 1), (2026, 1, 0), (2026, 1, 32),
        (0, 1, 1), (10_000, 1, 1), (-5, 3, 1), (1900, 2, 29), (2100, 2, 29),
    ])
    func rejectsDatesThatDoNotExist(year: Int, month: Int, day: Int) {
        #expect(throws: TimeError.invalidDate(year: year, month: month, day: day)) {
            try LocalDate(year: year, month: month, day: day)
        }
    }

    @Test("the supported range is 0001-01-01 through 9999-12-31")
    func supportedRange() throws {
        #expect(LocalDate.minimum == date(1, 1, 1))
        #expect(LocalDate.maximum == date(9999, 12, 31))
        #expect(throws: TimeError.self) { try LocalDate.maximum.adding(days: 1) }
        #expect(throws: TimeError.self) { try LocalDate.minimum.adding(days: -1) }
        #expect(try LocalDate.minimum.adding(days: 1) == date(1, 1, 2))
    }

    @Test("an invalid-date error explains which rule broke")
    func invalidDateMessage() {
        #expect(TimeError.invalidDate(year: 2026, month: 2, day: 30).description
            == "year 2026, month 2, day 30 is not a date: month 2 of 2026 has 28 days.")
        #expect(TimeError.invalidDate(year: 2026, month: 13, day: 1).description.contains("months run from 1 to 12"))
    }
}

@Suite struct LeapYears {
    @Test("leap years are divisible by 4, except centuries not divisible by 400", arguments: [
        (1900, false), (2000, true), (2023, false), (2024, true), (2025, false), (2100, false), (2400, true),
    ])
    func gregorianLeapRule(year: Int, isLeap: Bool) {
        #expect(date(year, 1, 1).isLeapYear == isLeap)
        #expect(date(year, 2, 1).daysInMonth == (isLeap ? 29 : 28))
        #expect(date(year, 12, 31).dayOfYear == (isLeap ? 366 : 365))
    }

    @Test("month lengths follow the calendar", arguments: [
        (1, 31), (2, 28), (3, 31), (4, 30), (5, 31), (6, 30), (7, 31), (8, 31), (9, 30), (10, 31), (11, 30), (12, 31),
    ])
    func monthLengths(month: Int, length: Int) {
        #expect(date(2026, month, 1).daysInMonth == length)
        #expect(date(2026, month, 10).lastDayOfMonth == date(2026, month, length))
        #expect(date(2026, month, 10).firstDayOfMonth == date(2026, month, 1))
    }
}

@Suite struct MonthArithmetic {
    @Test("adding months clamps the day to the end of the target month", arguments: [
        (date(2025, 1, 31), 1, date(2025, 2, 28)),
        (date(2024, 1, 31), 1, date(2024, 2, 29)),
        (date(2025, 3, 31), -1, date(2025, 2, 28)),
        (date(2024, 3, 31), -1, date(2024, 2, 29)),
        (date(2025, 12, 31), 2, date(2026, 2, 28)),
        (date(2025, 11, 15), 3, date(2026, 2, 15)),
        (date(2026, 1, 15), -1, date(2025, 12, 15)),
        (date(2026, 2, 10), -14, date(2024, 12, 10)),
        (date(2024, 2, 29), 12, date(2025, 2, 28)),
        (date(2024, 2, 29), 48, date(2028, 2, 29)),
        (date(2026, 5, 31), 1, date(2026, 6, 30)),
        (date(2026, 8, 31), 0, date(2026, 8, 31)),
    ])
    func endOfMonthRule(start: LocalDate, months: Int, expected: LocalDate) throws {
        #expect(try start.adding(months: months) == expected)
    }

    @Test("adding years clamps February 29 to February 28 in a common year", arguments: [
        (date(2024, 2, 29), 1, date(2025, 2, 28)),
        (date(2024, 2, 29), 4, date(2028, 2, 29)),
        (date(2024, 2, 29), -1, date(2023, 2, 28)),
        (date(2026, 11, 24), 10, date(2036, 11, 24)),
        (date(2000, 2, 29), 100, date(2100, 2, 28)),
    ])
    func yearsClampLeapDay(start: LocalDate, years: Int, expected: LocalDate) throws {
        #expect(try start.adding(years: years) == expected)
    }

    @Test("schedule dates come from the anchor, so a month-end anchor returns to the 31st")
    func scheduleFromAnchor() throws {
        let anchor = date(2026, 1, 31)
        let fromAnchor = try (0..<4).map { k throws(TimeError) in try anchor.adding(months: k) }
        #expect(fromAnchor == [date(2026, 1, 31), date(2026, 2, 28), date(2026, 3, 31), date(2026, 4, 30)])

        // Repeated addition loses the 31st for good: this is why schedules must not do it.
        var repeated = anchor
        for _ in 0..<2 { repeated = try repeated.adding(months: 1) }
        #expect(repeated == date(2026, 3, 28))
    }

    @Test("month and year arithmetic that leaves years 1...9999 throws instead of trapping", arguments: [
        Int.max, Int.min, 12 * 8000, -12 * 3000,
    ])
    func monthOverflowThrows(months: Int) {
        #expect(throws: TimeError.self) { try date(2026, 1, 1).adding(months: months) }
    }

    @Test("year overflow throws")
    func yearOverflowThrows() {
        #expect(throws: TimeError.self) { try date(2026, 1, 1).adding(years: Int.max) }
        #expect(throws: TimeError.self) { try date(2026, 1, 1).adding(years: 8000) }
    }
}

@Suite struct DayArithmetic {
    @Test("adding days crosses month and year boundaries", arguments: [
        (date(2026, 12, 31), 1, date(2027, 1, 1)),
        (date(2027, 1, 1), -1, date(2026, 12, 31)),
        (date(2024, 2, 28), 1, date(2024, 2, 29)),
        (date(2025, 2, 28), 1, date(2025, 3, 1)),
        (date(2026, 11, 24), 30, date(2026, 12, 24)),
        (date(2026, 11, 24), 365, date(2027, 11, 24)),
    ])
    func addingDays(start: LocalDate, days: Int, expected: LocalDate) throws {
        #expect(try start.adding(days: days) == expected)
        #expect(start.days(until: expected) == days)
        #expect(expected.days(until: start) == -days)
    }

    @Test("adding an enormous number of days throws instead of trapping", arguments: [Int.max, Int.min])
    func dayOverflowThrows(days: Int) {
        #expect(throws: TimeError.self) { try date(2026, 1, 1).adding(days: days) }
    }

    @Test("weekdays follow from 1970-01-01 being a Thursday", arguments: [
        (date(1970, 1, 1), Weekday.thursday), (date(2026, 11, 24), .tuesday), (date(2000, 1, 1), .saturday),
        (date(1, 1, 1), .monday), (date(9999, 12, 31), .friday), (date(1969, 12, 31), .wednesday),
        (date(2026, 3, 8), .sunday),
    ])
    func weekdays(day: LocalDate, weekday: Weekday) {
        #expect(day.weekday == weekday)
    }
}

@Suite struct DaysSinceEpoch {
    @Test("known dates have known day numbers", arguments: [
        (date(1970, 1, 1), Int64(0)), (date(1969, 12, 31), -1), (date(2000, 3, 1), 11_017),
        (date(2026, 11, 24), 20_781), (date(1, 1, 1), -719_162), (date(9999, 12, 31), 2_932_896),
    ] as [(LocalDate, Int64)])
    func knownAnswers(day: LocalDate, number: Int64) throws {
        #expect(day.daysSinceEpoch == number)
        #expect(try LocalDate(daysSinceEpoch: number) == day)
    }

    @Test("every day from 1900 to 2100 round-trips and follows the previous day by one")
    func roundTripsEveryDay() throws {
        let first = date(1900, 1, 1).daysSinceEpoch
        let last = date(2100, 12, 31).daysSinceEpoch
        var previous = try LocalDate(daysSinceEpoch: first - 1)
        for number in first...last {
            let day = try LocalDate(daysSinceEpoch: number)
            guard day.daysSinceEpoch == number, day > previous, try previous.adding(days: 1) == day else {
                Issue.record("day \(number) (\(day)) does not follow \(previous)")
                return
            }
            previous = day
        }
        #expect(previous == date(2100, 12, 31))
    }

    @Test("day numbers round-trip across the whole supported range in steps")
    func roundTripsWholeRange() throws {
        for number in stride(from: LocalDate.minimum.daysSinceEpoch, through: LocalDate.maximum.daysSinceEpoch,
                             by: 997) {
            let day = try LocalDate(daysSinceEpoch: number)
            #expect(day.daysSinceEpoch == number)
            #expect(try LocalDate(year: day.year, month: day.month, day: day.day) == day)
        }
    }

    @Test("day numbers outside years 1...9999 throw")
    func outOfRange() {
        #expect(throws: TimeError.self) { try LocalDate(daysSinceEpoch: -719_163) }
        #expect(throws: TimeError.self) { try LocalDate(daysSinceEpoch: 2_932_897) }
        #expect(throws: TimeError.self) { try LocalDate(daysSinceEpoch: .max) }
    }
}

@Suite struct LocalDateText {
    @Test("ISO 8601 dates parse and print back unchanged", arguments: [
        "2026-11-24", "0001-01-01", "9999-12-31", "2024-02-29", "1970-01-01",
    ])
    func roundTrip(text: String) throws {
        #expect(try LocalDate(iso8601: text).description == text)
    }

    @Test("only the strict YYYY-MM-DD form is accepted", arguments: [
        "2026-1-01", "2026-01-1", "26-01-01", "2026-11-24 ", " 2026-11-24", "2026-11-24T00:00:00", "2026/11/24",
        "20261124", "", "2026-11-2x", "+2026-11-24", "2026-11-24Z", "２０２６-11-24",
    ])
    func rejectsMalformedText(text: String) {
        #expect(throws: TimeError.malformed(.date, text: text)) { try LocalDate(iso8601: text) }
    }

    @Test("well-formed text that names no date is an invalid date", arguments: [
        ("2026-02-30", 2026, 2, 30), ("2026-13-01", 2026, 13, 1), ("0000-01-01", 0, 1, 1), ("2025-02-29", 2025, 2, 29),
    ])
    func rejectsImpossibleDates(text: String, year: Int, month: Int, day: Int) {
        #expect(throws: TimeError.invalidDate(year: year, month: month, day: day)) { try LocalDate(iso8601: text) }
    }

    @Test("long hostile text is clipped in the error")
    func clipsLongText() {
        let text = String(repeating: "9", count: 10_000)
        #expect(throws: TimeError.malformed(.date, text: String(repeating: "9", count: 64) + "…")) {
            try LocalDate(iso8601: text)
        }
    }

    @Test("dates compare in calendar order")
    func ordering() {
        #expect(date(2026, 11, 24) < date(2026, 11, 25))
        #expect(date(2025, 12, 31) < date(2026, 1, 1))
        #expect(date(2026, 2, 28) < date(2026, 10, 1))
        #expect([date(2026, 3, 1), date(2025, 12, 1), date(2026, 1, 15)].sorted()
            == [date(2025, 12, 1), date(2026, 1, 15), date(2026, 3, 1)])
    }
}
