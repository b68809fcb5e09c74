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
    /// What the shopper's orders authorized and not yet captured hold: plans to come, which affordability weighs as
    /// it weighs the new order (four orders held at once each looked affordable on their own).
    public var heldAuthorizations: Money
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
        isFirstOrder: Bool, recentOrders: [OrderEvent], exposure: PlatformExposure, heldAuthorizations: Money? = nil
    ) {
        self.isDelinquent = isDelinquent
        self.isOnBlockedList = isOnBlockedList
        self.spendingCap = spendingCap
        self.outstandingBalance = outstandingBalance
        self.monthlyObligations = monthlyObligations
        self.heldAuthorizations = heldAuthorizations ?? .zero(outstandingBalance.currency)
        self.lastDeclineAt = lastDeclineAt
        self.creditLimit = creditLimit
        self.availableCredit = availableCredit
        self.isFirstOrder = isFirstOrder
        self.recentOrders = recentOrders
        self.exposure = exposure
    }
}

extension ApplicantContext {
    private enum CodingKeys: String, CodingKey {
        case isDelinquent, isOnBlockedList, spendingCap, outstandingBalance, monthlyObligations, heldAuthorizations,
            lastDeclineAt, creditLimit, availableCredit, isFirstOrder, recentOrders, exposure
    }

    /// Decodes a stored context; one stored before `heldAuthorizations` existed held none there, as those
    /// decisions were taken.
    public init(from decoder: any Decoder) throws {
        let values = try decoder.container(keyedBy: CodingKeys.self)
        let outstanding = try values.decode(Money.self, forKey: .outstandingBalance)
        self.init(
            isDelinquent: try values.decode(Bool.self, forKey: .isDelinquent),
            isOnBlockedList: try values.decode(Bool.self, forKey: .isOnBlockedList),
            spendingCap: try values.decodeIfPresent(SpendingCap.self, forKey: .spendingCap),
            outstandingBalance: outstanding,
            monthlyObligations: try values.decode(Money.self, forKey: .monthlyObligations),
            lastDeclineAt: try values.decodeIfPresent(Instant.self, forKey: .lastDeclineAt),
            creditLimit: try values.decode(CreditLimit.self, forKey: .creditLimit),
            availableCredit: try values.decode(Money.self, forKey: .availableCredit),
            isFirstOrder: try values.decode(Bool.self, forKey: .isFirstOrder),
            recentOrders: try values.decode([OrderEvent].self, forKey: .recentOrders),
            exposure: try values.decode(PlatformExposure.self, forKey: .exposure),
            heldAuthorizations: try values.decodeIfPresent(Money.self, forKey: .heldAuthorizations))
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
