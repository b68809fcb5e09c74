import PaylaterMoney
import PaylaterProducts
import PaylaterTime
import Testing

@Suite("Billing cycles of the monthly bill")
struct BillingCycleTests {
    struct Case: Sendable, CustomTestStringConvertible {
        let name: String
        let statementDay: StatementDay
        let dueDay: Int
        let purchase: String
        let start: String
        let statement: String
        let due: String
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case(name: "Huabei: mid-March is on the April 1 statement, due April 10", statementDay: .day(1), dueDay: 10,
             purchase: "2026-03-15", start: "2026-03-01", statement: "2026-04-01", due: "2026-04-10"),
        Case(name: "the last day before the statement day is on that statement", statementDay: .day(1), dueDay: 10,
             purchase: "2026-03-31", start: "2026-03-01", statement: "2026-04-01", due: "2026-04-10"),
        Case(name: "a purchase on the statement day is on the next statement", statementDay: .day(1), dueDay: 10,
             purchase: "2026-04-01", start: "2026-04-01", statement: "2026-05-01", due: "2026-05-10"),
        Case(name: "a due day before the statement day falls in the next month, across the year end",
             statementDay: .day(25), dueDay: 5,
             purchase: "2026-12-24", start: "2026-11-25", statement: "2026-12-25", due: "2027-01-05"),
        Case(name: "a purchase on Dec 25 goes to the January statement", statementDay: .day(25), dueDay: 5,
             purchase: "2026-12-25", start: "2026-12-25", statement: "2027-01-25", due: "2027-02-05"),
        Case(name: "a due day equal to the statement day gives a full month", statementDay: .day(28), dueDay: 28,
             purchase: "2026-02-10", start: "2026-01-28", statement: "2026-02-28", due: "2026-03-28"),
        Case(name: "month-end statements: Feb 28 of a leap year is on the Feb 29 statement",
             statementDay: .lastDayOfMonth, dueDay: 10,
             purchase: "2024-02-28", start: "2024-01-31", statement: "2024-02-29", due: "2024-03-10"),
        Case(name: "month-end statements: a purchase on the leap day is on the March 31 statement",
             statementDay: .lastDayOfMonth, dueDay: 10,
             purchase: "2024-02-29", start: "2024-02-29", statement: "2024-03-31", due: "2024-04-10"),
        Case(name: "month-end statements: in a common year Feb 28 is the statement day",
             statementDay: .lastDayOfMonth, dueDay: 10,
             purchase: "2025-02-28", start: "2025-02-28", statement: "2025-03-31", due: "2025-04-10"),
        Case(name: "month-end statements: a 30-day month ends on the 30th", statementDay: .lastDayOfMonth, dueDay: 9,
             purchase: "2026-04-29", start: "2026-03-31", statement: "2026-04-30", due: "2026-05-09"),
        Case(name: "statement day 1 and due day 1: the whole next month to pay", statementDay: .day(1), dueDay: 1,
             purchase: "2026-12-31", start: "2026-12-01", statement: "2027-01-01", due: "2027-02-01"),
    ]

    @Test("a purchase's period, statement date and due date", arguments: cases)
    func period(_ example: Case) throws {
        let cycle = try BillingCycle(statementDay: example.statementDay, dueDay: example.dueDay)
        let period = try cycle.period(containing: Fixture.date(example.purchase))
        #expect(period.start == Fixture.date(example.start))
        #expect(period.statementDate == Fixture.date(example.statement))
        #expect(period.dueDate == Fixture.date(example.due))
        #expect(try cycle.period(statementDate: period.statementDate) == period)
    }

    @Test("statement and due days outside 1...28 are refused", arguments: [(29, 10), (0, 10), (1, 29), (1, 0)])
    func daysOutOfRange(_ days: (Int, Int)) {
        #expect(throws: StatementError.self) { try BillingCycle(statementDay: .day(days.0), dueDay: days.1) }
    }

    @Test("a day on which no statement is drawn up is not a statement date")
    func notAStatementDate() throws {
        let cycle = try BillingCycle(statementDay: .day(1), dueDay: 10)
        #expect(throws: StatementError.notAStatementDate(Fixture.date("2026-04-02"))) {
            try cycle.period(statementDate: Fixture.date("2026-04-02"))
        }
    }

    @Test("periods tile the calendar: every day is in exactly one, and the next starts where one ends")
    func periodsTile() throws {
        var random = SplitMix64(seed: 2026_03_01)
        for _ in 0..<500 {
            let statementDay: StatementDay = random.chance(percent: 25) ? .lastDayOfMonth : .day(random.int(in: 1...28))
            let cycle = try BillingCycle(statementDay: statementDay, dueDay: random.int(in: 1...28))
            let date = try LocalDate(daysSinceEpoch: random.int64(in: 18_000...22_000))
            let period = try cycle.period(containing: date)
            #expect(period.contains(date))
            #expect(period.start < period.statementDate && period.statementDate < period.dueDate)
            #expect(period.statementDate.days(until: period.dueDate) <= 31)
            #expect(period.dueDate.day == cycle.dueDay)
            let next = try cycle.period(after: period)
            let dayBefore = try period.start.adding(days: -1)
            let lastDay = try period.statementDate.adding(days: -1)
            #expect(next.start == period.statementDate && !period.contains(dayBefore))
            let first = try cycle.period(containing: period.start)
            let last = try cycle.period(containing: lastDay)
            #expect(first == period && last == period)
        }
    }
}
