public import PaylaterTime

/// A merchant: its name, the hash of its API key (the key itself is shown once and never stored) and pricing.
public struct MerchantRecord: Sendable, Hashable {
    public var id: String
    public var name: String
    public var apiKeyHash: String
    public var discountRateBasisPoints: Int64
    /// Fixed fee per order by currency code, as decimal strings: `{"CNY":"0.30"}`.
    public var fixedFees: String
    /// Who confirms the merchant's checkouts before they can be authorized: `merchant` or `shopper` (schema
    /// version 20).
    public var checkoutConfirmation: String

    public init(
        id: String, name: String, apiKeyHash: String, discountRateBasisPoints: Int64, fixedFees: String,
        checkoutConfirmation: String = "merchant"
    ) {
        self.id = id
        self.name = name
        self.apiKeyHash = apiKeyHash
        self.discountRateBasisPoints = discountRateBasisPoints
        self.fixedFees = fixedFees
        self.checkoutConfirmation = checkoutConfirmation
    }
}

/// A checkout its shopper is to confirm (`shopper_confirmations`): made with the checkout, and the product the
/// shopper chose and when, once they have.
public struct ShopperConfirmationRecord: Sendable, Hashable {
    public var checkoutID: String
    public var merchantID: String
    public var consumerID: String
    /// Nil until the shopper confirms.
    public var confirmed: (productID: String, at: Instant)? {
        get { productID.flatMap { product in confirmedAt.map { (product, $0) } } }
        set { (productID, confirmedAt) = (newValue?.productID, newValue?.at) }
    }
    private var productID: String?
    private var confirmedAt: Instant?

    public init(checkoutID: String, merchantID: String, consumerID: String, confirmed: (productID: String, at: Instant)? = nil) {
        self.checkoutID = checkoutID
        self.merchantID = merchantID
        self.consumerID = consumerID
        self.confirmed = confirmed
    }
}

/// A checkout session: the document holds lines, totals and quotes as quoted, and `terms` the part of it an
/// authorization reads (nil for rows made before schema version 8). Both are written once. `outcome` is nil while
/// the checkout is open.
public struct CheckoutRecord: Sendable, Hashable {
    public var merchantID: String
    public var id: String
    public var consumerID: String
    public var document: String
    public var terms: String?
    public var outcome: CheckoutOutcomeRecord?

    public init(
        merchantID: String, id: String, consumerID: String, document: String, terms: String? = nil,
        outcome: CheckoutOutcomeRecord? = nil
    ) {
        self.merchantID = merchantID
        self.id = id
        self.consumerID = consumerID
        self.document = document
        self.terms = terms
        self.outcome = outcome
    }
}

/// How a checkout was decided (`checkout_outcomes`): its state, the order an approval made, and the shopper-safe
/// reasons as a JSON array. `orderID` and `reasons` are nil for checkouts decided before schema version 7, whose
/// document holds them.
public struct CheckoutOutcomeRecord: Sendable, Hashable {
    public var state: String
    public var orderID: String?
    public var reasons: String?

    public init(state: String, orderID: String?, reasons: String?) {
        self.state = state
        self.orderID = orderID
        self.reasons = reasons
    }
}

/// A checkout as a writer finds it inside its transaction: there or not, and decided or not.
public enum CheckoutStanding: Sendable, Hashable {
    case notFound
    case open
    case decided(CheckoutOutcomeRecord)
}

/// A stored order; the document is the order aggregate.
public struct OrderRecord: Sendable, Hashable {
    public var consumerID: String
    public var id: String
    public var merchantID: String
    public var state: String
    public var expiresAt: Instant
    public var document: String
    public var version: Int64

    public init(
        consumerID: String, id: String, merchantID: String, state: String, expiresAt: Instant, document: String,
        version: Int64
    ) {
        self.consumerID = consumerID
        self.id = id
        self.merchantID = merchantID
        self.state = state
        self.expiresAt = expiresAt
        self.document = document
        self.version = version
    }
}

/// What an idempotency key already holds for a request that arrives with it.
public enum IdempotencyKeyStatus: Sendable, Hashable {
    /// The same key and body already answered: return this response.
    case completed(status: Int, response: String)
    /// The same key was claimed at `since` by a request not finished yet (or cut short by a crash: its claim lapses
    /// after the caller's `staleAfter`, and a retry then takes the key over).
    case inFlight(since: Instant)
    /// The same key came with a different body.
    case mismatch
}

/// A merchant's pricing from a settlement date on (`effectiveOn`, an ISO date), scheduled ahead.
public struct ScheduledPricingRecord: Sendable, Hashable {
    public var merchantID: String
    public var effectiveOn: String
    public var discountRateBasisPoints: Int64
    /// As `MerchantRecord.fixedFees`.
    public var fixedFees: String
}

/// The outcome of claiming an idempotency key.
public enum IdempotencyClaim: Sendable, Hashable {
    /// First time (or a stale claim taken over): the caller runs the request and records its response.
    case claimed
    /// The key is not free: answer as it says.
    case taken(IdempotencyKeyStatus)
}

/// Merchants, checkouts, orders and idempotency keys, inside the caller's transaction.
public struct CheckoutRepository {
    private let connection: any SQLConnection

    public init(_ connection: any SQLConnection) { self.connection = connection }

    // MARK: Merchants

    public func insert(_ merchant: MerchantRecord, at now: Instant) throws(StoreError) {
        try connection.execute(
            """
            INSERT INTO merchants (id, name, api_key_hash, discount_rate_bp, fixed_fees, checkout_confirmation, created_at)
            VALUES (?, ?, ?, ?, ?, ?, ?)
            """,
            [
                .text(merchant.id), .text(merchant.name), .text(merchant.apiKeyHash),
                .integer(merchant.discountRateBasisPoints), .text(merchant.fixedFees), .text(merchant.checkoutConfirmation),
                .integer(now.nanosecondsSinceUnixEpoch),
            ])
    }

    /// The merchant `id`; `forUpdate` locks its row where the engine locks rows (SQLite's writer is already alone).
    public func merchant(id: String, forUpdate: Bool = false) throws(StoreError) -> MerchantRecord? {
        let lock = forUpdate ? connection.dialect.lockRowsClause : ""
        return try connection.query("SELECT \(Self.merchantColumns) FROM merchants WHERE id = ?\(lock)", [.text(id)])
            .first.map(Self.merchant)
    }

    public func merchant(apiKeyHash: String) throws(StoreError) -> MerchantRecord? {
        try connection.query("SELECT \(Self.merchantColumns) FROM merchants WHERE api_key_hash = ?", [.text(apiKeyHash)])
            .first.map(Self.merchant)
    }

    /// Replaces a merchant's API key (its hash); false when there is no such merchant.
    public func replaceAPIKeyHash(merchantID: String, with apiKeyHash: String) throws(StoreError) -> Bool {
        try connection.executeBatch(
            "UPDATE merchants SET api_key_hash = ? WHERE id = ?", [[.text(apiKeyHash), .text(merchantID)]]) == 1
    }

    /// Replaces a merchant's pricing; false when there is no such merchant.
    public func replacePricing(
        merchantID: String, discountRateBasisPoints: Int64, fixedFees: String
    ) throws(StoreError) -> Bool {
        try connection.executeBatch(
            "UPDATE merchants SET discount_rate_bp = ?, fixed_fees = ? WHERE id = ?",
            [[.integer(discountRateBasisPoints), .text(fixedFees), .text(merchantID)]]) == 1
    }

    /// Sets who confirms the merchant's checkouts made from now on; false when there is no such merchant.
    public func replaceCheckoutConfirmation(merchantID: String, with confirmation: String) throws(StoreError) -> Bool {
        try connection.executeBatch(
            "UPDATE merchants SET checkout_confirmation = ? WHERE id = ?", [[.text(confirmation), .text(merchantID)]]) == 1
    }

    /// Schedules `pricing` as the merchant's from `effectiveOn` (an ISO date), replacing one scheduled for that date.
    public func schedulePricing(
        merchantID: String, effectiveOn: String, discountRateBasisPoints: Int64, fixedFees: String, at now: Instant
    ) throws(StoreError) {
        try connection.execute(
            "DELETE FROM merchant_pricing_changes WHERE merchant_id = ? AND effective_on = ?",
            [.text(merchantID), .text(effectiveOn)])
        try connection.execute(
            """
            INSERT INTO merchant_pricing_changes (merchant_id, effective_on, discount_rate_bp, fixed_fees, created_at)
            VALUES (?, ?, ?, ?, ?)
            """,
            [
                .text(merchantID), .text(effectiveOn), .integer(discountRateBasisPoints), .text(fixedFees),
                .integer(now.nanosecondsSinceUnixEpoch),
            ])
    }

    /// The pricing changes scheduled for the merchant (every merchant when nil) on or before `effectiveOn` (any
    /// date when nil), by merchant, each merchant's in date order.
    public func scheduledPricing(merchantID: String? = nil, through effectiveOn: String? = nil) throws(StoreError)
        -> [ScheduledPricingRecord]
    {
        var conditions: [String] = []
        var parameters: [SQLValue] = []
        if let merchantID { conditions.append("merchant_id = ?"); parameters.append(.text(merchantID)) }
        if let effectiveOn { conditions.append("effective_on <= ?"); parameters.append(.text(effectiveOn)) }
        let filter = conditions.isEmpty ? "" : " WHERE " + conditions.joined(separator: " AND ")
        return try connection.query(
            """
            SELECT merchant_id, effective_on, discount_rate_bp, fixed_fees FROM merchant_pricing_changes\(filter)
            ORDER BY merchant_id, effective_on
            """, parameters
        ).map { row throws(StoreError) in
            ScheduledPricingRecord(
                merchantID: try row.text(0), effectiveOn: try row.text(1), discountRateBasisPoints: try row.int64(2),
                fixedFees: try row.text(3))
        }
    }

    /// Removes the merchant's pricing changes scheduled on or before `effectiveOn` (they took effect).
    public func removeScheduledPricing(merchantID: String, through effectiveOn: String) throws(StoreError) {
        try connection.execute(
            "DELETE FROM merchant_pricing_changes WHERE merchant_id = ? AND effective_on <= ?",
            [.text(merchantID), .text(effectiveOn)])
    }

    public func merchants() throws(StoreError) -> [MerchantRecord] {
        try connection.query("SELECT \(Self.merchantColumns) FROM merchants ORDER BY id", []).map(Self.merchant)
    }

    private static let merchantColumns = "id, name, api_key_hash, discount_rate_bp, fixed_fees, checkout_confirmation"

    private static func merchant(_ row: SQLRow) throws(StoreError) -> MerchantRecord {
        MerchantRecord(
            id: try row.text(0), name: try row.text(1), apiKeyHash: try row.text(2),
            discountRateBasisPoints: try row.int64(3), fixedFees: try row.text(4), checkoutConfirmation: try row.text(5))
    }

    // MARK: Checkouts

    public func insert(_ checkout: CheckoutRecord, at now: Instant) throws(StoreError) {
        try connection.execute(
            """
            INSERT INTO checkouts (merchant_id, id, consumer_id, document, terms, created_at) VALUES (?, ?, ?, ?, ?, ?)
            """,
            [
                .text(checkout.merchantID), .text(checkout.id), .text(checkout.consumerID), .text(checkout.document),
                .text(checkout.terms), .integer(now.nanosecondsSinceUnixEpoch),
            ])
        if let outcome = checkout.outcome {
            try recordOutcome(merchantID: checkout.merchantID, id: checkout.id, outcome)
        }
    }

    /// Makes the row a checkout's shopper confirms, with the checkout, in its transaction.
    public func awaitShopperConfirmation(merchantID: String, checkoutID: String, consumerID: String) throws(StoreError) {
        try connection.execute(
            "INSERT INTO shopper_confirmations (checkout_id, merchant_id, consumer_id) VALUES (?, ?, ?)",
            [.text(checkoutID), .text(merchantID), .text(consumerID)])
    }

    /// The confirmation of checkout `checkoutID` by its shopper, whichever merchant's it is (checkout ids are
    /// unique); nil for a checkout its shopper does not confirm, or none at all. `forUpdate` locks the row (on a
    /// store with row locks), so a confirmation being made meanwhile is waited for and read as made.
    public func shopperConfirmation(checkoutID: String, forUpdate: Bool = false) throws(StoreError) -> ShopperConfirmationRecord? {
        let lock = forUpdate ? connection.dialect.lockRowsClause : ""
        return try connection.query(
            "SELECT checkout_id, merchant_id, consumer_id, product_id, confirmed_at FROM shopper_confirmations WHERE checkout_id = ?"
                + lock,
            [.text(checkoutID)]
        ).first.map { row throws(StoreError) in
            var record = ShopperConfirmationRecord(
                checkoutID: try row.text(0), merchantID: try row.text(1), consumerID: try row.text(2))
            if let product = try row.optionalText(3), let at = try row.optionalInt64(4) {
                record.confirmed = (product, Instant(nanosecondsSinceUnixEpoch: at))
            }
            return record
        }
    }

    /// Records the shopper's confirmation of `productID`; false when the checkout was confirmed already (or has no
    /// confirmation to make).
    public func recordShopperConfirmation(checkoutID: String, productID: String, at now: Instant) throws(StoreError) -> Bool {
        try connection.executeBatch(
            """
            UPDATE shopper_confirmations SET product_id = ?, confirmed_at = ?
            WHERE checkout_id = ? AND product_id IS NULL
            """,
            [[.text(productID), .integer(now.nanosecondsSinceUnixEpoch), .text(checkoutID)]]) == 1
    }

    /// What an authorization reads of a checkout: its terms, or for a row made before schema version 8 its
    /// document (which has the same keys, and more), and when it was made; nil when there is no such checkout.
    public func checkoutTerms(merchantID: String, id: String) throws(StoreError) -> (terms: String, createdAt: Instant)? {
        try connection.query(
            "SELECT COALESCE(terms, document), created_at FROM checkouts WHERE merchant_id = ? AND id = ?",
            [.text(merchantID), .text(id)]
        ).first.map { row throws(StoreError) in
            (try row.text(0), Instant(nanosecondsSinceUnixEpoch: try row.int64(1)))
        }
    }

    public func checkout(merchantID: String, id: String) throws(StoreError) -> CheckoutRecord? {
        try connection.query(
            """
            SELECT c.merchant_id, c.id, c.consumer_id, c.document, c.terms, o.state, o.order_id, o.reasons
            FROM checkouts c \(Self.outcomeJoin)
            WHERE c.merchant_id = ? AND c.id = ?
            """,
            [.text(merchantID), .text(id)]
        ).first.map { row throws(StoreError) in
            CheckoutRecord(
                merchantID: try row.text(0), id: try row.text(1), consumerID: try row.text(2), document: try row.text(3),
                terms: try row.optionalText(4), outcome: try Self.outcome(row, at: 5))
        }
    }

    /// Whether a checkout exists and how it was decided, without its document: what a writer that read the terms
    /// before its transaction reads again inside it. `forUpdate` locks the checkout's row where the engine locks
    /// rows, so two authorizations of one checkout take turns.
    ///
    /// Where rows are locked, the lock and the outcome are two statements, the lock first: under PostgreSQL's READ
    /// COMMITTED each statement reads its own snapshot, so an outcome committed by the transaction that held the lock
    /// is seen. (One statement joining them would re-read only the locked row after the wait, and the outcome as it
    /// was before it.) Where a write transaction excludes every other writer, one statement does both.
    public func checkoutStanding(merchantID: String, id: String, forUpdate: Bool = false) throws(StoreError)
        -> CheckoutStanding
    {
        let lock = forUpdate ? connection.dialect.lockRowsClause : ""
        guard !lock.isEmpty else {
            let rows = try connection.query(Self.standingSQL, [.text(merchantID), .text(id)])
            guard let row = rows.first else { return .notFound }
            return try Self.outcome(row, at: 0).map(CheckoutStanding.decided) ?? .open
        }
        let results = try connection.queryBatch([
            ("SELECT 1 FROM checkouts WHERE merchant_id = ? AND id = ?" + lock, [.text(merchantID), .text(id)]),
            (Self.outcomeSQL, [.text(id), .text(merchantID)]),
        ])
        guard results.count == 2 else { throw .inconsistent("\(results.count) results for 2 queries") }
        guard !results[0].isEmpty else { return .notFound }
        return try results[1].first.flatMap { row throws(StoreError) in try Self.outcome(row, at: 0) }
            .map(CheckoutStanding.decided) ?? .open
    }

    /// Records how a checkout was decided (its document, the quotes, is left as it is).
    /// - Throws: `StoreError` for a checkout already decided (the key is taken) or one that does not exist.
    public func recordOutcome(merchantID: String, id: String, _ outcome: CheckoutOutcomeRecord) throws(StoreError) {
        try connection.execute(
            "INSERT INTO checkout_outcomes (checkout_id, merchant_id, state, order_id, reasons) VALUES (?, ?, ?, ?, ?)",
            [.text(id), .text(merchantID), .text(outcome.state), .text(outcome.orderID), .text(outcome.reasons)])
    }

    /// Records the outcome of a referred checkout's review; false when the checkout is not referred (any more).
    public func resolveReferral(merchantID: String, id: String, _ outcome: CheckoutOutcomeRecord) throws(StoreError) -> Bool {
        try connection.executeBatch(
            """
            UPDATE checkout_outcomes SET state = ?, order_id = ?, reasons = ?
            WHERE checkout_id = ? AND merchant_id = ? AND state = 'referred'
            """,
            [[.text(outcome.state), .text(outcome.orderID), .text(outcome.reasons), .text(id), .text(merchantID)]]) == 1
    }

    private static let outcomeJoin =
        "LEFT JOIN checkout_outcomes o ON o.checkout_id = c.id AND o.merchant_id = c.merchant_id"
    private static let standingSQL =
        "SELECT o.state, o.order_id, o.reasons FROM checkouts c \(outcomeJoin) WHERE c.merchant_id = ? AND c.id = ?"
    private static let outcomeSQL =
        "SELECT state, order_id, reasons FROM checkout_outcomes WHERE checkout_id = ? AND merchant_id = ?"

    /// The outcome in the three columns from `first` (state, order id, reasons), nil when the join found none.
    private static func outcome(_ row: SQLRow, at first: Int) throws(StoreError) -> CheckoutOutcomeRecord? {
        guard let state = try row.optionalText(first) else { return nil }
        return CheckoutOutcomeRecord(
            state: state, orderID: try row.optionalText(first + 1), reasons: try row.optionalText(first + 2))
    }

    // MARK: Orders

    public func insert(_ order: OrderRecord, at now: Instant) throws(StoreError) {
        try connection.execute(
            """
            INSERT INTO orders (consumer_id, id, merchant_id, state, expires_at, document, version, created_at, updated_at)
            VALUES (?, ?, ?, ?, ?, ?, 1, ?, ?)
            """,
            [
                .text(order.consumerID), .text(order.id), .text(order.merchantID), .text(order.state),
                .integer(order.expiresAt.nanosecondsSinceUnixEpoch), .text(order.document),
                .integer(now.nanosecondsSinceUnixEpoch), .integer(now.nanosecondsSinceUnixEpoch),
            ])
    }

    /// A merchant's order, locked for the rest of a write transaction where the engine locks rows.
    public func order(merchantID: String, id: String, forUpdate: Bool = false) throws(StoreError) -> OrderRecord? {
        let lock = forUpdate ? connection.dialect.lockRowsClause : ""
        return try connection.query(
            "SELECT \(Self.orderColumns) FROM orders WHERE merchant_id = ? AND id = ?\(lock)", [.text(merchantID), .text(id)]
        ).first.map(Self.order)
    }

    /// A merchant's orders among `ids` (those it has; in no particular order): one statement per 512 ids, where a
    /// lookup each would be a round trip each on PostgreSQL (a settlement's statement names up to 10,000 orders).
    public func orders(merchantID: String, ids: [String]) throws(StoreError) -> [OrderRecord] {
        guard !ids.isEmpty else { return [] }
        return try connection.query(
            "SELECT \(Self.orderColumns) FROM orders WHERE merchant_id = ? AND id IN ({keys})",
            fixed: [.text(merchantID)], in: ids.map { .text($0) }
        ).map(Self.order)
    }

    /// A shopper's order, locked likewise.
    public func order(consumerID: String, id: String, forUpdate: Bool = false) throws(StoreError) -> OrderRecord? {
        let lock = forUpdate ? connection.dialect.lockRowsClause : ""
        return try connection.query(
            "SELECT \(Self.orderColumns) FROM orders WHERE consumer_id = ? AND id = ?\(lock)", [.text(consumerID), .text(id)]
        ).first.map(Self.order)
    }

    /// Writes a new document for an order read at `expectedVersion`.
    /// - Throws: `StoreError.conflict` when another writer updated it first.
    public func update(_ order: OrderRecord, expectedVersion: Int64, at now: Instant) throws(StoreError) {
        let changed = try connection.executeBatch(
            """
            UPDATE orders SET state = ?, expires_at = ?, document = ?, version = version + 1, updated_at = ?
            WHERE consumer_id = ? AND id = ? AND version = ?
            """,
            [[
                .text(order.state), .integer(order.expiresAt.nanosecondsSinceUnixEpoch), .text(order.document),
                .integer(now.nanosecondsSinceUnixEpoch), .text(order.consumerID), .text(order.id), .integer(expectedVersion),
            ]])
        guard changed == 1 else {
            throw .conflict(
                engine: connection.dialect.name, code: "order-version",
                message: "order \(order.id) changed since version \(expectedVersion) was read")
        }
    }

    /// Orders whose authorization ran out by `now` and is not yet recorded as expired (still `authorized` or
    /// `partially_captured`), the earliest first: (merchant id, order id).
    public func ordersPastExpiry(at now: Instant, limit: Int) throws(StoreError) -> [(merchantID: String, id: String)] {
        precondition(limit > 0, "at least one order")
        return try connection.query(
            """
            SELECT merchant_id, id FROM orders
            WHERE state IN ('authorized', 'partially_captured') AND expires_at <= ?
            ORDER BY expires_at, consumer_id, id LIMIT ?
            """,
            [.integer(now.nanosecondsSinceUnixEpoch), .integer(Int64(limit))]
        ).map { row throws(StoreError) in (merchantID: try row.text(0), id: try row.text(1)) }
    }

    private static let orderColumns = "consumer_id, id, merchant_id, state, expires_at, document, version"

    private static func order(_ row: SQLRow) throws(StoreError) -> OrderRecord {
        OrderRecord(
            consumerID: try row.text(0), id: try row.text(1), merchantID: try row.text(2), state: try row.text(3),
            expiresAt: Instant(nanosecondsSinceUnixEpoch: try row.int64(4)), document: try row.text(5),
            version: try row.int64(6))
    }

    // MARK: Idempotency keys

    /// Claims `key` for a request whose body hashes to `requestHash`, or reports what the key already holds. A
    /// claim older than `staleAfter` whose request never finished (a crash) is taken over: the operations behind
    /// the API are idempotent themselves, so running the request again is safe.
    ///
    /// Nearly every key is new, so the claim is inserted first and the key read only when it was taken. Two
    /// transactions claiming the same new key at once (two nodes) do not fail: the insert does nothing when the
    /// other got there first (PostgreSQL waits for it to finish), and the key is then read; if it is gone again by
    /// then (its request failed and released it), the insert is tried once more.
    ///
    /// `completing`: the response to store with the claim, which is then written completed at once (one row
    /// written instead of a claim and then its completion), for a caller whose request's change is in the same
    /// transaction and comes first.
    public func claim(
        owner: String, key: String, requestHash: String, at now: Instant, staleAfter: Duration,
        completing response: (status: Int, body: String)? = nil
    ) throws(StoreError) -> IdempotencyClaim {
        let state: SQLValue = .text(response == nil ? "in_flight" : "done")
        let status: SQLValue = response.map { .integer(Int64($0.status)) } ?? .null
        let body: SQLValue = response.map { .text($0.body) } ?? .null
        for _ in 0..<2 {
            let inserted = try connection.executeBatch(
                """
                INSERT INTO idempotency_keys (owner, key, request_hash, state, status, response, created_at)
                VALUES (?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (owner, key) DO NOTHING
                """,
                [[.text(owner), .text(key), .text(requestHash), state, status, body, .integer(now.nanosecondsSinceUnixEpoch)]])
            if inserted == 1 { return .claimed }
            guard let row = try idempotencyRow(owner: owner, key: key, locking: true) else { continue }
            if let known = try Self.known(row, requestHash: requestHash, at: now, staleAfter: staleAfter) {
                return .taken(known)
            }
            try connection.execute(
                "UPDATE idempotency_keys SET state = ?, status = ?, response = ?, created_at = ? WHERE owner = ? AND key = ?",
                [state, status, body, .integer(now.nanosecondsSinceUnixEpoch), .text(owner), .text(key)])
            return .claimed
        }
        throw .inconsistent("idempotency key '\(key)' neither inserted nor found")
    }

    /// What `key` already holds for a request whose body hashes to `requestHash`, read without claiming it: nil
    /// when the key is free or its claim is stale (a `claim` would take it).
    public func lookup(
        owner: String, key: String, requestHash: String, at now: Instant, staleAfter: Duration
    ) throws(StoreError) -> IdempotencyKeyStatus? {
        guard let row = try idempotencyRow(owner: owner, key: key, locking: false) else { return nil }
        return try Self.known(row, requestHash: requestHash, at: now, staleAfter: staleAfter)
    }

    private func idempotencyRow(owner: String, key: String, locking: Bool) throws(StoreError) -> SQLRow? {
        try connection.query(
            "SELECT request_hash, state, status, response, created_at FROM idempotency_keys WHERE owner = ? AND key = ?"
                + (locking ? connection.dialect.lockRowsClause : ""),
            [.text(owner), .text(key)]
        ).first
    }

    /// The answer a stored key gives (completed, in flight or mismatch), or nil when its claim is stale.
    private static func known(
        _ row: SQLRow, requestHash: String, at now: Instant, staleAfter: Duration
    ) throws(StoreError) -> IdempotencyKeyStatus? {
        guard try row.text(0) == requestHash else { return .mismatch }
        if try row.text(1) == "done", let status = try row.optionalInt64(2), let response = try row.optionalText(3) {
            return .completed(status: Int(status), response: response)
        }
        let started = Instant(nanosecondsSinceUnixEpoch: try row.int64(4))
        return started.duration(to: now) > staleAfter ? nil : .inFlight(since: started)
    }

    /// Records the response of a claimed key.
    public func complete(owner: String, key: String, status: Int, response: String) throws(StoreError) {
        // Held back where the engine can: the last write of a request's transaction then goes with its COMMIT, and an
        // authorization holds the platform's exposure locked (from its hold's submit) for one round trip less.
        try connection.executeDeferred(
            "UPDATE idempotency_keys SET state = 'done', status = ?, response = ? WHERE owner = ? AND key = ?",
            [.integer(Int64(status)), .text(response), .text(owner), .text(key)])
    }

    /// Forgets a claim whose request failed on the server's side, so a retry runs it again.
    public func release(owner: String, key: String) throws(StoreError) {
        try connection.execute("DELETE FROM idempotency_keys WHERE owner = ? AND key = ?", [.text(owner), .text(key)])
    }

    /// Deletes keys created before `cutoff` (they are kept at least 24 hours); returns how many.
    public func purgeKeys(before cutoff: Instant) throws(StoreError) -> Int {
        try connection.executeBatch(
            "DELETE FROM idempotency_keys WHERE created_at < ?", [[.integer(cutoff.nanosecondsSinceUnixEpoch)]])
    }
}
