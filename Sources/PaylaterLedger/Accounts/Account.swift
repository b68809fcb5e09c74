public import PaylaterMoney
public import PaylaterTime

/// A request to open a ledger account. Opening is idempotent: the same id with the same fields is `exists`.
public struct NewAccount: Hashable, Sendable {
    public var id: AccountID
    public var currency: Currency
    public var code: AccountCode
    public var flags: AccountFlags

    public init(id: AccountID, currency: Currency, code: AccountCode, flags: AccountFlags = []) {
        self.id = id
        self.currency = currency
        self.code = code
        self.flags = flags
    }
}

/// A ledger account: immutable identity and constraints, plus running totals the ledger alone updates.
public struct Account: Hashable, Sendable {
    public let id: AccountID
    public let currency: Currency
    public let code: AccountCode
    public let flags: AccountFlags
    public internal(set) var balance: AccountBalance
    public let createdAt: Instant

    /// Rebuilds an account from storage. Only stores call this; everyone else gets accounts from the ledger.
    public init(
        id: AccountID, currency: Currency, code: AccountCode, flags: AccountFlags, balance: AccountBalance,
        createdAt: Instant
    ) {
        self.id = id
        self.currency = currency
        self.code = code
        self.flags = flags
        self.balance = balance
        self.createdAt = createdAt
    }

    /// The request this account was opened with, for idempotent comparison.
    public var request: NewAccount { NewAccount(id: id, currency: currency, code: code, flags: flags) }
}

/// Why opening an account was refused.
public enum AccountRejection: Error, Hashable, Sendable, CustomStringConvertible {
    /// An account with this id exists with a different value of the named field.
    case existsWithDifferentFields(field: String)
    /// Both balance constraints at once would freeze the account.
    case flagsAreMutuallyExclusive
    /// A flag this version does not know.
    case unknownFlags(UInt16)

    public var description: String {
        switch self {
        case let .existsWithDifferentFields(field): "the account exists with a different \(field)"
        case .flagsAreMutuallyExclusive:
            "debits-must-not-exceed-credits and credits-must-not-exceed-debits cannot both be set"
        case let .unknownFlags(bits): "unknown account flags \(bits)"
        }
    }
}

/// The outcome of one account-opening request.
public enum AccountResult: Hashable, Sendable {
    case created
    case exists
    case rejected(AccountRejection)

    /// Created now or already there with the same fields: what an idempotent caller wants.
    public var isSuccess: Bool {
        switch self {
        case .created, .exists: true
        case .rejected: false
        }
    }
}
