import PaylaterMoney
import PaylaterProducts
import PaylaterTime
import Testing

@Suite("Schedule inputs are rejected with an error that names them")
struct ScheduleValidationTests {
    let start = Fixture.date("2024-01-10")

    private func schedule(_ terms: ScheduleTerms, _ principal: Money) throws(ScheduleError) -> InstallmentSchedule {
        try ScheduleGenerator.schedule(for: terms, principal: principal, start: start, remainder: .first)
    }

    @Test("the principal must be above zero")
    func nonPositivePrincipal() {
        #expect(throws: ScheduleError.nonPositivePrincipal(Fixture.money("0.00"))) {
            try schedule(.payIn4(), Fixture.money("0.00"))
        }
        #expect(throws: ScheduleError.nonPositivePrincipal(Fixture.money("-1.00"))) {
            try schedule(.tryThenPay(dueAfterDays: 30), Fixture.money("-1.00"))
        }
    }

    @Test("the principal has a maximum")
    func principalTooLarge() {
        let huge = Money(minorUnits: ScheduleGenerator.principalMinorUnitsMaximum + 1, currency: .USD)
        #expect(throws: ScheduleError.principalTooLarge(huge, maximumMinorUnits: ScheduleGenerator.principalMinorUnitsMaximum)) {
            try schedule(.payIn4(), huge)
        }
    }

    @Test("an equal split needs at least one minor unit per installment")
    func tooSmallToSplit() {
        #expect(throws: ScheduleError.principalTooSmallToSplit(Fixture.money("0.03"), installments: 4)) {
            try schedule(.payIn4(), Fixture.money("0.03"))
        }
    }

    @Test("a monthly split is offered over 3, 6 or 12 months only", arguments: [0, 1, 2, 4, 9, 24])
    func splitMonths(months: Int) {
        #expect(throws: ScheduleError.monthsNotOffered(months, offered: [3, 6, 12])) {
            try schedule(.monthlySplit(months: months, monthlyFeeRate: .zero), Fixture.money("100.00"))
        }
    }

    @Test("financing runs 3 to 36 months", arguments: [0, 2, 37, -1])
    func financingMonths(months: Int) {
        #expect(throws: ScheduleError.monthsOutOfRange(months, allowed: 3...36)) {
            try schedule(.financingEqualInstallments(months: months, monthlyRate: .zero), Fixture.money("100.00"))
        }
        #expect(throws: ScheduleError.monthsOutOfRange(months, allowed: 3...36)) {
            try schedule(.financingEqualPrincipal(months: months, monthlyRate: .zero), Fixture.money("100.00"))
        }
    }

    @Test("a rate may not be negative or above 10% a month")
    func rates() {
        let negative = Sched.rate("-0.001")
        #expect(throws: ScheduleError.negativeRate(negative)) {
            try schedule(.financingEqualPrincipal(months: 6, monthlyRate: negative), Fixture.money("100.00"))
        }
        #expect(throws: ScheduleError.negativeRate(negative)) {
            try schedule(.monthlySplit(months: 6, monthlyFeeRate: negative), Fixture.money("100.00"))
        }
        let high = Sched.rate("0.11")
        #expect(throws: ScheduleError.rateTooHigh(high, maximum: Sched.rate("0.1"))) {
            try schedule(.financingEqualInstallments(months: 6, monthlyRate: high), Fixture.money("100.00"))
        }
    }

    @Test("try-then-pay days and pay-in-4 intervals stay within their ranges")
    func dayRanges() {
        #expect(throws: ScheduleError.dueAfterDaysOutOfRange(0, allowed: 1...180)) {
            try schedule(.tryThenPay(dueAfterDays: 0), Fixture.money("1.00"))
        }
        #expect(throws: ScheduleError.intervalDaysOutOfRange(0, allowed: 1...31)) {
            try schedule(.payIn4(intervalDays: 0), Fixture.money("1.00"))
        }
    }

    @Test("a given first due date must be after the statement due date")
    func firstDueDate() {
        #expect(throws: ScheduleError.firstDueDateNotAfterStart(firstDueDate: start, start: start)) {
            try schedule(.monthlySplit(months: 3, monthlyFeeRate: .zero, firstDueDate: start), Fixture.money("3.00"))
        }
    }

    @Test("due dates past year 9999 are reported as out of range")
    func dateOverflow() throws {
        let error = #expect(throws: ScheduleError.self) {
            try ScheduleGenerator.schedule(
                for: .financingEqualPrincipal(months: 12, monthlyRate: .zero), principal: Fixture.money("12.00"),
                start: Fixture.date("9999-06-30"), remainder: .first)
        }
        guard case .dateOutOfRange = error else {
            Issue.record("expected dateOutOfRange, got \(String(describing: error))")
            return
        }
    }
}

@Suite("Installment schedule invariants")
struct InstallmentScheduleInvariantTests {
    private func installment(_ number: Int, _ date: String, _ principal: String, _ fee: String = "0.00") throws
        -> Installment
    {
        try Installment(number: number, dueDate: Fixture.date(date), principal: Fixture.money(principal), fee: Fixture.money(fee))
    }

    @Test("an installment's total is its principal plus its fee")
    func installmentTotal() throws {
        #expect(try installment(1, "2024-01-01", "10.00", "0.25").total == Fixture.money("10.25"))
    }

    @Test("a schedule's totals are the sums of its installments, and total = principal + fees")
    func sums() throws {
        let schedule = try InstallmentSchedule(installments: [
            installment(1, "2024-01-01", "10.00", "0.25"), installment(2, "2024-02-01", "5.01", "0.10"),
        ])
        #expect(schedule.principal == Fixture.money("15.01"))
        #expect(schedule.totalFees == Fixture.money("0.35"))
        #expect(schedule.total == Fixture.money("15.36"))
    }

    @Test("amounts are never negative")
    func negative() {
        #expect(throws: ScheduleError.negativeAmount(installment: 1, amount: Fixture.money("-0.01"))) {
            try installment(1, "2024-01-01", "1.00", "-0.01")
        }
    }

    @Test("installments are numbered from 1, due on strictly increasing dates, in one currency")
    func order() throws {
        #expect(throws: ScheduleError.misnumbered(position: 1, number: 3)) {
            try InstallmentSchedule(installments: [installment(1, "2024-01-01", "1.00"), installment(3, "2024-02-01", "1.00")])
        }
        #expect(
            throws: ScheduleError.dueDatesNotIncreasing(
                installment: 2, dueDate: Fixture.date("2024-01-01"), previous: Fixture.date("2024-01-01"))
        ) {
            try InstallmentSchedule(installments: [installment(1, "2024-01-01", "1.00"), installment(2, "2024-01-01", "1.00")])
        }
        let euro = try Installment(
            number: 2, dueDate: Fixture.date("2024-02-01"), principal: Fixture.money("1.00", .EUR),
            fee: Fixture.money("0.00", .EUR))
        #expect(throws: ScheduleError.currencyMismatch(installment: 2, found: .EUR, expected: .USD)) {
            try InstallmentSchedule(installments: [installment(1, "2024-01-01", "1.00"), euro])
        }
        #expect(throws: ScheduleError.installmentCountOutOfRange(0, allowed: 1...120)) {
            try InstallmentSchedule(installments: [])
        }
    }
}
