import Foundation
import Synchronization
import PaylaterCrypto
public import PaylaterLedger
public import PaylaterMoney
public import PaylaterStore
public import PaylaterTime
public import PaylaterUnderwriting

/// Credit decisions at checkout: gathers what the platform knows about the shopper, asks the decision engine,
/// and stores the decision with its input snapshot, the application event and any limit change, in one
/// transaction.
///
/// Identifiers (device, address, payment instrument, shopper) are hashed with a keyed hash before they reach
/// the engine, so snapshots hold no personal identifiers; the key lives in the database's platform settings.
public struct UnderwritingService: Sendable {
    public let database: any Database
    public let clock: any Clock
    public let policy: CreditPolicy
    public let models: CreditModels
    /// The calendar of spending-cap months; nil means UTC.
    public let zone: TimeZoneRules?
    private let hasher: IdentifierHasher
    /// The platform's ledger accounts seen open, shared by the service's copies.
    private let openPlatformAccounts = OpenPlatformAccounts()
    /// The velocity rules' lookback of application events, indexed in memory where the store's writers take turns
    /// (SQLite: its table has no hash indexes); nil on PostgreSQL, whose indexes answer. Shared by the copies.
    private let recentApplications: RecentApplications?

    public init(
        database: any Database, clock: any Clock, policy: CreditPolicy, models: CreditModels, zone: TimeZoneRules? = nil
    ) throws {
        self.database = database
        self.clock = clock
        self.policy = policy
        self.models = models
        self.zone = zone
        hasher = try Self.identifierHasher(database, at: clock.now())
        try Self.remember(policy, in: database, at: clock.now())
        recentApplications =
            database.dialect.writersTakeTurns ? RecentApplications(lookback: ContextGatherer.velocityLookback) : nil
    }

    /// Remembers the content of each policy id and version the store decides under, and refuses one whose content
    /// differs from what the store remembers: every decision records only the id and version, so rules changed
    /// without raising the version would be applied, and replayed, under a name that no longer says what they were
    /// (a replay with the edited file came out "the same" wherever the edit did not touch that decision). Compared
    /// in a canonical form (`CreditPolicy.canonicalContent`), so laying the file out anew changes nothing.
    /// - Throws: `UnderwritingError.policyVersionReused`.
    static func remember(_ policy: CreditPolicy, in database: any Database, at now: Instant) throws {
        let name = "policy_content:\(policy.id)@\(policy.version)"
        let digest = SHA256.hash(policy.canonicalContent).hex
        let stored = try database.read { connection in try UnderwritingRepository(connection).setting(name) }
            ?? database.write { connection in
                try UnderwritingRepository(connection).settingInsertingIfAbsent(name, value: digest, at: now)
            }
        guard stored == digest else { throw UnderwritingError.policyVersionReused(id: policy.id, version: policy.version) }
    }

    /// The platform's identifier-hashing key, made on first use from the system's secure random source.
    static func identifierHasher(_ database: any Database, at now: Instant) throws -> IdentifierHasher {
        IdentifierHasher(
            key: try PlatformSecret.key(
                named: "identifier_hash_key", byteCount: IdentifierHasher.keyByteCountMinimum, in: database, at: now))
    }

    // MARK: Retention

    /// How long an application's velocity event (its hashed device, address and instrument) is kept: a week,
    /// seven times what velocity rules look back (`ContextGatherer.velocityLookback`, a day), which leaves room to
    /// look into a pattern. Each decision keeps its own snapshot of the application, so nothing else reads older
    /// events, and without a bound their three indexes would grow by every application ever made.
    public static let applicationEventRetention = ContextGatherer.velocityLookback * 7

    /// Deletes up to `limit` velocity events older than `applicationEventRetention`, oldest first; returns how
    /// many. Run often with a small limit (the API server's worker does), so each write transaction stays short.
    @discardableResult
    public func purgeExpiredApplicationEvents(limit: Int = 1_000) throws -> Int {
        let cutoff = clock.now().advanced(by: .zero - Self.applicationEventRetention)
        return try database.write { connection in
            try UnderwritingRepository(connection).purgeApplicationEvents(before: cutoff, limit: limit)
        }
    }

    // MARK: Deciding

    /// Decides one application. Deciding again with the same decision id returns the stored decision.
    public func decide(_ request: DecisionRequest) throws -> CreditDecision {
        let now = clock.now()
        let prepared = try database.read { connection in try prepare(request, at: now, reading: connection) }
        return try database.write { connection in try decide(prepared, in: connection) }
    }

    /// Checks a request and hashes its identifiers: the part of a decision that writes nothing, which a caller
    /// does on a read `connection` before taking the single writer (see `CheckoutService.authorize`). It also
    /// finds the ledger accounts the decision needs that already exist (accounts are never deleted), so the write
    /// transaction only opens the others, and brings the in-memory velocity index up to date, so the write
    /// transaction reads only the few application events committed since.
    func prepare(_ request: DecisionRequest, at now: Instant, reading connection: any SQLConnection) throws
        -> PreparedApplication
    {
        guard (1...64).contains(request.decisionID.utf8.count), (try? TransferID(request.decisionID)) != nil else {
            throw UnderwritingError.invalidDecisionID(request.decisionID)
        }
        let applicant = request.applicant
        let hashes = hasher.hashes([
            "consumer:" + request.consumer.rawValue, "device:" + applicant.deviceID,
            "address:" + applicant.shippingAddress, "instrument:" + applicant.paymentInstrument,
        ])
        let application = CreditApplication(
            decisionId: request.decisionID, shopperHash: hashes[0],
            orderAmount: request.orderAmount, requestedProducts: request.requestedProducts,
            offeredProducts: request.offeredProducts, merchantId: request.merchantID, at: now,
            deviceHash: hashes[1], addressHash: hashes[2], instrumentHash: hashes[3],
            distanceFromUsualAddressKilometres: applicant.distanceFromUsualAddressKilometres, ageYears: applicant.ageYears,
            isIdentityVerified: applicant.isIdentityVerified, declaredMonthlyIncome: applicant.declaredMonthlyIncome,
            features: applicant.features)
        return try prepare(application, of: request.consumer, reading: connection)
    }

    /// Prepares an application whose identifiers are hashed already (a referral's, decided again on review).
    func prepare(_ application: CreditApplication, of consumer: ConsumerID, reading connection: any SQLConnection) throws
        -> PreparedApplication
    {
        let currency = application.orderAmount.currency
        let platform = openPlatformAccounts.areOpen(in: currency) ? [] : ChartOfAccounts.platformAccounts(currency)
        var accounts = platform + ChartOfAccounts.consumerAccounts(consumer, currency)
        let existing = try LedgerRepository(connection).accounts(Set(accounts.map(\.id)))
        if !platform.isEmpty, platform.allSatisfy({ existing[$0.id] != nil }) { openPlatformAccounts.markOpen(in: currency) }
        accounts.removeAll { existing[$0.id] != nil }
        try recentApplications?.catchUp(reading: connection, at: application.at)
        return PreparedApplication(
            consumer: consumer, application: application,
            encodedApplication: try CanonicalJSONWriter.bytes(of: application), accountsToOpen: accounts)
    }

    /// Decides a prepared application inside the caller's write transaction, at the instant it was prepared for.
    func decide(_ prepared: PreparedApplication, in connection: any SQLConnection) throws -> CreditDecision {
        try decide(prepared, in: connection, deferringLimitTransfer: false).decision
    }

    /// A decision taken inside a write transaction, and the ledger transfer of the limit it grants when the caller
    /// asked to submit that itself.
    struct Decided {
        let decision: CreditDecision
        /// To be submitted by the caller, first in its batch, before anything reads the shopper's line.
        let limitTransfer: TransferRequest?
        /// The shopper's line and the platform's exposure as the decision read them, when the decision wrote
        /// nothing to the ledger after reading them: the caller's next submit may take them instead of reading
        /// them again (`LedgerRepository.submit(_:at:reusing:)`), if it writes nothing to the ledger before it.
        var ledgerAccounts: LedgerAccountsRead? = nil
    }

    /// Decides a prepared application inside the caller's write transaction. With `deferringLimitTransfer`, the
    /// transfer that sets a new limit is returned rather than submitted, so that checkout posts it in one ledger
    /// batch with the hold (one submit instead of two under the single writer).
    func decide(
        _ prepared: PreparedApplication, in connection: any SQLConnection, deferringLimitTransfer: Bool
    ) throws -> Decided {
        let application = prepared.application
        let now = application.at
        let currency = application.orderAmount.currency
        let consumer = prepared.consumer
        let repository = UnderwritingRepository(connection)
        if let stored = try repository.decision(consumerID: consumer.rawValue, decisionID: application.decisionId) {
            let decision = try Self.decode(stored.document)
            guard decision.snapshot.application.orderAmount == application.orderAmount,
                decision.snapshot.application.merchantId == application.merchantId
            else { throw UnderwritingError.decisionIDReused(application.decisionId) }
            return Decided(decision: decision, limitTransfer: nil)
        }
        var lineOpenedNow = false
        var opened: LedgerAccountsRead?
        if !prepared.accountsToOpen.isEmpty {
            let (results, created) = try LedgerRepository(connection).openAccounts(prepared.accountsToOpen, at: now)
            let createdIDs = zip(prepared.accountsToOpen, results).filter { $1 == .created }.map(\.0.id)
            lineOpenedNow = CreditBookAccounts.line(consumer, currency).ids.isSubset(of: createdIDs)
            opened = created
        }
        let gathered = try ContextGatherer(
            connection: connection, consumer: consumer, currency: currency, now: now, zone: zone,
            recentApplications: recentApplications, openedAccounts: opened
        ).context(for: application)
        let decision = try Self.engine { () throws(DecisionError) in
            try DecisionEngine.decide(
                application: application, context: gathered.context, policy: policy, models: models)
        }
        if let change = gathered.freezeChange {
            try LimitChangeWriter(connection: connection, consumer: consumer, now: now).apply(change, decisionID: nil)
        }
        var limitTransfer: TransferRequest?
        if let change = decision.limitChange {
            // A line this transaction opened has no limit yet, so the transfer is made without reading it; the
            // profile is as the context read it unless a freeze was applied just now.
            limitTransfer = try LimitChangeWriter(connection: connection, consumer: consumer, now: now).apply(
                change, decisionID: decision.id,
                posting: deferringLimitTransfer ? .deferred(currentLimit: lineOpenedNow ? 0 : nil) : .submit,
                profile: gathered.freezeChange == nil ? gathered.profile : nil)
        }
        // A review decides a referred order again: the order's velocity event was recorded when it was referred.
        if application.review == nil {
            try repository.record(
                ApplicationEventRecord(
                    at: now, shopperHash: application.shopperHash, deviceHash: application.deviceHash,
                    addressHash: application.addressHash, instrumentHash: application.instrumentHash))
        }
        try repository.insert(
            try Self.record(decision, encodedApplication: prepared.encodedApplication, consumer: consumer, currency: currency, at: now))
        // The ledger is as the context read it unless a freeze or a limit was applied here (either may move the line).
        let ledgerUnchanged = gathered.freezeChange == nil && (decision.limitChange == nil || deferringLimitTransfer)
        return Decided(
            decision: decision, limitTransfer: limitTransfer,
            ledgerAccounts: ledgerUnchanged ? gathered.ledgerAccounts : nil)
    }

    /// Checks an approval against the platform's exposure as its hold's submit found it (`posted`, the batch that
    /// holds `amount`): the decision read the exposure without locking it, since every authorization moves it
    /// (`ContextGatherer`), and concurrent holds may have committed since. When the decision would not be the same
    /// on the exposure the hold was posted on, throws a conflict, which runs the transaction again: it then decides
    /// on the exposure as it stands. So the policy's exposure rules (stop, tightening bands, capacity) judge every
    /// approval on the exposure it was held against, as when the decision's read locked it. More exposure can only
    /// turn an approval down, so a decision that saw less (expired holds the submit released) is not run again.
    func confirmExposure(of decision: CreditDecision, holding amount: Money, after posted: LedgerBatchOutcome) throws {
        let currency = amount.currency
        let accounts = CreditBookAccounts.exposure(currency)
        let updated = Dictionary(posted.changes.updatedAccounts.map { ($0.id, $0) }) { _, last in last }
        guard let available = updated[accounts.available], let used = updated[accounts.used] else {
            throw StoreError.inconsistent("a hold's batch did not move the platform's exposure in \(currency)")
        }
        let heldOn = FundingCapacity(available: available, used: used)
        // The exposure before this hold, as the decision measures it.
        let before = PlatformExposure(
            outstandingAndHolds: Money(minorUnits: heldOn.committed.minorUnits - amount.minorUnits, currency: currency),
            fundingCapacity: heldOn.capacity)
        let seen = decision.snapshot.context.exposure
        guard before.fundingCapacity != seen.fundingCapacity
            || before.outstandingAndHolds.minorUnits > seen.outstandingAndHolds.minorUnits
        else { return }
        var snapshot = decision.snapshot
        snapshot.context.exposure = before
        let again = try Self.engine { () throws(DecisionError) in
            try DecisionEngine.replay(snapshot, policy: policy, models: models)
        }
        guard again.outcome != decision.outcome || again.reasons != decision.reasons else { return }
        throw Self.exposureMoved(
            "the decision read exposure \(seen.outstandingAndHolds) of \(seen.fundingCapacity); its hold found "
                + "\(before.outstandingAndHolds) of \(before.fundingCapacity), on which it is \(again.outcome)")
    }

    /// The conflict that runs an authorization's transaction again when the platform's exposure moved between its
    /// decision's read and its hold: a serialization failure (SQLSTATE 40001) of Paylater's own.
    static func exposureMoved(_ detail: String) -> StoreError {
        .conflict(engine: "Paylater", code: "40001", message: "the platform's exposure moved under an approval: \(detail)")
    }

    // MARK: Reading and replaying

    public func decision(consumer: ConsumerID, id: String) throws -> CreditDecision {
        try DecisionLog(database: database).decision(consumer: consumer, id: id)
    }

    /// Replays a stored decision from its snapshot with this service's policy and models; they must be the ones
    /// the decision was taken with, or the replay is refused rather than answering differently.
    public func replay(consumer: ConsumerID, id: String) throws -> DecisionReplay {
        let recorded = try decision(consumer: consumer, id: id)
        let replayed = try Self.engine { () throws(DecisionError) in
            try DecisionEngine.replay(recorded.snapshot, policy: policy, models: models)
        }
        return DecisionReplay(recorded: recorded, replayed: replayed)
    }

    // MARK: Profiles

    /// Sets (or, with nil, removes) the shopper's own monthly spending cap; the policy always honours it.
    ///
    /// The cap must be positive and in the currency of the shopper's credit line, or, before they have one, in a
    /// currency the platform lends in (see `creditLineCurrencies` and `lendingCurrencies`). While it is set, an order in
    /// another currency is declined (`over_spending_cap`): there is no rate to measure it against the cap with, and a
    /// cap the shopper set must never be stepped around.
    public func setSpendingCap(_ cap: Money?, consumer: ConsumerID) throws {
        if let cap, !cap.isPositive { throw UnderwritingError.invalidSpendingCap(cap) }
        if let cap {
            // Currencies are only ever added, so checking before the write cannot let a wrong one through.
            let lines = try database.read { try Self.creditLineCurrencies(consumer, LedgerRepository($0)) }
            if !lines.isEmpty {
                guard lines.contains(cap.currency) else { throw UnderwritingError.spendingCapCurrency(cap, allowed: lines) }
            } else {
                let lent = try database.read { try Self.lendingCurrencies(LedgerRepository($0)) }
                guard lent.contains(cap.currency) else { throw UnderwritingError.spendingCapNotLent(cap, lent: lent) }
            }
        }
        let now = clock.now()
        try database.write { connection in
            try UnderwritingRepository(connection).setSpendingCap(
                cap?.minorUnits, currency: cap?.currency.code, consumerID: consumer.rawValue, at: now)
        }
    }

    /// The currencies of the shopper's credit line (the consumer accounts opened at their first credit decision),
    /// where their spending cap must be. Sorted; empty for a shopper with no line yet.
    static func creditLineCurrencies(_ consumer: ConsumerID, _ ledger: LedgerRepository) throws -> [Currency] {
        try existing(ledger, Currency.all) { ChartOfAccounts.consumer(consumer, .consumerCreditAvailable, $0) }
    }

    /// The currencies the platform lends in (its exposure accounts, opened by `paylater init` or by setting funding
    /// capacity), where a shopper with no credit line yet may set a spending cap. Sorted; may be empty.
    static func lendingCurrencies(_ ledger: LedgerRepository) throws -> [Currency] {
        try existing(ledger, Currency.all) { ChartOfAccounts.platform(.platformExposureAvailable, $0) }
    }

    /// The currencies among `currencies` whose `account` exists, sorted.
    private static func existing(
        _ ledger: LedgerRepository, _ currencies: [Currency], _ account: (Currency) -> AccountID
    ) throws -> [Currency] {
        var byAccount: [AccountID: Currency] = [:]
        for currency in currencies { byAccount[account(currency)] = currency }
        let found = try ledger.accounts(Set(byAccount.keys))
        return currencies.filter { found[account($0)] != nil }
    }

    /// The shopper's monthly spending cap, if set.
    public func spendingCap(consumer: ConsumerID) throws -> Money? {
        try database.read { connection in
            try UnderwritingRepository(connection).profile(consumerID: consumer.rawValue).spendingCapAmount
        }
    }

    /// Every limit change of the shopper, oldest first, each with its reason.
    public func limitHistory(consumer: ConsumerID) throws -> [LimitChange] {
        try database.read { connection in try Self.limitHistory(consumer, in: connection) }
    }

    /// `consumer`'s limit changes, oldest first, read on `connection`.
    static func limitHistory(_ consumer: ConsumerID, in connection: any SQLConnection) throws -> [LimitChange] {
        try UnderwritingRepository(connection).limitChanges(consumerID: consumer.rawValue).map { _, change in
            try JSONDecoder().decode(LimitChange.self, from: Data(change.utf8))
        }
    }

    // MARK: Helpers

    private static func engine<T>(_ body: () throws(DecisionError) -> T) throws(UnderwritingError) -> T {
        do { return try body() } catch { throw .decision(error) }
    }

    static func decode(_ document: String) throws -> CreditDecision {
        do { return try JSONDecoder().decode(CreditDecision.self, from: Data(document.utf8)) } catch {
            throw StoreError.unreadableRow("credit decision: \(error)")
        }
    }

    private static func record(
        _ decision: CreditDecision, encodedApplication: [UInt8], consumer: ConsumerID, currency: Currency, at now: Instant
    ) throws -> DecisionRecord {
        var approved: Int64?
        if case let .approved(_, amount, _) = decision.outcome { approved = amount.minorUnits }
        return DecisionRecord(
            consumerID: consumer.rawValue, decisionID: decision.id, outcome: decision.outcome.name, currency: currency.code,
            approvedAmount: approved, policy: "\(decision.policyId)@\(decision.policyVersion)",
            model: decision.model.map { "\($0.name)@\($0.version)" }, arm: decision.arm.rawValue,
            document: String(
                decoding: try CanonicalJSONWriter.bytes { decision.write(to: &$0, encodedApplication: encodedApplication) },
                as: UTF8.self),
            createdAt: now, startsCoolingOff: decision.startsCoolingOff)
    }
}

extension ShopperProfile {
    /// The spending cap the shopper set, as an amount (its two columns), if set.
    var spendingCapAmount: Money? {
        get throws {
            guard let minorUnits = spendingCap, let code = spendingCapCurrency else { return nil }
            return Money(minorUnits: minorUnits, currency: try Currency(code: code))
        }
    }
}

/// A decision request checked and with its identifiers hashed, ready to be decided inside a write transaction.
struct PreparedApplication: Sendable {
    let consumer: ConsumerID
    let application: CreditApplication
    /// `application`'s canonical JSON, which the stored decision's snapshot holds: made here, off the single
    /// writer, where it was some 3% of its instructions per authorization.
    let encodedApplication: [UInt8]
    /// The platform's and the shopper's ledger accounts not seen open when it was prepared.
    let accountsToOpen: [NewAccount]
}

/// The currencies whose platform ledger accounts have all been seen open, so that preparing a decision looks up
/// only the shopper's, without even spelling the platform's fourteen ids (which, with the set they were filtered
/// through, cost a connection thread some 20,000 instructions per authorization): accounts are never closed or
/// deleted. Until a currency's accounts are all open (the first decision in it opens the missing ones), they are
/// looked up every time.
final class OpenPlatformAccounts: Sendable {
    private let currencies = Mutex<Set<Currency>>([])

    func areOpen(in currency: Currency) -> Bool { currencies.withLock { $0.contains(currency) } }

    func markOpen(in currency: Currency) { _ = currencies.withLock { $0.insert(currency) } }
}
