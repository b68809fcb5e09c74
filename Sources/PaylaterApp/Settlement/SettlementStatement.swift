import PaylaterLedger
import PaylaterProducts
public import PaylaterStore
public import PaylaterTime

/// A settlement with what matches each line to the merchant's books: the order and the merchant's own reference,
/// the capture or refund, and when the line was posted. `GET /v1/settlements/{id}` and its CSV report.
public struct SettlementStatement: Sendable, Hashable {
    public let settlement: Settlement
    /// One per line of the settlement, in line order.
    public let lines: [Line]

    /// One settlement line and where it came from.
    public struct Line: Sendable, Hashable {
        public let line: SettlementLine
        /// When its ledger transfer was posted.
        public let at: Instant
        /// The checkout order and the plan its capture opened; nil for a line of no order's plan (an adjustment, a
        /// plan opened outside checkout).
        public let orderID: String?
        public let planID: String?
        /// The merchant's own reference of the order.
        public let merchantReference: String?
        /// The capture that opened the plan, for a capture and the subsidy taken with it.
        public let captureID: String?
        /// The refund that posted the line, for a refund and the subsidy it gave back.
        public let refundID: String?
    }

    /// Matches each line to its order, from the transfers' sources and the orders they name (`orders`: by id).
    static func lines(_ settlement: Settlement, sources: [SettlementLineSource], orders: [String: Order]) -> [Line] {
        precondition(sources.count == settlement.lines.count, "a source per line")
        var refundsByOperation: [String: String] = [:]
        for order in orders.values {
            for refund in order.refunds {
                let operation = DerivedOperationID.refund(orderID: order.id, refundID: refund.id)
                for index in refund.allocations.indices { refundsByOperation["\(operation):\(index)"] = refund.id }
            }
        }
        return zip(settlement.lines, sources).map { line, source in
            let plan = PlanPostings.planID(ofTransfer: line.transferID)?.rawValue
            let orderID = plan.flatMap(Order.orderID(ofPlan:))
            let order = orderID.flatMap { orders[$0] }
            let refundID = source.reference.flatMap { refundsByOperation[$0] }
            let captureID = refundID == nil && source.reference == PlanPostings.captureReference
                ? order?.captures.first { $0.planID == plan }?.id : nil
            return Line(
                line: line, at: source.at, orderID: orderID, planID: plan, merchantReference: order?.merchantReference,
                captureID: captureID, refundID: refundID)
        }
    }
}
