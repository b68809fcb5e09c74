import Foundation
public import PaylaterLedger
public import PaylaterMoney
import PaylaterProducts
public import PaylaterStore
public import PaylaterTime
public import PaylaterUnderwriting

/// Periodic limit reviews: freeze while delinquent, unfreeze when current again, decrease on deterioration,
/// increase after enough consecutive on-time repayment cycles — each change applied to the ledger and logged with
/// its reason, one transaction per shopper.
///
/// A cycle is one installment due date: on time when the installment was settled without a late fee. The streak
/// counts the installments due since the last limit change, oldest first, and restarts after any late one, so an
/// increase needs that many on-time cycles since the previous change. Deterioration is judged on the shopper's
/// latest model estimate: the probability of bad of their most recent scored decision.
public struct LimitReviewService: Sendable {
    public let database: any Database
    public let clock: any Clock
    public let policy: CreditPolicy

    public init(database: any Database, clock: any Clock, policy: CreditPolicy) {
        self.database = database
        self.clock = clock
        self.policy = policy
    }

    /// Reviews one shopper's limit in `currency` as of `date`; returns the change made, if any.
    ///
    /// Most reviews change nothing, so the review is first made in a read, and a write is opened only for a change,
    /// which is decided again there under the line's lock: a review with nothing to change was a durable commit of
    /// nothing, one per shopper with a line every day (docs/BENCHMARKS.md, the end of day).
    public func review(consumer: ConsumerID, currency: Currency, on date: LocalDate) throws -> LimitChange? {
        let now = clock.now()
        let foreseen = try database.read { connection in
            try change(consumer: consumer, currency: currency, on: date, at: now, in: connection)
        }
        guard foreseen != nil else { return nil }
        return try database.write { connection -> LimitChange? in
            // The shopper's line first, which locks it where rows are locked: a second worker reviewing the same
            // shopper waits here, then reads the profile and the log the first one wrote (it read them before the
            // lock, and logged the same freeze again, when two end-of-day runs overlapped on PostgreSQL).
            _ = try LedgerRepository(connection).accounts(CreditBookAccounts.line(consumer, currency).ids)
            let change = try change(consumer: consumer, currency: currency, on: date, at: now, in: connection)
            if let change {
                try LimitChangeWriter(connection: connection, consumer: consumer, now: now).apply(change, decisionID: nil)
            }
            return change
        }
    }

    /// The change a review of the shopper's limit makes as of `date`, read in `connection`, if any.
    private func change(
        consumer: ConsumerID, currency: Currency, on date: LocalDate, at now: Instant, in connection: any SQLConnection
    ) throws -> LimitChange? {
        let repository = UnderwritingRepository(connection)
        let ledger = LedgerRepository(connection)
        let profile = try repository.profile(consumerID: consumer.rawValue)
        let limit = try Self.currentLimit(consumer, currency, frozen: profile.limitFrozen, ledger)
        guard limit != .none else { return nil }
        let repositoryOfPlans = PlanRepository(connection)
        // The newest page of plans for the on-time streak; every active plan for delinquency, however old. A plan
        // in both is decoded once (decoding was most of a review's CPU: docs/BENCHMARKS.md, the end of day).
        var decoded: [String: RepaymentPlan] = [:]
        let plans = try repositoryOfPlans.plans(consumerID: consumer.rawValue)
            .filter { $0.currency == currency.code }
            .map { record in
                let plan = try StoredPlan.decode(record.document).plan
                decoded[record.planID] = plan
                return plan
            }
        let active = try repositoryOfPlans.activePlans(consumerID: consumer.rawValue, currency: currency.code)
            .map { record in try decoded[record.planID] ?? StoredPlan.decode(record.document).plan }
        let history = try repository.limitChanges(consumerID: consumer.rawValue).map { _, change in
            try JSONDecoder().decode(LimitChange.self, from: Data(change.utf8))
        }
        let since = history.last.map { Self.date($0.at) } ?? .minimum
        let standing = LimitStanding(
            isDelinquent: active.contains { $0.daysPastDue(on: date) > 0 },
            onTimeCycles: Self.onTimeStreak(plans, since: since, before: date),
            probabilityOfBad: try Self.latestEstimate(consumer, repository))
        return try Self.limits { () throws(LimitError) in
            try LimitManager.review(limit, standing: standing, rules: policy.limits, at: now)
        }
    }

    /// Reviews every shopper with a credit line in `currency`, paging through their line accounts; returns the
    /// changes made. Only shoppers with a line there have anything to review: going through every shopper with
    /// plans made the end of day open a write transaction per shopper in every currency the catalog sells in, half
    /// of its reviews on a CNY-only book changing nothing (docs/BENCHMARKS.md, the end-of-day batch).
    public func reviewAll(currency: Currency, on date: LocalDate, pageSize: Int = 200) throws -> [ConsumerID: LimitChange] {
        var changes: [ConsumerID: LimitChange] = [:]
        var cursor: AccountID?
        while true {
            let page = try database.read { connection in
                try LedgerRepository(connection).consumerLineIDs(currency: currency, after: cursor, limit: pageSize)
            }
            for account in page {
                guard let consumer = ChartOfAccounts.consumerID(of: account) else { continue }
                if let change = try review(consumer: consumer, currency: currency, on: date) { changes[consumer] = change }
            }
            guard page.count == pageSize, let last = page.last else { return changes }
            cursor = last
        }
    }

    /// Consecutive on-time repayment cycles due on or after `since` and before `date`, oldest first. A cycle is one
    /// due date, whatever number of installments (of however many plans) fall due on it: otherwise a shopper who
    /// split one basket into several orders would earn several cycles in a day. A cycle is on time when every
    /// installment due that day was paid without a late fee; a late one (a late fee charged, or still unpaid past
    /// its due date, or paid after its due date and the plan's late-fee grace days, charged or not: an end of day
    /// that did not run that day charged no fee) restarts the count.
    static func onTimeStreak(_ plans: [RepaymentPlan], since: LocalDate, before date: LocalDate) -> Int64 {
        var onTimeByDueDate: [LocalDate: Bool] = [:]
        for plan in plans {
            let graceDays = plan.lateFeePolicy?.graceDays ?? 0
            for installment in plan.installments where installment.principal.isPositive || installment.fee.isPositive {
                let due = plan.effectiveDueDate(of: installment)
                guard due >= since && due < date else { continue }
                let paidInTime = installment.settledOn.map { settled in
                    ((try? due.adding(days: graceDays)).map { settled <= $0 }) ?? true
                } ?? true
                let onTime =
                    installment.isSettled && installment.lateFee.isZero && installment.lateFeeStages == 0 && paidInTime
                onTimeByDueDate[due] = (onTimeByDueDate[due] ?? true) && onTime
            }
        }
        var streak: Int64 = 0
        for due in onTimeByDueDate.keys.sorted() {
            streak = onTimeByDueDate[due] == true ? streak + 1 : 0
        }
        return streak
    }

    private static func latestEstimate(_ consumer: ConsumerID, _ repository: UnderwritingRepository) throws -> Double {
        for record in try repository.decisions(consumerID: consumer.rawValue, limit: 20) {
            if let probability = try StoredEstimate.read(record.document).probabilityOfBad { return probability }
        }
        return 0
    }

    /// A stored decision's model estimate alone: the review reads only that, and decoding whole decisions (some
    /// 2 KB each, up to 20 per shopper) was a tenth of the end of day's CPU.
    private struct StoredEstimate: Decodable {
        let probabilityOfBad: Double?

        static func read(_ document: String) throws -> StoredEstimate {
            do { return try JSONDecoder().decode(StoredEstimate.self, from: Data(document.utf8)) } catch {
                throw StoreError.unreadableRow("credit decision: \(error)")
            }
        }
    }

    private static func currentLimit(
        _ consumer: ConsumerID, _ currency: Currency, frozen: Bool, _ ledger: LedgerRepository
    ) throws -> CreditLimit {
        let accounts = CreditBookAccounts.line(consumer, currency)
        guard let line = CreditLine(consumer: consumer, accounts, in: try ledger.accounts(accounts.ids)),
            line.limit.isPositive
        else { return .none }
        return frozen ? .frozen(line.limit, reason: .delinquency) : .active(line.limit)
    }

    private static func limits<T>(_ body: () throws(LimitError) -> T) throws(UnderwritingError) -> T {
        do { return try body() } catch { throw .limit(error) }
    }

    private static func date(_ instant: Instant) -> LocalDate { instant.utcDateTime.date }
}
