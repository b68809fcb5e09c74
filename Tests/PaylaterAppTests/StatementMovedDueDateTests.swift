import PaylaterApp
import PaylaterLedger
import PaylaterMoney
import PaylaterProducts
import PaylaterStore
import PaylaterTestSupport
import PaylaterTime
import Testing

private func day(_ text: String) throws -> LocalDate { try LocalDate(iso8601: text) }

/// A monthly-bill purchase whose due date was extended, or deferred by a return pause, falls due on another day: it
/// leaves its period's statement and is listed, paid, split and charged late fees on the statement of its new date.
@Suite("Monthly-bill purchases whose due date moved")
struct StatementMovedDueDateTests {
    /// Extensions of up to `days` days, free.
    static func extensions(upTo days: Int) throws -> DueDateExtension {
        try DueDateExtension(maximumDays: days, fee: try cny("0.00"))
    }

    @Test("an extended purchase leaves its statement: it is a statement of its own, due on its new date, and is paid through it", arguments: StoreKind.available)
    func extendedPurchaseIsABillOfItsOwn(kind: StoreKind) throws {
        let fixture = try StatementFixture(kind)
        let a = try fixture.buy("a", on: "2027-03-05", "100.00")
        let b = try fixture.buy("b", on: "2027-03-06", "200.00")
        let c = try fixture.buy("c", on: "2027-03-07", "300.00")
        try fixture.today("2027-04-02")
        for plan in [b, c] {
            _ = try fixture.servicing.extendDueDate(
                consumer: fixture.consumer, plan: plan, installment: 1, days: 10, rule: try Self.extensions(upTo: 10),
                operationID: "extend-\(plan.rawValue)")
        }
        let open = try fixture.statements.statements(consumer: fixture.consumer)
        #expect(open.map(\.dueDate) == [try day("2027-04-20"), try day("2027-04-10")])
        #expect(open.map { $0.lines.map(\.planID) } == [["b", "c"], ["a"]])
        #expect(open.map(\.statementDate) == [try day("2027-04-01"), try day("2027-04-01")])
        #expect(open.map(\.owed) == [try cny("500.00"), try cny("100.00")])
        #expect(open.map(\.total) == open.map(\.owed))
        // Paid through the new date, oldest purchase first; the statement due on the old date is left as it was.
        let receipt = try fixture.statements.payStatement(
            consumer: fixture.consumer, dueDate: try day("2027-04-20"), amount: try cny("250.00"), operationID: "bill-1")
        #expect(try receipt.payments.map(\.planID) == ["b", "c"] && receipt.owedAfter == (try cny("250.00")))
        #expect(try fixture.plan(b).owed.isZero && fixture.plan(c).owed == (try cny("250.00")))
        #expect(try fixture.plan(a).owed == (try cny("100.00")))
        let retry = try fixture.statements.payStatement(
            consumer: fixture.consumer, dueDate: try day("2027-04-20"), amount: try cny("250.00"), operationID: "bill-1")
        #expect(try retry == receipt && (try fixture.plan(c).owed) == (try cny("250.00")))
        let old = try fixture.statements.statement(consumer: fixture.consumer, dueDate: try day("2027-04-10"))
        #expect(try old.lines.map(\.planID) == ["a"] && old.owed == (try cny("100.00")))
        try fixture.expectLedgerMatchesPlans()
    }

    @Test("a purchase deferred by a return pause is on the statement of the pause's end, split through it by its period's due date", arguments: StoreKind.available)
    func deferredPurchaseIsSplitThroughItsNewDate(kind: StoreKind) throws {
        let fixture = try StatementFixture(kind)
        let a = try fixture.buy("a", on: "2027-03-05", "100.00")
        let b = try fixture.buy("b", on: "2027-03-06", "300.00")
        try fixture.today("2027-04-05")
        _ = try fixture.servicing.reportReturn(consumer: fixture.consumer, plan: b, operationID: "return-b", days: 28)
        // The pause runs to May 3, the first day no longer paused: the purchase is due then.
        let deferred = try fixture.statements.statement(consumer: fixture.consumer, dueDate: try day("2027-05-03"))
        #expect(try deferred.lines.map(\.planID) == ["b"] && deferred.owed == (try cny("300.00")))
        #expect(try fixture.statements.statement(consumer: fixture.consumer, dueDate: try day("2027-04-10")).lines.map(\.planID) == ["a"])
        let receipt = try fixture.statements.splitStatement(
            consumer: fixture.consumer, dueDate: try day("2027-05-03"), months: 3, operationID: "split-1")
        #expect(try receipt.splits.map(\.planID) == ["b"] && receipt.principal == (try cny("300.00")))
        #expect(try fixture.plan(b).installments.count == 3 && fixture.plan(a).installments.count == 1)
        try fixture.expectLedgerMatchesPlans()
    }

    @Test("a purchase extended onto the next statement's due date is on that statement, and charged with it as one bill", arguments: StoreKind.available)
    func extendedOntoTheNextStatement(kind: StoreKind) throws {
        let fixture = try StatementFixture(kind)
        let march = try fixture.buy("march", on: "2027-03-05", "100.00")
        let april = try fixture.buy("april", on: "2027-04-05", "100.00")
        _ = try fixture.servicing.extendDueDate(
            consumer: fixture.consumer, plan: march, installment: 1, days: 30, rule: try Self.extensions(upTo: 30),
            operationID: "extend-march")
        let may = try fixture.statements.statement(consumer: fixture.consumer, dueDate: try day("2027-05-10"))
        #expect(try may.lines.map(\.planID) == ["march", "april"] && may.owed == (try cny("200.00")))
        #expect(may.statementDate == (try day("2027-05-01")))
        #expect(try fixture.statements.statements(consumer: fixture.consumer).map(\.dueDate) == [try day("2027-05-10")])
        #expect(throws: StatementServiceError.statementNotFound(dueDate: try day("2027-04-10"))) {
            try fixture.statements.statement(consumer: fixture.consumer, dueDate: try day("2027-04-10"))
        }
        // One bill due on May 10: one 5.00 fee, shared by what each owes.
        #expect(try fixture.servicing.runEndOfDay(on: try day("2027-05-10")).lateFees.isEmpty)
        #expect(try fixture.servicing.runEndOfDay(on: try day("2027-05-11")).lateFees == [.CNY: try cny("5.00")])
        #expect(try [march, april].map { try fixture.plan($0).lateFeesCharged } == (try ["2.50", "2.50"].map { try cny($0) }))
        try fixture.expectLedgerMatchesPlans()
    }
}
