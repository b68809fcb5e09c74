public import PaylaterLedger
public import PaylaterMoney
public import PaylaterStore
public import PaylaterUnderwriting

/// What support and collections staff see of one shopper, read in one snapshot: their standing (blocked, limit
/// frozen, their own spending cap), each credit line, their plans, and every change of their limit with its reason.
public struct ShopperOverview: Sendable {
    public let consumer: ConsumerID
    /// Blocked from new credit by an operator.
    public let blocked: Bool
    /// The limit is frozen (a limit review froze it while the shopper was delinquent).
    public let limitFrozen: Bool
    /// The monthly spending cap the shopper set, if any.
    public let spendingCap: Money?
    /// The shopper's credit line in each currency they have one in, in currency code order.
    public let creditLines: [CreditLine]
    /// Every plan, in the store's order (oldest first).
    public let plans: [ServicedPlan]
    /// Every change of the limit, oldest first, each with its reason.
    public let limitChanges: [LimitChange]
    /// Every time the shopper was put on or taken off the blocked list, oldest first, by whom and why.
    public let standingChanges: [StandingChangeRecord]

    /// Whether the store knows anything of the shopper: a line, a plan, a limit or standing change, or a profile (a
    /// spending cap set before any purchase).
    public var isKnown: Bool {
        blocked || limitFrozen || spendingCap != nil
            || !creditLines.isEmpty || !plans.isEmpty || !limitChanges.isEmpty || !standingChanges.isEmpty
    }

    /// Reads `consumer`'s overview in one read transaction.
    public static func read(_ consumer: ConsumerID, from database: any Database) throws -> ShopperOverview {
        try database.read { connection in
            let ledger = LedgerRepository(connection)
            let underwriting = UnderwritingRepository(connection)
            let profile = try underwriting.profile(consumerID: consumer.rawValue)
            let lines = try UnderwritingService.creditLineCurrencies(consumer, ledger).map { currency in
                try CreditLineService.read(consumer, currency, ledger)
            }
            let cap = try profile.spendingCapAmount
            let changes = try UnderwritingService.limitHistory(consumer, in: connection)
            return ShopperOverview(
                consumer: consumer, blocked: profile.blocked, limitFrozen: profile.limitFrozen, spendingCap: cap,
                creditLines: lines, plans: try ServicingService.plans(consumer, in: connection), limitChanges: changes,
                standingChanges: try underwriting.standingChanges(consumerID: consumer.rawValue))
        }
    }
}
