public import PaylaterTime

/// A stored plan: its searchable columns and its document, which the application encodes and decodes.
public struct PlanRecord: Sendable, Hashable {
    public var consumerID: String
    public var planID: String
    public var merchantID: String
    public var productID: String
    public var currency: String
    /// `active`, `paid_off` or `closed_by_refund`.
    public var status: String
    /// The earliest due date of an installment still owing, which the end-of-day batch searches on.
    public var oldestUnpaidDueDate: LocalDate?
    public var document: String
    /// Bumped on every update; an update names the version it read.
    public var version: Int64

    public init(
        consumerID: String, planID: String, merchantID: String, productID: String, currency: String, status: String,
        oldestUnpaidDueDate: LocalDate?, document: String, version: Int64
    ) {
        self.consumerID = consumerID
        self.planID = planID
        self.merchantID = merchantID
        self.productID = productID
        self.currency = currency
        self.status = status
        self.oldestUnpaidDueDate = oldestUnpaidDueDate
        self.document = document
        self.version = version
    }
}

/// An operation already applied to a plan, kept so that a retry returns the same answer.
public struct PlanOperationRecord: Sendable, Hashable {
    public var consumerID: String
    public var operationID: String
    public var planID: String
    public var kind: String
    /// The request the operation answered, canonical JSON; a retry must send the same.
    public var request: String
    public var result: String

    public init(consumerID: String, operationID: String, planID: String, kind: String, request: String, result: String) {
        self.consumerID = consumerID
        self.operationID = operationID
        self.planID = planID
        self.kind = kind
        self.request = request
        self.result = result
    }
}

/// Reads and writes plans and their operations inside the caller's transaction.
public struct PlanRepository {
    private let connection: any SQLConnection

    public init(_ connection: any SQLConnection) { self.connection = connection }

    private static let columns =
        "consumer_id, id, merchant_id, product_id, currency, status, oldest_unpaid_due_date, document, version"
    private static let plansOfConsumerSQL =
        "SELECT \(columns) FROM plans WHERE consumer_id = ? ORDER BY created_at DESC, id DESC LIMIT ?"
    /// Spelled once: read in every credit decision. No `ORDER BY`: sorting by anything but the key made SQLite
    /// build a temporary b-tree per decision (about 2% of the single writer's instructions).
    private static let activePlansSQL =
        "SELECT \(columns) FROM plans WHERE consumer_id = ? AND status = 'active' AND currency = ?"

    /// Inserts a new plan at version 1.
    /// - Throws: `StoreError` (a unique violation when the plan exists).
    public func insert(_ plan: PlanRecord, at now: Instant) throws(StoreError) {
        try connection.execute(
            "INSERT INTO plans (\(Self.columns), created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?)",
            [
                .text(plan.consumerID), .text(plan.planID), .text(plan.merchantID), .text(plan.productID),
                .text(plan.currency), .text(plan.status), plan.oldestUnpaidDueDate.map { .text($0.description) } ?? .null,
                .text(plan.document), .integer(now.nanosecondsSinceUnixEpoch), .integer(now.nanosecondsSinceUnixEpoch),
            ])
    }

    /// One shopper's plan, locked for the rest of a write transaction where the engine locks rows.
    /// With `skipLocked`, a row another transaction has locked is not waited for: the result is nil, as if absent
    /// (PostgreSQL; SQLite's single writer never meets a locked row).
    public func plan(
        consumerID: String, planID: String, forUpdate: Bool = false, skipLocked: Bool = false
    ) throws(StoreError) -> PlanRecord? {
        var lock = forUpdate ? connection.dialect.lockRowsClause : ""
        if skipLocked, !lock.isEmpty { lock += " SKIP LOCKED" }
        let rows = try connection.query(
            "SELECT \(Self.columns) FROM plans WHERE consumer_id = ? AND id = ?\(lock)",
            [.text(consumerID), .text(planID)])
        return try rows.first.map(Self.record)
    }

    /// A shopper's plans, newest first.
    public func plans(consumerID: String, limit: Int = 500) throws(StoreError) -> [PlanRecord] {
        try connection.query(
            Self.plansOfConsumerSQL,
            [.text(consumerID), .integer(Int64(limit))]
        ).map(Self.record)
    }

    /// Every active plan of a shopper in `currency`, in key order: what a credit decision weighs (delinquency,
    /// balance, obligations). All of them, however many newer plans are paid off, which a page of
    /// `plans(consumerID:limit:)` would not promise.
    public func activePlans(consumerID: String, currency: String) throws(StoreError) -> [PlanRecord] {
        try connection.query(Self.activePlansSQL, [.text(consumerID), .text(currency)]).map(Self.record)
    }

    /// Active plans with an installment owing since before `date`, in key order after `cursor` — the end-of-day
    /// batch pages through them so that no transaction grows with the book.
    public func overduePlanKeys(
        before date: LocalDate, after cursor: (consumerID: String, planID: String)?, limit: Int
    ) throws(StoreError) -> [(consumerID: String, planID: String)] {
        var sql = "SELECT consumer_id, id FROM plans WHERE status = 'active' AND oldest_unpaid_due_date < ?"
        var arguments: [SQLValue] = [.text(date.description)]
        if let cursor {
            sql += " AND (consumer_id > ? OR (consumer_id = ? AND id > ?))"
            arguments += [.text(cursor.consumerID), .text(cursor.consumerID), .text(cursor.planID)]
        }
        sql += " ORDER BY consumer_id, id LIMIT ?"
        arguments.append(.integer(Int64(limit)))
        return try connection.query(sql, arguments).map { row throws(StoreError) in (try row.text(0), try row.text(1)) }
    }

    /// Writes a new document for a plan read at `expectedVersion`.
    /// - Throws: `StoreError.conflict` when another writer updated it first.
    public func update(_ plan: PlanRecord, expectedVersion: Int64, at now: Instant) throws(StoreError) {
        let changed = try connection.executeBatch(
            """
            UPDATE plans SET status = ?, oldest_unpaid_due_date = ?, document = ?, version = version + 1, updated_at = ?
            WHERE consumer_id = ? AND id = ? AND version = ?
            """,
            [[
                .text(plan.status), plan.oldestUnpaidDueDate.map { .text($0.description) } ?? .null, .text(plan.document),
                .integer(now.nanosecondsSinceUnixEpoch), .text(plan.consumerID), .text(plan.planID), .integer(expectedVersion),
            ]])
        guard changed == 1 else {
            throw .conflict(
                engine: connection.dialect.name, code: "plan-version",
                message: "plan \(plan.planID) changed since version \(expectedVersion) was read")
        }
    }

    /// The operation recorded under `operationID`, if any.
    public func operation(consumerID: String, operationID: String) throws(StoreError) -> PlanOperationRecord? {
        let rows = try connection.query(
            "SELECT plan_id, kind, request, result FROM plan_operations WHERE consumer_id = ? AND operation_id = ?",
            [.text(consumerID), .text(operationID)])
        return try rows.first.map { row throws(StoreError) in
            PlanOperationRecord(
                consumerID: consumerID, operationID: operationID, planID: try row.text(0), kind: try row.text(1),
                request: try row.text(2), result: try row.text(3))
        }
    }

    /// Records an operation; its id must be new for the shopper.
    public func insert(_ operation: PlanOperationRecord, at now: Instant) throws(StoreError) {
        try connection.execute(
            """
            INSERT INTO plan_operations (consumer_id, operation_id, plan_id, kind, request, result, created_at)
            VALUES (?, ?, ?, ?, ?, ?, ?)
            """,
            [
                .text(operation.consumerID), .text(operation.operationID), .text(operation.planID), .text(operation.kind),
                .text(operation.request), .text(operation.result), .integer(now.nanosecondsSinceUnixEpoch),
            ])
    }

    private static func record(_ row: SQLRow) throws(StoreError) -> PlanRecord {
        let due: LocalDate?
        if let text = try row.optionalText(6) {
            do { due = try LocalDate(iso8601: text) } catch { throw .unreadableRow("plan due date \(text): \(error)") }
        } else {
            due = nil
        }
        return PlanRecord(
            consumerID: try row.text(0), planID: try row.text(1), merchantID: try row.text(2), productID: try row.text(3),
            currency: try row.text(4), status: try row.text(5), oldestUnpaidDueDate: due, document: try row.text(7),
            version: try row.int64(8))
    }
}
