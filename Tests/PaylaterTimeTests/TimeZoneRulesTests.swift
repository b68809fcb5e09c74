import PaylaterTime
import Testing

/// Rules from the system tzdata (Debian's /usr/share/zoneinfo).
func zone(_ identifier: String) throws -> TimeZoneRules {
    try TimeZoneDatabase.system.rules(for: identifier)
}

func localDateTime(_ text: String) -> LocalDateTime {
    do {
        return try LocalDateTime(iso8601: text)
    } catch {
        fatalError("test fixture \(text): \(error)")
    }
}

@Suite struct DaylightSavingGaps {
    @Test("a wall time skipped by spring-forward resolves to the instants either side of the gap", arguments: [
        ("America/New_York", "2026-03-08T02:30:00", "2026-03-08T06:30:00Z", "2026-03-08T07:30:00Z"),
        ("Europe/London", "2026-03-29T01:30:00", "2026-03-29T00:30:00Z", "2026-03-29T01:30:00Z"),
        ("Australia/Sydney", "2026-10-04T02:30:00", "2026-10-03T15:30:00Z", "2026-10-03T16:30:00Z"),
        ("America/New_York", "2026-03-08T02:00:00", "2026-03-08T06:00:00Z", "2026-03-08T07:00:00Z"),
        ("America/New_York", "2026-03-08T02:59:59.999", "2026-03-08T06:59:59.999Z", "2026-03-08T07:59:59.999Z"),
    ])
    func skipped(identifier: String, wallClock: String, before: String, after: String) throws {
        let rules = try zone(identifier)
        #expect(rules.resolve(localDateTime(wallClock)) == .skipped(before: instant(before), after: instant(after)))
    }

    @Test("by default a skipped wall time moves forward by the gap length")
    func defaultPolicyShiftsForward() throws {
        let newYork = try zone("America/New_York")
        let resolved = newYork.instant(for: localDateTime("2026-03-08T02:30:00"))
        #expect(resolved == instant("2026-03-08T07:30:00Z"))
        #expect(newYork.localDateTime(at: resolved) == localDateTime("2026-03-08T03:30:00"))
        let backward = newYork.instant(
            for: localDateTime("2026-03-08T02:30:00"), policy: .init(gap: .shiftBackward)
        )
        #expect(newYork.localDateTime(at: backward) == localDateTime("2026-03-08T01:30:00"))
    }

    @Test("the wall times either side of a gap are unique")
    func edgesOfGap() throws {
        let newYork = try zone("America/New_York")
        #expect(newYork.resolve(localDateTime("2026-03-08T01:59:59")) == .unique(instant("2026-03-08T06:59:59Z")))
        #expect(newYork.resolve(localDateTime("2026-03-08T03:00:00")) == .unique(instant("2026-03-08T07:00:00Z")))
    }
}

@Suite struct DaylightSavingOverlaps {
    @Test("a wall time repeated by fall-back resolves to both instants", arguments: [
        ("America/New_York", "2026-11-01T01:30:00", "2026-11-01T05:30:00Z", "2026-11-01T06:30:00Z"),
        ("Europe/London", "2026-10-25T01:30:00", "2026-10-25T00:30:00Z", "2026-10-25T01:30:00Z"),
        ("Australia/Sydney", "2026-04-05T02:30:00", "2026-04-04T15:30:00Z", "2026-04-04T16:30:00Z"),
        ("America/New_York", "2026-11-01T01:00:00", "2026-11-01T05:00:00Z", "2026-11-01T06:00:00Z"),
    ])
    func repeated(identifier: String, wallClock: String, earlier: String, later: String) throws {
        let rules = try zone(identifier)
        #expect(rules.resolve(localDateTime(wallClock)) == .repeated(earlier: instant(earlier), later: instant(later)))
    }

    @Test("by default a repeated wall time takes the earlier instant")
    func defaultPolicyTakesEarlier() throws {
        let newYork = try zone("America/New_York")
        #expect(newYork.instant(for: localDateTime("2026-11-01T01:30:00")) == instant("2026-11-01T05:30:00Z"))
        #expect(newYork.instant(for: localDateTime("2026-11-01T01:30:00"), policy: .init(overlap: .later))
            == instant("2026-11-01T06:30:00Z"))
    }

    @Test("the wall time just after the repeated hour is unique")
    func afterOverlap() throws {
        let newYork = try zone("America/New_York")
        #expect(newYork.resolve(localDateTime("2026-11-01T02:00:00")) == .unique(instant("2026-11-01T07:00:00Z")))
    }
}

@Suite struct UTCOffsets {
    @Test("offsets through the year follow each zone's rules", arguments: [
        ("America/New_York", "2026-01-15T12:00:00Z", "-05:00"),
        ("America/New_York", "2026-07-15T12:00:00Z", "-04:00"),
        ("Europe/London", "2026-01-15T12:00:00Z", "+00:00"),
        ("Europe/London", "2026-07-15T12:00:00Z", "+01:00"),
        ("Asia/Shanghai", "2026-01-15T12:00:00Z", "+08:00"),
        ("Asia/Shanghai", "2026-07-15T12:00:00Z", "+08:00"),
        ("Australia/Sydney", "2026-01-15T12:00:00Z", "+11:00"),
        ("Australia/Sydney", "2026-07-15T12:00:00Z", "+10:00"),
        ("Asia/Kolkata", "2026-01-15T12:00:00Z", "+05:30"),
        ("Asia/Kolkata", "2026-07-15T12:00:00Z", "+05:30"),
        ("Europe/Dublin", "2026-01-15T12:00:00Z", "+00:00"),
        ("Europe/Dublin", "2026-07-15T12:00:00Z", "+01:00"),
        ("Asia/Kathmandu", "2026-07-15T12:00:00Z", "+05:45"),
        ("UTC", "2026-07-15T12:00:00Z", "+00:00"),
    ])
    func offsets(identifier: String, at text: String, expected: String) throws {
        #expect(try zone(identifier).offset(at: instant(text)).description == expected)
    }

    @Test("Asia/Shanghai has no DST: +08:00 on every day of 2026")
    func shanghaiAllYear() throws {
        let shanghai = try zone("Asia/Shanghai")
        var point = instant("2026-01-01T00:00:00Z")
        while point < instant("2027-01-01T00:00:00Z") {
            #expect(shanghai.offset(at: point) == UTCOffset(seconds: 8 * 3600))
            point = point.advanced(by: .seconds(86_400))
        }
    }

    @Test("far-future instants follow the POSIX footer rule", arguments: [
        ("America/New_York", "2045-07-01T12:00:00Z", "-04:00", "EDT"),
        ("America/New_York", "2045-01-01T12:00:00Z", "-05:00", "EST"),
        ("America/New_York", "2262-01-01T00:00:00Z", "-05:00", "EST"),
        ("Europe/London", "2100-07-01T12:00:00Z", "+01:00", "BST"),
        ("Australia/Sydney", "2150-01-01T12:00:00Z", "+11:00", "AEDT"),
    ])
    func farFuture(identifier: String, at text: String, offset: String, abbreviation: String) throws {
        let rules = try zone(identifier)
        #expect(rules.offset(at: instant(text)).description == offset)
        #expect(rules.abbreviation(at: instant(text)) == abbreviation)
    }

    @Test("far-future gaps resolve from the footer rule too")
    func farFutureGap() throws {
        // 2045-03-12 is the second Sunday of March.
        #expect(try zone("America/New_York").resolve(localDateTime("2045-03-12T02:30:00"))
            == .skipped(before: instant("2045-03-12T06:30:00Z"), after: instant("2045-03-12T07:30:00Z")))
    }

    @Test("historical instants use the listed transitions", arguments: [
        ("America/New_York", "1950-04-30T06:59:59Z", "-05:00"),
        ("America/New_York", "1950-04-30T07:00:00Z", "-04:00"),
        ("America/New_York", "1950-09-24T06:00:00Z", "-05:00"),
        ("America/New_York", "1943-01-01T12:00:00Z", "-04:00"),
        ("America/New_York", "1850-01-01T00:00:00Z", "-04:56:02"),
        ("Europe/London", "1941-07-01T12:00:00Z", "+02:00"),
        ("Europe/London", "1970-01-01T00:00:00Z", "+01:00"),
        ("Asia/Shanghai", "1988-07-01T00:00:00Z", "+09:00"),
        ("Asia/Kolkata", "1943-01-01T00:00:00Z", "+06:30"),
    ])
    func historical(identifier: String, at text: String, offset: String) throws {
        #expect(try zone(identifier).offset(at: instant(text)).description == offset)
    }

    @Test("the footer rule agrees with the listed transitions of the fat files through 2037", arguments: [
        "America/New_York", "Europe/London", "Europe/Dublin", "Australia/Sydney", "America/Santiago",
        "Asia/Jerusalem", "America/Nuuk", "Pacific/Auckland", "America/Havana", "Europe/Berlin",
    ])
    func footerAgreesWithFile(identifier: String) throws {
        let fromFile = try zone(identifier)
        let footer = try #require(TimeZoneFiles.footer(of: identifier))
        let fromFooter = try TimeZoneRules(identifier: identifier, posixTZ: footer)
        var point = instant("2026-01-01T00:00:00Z")
        var mismatches = 0
        while point < instant("2037-10-01T00:00:00Z") {
            if fromFile.offset(at: point) != fromFooter.offset(at: point) { mismatches += 1 }
            point = point.advanced(by: .seconds(1800))
        }
        #expect(mismatches == 0, "\(identifier) with footer \(footer)")
    }
}

@Suite struct LocalCalendarViews {
    @Test("one instant is a different local date for consumers in different zones")
    func localDateAcrossMidnight() throws {
        let moment = instant("2026-11-24T02:00:00Z")
        #expect(try zone("Asia/Shanghai").localDate(at: moment) == date(2026, 11, 24))
        #expect(try zone("America/New_York").localDate(at: moment) == date(2026, 11, 23))
        #expect(try zone("Asia/Shanghai").localDateTime(at: moment) == localDateTime("2026-11-24T10:00:00"))
        #expect(try zone("America/New_York").localDateTime(at: moment) == localDateTime("2026-11-23T21:00:00"))
        #expect(TimeZoneRules.utc.localDate(at: moment) == date(2026, 11, 24))
    }

    @Test("local date-times round-trip through resolve for every hour of 2026 in New York, except the gap")
    func roundTripsHourly() throws {
        let newYork = try zone("America/New_York")
        var point = instant("2026-01-01T00:00:00Z")
        while point < instant("2027-01-01T00:00:00Z") {
            let wallClock = newYork.localDateTime(at: point)
            switch newYork.resolve(wallClock) {
            case let .unique(resolved):
                #expect(resolved == point)
            case let .repeated(earlier, later):
                #expect(earlier == point || later == point)
            case .skipped:
                Issue.record("\(wallClock) was read off a real instant, so it cannot be skipped")
            }
            point = point.advanced(by: .seconds(3600))
        }
    }

    @Test("fractional seconds survive resolution")
    func fractions() throws {
        let shanghai = try zone("Asia/Shanghai")
        #expect(shanghai.resolve(localDateTime("2026-11-24T16:00:00.123456789"))
            == .unique(instant("2026-11-24T08:00:00.123456789Z")))
    }

    @Test("the start of a day is local midnight, or the end of a gap that swallows midnight")
    func startOfDay() throws {
        #expect(try zone("America/New_York").startOfDay(date(2026, 11, 24)) == instant("2026-11-24T05:00:00Z"))
        #expect(try zone("Asia/Shanghai").startOfDay(date(2026, 11, 24)) == instant("2026-11-23T16:00:00Z"))
        // Santiago springs forward at 24:00: 2026-09-06 begins at 01:00 local (-03:00).
        #expect(try zone("America/Santiago").startOfDay(date(2026, 9, 6)) == instant("2026-09-06T04:00:00Z"))
        // Havana falls back from 01:00 to 00:00: 2026-11-01 begins at the first midnight (-04:00).
        #expect(try zone("America/Havana").startOfDay(date(2026, 11, 1)) == instant("2026-11-01T04:00:00Z"))
    }

    @Test("resolving a wall time beyond the Instant range throws from the validating variant")
    func validatingResolve() throws {
        #expect(throws: TimeError.self) {
            try zone("America/New_York").resolve(validating: localDateTime("9999-12-31T00:00:00"))
        }
        #expect(try zone("America/New_York").resolve(validating: localDateTime("2026-11-24T08:00:00"))
            == .unique(instant("2026-11-24T13:00:00Z")))
    }

    @Test("UTC offsets print as ±hh:mm, with seconds only when present", arguments: [
        (Int32(0), "+00:00"), (28_800, "+08:00"), (-14_400, "-04:00"), (19_800, "+05:30"), (-17_762, "-04:56:02"),
        (-75, "-00:01:15"), (93_599, "+25:59:59"),
    ])
    func offsetText(seconds: Int32, text: String) {
        #expect(UTCOffset(seconds: seconds).description == text)
    }
}
