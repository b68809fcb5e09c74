public import PaylaterMoney
public import PaylaterProducts
import PaylaterStore
import PaylaterLedger
import PaylaterTime

/// What splitting one monthly-bill purchase did.
public struct SplitReceipt: Codable, Hashable, Sendable {
    public let operationID: String
    public let planID: String
    public let months: Int
    /// The principal split: unchanged on the plan, now owed over `months` installments.
    public let principal: Money
    /// The fees the split added, booked to income when it was made.
    public let fees: Money
    /// The plan's new installments, the first due on the next statement's due date.
    public let installments: [PlanInstallment]
}

extension ServicingService {
    /// Splits one monthly-bill purchase plan into `months` installments by `bill`'s offer, inside the caller's write
    /// transaction: the plan's schedule changes, its fees are booked (fee receivable against fee income) and the
    /// principal receivable and the shopper's used limit stay as they are.
    func split(
        consumer: ConsumerID, plan: PlanID, months: Int, bill: MonthlyBillTerms, operationID: String,
        in connection: any SQLConnection, at now: Instant
    ) throws -> SplitReceipt {
        try perform(
            kind: "split", consumer, plan, operationID, request: ["months": "\(months)"], in: connection, at: now
        ) { stored, postings, today in
            let fees = try Self.domain { () throws(PlanError) in
                try stored.plan.split(months: months, bill: bill, on: today, rebateRule: bill.splitRebateRule)
            }
            let receipt = SplitReceipt(
                operationID: operationID, planID: plan.rawValue, months: months, principal: stored.plan.principalOwed,
                fees: fees, installments: stored.plan.installments)
            return (receipt, try postings.splitFees(fees))
        }
    }
}
