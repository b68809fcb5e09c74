import PaylaterProducts
import PaylaterTime
import Testing

@Suite("Return pauses")
struct ReturnPauseTests {
    static func day(_ text: String) -> LocalDate { try! LocalDate(iso8601: text) }

    @Test("a reported return pauses the plan for 28 days by default")
    func defaultLength() throws {
        let pause = try ReturnPause(reportedOn: Self.day("2026-11-24"))
        #expect(pause.endsOn == Self.day("2026-12-22"))
        #expect(pause.isActive(on: Self.day("2026-11-24")))
        #expect(pause.isActive(on: Self.day("2026-12-21")))
        #expect(!pause.isActive(on: Self.day("2026-12-22")), "the end day is no longer paused")
        #expect(!pause.isActive(on: Self.day("2026-11-23")))
    }

    @Test("an installment due inside the pause becomes due when it ends; others keep their dates")
    func dueDates() throws {
        let pause = try ReturnPause(reportedOn: Self.day("2026-11-24"))
        #expect(pause.effectiveDueDate(for: Self.day("2026-12-08")) == Self.day("2026-12-22"))
        #expect(pause.effectiveDueDate(for: Self.day("2026-11-24")) == Self.day("2026-12-22"))
        #expect(pause.effectiveDueDate(for: Self.day("2026-12-22")) == Self.day("2026-12-22"))
        #expect(pause.effectiveDueDate(for: Self.day("2027-01-05")) == Self.day("2027-01-05"))
        #expect(pause.effectiveDueDate(for: Self.day("2026-11-10")) == Self.day("2026-11-10"), "already overdue")
    }

    @Test("no late fees while paused, for any installment; they may resume when the pause ends")
    func lateFees() throws {
        let pause = try ReturnPause(reportedOn: Self.day("2026-11-24"), days: 21)
        #expect(pause.suppressesLateFees(on: Self.day("2026-12-01")))
        #expect(!pause.suppressesLateFees(on: Self.day("2026-12-15")))
    }

    @Test("the paused days of a span are those from the report up to the pause's end")
    func pausedDays() throws {
        let pause = try ReturnPause(reportedOn: Self.day("2026-01-17"), days: 28)
        #expect(pause.pausedDays(from: Self.day("2026-01-15"), until: Self.day("2026-02-20")) == 28)
        #expect(pause.pausedDays(from: Self.day("2026-01-15"), until: Self.day("2026-01-20")) == 3)
        #expect(pause.pausedDays(from: Self.day("2026-02-01"), until: Self.day("2026-02-03")) == 2)
        #expect(pause.pausedDays(from: Self.day("2026-02-14"), until: Self.day("2026-03-01")) == 0)
        #expect(pause.pausedDays(from: Self.day("2026-01-01"), until: Self.day("2026-01-17")) == 0)
    }

    @Test("the merchant's refund ends the pause a week later, never later than planned")
    func refundEndsPause() throws {
        let pause = try ReturnPause(reportedOn: Self.day("2026-11-24"))
        #expect(try pause.endedByRefund(on: Self.day("2026-12-01")).endsOn == Self.day("2026-12-08"))
        #expect(try pause.endedByRefund(on: Self.day("2026-12-18")).endsOn == Self.day("2026-12-22"))
        #expect(try pause.endedByRefund(on: Self.day("2027-02-01")).endsOn == Self.day("2026-12-22"))
        #expect(throws: ReturnPauseError.endsBeforeReport(end: Self.day("2026-11-01"), reported: Self.day("2026-11-24"))) {
            try pause.endedByRefund(on: Self.day("2026-11-01"))
        }
    }

    @Test("pause lengths outside 1 to 60 days are refused", arguments: [0, -1, 61])
    func lengths(days: Int) {
        #expect(throws: ReturnPauseError.daysOutOfRange(days, allowed: 1...60)) {
            try ReturnPause(reportedOn: Self.day("2026-11-24"), days: days)
        }
    }

    @Test("a pause across a year end and a leap day counts calendar days")
    func calendarEdges() throws {
        #expect(try ReturnPause(reportedOn: Self.day("2027-12-20")).endsOn == Self.day("2028-01-17"))
        #expect(try ReturnPause(reportedOn: Self.day("2028-02-15"), days: 28).endsOn == Self.day("2028-03-14"))
    }
}
