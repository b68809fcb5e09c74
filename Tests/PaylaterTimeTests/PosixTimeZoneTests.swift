@testable import PaylaterTime
import Testing

private typealias Rule = PosixTimeZone.TransitionRule

private func rule(_ text: String) throws -> PosixTimeZone {
    try PosixTimeZone(parsing: text)
}

private func seconds(_ text: String) -> Int64 {
    instant(text).secondsSinceUnixEpoch
}

@Suite struct PosixTimeZoneParsing {
    @Test("a quoted numeric name with a half-hour offset east of UTC (Asia/Tehran)")
    func quotedFixedOffset() throws {
        let zone = try rule("<+0330>-3:30")
        #expect(zone.standard == LocalTimeType(
            offset: UTCOffset(seconds: 12_600), isDaylightSavingTime: false, abbreviation: "+0330"
        ))
        #expect(zone.daylightSaving == nil)
    }

    @Test("a southern-hemisphere rule with an explicit end time (Australia/Sydney)")
    func sydney() throws {
        let zone = try rule("AEST-10AEDT,M10.1.0,M4.1.0/3")
        #expect(zone.standard.abbreviation == "AEST" && zone.standard.offset.seconds == 36_000)
        let daylight = try #require(zone.daylightSaving)
        #expect(daylight.type.abbreviation == "AEDT" && daylight.type.offset.seconds == 39_600)
        #expect(daylight.start == Rule(day: .monthWeekDay(month: 10, week: 1, weekdayFromSunday: 0),
                                       secondsAfterMidnight: 7200))
        #expect(daylight.end == Rule(day: .monthWeekDay(month: 4, week: 1, weekdayFromSunday: 0),
                                     secondsAfterMidnight: 10_800))
    }

    @Test("negative DST: winter time is the 'daylight' type with the smaller offset (Europe/Dublin)")
    func dublin() throws {
        let zone = try rule("IST-1GMT0,M10.5.0,M3.5.0/1")
        #expect(zone.standard.abbreviation == "IST" && zone.standard.offset.seconds == 3600)
        let daylight = try #require(zone.daylightSaving)
        #expect(daylight.type.abbreviation == "GMT" && daylight.type.offset.seconds == 0)
        #expect(daylight.start.day == .monthWeekDay(month: 10, week: 5, weekdayFromSunday: 0))
        #expect(daylight.end.secondsAfterMidnight == 3600)
    }

    @Test("the DST offset defaults to one hour ahead of standard time (America/New_York)")
    func newYork() throws {
        let zone = try rule("EST5EDT,M3.2.0,M11.1.0")
        #expect(zone.standard.offset.seconds == -18_000)
        let daylight = try #require(zone.daylightSaving)
        #expect(daylight.type.offset.seconds == -14_400 && daylight.type.isDaylightSavingTime)
        #expect(daylight.start == Rule(day: .monthWeekDay(month: 3, week: 2, weekdayFromSunday: 0),
                                       secondsAfterMidnight: 7200))
        #expect(daylight.end == Rule(day: .monthWeekDay(month: 11, week: 1, weekdayFromSunday: 0),
                                     secondsAfterMidnight: 7200))
    }

    @Test("transition times may be negative (America/Nuuk style)")
    func negativeTimes() throws {
        let zone = try rule("<-03>3<-02>,M3.5.0/-2,M10.5.0/-1")
        #expect(zone.standard.abbreviation == "-03" && zone.standard.offset.seconds == -10_800)
        let daylight = try #require(zone.daylightSaving)
        #expect(daylight.type.abbreviation == "-02" && daylight.type.offset.seconds == -7200)
        #expect(daylight.start.secondsAfterMidnight == -7200)
        #expect(daylight.end.secondsAfterMidnight == -3600)
    }

    @Test("transition times may pass 24:00 (Asia/Jerusalem: Thursday 26:00 is Friday 02:00)")
    func hoursBeyondTwentyFour() throws {
        let daylight = try #require(try rule("IST-2IDT,M3.4.4/26,M10.5.0").daylightSaving)
        #expect(daylight.start == Rule(day: .monthWeekDay(month: 3, week: 4, weekdayFromSunday: 4),
                                       secondsAfterMidnight: 26 * 3600))
    }

    @Test("Jn never counts February 29, n does")
    func julianDayForms() throws {
        let daylight = try #require(try rule("XXX3YYY,J60/2:30:15,59").daylightSaving)
        #expect(daylight.start == Rule(day: .julianIgnoringLeapDay(60), secondsAfterMidnight: 9015))
        #expect(daylight.end == Rule(day: .zeroBasedDayOfYear(59), secondsAfterMidnight: 7200))
        let days = { (rule: PosixTimeZone.DayRule, year: Int64) in PosixTimeZone.daysSinceEpoch(of: rule, year: year) }
        #expect(days(.julianIgnoringLeapDay(60), 2024) == date(2024, 3, 1).daysSinceEpoch)
        #expect(days(.julianIgnoringLeapDay(60), 2025) == date(2025, 3, 1).daysSinceEpoch)
        #expect(days(.julianIgnoringLeapDay(59), 2024) == date(2024, 2, 28).daysSinceEpoch)
        #expect(days(.julianIgnoringLeapDay(365), 2024) == date(2024, 12, 31).daysSinceEpoch)
        #expect(days(.zeroBasedDayOfYear(59), 2024) == date(2024, 2, 29).daysSinceEpoch)
        #expect(days(.zeroBasedDayOfYear(59), 2025) == date(2025, 3, 1).daysSinceEpoch)
        #expect(days(.zeroBasedDayOfYear(0), 2026) == date(2026, 1, 1).daysSinceEpoch)
    }

    @Test("week 5 means the last such weekday of the month", arguments: [
        (2026, 3, date(2026, 3, 29)), (2026, 10, date(2026, 10, 25)), (2027, 10, date(2027, 10, 31)),
        (2026, 2, date(2026, 2, 22)),
    ])
    func lastWeek(year: Int64, month: Int, expected: LocalDate) {
        let rule = PosixTimeZone.DayRule.monthWeekDay(month: month, week: 5, weekdayFromSunday: 0)
        #expect(PosixTimeZone.daysSinceEpoch(of: rule, year: year) == expected.daysSinceEpoch)
    }

    @Test("a DST name without a rule uses the US rule, as glibc does")
    func defaultRule() throws {
        #expect(try rule("EST5EDT") == rule("EST5EDT,M3.2.0,M11.1.0"))
        #expect(try rule("CET-1CEST") == rule("CET-1CEST-2,M3.2.0/2,M11.1.0/2"))
    }

    @Test("malformed TZ strings are rejected", arguments: [
        "", "EST", "ES5", "5", "EST5EDT,", "EST5EDT,M3.2.0", "EST5EDT,M13.2.0,M11.1.0", "EST5EDT,M3.6.0,M11.1.0",
        "EST5EDT,M3.2.7,M11.1.0", "EST5EDT,J0,J365", "EST5EDT,J366,J1", "EST5EDT,366,1", "<+03-3", "<+3>-3",
        "EST25", "EST5EDT,M3.2.0/168,M11.1.0", "EST5EDT,M3.2.0,M11.1.0 ", "EST5:60", "EST5EDT;M3.2.0,M11.1.0",
        "EST5EDT,M3.2.0/,M11.1.0",
    ])
    func rejectsMalformed(text: String) {
        #expect {
            try rule(text)
        } throws: { error in
            guard case .malformedPosixTimeZone(let quoted, _) = error as? TimeError else { return false }
            return quoted == text
        }
    }
}

@Suite struct PosixTimeZoneFuzzing {
    /// Whatever a string parses to, the rules must agree with themselves: an instant a wall time resolves to reads
    /// that wall time back through the offset in force then, a skipped wall time lies between its two readings, and a
    /// day starts at an instant whose wall clock shows that day.
    @Test("random TZ strings either parse or throw, and the rules they parse to agree with themselves")
    func randomStrings() throws {
        let alphabet = Array("ESTDA<>+-:,./JM0123456789")
        var generator = SplitMix64(state: 8_675_309)
        let wallTimes = ["2026-03-08T02:30:00", "2026-11-01T01:30:00", "2026-06-30T23:59:59", "2028-02-29T12:00:00"]
            .map(localDateTime)
        var parsed = 0
        for round in 0..<5000 {
            var text: String
            if round.isMultiple(of: 2) {
                let length = Int.random(in: 0...30, using: &generator)
                text = String((0..<length).map { _ in alphabet.randomElement(using: &generator)! })
                if Bool.random(using: &generator) { text = "EST5EDT," + text }
            } else {
                text = Self.wellFormed(&generator)
            }
            guard let rules = try? TimeZoneRules(identifier: "Fuzz", posixTZ: text) else { continue }
            parsed += 1
            let offset = rules.offset(at: instant("2026-11-24T08:00:00Z"))
            #expect(abs(offset.seconds) <= UTCOffset.magnitudeMaximumSeconds, "\(text)")
            for wall in wallTimes {
                let wallSeconds = wall.secondsSinceEpochAsUTC
                func readsBack(_ instant: Instant) -> Bool {
                    instant.secondsSinceUnixEpoch + Int64(rules.offset(at: instant).seconds) == wallSeconds
                }
                switch rules.resolve(wall) {
                case let .unique(instant):
                    #expect(readsBack(instant), "\(text) at \(wall)")
                case let .repeated(earlier, later):
                    #expect(earlier < later && readsBack(earlier) && readsBack(later), "\(text) at \(wall)")
                case let .skipped(before, after):
                    #expect(before < after && !readsBack(before) && !readsBack(after), "\(text) at \(wall)")
                }
            }
            let day = date(2026, 11, 1)
            let start = rules.startOfDay(day)
            let startWall = start.secondsSinceUnixEpoch + Int64(rules.offset(at: start).seconds)
            #expect(startWall >= LocalDateTime(date: day, time: .midnight).secondsSinceEpochAsUTC, "\(text)")
            #expect(startWall < LocalDateTime(date: day, time: .midnight).secondsSinceEpochAsUTC + 86_400, "\(text)")
        }
        #expect(parsed > 1000, "the generator should reach the parser's accepting paths often")
    }

    /// A TZ string from POSIX's grammar with random values, some out of range: offsets, DST names and offsets,
    /// and the three kinds of transition day (`Jn`, `n`, `Mm.w.d`) with times from −167 to 167 hours.
    private static func wellFormed(_ generator: inout SplitMix64) -> String {
        func hours(_ range: ClosedRange<Int>) -> String {
            var text = String(Int.random(in: range, using: &generator))
            if Bool.random(using: &generator) { text += ":" + String(Int.random(in: 0...59, using: &generator)) }
            return text
        }
        func day() -> String {
            switch Int.random(in: 0...2, using: &generator) {
            case 0: "J\(Int.random(in: 1...365, using: &generator))"
            case 1: "\(Int.random(in: 0...365, using: &generator))"
            default:
                "M\(Int.random(in: 1...12, using: &generator)).\(Int.random(in: 1...5, using: &generator))"
                    + ".\(Int.random(in: 0...6, using: &generator))"
            }
        }
        func transition() -> String {
            day() + (Bool.random(using: &generator) ? "/" + hours(-167...167) : "")
        }
        var text = ["EST", "<+0330>", "<-03>", "AAA"].randomElement(using: &generator)! + hours(-25...25)
        guard Int.random(in: 0...3, using: &generator) > 0 else { return text }
        text += ["EDT", "<+0430>", "DDD"].randomElement(using: &generator)!
        if Bool.random(using: &generator) { text += hours(-25...25) }
        if Int.random(in: 0...5, using: &generator) > 0 { text += "," + transition() + "," + transition() }
        return text
    }
}

@Suite struct PosixTimeZoneEvaluation {
    private func transitions(_ text: String, year: Int64) throws -> [Int64] {
        try rule(text).transitions(years: year...year).map(\.secondsSinceEpoch)
    }

    @Test("New York springs forward at 02:00 EST and falls back at 02:00 EDT")
    func newYork2026() throws {
        #expect(try transitions("EST5EDT,M3.2.0,M11.1.0", year: 2026)
            == [seconds("2026-03-08T07:00:00Z"), seconds("2026-11-01T06:00:00Z")])
    }

    @Test("Sydney's DST starts in October and ends in April of the same calendar year")
    func sydney2026() throws {
        #expect(try transitions("AEST-10AEDT,M10.1.0,M4.1.0/3", year: 2026)
            == [seconds("2026-10-03T16:00:00Z"), seconds("2026-04-04T16:00:00Z")])
    }

    @Test("Dublin's negative DST switches at 01:00 UTC like the rest of the EU")
    func dublin2026() throws {
        let text = "IST-1GMT0,M10.5.0,M3.5.0/1"
        #expect(try transitions(text, year: 2026) == [seconds("2026-10-25T01:00:00Z"), seconds("2026-03-29T01:00:00Z")])
        let zone = try TimeZoneRules(identifier: "Dublin", posixTZ: text)
        #expect(zone.offset(at: instant("2026-01-15T12:00:00Z")) == .zero)
        #expect(zone.isDaylightSavingTime(at: instant("2026-01-15T12:00:00Z")))
        #expect(zone.offset(at: instant("2026-07-15T12:00:00Z")) == UTCOffset(seconds: 3600))
        #expect(zone.abbreviation(at: instant("2026-07-15T12:00:00Z")) == "IST")
    }

    @Test("negative transition times fall on the previous evening in local time")
    func negativeTimes2026() throws {
        #expect(try transitions("<-03>3<-02>,M3.5.0/-2,M10.5.0/-1", year: 2026)
            == [seconds("2026-03-29T01:00:00Z"), seconds("2026-10-25T01:00:00Z")])
    }

    @Test("Jerusalem's Thursday-26:00 rule starts DST on Friday at 02:00")
    func jerusalem2026() throws {
        #expect(try transitions("IST-2IDT,M3.4.4/26,M10.5.0", year: 2026)
            == [seconds("2026-03-27T00:00:00Z"), seconds("2026-10-24T23:00:00Z")])
    }

    @Test("a rule from January 1 00:00 to December 31 25:00 is DST all year", arguments: [
        "2026-01-01T04:30:00Z", "2026-01-01T05:00:00Z", "2026-07-01T00:00:00Z", "2026-12-31T23:59:59Z",
        "2027-01-01T05:00:00Z",
    ])
    func allYearDaylightSaving(text: String) throws {
        let zone = try TimeZoneRules(identifier: "Permanent", posixTZ: "EST5EDT,0/0,J365/25")
        #expect(zone.offset(at: instant(text)) == UTCOffset(seconds: -14_400))
    }
}
