import PaylaterLedger
import PaylaterMoney
import PaylaterProducts
import PaylaterStore
import PaylaterTime

/// The end of day's late fees on monthly-bill statements: a statement is one bill, so its purchases are charged
/// together (`RepaymentPlan.assessStatementLateFees`), in one transaction, each purchase's share posted on its own
/// plan and recorded as that plan's late-fee run for the date.
extension ServicingService {
    /// The purchases on one statement, locked, oldest purchase first, with their plans as read under the lock.
    struct StatementPurchases {
        /// The plan the end of day came to first; it is recorded as run even when it owes no share.
        let lead: String
        let records: [PlanRecord]
        let plans: [RepaymentPlan]

        /// These purchases and `other`'s together, each once (this one's plan kept), oldest purchase first.
        func joining(_ other: StatementPurchases?) -> StatementPurchases {
            guard let other else { return self }
            let added = zip(other.records, other.plans).filter { record, _ in !records.contains { $0.planID == record.planID } }
            // Every statement purchase has a start (`statementPurchases(of:)` lists no other).
            let members = (Array(zip(records, plans)) + added).compactMap { record, plan in plan.start.map { (record, plan, $0) } }
                .sorted { ($0.2, $0.0.planID) < ($1.2, $1.0.planID) }
            return StatementPurchases(lead: lead, records: members.map(\.0), plans: members.map(\.1))
        }
    }

    /// The statement `plan` is a purchase on (the product's purchases in its currency due on its day), its purchases locked (with `skipLocked`, `PlanBusy` when another
    /// worker holds one); nil when `plan` is not a monthly-bill purchase (or its late-fee run for the date is
    /// recorded, which the ordinary run reports as done).
    func statementPurchases(
        _ consumer: ConsumerID, _ plan: PlanID, _ operationID: String, skipLocked: Bool, in connection: any SQLConnection
    ) throws -> StatementPurchases? {
        guard !monthlyBills.isEmpty else { return nil }
        let plans = PlanRepository(connection)
        guard let record = try plans.plan(
            consumerID: consumer.rawValue, planID: plan.rawValue, forUpdate: true, skipLocked: skipLocked)
        else { throw skipLocked ? PlanBusy() : ServicingError.planNotFound(consumer: consumer.rawValue, plan: plan.rawValue) }
        guard try plans.operation(consumerID: consumer.rawValue, operationID: operationID) == nil else { return nil }
        return try statementPurchases(
            of: record, try StoredPlan.decode(record.document).plan, consumer, skipLocked: skipLocked, in: connection)
    }

    /// The statement the plan of `record`, locked and read as `leadPlan`, is a purchase on: its other purchases
    /// locked; nil when it is not a monthly-bill purchase.
    func statementPurchases(
        of record: PlanRecord, _ leadPlan: RepaymentPlan, _ consumer: ConsumerID, skipLocked: Bool,
        in connection: any SQLConnection
    ) throws -> StatementPurchases? {
        let plans = PlanRepository(connection)
        guard let dueDate = statementDueDate(leadPlan, productID: record.productID), let leadStart = leadPlan.start
        else { return nil }
        var members: [(record: PlanRecord, plan: RepaymentPlan, start: LocalDate)] = [(record, leadPlan, leadStart)]
        for candidate in try otherPurchases(of: record, dueDate: dueDate, consumer, in: connection) {
            // Locked, then read and checked again: on PostgreSQL another transaction may have changed it since the
            // page was read (a purchase split meanwhile is no longer on the statement).
            guard let locked = try plans.plan(
                consumerID: consumer.rawValue, planID: candidate.planID, forUpdate: true, skipLocked: skipLocked)
            else { throw PlanBusy() }
            let plan = try StoredPlan.decode(locked.document).plan
            guard statementDueDate(plan, productID: locked.productID) == dueDate, let start = plan.start else { continue }
            members.append((locked, plan, start))
        }
        let ordered = members.sorted { ($0.start, $0.record.planID) < ($1.start, $1.record.planID) }
        return StatementPurchases(lead: record.planID, records: ordered.map(\.record), plans: ordered.map(\.plan))
    }

    /// The other purchases on the statement of `record`'s plan, due on `dueDate`, as read without a lock, in plan-id
    /// order: the order `StatementService` locks a statement's plans in.
    private func otherPurchases(
        of record: PlanRecord, dueDate: LocalDate, _ consumer: ConsumerID, in connection: any SQLConnection
    ) throws -> [PlanRecord] {
        try PlanRepository(connection).plans(consumerID: consumer.rawValue, limit: StatementService.plansMaximum).filter {
            candidate in
            guard candidate.productID == record.productID, candidate.currency == record.currency,
                candidate.planID != record.planID
            else { return false }
            return statementDueDate(try StoredPlan.decode(candidate.document).plan, productID: candidate.productID) == dueDate
        }.sorted { $0.planID < $1.planID }
    }

    /// Reads `plan` (without a lock) and, when it is a monthly-bill purchase, locks it and the other purchases on its
    /// statement, all in plan-id order, as `StatementService` does: a writer that locks one purchase and then the
    /// rest (a refund) would otherwise deadlock with another doing so from another purchase of the statement.
    /// Returns the plan's record as read, nil when there is no such plan (the operation then says so).
    func lockStatementInPlanIDOrder(of plan: PlanID, _ consumer: ConsumerID, in connection: any SQLConnection) throws
        -> PlanRecord?
    {
        guard let record = try PlanRepository(connection).plan(consumerID: consumer.rawValue, planID: plan.rawValue)
        else { return nil }
        // Most plans are no monthly-bill purchase: known from the product, without decoding the plan.
        guard monthlyBills[record.productID] != nil,
            let dueDate = statementDueDate(try StoredPlan.decode(record.document).plan, productID: record.productID)
        else { return record }
        let others = try otherPurchases(of: record, dueDate: dueDate, consumer, in: connection).map(\.planID)
        for planID in (others + [record.planID]).sorted() {
            _ = try PlanRepository(connection).plan(consumerID: consumer.rawValue, planID: planID, forUpdate: true)
        }
        return record
    }

    /// The due date of the statement a monthly-bill purchase that is still a statement line (not split) is on, nil
    /// for any other plan: its effective due date, as `StatementService` lists it, so a purchase whose due date was
    /// extended or deferred leaves its period's bill and is charged with the purchases due on its new date.
    func statementDueDate(_ plan: RepaymentPlan, productID: String) -> LocalDate? {
        guard let bill = monthlyBills[productID], plan.isStatementPurchase, let start = plan.start,
            let period = try? bill.cycle.period(containing: start)
        else { return nil }
        return StatementService.dueDate(of: plan, in: period)
    }

    /// Charges a statement's late fees for `date` as one bill and posts each purchase's share on its plan, with the
    /// plan's late-fee run recorded; purchases whose run for the date is already recorded are left as they are.
    func chargeStatementLateFees(
        _ statement: StatementPurchases, _ consumer: ConsumerID, on date: LocalDate, skipLocked: Bool,
        in connection: any SQLConnection, at now: Instant
    ) throws -> LateFeeOutcome {
        var lines = statement.plans
        let shares = try Self.domain { () throws(PlanError) in try RepaymentPlan.assessStatementLateFees(&lines, on: date) }
        let assessed = Dictionary(uniqueKeysWithValues: lines.map { ($0.id, $0) })
        var amounts = Dictionary(uniqueKeysWithValues: shares.map { ($0.planID, $0.amount) })
        if amounts[statement.lead] == nil, let plan = assessed[statement.lead] { amounts[statement.lead] = .zero(plan.currency) }
        let plans = PlanRepository(connection)
        var charged: [String: Money] = [:]
        for record in statement.records {
            guard let amount = amounts[record.planID], let plan = assessed[record.planID] else { continue }
            let operationID = DerivedOperationID.lateFees(on: date, planID: record.planID)
            if try plans.operation(consumerID: consumer.rawValue, operationID: operationID) != nil {
                // Recorded with the statement by an earlier run, whose stages make this one charge nothing more.
                assert(amount.isZero, "a purchase's late fees for a date are charged once")
                continue
            }
            let result: LateFeeResult = try perform(
                kind: "late-fees", consumer, try Self.identifier { () throws(LedgerError) in try PlanID(record.planID) },
                operationID, request: Self.lateFeeRequest(date), on: date, in: connection, at: now, skipLocked: skipLocked
            ) { stored, postings, _ in
                stored.plan = plan
                return (LateFeeResult(amount: amount), try postings.lateFees(amount))
            }
            charged[record.planID] = result.amount
        }
        return .charged(charged)
    }
}
