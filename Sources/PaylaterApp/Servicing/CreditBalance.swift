public import PaylaterLedger
public import PaylaterMoney
import PaylaterStore
import PaylaterTime

/// Why a credit-balance request was refused; nothing was changed when one is thrown.
public enum CreditBalanceError: Error, Equatable, Sendable, CustomStringConvertible {
    case amountNotPositive(Money)
    /// The payout is more than the shopper's balance in its currency.
    case exceedsBalance(requested: Money, balance: Money)
    /// The operation id was already used for a payout of another amount or currency.
    case operationReused(String)

    public var description: String {
        switch self {
        case let .amountNotPositive(amount): "a payout must be positive, not \(amount)"
        case let .exceedsBalance(requested, balance): "the credit balance is \(balance), less than the payout of \(requested)"
        case let .operationReused(id): "operation \(id) was already used for another payout"
        }
    }
}

/// A payout of the shopper's credit balance, as recorded.
public struct CreditBalancePayout: Sendable, Hashable {
    public var operationID: String
    public var amount: Money
    /// What is left on the balance after this payout (or, for a retry, now).
    public var balanceAfter: Money
}

/// The shopper's credit balance: money the platform owes them (an overpayment, a refund of what they had already
/// paid). The ledger holds it on their `consumerCreditBalance` account, which may never go below zero; it is theirs to
/// take back, so it can be paid out at any time.
extension ServicingService {
    /// The shopper's credit balance in each currency they have one (an account, even at zero), sorted by currency.
    public func creditBalances(consumer: ConsumerID) throws -> [Money] {
        try database.read { connection in
            let ids = Dictionary(
                uniqueKeysWithValues: Currency.all.map { (ChartOfAccounts.consumer(consumer, .consumerCreditBalance, $0), $0) })
            let found = try LedgerRepository(connection).accounts(Set(ids.keys))
            return found.compactMap { id, account in
                ids[id].map { Money(minorUnits: account.balance.postedCreditBalance, currency: $0) }
            }.sorted { $0.currency.code < $1.currency.code }
        }
    }

    /// Pays `amount` of the shopper's credit balance out to them: one posted transfer from the balance to the
    /// platform's cash, named by the operation id, so a retry finds it and pays nothing twice. The ledger refuses a
    /// payout beyond the balance (the account may not go below zero), checked in the same transaction.
    /// - Throws: `CreditBalanceError`, or `ServicingError.invalidOperationID`.
    public func payOutCreditBalance(consumer: ConsumerID, amount: Money, operationID: String) throws -> CreditBalancePayout {
        try Self.checkOperationID(operationID)
        guard amount.isPositive else { throw CreditBalanceError.amountNotPositive(amount) }
        let balanceAccount = ChartOfAccounts.consumer(consumer, .consumerCreditBalance, amount.currency)
        let transfer = TransferRequest(
            id: try TransferID(DerivedOperationID.creditBalancePayout(consumer: consumer.rawValue, operationID: operationID)),
            kind: .posted(debit: balanceAccount, credit: ChartOfAccounts.platform(.platformCash, amount.currency), amount: amount),
            code: TransferType.creditBalancePayout.code, reference: operationID)
        let now = clock.now()
        return try database.write { connection in
            let ledger = LedgerRepository(connection)
            func balance() throws -> Money {
                Money(minorUnits: try ledger.account(balanceAccount)?.balance.postedCreditBalance ?? 0, currency: amount.currency)
            }
            switch try ledger.submit([transfer], at: now).results.first {
            case .created, .exists:
                return CreditBalancePayout(operationID: operationID, amount: amount, balanceAfter: try balance())
            case .rejected(.existsWithDifferentFields):
                throw CreditBalanceError.operationReused(operationID)
            case .rejected(.exceedsCredits), .rejected(.accountNotFound(balanceAccount)):
                throw CreditBalanceError.exceedsBalance(requested: amount, balance: try balance())
            case let .rejected(rejection):
                throw ServicingError.ledgerRejected(rejection)
            case nil:
                throw StoreError.inconsistent("the ledger answered nothing for a payout")
            }
        }
    }
}
