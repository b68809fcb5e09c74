import Foundation
public import PaylaterLedger
public import PaylaterMoney
public import PaylaterProducts
public import PaylaterStore
public import PaylaterTime

/// The monthly bill (月付) in servicing: statements drawn from a shopper's purchase plans, paid or split into
/// installments, each write one transaction through `ServicingService`'s per-plan operations.
///
/// A monthly-bill purchase stays its own plan, one installment due on its statement's due date (as captures make
/// it). A statement is a view: the shopper's plans of one monthly-bill product in one currency due on one day,
/// which are the purchases made in one billing period (`BillingCycle.period(containing:)`), less any whose due date
/// was moved (extended, or deferred by a return pause: it is on the statement of its new date), plus any moved
/// onto this one. Late fees charge a statement as one bill. Nothing else is stored; at most
/// `plansMaximum` of the shopper's newest plans are looked at. Plans whose product has left the catalog, or that
/// carry no purchase date, are on no statement.
///
/// Every write names an operation id, recorded for the whole statement (retries return the stored receipt); each
/// plan's own operation id is derived from it by hash, so it fits 64 bytes and differs per plan.
public struct StatementService: Sendable {
    public let database: any Database
    public let catalog: ProductCatalog
    public let servicing: ServicingService

    /// The most plans of one shopper gathered into statements.
    public static let plansMaximum = 2_000

    public init(database: any Database, catalog: ProductCatalog, servicing: ServicingService) {
        self.database = database
        self.catalog = catalog
        self.servicing = servicing
    }

    // MARK: Reading

    /// The shopper's statements with something still owed, newest due date first.
    public func statements(consumer: ConsumerID) throws -> [BillStatement] {
        try database.read { connection in
            try gather(PlanRepository(connection).plans(consumerID: consumer.rawValue, limit: Self.plansMaximum))
                .map(\.view).filter { !$0.isSettled }
                .sorted { ($0.dueDate, $0.productID, $0.currency.code) > ($1.dueDate, $1.productID, $1.currency.code) }
        }
    }

    /// The statement due on `dueDate`, settled or not; `productID` and `currency` choose among several.
    /// - Throws: `StatementServiceError.statementNotFound` or `.ambiguousStatement`.
    public func statement(
        consumer: ConsumerID, dueDate: LocalDate, productID: String? = nil, currency: Currency? = nil
    ) throws -> BillStatement {
        try database.read { connection in
            let all = try gather(PlanRepository(connection).plans(consumerID: consumer.rawValue, limit: Self.plansMaximum))
            return try Self.choose(all, dueDate, productID, currency).view
        }
    }

    // MARK: Paying

    /// Pays `amount` toward the statement due on `dueDate` in `amount`'s currency: each plan gets what it owes,
    /// oldest purchase first, through the ordinary plan payment (its waterfall and ledger chain), all in one
    /// transaction; what is left after the last plan is its overpayment, kept once on the shopper's credit balance.
    /// A payment of more than twice what the statement owes is refused (`OverpaymentLimit`).
    /// - Throws: `StatementServiceError` (`.statementNotFound`, `.ambiguousStatement`, `.statementSettled`,
    ///   `.notPositive`), `ServicingError` (`.invalidOperationID`, `.operationReused`,
    ///   `.plan(.payment(.exceedsOverpaymentLimit))`).
    public func payStatement(
        consumer: ConsumerID, dueDate: LocalDate, amount: Money, operationID: String, productID: String? = nil
    ) throws -> StatementPaymentReceipt {
        guard amount.isPositive else { throw StatementServiceError.notPositive(amount) }
        let request = ["amount": amount.description]
        return try write(
            "statement-payment", consumer, dueDate, productID, amount.currency, operationID, request
        ) { statement, connection, now in
            let open = statement.lines.filter { $0.line.owed.isPositive }
            guard !open.isEmpty else { throw StatementServiceError.statementSettled(dueDate: dueDate) }
            let owedBefore = try Money.sum(of: open.map(\.line.owed), currency: amount.currency)
            do throws(PaymentError) { try OverpaymentLimit.check(amount, owed: owedBefore) } catch {
                throw ServicingError.plan(.payment(error))
            }
            var remaining = amount.minorUnits
            var payments: [PaymentReceipt] = []
            for (index, item) in open.enumerated() where remaining > 0 {
                let part = index == open.count - 1 ? remaining : min(remaining, item.line.owed.minorUnits)
                payments.append(
                    try servicing.pay(
                        consumer: consumer, plan: try PlanID(item.line.planID),
                        amount: Money(minorUnits: part, currency: amount.currency),
                        operationID: Self.planOperationID(operationID, item.line.planID), owedInAll: owedBefore,
                        in: connection, at: now))
                remaining -= part
            }
            assert(remaining == 0, "the whole amount is applied")
            let applied = try Money.sum(of: payments.map(\.amount), currency: amount.currency)
                - Money.sum(of: payments.map(\.overpayment), currency: amount.currency)
            return StatementPaymentReceipt(
                operationID: operationID, productID: statement.view.productID, dueDate: dueDate, amount: amount,
                payments: payments, overpayment: payments.last?.overpayment ?? .zero(amount.currency),
                owedAfter: try owedBefore - applied)
        }
    }

    // MARK: Splitting

    /// Splits one monthly-bill purchase into `months` monthly installments at the product's fee (`SplitOffer`),
    /// the first due on the next statement's due date; its fees are booked in the same transaction. A purchase is
    /// split at most once, while it is unpaid and on or before its statement's due date.
    /// - Throws: `ServicingError.planNotFound`, `.plan(.alreadySplit / .notSplittable / .split(...))` with the
    ///   bill's refusal (`.splitAfterDueDate`, `.monthsNotOffered`), `StatementServiceError.notAMonthlyBill`.
    public func splitPurchase(consumer: ConsumerID, plan: PlanID, months: Int, operationID: String) throws -> SplitReceipt {
        let now = servicing.clock.now()
        return try database.write { connection in
            guard let record = try PlanRepository(connection).plan(consumerID: consumer.rawValue, planID: plan.rawValue)
            else { throw ServicingError.planNotFound(consumer: consumer.rawValue, plan: plan.rawValue) }
            let bill = try monthlyBill(productID: record.productID, planID: record.planID)
            return try servicing.split(
                consumer: consumer, plan: plan, months: months, bill: bill, operationID: operationID, in: connection,
                at: now)
        }
    }

    /// Splits every unpaid purchase on the statement due on `dueDate` into `months` installments, in one
    /// transaction. The installments are per purchase (each plan is split by itself), so the rounding remainders
    /// are per purchase: the principal split is exactly the statement's; against a split of the statement's sum,
    /// each month's fee differs by at most one minor unit per purchase, each later month's principal by less than
    /// one per purchase, and the first month's principal carries the per-purchase remainders (up to `months − 1`
    /// units each). Purchases partly paid are not split and stay due on the due date.
    /// - Throws: `StatementServiceError` (`.statementNotFound`, `.ambiguousStatement`, `.statementSettled`,
    ///   `.statement(.alreadySplit / .splitAfterDueDate / .monthsNotOffered / .nothingToSplit)`), or
    ///   `ServicingError` (`.invalidOperationID`, `.operationReused`).
    public func splitStatement(
        consumer: ConsumerID, dueDate: LocalDate, months: Int, operationID: String, productID: String? = nil,
        currency: Currency? = nil
    ) throws -> StatementSplitReceipt {
        try write(
            "statement-split", consumer, dueDate, productID, currency, operationID, ["months": "\(months)"]
        ) { statement, connection, now in
            let view = statement.view
            if view.lines.isEmpty, !view.splitPlanIDs.isEmpty {
                throw StatementServiceError.statement(.alreadySplit(.statement(view.statementDate)))
            }
            if view.isSettled { throw StatementServiceError.statementSettled(dueDate: dueDate) }
            let splittable = statement.lines.filter(\.plan.isUnpaidSinglePurchase)
            let partlyPaid = statement.lines.filter { $0.plan.paidOnSplittablePurchase != nil }
            let lastDueDate = statement.periods.last?.dueDate ?? view.dueDate
            if splittable.isEmpty, !partlyPaid.isEmpty, servicing.businessDate(now) <= lastDueDate {
                throw StatementServiceError.statement(
                    .onlyPartlyPaid(
                        statementDate: view.statementDate,
                        owed: try Money.sum(of: partlyPaid.map(\.plan.owed), currency: view.currency)))
            }
            // The statement-level rules first (due date, months offered, something to split), by the domain, for
            // the purchases of each billing period on the statement (a split is due by its period's due date).
            let purchases = splittable.map { BillPurchase(id: $0.line.planID, date: $0.line.purchaseDate, amount: $0.line.amount) }
            let today = servicing.businessDate(now)
            let periods = purchases.isEmpty ? Array(statement.periods.suffix(1)) : statement.periods
            for period in periods {
                let own = purchases.filter { period.contains($0.date) }
                guard purchases.isEmpty || !own.isEmpty else { continue }
                _ = try Self.statement { () throws(StatementError) in
                    try MonthlyStatement(period: period, currency: view.currency, purchases: own).split(
                        months: months, offer: statement.bill.splits, on: today, cycle: statement.bill.cycle, existing: [])
                }
            }
            let splits = try splittable.map { item in
                try servicing.split(
                    consumer: consumer, plan: try PlanID(item.line.planID), months: months, bill: statement.bill,
                    operationID: Self.planOperationID(operationID, item.line.planID), in: connection, at: now)
            }
            return StatementSplitReceipt(
                operationID: operationID, productID: view.productID, dueDate: dueDate, months: months, splits: splits,
                principal: try Money.sum(of: splits.map(\.principal), currency: view.currency),
                fees: try Money.sum(of: splits.map(\.fees), currency: view.currency))
        }
    }

    // MARK: Gathering

    /// A statement with the plans behind it.
    struct Gathered {
        let view: BillStatement
        /// The billing periods its plans were bought in, oldest first: one, unless a purchase's due date was moved
        /// (extended, or deferred by a return pause) onto another period's due date.
        let periods: [StatementPeriod]
        let bill: MonthlyBillTerms
        /// The lines with their plans, oldest purchase first.
        let lines: [(line: BillStatementLine, plan: RepaymentPlan)]
        /// Every plan of the statement, split or not.
        let planIDs: [String]
    }

    private struct Key: Hashable {
        let productID: String
        let currency: Currency
        let dueDate: LocalDate
    }

    private typealias Member = (order: Int, date: LocalDate, stored: StoredPlan, period: StatementPeriod)

    /// The day a monthly-bill plan is owed on a statement. A purchase still owed in one installment is due on that
    /// installment's effective due date (`RepaymentPlan.effectiveDueDate`: extended, or deferred by a return pause),
    /// the day its late fees are charged by, so a purchase whose due date moved is on the statement of its new date
    /// (a bill of its own, or with that day's purchases). A split purchase stays listed on its period's statement.
    static func dueDate(of plan: RepaymentPlan, in period: StatementPeriod) -> LocalDate {
        plan.isStatementPurchase ? plan.effectiveDueDate(of: plan.installments[0]) : period.dueDate
    }

    /// Groups the monthly-bill plans (`records` newest first) into statements: one per product, currency and due
    /// date, which is also the bill its late fees are charged as (`ServicingService.statementPurchases`).
    private func gather(_ records: [PlanRecord]) throws -> [Gathered] {
        var groups: [Key: [Member]] = [:]
        var bills: [String: MonthlyBillTerms] = [:]
        for (order, record) in records.enumerated() {
            guard let bill = (try? catalog.product(id: record.productID))?.monthlyBill else { continue }
            let stored = try StoredPlan.decode(record.document)
            guard let date = stored.plan.billSplit?.purchaseDate ?? stored.plan.start else { continue }
            let period = try Self.statement { () throws(StatementError) in try bill.cycle.period(containing: date) }
            bills[record.productID] = bill
            let key = Key(productID: record.productID, currency: stored.plan.currency, dueDate: Self.dueDate(of: stored.plan, in: period))
            groups[key, default: []].append((order, date, stored, period))
        }
        return try groups.map { key, members in
            guard let bill = bills[key.productID] else { preconditionFailure("a group has members") }
            return try Self.drawUp(key, members, bill)
        }
    }

    /// One statement from its plans.
    private static func drawUp(_ key: Key, _ members: [Member], _ bill: MonthlyBillTerms) throws -> Gathered {
        // Oldest purchase first; on one day, the plan made first (records come newest first).
        let sorted = members.sorted { ($0.date, -$0.order) < ($1.date, -$1.order) }
        let lines = sorted.filter { $0.stored.plan.billSplit == nil && $0.stored.plan.originalPrincipal.isPositive }
            .compactMap { member -> (line: BillStatementLine, plan: RepaymentPlan, period: StatementPeriod)? in
                let plan = member.stored.plan
                guard plan.installments.count == 1, plan.installments[0].principal.isPositive else { return nil }
                let line = BillStatementLine(
                    planID: plan.id, orderID: member.stored.orderID, purchaseDate: member.date,
                    amount: plan.installments[0].principal, owed: plan.owed)
                return (line, plan, member.period)
            }
        let periods = Set(sorted.map(\.period)).sorted { $0.statementDate < $1.statementDate }
        guard let latest = periods.last else { preconditionFailure("a group has members") }
        // Each period's purchases make a statement by the domain's rules (one, unless a due date moved).
        let totals = try periods.map { period in
            try Self.statement { () throws(StatementError) in
                try MonthlyStatement(
                    period: period, currency: key.currency,
                    purchases: lines.filter { $0.period == period }.map {
                        BillPurchase(id: $0.line.planID, date: $0.line.purchaseDate, amount: $0.line.amount)
                    }
                ).total
            }
        }
        let view = BillStatement(
            productID: key.productID, currency: key.currency, statementDate: latest.statementDate, dueDate: key.dueDate,
            lines: lines.map(\.line), total: try Money.sum(of: totals, currency: key.currency),
            owed: try Money.sum(of: lines.map(\.line.owed), currency: key.currency),
            splitPlanIDs: sorted.filter { $0.stored.plan.billSplit != nil }.map(\.stored.plan.id))
        return Gathered(
            view: view, periods: periods, bill: bill, lines: lines.map { ($0.line, $0.plan) },
            planIDs: sorted.map(\.stored.plan.id))
    }

    private static func choose(
        _ all: [Gathered], _ dueDate: LocalDate, _ productID: String?, _ currency: Currency?
    ) throws -> Gathered {
        let matching = all.filter {
            $0.view.dueDate == dueDate && (productID ?? $0.view.productID) == $0.view.productID
                && (currency ?? $0.view.currency) == $0.view.currency
        }
        guard let first = matching.first else { throw StatementServiceError.statementNotFound(dueDate: dueDate) }
        guard matching.count == 1 else {
            throw StatementServiceError.ambiguousStatement(
                dueDate: dueDate, statements: matching.map { "\($0.view.productID) \($0.view.currency.code)" }.sorted())
        }
        return first
    }

    // MARK: The statement write template

    /// Runs one statement operation in one write transaction: the statement's plans are locked (in id order), a
    /// recorded operation id returns its stored receipt, otherwise the statement is drawn up again from the locked
    /// plans, `body` runs the plan operations, and the operation is recorded against the oldest plan. Any error
    /// rolls all of it back.
    private func write<Result: Codable & Sendable>(
        _ kind: String, _ consumer: ConsumerID, _ dueDate: LocalDate, _ productID: String?, _ currency: Currency?,
        _ operationID: String, _ request: [String: String],
        _ body: (Gathered, any SQLConnection, Instant) throws -> Result
    ) throws -> Result {
        try ServicingService.checkOperationID(operationID)
        let now = servicing.clock.now()
        return try database.write { connection in
            let plans = PlanRepository(connection)
            let records = try plans.plans(consumerID: consumer.rawValue, limit: Self.plansMaximum)
            let found = try Self.choose(gather(records), dueDate, productID, currency)
            var locked: [PlanRecord] = []
            for planID in found.planIDs.sorted() {
                if let record = try plans.plan(consumerID: consumer.rawValue, planID: planID, forUpdate: true) {
                    locked.append(record)
                }
            }
            // Locked in id order (one order for every writer, so none deadlocks); gathered in the order the first
            // read gave (newest first), which `gather` breaks same-day ties by: otherwise a payment went to the
            // newest of two purchases made the same day, not the oldest as the statement lists them.
            let position = Dictionary(uniqueKeysWithValues: records.enumerated().map { ($0.element.planID, $0.offset) })
            locked.sort { (position[$0.planID] ?? .max) < (position[$1.planID] ?? .max) }
            let requestText = try CanonicalJSON.encode(
                request.merging([
                    "kind": kind, "due_date": dueDate.description, "product": found.view.productID,
                    "currency": found.view.currency.code,
                ]) { $1 })
            if let done = try plans.operation(consumerID: consumer.rawValue, operationID: operationID) {
                guard done.kind == kind, done.request == requestText else { throw ServicingError.operationReused(operationID) }
                return try ServicingService.storedResult(done)
            }
            let statement = try Self.choose(gather(locked), dueDate, found.view.productID, found.view.currency)
            let result = try body(statement, connection, now)
            guard let anchor = statement.planIDs.first else { preconditionFailure("a statement has plans") }
            try plans.insert(
                PlanOperationRecord(
                    consumerID: consumer.rawValue, operationID: operationID, planID: anchor, kind: kind,
                    request: requestText, result: try CanonicalJSON.encode(result)),
                at: now)
            return result
        }
    }

    /// A plan's operation id within a statement operation: at most 64 bytes, different per plan and per statement
    /// operation.
    static func planOperationID(_ operationID: String, _ planID: String) -> String {
        DerivedOperationID.statementPlan(operationID: operationID, planID: planID)
    }

    private func monthlyBill(productID: String, planID: String) throws -> MonthlyBillTerms {
        guard let bill = (try? catalog.product(id: productID))?.monthlyBill else {
            throw StatementServiceError.notAMonthlyBill(planID: planID, productID: productID)
        }
        return bill
    }

    private static func statement<T>(_ body: () throws(StatementError) -> T) throws(StatementServiceError) -> T {
        do { return try body() } catch { throw .statement(error) }
    }
}
