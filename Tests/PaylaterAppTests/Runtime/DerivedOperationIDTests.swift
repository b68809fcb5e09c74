import PaylaterApp
import PaylaterTime
import Testing

/// The ids below are stored in existing databases: a retry after an upgrade must derive the very same string, or it
/// would act a second time. The expected values were computed with `sha256sum` over the newline-joined parts.
@Suite("Derived operation ids")
struct DerivedOperationIDTests {
    @Test("a reported return derives its id from the order, the idempotency key and the plan")
    func orderReturn() {
        #expect(
            DerivedOperationID.orderReturn(orderID: "ord_1", idempotencyKey: "key-1", planID: "pln_1")
                == "return:cb89aec11bfb83ec20b55366e06064fe")
    }

    @Test("a delivery confirmation derives its id from the order and the plan")
    func delivery() {
        #expect(DerivedOperationID.delivery(orderID: "ord_1", planID: "pln_1") == "delivery:9dc14677f7efb2d98905d2ac53ea0a59")
    }

    @Test("a refund derives its id from the order and the refund id")
    func refund() {
        #expect(DerivedOperationID.refund(orderID: "ord_1", refundID: "ref_1") == "refund:e28bd584970ef5df46b09acb20332968")
    }

    @Test("end-of-day late fees derive their id from the business date and the plan")
    func lateFees() throws {
        let date = try LocalDate(year: 2026, month: 3, day: 15)
        #expect(DerivedOperationID.lateFees(on: date, planID: "pln_1") == "eod:2026-03-15:04a8cbeff76d9fe9")
    }

    @Test("a statement operation derives one id per plan from the operation id and the plan")
    func statementPlan() {
        #expect(
            DerivedOperationID.statementPlan(operationID: "op-1", planID: "pln_1")
                == "stmt:9821b5a8bf57993117db36358060f1a92c4ef2ed")
    }

    @Test("a retry derives the same id, and a different plan a different one")
    func deterministic() {
        let first = DerivedOperationID.delivery(orderID: "ord_1", planID: "pln_1")
        #expect(DerivedOperationID.delivery(orderID: "ord_1", planID: "pln_1") == first)
        #expect(DerivedOperationID.delivery(orderID: "ord_1", planID: "pln_2") != first)
    }
}
