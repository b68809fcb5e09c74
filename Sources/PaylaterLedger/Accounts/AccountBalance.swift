/// The four running totals of an account, in minor units of its currency.
///
/// Totals only grow, except pending totals, which shrink when a pending transfer is posted, voided or expires.
/// Balances are derived from them; nothing stores a balance directly.
public struct AccountBalance: Hashable, Sendable {
    public var debitsPending: Int64
    public var debitsPosted: Int64
    public var creditsPending: Int64
    public var creditsPosted: Int64

    public init(debitsPending: Int64 = 0, debitsPosted: Int64 = 0, creditsPending: Int64 = 0, creditsPosted: Int64 = 0) {
        self.debitsPending = debitsPending
        self.debitsPosted = debitsPosted
        self.creditsPending = creditsPending
        self.creditsPosted = creditsPosted
    }

    /// Posted credits minus posted debits: the balance of an account whose normal side is credit.
    public var postedCreditBalance: Int64 { creditsPosted - debitsPosted }

    /// Posted debits minus posted credits: the balance of an account whose normal side is debit.
    public var postedDebitBalance: Int64 { debitsPosted - creditsPosted }

    /// What a `debitsMustNotExceedCredits` account can still be debited: posted credits less all debits.
    public var availableToDebit: Int64 { creditsPosted - debitsPosted - debitsPending }

    /// Whether the totals respect `flags`.
    public func satisfies(_ flags: AccountFlags) -> Bool {
        if flags.contains(.debitsMustNotExceedCredits) {
            guard let debits = Self.sum(debitsPending, debitsPosted), debits <= creditsPosted else { return false }
        }
        if flags.contains(.creditsMustNotExceedDebits) {
            guard let credits = Self.sum(creditsPending, creditsPosted), credits <= debitsPosted else { return false }
        }
        return true
    }

    /// Whether every total is non-negative and pending plus posted fits in 64 bits.
    public var isWellFormed: Bool {
        debitsPending >= 0 && debitsPosted >= 0 && creditsPending >= 0 && creditsPosted >= 0
            && Self.sum(debitsPending, debitsPosted) != nil && Self.sum(creditsPending, creditsPosted) != nil
    }

    static func sum(_ a: Int64, _ b: Int64) -> Int64? {
        let (result, overflow) = a.addingReportingOverflow(b)
        return overflow ? nil : result
    }
}
