public import PaylaterMoney
public import PaylaterTime

/// What the platform knows about the shopper and itself at the time of an application, loaded by the caller.
///
/// Every amount is in the order's currency; the engine refuses a context that mixes currencies.
public struct ApplicantContext: Sendable, Hashable, Codable {
    /// A repayment is past due on the platform now.
    public var isDelinquent: Bool
    public var isOnBlockedList: Bool
    /// The cap the shopper set for themselves, always honoured ("rational consumption"), or nil.
    public var spendingCap: SpendingCap?
    /// All the shopper owes the platform now.
    public var outstandingBalance: Money
    /// What the shopper repays each month on existing plans (on the platform, plus bureau-reported debts when known).
    public var monthlyObligations: Money
    /// The last time the shopper was declined, for the cooling-off period.
    public var lastDeclineAt: Instant?
    public var creditLimit: CreditLimit
    /// What the shopper may still use of an active limit (the limit less outstanding and holds).
    public var availableCredit: Money
    public var isFirstOrder: Bool
    /// The platform's orders of the last 24 hours that share this order's device, address or instrument (more
    /// do no harm).
    public var recentOrders: [OrderEvent]
    public var exposure: PlatformExposure

    public init(
        isDelinquent: Bool, isOnBlockedList: Bool, spendingCap: SpendingCap?, outstandingBalance: Money,
        monthlyObligations: Money, lastDeclineAt: Instant?, creditLimit: CreditLimit, availableCredit: Money,
        isFirstOrder: Bool, recentOrders: [OrderEvent], exposure: PlatformExposure
    ) {
        self.isDelinquent = isDelinquent
        self.isOnBlockedList = isOnBlockedList
        self.spendingCap = spendingCap
        self.outstandingBalance = outstandingBalance
        self.monthlyObligations = monthlyObligations
        self.lastDeclineAt = lastDeclineAt
        self.creditLimit = creditLimit
        self.availableCredit = availableCredit
        self.isFirstOrder = isFirstOrder
        self.recentOrders = recentOrders
        self.exposure = exposure
    }
}

/// A spending cap the shopper set, and how much of it the current period has used.
public struct SpendingCap: Sendable, Hashable, Codable {
    public var cap: Money
    public var spentInPeriod: Money

    public init(cap: Money, spentInPeriod: Money) {
        self.cap = cap
        self.spentInPeriod = spentInPeriod
    }
}

/// The platform's lending against its funding: outstanding balances plus authorisation holds, and the capacity.
public struct PlatformExposure: Sendable, Hashable, Codable {
    public var outstandingAndHolds: Money
    public var fundingCapacity: Money

    public init(outstandingAndHolds: Money, fundingCapacity: Money) {
        self.outstandingAndHolds = outstandingAndHolds
        self.fundingCapacity = fundingCapacity
    }
}
