/// The part of the ledger one batch reads and writes: the accounts and transfers its requests name.
///
/// The engine never does I/O. A store loads the working set inside its transaction (locking the accounts where the
/// engine is not the only writer), the engine applies the batch to it in memory, and the store writes the
/// `LedgerChanges` back in the same transaction. TigerBeetle works the same way: prefetch, execute, commit.
public struct LedgerWorkingSet: Sendable {
    public var accounts: [AccountID: Account]
    /// Existing transfers whose ids the batch uses, and the pending transfers it posts or voids.
    public var transfers: [TransferID: Transfer]
    /// The state of every pending transfer in `transfers`.
    public var pendingStates: [TransferID: PendingTransferState]

    public init(
        accounts: [AccountID: Account] = [:], transfers: [TransferID: Transfer] = [:],
        pendingStates: [TransferID: PendingTransferState] = [:]
    ) {
        self.accounts = accounts
        self.transfers = transfers
        self.pendingStates = pendingStates
    }
}

/// What applying a batch changed, for the store to write back.
public struct LedgerChanges: Sendable {
    /// New transfers in the order they were accepted.
    public var createdTransfers: [Transfer] = []
    /// The final totals of every account the batch touched, in the order the batch first touched them. Stores that
    /// lock rows lock them when loading the working set, in id order, so write order needs no sorting.
    public var updatedAccounts: [Account] = []
    /// The final state of every pending transfer created or resolved.
    public var pendingStates: [(TransferID, PendingTransferState)] = []

    public init() {}

    public var isEmpty: Bool { createdTransfers.isEmpty && updatedAccounts.isEmpty && pendingStates.isEmpty }
}

/// The per-request results of a batch and the changes to persist.
public struct LedgerBatchOutcome: Sendable {
    /// One result per request, in request order.
    public let results: [TransferResult]
    public let changes: LedgerChanges
    /// Pending transfers the batch found past their timeout and released before applying its requests.
    public let expiredPendingTransfers: [TransferID]
}
