import PaylaterMoney
import PaylaterProducts
import PaylaterTime
import Testing

/// A monthly-bill purchase as capture makes it: `amount` CNY bought on `date` on `Bill`'s cycle (statement on the
/// 1st, due on the 10th), one installment due on its statement's due date, no fee.
private func purchase(_ amount: String, on date: String) throws -> RepaymentPlan {
    let purchaseDate = Fixture.date(date)
    let due = try Bill.cycle.period(containing: purchaseDate).dueDate
    let schedule = try InstallmentSchedule(installments: [
        Installment(number: 1, dueDate: due, principal: Fixture.money(amount, .CNY), fee: .zero(.CNY))
    ])
    return RepaymentPlan(id: "o-1", schedule: schedule, start: purchaseDate)
}

private let bill = MonthlyBillTerms(cycle: Bill.cycle, splits: Bill.offer)

@Suite("Splitting a monthly-bill purchase plan")
struct PlanSplitTests {
    @Test("a split into 6 keeps the principal, adds principal × rate × 6 of fees, and starts on the next due date", arguments: [
        ("600.00", 3, "9.00"), ("600.00", 6, "18.00"), ("1200.00", 12, "72.00"),
    ])
    func split(amount: String, months: Int, fees: String) throws {
        var plan = try purchase(amount, on: "2026-03-15")
        let booked = try plan.split(months: months, bill: bill, on: Fixture.date("2026-04-10"), rebateRule: .unearnedFees)
        #expect(booked == Fixture.money(fees, .CNY))
        #expect(plan.installments.count == months)
        #expect(plan.principalOwed == Fixture.money(amount, .CNY))
        #expect(plan.feesOwed == booked)
        #expect(plan.installments.first?.dueDate == Fixture.date("2026-05-10"))
        #expect(plan.start == Fixture.date("2026-04-10"))
        #expect(plan.rebateRule == .unearnedFees)
        let record = try #require(plan.billSplit)
        #expect(record.purchaseDate == Fixture.date("2026-03-15") && record.splitOn == Fixture.date("2026-04-10"))
        #expect(record.months == months && record.statementDueDate == Fixture.date("2026-04-10"))
        #expect(record.principal == Fixture.money(amount, .CNY) && record.fees == booked)
    }

    @Test("the split's schedule is BillSplit's for the purchase")
    func sameAsBillSplit() throws {
        var plan = try purchase("599.99", on: "2026-03-31")
        let expected = try BillSplit.splitting(
            BillPurchase(id: "o-1", date: Fixture.date("2026-03-31"), amount: Fixture.money("599.99", .CNY)), months: 6,
            offer: Bill.offer, on: Fixture.date("2026-04-02"), cycle: Bill.cycle, existing: [])
        _ = try plan.split(months: 6, bill: bill, on: Fixture.date("2026-04-02"), rebateRule: .none)
        #expect(plan.installments.map(\.dueDate) == expected.schedule.installments.map(\.dueDate))
        #expect(plan.installments.map(\.principal) == expected.schedule.installments.map(\.principal))
        #expect(plan.installments.map(\.fee) == expected.schedule.installments.map(\.fee))
    }

    @Test("a purchase is split once, unpaid, by its due date, over months offered; a refusal leaves the plan as it was")
    func refusals() throws {
        let original = try purchase("600.00", on: "2026-03-15")
        var plan = original
        #expect(throws: PlanError.split(.splitAfterDueDate(requested: Fixture.date("2026-04-11"), dueDate: Fixture.date("2026-04-10")))) {
            try plan.split(months: 6, bill: bill, on: Fixture.date("2026-04-11"), rebateRule: .none)
        }
        #expect(throws: PlanError.split(.monthsNotOffered(9, offered: [3, 6, 12]))) {
            try plan.split(months: 9, bill: bill, on: Fixture.date("2026-04-01"), rebateRule: .none)
        }
        #expect(plan == original)
        var paid = original
        _ = try paid.pay(Fixture.money("1.00", .CNY), on: Fixture.date("2026-04-01"))
        let partly = paid
        #expect(throws: PlanError.partlyPaid(planID: "o-1", paid: Fixture.money("1.00", .CNY))) {
            try paid.split(months: 6, bill: bill, on: Fixture.date("2026-04-01"), rebateRule: .none)
        }
        #expect(paid == partly)
        _ = try plan.split(months: 3, bill: bill, on: Fixture.date("2026-04-01"), rebateRule: .none)
        let split = plan
        #expect(throws: PlanError.alreadySplit(on: Fixture.date("2026-04-01"))) {
            try plan.split(months: 6, bill: bill, on: Fixture.date("2026-04-01"), rebateRule: .none)
        }
        #expect(plan == split)
    }

    @Test("a purchase partly refunded splits what is still owed")
    func afterRefund() throws {
        var plan = try purchase("600.00", on: "2026-03-15")
        _ = try plan.refund(Fixture.money("200.00", .CNY), on: Fixture.date("2026-03-20"))
        let fees = try plan.split(months: 6, bill: bill, on: Fixture.date("2026-04-01"), rebateRule: .none)
        #expect(plan.principalOwed == Fixture.money("400.00", .CNY) && fees == Fixture.money("12.00", .CNY))
        #expect(plan.originalPrincipal == Fixture.money("600.00", .CNY))
    }
}
