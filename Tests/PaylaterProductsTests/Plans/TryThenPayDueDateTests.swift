import PaylaterMoney
import PaylaterProducts
import PaylaterTime
import Testing

@Suite("Try-then-pay (先用后付) due dates follow the delivery")
struct TryThenPayDueDateTests {
    /// A 14-day try-then-pay plan of 100.00 shipped on `shipped` with a 7-day delivery allowance.
    static func plan(shipped: String, allowance: Int = 7) throws -> (RepaymentPlan, TryThenPayDueDate) {
        let rule = TryThenPayDueDate(dueAfterDays: 14, shippedOn: Fixture.date(shipped), deliveryAllowanceDays: allowance)
        let schedule = try ScheduleGenerator.schedule(
            for: .tryThenPay(dueAfterDays: 14), principal: Fixture.money("100.00", .CNY), start: try rule.fallbackStart,
            remainder: .first)
        return (RepaymentPlan(id: "p1", schedule: schedule), rule)
    }

    @Test("without a confirmation the plan is due the shipment plus the allowance plus the window")
    func fallback() throws {
        let (plan, rule) = try Self.plan(shipped: "2027-03-01")
        #expect(plan.installments[0].dueDate == Fixture.date("2027-03-22"))
        #expect(try rule.fallbackDueDate == Fixture.date("2027-03-22"))
        let (none, _) = try Self.plan(shipped: "2027-03-01", allowance: 0)
        #expect(none.installments[0].dueDate == Fixture.date("2027-03-15"))
    }

    @Test(
        "a confirmation makes the plan due the delivery plus the window, earlier or later, but never less than a week after the confirmation unless the plan was due sooner",
        arguments: [
            // shipped, delivered, confirmed, due, change (the fallback date is 2027-03-22 for a 03-01 shipment)
            ("2027-03-01", "2027-03-03", "2027-03-04", "2027-03-17", DeliveryConfirmation.Change.moved),  // earlier
            ("2027-03-01", "2027-03-19", "2027-03-20", "2027-04-02", .moved),  // later
            ("2027-03-01", "2027-03-02", "2027-03-12", "2027-03-19", .moved),  // backdated: a week from the confirmation
            ("2027-03-01", "2027-03-02", "2027-03-20", "2027-03-22", .unchanged),  // backdated: keeps the date held
            ("2027-03-01", "2027-03-08", "2027-03-08", "2027-03-22", .unchanged),  // exactly the allowance
            ("2027-03-01", "2027-03-22", "2027-03-22", "2027-04-05", .moved),  // on the fallback date itself
            ("2027-03-01", "2027-03-20", "2027-03-23", "2027-03-22", .tooLate),  // after the fallback date passed
            ("2027-01-25", "2027-01-31", "2027-01-31", "2027-02-14", .moved),  // from a month's end
            ("2027-02-20", "2027-02-28", "2027-03-01", "2027-03-14", .moved),  // across February
            ("2028-02-10", "2028-02-15", "2028-02-16", "2028-02-29", .moved),  // onto a leap day
        ])
    func confirmation(shipped: String, delivered: String, confirmed: String, due: String, change: DeliveryConfirmation.Change) throws {
        var (plan, rule) = try Self.plan(shipped: shipped)
        let before = plan.installments[0].dueDate
        let result = try plan.confirmDelivery(&rule, deliveredOn: Fixture.date(delivered), today: Fixture.date(confirmed))
        #expect(result.change == change)
        #expect(result.dueDateBefore == before)
        #expect(result.dueDate == Fixture.date(due))
        #expect(plan.installments[0].dueDate == Fixture.date(due))
        #expect(rule.deliveredOn == Fixture.date(delivered))
        #expect(rule.confirmedOn == Fixture.date(confirmed))
    }

    @Test("a short window leaves the whole window as notice: a 3-day plan confirmed late is due 3 days after the confirmation")
    func shortWindowNotice() throws {
        var rule = TryThenPayDueDate(dueAfterDays: 3, shippedOn: Fixture.date("2027-03-01"), deliveryAllowanceDays: 7)
        #expect(rule.noticeDays == 3)
        let schedule = try ScheduleGenerator.schedule(
            for: .tryThenPay(dueAfterDays: 3), principal: Fixture.money("100.00", .CNY), start: try rule.fallbackStart,
            remainder: .first)
        var plan = RepaymentPlan(id: "p1", schedule: schedule)
        #expect(plan.installments[0].dueDate == Fixture.date("2027-03-11"))
        let result = try plan.confirmDelivery(&rule, deliveredOn: Fixture.date("2027-03-02"), today: Fixture.date("2027-03-06"))
        #expect(result.dueDate == Fixture.date("2027-03-09"))
        #expect(result.change == .moved)
    }

    @Test("the same delivery again changes nothing; another date is refused")
    func once() throws {
        var (plan, rule) = try Self.plan(shipped: "2027-03-01")
        _ = try plan.confirmDelivery(&rule, deliveredOn: Fixture.date("2027-03-03"), today: Fixture.date("2027-03-04"))
        let again = try plan.confirmDelivery(&rule, deliveredOn: Fixture.date("2027-03-03"), today: Fixture.date("2027-03-06"))
        #expect(again.change == .unchanged)
        #expect(again.confirmedOn == Fixture.date("2027-03-04"))
        #expect(plan.installments[0].dueDate == Fixture.date("2027-03-17"))
        #expect(throws: DeliveryError.alreadyConfirmed(deliveredOn: Fixture.date("2027-03-03"))) {
            try plan.confirmDelivery(&rule, deliveredOn: Fixture.date("2027-03-05"), today: Fixture.date("2027-03-06"))
        }
    }

    @Test("a delivery before the shipment or after today is refused, and nothing changes")
    func impossibleDates() throws {
        var (plan, rule) = try Self.plan(shipped: "2027-03-01")
        let original = (plan, rule)
        #expect(throws: DeliveryError.deliveredBeforeShipment(deliveredOn: Fixture.date("2027-02-28"), shippedOn: Fixture.date("2027-03-01"))) {
            try plan.confirmDelivery(&rule, deliveredOn: Fixture.date("2027-02-28"), today: Fixture.date("2027-03-02"))
        }
        #expect(throws: DeliveryError.deliveredInTheFuture(deliveredOn: Fixture.date("2027-03-05"), today: Fixture.date("2027-03-02"))) {
            try plan.confirmDelivery(&rule, deliveredOn: Fixture.date("2027-03-05"), today: Fixture.date("2027-03-02"))
        }
        #expect(plan == original.0 && rule == original.1)
    }

    @Test("a plan already paid keeps its date")
    func settled() throws {
        var (plan, rule) = try Self.plan(shipped: "2027-03-01")
        _ = try plan.pay(Fixture.money("100.00", .CNY), on: Fixture.date("2027-03-02"))
        let result = try plan.confirmDelivery(&rule, deliveredOn: Fixture.date("2027-03-03"), today: Fixture.date("2027-03-04"))
        #expect(result.change == .settled)
        #expect(plan.installments[0].dueDate == Fixture.date("2027-03-22"))
    }
}
