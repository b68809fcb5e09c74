public import PaylaterTime

/// A stored credit decision: its searchable columns and the decision document (with its input snapshot).
public struct DecisionRecord: Sendable, Hashable {
    public var consumerID: String
    public var decisionID: String
    /// `approved`, `declined` or `referred`.
    public var outcome: String
    public var currency: String
    /// Minor units approved, for approvals.
    public var approvedAmount: Int64?
    /// `id@version` of the policy.
    public var policy: String
    /// `name@version` of the model, when one scored.
    public var model: String?
    public var arm: String
    public var document: String
    public var createdAt: Instant
    /// A decline that starts the cooling-off period (`CreditDecision.startsCoolingOff`).
    public var startsCoolingOff: Bool

    /// `startsCoolingOff` nil: as every decline the model took part in did before the engine decided it.
    public init(
        consumerID: String, decisionID: String, outcome: String, currency: String, approvedAmount: Int64?,
        policy: String, model: String?, arm: String, document: String, createdAt: Instant, startsCoolingOff: Bool? = nil
    ) {
        self.startsCoolingOff = startsCoolingOff ?? (outcome == "declined" && model != nil)
        self.consumerID = consumerID
        self.decisionID = decisionID
        self.outcome = outcome
        self.currency = currency
        self.approvedAmount = approvedAmount
        self.policy = policy
        self.model = model
        self.arm = arm
        self.document = document
        self.createdAt = createdAt
    }
}

/// What a credit decision weighs of the shopper's earlier decisions.
public struct DecisionHistory: Sendable, Hashable {
    /// When the shopper was last declined after the model was consulted (on its score, a frozen limit,
    /// affordability, exposure or products), if ever: the decline a cooling-off period runs from. A decline before
    /// the model (a knock-out, velocity, or cooling-off itself) starts none: knock-outs are conditions that persist
    /// anyway, velocity is about the device or address, and a cooling-off decline must not extend its own period
    /// (a shopper who kept trying was locked out for good).
    public var lastDeclineAt: Instant?
    /// Whether the shopper was ever approved.
    public var hasApproval: Bool

    public init(lastDeclineAt: Instant?, hasApproval: Bool) {
        self.lastDeclineAt = lastDeclineAt
        self.hasApproval = hasApproval
    }
}

/// A shopper's risk profile: what operators and the shopper set, apart from the ledger's limit.
public struct ShopperProfile: Sendable, Hashable {
    public var blocked: Bool
    public var limitFrozen: Bool
    /// The shopper's own spending cap per calendar month, in minor units of `spendingCapCurrency`.
    public var spendingCap: Int64?
    public var spendingCapCurrency: String?

    public init(blocked: Bool = false, limitFrozen: Bool = false, spendingCap: Int64? = nil, spendingCapCurrency: String? = nil) {
        self.blocked = blocked
        self.limitFrozen = limitFrozen
        self.spendingCap = spendingCap
        self.spendingCapCurrency = spendingCapCurrency
    }
}

/// One change of a shopper's standing: put on or taken off the blocked list, by whom and why.
public struct StandingChangeRecord: Sendable, Hashable {
    public var consumerID: String
    public var blocked: Bool
    public var reason: String
    public var changedBy: String
    public var at: Instant

    public init(consumerID: String, blocked: Bool, reason: String, changedBy: String, at: Instant) {
        self.consumerID = consumerID
        self.blocked = blocked
        self.reason = reason
        self.changedBy = changedBy
        self.at = at
    }
}

/// One application as velocity rules count it.
public struct ApplicationEventRecord: Sendable, Hashable {
    public var at: Instant
    public var shopperHash: String
    public var deviceHash: String
    public var addressHash: String
    public var instrumentHash: String

    public init(at: Instant, shopperHash: String, deviceHash: String, addressHash: String, instrumentHash: String) {
        self.at = at
        self.shopperHash = shopperHash
        self.deviceHash = deviceHash
        self.addressHash = addressHash
        self.instrumentHash = instrumentHash
    }
}

/// An application event with its place in the table (`seq`: the order events were inserted in). Made only by the
/// repository, which reads them.
public struct NumberedApplicationEvent: Sendable, Hashable {
    public var seq: Int64
    public var event: ApplicationEventRecord
}

/// Reads and writes decisions, profiles, limit changes, application events and platform settings inside the
/// caller's transaction.
public struct UnderwritingRepository {
    private let connection: any SQLConnection

    public init(_ connection: any SQLConnection) { self.connection = connection }

    // MARK: Decisions

    public func insert(_ decision: DecisionRecord) throws(StoreError) {
        try connection.execute(
            """
            INSERT INTO credit_decisions
                (consumer_id, id, outcome, currency, approved_amount, policy, model, arm, decision, created_at, cools_off)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """,
            [
                .text(decision.consumerID), .text(decision.decisionID), .text(decision.outcome), .text(decision.currency),
                decision.approvedAmount.map { .integer($0) } ?? .null, .text(decision.policy),
                decision.model.map { .text($0) } ?? .null, .text(decision.arm), .text(decision.document),
                .integer(decision.createdAt.nanosecondsSinceUnixEpoch), .integer(decision.startsCoolingOff ? 1 : 0),
            ])
    }

    public func decision(consumerID: String, decisionID: String) throws(StoreError) -> DecisionRecord? {
        try connection.query(
            Self.decisionSQL,
            [.text(consumerID), .text(decisionID)]
        ).first.map(Self.decision)
    }

    /// A shopper's decisions, newest first.
    public func decisions(consumerID: String, limit: Int) throws(StoreError) -> [DecisionRecord] {
        try connection.query(
            Self.decisionsSQL,
            [.text(consumerID), .integer(Int64(limit))]
        ).map(Self.decision)
    }

    /// What a decision weighs of the shopper's earlier ones: when they were last declined, and whether they were
    /// ever approved (a first order gets stricter fraud rules). One statement with a look-up each, read in every
    /// decision under the single writer, where each statement has a cost of its own besides its look-ups.
    public func decisionHistory(consumerID: String) throws(StoreError) -> DecisionHistory {
        let row = try connection.query(Self.decisionHistorySQL, [.text(consumerID), .text(consumerID)]).first
        return DecisionHistory(
            lastDeclineAt: try row?.optionalInt64(0).map(Instant.init(nanosecondsSinceUnixEpoch:)),
            hasApproval: try row?.optionalInt64(1) != nil)
    }

    private static let decisionHistorySQL = """
        SELECT (SELECT MAX(created_at) FROM credit_decisions WHERE consumer_id = ? AND cools_off = 1),
        (SELECT 1 FROM credit_decisions WHERE consumer_id = ? AND outcome = 'approved' LIMIT 1)
        """

    /// Minor units approved for the shopper in `currency` at or after `since`.
    public func approvedTotal(consumerID: String, currency: String, since: Instant) throws(StoreError) -> Int64 {
        try connection.query(
            """
            SELECT COALESCE(SUM(approved_amount), 0) FROM credit_decisions
            WHERE consumer_id = ? AND outcome = 'approved' AND currency = ? AND created_at >= ?
            """,
            [.text(consumerID), .text(currency), .integer(since.nanosecondsSinceUnixEpoch)]
        ).first.map { row throws(StoreError) in try row.int64(0) } ?? 0
    }

    private static let decisionColumns =
        "consumer_id, id, outcome, currency, approved_amount, policy, model, arm, decision, created_at, cools_off"

    private static func decision(_ row: SQLRow) throws(StoreError) -> DecisionRecord {
        DecisionRecord(
            consumerID: try row.text(0), decisionID: try row.text(1), outcome: try row.text(2), currency: try row.text(3),
            approvedAmount: try row.optionalInt64(4), policy: try row.text(5), model: try row.optionalText(6),
            arm: try row.text(7), document: try row.text(8),
            createdAt: Instant(nanosecondsSinceUnixEpoch: try row.int64(9)), startsCoolingOff: try row.int64(10) != 0)
    }

    // MARK: Profiles

    public func profile(consumerID: String) throws(StoreError) -> ShopperProfile {
        let rows = try connection.query(
            "SELECT blocked, limit_frozen, spending_cap, spending_cap_currency FROM shopper_profiles WHERE consumer_id = ?",
            [.text(consumerID)])
        guard let row = rows.first else { return ShopperProfile() }
        return ShopperProfile(
            blocked: try row.int64(0) != 0, limitFrozen: try row.int64(1) != 0, spendingCap: try row.optionalInt64(2),
            spendingCapCurrency: try row.optionalText(3))
    }

    /// Puts the shopper on or off the blocked list, changing nothing else of their profile; returns whether it
    /// changed anything (false when they already stood so). The update's condition is read again by PostgreSQL
    /// for a row it waited for, so of two changes at once the second finds the first made.
    public func changeBlocked(_ blocked: Bool, consumerID: String, at now: Instant) throws(StoreError) -> Bool {
        // No row stands for "not blocked": unblocking needs none made.
        if blocked { try insertProfileIfAbsent(consumerID, at: now) }
        let flag = SQLValue.integer(blocked ? 1 : 0)
        return try connection.executeBatch(
            "UPDATE shopper_profiles SET blocked = ?, updated_at = ? WHERE consumer_id = ? AND blocked <> ?",
            [[flag, .integer(now.nanosecondsSinceUnixEpoch), .text(consumerID), flag]]) == 1
    }

    /// Freezes or unfreezes the shopper's limit, changing nothing else of their profile.
    public func setLimitFrozen(_ frozen: Bool, consumerID: String, at now: Instant) throws(StoreError) {
        try insertProfileIfAbsent(consumerID, at: now)
        try connection.execute(
            "UPDATE shopper_profiles SET limit_frozen = ?, updated_at = ? WHERE consumer_id = ?",
            [.integer(frozen ? 1 : 0), .integer(now.nanosecondsSinceUnixEpoch), .text(consumerID)])
    }

    /// Sets (or with nil removes) the shopper's spending cap, in minor units of `currency`, changing nothing else.
    public func setSpendingCap(_ minorUnits: Int64?, currency: String?, consumerID: String, at now: Instant) throws(StoreError) {
        try insertProfileIfAbsent(consumerID, at: now)
        try connection.execute(
            "UPDATE shopper_profiles SET spending_cap = ?, spending_cap_currency = ?, updated_at = ? WHERE consumer_id = ?",
            [
                minorUnits.map { .integer($0) } ?? .null, currency.map { .text($0) } ?? .null,
                .integer(now.nanosecondsSinceUnixEpoch), .text(consumerID),
            ])
    }

    /// Makes the shopper's profile row with the defaults if there is none. Each writer then updates only its own
    /// columns, so writers of different parts of a profile at once (an operator blocking a shopper while a review
    /// freezes their limit and they set their spending cap) never undo each other, as writing back a whole profile
    /// read earlier did on PostgreSQL.
    private func insertProfileIfAbsent(_ consumerID: String, at now: Instant) throws(StoreError) {
        try connection.execute(
            """
            INSERT INTO shopper_profiles (consumer_id, blocked, limit_frozen, spending_cap, spending_cap_currency, updated_at)
            VALUES (?, 0, 0, NULL, NULL, ?) ON CONFLICT (consumer_id) DO NOTHING
            """,
            [.text(consumerID), .integer(now.nanosecondsSinceUnixEpoch)])
    }

    // MARK: Standing (the blocked list)

    /// Logs a change of the shopper's standing with who made it and why (`shopper_standing_changes`).
    public func logStandingChange(_ change: StandingChangeRecord) throws(StoreError) {
        try connection.execute(
            """
            INSERT INTO shopper_standing_changes (consumer_id, blocked, reason, changed_by, created_at)
            VALUES (?, ?, ?, ?, ?)
            """,
            [
                .text(change.consumerID), .integer(change.blocked ? 1 : 0), .text(change.reason), .text(change.changedBy),
                .integer(change.at.nanosecondsSinceUnixEpoch),
            ])
    }

    /// The shopper's standing changes, oldest first.
    public func standingChanges(consumerID: String) throws(StoreError) -> [StandingChangeRecord] {
        try connection.query(
            """
            SELECT blocked, reason, changed_by, created_at FROM shopper_standing_changes WHERE consumer_id = ?
            ORDER BY seq
            """, [.text(consumerID)]
        ).map { row throws(StoreError) in
            StandingChangeRecord(
                consumerID: consumerID, blocked: try row.int64(0) != 0, reason: try row.text(1), changedBy: try row.text(2),
                at: Instant(nanosecondsSinceUnixEpoch: try row.int64(3)))
        }
    }

    // MARK: Limit changes

    public func logLimitChange(
        consumerID: String, decisionID: String?, currency: String, from: Int64?, to: Int64?, reason: String,
        change: String, at now: Instant
    ) throws(StoreError) {
        try connection.execute(
            """
            INSERT INTO limit_changes (consumer_id, decision_id, currency, from_amount, to_amount, reason, change, created_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            """,
            [
                .text(consumerID), decisionID.map { .text($0) } ?? .null, .text(currency), from.map { .integer($0) } ?? .null,
                to.map { .integer($0) } ?? .null, .text(reason), .text(change), .integer(now.nanosecondsSinceUnixEpoch),
            ])
    }

    /// A shopper's limit changes, oldest first, as (reason, change document).
    public func limitChanges(consumerID: String) throws(StoreError) -> [(reason: String, change: String)] {
        try connection.query(
            "SELECT reason, change FROM limit_changes WHERE consumer_id = ? ORDER BY seq", [.text(consumerID)]
        ).map { row throws(StoreError) in (try row.text(0), try row.text(1)) }
    }

    // MARK: Velocity

    public func record(_ event: ApplicationEventRecord) throws(StoreError) {
        try connection.execute(
            """
            INSERT INTO application_events (at, shopper_hash, device_hash, address_hash, instrument_hash)
            VALUES (?, ?, ?, ?, ?)
            """,
            [
                .integer(event.at.nanosecondsSinceUnixEpoch), .text(event.shopperHash), .text(event.deviceHash),
                .text(event.addressHash), .text(event.instrumentHash),
            ])
    }

    /// Deletes, among the `limit` oldest application events (by insertion), those that happened before `cutoff`;
    /// returns how many. Looking only at the oldest rows keeps each pass short and needs no index on the time: a
    /// pass that finds the oldest event younger than `cutoff` reads `limit` rows and stops.
    ///
    /// The newest event is never deleted, however old: SQLite numbers a new row one past the largest `seq` left,
    /// and `RecentApplications` relies on new events always numbering above every event it has seen.
    public func purgeApplicationEvents(before cutoff: Instant, limit: Int) throws(StoreError) -> Int {
        try connection.executeBatch(
            """
            DELETE FROM application_events
            WHERE seq IN (SELECT seq FROM application_events ORDER BY seq LIMIT ?) AND at < ?
            AND seq < (SELECT MAX(seq) FROM application_events)
            """,
            [[.integer(Int64(limit)), .integer(cutoff.nanosecondsSinceUnixEpoch)]])
    }

    /// Up to `limit` application events numbered after `seq`, in insertion order.
    public func applicationEvents(after seq: Int64, limit: Int) throws(StoreError) -> [NumberedApplicationEvent] {
        try numberedEvents(
            "SELECT \(Self.eventColumns) FROM application_events WHERE seq > ? ORDER BY seq LIMIT ?",
            [.integer(seq), .integer(Int64(limit))])
    }

    /// Up to `limit` application events numbered before `seq` (nil: the newest), newest first.
    public func applicationEvents(before seq: Int64?, limit: Int) throws(StoreError) -> [NumberedApplicationEvent] {
        try numberedEvents(
            "SELECT \(Self.eventColumns) FROM application_events WHERE seq < ? ORDER BY seq DESC LIMIT ?",
            [.integer(seq ?? .max), .integer(Int64(limit))])
    }

    private static let eventColumns = "seq, at, shopper_hash, device_hash, address_hash, instrument_hash"

    /// Statements spelled once rather than interpolated on every call: these run in every decision.
    private static let recentEventsSQL = """
        SELECT \(eventColumns) FROM application_events
        WHERE seq > ? AND at > ? AND (device_hash = ? OR address_hash = ? OR instrument_hash = ?)
        ORDER BY seq
        """
    private static let decisionSQL = "SELECT \(decisionColumns) FROM credit_decisions WHERE consumer_id = ? AND id = ?"
    private static let decisionsSQL =
        "SELECT \(decisionColumns) FROM credit_decisions WHERE consumer_id = ? ORDER BY created_at DESC, id LIMIT ?"

    private func numberedEvents(_ sql: String, _ arguments: [SQLValue]) throws(StoreError) -> [NumberedApplicationEvent] {
        try connection.query(sql, arguments).map { row throws(StoreError) in
            NumberedApplicationEvent(seq: try row.int64(0), event: try Self.applicationEvent(row))
        }
    }

    private static func applicationEvent(_ row: SQLRow) throws(StoreError) -> ApplicationEventRecord {
        ApplicationEventRecord(
            at: Instant(nanosecondsSinceUnixEpoch: try row.int64(1)), shopperHash: try row.text(2),
            deviceHash: try row.text(3), addressHash: try row.text(4), instrumentHash: try row.text(5))
    }

    /// Applications after `since` that share the device, the address or the instrument, in `seq` order, among
    /// those numbered after `seq` (0: all). On PostgreSQL the three hash indexes answer it (a bitmap OR of index
    /// scans, `at` in their conditions); on SQLite, which has none, `RecentApplications` asks only for the rows
    /// after those it has read, a short range at the table's end found by the primary key.
    public func recentEvents(
        deviceHash: String, addressHash: String, instrumentHash: String, since: Instant, after seq: Int64 = 0
    ) throws(StoreError) -> [ApplicationEventRecord] {
        try connection.query(
            Self.recentEventsSQL,
            [
                .integer(seq), .integer(since.nanosecondsSinceUnixEpoch), .text(deviceHash), .text(addressHash),
                .text(instrumentHash),
            ]
        ).map { row throws(StoreError) in try Self.applicationEvent(row) }
    }

    // MARK: Settings

    public func setting(_ name: String) throws(StoreError) -> String? {
        try connection.query("SELECT value FROM platform_settings WHERE name = ?", [.text(name)]).first.map {
            row throws(StoreError) in try row.text(0)
        }
    }

    /// Stores `value` unless the setting exists; returns the stored value (the first writer's, under a race).
    public func settingInsertingIfAbsent(_ name: String, value: String, at now: Instant) throws(StoreError) -> String {
        try connection.execute(
            "INSERT INTO platform_settings (name, value, updated_at) VALUES (?, ?, ?) ON CONFLICT (name) DO NOTHING",
            [.text(name), .text(value), .integer(now.nanosecondsSinceUnixEpoch)])
        guard let stored = try setting(name) else { throw .inconsistent("setting \(name) vanished after insert") }
        return stored
    }
}
