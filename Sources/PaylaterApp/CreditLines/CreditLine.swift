public import PaylaterLedger
public import PaylaterMoney

/// A shopper's credit line in one currency, read from the ledger's credit book.
///
/// `limit = available + held + used`: holds are pending debits of the available account, captures posted ones,
/// and repayments restore the available amount.
public struct CreditLine: Hashable, Sendable {
    public let consumer: ConsumerID
    /// The most the shopper may owe and have on hold at once.
    public let limit: Money
    /// What new holds may still take.
    public let available: Money
    /// Authorizations not yet captured, released or expired.
    public let held: Money
    /// Captured purchases whose principal is not yet repaid.
    public let used: Money

    /// Reads a credit line from its two accounts.
    init(consumer: ConsumerID, available: Account, used: Account) {
        let currency = available.currency
        let availableBalance = available.balance
        self.consumer = consumer
        self.available = Money(minorUnits: availableBalance.availableToDebit, currency: currency)
        self.held = Money(minorUnits: availableBalance.debitsPending, currency: currency)
        self.used = Money(minorUnits: used.balance.postedCreditBalance, currency: currency)
        self.limit = Money(
            minorUnits: availableBalance.postedCreditBalance + used.balance.postedCreditBalance, currency: currency)
        assert(self.available.minorUnits + held.minorUnits + self.used.minorUnits == limit.minorUnits)
    }
}

/// The two accounts of the credit book that make a shopper's line or the platform's exposure: the available one
/// (holds are its pending debits) and the used one.
struct CreditBookAccounts: Hashable, Sendable {
    let available: AccountID
    let used: AccountID

    /// A shopper's credit line in `currency`.
    static func line(_ consumer: ConsumerID, _ currency: Currency) -> CreditBookAccounts {
        CreditBookAccounts(
            available: ChartOfAccounts.consumer(consumer, .consumerCreditAvailable, currency),
            used: ChartOfAccounts.consumer(consumer, .consumerCreditUsed, currency))
    }

    /// The platform's exposure in `currency`.
    static func exposure(_ currency: Currency) -> CreditBookAccounts {
        CreditBookAccounts(
            available: ChartOfAccounts.platform(.platformExposureAvailable, currency),
            used: ChartOfAccounts.platform(.platformExposureUsed, currency))
    }

    var ids: Set<AccountID> { [available, used] }
}

extension CreditLine {
    /// The line of `accounts` among `loaded` (accounts read together with others), or nil when it is not open.
    init?(consumer: ConsumerID, _ accounts: CreditBookAccounts, in loaded: [AccountID: Account]) {
        guard let available = loaded[accounts.available], let used = loaded[accounts.used] else { return nil }
        self.init(consumer: consumer, available: available, used: used)
    }
}

/// The platform's exposure in one currency, read from the credit book: `capacity = available + held + used`.
public struct FundingCapacity: Hashable, Sendable {
    /// The funding capacity: what outstanding principal plus holds may reach.
    public let capacity: Money
    /// Capacity not yet committed.
    public let available: Money
    /// Authorization holds.
    public let held: Money
    /// Outstanding captured principal.
    public let used: Money

    init(currency: Currency) {
        capacity = .zero(currency)
        available = .zero(currency)
        held = .zero(currency)
        used = .zero(currency)
    }

    init(available: Account, used: Account) {
        let currency = available.currency
        self.available = Money(minorUnits: available.balance.availableToDebit, currency: currency)
        held = Money(minorUnits: available.balance.debitsPending, currency: currency)
        self.used = Money(minorUnits: used.balance.postedCreditBalance, currency: currency)
        capacity = Money(
            minorUnits: available.balance.postedCreditBalance + used.balance.postedCreditBalance, currency: currency)
    }

    /// The exposure of `accounts` among `loaded` (accounts read together with others); all zero when not open.
    init(_ accounts: CreditBookAccounts, in loaded: [AccountID: Account], currency: Currency) {
        if let available = loaded[accounts.available], let used = loaded[accounts.used] {
            self.init(available: available, used: used)
        } else {
            self.init(currency: currency)
        }
    }

    /// Outstanding plus holds.
    public var committed: Money { Money(minorUnits: held.minorUnits + used.minorUnits, currency: capacity.currency) }
}

/// Why a credit-line operation was refused.
public enum CreditLineError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The consumer has no credit line in this currency yet.
    case noCreditLine(ConsumerID, Currency)
    /// The hold asks for more than the available limit.
    case insufficientCredit(available: Money, requested: Money)
    /// The new limit is below what is held and used.
    case limitBelowCommitted(committed: Money, requestedLimit: Money)
    case negativeLimit(Money)
    case holdNotFound(TransferID)
    /// The platform's funding capacity is committed: no hold fits until plans are repaid or capacity is added.
    case platformCapacityReached(requested: Money)
    /// The new funding capacity is below what is already held and outstanding.
    case capacityBelowCommitted(committed: Money, requestedCapacity: Money)
    /// The ledger refused the operation for another reason.
    case rejected(TransferRejection)

    public var description: String {
        switch self {
        case let .noCreditLine(consumer, currency): "consumer \(consumer) has no credit line in \(currency)"
        case let .insufficientCredit(available, requested): "\(requested) exceeds the available credit of \(available)"
        case let .limitBelowCommitted(committed, requestedLimit):
            "a limit of \(requestedLimit) is below the \(committed) already held or used"
        case let .negativeLimit(limit): "a limit cannot be negative (\(limit))"
        case let .holdNotFound(id): "hold \(id) does not exist"
        case let .platformCapacityReached(requested):
            "the platform's funding capacity cannot take another \(requested) right now"
        case let .capacityBelowCommitted(committed, requested):
            "a funding capacity of \(requested) is below the \(committed) already held or outstanding"
        case let .rejected(rejection): rejection.description
        }
    }
}
