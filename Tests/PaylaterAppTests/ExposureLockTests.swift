import Foundation
@testable import PaylaterApp
import PaylaterLedger
import PaylaterMoney
import PaylaterProducts
import PaylaterStore
import PaylaterTestSupport
import PaylaterTime
import PaylaterUnderwriting
import Synchronization
import Testing

/// What a write transaction sent, in order: each statement's text and arguments, and whether it was held back to go
/// with the next statement or the COMMIT.
private struct SentStatement: Sendable {
    let sql: String
    let arguments: [SQLValue]
    let deferred: Bool
}

/// A connection that passes everything through and records what it sends (`SentStatement`).
private final class StatementRecordingConnection: ForwardingConnection {
    let database: StatementRecordingDatabase

    init(_ base: any SQLConnection, _ database: StatementRecordingDatabase) {
        self.database = database
        super.init(base)
    }

    private func record(_ sql: String, _ arguments: [SQLValue] = [], deferred: Bool = false) {
        database.log.withLock { $0.append(SentStatement(sql: sql, arguments: arguments, deferred: deferred)) }
    }

    override func execute(_ sql: String, _ arguments: [SQLValue]) throws(StoreError) {
        record(sql, arguments)
        try base.execute(sql, arguments)
    }
    override func executeBatch(_ sql: String, _ rows: [[SQLValue]]) throws(StoreError) -> Int {
        record(sql, rows.flatMap { $0 })
        return try base.executeBatch(sql, rows)
    }
    override func insertRows(into table: String, columns: [SQLColumn], rows: [[SQLValue]], suffix: String) throws(StoreError) -> Int {
        record("INSERT INTO \(table)", rows.flatMap { $0 })
        return try base.insertRows(into: table, columns: columns, rows: rows, suffix: suffix)
    }
    override func updateRows(_ table: String, key: SQLColumn, columns: [SQLColumn], rows: [[SQLValue]]) throws(StoreError) -> Int {
        record("UPDATE \(table)", rows.flatMap { $0 })
        return try base.updateRows(table, key: key, columns: columns, rows: rows)
    }
    override func insertRowsDeferred(into table: String, columns: [SQLColumn], rows: [[SQLValue]], suffix: String) throws(StoreError) {
        record("INSERT INTO \(table)", rows.flatMap { $0 }, deferred: true)
        try base.insertRowsDeferred(into: table, columns: columns, rows: rows, suffix: suffix)
    }
    override func updateRowsDeferred(_ table: String, key: SQLColumn, columns: [SQLColumn], rows: [[SQLValue]]) throws(StoreError) {
        record("UPDATE \(table)", rows.flatMap { $0 }, deferred: true)
        try base.updateRowsDeferred(table, key: key, columns: columns, rows: rows)
    }
    override func executeDeferred(_ sql: String, _ arguments: [SQLValue]) throws(StoreError) {
        record(sql, arguments, deferred: true)
        try base.executeDeferred(sql, arguments)
    }
    override func insertReturningKey(_ sql: String, _ arguments: [SQLValue], key: String) throws(StoreError) -> Int64? {
        record(sql, arguments)
        return try base.insertReturningKey(sql, arguments, key: key)
    }
    override func query(_ sql: String, _ arguments: [SQLValue]) throws(StoreError) -> [SQLRow] {
        record(sql, arguments)
        return try base.query(sql, arguments)
    }
    override func queryBatch(_ queries: [(sql: String, arguments: [SQLValue])]) throws(StoreError) -> [[SQLRow]] {
        for query in queries { record(query.sql, query.arguments) }
        return try base.queryBatch(queries)
    }
    override func forEachRow(_ sql: String, _ arguments: [SQLValue], _ body: (SQLRow) throws -> Void) throws {
        record(sql, arguments)
        try base.forEachRow(sql, arguments, body)
    }
    override func executeScript(_ sql: String) throws(StoreError) {
        record(sql)
        try base.executeScript(sql)
    }
}

/// A database whose write transactions record what they send.
private final class StatementRecordingDatabase: Database {
    let base: any Database
    let log = Mutex<[SentStatement]>([])

    init(_ base: any Database) { self.base = base }

    var dialect: any SQLDialect { base.dialect }

    /// The statements of the last write transaction (of its last attempt).
    var statements: [SentStatement] { log.withLock { $0 } }

    func write<T: Sendable>(_ body: (any SQLConnection) throws -> T) throws -> T {
        try base.write { connection in
            log.withLock { $0.removeAll() }
            return try body(StatementRecordingConnection(connection, self))
        }
    }

    func read<T: Sendable>(_ body: (any SQLConnection) throws -> T) throws -> T { try base.read(body) }
}

/// A merchant (250 bp) made in the fixture's store, and a checkout service on `database` (a recording or racing
/// wrapper of that store), with `servicing`, or a servicing service on the plain store.
private func merchantCheckingOut(
    _ underwriting: UnderwritingFixture, on database: any Database, servicing: ServicingService? = nil
) throws -> (MerchantProfile, CheckoutService) {
    let store = underwriting.store
    let merchant = try MerchantService(database: store.database, clock: store.clock)
        .create(name: "Acme, Inc.", pricing: MerchantPricingTerms(discountRate: BasisPoints(250))).merchant
    let checkout = CheckoutService(
        database: database, clock: store.clock, catalog: .standard, underwriting: underwriting.service,
        servicing: servicing ?? ServicingService(database: store.database, clock: store.clock))
    return (merchant, checkout)
}

@Suite("The platform's exposure in an authorization")
struct ExposureLockTests {
    @Test("an authorization posts its hold last, and locks the platform's exposure only there: on PostgreSQL every authorization waited on the exposure's rows for the rest of another's transaction, from its decision's read to its COMMIT (0.6-1.0 s each at 32 clients)",
          arguments: StoreKind.available)
    func exposureLockedOnlyByTheHold(kind: StoreKind) throws {
        let underwriting = try UnderwritingFixture(kind)
        let store = underwriting.store
        let recording = StatementRecordingDatabase(store.database)
        let (merchant, checkout) = try merchantCheckingOut(underwriting, on: recording)
        // A first order (the shopper's line opened and their limit granted in the same transaction), then a second.
        for (n, amount) in ["400.00", "150.00"].enumerated() {
            let session = try checkout.createCheckout(
                merchant: merchant.id,
                NewCheckout(
                    merchantReference: "order-\(n)", consumerID: "c1",
                    lines: [CheckoutLine(name: "Jacket", quantity: 1, unitPrice: try cny(amount), taxRate: BasisPoints(1300))],
                    total: try cny(amount)))
            let outcome = try checkout.authorize(
                merchant: merchant.id, checkoutID: session.id,
                AuthorizationRequest(
                    productID: "pay-in-4", deviceID: "device-\(n)", shippingAddress: "1 Long Street", paymentInstrument: "card-1",
                    ageYears: 30, isIdentityVerified: true, features: FeatureRow(["account_age_days": .number(400)])))
            guard case .approved = outcome else {
                Issue.record("order \(n) was not approved: \(outcome)")
                return
            }
            let sent = recording.statements
            // The hold's submit starts with the sweep of expired holds (with its account locks and id look-up in
            // the same round trip); after that batch only the ledger's held-back writes, which go with the COMMIT.
            let sweep = try #require(sent.lastIndex { $0.sql.contains("SELECT transfer_id FROM ledger_pending") })
            let afterHold = sent[(sweep + 1)...].filter { !$0.deferred && !$0.sql.contains("FROM ledger_transfers t") }
            #expect(afterHold.isEmpty, "sent after the hold's submit, order \(n): \(afterHold.map(\.sql))")
            // Where rows are locked, nothing before the hold's batch locks the exposure.
            let lock = store.database.dialect.lockRowsClause
            let exposure = CreditBookAccounts.exposure(.CNY).ids.map { SQLValue.text($0.rawValue) }
            let batchStart = sent[..<sweep].lastIndex { !$0.sql.contains("FROM ledger_accounts WHERE") }.map { $0 + 1 } ?? 0
            let earlyLocks = sent[..<batchStart].filter { statement in
                !lock.isEmpty && statement.sql.contains(lock) && statement.arguments.contains { exposure.contains($0) }
            }
            #expect(earlyLocks.isEmpty, "order \(n) locked the exposure before its hold: \(earlyLocks.map(\.sql))")
        }
        #expect(try underwriting.credit.creditLine(underwriting.consumer, .CNY).held == (try cny("550.00")))
        #expect(try underwriting.credit.platformExposure(.CNY).held == (try cny("550.00")))
    }
}

/// A database whose write transactions run `beforeHold` once, when one is about to send its ledger submit's sweep of
/// expired holds: as if another authorization committed between this one's decision and its hold. Counts attempts.
private final class RacingDatabase: Database {
    let base: any Database
    let beforeHold: @Sendable () throws -> Void
    let fired = Mutex(false)
    let attempts = Atomic(0)

    init(_ base: any Database, beforeHold: @escaping @Sendable () throws -> Void) {
        self.base = base
        self.beforeHold = beforeHold
    }

    var dialect: any SQLDialect { base.dialect }

    func write<T: Sendable>(_ body: (any SQLConnection) throws -> T) throws -> T {
        try base.write { connection in
            attempts.add(1, ordering: .relaxed)
            return try body(RacingConnection(connection, self))
        }
    }

    func read<T: Sendable>(_ body: (any SQLConnection) throws -> T) throws -> T { try base.read(body) }

    func race() throws {
        guard fired.withLock({ fired in defer { fired = true }; return !fired }) else { return }
        try beforeHold()
    }
}

private final class RacingConnection: ForwardingConnection {
    let database: RacingDatabase

    init(_ base: any SQLConnection, _ database: RacingDatabase) {
        self.database = database
        super.init(base)
    }

    override func queryBatch(_ queries: [(sql: String, arguments: [SQLValue])]) throws(StoreError) -> [[SQLRow]] {
        if queries.contains(where: { $0.sql.contains("SELECT transfer_id FROM ledger_pending") }) {
            do { try database.race() } catch {
                throw StoreError.inconsistent("the racing write failed: \(error)")
            }
        }
        return try base.queryBatch(queries)
    }
}

@Suite("An approval whose exposure moved before its hold")
struct ExposureRaceTests {
    @Test("is decided again on the exposure its hold found: another shopper's hold committed between the decision (which read the exposure unlocked) and the hold takes utilisation into the tightening band, or past the capacity, and the authorization is declined as if it had come second",
          arguments: [("90000.00", ReasonCode.platformCapacityTightened), ("99000.00", .platformCapacityReached)])
    func raced(otherHold: String, reason: ReasonCode) throws {
        // Two writers side by side, which only PostgreSQL has: SQLite's writers take turns.
        guard StoreKind.available.contains(.postgres) else { return }
        let underwriting = try UnderwritingFixture(.postgres, capacity: "100000.00")
        let store = underwriting.store
        let credit = underwriting.credit
        let other = try ConsumerID("c2")
        try credit.open(other, .CNY)
        _ = try credit.setLimit(other, to: try cny(otherHold), changeID: try TransferID("limit-c2"))
        let exposure = CreditBookAccounts.exposure(.CNY).available.rawValue
        let racing = RacingDatabase(store.database) {
            // Fails at once, rather than waiting for ever, if the authorization holds the exposure locked.
            try store.database.write { connection in
                _ = try connection.query("SELECT id FROM ledger_accounts WHERE id = ? FOR UPDATE NOWAIT", [.text(exposure)])
            }
            _ = try credit.placeHold(other, holdID: try TransferID("h-c2"), amount: try cny(otherHold), timeout: .seconds(3600))
        }
        let (merchant, checkout) = try merchantCheckingOut(underwriting, on: racing)
        // Within the shopper's first limit (5,000.00) and above the band's largest order (2,000.00), so above pay-in-4's.
        let amount = try cny("2500.00")
        let session = try checkout.createCheckout(
            merchant: merchant.id,
            NewCheckout(
                merchantReference: "order-1", consumerID: underwriting.consumer.rawValue,
                lines: [CheckoutLine(name: "Jacket", quantity: 1, unitPrice: amount, taxRate: BasisPoints(1300))],
                total: amount))
        let attemptsBefore = racing.attempts.load(ordering: .relaxed)
        let outcome = try checkout.authorize(
            merchant: merchant.id, checkoutID: session.id,
            AuthorizationRequest(
                productID: "monthly-split-6", deviceID: "device-1", shippingAddress: "1 Long Street", paymentInstrument: "card-1",
                ageYears: 30, isIdentityVerified: true, declaredMonthlyIncome: try cny("20000.00"),
                features: FeatureRow(["account_age_days": .number(400)])))
        #expect(racing.fired.withLock { $0 }, "the first attempt was approved and reached its hold")
        #expect(racing.attempts.load(ordering: .relaxed) - attemptsBefore == 2)
        guard case let .declined(decisionID, _) = outcome else {
            Issue.record("expected a decline on the exposure after the other hold, got \(outcome)")
            return
        }
        let decision = try underwriting.service.decision(consumer: underwriting.consumer, id: decisionID)
        #expect(decision.reasons.map(\.code).contains(reason), "\(decision.reasons)")
        #expect(try credit.platformExposure(.CNY).held == (try cny(otherHold)))
        #expect(try credit.creditLine(underwriting.consumer, .CNY).held == (try cny("0.00")))
    }
}

/// What of `sent` came after its first ledger submit (the sweep of expired holds, with the accounts' locks in the
/// same round trip) other than the ledger's own statements and held-back writes; and, where rows are locked, the
/// statements before that submit's batch that locked the platform's exposure.
private func sentAfterTheLedger(_ sent: [SentStatement], _ dialect: any SQLDialect) throws -> (late: [String], early: [String]) {
    let sweep = try #require(sent.firstIndex { $0.sql.contains("SELECT transfer_id FROM ledger_pending") })
    let late = sent[(sweep + 1)...].filter { !$0.deferred && !$0.sql.contains("ledger_") }.map(\.sql)
    let lock = dialect.lockRowsClause
    let exposure = CreditBookAccounts.exposure(.CNY).ids.map { SQLValue.text($0.rawValue) }
    let batchStart = sent[..<sweep].lastIndex { !$0.sql.contains("FROM ledger_accounts WHERE") }.map { $0 + 1 } ?? 0
    let early = sent[..<batchStart].filter { statement in
        !lock.isEmpty && statement.sql.contains(lock) && statement.arguments.contains { exposure.contains($0) }
    }.map(\.sql)
    return (late, early)
}

@Suite("The platform's exposure in a capture, a refund and a payment")
struct ExposureLockAfterAuthorizationTests {
    @Test("a capture (with the hold of what remains), a refund and a shopper's payment post their ledger batches after every other write: the batch locks the platform's exposure (PostgreSQL), and every authorization, capture and payment waited on it through the plan row, the webhook events and the order's update",
          arguments: StoreKind.available)
    func ledgerLast(kind: StoreKind) throws {
        let underwriting = try UnderwritingFixture(kind)
        let store = underwriting.store
        let recording = StatementRecordingDatabase(store.database)
        let servicing = ServicingService(database: recording, clock: store.clock)
        let (merchant, checkout) = try merchantCheckingOut(underwriting, on: recording, servicing: servicing)
        let amount = try cny("400.00")
        let session = try checkout.createCheckout(
            merchant: merchant.id,
            NewCheckout(
                merchantReference: "order-1", consumerID: "c1",
                lines: [CheckoutLine(name: "Jacket", quantity: 1, unitPrice: amount, taxRate: BasisPoints(1300))],
                total: amount))
        let outcome = try checkout.authorize(
            merchant: merchant.id, checkoutID: session.id,
            AuthorizationRequest(
                productID: "pay-in-4", deviceID: "device-1", shippingAddress: "1 Long Street", paymentInstrument: "card-1",
                ageYears: 30, isIdentityVerified: true, features: FeatureRow(["account_age_days": .number(400)])))
        guard case let .approved(order, _) = outcome else {
            Issue.record("the order was not approved: \(outcome)")
            return
        }
        let dialect = store.database.dialect
        let captured = try checkout.capture(merchant: merchant.id, orderID: order.id, amount: try cny("300.00"), captureID: "c1")
        var sent = try sentAfterTheLedger(recording.statements, dialect)
        #expect(sent.late.isEmpty, "sent after the capture's ledger batch: \(sent.late)")
        #expect(sent.early.isEmpty, "the capture locked the exposure before its ledger batch: \(sent.early)")
        _ = try checkout.refund(merchant: merchant.id, orderID: order.id, amount: try cny("100.00"), refundID: "r1")
        sent = try sentAfterTheLedger(recording.statements, dialect)
        #expect(sent.late.isEmpty, "sent after the refund's ledger batch: \(sent.late)")
        #expect(sent.early.isEmpty, "the refund locked the exposure before its ledger batch: \(sent.early)")
        let plan = try PlanID(try #require(captured.captures.first).planID)
        _ = try servicing.pay(consumer: underwriting.consumer, plan: plan, amount: try cny("50.00"), operationID: "pay-1")
        sent = try sentAfterTheLedger(recording.statements, dialect)
        #expect(sent.late.isEmpty, "sent after the payment's ledger batch: \(sent.late)")
        #expect(sent.early.isEmpty, "the payment locked the exposure before its ledger batch: \(sent.early)")
        #expect(try underwriting.credit.platformExposure(.CNY).held == (try cny("100.00")), "what the capture left held")
    }
}
