@testable import PaylaterApp
import PaylaterLedger
import PaylaterMoney
import PaylaterProducts
import PaylaterStore
import PaylaterTestSupport
import PaylaterTime
import Testing

private func day(_ text: String) throws -> LocalDate { try LocalDate(iso8601: text) }

/// A refund of one purchase on a monthly-bill statement that takes late fees off another purchase of the bill,
/// another merchant's: the money, the events and the locks.
@Suite("Refunds across a monthly-bill statement")
struct StatementRefundServicingTests {
    /// a (100.00, merchant m1) paid down to 1.00 before the due date; b (4.00, merchant m2) carries 4.00 of the 5.00 fee.
    static func setUp(_ kind: StoreKind) throws -> (StatementFixture, PlanID, PlanID) {
        let fixture = try StatementFixture(kind)
        let policy = try StatementLateFeeTests.twoStages()
        let a = try fixture.buy("a", on: "2027-03-05", "100.00", lateFees: policy)
        try fixture.today("2027-03-06")
        let b = try PlanID("b")
        let schedule = try fixture.catalog.quote(
            productID: "monthly-bill", amount: try cny("4.00"), date: try day("2027-03-06")).schedule
        _ = try fixture.servicing.openPlan(
            NewPlan(
                consumer: fixture.consumer, merchant: try MerchantID("m2"), plan: b, productID: "monthly-bill",
                schedule: schedule, lateFeePolicy: policy, orderID: "order-b"))
        try fixture.today("2027-04-01")
        _ = try fixture.servicing.pay(consumer: fixture.consumer, plan: a, amount: try cny("99.00"), operationID: "pay-a")
        _ = try fixture.servicing.runEndOfDay(on: try day("2027-04-11"))
        #expect(try fixture.plan(b).lateFeesCharged == (try cny("4.00")))
        try fixture.today("2027-04-12")
        return (fixture, a, b)
    }

    func events(_ fixture: StatementFixture, merchant: String, order: String) throws -> [WebhookEventType] {
        try fixture.store.database.read { connection in
            try WebhookRepository(connection).events(merchantID: merchant, orderID: order) ?? []
        }.sorted { $0.sequence < $1.sequence }.map(\.type)
    }

    @Test("late fees b had paid come back to the shopper's credit balance, exactly, when a's refund caps the bill", arguments: StoreKind.available)
    func paidFeesReturned(kind: StoreKind) throws {
        let (fixture, a, b) = try Self.setUp(kind)
        _ = try fixture.servicing.pay(consumer: fixture.consumer, plan: b, amount: try cny("8.00"), operationID: "pay-b")
        #expect(try fixture.plan(b).status == .paidOff(on: try day("2027-04-12")))
        let creditBalance = try fixture.balance(ChartOfAccounts.consumer(fixture.consumer, .consumerCreditBalance, .CNY))
        _ = try fixture.servicing.refund(consumer: fixture.consumer, plan: a, amount: try cny("100.00"), operationID: "refund-a")
        #expect(try fixture.plan(b).lateFeesCharged == (try cny("1.00")))
        // 99.00 paid on a, and 3.00 of b's paid late fees (credits: the balance goes down).
        #expect(
            try fixture.balance(ChartOfAccounts.consumer(fixture.consumer, .consumerCreditBalance, .CNY))
                == creditBalance - 9_900 - 300)
        #expect(try fixture.servicing.creditBalances(consumer: fixture.consumer) == [try cny("102.00")])
        try fixture.expectLedgerMatchesPlans()
        #expect(try events(fixture, merchant: "m2", order: "order-b").filter { $0 == .planPaidOff }.count == 1)
    }

    @Test("b left owing nothing by the waiver is paid off, and plan.paid_off goes to b's merchant only", arguments: StoreKind.available)
    func paidOffByWaiver(kind: StoreKind) throws {
        let (fixture, a, b) = try Self.setUp(kind)
        let principalFirst = try PaymentWaterfall(steps: [.pastDuePrincipal, .pastDueFees, .currentInstallments])
        _ = try fixture.servicing.pay(
            consumer: fixture.consumer, plan: b, amount: try cny("5.00"), operationID: "pay-b", waterfall: principalFirst)
        #expect(try fixture.plan(b).owed == (try cny("3.00")))
        _ = try fixture.servicing.refund(consumer: fixture.consumer, plan: a, amount: try cny("100.00"), operationID: "refund-a")
        #expect(try fixture.plan(b).owed.isZero)
        #expect(try fixture.plan(b).status == .paidOff(on: try day("2027-04-12")))
        #expect(try events(fixture, merchant: "m2", order: "order-b").filter { $0 == .planPaidOff }.count == 1)
        #expect(try events(fixture, merchant: "m1", order: "order-b").isEmpty)
        #expect(try !events(fixture, merchant: "m1", order: "order-a").contains(.planPaidOff))
        try fixture.expectLedgerMatchesPlans()
        // A later end of day charges nothing more on the bill.
        _ = try fixture.servicing.runEndOfDay(on: try day("2027-04-18"))
        #expect(try fixture.plan(b).lateFeesCharged == (try cny("1.00")))
        try fixture.expectLedgerMatchesPlans()
    }

    /// An order refund reaching two purchases of one statement, in one transaction (as `CheckoutService.refund`).
    @Test("one order refund over two purchases of the bill, a retry, then the end of day: the bill within its cap, the ledger with the plans", arguments: StoreKind.available)
    func orderRefundOverTwoPurchases(kind: StoreKind) throws {
        let (fixture, a, b) = try Self.setUp(kind)
        func refundBoth() throws {
            let now = fixture.store.clock.now()
            try fixture.store.database.write { connection in
                let first = try fixture.servicing.refundPostingLater(
                    consumer: fixture.consumer, plan: a, amount: try cny("96.00"), operationID: "refund:x:0", in: connection, at: now)
                let second = try fixture.servicing.refundPostingLater(
                    consumer: fixture.consumer, plan: b, amount: try cny("2.00"), operationID: "refund:x:1", in: connection, at: now)
                for transfers in [first.transfers, second.transfers] { try fixture.servicing.post(transfers, in: connection, at: now) }
            }
        }
        try refundBoth()
        let left = try fixture.plan(a).principalAfterRefunds + fixture.plan(b).principalAfterRefunds
        let cap = try #require(try StatementLateFeeTests.twoStages().orderCap(for: left))
        let charged = try fixture.plan(a).lateFeesCharged + fixture.plan(b).lateFeesCharged
        #expect(charged == cap, "\(charged) on \(left)")
        try fixture.expectLedgerMatchesPlans()
        let before = try fixture.snapshot()
        try refundBoth()
        #expect(try fixture.snapshot() == before)
        _ = try fixture.servicing.runEndOfDay(on: try day("2027-04-18"))
        let after = try fixture.plan(a).lateFeesCharged + fixture.plan(b).lateFeesCharged
        #expect(after.minorUnits <= cap.minorUnits)
        try fixture.expectLedgerMatchesPlans()
    }

    /// Review r8: a refund locked the refunded purchase, then the statement's others (page order), so two refunds
    /// of two purchases of one bill each held one and waited for the other: a deadlock PostgreSQL broke after its
    /// deadlock_timeout (1 s) and the store ran again, for every second refund (8 of 16 here).
    @Test("refunds of different purchases of one bill at once lock the bill in one order: none deadlocks, all succeed", arguments: StoreKind.available)
    func concurrentRefunds(kind: StoreKind) throws {
        let fixture = try StatementFixture(kind)
        let plans = try (0..<4).map { index in try fixture.buy("p\(index)", on: "2027-03-0\(index + 2)", "100.00") }
        _ = try fixture.servicing.runEndOfDay(on: try day("2027-04-11"))
        try fixture.today("2027-04-12")
        let outcomes = concurrently(2) { worker in
            for round in 0..<8 {
                _ = try fixture.servicing.refund(
                    consumer: fixture.consumer, plan: plans[(worker * 2 + round) % plans.count], amount: try cny("10.00"),
                    operationID: "r\(worker)-\(round)")
            }
        }
        for outcome in outcomes { try outcome.get() }
        let retries = (fixture.store.database as? any ReportsTransactionRetries)?.transactionRetryStatistics
        #expect(retries?.retriesByCode["40P01"] == nil, "\(String(describing: retries?.retriesByCode))")
        try fixture.expectLedgerMatchesPlans()
    }

    /// Review r8: an overdue purchase may still be extended; it left its bill with the share it carried, and the
    /// purchase left behind kept its own share, 4.00 of late fees on 4.00 (its cap 1.00), with no refund at all.
    @Test("an extension that moves a charged purchase off its bill caps the bill it leaves and the one it makes", arguments: StoreKind.available)
    func extensionCapsBothBills(kind: StoreKind) throws {
        let (fixture, a, b) = try Self.setUp(kind)
        let creditBalance = try fixture.balance(ChartOfAccounts.consumer(fixture.consumer, .consumerCreditBalance, .CNY))
        _ = try fixture.servicing.extendDueDate(
            consumer: fixture.consumer, plan: a, installment: 1, days: 5,
            rule: try DueDateExtension(maximumDays: 10, fee: try cny("0.00")), operationID: "extend-a")
        let statements = try fixture.statements.statements(consumer: fixture.consumer)
        #expect(statements.map { $0.lines.map(\.planID) } == [["a"], ["b"]], "a left b's statement")
        let cap = try #require(try StatementLateFeeTests.twoStages().orderCap(for: try cny("4.00")))
        #expect(try fixture.plan(b).lateFeesCharged == cap, "b alone on its bill: 25% of 4.00")
        #expect(try fixture.plan(a).lateFeesCharged == (try cny("1.00")), "a's 1.00 is within the cap on its 100.00")
        #expect(
            try fixture.balance(ChartOfAccounts.consumer(fixture.consumer, .consumerCreditBalance, .CNY)) == creditBalance,
            "b's fees taken off were unpaid")
        try fixture.expectLedgerMatchesPlans()
        // A refund of a now touches only its own bill.
        _ = try fixture.servicing.refund(consumer: fixture.consumer, plan: a, amount: try cny("100.00"), operationID: "refund-a")
        #expect(try fixture.plan(b).lateFeesCharged == cap)
        try fixture.expectLedgerMatchesPlans()
    }
}
