public import PaylaterLedger
public import PaylaterTime

/// Ledger accounts read inside a write transaction, for a later `LedgerRepository.submit(_:at:reusing:)` in the same
/// transaction (see there); never kept past it.
public struct LedgerAccountsRead: Sendable {
    fileprivate let loaded: LedgerRepository.LoadedAccounts

    /// The accounts found, by id.
    public var accounts: [AccountID: Account] { loaded.accounts }
}

/// Reads and writes the ledger inside one transaction: the bridge between the pure `LedgerEngine` and the tables.
///
/// A submit loads the working set (locking the accounts on engines with concurrent writers), applies the batch in
/// memory and writes the changes back, all on the caller's connection, so ledger postings commit with the business
/// change that caused them.
public struct LedgerRepository {
    /// How many expired holds one submit releases at most; the rest wait for the next submit or `expireHolds`.
    public static let expirySweepMaximum = 1_000

    let connection: any SQLConnection

    public init(_ connection: any SQLConnection) { self.connection = connection }

    // MARK: - Accounts

    /// Opens accounts idempotently: an existing account with the same fields is `exists`.
    ///
    /// Inserted first and looked up only when the id is taken: callers mostly open accounts they found missing
    /// (a new shopper's line at the first decision), and a read before every insert was a query per decision under
    /// the single writer.
    public func createAccounts(_ requests: [NewAccount], at now: Instant) throws(StoreError) -> [AccountResult] {
        try openAccounts(requests, at: now).results
    }

    /// `createAccounts(_:at:)`, and the accounts it created as they now stand (with their `seq`s, as inserted), for
    /// `accountsRead(_:knowing:)` later in the same transaction: a new shopper's first decision opens their line
    /// and then reads it, and a row this transaction has just written need not be read back.
    public func openAccounts(
        _ requests: [NewAccount], at now: Instant
    ) throws(StoreError) -> (results: [AccountResult], created: LedgerAccountsRead) {
        var results: [AccountResult] = []
        results.reserveCapacity(requests.count)
        var created = LoadedAccounts()
        for request in requests {
            if let rejection = Self.validate(request) {
                // An account that exists answers for itself, as for a valid request.
                results.append(try definition(request.id).map { Self.compare(request, with: $0.request) } ?? .rejected(rejection))
                continue
            }
            let account = Account(
                id: request.id, currency: request.currency, code: request.code, flags: request.flags,
                balance: AccountBalance(), createdAt: now)
            if let seq = try connection.insertReturningKey(Self.insertAccountSQL, LedgerRows.values(account), key: "seq") {
                results.append(.created)
                created.accounts[account.id] = account
                created.seqs[account.id] = seq
                created.requested.insert(account.id)
                continue
            }
            // Opened before (by an earlier call, an earlier request of this batch, or a concurrent transaction
            // that has committed since): compare with it.
            guard let existing = try definition(request.id) else {
                throw .inconsistent("account \(request.id) neither inserted nor found")
            }
            results.append(Self.compare(request, with: existing.request))
        }
        return (results, LedgerAccountsRead(loaded: created))
    }

    /// An existing account read without locking it, to compare its definition (currency, code and flags, which
    /// never change) with a request to open it. Locking it, as `account(_:)` does where the engine locks rows,
    /// made every capture lock the platform's fourteen accounts one by one in the chart's order, against every
    /// other write's id order: captures deadlocked with refunds and authorizations on PostgreSQL.
    private func definition(_ id: AccountID) throws(StoreError) -> Account? {
        let rows = try connection.query(Self.accountsByIDSQL, in: [.text(id.rawValue)])
        return try Self.loadedAccounts(rows, requested: [id]).accounts[id]
    }

    private static func compare(_ request: NewAccount, with existing: NewAccount) -> AccountResult {
        if request.currency != existing.currency { return .rejected(.existsWithDifferentFields(field: "currency")) }
        if request.code != existing.code { return .rejected(.existsWithDifferentFields(field: "code")) }
        if request.flags != existing.flags { return .rejected(.existsWithDifferentFields(field: "flags")) }
        return .exists
    }

    private static func validate(_ request: NewAccount) -> AccountRejection? {
        if !AccountFlags.known.isSuperset(of: request.flags) { return .unknownFlags(request.flags.rawValue) }
        if request.flags.isSuperset(of: [.debitsMustNotExceedCredits, .creditsMustNotExceedDebits]) {
            return .flagsAreMutuallyExclusive
        }
        return nil
    }

    /// The accounts with these ids that exist, locked for the rest of the transaction where the engine needs it.
    public func accounts(_ ids: Set<AccountID>) throws(StoreError) -> [AccountID: Account] {
        try loadAccounts(ids).accounts
    }

    public func account(_ id: AccountID) throws(StoreError) -> Account? { try accounts([id])[id] }

    /// The accounts with these ids that exist, as `accounts(_:)` reads them, kept so that a `submit` later in the
    /// same transaction may take them instead of reading them again (see `submit(_:at:reusing:)`).
    ///
    /// `created`: accounts this transaction created (`openAccounts(_:at:)`) with nothing written to the ledger
    /// since (the caller's promise); those among `ids` are taken as they were created instead of being read, and
    /// the others come with the result too (made in this transaction and untouched since, they are as current as
    /// what was read, and a `submit` that reuses the result need not read them either).
    ///
    /// `unlocked`: those of `ids` to read without locking them where the engine locks rows, in the same round trip:
    /// accounts nearly every write moves (the platform's exposure), which a caller reads long before it writes
    /// them. Locked at the read, they kept every other such write waiting for the whole of this transaction: on
    /// PostgreSQL, authorizations queued on the exposure's rows for the decision's statements, the order's and the
    /// commit. They are read as last committed, and a submit later in the transaction locks and reads them again
    /// (where writers do not take turns it never reuses what was read), so the ledger's own checks see them exact.
    public func accountsRead(
        _ ids: Set<AccountID>, knowing created: LedgerAccountsRead? = nil, unlocked: Set<AccountID> = []
    ) throws(StoreError) -> LedgerAccountsRead {
        let toRead = created.map { ids.subtracting($0.loaded.accounts.keys) } ?? ids
        return LedgerAccountsRead(loaded: try loadAccounts(toRead, unlocked: unlocked).adding(created?.loaded))
    }

    /// Accounts and their internal `seq`s, which transfers reference.
    fileprivate struct LoadedAccounts {
        var accounts: [AccountID: Account] = [:]
        var seqs: [AccountID: Int64] = [:]
        /// The ids asked for (locked where the engine locks), found or not.
        var requested: Set<AccountID> = []

        /// These and `other`'s, for ids read at two points of one transaction with no ledger write in between.
        func adding(_ other: LoadedAccounts?) -> LoadedAccounts {
            guard let other else { return self }
            return LoadedAccounts(
                accounts: accounts.merging(other.accounts) { _, read in read },
                seqs: seqs.merging(other.seqs) { _, read in read },
                requested: requested.union(other.requested))
        }
    }

    /// The statement `loadAccounts` sends for these ids (one chunk: at most `SQLInList.valuesMaximum`).
    private func accountsStatement(_ ordered: [AccountID]) -> (sql: String, arguments: [SQLValue]) {
        SQLInList.statement(accountsSQL, fixed: [], ordered.map { .text($0.rawValue) }, for: connection.dialect)
    }

    /// Accounts by id, `ORDER BY id` and locked where the engine locks rows.
    private var accountsSQL: String {
        let lock = connection.dialect.lockRowsClause
        return lock.isEmpty ? Self.accountsByIDSQL : Self.accountsByIDSQL + " ORDER BY id" + lock
    }

    /// Statements spelled once rather than interpolated on every call (each call on the single writer).
    private static let accountsByIDSQL =
        "SELECT \(LedgerRows.accountSelectColumns) FROM ledger_accounts WHERE id IN (\(SQLInList.keysPlaceholder))"
    private static let pendingStatesSQL =
        "SELECT \(LedgerRows.pendingColumns) FROM ledger_pending WHERE transfer_id IN (\(SQLInList.keysPlaceholder))"
    private static let insertAccountSQL = """
        INSERT INTO ledger_accounts (\(LedgerRows.accountColumns)) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
        ON CONFLICT (id) DO NOTHING
        """

    private static func loadedAccounts(_ rows: [SQLRow], requested: Set<AccountID>) throws(StoreError) -> LoadedAccounts {
        var loaded = LoadedAccounts(requested: requested)
        loaded.accounts.reserveCapacity(rows.count)
        loaded.seqs.reserveCapacity(rows.count)
        for row in rows {
            let (seq, account) = try LedgerRows.account(row)
            loaded.accounts[account.id] = account
            loaded.seqs[account.id] = seq
        }
        return loaded
    }

    /// Loads accounts; where the engine locks rows, in id order (sorted chunks, each locked `ORDER BY id`), so
    /// that concurrent batches lock them in one global order. A submit locks pending states before accounts for
    /// the same reason. Callers that read accounts before submitting can still meet a deadlock; PostgreSQL detects
    /// it and `Database.write` retries the transaction.
    ///
    /// `unlocked`: ids read without a lock (see `accountsRead(_:knowing:unlocked:)`); they are not `requested`, as
    /// no lock was taken on them. Where the engine takes no row locks, everything is one read.
    private func loadAccounts(_ ids: Set<AccountID>, unlocked: Set<AccountID> = []) throws(StoreError) -> LoadedAccounts {
        guard !ids.isEmpty else { return LoadedAccounts(requested: ids) }
        let locking = !connection.dialect.lockRowsClause.isEmpty
        let shared = locking ? ids.intersection(unlocked) : []
        let locked = ids.subtracting(shared)
        guard !shared.isEmpty else {
            let ordered = locking ? ids.sorted() : Array(ids)
            let rows = try connection.query(accountsSQL, in: ordered.map { .text($0.rawValue) })
            return try Self.loadedAccounts(rows, requested: ids)
        }
        let sharedValues = shared.sorted().map { SQLValue.text($0.rawValue) }
        guard locked.count <= SQLInList.valuesMaximum, shared.count <= SQLInList.valuesMaximum else {
            let rows = try connection.query(accountsSQL, in: locked.sorted().map { .text($0.rawValue) })
                + connection.query(Self.accountsByIDSQL, in: sharedValues)
            return try Self.loadedAccounts(rows, requested: locked)
        }
        // Two independent reads (the unlocked one waits for no lock), in one round trip where the engine pipelines.
        let unlockedRead = SQLInList.statement(Self.accountsByIDSQL, fixed: [], sharedValues, for: connection.dialect)
        let results = try connection.queryBatch(
            (locked.isEmpty ? [] : [accountsStatement(locked.sorted())]) + [unlockedRead])
        return try Self.loadedAccounts(results.flatMap { $0 }, requested: locked)
    }

    // MARK: - Transfers

    /// Applies a batch of transfer requests at `now` and persists the outcome; returns one result per request.
    ///
    /// Most batches use ids never seen before, so a large batch is first applied assuming exactly that: only the
    /// holds it resolves are loaded, and transfers are inserted with `ON CONFLICT DO NOTHING` inside a savepoint. If
    /// any insert finds its id taken (a retry, or a reused id), the savepoint is rolled back and the batch is
    /// applied again with every id loaded, which gives `exists` or the rejection. Both paths produce the same
    /// results; small batches take the second directly.
    ///
    /// The expired-hold sweep and the lookup of the ids the requests name are independent reads (neither locks), so
    /// they go out together (`queryBatch`: one round trip where the engine pipelines); the holds found due are
    /// looked up, and their pending states and the accounts locked, afterwards, in the same order as ever. A small
    /// batch that names no pending transfer also locks its accounts (in id order) in that round trip; if holds fall
    /// due or a reused id names other accounts, the full set is then locked in id order as before, after them.
    ///
    /// `earlier`: accounts this transaction read with `accountsRead(_:)`, with nothing written to the ledger since
    /// (the caller's promise). Where writers take turns (SQLite), nothing else can have changed them either, so a
    /// small batch of plain transfers takes them as read instead of reading them again: a decision reads the
    /// shopper's line and the platform's exposure, and the authorization's hold then moves those same accounts.
    /// Elsewhere they are read and locked as ever.
    public func submit(
        _ requests: [TransferRequest], at now: Instant, reusing earlier: LedgerAccountsRead? = nil
    ) throws(StoreError) -> LedgerBatchOutcome {
        let optimistic = requests.count >= Self.optimisticBatchMinimum
        let requestIDs = optimistic
            ? Set(requests.compactMap(\.kind.pendingID)) : LedgerEngine.transferIDsToLoad(for: requests)
        // A small batch of plain transfers (none names a pending transfer) needs exactly the accounts its requests
        // name, unless holds fall due or an id it reuses names others: lock them with the two reads.
        var accountsToLock: Set<AccountID> = []
        var reused: LoadedAccounts?
        if !optimistic && requests.allSatisfy({ $0.kind.pendingID == nil }) {
            accountsToLock = LedgerEngine.accountIDsToLoad(for: requests, loadedTransfers: [:])
            if let earlier, connection.dialect.writersTakeTurns {
                reused = earlier.loaded
                accountsToLock.subtract(earlier.loaded.requested)
            }
        }
        let (due, prefetched, lockedNow) = try holdsDueAndTransfers(requestIDs, at: now, locking: accountsToLock)
        let locked = reused.map { $0.adding(lockedNow) } ?? lockedNow
        guard optimistic else {
            return try loadAndApply(requests, at: now, expiring: due, prefetched: prefetched, locked: locked)
        }
        try connection.execute("SAVEPOINT ledger_batch", [])
        do {
            if let outcome = try apply(
                requests, at: now, expiring: due, loadingRequestIDs: false, prefetched: prefetched)
            {
                try connection.execute("RELEASE ledger_batch", [])
                return outcome
            }
            try connection.execute("ROLLBACK TO ledger_batch", [])
            try connection.execute("RELEASE ledger_batch", [])
        } catch {
            try? connection.execute("ROLLBACK TO ledger_batch", [])
            try? connection.execute("RELEASE ledger_batch", [])
            throw error
        }
        return try loadAndApply(requests, at: now, expiring: due)
    }

    /// Below this many requests a batch reads its ids first: one query costs less than the savepoint's two
    /// round trips on a networked engine.
    static let optimisticBatchMinimum = 32

    /// Applies a batch after reading every id it uses.
    private func loadAndApply(
        _ requests: [TransferRequest], at now: Instant, expiring due: [TransferID],
        prefetched: PrefetchedTransfers = PrefetchedTransfers(), locked: LoadedAccounts? = nil
    ) throws(StoreError) -> LedgerBatchOutcome {
        guard let outcome = try apply(
            requests, at: now, expiring: due, loadingRequestIDs: true, prefetched: prefetched, locked: locked)
        else {
            throw .inconsistent("a transfer id taken after its existence was checked in the same transaction")
        }
        return outcome
    }

    /// Loads the working set, applies the batch and writes it. When `loadingRequestIDs` is false, returns nil as
    /// soon as the assumption that every request id is new turns out wrong: a rejected request whose id exists
    /// (a retry that would now be refused) or an insert that finds its id taken.
    private func apply(
        _ requests: [TransferRequest], at now: Instant, expiring due: [TransferID], loadingRequestIDs: Bool,
        prefetched: PrefetchedTransfers, locked: LoadedAccounts? = nil
    ) throws(StoreError) -> LedgerBatchOutcome? {
        var transferIDs = Set(due)
        if loadingRequestIDs {
            transferIDs.formUnion(LedgerEngine.transferIDsToLoad(for: requests))
        } else {
            transferIDs.formUnion(requests.compactMap(\.kind.pendingID))
        }
        var transfers = prefetched.transfers.filter { transferIDs.contains($0.key) }
        transfers.merge(try self.transfers(transferIDs.subtracting(prefetched.ids))) { _, loaded in loaded }
        var workingSet = LedgerWorkingSet(transfers: transfers)
        workingSet.pendingStates = try pendingStates(of: transfers.values.filter(\.isPending).map(\.id))
        let accountIDs = LedgerEngine.accountIDsToLoad(for: requests, loadedTransfers: transfers)
        // Accounts locked with the opening reads serve when they are all it needs. Otherwise (holds fell due, or a
        // reused id names other accounts) the full set is locked now, in id order; those already locked stay so,
        // which puts them ahead of the due holds' pending states: a deadlock this can meet is detected by the
        // engine and the transaction retried, as for callers that read accounts before submitting.
        let loaded = if let locked, due.isEmpty, locked.requested.isSuperset(of: accountIDs) {
            locked
        } else {
            try loadAccounts(accountIDs)
        }
        workingSet.accounts = loaded.accounts
        let outcome = LedgerEngine.apply(requests, to: workingSet, at: now, expiring: due)
        if !loadingRequestIDs {
            let rejected = zip(requests, outcome.results).filter { !$0.1.isSuccess }.map(\.0.id)
            if try !self.transfers(Set(rejected)).isEmpty { return nil }
        }
        return try write(outcome.changes, seqs: loaded.seqs, idsChecked: loadingRequestIDs) ? outcome : nil
    }

    /// Releases every hold whose timeout has passed by `now`, in bounded sweeps; returns how many it released.
    public func expireHolds(at now: Instant) throws(StoreError) -> Int {
        try submit([], at: now).expiredPendingTransfers.count
    }

    public func transfer(_ id: TransferID) throws(StoreError) -> Transfer? { try transfers([id])[id] }

    public func pendingState(of id: TransferID) throws(StoreError) -> PendingTransferState? {
        try pendingStates(of: [id])[id]
    }

    /// An account's transfers, oldest first, after the given position (for statements and audits).
    public func transfers(
        of account: AccountID, after position: Int64 = 0, limit: Int = 100
    ) throws(StoreError) -> [(position: Int64, transfer: Transfer)] {
        guard let seq = try loadAccounts([account]).seqs[account] else { return [] }
        let rows = try connection.query(
            LedgerRows.transferSelect + " WHERE (t.debit_account = ? OR t.credit_account = ?) AND t.seq > ? ORDER BY t.seq LIMIT ?",
            [.integer(seq), .integer(seq), .integer(position), .integer(Int64(limit))])
        var result: [(position: Int64, transfer: Transfer)] = []
        for row in rows {
            result.append((try row.int64(14), try LedgerRows.transfer(row)))
        }
        return result
    }

    /// Transfers by id.
    private static let transfersSQL = LedgerRows.transferSelect + " WHERE t.id IN ({keys})"

    private func transfers(_ ids: Set<TransferID>) throws(StoreError) -> [TransferID: Transfer] {
        guard !ids.isEmpty else { return [:] }
        let rows = try connection.query(Self.transfersSQL, in: ids.map { .text($0.rawValue) })
        var transfers: [TransferID: Transfer] = [:]
        for row in rows {
            let transfer = try LedgerRows.transfer(row)
            transfers[transfer.id] = transfer
        }
        return transfers
    }

    private func pendingStates(of ids: [TransferID]) throws(StoreError) -> [TransferID: PendingTransferState] {
        guard !ids.isEmpty else { return [:] }
        let lock = connection.dialect.lockRowsClause
        let rows = try connection.query(
            lock.isEmpty ? Self.pendingStatesSQL : Self.pendingStatesSQL + " ORDER BY transfer_id" + lock,
            in: ids.sorted().map { .text($0.rawValue) })
        var states: [TransferID: PendingTransferState] = [:]
        for row in rows {
            let (id, state) = try LedgerRows.pendingState(row)
            states[id] = state
        }
        return states
    }

    /// Transfers read before `apply`: those of `ids` that exist (a lookup of every id in `ids`).
    private struct PrefetchedTransfers {
        var ids: Set<TransferID> = []
        var transfers: [TransferID: Transfer] = [:]
    }

    /// The sweep's query: holds whose timeout has passed, oldest first (in the order of `ledger_pending_due`).
    static let holdsDueSQL = """
        SELECT transfer_id FROM ledger_pending
        WHERE state = 0 AND expires_at IS NOT NULL AND expires_at <= ? ORDER BY expires_at, transfer_id LIMIT ?
        """

    /// At most this many ids are looked up together with the sweep (one `IN` list); more are looked up after it.
    static let prefetchedIDsMaximum = 256

    /// The holds due for expiry at `now` (at most `expirySweepMaximum`) and the transfers of `ids` that exist,
    /// read in one `queryBatch`. Neither read locks anything, so sending them together changes no lock order.
    /// With `accounts` (at most `prefetchedIDsMaximum`), also locks those accounts in id order, in the same
    /// `queryBatch`, before the two reads.
    private func holdsDueAndTransfers(
        _ ids: Set<TransferID>, at now: Instant, locking accounts: Set<AccountID> = []
    ) throws(StoreError) -> (due: [TransferID], prefetched: PrefetchedTransfers, locked: LoadedAccounts?) {
        let sweep: (sql: String, arguments: [SQLValue]) = (
            Self.holdsDueSQL, [.integer(now.nanosecondsSinceUnixEpoch), .integer(Int64(Self.expirySweepMaximum))]
        )
        guard !ids.isEmpty, ids.count <= Self.prefetchedIDsMaximum else {
            return (try Self.transferIDs(try connection.query(sweep.sql, sweep.arguments)), PrefetchedTransfers(), nil)
        }
        let locking = !accounts.isEmpty && accounts.count <= Self.prefetchedIDsMaximum
        // The lock goes first: where each statement reads its own snapshot (PostgreSQL's READ COMMITTED), the two
        // reads then see everything committed before the locks were granted, so a concurrent submit of the same id
        // on the same accounts (a client's retry racing its first attempt) has committed and its transfer is found.
        var queries = locking ? [accountsStatement(accounts.sorted())] : []
        // The statement `transfers(_:)` prepares for these ids.
        queries += [sweep, SQLInList.statement(Self.transfersSQL, fixed: [], ids.map { .text($0.rawValue) }, for: connection.dialect)]
        let results = try connection.queryBatch(queries)
        guard results.count == queries.count else {
            throw .inconsistent("\(results.count) results for \(queries.count) queries")
        }
        let reads = locking ? 1 : 0
        var prefetched = PrefetchedTransfers(ids: ids)
        for row in results[reads + 1] {
            let transfer = try LedgerRows.transfer(row)
            prefetched.transfers[transfer.id] = transfer
        }
        let locked = locking ? try Self.loadedAccounts(results[0], requested: accounts) : nil
        return (try Self.transferIDs(results[reads]), prefetched, locked)
    }

    private static func transferIDs(_ rows: [SQLRow]) throws(StoreError) -> [TransferID] {
        try rows.map { row throws(StoreError) in try LedgerRows.transferID(try row.text(0)) }
    }

    /// Writes what the engine changed: one prepared statement per table, bound once per row (account and pending
    /// writes possibly deferred to the next statement or the COMMIT). Returns false, having written only part, when
    /// a new transfer's id was already taken.
    ///
    /// With `idsChecked` (every id the batch uses was read in this transaction), the transfers are inserted
    /// deferred too, without `ON CONFLICT`: nothing needs their count, so on PostgreSQL a one-transfer submit
    /// writes everything with its COMMIT. An id taken since the check (only by a concurrent submit that did not
    /// wait for the same account locks) then fails the transaction with the engine's unique violation, where the
    /// counted insert used to report an inconsistency; either way nothing is written.
    private func write(
        _ changes: LedgerChanges, seqs: [AccountID: Int64], idsChecked: Bool
    ) throws(StoreError) -> Bool {
        func seq(_ id: AccountID) throws(StoreError) -> Int64 {
            guard let seq = seqs[id] else { throw .inconsistent("account \(id) was changed but never loaded") }
            return seq
        }
        var transferRows: [[SQLValue]] = []
        transferRows.reserveCapacity(changes.createdTransfers.count)
        for transfer in changes.createdTransfers {
            transferRows.append(LedgerRows.values(
                transfer, debitSeq: try seq(transfer.debitAccountID), creditSeq: try seq(transfer.creditAccountID)))
        }
        if idsChecked {
            try connection.insertRowsDeferred(
                into: "ledger_transfers", columns: LedgerRows.transferColumnTypes, rows: transferRows, suffix: "")
        } else {
            let inserted = try connection.insertRows(
                into: "ledger_transfers", columns: LedgerRows.transferColumnTypes, rows: transferRows,
                suffix: "ON CONFLICT (id) DO NOTHING")
            guard inserted == transferRows.count else { return false }
        }
        var accountRows: [[SQLValue]] = []
        accountRows.reserveCapacity(changes.updatedAccounts.count)
        for account in changes.updatedAccounts {
            let b = account.balance
            accountRows.append([
                .integer(try seq(account.id)), .integer(b.debitsPending), .integer(b.debitsPosted),
                .integer(b.creditsPending), .integer(b.creditsPosted),
            ])
        }
        // Nothing reads these counts: an engine may send both writes with the transaction's next statement.
        try connection.updateRowsDeferred(
            "ledger_accounts", key: SQLColumn("seq", .integer), columns: LedgerRows.accountBalanceColumns,
            rows: accountRows)
        try connection.insertRowsDeferred(
            into: "ledger_pending", columns: LedgerRows.pendingColumnTypes,
            rows: changes.pendingStates.map(LedgerRows.values),
            suffix: """
                ON CONFLICT (transfer_id) DO UPDATE SET state = excluded.state, expires_at = excluded.expires_at,
                    resolved_by = excluded.resolved_by, resolved_at = excluded.resolved_at
                """)
        return true
    }
}
