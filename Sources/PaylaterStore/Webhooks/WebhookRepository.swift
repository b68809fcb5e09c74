public import PaylaterTime

/// Reads and writes webhook endpoints, events, deliveries and attempts inside the caller's transaction.
public struct WebhookRepository {
    private let connection: any SQLConnection

    public init(_ connection: any SQLConnection) { self.connection = connection }

    // MARK: Endpoints

    /// Inserts a new endpoint.
    /// - Throws: `StoreError` (a unique violation when the id exists).
    public func insert(_ endpoint: WebhookEndpointRecord) throws(StoreError) {
        try connection.execute(
            "INSERT INTO webhook_endpoints (merchant_id, id, url, secret, created_at, active) VALUES (?, ?, ?, ?, ?, ?)",
            [
                .text(endpoint.merchantID), .text(endpoint.id), .text(endpoint.url), .text(endpoint.secret),
                .integer(endpoint.createdAt.nanosecondsSinceUnixEpoch), .integer(endpoint.active ? 1 : 0),
            ])
    }

    /// Spelled once: the active endpoints are read in every authorization's transaction, on the single writer.
    private static let endpointsSQL = """
        SELECT merchant_id, id, url, secret, created_at, active FROM webhook_endpoints
        WHERE merchant_id = ? ORDER BY created_at, id
        """
    private static let activeEndpointsSQL = """
        SELECT merchant_id, id, url, secret, created_at, active FROM webhook_endpoints
        WHERE merchant_id = ? AND active = 1 ORDER BY created_at, id
        """

    /// A merchant's endpoints, oldest first; only the active ones when `activeOnly`.
    public func endpoints(merchantID: String, activeOnly: Bool = false) throws(StoreError) -> [WebhookEndpointRecord] {
        try connection.query(
            activeOnly ? Self.activeEndpointsSQL : Self.endpointsSQL,
            [.text(merchantID)]
        ).map { row throws(StoreError) in
            WebhookEndpointRecord(
                merchantID: try row.text(0), id: try row.text(1), url: try row.text(2), secret: try row.text(3),
                createdAt: Instant(nanosecondsSinceUnixEpoch: try row.int64(4)), active: try row.int64(5) == 1)
        }
    }

    /// Stops delivering to one of the merchant's endpoints; returns whether the merchant has it (another merchant's
    /// is left alone). Its deliveries stay in the log, pending ones unclaimed, as the dispatcher sends only to
    /// active endpoints.
    public func deactivateEndpoint(merchantID: String, endpointID: String) throws(StoreError) -> Bool {
        let key: [SQLValue] = [.text(merchantID), .text(endpointID)]
        try connection.execute("UPDATE webhook_endpoints SET active = 0 WHERE merchant_id = ? AND id = ?", key)
        return try connection.query("SELECT 1 FROM webhook_endpoints WHERE merchant_id = ? AND id = ?", key).first != nil
    }

    // MARK: Events

    /// The highest sequence number of an order's events, or 0.
    public func lastSequence(merchantID: String, orderID: String) throws(StoreError) -> Int64 {
        try connection.query(
            "SELECT COALESCE(MAX(sequence), 0) FROM webhook_events WHERE merchant_id = ? AND order_id = ?",
            [.text(merchantID), .text(orderID)]
        )[0].int64(0)
    }

    /// Inserts an event.
    /// - Throws: `StoreError.conflict` when a concurrent transaction took its order's sequence number (running the
    ///   transaction again numbers it after that one).
    public func insert(_ event: WebhookEventRecord) throws(StoreError) {
        try Self.raceIsConflict {
            () throws(StoreError) in
            try connection.execute(
            """
            INSERT INTO webhook_events (merchant_id, id, order_id, sequence, type, payload, created_at)
            VALUES (?, ?, ?, ?, ?, ?, ?)
            """,
            [
                .text(event.merchantID), .text(event.id), .text(event.orderID), .integer(event.sequence),
                .text(event.type.rawValue), .text(event.data), .integer(event.createdAt.nanosecondsSinceUnixEpoch),
            ])
        }
    }

    /// PostgreSQL's SQLSTATE for a unique violation. Keys computed inside a transaction (a sequence, a generation)
    /// can be taken by a concurrent one under READ COMMITTED; SQLite serialises writers, so it never sees this.
    static let uniqueViolation = "23505"

    /// Runs `body`, turning a unique violation into a retryable `.conflict`.
    private static func raceIsConflict(_ body: () throws(StoreError) -> Void) throws(StoreError) {
        do {
            try body()
        } catch {
            guard case let .statementFailed(engine, code, message, _) = error, code == uniqueViolation else { throw error }
            throw .conflict(engine: engine, code: code, message: "a concurrent transaction took the key: \(message)")
        }
    }

    private static let eventColumns = "merchant_id, id, order_id, sequence, type, payload, created_at"

    /// One of a merchant's events.
    public func event(merchantID: String, eventID: String) throws(StoreError) -> WebhookEventRecord? {
        try connection.query(
            "SELECT \(Self.eventColumns) FROM webhook_events WHERE merchant_id = ? AND id = ?",
            [.text(merchantID), .text(eventID)]
        ).first.map { row throws(StoreError) in try Self.event(row, at: 0) }
    }

    /// A merchant's events, newest first (then by order, and the order's latest first), optionally of one order
    /// only. With `before`, only those after that event in this order: the next page. Nil when `before` names no
    /// event of the merchant.
    public func events(
        merchantID: String, orderID: String? = nil, limit: Int = 100, before: String? = nil
    ) throws(StoreError) -> [WebhookEventRecord]? {
        var sql = "SELECT \(Self.eventColumns) FROM webhook_events WHERE merchant_id = ?"
        var arguments: [SQLValue] = [.text(merchantID)]
        if let orderID {
            sql += " AND order_id = ?"
            arguments.append(.text(orderID))
        }
        if let before {
            guard let cursor = try event(merchantID: merchantID, eventID: before) else { return nil }
            let createdAt = cursor.createdAt.nanosecondsSinceUnixEpoch
            sql += """
                 AND (created_at < ? OR (created_at = ? AND (order_id > ? OR (order_id = ? AND sequence < ?))))
                """
            arguments += [
                .integer(createdAt), .integer(createdAt), .text(cursor.orderID), .text(cursor.orderID),
                .integer(cursor.sequence),
            ]
        }
        sql += " ORDER BY created_at DESC, order_id, sequence DESC LIMIT ?"
        arguments.append(.integer(Int64(limit)))
        return try connection.query(sql, arguments).map { row throws(StoreError) in try Self.event(row, at: 0) }
    }

    private static func event(_ row: SQLRow, at first: Int) throws(StoreError) -> WebhookEventRecord {
        let typeName = try row.text(first + 4)
        guard let type = WebhookEventType(rawValue: typeName) else {
            throw .unreadableRow("unknown webhook event type \(typeName)")
        }
        return WebhookEventRecord(
            merchantID: try row.text(first), id: try row.text(first + 1), orderID: try row.text(first + 2),
            sequence: try row.int64(first + 3), type: type, data: try row.text(first + 5),
            createdAt: Instant(nanosecondsSinceUnixEpoch: try row.int64(first + 6)))
    }

    // MARK: Deliveries

    /// Inserts a pending delivery due at `dueAt`.
    /// - Throws: `StoreError.conflict` when a concurrent transaction inserted that generation.
    public func insertDelivery(_ key: WebhookDeliveryKey, dueAt: Instant, at now: Instant) throws(StoreError) {
        try Self.raceIsConflict {
            () throws(StoreError) in
            try connection.execute(
            """
            INSERT INTO webhook_deliveries
                (merchant_id, event_id, endpoint_id, generation, state, attempts, next_attempt_at, created_at)
            VALUES (?, ?, ?, ?, 'pending', 0, ?, ?)
            """,
            key.arguments + [.integer(dueAt.nanosecondsSinceUnixEpoch), .integer(now.nanosecondsSinceUnixEpoch)])
        }
    }

    /// An event's latest delivery to an endpoint (the highest generation), locked for the rest of a write
    /// transaction where the engine locks rows; nil when there is none.
    public func latestDelivery(merchantID: String, eventID: String, endpointID: String) throws(StoreError) -> WebhookDeliveryRecord? {
        try connection.query(
            """
            SELECT \(Self.deliveryColumns) FROM webhook_deliveries d
            WHERE d.merchant_id = ? AND d.event_id = ? AND d.endpoint_id = ?
            ORDER BY d.generation DESC LIMIT 1\(connection.dialect.lockRowsClause)
            """,
            [.text(merchantID), .text(eventID), .text(endpointID)]
        ).first.map(Self.delivery)
    }

    private static let deliveryColumns = """
        d.merchant_id, d.event_id, d.endpoint_id, d.generation, d.state, d.attempts, d.next_attempt_at, d.last_status, \
        d.last_error, d.delivered_at, d.created_at
        """

    /// One delivery, locked for the rest of a write transaction where the engine locks rows.
    public func delivery(_ key: WebhookDeliveryKey, forUpdate: Bool = false) throws(StoreError) -> WebhookDeliveryRecord? {
        let lock = forUpdate ? connection.dialect.lockRowsClause : ""
        return try connection.query(
            """
            SELECT \(Self.deliveryColumns) FROM webhook_deliveries d
            WHERE d.merchant_id = ? AND d.event_id = ? AND d.endpoint_id = ? AND d.generation = ?\(lock)
            """,
            key.arguments
        ).first.map(Self.delivery)
    }

    /// A merchant's deliveries, newest first, optionally of one event, each pending one with what it waits for
    /// (`WebhookDeliveryRecord.waitingFor`): the delivery log's view, which would otherwise show a `nextAttemptAt`
    /// that will not happen.
    public func deliveries(merchantID: String, eventID: String? = nil, limit: Int = 100) throws(StoreError) -> [WebhookDeliveryRecord] {
        var sql = """
            SELECT \(Self.deliveryColumns), COALESCE(w.active, 0),
                (SELECT e2.id FROM webhook_events e2
                 JOIN webhook_deliveries d2 ON d2.merchant_id = e2.merchant_id AND d2.event_id = e2.id
                 WHERE e2.merchant_id = e.merchant_id AND e2.order_id = e.order_id AND e2.sequence < e.sequence
                 AND d2.endpoint_id = d.endpoint_id AND d2.state = 'pending' ORDER BY e2.sequence LIMIT 1)
            FROM webhook_deliveries d
            JOIN webhook_events e ON e.merchant_id = d.merchant_id AND e.id = d.event_id
            LEFT JOIN webhook_endpoints w ON w.merchant_id = d.merchant_id AND w.id = d.endpoint_id
            WHERE d.merchant_id = ?
            """
        var arguments: [SQLValue] = [.text(merchantID)]
        if let eventID {
            sql += " AND d.event_id = ?"
            arguments.append(.text(eventID))
        }
        sql += " ORDER BY d.created_at DESC, d.event_id, d.endpoint_id, d.generation DESC LIMIT ?"
        arguments.append(.integer(Int64(limit)))
        return try connection.query(sql, arguments).map { row throws(StoreError) in
            var delivery = try Self.delivery(row)
            if delivery.state == .pending {
                if try row.int64(11) == 0 {
                    delivery.waitingFor = .endpointRemoved
                } else if let earlier = try row.optionalText(12) {
                    delivery.waitingFor = .earlierEvent(id: earlier)
                }
            }
            return delivery
        }
    }

    private static func delivery(_ row: SQLRow) throws(StoreError) -> WebhookDeliveryRecord {
        let stateName = try row.text(4)
        guard let state = WebhookDeliveryState(rawValue: stateName) else {
            throw .unreadableRow("unknown webhook delivery state \(stateName)")
        }
        return WebhookDeliveryRecord(
            key: WebhookDeliveryKey(
                merchantID: try row.text(0), eventID: try row.text(1), endpointID: try row.text(2),
                generation: Int(try row.int64(3))),
            state: state, attempts: Int(try row.int64(5)),
            nextAttemptAt: try row.optionalInt64(6).map(Instant.init(nanosecondsSinceUnixEpoch:)),
            lastStatus: try row.optionalInt64(7).map { Int($0) }, lastError: try row.optionalText(8),
            deliveredAt: try row.optionalInt64(9).map(Instant.init(nanosecondsSinceUnixEpoch:)),
            createdAt: Instant(nanosecondsSinceUnixEpoch: try row.int64(10)))
    }

    /// Claims up to `limit` due deliveries to active endpoints and holds them until `leaseUntil` (a dispatcher
    /// that dies meanwhile leaves them to be claimed again then).
    ///
    /// A delivery is due when its time has come and no earlier event of the same order is still pending for the
    /// same endpoint, so each endpoint sees an order's events in sequence. Where the engine locks rows, rows locked
    /// by a concurrent claim are skipped (`SKIP LOCKED`), so two dispatchers never claim the same delivery.
    /// Deliveries to the endpoints in `excluding` (those a dispatcher is still sending to) are left for later.
    public func claimDue(
        at now: Instant, limit: Int, leaseUntil: Instant, excluding: Set<WebhookEndpointKey> = []
    ) throws(StoreError) -> [ClaimedWebhookDelivery] {
        precondition(limit > 0 && leaseUntil > now, "a claim takes at least one delivery for a lease in the future")
        precondition(excluding.count <= Self.claimExclusionsMaximum, "at most \(Self.claimExclusionsMaximum) endpoints excluded")
        let lock = connection.dialect.lockRowsClause
        let skipLocked = lock.isEmpty ? "" : lock + " OF d SKIP LOCKED"
        let excluded = excluding.sorted { ($0.merchantID, $0.endpointID) < ($1.merchantID, $1.endpointID) }
        let exclusion = String(repeating: " AND NOT (d.merchant_id = ? AND d.endpoint_id = ?)", count: excluded.count)
        let rows = try connection.query(
            """
            SELECT \(Self.deliveryColumns), \(Self.eventColumns.split(separator: ", ").map { "e." + $0 }.joined(separator: ", ")),
                w.url, w.secret
            FROM webhook_deliveries d
            JOIN webhook_events e ON e.merchant_id = d.merchant_id AND e.id = d.event_id
            JOIN webhook_endpoints w ON w.merchant_id = d.merchant_id AND w.id = d.endpoint_id
            WHERE d.state = 'pending' AND d.next_attempt_at <= ? AND w.active = 1\(exclusion)
            AND NOT EXISTS (
                SELECT 1 FROM webhook_events e2
                JOIN webhook_deliveries d2 ON d2.merchant_id = e2.merchant_id AND d2.event_id = e2.id
                WHERE e2.merchant_id = e.merchant_id AND e2.order_id = e.order_id AND e2.sequence < e.sequence
                AND d2.endpoint_id = d.endpoint_id AND d2.state = 'pending'
            )
            ORDER BY d.next_attempt_at, d.merchant_id, d.event_id, d.endpoint_id, d.generation
            LIMIT ?\(skipLocked)
            """,
            [.integer(now.nanosecondsSinceUnixEpoch)] + excluded.flatMap { [.text($0.merchantID), .text($0.endpointID)] }
                + [.integer(Int64(limit))])
        let claimed = try rows.map { row throws(StoreError) in
            var delivery = try Self.delivery(row)
            delivery.nextAttemptAt = leaseUntil
            return ClaimedWebhookDelivery(
                delivery: delivery, event: try Self.event(row, at: 11), url: try row.text(18), secret: try row.text(19))
        }
        try connection.executeBatch(
            """
            UPDATE webhook_deliveries SET next_attempt_at = ?
            WHERE merchant_id = ? AND event_id = ? AND endpoint_id = ? AND generation = ?
            """,
            claimed.map { [.integer(leaseUntil.nanosecondsSinceUnixEpoch)] + $0.delivery.key.arguments })
        return claimed
    }

    /// Gives back claimed deliveries that were not sent (a dispatcher stopping): each is due again at `now` instead
    /// of when its lease lapses, unless something else has changed it since the claim.
    public func releaseClaims(_ claims: [ClaimedWebhookDelivery], at now: Instant) throws(StoreError) {
        guard !claims.isEmpty else { return }
        var rows: [[SQLValue]] = []
        for claim in claims {
            var row: [SQLValue] = [.integer(now.nanosecondsSinceUnixEpoch)]
            row += claim.delivery.key.arguments
            row.append(claim.delivery.nextAttemptAt.map { .integer($0.nanosecondsSinceUnixEpoch) } ?? .null)
            rows.append(row)
        }
        _ = try connection.executeBatch(
            """
            UPDATE webhook_deliveries SET next_attempt_at = ?
            WHERE merchant_id = ? AND event_id = ? AND endpoint_id = ? AND generation = ? AND state = 'pending'
            AND next_attempt_at = ?
            """,
            rows)
    }

    /// The most endpoints one claim may leave out.
    public static let claimExclusionsMaximum = 200

    /// Stores a delivery's new state after an attempt and logs the attempt.
    public func record(_ attempt: WebhookAttemptRecord, updated delivery: WebhookDeliveryRecord) throws(StoreError) {
        precondition(attempt.key == delivery.key && attempt.attempt == delivery.attempts, "the attempt is the delivery's latest")
        let changed = try connection.executeBatch(
            """
            UPDATE webhook_deliveries
            SET state = ?, attempts = ?, next_attempt_at = ?, last_status = ?, last_error = ?, delivered_at = ?
            WHERE merchant_id = ? AND event_id = ? AND endpoint_id = ? AND generation = ?
            """,
            [[
                .text(delivery.state.rawValue), .integer(Int64(delivery.attempts)),
                .integer(delivery.nextAttemptAt?.nanosecondsSinceUnixEpoch), .integer(delivery.lastStatus.map { Int64($0) }),
                .text(delivery.lastError), .integer(delivery.deliveredAt?.nanosecondsSinceUnixEpoch),
            ] + delivery.key.arguments])
        guard changed == 1 else { throw .inconsistent("webhook delivery \(delivery.key) vanished") }
        try connection.execute(
            """
            INSERT INTO webhook_attempts
                (merchant_id, event_id, endpoint_id, generation, attempt, started_at, duration_nanoseconds, status, error)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
            """,
            attempt.key.arguments + [
                .integer(Int64(attempt.attempt)), .integer(attempt.startedAt.nanosecondsSinceUnixEpoch),
                .integer(Self.nanoseconds(attempt.duration)), .integer(attempt.status.map { Int64($0) }), .text(attempt.error),
            ])
    }

    /// The delivery log of one delivery, first attempt first.
    public func attempts(_ key: WebhookDeliveryKey) throws(StoreError) -> [WebhookAttemptRecord] {
        try connection.query(
            """
            SELECT attempt, started_at, duration_nanoseconds, status, error FROM webhook_attempts
            WHERE merchant_id = ? AND event_id = ? AND endpoint_id = ? AND generation = ? ORDER BY attempt
            """,
            key.arguments
        ).map { row throws(StoreError) in
            WebhookAttemptRecord(
                key: key, attempt: Int(try row.int64(0)), startedAt: Instant(nanosecondsSinceUnixEpoch: try row.int64(1)),
                duration: .nanoseconds(try row.int64(2)), status: try row.optionalInt64(3).map { Int($0) },
                error: try row.optionalText(4))
        }
    }

    private static func nanoseconds(_ duration: Duration) -> Int64 {
        let (seconds, attoseconds) = duration.components
        return seconds * 1_000_000_000 + attoseconds / 1_000_000_000
    }
}
