@testable import PaylaterApp
import PaylaterLedger
import PaylaterMoney
import PaylaterProducts
import PaylaterStore
import PaylaterTestSupport
import PaylaterTime
import Testing

private func day(_ text: String) throws -> LocalDate { try LocalDate(iso8601: text) }

/// Review r9: a due-date extension of a charged monthly-bill purchase onto a date where the shopper's other
/// purchases are already due.
@Suite("Extensions onto another bill's due date")
struct StatementExtensionTests {
    /// b (4.00, carrying 4.00 of late fees after the April 10 bill) is extended by 30 days onto May 10, the due date
    /// of c (100.00, bought in April under the same policy): its new bill is b and c, capped at 25% of 104.00, so
    /// nothing exceeds it and nothing is taken off b.
    @Test("an extension onto the due date of the shopper's next bill caps the bill it joins on all its purchases", arguments: StoreKind.available)
    func extensionOntoAnotherBill(kind: StoreKind) throws {
        let (fixture, _, b) = try StatementRefundServicingTests.setUp(kind)
        let c = try fixture.buy("c", on: "2027-04-12", "100.00", lateFees: try StatementLateFeeTests.twoStages())
        #expect(try fixture.plan(c).installments[0].dueDate == (try day("2027-05-10")))
        _ = try fixture.servicing.extendDueDate(
            consumer: fixture.consumer, plan: b, installment: 1, days: 30,
            rule: try DueDateExtension(maximumDays: 30, fee: try cny("0.00")), operationID: "extend-b")
        let statements = try fixture.statements.statements(consumer: fixture.consumer)
        #expect(Set(statements.map { $0.lines.map(\.planID).sorted() }) == [["a"], ["b", "c"]], "b joined c's bill")
        let charged = try fixture.plan(b).lateFeesCharged
        #expect(charged == (try cny("4.00")), "4.00 is within 25% of 104.00, not \(charged)")
        try fixture.expectLedgerMatchesPlans()
        // A retry of the extension changes nothing.
        let before = try fixture.snapshot()
        _ = try fixture.servicing.extendDueDate(
            consumer: fixture.consumer, plan: b, installment: 1, days: 30,
            rule: try DueDateExtension(maximumDays: 30, fee: try cny("0.00")), operationID: "extend-b")
        #expect(try fixture.snapshot() == before)
        try fixture.expectLedgerMatchesPlans()
    }

    @Test("an extension retried changes nothing, and the bill it left is charged within its cap later", arguments: StoreKind.available)
    func extensionRetriedThenEndOfDay(kind: StoreKind) throws {
        let (fixture, a, b) = try StatementRefundServicingTests.setUp(kind)
        let rule = try DueDateExtension(maximumDays: 10, fee: try cny("1.00"))
        _ = try fixture.servicing.extendDueDate(
            consumer: fixture.consumer, plan: b, installment: 1, days: 5, rule: rule, operationID: "extend-b")
        let before = try fixture.snapshot()
        _ = try fixture.servicing.extendDueDate(
            consumer: fixture.consumer, plan: b, installment: 1, days: 5, rule: rule, operationID: "extend-b")
        #expect(try fixture.snapshot() == before)
        try fixture.expectLedgerMatchesPlans()
        for date in ["2027-04-16", "2027-04-18", "2027-04-25"] {
            try fixture.today(date)
            _ = try fixture.servicing.runEndOfDay(on: try day(date))
            try fixture.expectLedgerMatchesPlans()
        }
        let capB = try #require(try StatementLateFeeTests.twoStages().orderCap(for: try cny("4.00")))
        #expect(try fixture.plan(b).lateFeesCharged.minorUnits <= capB.minorUnits)
        let capA = try #require(try StatementLateFeeTests.twoStages().orderCap(for: try cny("100.00")))
        #expect(try fixture.plan(a).lateFeesCharged.minorUnits <= capA.minorUnits)
    }
}
