public import PaylaterMoney

/// The outcome of one transfer request in a batch.
public enum TransferResult: Hashable, Sendable {
    /// Recorded now.
    case created
    /// A transfer with this id and the same fields was recorded before: a retry, and nothing changed.
    case exists
    /// Refused; nothing of it was recorded.
    case rejected(TransferRejection)

    /// Created now or already recorded identically: what an idempotent caller wants.
    public var isSuccess: Bool {
        switch self {
        case .created, .exists: true
        case .rejected: false
        }
    }
}

/// Why a transfer request was refused.
public enum TransferRejection: Error, Hashable, Sendable, CustomStringConvertible {
    case existsWithDifferentFields(field: String)
    /// Another request in the same linked chain failed, so this one was not applied.
    case linkedEventFailed
    /// The batch ended while a chain was still open: the last request had the linked flag set.
    case linkedEventChainOpen
    case amountMustBePositive
    case accountsMustBeDifferent
    case accountNotFound(AccountID)
    case currencyMismatch(account: AccountID, accountCurrency: Currency, transferCurrency: Currency)
    /// The debit would take pending plus posted debits above posted credits on a flagged account.
    case exceedsCredits(AccountID)
    /// The credit would take pending plus posted credits above posted debits on a flagged account.
    case exceedsDebits(AccountID)
    case overflowsTotals(AccountID)
    case pendingTransferNotFound(TransferID)
    /// The referenced transfer exists but is not a pending transfer.
    case notAPendingTransfer(TransferID)
    case pendingTransferAlreadyPosted(TransferID)
    case pendingTransferAlreadyVoided(TransferID)
    case pendingTransferExpired(TransferID)
    case exceedsPendingAmount(pending: Money, requested: Money)
    case invalidTimeout(String)
    case invalidReference(String)

    public var description: String {
        switch self {
        case let .existsWithDifferentFields(field): "a transfer with this id exists with a different \(field)"
        case .linkedEventFailed: "another transfer in its linked chain failed"
        case .linkedEventChainOpen: "the batch ended inside a linked chain (the last transfer has the linked flag)"
        case .amountMustBePositive: "the amount must be greater than zero"
        case .accountsMustBeDifferent: "the debit and credit accounts must be different"
        case let .accountNotFound(id): "account \(id) does not exist"
        case let .currencyMismatch(account, accountCurrency, transferCurrency):
            "account \(account) holds \(accountCurrency), the transfer is in \(transferCurrency)"
        case let .exceedsCredits(id): "account \(id) would have more debits than credits"
        case let .exceedsDebits(id): "account \(id) would have more credits than debits"
        case let .overflowsTotals(id): "account \(id) totals would overflow"
        case let .pendingTransferNotFound(id): "pending transfer \(id) does not exist"
        case let .notAPendingTransfer(id): "transfer \(id) is not a pending transfer"
        case let .pendingTransferAlreadyPosted(id): "pending transfer \(id) is already posted"
        case let .pendingTransferAlreadyVoided(id): "pending transfer \(id) is already voided"
        case let .pendingTransferExpired(id): "pending transfer \(id) has expired"
        case let .exceedsPendingAmount(pending, requested):
            "cannot post \(requested) from a hold of \(pending)"
        case let .invalidTimeout(problem): "timeout \(problem)"
        case let .invalidReference(problem): "reference \(problem)"
        }
    }
}
