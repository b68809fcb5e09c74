public import PaylaterMoney

/// A broken ledger invariant, named precisely enough for an operator to find it.
public enum LedgerViolation: Hashable, Sendable, CustomStringConvertible {
    /// Across all accounts in one currency, debits and credits differ.
    case unbalancedCurrency(Currency, totals: String, debits: Int128, credits: Int128)
    /// An account's stored totals differ from the sum of its transfers.
    case totalsDifferFromTransfers(AccountID, stored: AccountBalance, fromTransfers: AccountBalance)
    /// A flagged account breaks its own constraint.
    case limitBroken(AccountID, flags: AccountFlags, balance: AccountBalance)
    /// An account total is negative or pending plus posted overflows.
    case malformedTotals(AccountID, AccountBalance)

    public var description: String {
        switch self {
        case let .unbalancedCurrency(currency, totals, debits, credits):
            "\(currency): \(totals) debits \(debits) differ from \(totals) credits \(credits)"
        case let .totalsDifferFromTransfers(id, stored, fromTransfers):
            "account \(id): stored totals \(Self.describe(stored)) differ from its transfers \(Self.describe(fromTransfers))"
        case let .limitBroken(id, flags, balance):
            "account \(id) breaks its limit (flags \(flags.rawValue)): \(Self.describe(balance))"
        case let .malformedTotals(id, balance):
            "account \(id) has malformed totals \(Self.describe(balance))"
        }
    }

    private static func describe(_ b: AccountBalance) -> String {
        "debits pending \(b.debitsPending) posted \(b.debitsPosted), credits pending \(b.creditsPending) posted \(b.creditsPosted)"
    }
}

/// Checks the ledger's invariants over a stream of accounts, in bounded memory per currency.
///
/// - Per currency, total debits equal total credits, posted and pending alike (every transfer is balanced).
/// - Every account's stored totals equal the totals recomputed from its transfers.
/// - No flagged account breaks its constraint, and no total is negative or overflows.
public struct LedgerVerifier: Sendable {
    private struct CurrencyTotals: Sendable {
        var debitsPosted: Int128 = 0
        var creditsPosted: Int128 = 0
        var debitsPending: Int128 = 0
        var creditsPending: Int128 = 0
    }

    private var totals: [Currency: CurrencyTotals] = [:]
    private var firstAccountViolation: LedgerViolation?
    public private(set) var accountsChecked = 0

    public init() {}

    /// Checks one account against the totals recomputed from its transfers.
    public mutating func check(_ account: Account, fromTransfers: AccountBalance) {
        accountsChecked += 1
        let balance = account.balance
        var sums = totals[account.currency, default: CurrencyTotals()]
        sums.debitsPosted += Int128(balance.debitsPosted)
        sums.creditsPosted += Int128(balance.creditsPosted)
        sums.debitsPending += Int128(balance.debitsPending)
        sums.creditsPending += Int128(balance.creditsPending)
        totals[account.currency] = sums
        guard firstAccountViolation == nil else { return }
        if !balance.isWellFormed {
            firstAccountViolation = .malformedTotals(account.id, balance)
        } else if balance != fromTransfers {
            firstAccountViolation = .totalsDifferFromTransfers(account.id, stored: balance, fromTransfers: fromTransfers)
        } else if !balance.satisfies(account.flags) {
            firstAccountViolation = .limitBroken(account.id, flags: account.flags, balance: balance)
        }
    }

    /// The first violation found, or nil when every invariant holds.
    public func firstViolation() -> LedgerViolation? {
        if let firstAccountViolation { return firstAccountViolation }
        for (currency, sums) in totals.sorted(by: { $0.key < $1.key }) {
            if sums.debitsPosted != sums.creditsPosted {
                return .unbalancedCurrency(currency, totals: "posted", debits: sums.debitsPosted, credits: sums.creditsPosted)
            }
            if sums.debitsPending != sums.creditsPending {
                return .unbalancedCurrency(currency, totals: "pending", debits: sums.debitsPending, credits: sums.creditsPending)
            }
        }
        return nil
    }
}
