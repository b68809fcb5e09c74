import PaylaterMoney
import PaylaterProducts
import PaylaterTime
import Testing

@Suite("Pay in 4")
struct PayIn4Tests {
    @Test("100.01 splits into 25.01, 25.00, 25.00, 25.00 with the leftover cent first")
    func leftoverFirst() throws {
        let schedule = try ScheduleGenerator.schedule(
            for: .payIn4(), principal: Fixture.money("100.01"), start: Fixture.date("2024-03-01"), remainder: .first)
        #expect(Sched.principals(schedule) == ["25.01", "25.00", "25.00", "25.00"])
        #expect(Sched.fees(schedule) == ["0.00", "0.00", "0.00", "0.00"])
        #expect(schedule.total == Fixture.money("100.01"))
    }

    @Test("with the leftover placed last, the last part carries the extra cent")
    func leftoverLast() throws {
        let schedule = try ScheduleGenerator.schedule(
            for: .payIn4(), principal: Fixture.money("100.03"), start: Fixture.date("2024-03-01"), remainder: .last)
        #expect(Sched.principals(schedule) == ["25.00", "25.01", "25.01", "25.01"])
    }

    @Test("the first part is due at capture, then every 14 days")
    func everyFourteenDays() throws {
        let schedule = try ScheduleGenerator.schedule(
            for: .payIn4(), principal: Fixture.money("100.01"), start: Fixture.date("2024-03-01"), remainder: .first)
        #expect(Sched.dueDates(schedule) == ["2024-03-01", "2024-03-15", "2024-03-29", "2024-04-12"])
        #expect(schedule.installments.map(\.number) == [1, 2, 3, 4])
    }

    @Test("the interval is a product setting")
    func customInterval() throws {
        let schedule = try ScheduleGenerator.schedule(
            for: .payIn4(intervalDays: 30), principal: Fixture.money("40.00"), start: Fixture.date("2024-12-15"),
            remainder: .first)
        #expect(Sched.dueDates(schedule) == ["2024-12-15", "2025-01-14", "2025-02-13", "2025-03-15"])
    }
}

@Suite("Try then pay")
struct TryThenPayTests {
    @Test("one installment of the whole amount, due the given days after delivery, with no fee")
    func singleInstallment() throws {
        let schedule = try ScheduleGenerator.schedule(
            for: .tryThenPay(dueAfterDays: 30), principal: Fixture.money("59.99"), start: Fixture.date("2024-05-20"),
            remainder: .first)
        #expect(schedule.installments.count == 1)
        #expect(Sched.dueDates(schedule) == ["2024-06-19"])
        #expect(schedule.total == Fixture.money("59.99"))
        #expect(schedule.totalFees.isZero)
    }
}

@Suite("Monthly split with a service fee")
struct MonthlySplitTests {
    @Test("3,000.00 over 6 months at 0.5% a month is 500.00 principal plus 15.00 fee each month")
    func sixMonths() throws {
        let schedule = try ScheduleGenerator.schedule(
            for: .monthlySplit(months: 6, monthlyFeeRate: Sched.rate("0.005")),
            principal: Fixture.money("3000.00", .CNY), start: Fixture.date("2024-01-10"), remainder: .first)
        #expect(Sched.principals(schedule) == Array(repeating: "500.00", count: 6))
        #expect(Sched.fees(schedule) == Array(repeating: "15.00", count: 6))
        #expect(schedule.totalFees == Fixture.money("90.00", .CNY))
        #expect(schedule.total == Fixture.money("3090.00", .CNY))
    }

    @Test("the first part is due one month after the statement due date")
    func firstDueOneMonthLater() throws {
        let schedule = try ScheduleGenerator.schedule(
            for: .monthlySplit(months: 3, monthlyFeeRate: Sched.rate("0.005")),
            principal: Fixture.money("300.00", .CNY), start: Fixture.date("2024-01-10"), remainder: .first)
        #expect(Sched.dueDates(schedule) == ["2024-02-10", "2024-03-10", "2024-04-10"])
    }

    @Test("a given first due date is used, then monthly from it with month-end clamping")
    func givenFirstDueDate() throws {
        let schedule = try ScheduleGenerator.schedule(
            for: .monthlySplit(months: 6, monthlyFeeRate: Sched.rate("0.005"), firstDueDate: Fixture.date("2024-01-31")),
            principal: Fixture.money("3000.00", .CNY), start: Fixture.date("2024-01-10"), remainder: .first)
        #expect(
            Sched.dueDates(schedule) == ["2024-01-31", "2024-02-29", "2024-03-31", "2024-04-30", "2024-05-31", "2024-06-30"])
    }

    @Test("the monthly fee is rounded half to even", arguments: [("300", "2"), ("100", "0"), ("500", "2"), ("700", "4")])
    func feeHalfEven(principal: String, fee: String) throws {
        // principal × 0.005 is 1.5, 0.5, 2.5 and 3.5 yen.
        let schedule = try ScheduleGenerator.schedule(
            for: .monthlySplit(months: 3, monthlyFeeRate: Sched.rate("0.005")),
            principal: Fixture.money(principal, .JPY), start: Fixture.date("2024-01-10"), remainder: .first)
        #expect(Sched.fees(schedule) == Array(repeating: fee, count: 3))
    }

    @Test("the leftover of an uneven split goes where the product says", arguments: [
        (RemainderPlacement.first, ["33.34", "33.33", "33.33"]), (.last, ["33.33", "33.33", "33.34"]),
    ])
    func unevenSplit(placement: RemainderPlacement, expected: [String]) throws {
        let schedule = try ScheduleGenerator.schedule(
            for: .monthlySplit(months: 3, monthlyFeeRate: .zero), principal: Fixture.money("100.00", .CNY),
            start: Fixture.date("2024-01-10"), remainder: placement)
        #expect(Sched.principals(schedule) == expected)
    }
}

@Suite("Financing")
struct FinancingTests {
    @Test("a schedule starting Jan 31 is due on the last day of each shorter month, never drifting")
    func monthEndDates() throws {
        let schedule = try ScheduleGenerator.schedule(
            for: .financingEqualInstallments(months: 12, monthlyRate: Sched.rate("0.01")),
            principal: Fixture.money("1200.00"), start: Fixture.date("2024-01-31"), remainder: .first)
        #expect(
            Sched.dueDates(schedule) == [
                "2024-02-29", "2024-03-31", "2024-04-30", "2024-05-31", "2024-06-30", "2024-07-31", "2024-08-31",
                "2024-09-30", "2024-10-31", "2024-11-30", "2024-12-31", "2025-01-31",
            ])
    }

    @Test("equal principal: 1,200.00 over 12 months at 1% pays 100.00 plus interest of 12.00 down to 1.00")
    func equalPrincipal() throws {
        let schedule = try ScheduleGenerator.schedule(
            for: .financingEqualPrincipal(months: 12, monthlyRate: Sched.rate("0.01")),
            principal: Fixture.money("1200.00"), start: Fixture.date("2024-01-15"), remainder: .first)
        #expect(Sched.principals(schedule) == Array(repeating: "100.00", count: 12))
        #expect(Sched.fees(schedule) == (1...12).reversed().map { "\($0).00" })
        #expect(schedule.totalFees == Fixture.money("78.00"))
    }

    @Test("a zero rate splits the principal equally with no interest")
    func zeroRate() throws {
        let schedule = try ScheduleGenerator.schedule(
            for: .financingEqualInstallments(months: 3, monthlyRate: .zero), principal: Fixture.money("100.00"),
            start: Fixture.date("2024-01-15"), remainder: .last)
        #expect(Sched.principals(schedule) == ["33.33", "33.33", "33.34"])
        #expect(schedule.totalFees.isZero)
    }

    @Test("a tiny loan never repays more than its balance, and the last installment still closes it")
    func tinyLoan() throws {
        // 0.50 over 36 months at 1%: the rounded payment (0.02) would repay 0.50 after 25 months.
        let schedule = try ScheduleGenerator.schedule(
            for: .financingEqualInstallments(months: 36, monthlyRate: Sched.rate("0.01")),
            principal: Fixture.money("0.50"), start: Fixture.date("2024-01-15"), remainder: .first)
        #expect(schedule.principal == Fixture.money("0.50"))
        #expect(schedule.installments.allSatisfy { !$0.principal.isNegative && !$0.fee.isNegative })
    }
}
