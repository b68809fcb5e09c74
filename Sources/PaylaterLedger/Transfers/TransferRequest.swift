public import PaylaterMoney

/// What a transfer does: move money now, hold it, or settle a hold.
///
/// Two-phase transfers follow TigerBeetle: a `pending` transfer reserves the amount on both accounts, and a later
/// `postPending` (the full amount or less) or `voidPending` resolves it. A pending transfer with a timeout that is
/// neither posted nor voided in time expires, which releases the amount like a void.
public enum TransferKind: Hashable, Sendable {
    /// Debit one account and credit the other now.
    case posted(debit: AccountID, credit: AccountID, amount: Money)
    /// Reserve `amount` on both accounts until posted, voided or, with a timeout, expired.
    case pending(debit: AccountID, credit: AccountID, amount: Money, timeout: Duration?)
    /// Post a pending transfer: its whole amount when `amount` is nil, otherwise that much (no more than held);
    /// the rest of the hold is released.
    case postPending(TransferID, amount: Money?)
    /// Release a pending transfer without moving anything.
    case voidPending(TransferID)

    /// The pending transfer this one resolves, if any.
    public var pendingID: TransferID? {
        switch self {
        case .posted, .pending: nil
        case let .postPending(id, _), let .voidPending(id): id
        }
    }
}

/// One transfer as a caller asks for it. Its `id` is the idempotency key: retrying the same request returns
/// `exists`, and reusing the id for a different request is rejected.
public struct TransferRequest: Hashable, Sendable {
    /// The longest reference accepted, in bytes.
    public static let referenceLengthMaximum = 128
    /// The longest timeout a pending transfer may have.
    public static let timeoutMaximum = Duration.seconds(400 * 86_400)

    public var id: TransferID
    public var kind: TransferKind
    /// Why the transfer happened (hold, capture, repayment, ...), see `TransferType`.
    public var code: TransferCode
    /// Linked to the next request in the batch: the chain succeeds or fails as one.
    public var isLinked: Bool
    /// A business reference such as a plan or order id, kept with the transfer for statements and audits.
    public var reference: String?

    public init(id: TransferID, kind: TransferKind, code: TransferCode, isLinked: Bool = false, reference: String? = nil) {
        self.id = id
        self.kind = kind
        self.code = code
        self.isLinked = isLinked
        self.reference = reference
    }

    /// The name of the first field in which `self` and `other` differ, or nil when they are the same request.
    func firstDifferentField(from other: TransferRequest) -> String? {
        if code != other.code { return "code" }
        if isLinked != other.isLinked { return "linked flag" }
        if reference != other.reference { return "reference" }
        switch (kind, other.kind) {
        case let (.posted(d1, c1, a1), .posted(d2, c2, a2)):
            return Self.difference(debit: (d1, d2), credit: (c1, c2), amount: (a1, a2))
        case let (.pending(d1, c1, a1, t1), .pending(d2, c2, a2, t2)):
            return Self.difference(debit: (d1, d2), credit: (c1, c2), amount: (a1, a2)) ?? (t1 == t2 ? nil : "timeout")
        case let (.postPending(p1, a1), .postPending(p2, a2)):
            return p1 != p2 ? "pending id" : (a1 == a2 ? nil : "amount")
        case let (.voidPending(p1), .voidPending(p2)):
            return p1 != p2 ? "pending id" : nil
        default:
            return "kind"
        }
    }

    private static func difference(
        debit: (AccountID, AccountID), credit: (AccountID, AccountID), amount: (Money, Money)
    ) -> String? {
        if debit.0 != debit.1 { return "debit account" }
        if credit.0 != credit.1 { return "credit account" }
        if amount.0 != amount.1 { return "amount" }
        return nil
    }
}
