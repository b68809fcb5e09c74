public import PaylaterMoney
public import PaylaterTime

/// A transfer the ledger has recorded. Transfers are immutable: a correction is a new, reversing transfer.
public struct Transfer: Hashable, Sendable {
    /// The request exactly as it was accepted, kept so that a retry can be recognised.
    public let request: TransferRequest
    /// The account debited; for a post or void, the pending transfer's debit account.
    public let debitAccountID: AccountID
    /// The account credited; for a post or void, the pending transfer's credit account.
    public let creditAccountID: AccountID
    /// What moved: the posted amount, the held amount, the amount posted from a hold, or the amount released.
    public let amount: Money
    /// When the ledger accepted it.
    public let timestamp: Instant
    /// For a pending transfer with a timeout: when it expires.
    public let expiresAt: Instant?

    public init(
        request: TransferRequest, debitAccountID: AccountID, creditAccountID: AccountID, amount: Money,
        timestamp: Instant, expiresAt: Instant?
    ) {
        self.request = request
        self.debitAccountID = debitAccountID
        self.creditAccountID = creditAccountID
        self.amount = amount
        self.timestamp = timestamp
        self.expiresAt = expiresAt
    }

    public var id: TransferID { request.id }

    /// Whether the amount counts in the accounts' posted totals (a posted transfer or the post of a hold).
    public var movesPostedTotals: Bool {
        switch request.kind {
        case .posted, .postPending: true
        case .pending, .voidPending: false
        }
    }

    /// Whether this is a hold that can later be posted or voided.
    public var isPending: Bool {
        if case .pending = request.kind { return true }
        return false
    }
}

/// Where a pending transfer stands.
public enum PendingTransferState: Hashable, Sendable {
    /// Still held; releases itself at `expiresAt` if there is one.
    case pending(expiresAt: Instant?)
    /// Posted by the named transfer.
    case posted(by: TransferID, at: Instant)
    /// Voided by the named transfer.
    case voided(by: TransferID, at: Instant)
    /// Released because its timeout passed.
    case expired(at: Instant)

    /// Whether the hold still reserves its amount.
    public var isPending: Bool {
        if case .pending = self { return true }
        return false
    }
}
