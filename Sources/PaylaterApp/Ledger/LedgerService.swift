public import PaylaterLedger
public import PaylaterStore
public import PaylaterTime

/// The ledger as the rest of Paylater uses it: every call is one transaction.
public struct LedgerService: Sendable {
    public let database: any Database
    public let clock: any Clock

    public init(database: any Database, clock: any Clock) {
        self.database = database
        self.clock = clock
    }

    /// Opens accounts idempotently, in one transaction.
    public func openAccounts(_ requests: [NewAccount]) throws -> [AccountResult] {
        try checkBatchSize(requests.count)
        let now = clock.now()
        return try database.write { try LedgerRepository($0).createAccounts(requests, at: now) }
    }

    /// Applies a batch of transfer requests in one transaction and returns one result per request. A crash before
    /// the commit leaves nothing; a retry of the same batch returns `exists` for what was committed.
    public func submit(_ requests: [TransferRequest]) throws -> [TransferResult] {
        try checkBatchSize(requests.count)
        let now = clock.now()
        return try database.write { try LedgerRepository($0).submit(requests, at: now).results }
    }

    /// Opens accounts and then applies transfers, all in one transaction (a journal batch).
    public func apply(
        accounts: [NewAccount], transfers: [TransferRequest]
    ) throws -> (accounts: [AccountResult], transfers: [TransferResult]) {
        try checkBatchSize(accounts.count + transfers.count)
        let now = clock.now()
        return try database.write { connection in
            let ledger = LedgerRepository(connection)
            return (try ledger.createAccounts(accounts, at: now), try ledger.submit(transfers, at: now).results)
        }
    }

    public func account(_ id: AccountID) throws -> Account? {
        try database.read { try LedgerRepository($0).account(id) }
    }

    public func accounts(_ ids: Set<AccountID>) throws -> [AccountID: Account] {
        try database.read { try LedgerRepository($0).accounts(ids) }
    }

    public func transfer(_ id: TransferID) throws -> Transfer? {
        try database.read { try LedgerRepository($0).transfer(id) }
    }

    /// Releases holds whose timeout has passed; returns how many.
    public func expireHolds() throws -> Int {
        let now = clock.now()
        var total = 0
        while true {
            let released = try database.write { try LedgerRepository($0).expireHolds(at: now) }
            total += released
            if released < LedgerRepository.expirySweepMaximum { return total }
        }
    }

    /// Checks every ledger invariant on one consistent snapshot.
    public func verify() throws -> LedgerVerification {
        try database.read { try LedgerRepository($0).verify() }
    }

    private func checkBatchSize(_ count: Int) throws(LedgerError) {
        if count > LedgerEngine.batchSizeMaximum {
            throw .batchTooLarge(count: count, maximum: LedgerEngine.batchSizeMaximum)
        }
    }
}
