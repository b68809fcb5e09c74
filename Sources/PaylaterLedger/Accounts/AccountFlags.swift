/// Constraints the ledger enforces on an account on every transfer.
public struct AccountFlags: OptionSet, Hashable, Sendable {
    public let rawValue: UInt16
    public init(rawValue: UInt16) { self.rawValue = rawValue }

    /// Pending plus posted debits may never exceed posted credits: the account cannot go below zero.
    /// A consumer's available credit carries this flag, which is what makes a hold unable to exceed the limit.
    public static let debitsMustNotExceedCredits = AccountFlags(rawValue: 1 << 0)

    /// Pending plus posted credits may never exceed posted debits.
    public static let creditsMustNotExceedDebits = AccountFlags(rawValue: 1 << 1)

    /// Every flag this version knows; stored flags outside it are rejected when read.
    public static let known: AccountFlags = [.debitsMustNotExceedCredits, .creditsMustNotExceedDebits]
}
