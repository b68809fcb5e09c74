import PaylaterApp
import PaylaterLedger
import PaylaterMoney
import PaylaterProducts
import PaylaterStore
import PaylaterTestSupport
import PaylaterTime
import Testing

private func day(_ text: String) throws -> LocalDate { try LocalDate(iso8601: text) }

/// A monthly-bill statement is one bill: its late fees are charged once, not once per purchase on it.
@Suite("Late fees on monthly-bill statements")
struct StatementLateFeeTests {
    /// 5.00, then 5.00 more seven days later, at most 25% of the statement.
    static func twoStages() throws -> LateFeePolicy {
        try LateFeePolicy(
            first: LateFeeAmount(fixed: try cny("5.00")),
            followUp: LateFeeFollowUp(afterDays: 7, amount: LateFeeAmount(fixed: try cny("5.00"))),
            orderCapPercentage: BasisPoints(2500))
    }

    @Test("three unpaid purchases on one statement draw one fee, shared by what each owes; a rerun charges nothing", arguments: StoreKind.available)
    func oneFeePerStatement(kind: StoreKind) throws {
        let fixture = try StatementFixture(kind)
        let plans = [
            try fixture.buy("a", on: "2027-03-05", "100.00"), try fixture.buy("b", on: "2027-03-06", "100.00"),
            try fixture.buy("c", on: "2027-03-07", "100.00"),
        ]
        // Due on April 10; the fixture's policy charges 5.00 from the first day late.
        #expect(try fixture.servicing.runEndOfDay(on: try day("2027-04-10")).lateFees.isEmpty)
        let report = try fixture.servicing.runEndOfDay(on: try day("2027-04-11"))
        #expect(report.lateFees == [.CNY: try cny("5.00")])
        #expect(report.plansExamined == 3 && report.plansCharged == 3 && report.plansAlreadyDone == 0)
        #expect(try plans.map { try fixture.plan($0).lateFeesCharged } == (try ["1.67", "1.67", "1.66"].map { try cny($0) }))
        #expect(try plans.allSatisfy { try fixture.plan($0).installments[0].lateFeeStages == 1 })
        let rerun = try fixture.servicing.runEndOfDay(on: try day("2027-04-11"))
        #expect(rerun.lateFees.isEmpty && rerun.plansAlreadyDone == 3)
        let statement = try fixture.statements.statement(consumer: fixture.consumer, dueDate: try day("2027-04-10"))
        #expect(statement.owed == (try cny("305.00")))
        try fixture.expectLedgerMatchesPlans()
    }

    @Test("the follow-up fee is charged once, on the purchases still unpaid, after one was paid with its share", arguments: StoreKind.available)
    func followUpOnWhatIsLeft(kind: StoreKind) throws {
        let fixture = try StatementFixture(kind)
        let policy = try Self.twoStages()
        let a = try fixture.buy("a", on: "2027-03-05", "100.00", lateFees: policy)
        let b = try fixture.buy("b", on: "2027-03-06", "100.00", lateFees: policy)
        let c = try fixture.buy("c", on: "2027-03-07", "300.00", lateFees: policy)
        _ = try fixture.servicing.runEndOfDay(on: try day("2027-04-11"))
        // 5.00 by what each owes, 100 : 100 : 300.
        #expect(try [a, b, c].map { try fixture.plan($0).lateFeesCharged } == (try ["1.00", "1.00", "3.00"].map { try cny($0) }))
        try fixture.today("2027-04-12")
        _ = try fixture.servicing.pay(consumer: fixture.consumer, plan: a, amount: try cny("101.00"), operationID: "pay-a")
        #expect(try fixture.servicing.runEndOfDay(on: try day("2027-04-17")).lateFees.isEmpty)
        // Eight days late: the follow-up, 5.00 over b and c (100 : 300); nothing on a, which is paid.
        let followUp = try fixture.servicing.runEndOfDay(on: try day("2027-04-18"))
        #expect(followUp.lateFees == [.CNY: try cny("5.00")] && followUp.plansCharged == 2)
        #expect(try [a, b, c].map { try fixture.plan($0).lateFeesCharged } == (try ["1.00", "2.25", "6.75"].map { try cny($0) }))
        #expect(try fixture.servicing.runEndOfDay(on: try day("2027-05-30")).lateFees.isEmpty)
        try fixture.expectLedgerMatchesPlans()
    }

    @Test("the statement's cap is on the statement: 25% of 12.00 in three purchases is 3.00 in all, first fee and follow-up together", arguments: StoreKind.available)
    func capOnTheStatement(kind: StoreKind) throws {
        let fixture = try StatementFixture(kind)
        let policy = try Self.twoStages()
        let plans = try ["a", "b", "c"].enumerated().map { index, id in
            try fixture.buy(id, on: "2027-03-0\(index + 5)", "4.00", lateFees: policy)
        }
        #expect(try fixture.servicing.runEndOfDay(on: try day("2027-04-11")).lateFees == [.CNY: try cny("3.00")])
        #expect(try fixture.servicing.runEndOfDay(on: try day("2027-04-18")).lateFees.isEmpty)
        #expect(try plans.map { try fixture.plan($0).lateFeesCharged } == (try ["1.00", "1.00", "1.00"].map { try cny($0) }))
        #expect(try plans.allSatisfy { try fixture.plan($0).installments[0].lateFeeStages == 2 })
        try fixture.expectLedgerMatchesPlans()
    }

    @Test("a purchase in a return pause is not charged while it lasts; the rest of the statement is", arguments: StoreKind.available)
    func returnPauseLeavesThePurchaseOut(kind: StoreKind) throws {
        let fixture = try StatementFixture(kind)
        let a = try fixture.buy("a", on: "2027-03-05", "100.00")
        let b = try fixture.buy("b", on: "2027-03-06", "100.00")
        try fixture.today("2027-04-11")
        _ = try fixture.servicing.reportReturn(consumer: fixture.consumer, plan: b, operationID: "return-b")
        #expect(try fixture.servicing.runEndOfDay(on: try day("2027-04-12")).lateFees == [.CNY: try cny("5.00")])
        #expect(try fixture.plan(a).lateFeesCharged == (try cny("5.00")) && fixture.plan(b).lateFeesCharged.isZero)
        try fixture.expectLedgerMatchesPlans()
    }

    @Test("purchases on different statements are different bills: each statement draws its own fee", arguments: StoreKind.available)
    func statementsAreSeparateBills(kind: StoreKind) throws {
        let fixture = try StatementFixture(kind)
        let march = try fixture.buy("march", on: "2027-03-05", "100.00")
        let april = try fixture.buy("april", on: "2027-04-05", "100.00")
        let report = try fixture.servicing.runEndOfDay(on: try day("2027-05-11"))
        #expect(report.lateFees == [.CNY: try cny("10.00")] && report.plansCharged == 2)
        #expect(try [march, april].allSatisfy { try fixture.plan($0).lateFeesCharged == (try cny("5.00")) })
        try fixture.expectLedgerMatchesPlans()
    }

    @Test("two end-of-day workers at once charge each statement once", arguments: StoreKind.available)
    func twoWorkers(kind: StoreKind) throws {
        let fixture = try StatementFixture(kind)
        // Twelve statements of three purchases each (March 2027 to February 2028), all unpaid on 2028-04-15.
        for month in 0..<12 {
            let (year, number) = (2027 + (month + 2) / 12, (month + 2) % 12 + 1)
            for (index, id) in ["x", "y", "z"].enumerated() {
                try fixture.buy("\(id)\(month)", on: "\(year)-\(number < 10 ? "0" : "")\(number)-1\(index + 2)", "10.00")
            }
        }
        let reports = concurrently(2) { _ in try fixture.servicing.runEndOfDay(on: try day("2028-04-15"), pageSize: 5) }
        let charged = try reports.map { try $0.get().lateFees[.CNY]?.minorUnits ?? 0 }.reduce(0, +)
        // One 5.00 fee per 30.00 statement (under its 7.50 cap); charged per purchase it was 3 × 2.50.
        #expect(charged == 12 * 500)
        try fixture.expectLedgerMatchesPlans()
    }

    /// Purchases a (100.00) and b (4.00) on one statement, its first late fee charged (2027-04-11); today 04-12.
    static func largeAndSmallPurchaseCharged(_ kind: StoreKind) throws -> (StatementFixture, LateFeePolicy, PlanID, PlanID) {
        let fixture = try StatementFixture(kind)
        let policy = try Self.twoStages()
        let a = try fixture.buy("a", on: "2027-03-05", "100.00", lateFees: policy)
        let b = try fixture.buy("b", on: "2027-03-06", "4.00", lateFees: policy)
        _ = try fixture.servicing.runEndOfDay(on: try day("2027-04-11"))
        try fixture.today("2027-04-12")
        return (fixture, policy, a, b)
    }

    /// Review r6: with the other purchase refunded in full, a 4.00 purchase alone on its statement had its follow-up
    /// capped on the 104.00 captured and carried 5.19 of late fees.
    @Test("a statement's later fee is capped on what refunds left of its purchases", arguments: StoreKind.available)
    func statementCapFollowsRefunds(kind: StoreKind) throws {
        let (fixture, policy, a, b) = try Self.largeAndSmallPurchaseCharged(kind)
        _ = try fixture.servicing.refund(consumer: fixture.consumer, plan: a, amount: try cny("100.00"), operationID: "refund-a")
        #expect(try fixture.plan(a).lateFeesCharged.isZero)
        _ = try fixture.servicing.runEndOfDay(on: try day("2027-04-18"))
        let cap = try #require(try policy.orderCap(for: try cny("4.00")))
        let charged = try fixture.plan(b).lateFeesCharged
        #expect(charged.minorUnits <= cap.minorUnits, "b: \(charged) on 4.00")
        try fixture.expectLedgerMatchesPlans()
    }

    /// Review r6: a 0.01 refund capped a purchase's share of its statement's fees on the purchase alone, waiving 4.19
    /// that the statement's cap allowed.
    @Test("a part refund of a statement purchase keeps the statement's fees its cap allows", arguments: StoreKind.available)
    func partRefundKeepsStatementFees(kind: StoreKind) throws {
        let (fixture, _, a, b) = try Self.largeAndSmallPurchaseCharged(kind)
        _ = try fixture.servicing.pay(consumer: fixture.consumer, plan: a, amount: try cny("104.81"), operationID: "pay-a")
        _ = try fixture.servicing.runEndOfDay(on: try day("2027-04-18"))
        let before = try fixture.plan(b).lateFeesCharged
        try fixture.today("2027-04-19")
        _ = try fixture.servicing.refund(consumer: fixture.consumer, plan: b, amount: try cny("0.01"), operationID: "refund-b")
        #expect(try fixture.plan(b).lateFeesCharged == before, "a part refund leaves the share the statement's cap allows")
        // Refunded in full, the purchase owes nothing, its share included.
        _ = try fixture.servicing.refund(consumer: fixture.consumer, plan: b, amount: try cny("3.99"), operationID: "refund-b2")
        #expect(try fixture.plan(b).lateFeesCharged.isZero)
        #expect(try fixture.plan(b).owed.isZero)
        try fixture.expectLedgerMatchesPlans()
    }

    /// Review r7: a refund capped only the refunded purchase's share, so after a full refund of one purchase the
    /// other kept a share above the cap on what was left of the statement.
    @Test("a refund takes the statement's late fees beyond its cap off the other purchases too, in the same transaction", arguments: StoreKind.available)
    func refundCapsOtherPurchases(kind: StoreKind) throws {
        // a is paid down to 1.00 before the due date, so b carries most of the fee: 4.00 of 5.00.
        let (fixture, a, b) = try StatementRefundServicingTests.setUp(kind)
        let policy = try Self.twoStages()
        let creditBalance = try fixture.balance(ChartOfAccounts.consumer(fixture.consumer, .consumerCreditBalance, .CNY))

        let receipt = try fixture.servicing.refund(
            consumer: fixture.consumer, plan: a, amount: try cny("100.00"), operationID: "refund-a")
        #expect(receipt.status == .closedByRefund(on: try day("2027-04-12")))
        let cap = try #require(try policy.orderCap(for: try cny("4.00")))
        #expect(try fixture.plan(b).lateFeesCharged == cap, "25% of the 4.00 left on the statement")
        #expect(try fixture.plan(b).owed == (try cny("5.00")))
        // The 99.00 paid on a comes back (a liability: credits); the late fees taken off were unpaid, so no more does.
        #expect(
            try fixture.balance(ChartOfAccounts.consumer(fixture.consumer, .consumerCreditBalance, .CNY))
                == creditBalance - 9_900)
        try fixture.expectLedgerMatchesPlans()

        // A retry returns the first answer and takes nothing more off.
        let before = try fixture.snapshot()
        #expect(try fixture.servicing.refund(
            consumer: fixture.consumer, plan: a, amount: try cny("100.00"), operationID: "refund-a") == receipt)
        #expect(try fixture.snapshot() == before)
    }
}
