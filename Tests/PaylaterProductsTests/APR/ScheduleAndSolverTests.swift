import PaylaterMoney
import PaylaterProducts
import PaylaterTime
import Testing

@Suite("Cash-flow schedule validation")
struct CashFlowScheduleTests {
    let day = Fixture.date("2024-01-10")
    let later = Fixture.date("2024-02-10")

    @Test("a schedule needs at least one advance and one payment")
    func needsBothSides() {
        #expect(throws: CashFlowScheduleError.noAdvances) {
            try CashFlowSchedule(currency: .USD, advances: [], payments: [(later, Fixture.money("1.00"))])
        }
        #expect(throws: CashFlowScheduleError.noPayments) {
            try CashFlowSchedule(currency: .USD, advances: [(day, Fixture.money("1.00"))], payments: [])
        }
    }

    @Test("every amount is positive")
    func positiveAmounts() {
        #expect(throws: CashFlowScheduleError.nonPositiveAmount(.payment, index: 1, amount: Fixture.money("0.00"))) {
            try CashFlowSchedule(
                currency: .USD, advances: [(day, Fixture.money("1.00"))],
                payments: [(later, Fixture.money("1.00")), (later, Fixture.money("0.00"))])
        }
        #expect(throws: CashFlowScheduleError.nonPositiveAmount(.advance, index: 0, amount: Fixture.money("-5.00"))) {
            try CashFlowSchedule(currency: .USD, advances: [(day, Fixture.money("-5.00"))], payments: [(later, Fixture.money("1.00"))])
        }
    }

    @Test("every amount is in the schedule's currency")
    func oneCurrency() {
        #expect(throws: CashFlowScheduleError.currencyMismatch(.payment, index: 0, found: .EUR, expected: .USD)) {
            try CashFlowSchedule(
                currency: .USD, advances: [(day, Fixture.money("1.00"))], payments: [(later, Fixture.money("1.00", .EUR))])
        }
    }

    @Test("no payment falls before the first advance")
    func paymentsAfterFirstAdvance() {
        #expect(throws: CashFlowScheduleError.paymentBeforeFirstAdvance(index: 0, date: day, firstAdvance: later)) {
            try CashFlowSchedule(currency: .USD, advances: [(later, Fixture.money("1.00"))], payments: [(day, Fixture.money("1.00"))])
        }
    }

    @Test("a schedule holds at most 10,000 cash flows")
    func bounded() {
        let payments = Array(repeating: (later, Fixture.money("1.00")), count: CashFlowSchedule.cashFlowsMaximum)
        #expect(throws: CashFlowScheduleError.tooManyCashFlows(count: 10_001, maximum: 10_000)) {
            try CashFlowSchedule(currency: .USD, advances: [(day, Fixture.money("1.00"))], payments: payments)
        }
    }

    @Test("flows are kept in date order and the errors name the field")
    func orderAndMessages() throws {
        let schedule = try CashFlowSchedule(
            currency: .USD, advances: [(later, Fixture.money("2.00")), (day, Fixture.money("1.00"))],
            payments: [(later, Fixture.money("3.00"))])
        #expect(schedule.start == day)
        #expect(
            CashFlowScheduleError.nonPositiveAmount(.payment, index: 2, amount: Fixture.money("0.00")).description
                == "payments[2].amount is 0.00; every amount must be above zero")
    }
}

@Suite("APR solver")
struct APRSolverTests {
    @Test("payments below the advances have no APR", arguments: APRMethod.allCases)
    func paymentsBelowAdvances(_ method: APRMethod) throws {
        let schedule = try Fixture.schedule(advance: "1000.00", on: "2024-01-10", Fixture.monthly("83.33", count: 12, first: "2024-02-10"))
        #expect(throws: APRError.paymentsBelowAdvances) { try APRCalculator.apr(schedule, method: method) }
    }

    @Test("payments equal to the advances are 0%", arguments: APRMethod.allCases)
    func interestFree(_ method: APRMethod) throws {
        let schedule = try Fixture.schedule(advance: "1000.00", on: "2024-01-10", Fixture.monthly("250.00", count: 4, first: "2024-02-10"))
        let result = try APRCalculator.apr(schedule, method: method)
        #expect(result.annualRate == 0)
        #expect(result.percentString() == "0.0000")
    }

    @Test("very high rates are found: 100 repaid with 200 a week later")
    func highRate() throws {
        let schedule = try Fixture.schedule(advance: "100.00", on: "2024-01-10", [(Fixture.date("2024-01-17"), Fixture.money("200.00"))])
        let result = try APRCalculator.apr(schedule, method: .usRegZ)
        #expect(result.period == .weeks(1))
        #expect(result.percentString(decimals: 4) == "5200.0000")
    }

    @Test("a rate too large to show is an error, not a trap: 100 repaid with 105 a day later, compounded by cn-irr")
    func rateTooLarge() throws {
        let schedule = try Fixture.schedule(advance: "100.00", on: "2026-01-01", [(Fixture.date("2026-01-02"), Fixture.money("105.00"))])
        #expect(throws: APRError.self) { try APRCalculator.apr(schedule, method: .cnIRR) }
        do {
            _ = try APRCalculator.apr(schedule, method: .cnIRR)
        } catch {
            guard case let .rateTooLarge(periodicRate, period) = error else {
                Issue.record("unexpected error \(error)")
                return
            }
            #expect(period == .days(1) && abs(periodicRate - 0.05) < 1e-9)
            #expect(error.description.contains("5.0000% per 1 day") && error.description.contains("too large"))
        }
        // 5% a day by us-regz is 1825% a year, which can be shown.
        #expect(try APRCalculator.apr(schedule, method: .usRegZ).percentString() == "1825.0000")
    }

    @Test("a rate beyond what the solver looks for says it is too large, not that there is none: 100 repaid with 200 a day later, by the EU method")
    func rateBeyondTheSolver() throws {
        let schedule = try Fixture.schedule(advance: "100.00", on: "2026-01-01", [(Fixture.date("2026-01-02"), Fixture.money("200.00"))])
        #expect(throws: APRError.noSolution) { try APRCalculator.apr(schedule, method: .eu) }
        #expect(APRError.noSolution.description.contains("the rate is larger than that, too large to be an annual percentage rate"))
    }

    @Test("the same schedule always gives the same rate")
    func deterministic() throws {
        let schedule = try Fixture.schedule(
            advance: "6000.00", on: "1978-02-10", Fixture.monthly("200.00", count: 36, first: "1978-04-01"))
        let first = try APRCalculator.apr(schedule, method: .usRegZ)
        for _ in 0..<10 { #expect(try APRCalculator.apr(schedule, method: .usRegZ) == first) }
    }

    @Test("rates print in percent, rounded half away from zero", arguments: [
        (0.0969, 4, "9.6900"), (0.09685708, 2, "9.69"), (0.000005, 4, "0.0005"), (0.12345, 0, "12"), (0, 4, "0.0000"),
        (52.0, 4, "5200.0000"),
    ])
    func percentText(_ rate: Double, _ decimals: Int, _ expected: String) {
        #expect(APRResult.percent(rate, decimals: decimals) == expected)
    }
}
