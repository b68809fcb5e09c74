public import PaylaterCollections
public import PaylaterMoney
public import PaylaterStore
import PaylaterProducts
public import PaylaterTime

/// A plan past due, as collections work it: whose, how late, in which band, and what is owed.
public struct OverduePlan: Sendable, Hashable {
    public let consumerID: String
    public let planID: String
    public let merchantID: String
    public let daysPastDue: Int
    public let bucket: DelinquencyBucket
    public let owed: Money
}

/// The collectors' work queue: every active plan past due on a date, the latest first.
public struct CollectionsQueue: Sendable {
    public let database: any Database

    public init(database: any Database) { self.database = database }

    /// The plans past due on `date` (a plan whose overdue days a return pause holds back is left out), by days past
    /// due, the most first, then by shopper and plan; at most `limit`. Reads the book a page at a time.
    public func overdue(on date: LocalDate, limit: Int = 1_000) throws -> [OverduePlan] {
        var found: [OverduePlan] = []
        var cursor: (consumerID: String, planID: String)?
        repeat {
            let page = try database.read { connection in
                let repository = PlanRepository(connection)
                let keys = try repository.overduePlanKeys(before: date, after: cursor, limit: 500)
                let plans = try keys.compactMap { key in
                    try repository.plan(consumerID: key.consumerID, planID: key.planID).map(ServicingService.view)
                }
                return (keys, plans)
            }
            cursor = page.0.last
            for serviced in page.1 {
                let days = serviced.plan.daysPastDue(on: date)
                guard days > 0 else { continue }
                found.append(
                    OverduePlan(
                        consumerID: serviced.consumerID, planID: serviced.plan.id, merchantID: serviced.merchantID,
                        daysPastDue: days, bucket: DelinquencyBucket(daysPastDue: days), owed: serviced.plan.owed))
            }
            if page.0.count < 500 { break }
        } while true
        return Array(
            found.sorted { ($1.daysPastDue, $0.consumerID, $0.planID) < ($0.daysPastDue, $1.consumerID, $1.planID) }.prefix(limit))
    }
}
