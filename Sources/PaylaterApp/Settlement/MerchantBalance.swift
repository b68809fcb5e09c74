public import PaylaterMoney
public import PaylaterStore

/// Where a merchant stands with the platform in one currency now, between settlements: what its payable holds and
/// what its latest settlement left.
///
/// The payable is the ledger's own balance, so this is exact at any moment; the next settlement takes its discount
/// from the lines since the latest one, which is why `balance` is not yet a payout.
public struct MerchantBalance: Sendable, Hashable {
    public let currency: Currency
    /// The payable's posted balance: what the latest settlement carried over plus every line since (captures, less
    /// refunds and promotion subsidies, and any adjustment), before the discount the next settlement takes. Below
    /// zero, the merchant owes the platform that much.
    public let balance: Money
    /// The latest settlement in the currency, without its lines; nil before the first.
    public let latestSettlement: Settlement?

    /// What the latest settlement left the merchant owing (zero or negative; zero before the first settlement).
    public var carriedOver: Money { latestSettlement?.carriedOver ?? .zero(currency) }

    /// The net of the lines since the latest settlement: `balance` less what was carried over.
    public var sinceLatestSettlement: Money {
        Money(minorUnits: balance.minorUnits - carriedOver.minorUnits, currency: currency)
    }

    public init(currency: Currency, balance: Money, latestSettlement: Settlement?) {
        precondition(balance.currency == currency && latestSettlement.map { $0.currency == currency } ?? true)
        self.currency = currency
        self.balance = balance
        self.latestSettlement = latestSettlement
    }
}
