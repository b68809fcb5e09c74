import Foundation
import PaylaterMoney
import PaylaterProducts
import PaylaterTime
import Testing

/// Plans made the way capture makes them: pay in 4 of 100.00 from 2024-03-01, or a 6-month split with a fee.
enum PlanFixture {
    static func payIn4(
        _ amount: String = "100.00", start: String = "2024-03-01", lateFeePolicy: LateFeePolicy? = nil
    ) throws -> RepaymentPlan {
        let schedule = try ScheduleGenerator.schedule(
            for: .payIn4(intervalDays: 14), principal: Fixture.money(amount), start: Fixture.date(start), remainder: .first)
        return RepaymentPlan(id: "p1", schedule: schedule, lateFeePolicy: lateFeePolicy)
    }

    static func split6(_ amount: String = "600.00") throws -> RepaymentPlan {
        let schedule = try ScheduleGenerator.schedule(
            for: .monthlySplit(months: 6, monthlyFeeRate: try Rational(parsing: "0.01")), principal: Fixture.money(amount),
            start: Fixture.date("2024-01-31"), remainder: .first)
        return RepaymentPlan(id: "p2", schedule: schedule)
    }
}

@Suite("Servicing a plan")
struct RepaymentPlanTests {
    @Test("payments settle installments oldest first until the plan is paid off")
    func payToPaidOff() throws {
        var plan = try PlanFixture.payIn4()
        let first = try plan.pay(Fixture.money("25.00"), on: Fixture.date("2024-03-01"))
        #expect(first.principal == Fixture.money("25.00"))
        #expect(plan.installments[0].isSettled)
        #expect(plan.owed == Fixture.money("75.00"))
        let rest = try plan.pay(Fixture.money("80.00"), on: Fixture.date("2024-03-10"))
        #expect(rest.principal == Fixture.money("75.00"))
        #expect(rest.overpayment == Fixture.money("5.00"))
        #expect(plan.status == .paidOff(on: Fixture.date("2024-03-10")))
        #expect(throws: PlanError.alreadySettled) { try plan.pay(Fixture.money("1.00"), on: Fixture.date("2024-03-11")) }
    }

    @Test("a payment in another currency or of zero is refused and changes nothing")
    func refusedPayments() throws {
        var plan = try PlanFixture.payIn4()
        let before = plan
        #expect(throws: PlanError.currencyMismatch(expected: .USD, found: .EUR)) {
            try plan.pay(Fixture.money("1.00", .EUR), on: Fixture.date("2024-03-01"))
        }
        #expect(throws: PlanError.notPositive(Fixture.money("0.00"))) {
            try plan.pay(Fixture.money("0.00"), on: Fixture.date("2024-03-01"))
        }
        #expect(plan == before)
    }

    @Test("a payment may exceed what is owed by at most as much again; a larger one is refused and changes nothing")
    func overpaymentLimit() throws {
        var plan = try PlanFixture.payIn4()
        let before = plan
        #expect(throws: PlanError.payment(.exceedsOverpaymentLimit(
            payment: Fixture.money("200.01"), owed: Fixture.money("100.00"), maximum: Fixture.money("200.00")))) {
            try plan.pay(Fixture.money("200.01"), on: Fixture.date("2024-03-01"))
        }
        #expect(throws: PlanError.payment(.exceedsOverpaymentLimit(
            payment: Money(minorUnits: .max, currency: .USD), owed: Fixture.money("100.00"),
            maximum: Fixture.money("200.00")))) {
            try plan.pay(Money(minorUnits: .max, currency: .USD), on: Fixture.date("2024-03-01"))
        }
        #expect(plan == before)
        var other = plan
        let bounded = try other.pay(Fixture.money("200.01"), on: Fixture.date("2024-03-01"), owedInAll: Fixture.money("150.00"))
        #expect(bounded.overpayment == Fixture.money("100.01"))
        let paid = try plan.pay(Fixture.money("200.00"), on: Fixture.date("2024-03-01"))
        #expect(paid.overpayment == Fixture.money("100.00") && plan.owed.isZero)
    }

    @Test("the largest payment is twice what is owed, and never overflows", arguments: [
        (Int64(0), Int64(0)), (1, 2), (10_000, 20_000), (Int64.max / 2, Int64.max - 1), (Int64.max / 2 + 1, Int64.max),
        (Int64.max, Int64.max),
    ])
    func maximumPayment(owed: Int64, maximum: Int64) {
        #expect(OverpaymentLimit.maximumPayment(owed: Money(minorUnits: owed, currency: .USD)).minorUnits == maximum)
    }

    @Test("a partial refund shrinks the last installments first; a full one returns what was paid and closes the plan")
    func refunds() throws {
        var plan = try PlanFixture.payIn4()
        _ = try plan.pay(Fixture.money("25.00"), on: Fixture.date("2024-03-01"))
        let partial = try plan.refund(Fixture.money("30.00"), on: Fixture.date("2024-03-05"))
        #expect(partial.returnedToShopper.isZero)
        #expect(plan.installments.map(\.principal) == ["25.00", "25.00", "20.00", "0.00"].map { Fixture.money($0) })
        let full = try plan.refund(Fixture.money("70.00"), on: Fixture.date("2024-03-06"))
        #expect(full.returnedPrincipal == Fixture.money("25.00"))
        #expect(plan.status == .closedByRefund(on: Fixture.date("2024-03-06")))
        #expect(plan.owed.isZero)
        #expect(throws: PlanError.refundExceedsPrincipal(refund: Fixture.money("0.01"), remaining: Fixture.money("0.00"))) {
            try plan.refund(Fixture.money("0.01"), on: Fixture.date("2024-03-07"))
        }
    }

    @Test("a plan paid off and then refunded in full is closed by the refund, as one refunded before any payment")
    func paidOffThenRefundedInFull() throws {
        var refundedFirst = try PlanFixture.split6()
        _ = try refundedFirst.refund(Fixture.money("600.00"), on: Fixture.date("2024-03-01"))
        var paidFirst = try PlanFixture.split6()
        _ = try paidFirst.pay(paidFirst.owed, on: Fixture.date("2024-02-29"))
        #expect(paidFirst.status == .paidOff(on: Fixture.date("2024-02-29")))
        let refund = try paidFirst.refund(Fixture.money("600.00"), on: Fixture.date("2024-03-01"))
        #expect(refund.returnedPrincipal == Fixture.money("600.00") && refund.returnedFees == Fixture.money("36.00"))
        #expect(paidFirst.status == .closedByRefund(on: Fixture.date("2024-03-01")))
        #expect(paidFirst == refundedFirst, "the same plan whichever came first")
    }

    @Test("a plan paid off and then refunded in part stays paid off: what is left of it was paid")
    func paidOffThenRefundedInPart() throws {
        var plan = try PlanFixture.payIn4()
        _ = try plan.pay(Fixture.money("100.00"), on: Fixture.date("2024-03-01"))
        let refund = try plan.refund(Fixture.money("30.00"), on: Fixture.date("2024-03-05"))
        #expect(refund.returnedPrincipal == Fixture.money("30.00"))
        #expect(plan.status == .paidOff(on: Fixture.date("2024-03-01")) && plan.owed.isZero)
    }

    @Test("a refund of a split waives the fees of the installments it removes and returns fees already paid on them")
    func refundWaivesFees() throws {
        var plan = try PlanFixture.split6()
        #expect(plan.feesOwed == Fixture.money("36.00"))
        let payment = try plan.pay(Fixture.money("106.00"), on: Fixture.date("2024-02-29"))
        #expect(payment.fees == Fixture.money("6.00"))
        #expect(payment.principal == Fixture.money("100.00"))
        let refund = try plan.refund(Fixture.money("600.00"), on: Fixture.date("2024-03-01"))
        #expect(refund.feesWaived == Fixture.money("36.00"))
        #expect(refund.returnedPrincipal == Fixture.money("100.00"))
        #expect(refund.returnedFees == Fixture.money("6.00"))
        #expect(plan.status == .closedByRefund(on: Fixture.date("2024-03-01")))
    }

    /// api.md F7: 1,000.00 CNY on 12 months at 1% a month, 500.00 refunded the same day, kept 53.17 of interest
    /// (about 40% a year on the 500.00 still lent).
    @Test("a loan refunded in part charges the contract's rate on what is still lent")
    func refundKeepsContractRate() throws {
        let start = Fixture.date("2026-12-07")
        let schedule = try ScheduleGenerator.schedule(
            for: .financingEqualInstallments(months: 12, monthlyRate: try Rational(1, 100)),
            principal: Fixture.money("1000.00", .CNY), start: start, remainder: .first)
        var plan = RepaymentPlan(id: "p", schedule: schedule)
        let refund = try plan.refund(Fixture.money("500.00", .CNY), on: start)
        #expect(refund.feesWaived.minorUnits == schedule.totalFees.minorUnits - plan.feesOwed.minorUnits)
        // Each period's interest is 1% of the principal still scheduled over it, to within the minor unit the
        // schedule rounded.
        var balance: Int64 = 0
        for installment in plan.installments.reversed() {
            balance += installment.principal.minorUnits
            #expect(abs(installment.fee.minorUnits - balance / 100) <= 1)
        }
        let flows = try CashFlowSchedule(
            currency: .CNY, advances: [(start, Fixture.money("500.00", .CNY))],
            payments: plan.installments.filter { $0.owed.isPositive }.map { ($0.dueDate, $0.owed) })
        let contract = try APRCalculator.apr(
            CashFlowSchedule(
                currency: .CNY, advances: [(start, schedule.principal)], payments: schedule.installments.map { ($0.dueDate, $0.total) }),
            method: .cnIRR)
        #expect(try APRCalculator.apr(flows, method: .cnIRR).annualRate <= contract.annualRate)
    }

    @Test("interest already paid on principal refunded later goes back to the shopper")
    func refundReturnsPaidInterest() throws {
        let start = Fixture.date("2026-12-07")
        let schedule = try ScheduleGenerator.schedule(
            for: .financingEqualInstallments(months: 12, monthlyRate: try Rational(1, 100)),
            principal: Fixture.money("1000.00", .CNY), start: start, remainder: .first)
        var plan = RepaymentPlan(id: "p", schedule: schedule)
        _ = try plan.pay(schedule.installments[0].total, on: Fixture.date("2027-01-07"))
        let refund = try plan.refund(Fixture.money("500.00", .CNY), on: Fixture.date("2027-01-10"))
        // The first month's interest was 1% of 1,000.00; the refund leaves 1% of 500.00.
        #expect(plan.installments[0].fee == Fixture.money("5.00", .CNY))
        #expect(refund.returnedFees == Fixture.money("5.00", .CNY))
        #expect(refund.returnedPrincipal.isZero)
        #expect(plan.installments[0].isSettled)
    }

    @Test("an installment overdue when a return is reported is not past due while the pause lasts, and its days are not counted after")
    func pausedPlanIsNotPastDue() throws {
        var plan = try PlanFixture.payIn4()
        #expect(plan.daysPastDue(on: Fixture.date("2024-03-05")) == 4)
        try plan.reportReturn(on: Fixture.date("2024-03-05"), days: 10)
        for day in ["2024-03-05", "2024-03-10", "2024-03-14"] {
            #expect(plan.daysPastDue(on: Fixture.date(day)) == 0, "\(day) is inside the pause")
        }
        // Due 2024-03-01: 4 days past due when the pause began on 03-05, 5 more from its end on 03-15 to 03-20;
        // the 10 paused days between are not counted.
        #expect(plan.daysPastDue(on: Fixture.date("2024-03-20")) == 9)
    }

    @Test("late fees are charged once per stage, never during a return pause, and never past the order cap")
    func lateFees() throws {
        let policy = try LateFeeFixture.afterpay()
        var plan = try PlanFixture.payIn4()
        #expect(try plan.assessLateFees(on: Fixture.date("2024-03-01"), policy: policy).isEmpty)
        let day1 = try plan.assessLateFees(on: Fixture.date("2024-03-02"), policy: policy)
        #expect(day1.map(\.amount) == [Fixture.money("10.00")])
        #expect(try plan.assessLateFees(on: Fixture.date("2024-03-02"), policy: policy).isEmpty)
        #expect(plan.daysPastDue(on: Fixture.date("2024-03-02")) == 1)
        try plan.reportReturn(on: Fixture.date("2024-03-05"))
        #expect(try plan.assessLateFees(on: Fixture.date("2024-03-20"), policy: policy).isEmpty)
        // The second installment, due 2024-03-15 inside the pause, is now due when the pause ends.
        #expect(plan.effectiveDueDate(of: plan.installments[1]) == Fixture.date("2024-04-02"))
        // After the pause, everything overdue is charged up to the order cap: 25% of 100.00.
        let later = try plan.assessLateFees(on: Fixture.date("2024-06-01"), policy: policy)
        #expect(plan.lateFeesCharged == Fixture.money("25.00"))
        #expect(later.allSatisfy { $0.amount.isPositive })
        // The waterfall pays past-due fees first.
        let payment = try plan.pay(Fixture.money("30.00"), on: Fixture.date("2024-06-01"))
        #expect(payment.lateFees == Fixture.money("25.00"))
        #expect(payment.principal == Fixture.money("5.00"))
    }

    /// r6-journey 1: a full refund left 15.00 of late fees owed on a plan with nothing else left, still active (the
    /// shopper's line frozen), and its payoff quote failed on an empty schedule.
    @Test("a refund of all the principal takes every late fee off with it: unpaid ones are waived, paid ones go back to the shopper, and the plan closes")
    func fullRefundTakesLateFees() throws {
        var plan = try PlanFixture.payIn4(lateFeePolicy: try LateFeeFixture.afterpay())
        _ = try plan.assessLateFees(on: Fixture.date("2024-03-02"))
        _ = try plan.assessLateFees(on: Fixture.date("2024-03-16"))
        let charged = plan.lateFeesCharged
        #expect(charged == Fixture.money("25.00"), "10.00 + 7.00 on the first, 10.00 on the second, capped at 25% of 100.00")
        let payment = try plan.pay(Fixture.money("5.00"), on: Fixture.date("2024-03-16"))
        #expect(payment.lateFees == Fixture.money("5.00"))

        let refund = try plan.refund(Fixture.money("100.00"), on: Fixture.date("2024-03-20"))
        #expect(refund.lateFeesWaived == charged)
        #expect(refund.returnedLateFees == Fixture.money("5.00"))
        #expect(refund.returnedToShopper == Fixture.money("5.00"))
        #expect(plan.lateFeesCharged.isZero && plan.owed.isZero)
        #expect(plan.status == .closedByRefund(on: Fixture.date("2024-03-20")))
    }

    /// r6-journey 2: 10.00 of late fees stayed on a 200.00 purchase refunded down to 10.00 (the cap was 25% of the
    /// 200.00 captured).
    @Test("a partial refund caps the late fees on what is left of the order: the excess is waived and no later fee passes the new cap")
    func partialRefundCapsLateFees() throws {
        var plan = try PlanFixture.payIn4("200.00", lateFeePolicy: try LateFeeFixture.afterpay())
        _ = try plan.assessLateFees(on: Fixture.date("2024-03-02"))
        #expect(plan.lateFeesCharged == Fixture.money("10.00"))

        let refund = try plan.refund(Fixture.money("190.00"), on: Fixture.date("2024-03-03"))
        #expect(refund.lateFeesWaived == Fixture.money("7.50"), "25% of the 10.00 left is 2.50")
        #expect(refund.returnedLateFees.isZero)
        #expect(plan.lateFeesCharged == Fixture.money("2.50"))
        #expect(plan.owed == Fixture.money("12.50"))
        #expect(plan.status == .active)
        #expect(try plan.assessLateFees(on: Fixture.date("2024-05-01")).isEmpty, "the cap on what is left is reached")

        // A refund that leaves the cap above what was charged takes nothing off.
        var small = try PlanFixture.payIn4("200.00", lateFeePolicy: try LateFeeFixture.afterpay())
        _ = try small.assessLateFees(on: Fixture.date("2024-03-02"))
        #expect(try small.refund(Fixture.money("100.00"), on: Fixture.date("2024-03-03")).lateFeesWaived.isZero)
        #expect(small.lateFeesCharged == Fixture.money("10.00"))
    }

    /// Review r7 risk: a try-then-pay plan has one installment and no split, as a statement purchase does; its late
    /// fees are capped on what a part refund leaves of it alone.
    @Test("a one-installment plan refunded in part is capped on what is left of it")
    func oneInstallmentPartRefund() throws {
        let schedule = try ScheduleGenerator.schedule(
            for: .tryThenPay(dueAfterDays: 14), principal: Fixture.money("200.00"), start: Fixture.date("2024-03-01"),
            remainder: .first)
        var alone = RepaymentPlan(id: "t", schedule: schedule, lateFeePolicy: try LateFeeFixture.afterpay())
        _ = try alone.assessLateFees(on: Fixture.date("2024-03-16"))
        #expect(alone.lateFeesCharged == Fixture.money("10.00"))
        let refund = try alone.refund(Fixture.money("190.00"), on: Fixture.date("2024-03-17"))
        #expect(refund.lateFeesWaived == Fixture.money("7.50") && refund.statementExcess.isZero)
    }

    /// products.md F3: the follow-up fee's 7 days ran inside the pause and it was charged the day the pause ended.
    @Test("days inside a return pause count toward neither the grace period nor the follow-up delay")
    func pausedDaysAreNotLate() throws {
        let schedule = try ScheduleGenerator.schedule(
            for: .tryThenPay(dueAfterDays: 14), principal: Fixture.money("100.00"), start: Fixture.date("2026-01-01"),
            remainder: .first)
        var plan = RepaymentPlan(id: "t", schedule: schedule, lateFeePolicy: try LateFeeFixture.afterpay())
        #expect(try plan.assessLateFees(on: Fixture.date("2026-01-16")).map(\.amount) == [Fixture.money("10.00")])
        try plan.reportReturn(on: Fixture.date("2026-01-17"), days: 28)
        // Late on Jan 16, paused Jan 17 to Feb 13: the 8th late day, past the 7-day delay, is Feb 20.
        var day = Fixture.date("2026-01-17")
        while day < Fixture.date("2026-02-20") {
            #expect(try plan.assessLateFees(on: day).isEmpty, "\(day)")
            day = try day.adding(days: 1)
        }
        #expect(try plan.assessLateFees(on: Fixture.date("2026-02-20")).map(\.amount) == [Fixture.money("7.00")])
    }

    @Test("a grace period interrupted by a return pause resumes after it")
    func graceResumesAfterPause() throws {
        let schedule = try ScheduleGenerator.schedule(
            for: .tryThenPay(dueAfterDays: 14), principal: Fixture.money("100.00"), start: Fixture.date("2026-01-01"),
            remainder: .first)
        var plan = RepaymentPlan(id: "t", schedule: schedule, lateFeePolicy: try LateFeeFixture.afterpay(graceDays: 3))
        // Due Jan 15; late Jan 16 and 17 (within the grace), paused Jan 18 to Jan 27; the 4th late day is Jan 29.
        try plan.reportReturn(on: Fixture.date("2026-01-18"), days: 10)
        #expect(try plan.assessLateFees(on: Fixture.date("2026-01-28")).isEmpty)
        #expect(try plan.assessLateFees(on: Fixture.date("2026-01-29")).map(\.amount) == [Fixture.money("10.00")])
    }

    @Test("a refund ends a return pause a week after it, early")
    func refundEndsPause() throws {
        var plan = try PlanFixture.payIn4()
        try plan.reportReturn(on: Fixture.date("2024-03-10"))
        #expect(throws: PlanError.returnAlreadyReported(on: Fixture.date("2024-03-10"))) {
            try plan.reportReturn(on: Fixture.date("2024-03-11"))
        }
        _ = try plan.refund(Fixture.money("10.00"), on: Fixture.date("2024-03-12"))
        #expect(plan.returnPause?.endsOn == Fixture.date("2024-03-19"), "a week's notice of what is owed again")
        // The second installment, due 03-15 inside the pause, falls due when it ends, and nothing is late before.
        #expect(plan.effectiveDueDate(of: plan.installments[1]) == Fixture.date("2024-03-19"))
        #expect(plan.daysPastDue(on: Fixture.date("2024-03-18")) == 0)
    }

    @Test("a due date moves once, and the extension fee is added to that installment")
    func dueDateExtension() throws {
        var plan = try PlanFixture.payIn4()
        let rule = try DueDateExtension(maximumDays: 10, fee: Fixture.money("2.00"))
        let fee = try plan.extendDueDate(installment: 2, by: 10, rule: rule, today: Fixture.date("2024-03-10"))
        #expect(fee == Fixture.money("2.00"))
        #expect(plan.installments[1].dueDate == Fixture.date("2024-03-25"))
        #expect(plan.installments[1].fee == Fixture.money("2.00"))
        #expect(throws: PlanError.dueDateExtension(.alreadyExtended)) {
            try plan.extendDueDate(installment: 3, by: 1, rule: rule, today: Fixture.date("2024-03-10"))
        }
    }

    /// products.md F6: the fee was charged on a settled installment and the plan's one extension was spent.
    @Test("an installment already paid cannot be extended, and the plan keeps its extension")
    func extensionOfPaidInstallment() throws {
        var plan = try PlanFixture.payIn4()
        _ = try plan.pay(Fixture.money("50.00"), on: Fixture.date("2024-03-01"))
        let rule = try DueDateExtension(maximumDays: 10, fee: Fixture.money("5.00"))
        let before = plan
        #expect(throws: PlanError.dueDateExtension(.nothingDue(installment: 2))) {
            try plan.extendDueDate(installment: 2, by: 5, rule: rule, today: Fixture.date("2024-03-02"))
        }
        #expect(plan == before)
        #expect(try plan.extendDueDate(installment: 3, by: 5, rule: rule, today: Fixture.date("2024-03-02")) == Fixture.money("5.00"))
    }

    @Test("a plan survives a JSON round trip unchanged")
    func codable() throws {
        var plan = try PlanFixture.split6()
        _ = try plan.pay(Fixture.money("50.00"), on: Fixture.date("2024-02-01"))
        try plan.reportReturn(on: Fixture.date("2024-02-02"))
        let data = try JSONEncoder().encode(plan)
        #expect(try JSONDecoder().decode(RepaymentPlan.self, from: data) == plan)
    }

    @Test("properties over seeded random payments, refunds and late fees", arguments: 0..<40)
    func properties(seed: UInt64) throws {
        var random = SplitMix64(seed: seed)
        let amount = Money(minorUnits: random.int64(in: 400...500_000), currency: .USD)
        let terms: [ScheduleTerms] = [
            .payIn4(intervalDays: 14), .monthlySplit(months: 12, monthlyFeeRate: try Rational(1, 100)),
            .financingEqualInstallments(months: 6, monthlyRate: try Rational(15, 1000)),
        ]
        let schedule = try ScheduleGenerator.schedule(
            for: random.element(of: terms)!, principal: amount, start: Fixture.date("2024-01-31"), remainder: .last)
        let policy = try LateFeeFixture.afterpay()
        var plan = RepaymentPlan(id: "p", schedule: schedule, lateFeePolicy: policy)
        var date = Fixture.date("2024-01-31")
        var paidIn: Int64 = 0, credited: Int64 = 0, refunded: Int64 = 0
        for _ in 0..<30 {
            date = try date.adding(days: random.int(in: 0...20))
            switch random.int(in: 0...3) {
            case 0, 1:
                guard plan.status.isOpen else { continue }
                let most = min(amount.minorUnits / 2 + 1, OverpaymentLimit.maximumPayment(owed: plan.owed).minorUnits)
                let payment = Money(minorUnits: random.int64(in: 1...most), currency: .USD)
                let result = try plan.pay(payment, on: date)
                paidIn += payment.minorUnits
                credited += result.principal.minorUnits + result.fees.minorUnits + result.lateFees.minorUnits
                    + result.overpayment.minorUnits
            case 2:
                let room = plan.installments.reduce(Int64(0)) { $0 + $1.principal.minorUnits }
                guard room > 0 else { continue }
                let before = plan
                let refund = try plan.refund(Money(minorUnits: random.int64(in: 1...room), currency: .USD), on: date)
                refunded += refund.principalReduced.minorUnits
                #expect(refund.returnedPrincipal.minorUnits <= before.installments.reduce(0) { $0 + $1.principalPaid.minorUnits })
            default:
                let charges = try plan.assessLateFees(on: date)
                #expect(charges.allSatisfy { $0.amount.isPositive })
            }
            #expect(plan.installments.allSatisfy { !$0.principalOwed.isNegative && !$0.feeOwed.isNegative && !$0.lateFeeOwed.isNegative })
            // Late fees never pass the order cap on the principal refunds left, zero when they left none.
            let remaining = Money(minorUnits: plan.installments.reduce(0) { $0 + $1.principal.minorUnits }, currency: .USD)
            let cap = remaining.isZero ? 0 : try #require(try policy.orderCap(for: remaining)).minorUnits
            #expect(plan.lateFeesCharged.minorUnits <= cap)
        }
        #expect(paidIn == credited)
        #expect(plan.installments.reduce(0) { $0 + $1.principal.minorUnits } + refunded == amount.minorUnits)
    }
}
