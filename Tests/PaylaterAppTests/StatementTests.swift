import PaylaterApp
import PaylaterLedger
import PaylaterMoney
import PaylaterProducts
import PaylaterStore
import PaylaterTestSupport
import PaylaterTime
import Testing

private func day(_ text: String) throws -> LocalDate { try LocalDate(iso8601: text) }

/// Three March purchases on `monthly-bill`: 300.00 on the 1st, 599.99 on the 15th, 300.01 on the 31st; the April 1
/// statement owes 1,200.00 on April 10.
private func march(_ fixture: StatementFixture) throws -> [PlanID] {
    [
        try fixture.buy("a", on: "2027-03-01", "300.00"), try fixture.buy("b", on: "2027-03-15", "599.99"),
        try fixture.buy("c", on: "2027-03-31", "300.01"),
    ]
}

@Suite("Monthly-bill statements")
struct StatementTests {
    @Test("purchases of one period make one statement, due on its due date; one on the statement day is on the next", arguments: StoreKind.available)
    func gathering(kind: StoreKind) throws {
        let fixture = try StatementFixture(kind)
        _ = try march(fixture)
        try fixture.buy("d", on: "2027-04-01", "50.00")
        let april = try fixture.statements.statement(consumer: fixture.consumer, dueDate: try day("2027-04-10"))
        #expect(april.statementDate == (try day("2027-04-01")))
        #expect(april.lines.map(\.planID) == ["a", "b", "c"])
        #expect(april.lines.map(\.orderID) == ["order-a", "order-b", "order-c"])
        #expect(april.total == (try cny("1200.00")) && april.owed == april.total)
        let open = try fixture.statements.statements(consumer: fixture.consumer)
        #expect(open.map(\.dueDate) == [try day("2027-05-10"), try day("2027-04-10")])
        #expect(try open[0].lines.map(\.planID) == ["d"] && open[0].total == (try cny("50.00")))
        #expect(throws: StatementServiceError.statementNotFound(dueDate: try day("2027-04-11"))) {
            try fixture.statements.statement(consumer: fixture.consumer, dueDate: try day("2027-04-11"))
        }
        try fixture.expectLedgerMatchesPlans()
    }

    @Test("a statement drawn on the last day of the month follows month ends and February, leap years too", arguments: StoreKind.available)
    func monthEnds(kind: StoreKind) throws {
        let fixture = try StatementFixture(kind, start: "2027-01-01")
        let purchases: [(String, String, String)] = [
            ("e1", "2027-01-30", "2027-02-10"), ("e2", "2027-01-31", "2027-03-10"), ("e3", "2027-02-27", "2027-03-10"),
            ("e4", "2027-02-28", "2027-04-10"), ("e5", "2028-02-28", "2028-03-10"), ("e6", "2028-02-29", "2028-04-10"),
        ]
        for (plan, date, _) in purchases.prefix(4) { try fixture.buy(plan, on: date, "10.00", product: "monthly-bill-eom") }
        // On another product, due on the same day as e4's statement.
        try fixture.buy("m", on: "2027-03-05", "10.00")
        for (plan, date, _) in purchases.suffix(2) { try fixture.buy(plan, on: date, "10.00", product: "monthly-bill-eom") }
        for (plan, _, due) in purchases {
            let statement = try fixture.statements.statement(
                consumer: fixture.consumer, dueDate: try day(due), productID: "monthly-bill-eom")
            #expect(statement.lines.map(\.planID).contains(plan), "\(plan) on the statement due \(due)")
        }
        let march = try fixture.statements.statement(consumer: fixture.consumer, dueDate: try day("2027-03-10"))
        #expect(try march.statementDate == (try day("2027-02-28")) && march.total == (try cny("20.00")))
        // Two products fall due on one day: the shopper names the product.
        #expect(throws: StatementServiceError.ambiguousStatement(
            dueDate: try day("2027-04-10"), statements: ["monthly-bill CNY", "monthly-bill-eom CNY"])) {
            try fixture.statements.statement(consumer: fixture.consumer, dueDate: try day("2027-04-10"))
        }
        let named = try fixture.statements.statement(
            consumer: fixture.consumer, dueDate: try day("2027-04-10"), productID: "monthly-bill")
        #expect(named.lines.map(\.planID) == ["m"])
        try fixture.expectLedgerMatchesPlans()
    }

    @Test("paying the statement in full settles every plan and gives the limit back; a retry posts nothing", arguments: StoreKind.available)
    func payInFull(kind: StoreKind) throws {
        let fixture = try StatementFixture(kind)
        let plans = try march(fixture)
        #expect(try fixture.line().used == (try cny("1200.00")))
        try fixture.today("2027-04-05")
        let receipt = try fixture.statements.payStatement(
            consumer: fixture.consumer, dueDate: try day("2027-04-10"), amount: try cny("1200.00"), operationID: "bill-1")
        #expect(receipt.payments.map(\.planID) == ["a", "b", "c"])
        #expect(receipt.owedAfter.isZero && receipt.overpayment.isZero)
        for plan in plans { #expect(try fixture.plan(plan).status == .paidOff(on: try day("2027-04-05"))) }
        #expect(try fixture.line().used.isZero && fixture.line().available == (try cny("5000.00")))
        #expect(try fixture.statements.statements(consumer: fixture.consumer).isEmpty)
        #expect(try fixture.statements.statement(consumer: fixture.consumer, dueDate: try day("2027-04-10")).isSettled)
        fixture.store.clock.advance(by: .seconds(60))
        let again = try fixture.statements.payStatement(
            consumer: fixture.consumer, dueDate: try day("2027-04-10"), amount: try cny("1200.00"), operationID: "bill-1")
        #expect(again == receipt)
        #expect(try fixture.balance(ChartOfAccounts.platform(.platformCash, .CNY)) == 120_000)
        #expect(throws: StatementServiceError.statementSettled(dueDate: try day("2027-04-10"))) {
            try fixture.statements.payStatement(
                consumer: fixture.consumer, dueDate: try day("2027-04-10"), amount: try cny("1.00"), operationID: "bill-2")
        }
        try fixture.expectLedgerMatchesPlans()
    }

    @Test("a partial payment goes to the oldest purchase first; an overpayment lands once on the credit balance", arguments: StoreKind.available)
    func partialThenOver(kind: StoreKind) throws {
        let fixture = try StatementFixture(kind)
        let plans = try march(fixture)
        try fixture.today("2027-04-02")
        let partial = try fixture.statements.payStatement(
            consumer: fixture.consumer, dueDate: try day("2027-04-10"), amount: try cny("700.00"), operationID: "bill-1")
        #expect(partial.payments.map(\.planID) == ["a", "b"])
        #expect(partial.owedAfter == (try cny("500.00")))
        #expect(try fixture.plan(plans[0]).owed.isZero)
        #expect(try fixture.plan(plans[1]).owed == (try cny("199.99")))
        #expect(try fixture.plan(plans[2]).owed == (try cny("300.01")))
        try fixture.expectLedgerMatchesPlans()
        let over = try fixture.statements.payStatement(
            consumer: fixture.consumer, dueDate: try day("2027-04-10"), amount: try cny("550.00"), operationID: "bill-2")
        #expect(try over.payments.map(\.planID) == ["b", "c"] && over.overpayment == (try cny("50.00")))
        #expect(try fixture.balance(ChartOfAccounts.consumer(fixture.consumer, .consumerCreditBalance, .CNY)) == -5_000)
        try fixture.expectLedgerMatchesPlans()
    }

    @Test("two purchases of one day: a partial payment goes to the one made first, as the statement lists them", arguments: StoreKind.available)
    func sameDayPurchasesOldestFirst(kind: StoreKind) throws {
        let fixture = try StatementFixture(kind)
        let first = try fixture.buy("m1", on: "2027-03-05", "100.00")
        let second = try fixture.buy("m2", on: "2027-03-05", "200.00")
        try fixture.today("2027-04-02")
        let listed = try fixture.statements.statements(consumer: fixture.consumer).first?.lines.map(\.planID)
        #expect(listed == [first.rawValue, second.rawValue])
        let paid = try fixture.statements.payStatement(
            consumer: fixture.consumer, dueDate: try day("2027-04-10"), amount: try cny("150.00"), operationID: "bill-1")
        #expect(paid.payments.map(\.planID) == listed)
        #expect(try fixture.plan(first).owed.isZero)
        #expect(try fixture.plan(second).owed == (try cny("150.00")))
        try fixture.expectLedgerMatchesPlans()
    }

    @Test("a statement payment may be up to twice what the whole statement owes, however little its last purchase owes", arguments: StoreKind.available)
    func overpaymentLimit(kind: StoreKind) throws {
        let fixture = try StatementFixture(kind)
        let plans = try march(fixture)
        try fixture.today("2027-04-02")
        _ = try fixture.statements.payStatement(
            consumer: fixture.consumer, dueDate: try day("2027-04-10"), amount: try cny("700.00"), operationID: "bill-1")
        #expect(throws: ServicingError.plan(.payment(.exceedsOverpaymentLimit(
            payment: try cny("1000.01"), owed: try cny("500.00"), maximum: try cny("1000.00"))))) {
            try fixture.statements.payStatement(
                consumer: fixture.consumer, dueDate: try day("2027-04-10"), amount: try cny("1000.01"), operationID: "bill-2")
        }
        #expect(try fixture.plan(plans[1]).owed == (try cny("199.99")))
        #expect(try fixture.balance(ChartOfAccounts.consumer(fixture.consumer, .consumerCreditBalance, .CNY)) == 0)
        let over = try fixture.statements.payStatement(
            consumer: fixture.consumer, dueDate: try day("2027-04-10"), amount: try cny("1000.00"), operationID: "bill-2")
        #expect(over.overpayment == (try cny("500.00")))
        try fixture.expectLedgerMatchesPlans()
    }

    @Test("splitting one purchase into 6 books exactly principal × rate × 6 of fees; its schedule sums exactly", arguments: StoreKind.available)
    func splitPurchase(kind: StoreKind) throws {
        let fixture = try StatementFixture(kind)
        let plans = try march(fixture)
        let big = try fixture.buy("big", on: "2027-03-31", "600.00")
        try fixture.today("2027-04-05")
        let receipt = try fixture.statements.splitPurchase(consumer: fixture.consumer, plan: big, months: 6, operationID: "split-1")
        #expect(try receipt.fees == (try cny("18.00")) && receipt.principal == (try cny("600.00")))
        let plan = try fixture.plan(big)
        #expect(plan.installments.count == 6)
        #expect(plan.installments.reduce(0) { $0 + $1.principal.minorUnits } == 60_000)
        #expect(plan.installments.allSatisfy { $0.fee == (try? cny("3.00")) })
        #expect(plan.installments.map(\.dueDate) == (try ["05-10", "06-10", "07-10", "08-10", "09-10", "10-10"].map { try day("2027-\($0)") }))
        #expect(plan.billSplit?.statementDueDate == (try day("2027-04-10")))
        #expect(try fixture.balance(ChartOfAccounts.platform(.feeIncome, .CNY)) == -1_800)
        #expect(try fixture.line().used == (try cny("1800.00")))
        let april = try fixture.statements.statement(consumer: fixture.consumer, dueDate: try day("2027-04-10"))
        #expect(april.lines.map(\.planID) == plans.map(\.rawValue) && april.splitPlanIDs == ["big"])
        #expect(throws: ServicingError.plan(.alreadySplit(on: try day("2027-04-05")))) {
            try fixture.statements.splitPurchase(consumer: fixture.consumer, plan: big, months: 3, operationID: "split-2")
        }
        try fixture.expectLedgerMatchesPlans()
    }

    @Test("late fees, refunds and an early payoff keep working on a split purchase", arguments: StoreKind.available)
    func servicingSplitPlans(kind: StoreKind) throws {
        let fixture = try StatementFixture(kind)
        let big = try fixture.buy("big", on: "2027-03-20", "600.00")
        try fixture.today("2027-04-10")
        _ = try fixture.statements.splitPurchase(consumer: fixture.consumer, plan: big, months: 6, operationID: "split-1")
        let late = try fixture.servicing.runEndOfDay(on: try day("2027-05-12"))
        #expect(late.lateFees[.CNY] == (try cny("5.00")))
        try fixture.expectLedgerMatchesPlans()
        try fixture.today("2027-05-12")
        _ = try fixture.servicing.pay(consumer: fixture.consumer, plan: big, amount: try cny("108.00"), operationID: "pay-1")
        #expect(try fixture.plan(big).installments[0].isSettled)
        try fixture.expectLedgerMatchesPlans()
        let refund = try fixture.servicing.refund(consumer: fixture.consumer, plan: big, amount: try cny("100.00"), operationID: "refund-1")
        // Each fee shrinks with its period's balance (600.00 → 500.00, 500.00 → 400.00, ...): 2.50, 2.40, 2.25,
        // 2.00, 1.50 and none on the emptied last installment; 0.50 of the first month's fee, paid, goes back.
        #expect(try fixture.plan(big).installments.map(\.fee) == (try ["2.50", "2.40", "2.25", "2.00", "1.50", "0.00"].map { try cny($0) }))
        #expect(try refund.feesWaived == (try cny("7.35")) && refund.returnedToShopper == (try cny("0.50")))
        #expect(try fixture.plan(big).installments[5].principal.isZero)
        try fixture.expectLedgerMatchesPlans()
        let quote = try fixture.servicing.payoffQuote(consumer: fixture.consumer, plan: big, on: try day("2027-05-12"))
        // Huabei's rule for splits: the current period's fee is owed, later ones are waived.
        #expect(try quote.outstandingPrincipal == (try cny("400.00")) && quote.feesEarned == (try cny("2.40")))
        _ = try fixture.servicing.payOff(consumer: fixture.consumer, plan: big, amount: quote.amount, operationID: "payoff-1")
        #expect(try fixture.plan(big).status == .paidOff(on: try day("2027-05-12")))
        #expect(try fixture.line().used.isZero)
        try fixture.expectLedgerMatchesPlans()
    }

    @Test("splitting a statement splits each purchase: the principal is the statement's and each month is within the per-purchase remainders", arguments: StoreKind.available)
    func splitStatement(kind: StoreKind) throws {
        let fixture = try StatementFixture(kind)
        let plans = try march(fixture)
        try fixture.today("2027-04-10")
        let receipt = try fixture.statements.splitStatement(
            consumer: fixture.consumer, dueDate: try day("2027-04-10"), months: 6, operationID: "split-all")
        #expect(receipt.splits.map(\.planID) == plans.map(\.rawValue))
        #expect(receipt.principal == (try cny("1200.00")))
        // The same statement split as one sum, by the domain.
        let bill = try #require(try fixture.catalog.product(id: "monthly-bill").monthlyBill)
        let period = try bill.cycle.period(statementDate: try day("2027-04-01"))
        let purchases = try [("a", "2027-03-01", "300.00"), ("b", "2027-03-15", "599.99"), ("c", "2027-03-31", "300.01")]
            .map { BillPurchase(id: $0.0, date: try day($0.1), amount: try cny($0.2)) }
        let whole = try MonthlyStatement(period: period, currency: .CNY, purchases: purchases).split(
            months: 6, offer: bill.splits, on: try day("2027-04-10"), cycle: bill.cycle, existing: [])
        for month in 0..<6 {
            let parts = receipt.splits.map { $0.installments[month] }
            let principal = parts.reduce(Int64(0)) { $0 + $1.principal.minorUnits }
            let fee = parts.reduce(Int64(0)) { $0 + $1.fee.minorUnits }
            #expect(parts.allSatisfy { $0.dueDate == whole.schedule.installments[month].dueDate })
            #expect(abs(fee - whole.schedule.installments[month].fee.minorUnits) <= Int64(parts.count))
            if month > 0 { #expect(abs(principal - whole.schedule.installments[month].principal.minorUnits) < Int64(parts.count)) }
        }
        #expect(abs(receipt.fees.minorUnits - whole.schedule.totalFees.minorUnits) <= 6 * Int64(plans.count))
        #expect(try fixture.balance(ChartOfAccounts.platform(.feeIncome, .CNY)) == -receipt.fees.minorUnits)
        #expect(try fixture.statements.statements(consumer: fixture.consumer).isEmpty)
        #expect(throws: StatementServiceError.statement(.alreadySplit(.statement(try day("2027-04-01"))))) {
            try fixture.statements.splitStatement(
                consumer: fixture.consumer, dueDate: try day("2027-04-10"), months: 3, operationID: "split-again")
        }
        let again = try fixture.statements.splitStatement(
            consumer: fixture.consumer, dueDate: try day("2027-04-10"), months: 6, operationID: "split-all")
        #expect(again == receipt)
        try fixture.expectLedgerMatchesPlans()
    }

    @Test("a statement split after a partial payment leaves the partly paid purchase due on the due date", arguments: StoreKind.available)
    func splitAfterPartialPayment(kind: StoreKind) throws {
        let fixture = try StatementFixture(kind)
        let plans = try march(fixture)
        try fixture.today("2027-04-03")
        _ = try fixture.statements.payStatement(
            consumer: fixture.consumer, dueDate: try day("2027-04-10"), amount: try cny("400.00"), operationID: "bill-1")
        let receipt = try fixture.statements.splitStatement(
            consumer: fixture.consumer, dueDate: try day("2027-04-10"), months: 3, operationID: "split-1")
        #expect(receipt.splits.map(\.planID) == ["c"])
        #expect(try fixture.plan(plans[1]).installments.count == 1)
        let april = try fixture.statements.statement(consumer: fixture.consumer, dueDate: try day("2027-04-10"))
        #expect(april.owed == (try cny("499.99")) && april.splitPlanIDs == ["c"])
        try fixture.expectLedgerMatchesPlans()
    }

    @Test("refused requests change nothing and do not spend their operation ids", arguments: StoreKind.available)
    func refusals(kind: StoreKind) throws {
        let fixture = try StatementFixture(kind)
        let plans = try march(fixture)
        let due = try day("2027-04-10")
        try fixture.today("2027-04-05")
        let before = try fixture.snapshot()
        let statements = fixture.statements
        #expect(throws: StatementServiceError.statement(.monthsNotOffered(9, offered: [3, 6, 12]))) {
            try statements.splitStatement(consumer: fixture.consumer, dueDate: due, months: 9, operationID: "op-1")
        }
        #expect(throws: ServicingError.plan(.split(.monthsNotOffered(9, offered: [3, 6, 12])))) {
            try statements.splitPurchase(consumer: fixture.consumer, plan: plans[0], months: 9, operationID: "op-1")
        }
        #expect(throws: StatementServiceError.statementNotFound(dueDate: try day("2027-05-10"))) {
            try statements.payStatement(consumer: fixture.consumer, dueDate: try day("2027-05-10"), amount: try cny("1.00"), operationID: "op-1")
        }
        #expect(throws: StatementServiceError.notPositive(try cny("0.00"))) {
            try statements.payStatement(consumer: fixture.consumer, dueDate: due, amount: try cny("0.00"), operationID: "op-1")
        }
        #expect(throws: ServicingError.invalidOperationID(String(repeating: "x", count: 65))) {
            try statements.payStatement(consumer: fixture.consumer, dueDate: due, amount: try cny("1.00"), operationID: String(repeating: "x", count: 65))
        }
        try fixture.today("2027-04-11")
        #expect(throws: StatementServiceError.statement(.splitAfterDueDate(requested: try day("2027-04-11"), dueDate: due))) {
            try statements.splitStatement(consumer: fixture.consumer, dueDate: due, months: 6, operationID: "op-1")
        }
        #expect(throws: ServicingError.plan(.split(.splitAfterDueDate(requested: try day("2027-04-11"), dueDate: due)))) {
            try statements.splitPurchase(consumer: fixture.consumer, plan: plans[0], months: 6, operationID: "op-1")
        }
        #expect(try fixture.snapshot() == before)
        try fixture.expectLedgerMatchesPlans()
        // Paid: nothing left to split.
        _ = try statements.payStatement(consumer: fixture.consumer, dueDate: due, amount: try cny("1200.00"), operationID: "op-1")
        let paid = try fixture.snapshot()
        #expect(throws: StatementServiceError.statementSettled(dueDate: due)) {
            try statements.splitStatement(consumer: fixture.consumer, dueDate: due, months: 6, operationID: "op-2")
        }
        #expect(throws: ServicingError.plan(.notSplittable(planID: "a"))) {
            try statements.splitPurchase(consumer: fixture.consumer, plan: plans[0], months: 6, operationID: "op-2")
        }
        #expect(throws: ServicingError.operationReused("op-1")) {
            try statements.payStatement(consumer: fixture.consumer, dueDate: due, amount: try cny("1.00"), operationID: "op-1")
        }
        #expect(try fixture.snapshot() == paid)
        try fixture.expectLedgerMatchesPlans()
    }

    @Test("a split takes purchases owed in full: one partly paid is refused as such, with what was paid and what is owed",
          arguments: StoreKind.available)
    func partlyPaidIsNotSplit(kind: StoreKind) throws {
        let fixture = try StatementFixture(kind)
        let plans = try march(fixture)
        let due = try day("2027-04-10")
        try fixture.today("2027-04-05")
        let statements = fixture.statements
        // Oldest purchase first: a and b are paid, c has 100.01 of its 300.01 paid.
        _ = try statements.payStatement(consumer: fixture.consumer, dueDate: due, amount: try cny("1000.00"), operationID: "pay-1")
        let before = try fixture.snapshot()
        #expect(throws: StatementServiceError.statement(.onlyPartlyPaid(statementDate: try day("2027-04-01"), owed: try cny("200.00")))) {
            try statements.splitStatement(consumer: fixture.consumer, dueDate: due, months: 3, operationID: "op-1")
        }
        #expect(throws: ServicingError.plan(.partlyPaid(planID: "c", paid: try cny("100.01")))) {
            try statements.splitPurchase(consumer: fixture.consumer, plan: plans[2], months: 3, operationID: "op-1")
        }
        #expect(try fixture.snapshot() == before)
        // Past the due date, that is the reason given.
        try fixture.today("2027-04-11")
        #expect(throws: StatementServiceError.statement(.splitAfterDueDate(requested: try day("2027-04-11"), dueDate: due))) {
            try statements.splitStatement(consumer: fixture.consumer, dueDate: due, months: 3, operationID: "op-1")
        }
    }

    @Test("a statement whose purchases were all refunded is settled and has nothing to pay or split", arguments: StoreKind.available)
    func refundedStatement(kind: StoreKind) throws {
        let fixture = try StatementFixture(kind)
        let plan = try fixture.buy("a", on: "2027-03-02", "300.00")
        _ = try fixture.servicing.refund(consumer: fixture.consumer, plan: plan, amount: try cny("300.00"), operationID: "refund-1")
        let due = try day("2027-04-10")
        #expect(try fixture.statements.statement(consumer: fixture.consumer, dueDate: due).lines.isEmpty)
        #expect(throws: StatementServiceError.statementSettled(dueDate: due)) {
            try fixture.statements.splitStatement(consumer: fixture.consumer, dueDate: due, months: 3, operationID: "op-1")
        }
        #expect(throws: StatementServiceError.statementSettled(dueDate: due)) {
            try fixture.statements.payStatement(consumer: fixture.consumer, dueDate: due, amount: try cny("1.00"), operationID: "op-1")
        }
        try fixture.expectLedgerMatchesPlans()
    }
}
