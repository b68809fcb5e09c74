public import PaylaterLedger
public import PaylaterMoney
public import PaylaterTime

/// An in-memory ledger for tests: applies batches with the real engine over everything it holds and keeps what
/// changed, as a store would. Also the model that stores are compared against.
public struct InMemoryLedger {
    public var workingSet = LedgerWorkingSet()
    public var history: [Transfer] = []
    public var now = Instant(secondsSinceUnixEpoch: 1_790_000_000)

    public init() {}

    public mutating func open(_ id: String, flags: AccountFlags = [], currency: Currency = .CNY) throws -> AccountID {
        let accountID = try AccountID(id)
        workingSet.accounts[accountID] = Account(
            id: accountID, currency: currency, code: AccountCode(1), flags: flags, balance: AccountBalance(), createdAt: now)
        return accountID
    }

    /// Applies a batch with every pending hold offered for expiry, as the store's sweep would.
    @discardableResult
    public mutating func submit(_ requests: [TransferRequest]) -> [TransferResult] {
        let due = workingSet.pendingStates.filter(\.value.isPending).map(\.key).sorted()
        let outcome = LedgerEngine.apply(requests, to: workingSet, at: now, expiring: due)
        for account in outcome.changes.updatedAccounts { workingSet.accounts[account.id] = account }
        for transfer in outcome.changes.createdTransfers { workingSet.transfers[transfer.id] = transfer }
        for (id, state) in outcome.changes.pendingStates { workingSet.pendingStates[id] = state }
        history += outcome.changes.createdTransfers
        return outcome.results
    }

    @discardableResult
    public mutating func submit(_ request: TransferRequest) -> TransferResult { submit([request])[0] }

    /// Overwrites an account's totals, as corruption or a bug in a store would.
    public mutating func tamper(_ id: AccountID, _ change: (inout AccountBalance) -> Void) {
        let account = workingSet.accounts[id]!
        var balance = account.balance
        change(&balance)
        workingSet.accounts[id] = Account(
            id: id, currency: account.currency, code: account.code, flags: account.flags, balance: balance,
            createdAt: account.createdAt)
    }

    public func balance(_ id: AccountID) -> AccountBalance { workingSet.accounts[id]!.balance }

    /// The first broken invariant, recomputing every account's totals from the history, as `ledger verify` does.
    public func firstViolation() -> LedgerViolation? {
        var fromTransfers: [AccountID: AccountBalance] = [:]
        for transfer in history {
            let units = transfer.amount.minorUnits
            if transfer.movesPostedTotals {
                fromTransfers[transfer.debitAccountID, default: .init()].debitsPosted += units
                fromTransfers[transfer.creditAccountID, default: .init()].creditsPosted += units
            } else if transfer.isPending, workingSet.pendingStates[transfer.id]?.isPending == true {
                fromTransfers[transfer.debitAccountID, default: .init()].debitsPending += units
                fromTransfers[transfer.creditAccountID, default: .init()].creditsPending += units
            }
        }
        var verifier = LedgerVerifier()
        for account in workingSet.accounts.values.sorted(by: { $0.id < $1.id }) {
            verifier.check(account, fromTransfers: fromTransfers[account.id] ?? AccountBalance())
        }
        return verifier.firstViolation()
    }
}

public func cny(_ text: String) throws -> Money { try Money(parsing: text, currency: .CNY) }

public func transfer(
    _ id: String, _ kind: TransferKind, code: UInt16 = 1, linked: Bool = false, reference: String? = nil
) throws -> TransferRequest {
    TransferRequest(id: try TransferID(id), kind: kind, code: TransferCode(code), isLinked: linked, reference: reference)
}
