import Foundation
import PaylaterMoney
import PaylaterProducts
import PaylaterTime
import Testing

/// The 6-month split of 1,200.00 CNY at 0.5% a month (`Plan.split`: 200.00 + 6.00 due the 15th from Feb 15) as a
/// live plan, with its rebate rule as a contract term.
private func livePlan(_ rule: RebateRule, start: LocalDate? = Plan.splitStart) -> RepaymentPlan {
    RepaymentPlan(id: "split", schedule: Plan.split, rebateRule: rule, start: start)
}

@Suite("Paying a live plan off early")
struct PlanPayoffTests {
    @Test("the live plan's payoff quote is PayoffQuote's for what it has recorded as paid", arguments: [
        RebateRule.none, .unearnedFees, .actuarialInterest(monthlyRate: Sched.rate("0.005")),
    ])
    func quoteMatchesPayoffQuote(rule: RebateRule) throws {
        var plan = livePlan(rule)
        _ = try plan.pay(Plan.cny("206.00"), on: Fixture.date("2026-02-15"))
        let date = Fixture.date("2026-03-20")
        let expected = try PayoffQuote(
            schedule: Plan.split, start: Plan.splitStart, paid: Plan.paid(Plan.split, first: 1), lateFees: Plan.cny("0.00"),
            date: date, rule: rule)
        #expect(try plan.payoffQuote(on: date) == expected)
    }

    @Test("a payoff settles the plan, takes the rebate off the installments' fees and keeps what was earned")
    func payOffSettles() throws {
        var plan = livePlan(.unearnedFees)
        let date = Fixture.date("2026-01-16")
        let quote = try plan.payoffQuote(on: date)
        // The first period's fee is earned; the other five are waived.
        #expect(quote.amount == Plan.cny("1206.00") && quote.rebate == Plan.cny("30.00"))
        let payoff = try plan.payOff(quote.amount, on: date)
        #expect(payoff.principal == Plan.cny("1200.00"))
        #expect(payoff.fees == Plan.cny("6.00"))
        #expect(payoff.rebate == Plan.cny("30.00"))
        #expect(plan.status == .paidOff(on: date))
        #expect(plan.owed.isZero)
        #expect(plan.installments.map(\.fee.decimalString) == ["6.00", "0.00", "0.00", "0.00", "0.00", "0.00"])
    }

    @Test("any amount but the quoted one is refused, naming the quote, and changes nothing")
    func amountMustMatch() throws {
        var plan = livePlan(.unearnedFees)
        let before = plan
        #expect(throws: PlanError.payoffAmountMismatch(offered: Plan.cny("1236.00"), quoted: Plan.cny("1206.00"))) {
            try plan.payOff(Plan.cny("1236.00"), on: Fixture.date("2026-01-16"))
        }
        #expect(plan == before)
    }

    @Test("without a rebate rule a payoff costs what is left on the schedule")
    func noRebate() throws {
        var plan = livePlan(.none)
        let payoff = try plan.payOff(Plan.cny("1236.00"), on: Fixture.date("2026-01-16"))
        #expect(payoff.rebate.isZero)
        #expect(plan.installments.allSatisfy { $0.fee == Plan.cny("6.00") })
    }

    @Test("unpaid late fees are paid in full by a payoff and never rebated")
    func lateFeesPaid() throws {
        let policy = try LateFeePolicy(first: LateFeeAmount(fixed: Plan.cny("15.00")), orderCapPercentage: BasisPoints(2500))
        var plan = RepaymentPlan(
            id: "late", schedule: Plan.split, lateFeePolicy: policy, rebateRule: .unearnedFees, start: Plan.splitStart)
        let date = Fixture.date("2026-02-20")
        _ = try plan.assessLateFees(on: date)
        let payoff = try plan.payOff(Plan.cny("1227.00"), on: date)
        #expect(payoff.lateFees == Plan.cny("15.00"))
        #expect(plan.lateFeesOwed.isZero && plan.owed.isZero)
    }

    @Test("a plan without a recorded start measures its first period from one month before the first due date")
    func inferredStart() throws {
        let date = Fixture.date("2026-01-20")
        #expect(try livePlan(.unearnedFees, start: nil).payoffQuote(on: date) == (try livePlan(.unearnedFees).payoffQuote(on: date)))
    }

    @Test("pay in 4, whose first part is due at capture, can be paid off on capture day")
    func payIn4OnCaptureDay() throws {
        let captured = Fixture.date("2024-03-01")
        let schedule = try ScheduleGenerator.schedule(
            for: .payIn4(intervalDays: 14), principal: Plan.cny("100.00"), start: captured, remainder: .first)
        var plan = RepaymentPlan(id: "p4", schedule: schedule, rebateRule: .unearnedFees, start: captured)
        let payoff = try plan.payOff(Plan.cny("100.00"), on: captured)
        #expect(payoff.rebate.isZero && plan.status == .paidOff(on: captured))
        #expect(throws: PlanError.alreadySettled) { try plan.payoffQuote(on: captured) }
    }

    @Test("a stored plan from before rebate rules were recorded reads with no rebate and no start")
    func decodesOldDocuments() throws {
        let encoded = try JSONEncoder().encode(livePlan(.unearnedFees))
        var object = try #require(try JSONSerialization.jsonObject(with: encoded) as? [String: Any])
        object["rebateRule"] = nil
        object["start"] = nil
        let old = try JSONDecoder().decode(RepaymentPlan.self, from: try JSONSerialization.data(withJSONObject: object))
        #expect(old.rebateRule == RebateRule.none && old.start == nil)
        #expect(old.installments == livePlan(.none).installments)
        #expect(try JSONDecoder().decode(RepaymentPlan.self, from: encoded) == livePlan(.unearnedFees))
    }
}

@Suite("Paying early, then paying off")
struct PrepaidPayoffTests {
    struct Case: Sendable, CustomTestStringConvertible {
        let name: String
        let terms: ScheduleTerms
        let rule: RebateRule
        let amount: String
        /// Payments before the payoff: the amount and the day.
        let payments: [(String, String)]
        let payoffDate: String
        /// What the payoff gives back of the fees paid ahead.
        let returned: String
        var testDescription: String { name }
    }

    static let split = ScheduleTerms.monthlySplit(months: 6, monthlyFeeRate: Sched.rate("0.005"))
    static let financing = ScheduleTerms.financingEqualInstallments(months: 12, monthlyRate: Sched.rate("0.01"))
    static let actuarial = RebateRule.actuarialInterest(monthlyRate: Sched.rate("0.01"))

    /// Every plan starts on 2026-01-15; the split is 200.00 + 6.00 a month, the loan 888.49 a month (100.00 of
    /// interest in the first).
    static let cases: [Case] = [
        Case(name: "Huabei rule: two installments paid on day 5, paid off on day 6: the second period's fee comes back",
             terms: split, rule: .unearnedFees, amount: "1200.00", payments: [("412.00", "2026-01-20")],
             payoffDate: "2026-01-21", returned: "6.00"),
        Case(name: "actuarial: the first installment paid on day 1, paid off on day 2: all but two days' interest comes back",
             terms: financing, rule: actuarial, amount: "10000.00", payments: [("888.49", "2026-01-16")],
             payoffDate: "2026-01-17", returned: "93.42"),
        // Two days on 10,000.00 at 12% / 365 is 6.58 earned of the first 100.00; the second's 92.12 all comes back.
        Case(name: "actuarial: two installments paid on day 1, paid off on day 2",
             terms: financing, rule: actuarial, amount: "10000.00", payments: [("1776.98", "2026-01-16")],
             payoffDate: "2026-01-17", returned: "185.54"),
        // The second installment's interest is 92.12 (1% of 9,211.51); 14 days of it are earned by Mar 1:
        // 9,211.51 × 12% × 14 / 365 = 42.398… → 42.40, so 49.72 comes back.
        Case(name: "actuarial: the second installment paid early in its period, paid off later in it",
             terms: financing, rule: actuarial, amount: "10000.00",
             payments: [("888.49", "2026-02-15"), ("888.49", "2026-02-20")], payoffDate: "2026-03-01", returned: "49.72"),
        Case(name: "no rebate rule: nothing comes back, paying early or not",
             terms: split, rule: .none, amount: "1200.00", payments: [("412.00", "2026-01-20")],
             payoffDate: "2026-01-21", returned: "0.00"),
    ]

    @Test("what the shopper pays in all does not depend on paying early: prepaid unearned fees come back", arguments: cases)
    func prepaymentThenPayoff(_ example: Case) throws {
        let start = Fixture.date("2026-01-15")
        let schedule = Plan.schedule(example.terms, example.amount, start)
        let payoffDate = Fixture.date(example.payoffDate)
        let straight = try RepaymentPlan(id: "p", schedule: schedule, rebateRule: example.rule, start: start)
            .payoffQuote(on: payoffDate)

        var plan = RepaymentPlan(id: "p", schedule: schedule, rebateRule: example.rule, start: start)
        var paidBefore: Int64 = 0
        for (amount, day) in example.payments {
            let payment = try plan.pay(Plan.cny(amount), on: Fixture.date(day))
            #expect(payment.overpayment.isZero)
            paidBefore += Plan.cny(amount).minorUnits
        }
        let quote = try plan.payoffQuote(on: payoffDate)
        #expect(quote.feesReturned == Plan.cny(example.returned))
        #expect(paidBefore + quote.amount.minorUnits - quote.feesReturned.minorUnits == straight.amount.minorUnits)

        let payoff = try plan.payOff(quote.amount, on: payoffDate)
        #expect(payoff.feesReturned == quote.feesReturned)
        #expect(plan.owed.isZero && plan.status == .paidOff(on: payoffDate))
        // The plan keeps of its fees exactly what a straight payoff earns.
        let kept = plan.installments.reduce(Int64(0)) { $0 + $1.feePaid.minorUnits }
        #expect(kept == straight.feesEarned.minorUnits)
        #expect(plan.installments.allSatisfy { $0.fee == $0.feePaid })
    }
}
