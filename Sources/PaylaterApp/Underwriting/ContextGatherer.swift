import Foundation
import PaylaterCrypto
import PaylaterLedger
import PaylaterMoney
import PaylaterProducts
import PaylaterStore
import PaylaterTime
import PaylaterUnderwriting

/// Assembles what the platform knows about a shopper for one decision, inside the decision's transaction: the
/// credit line and limit state from the ledger, plans and delinquency from servicing, declines and approvals from
/// past decisions, the spending cap, velocity events and the platform's exposure.
struct ContextGatherer {
    /// How far back velocity rules look for applications sharing a device, address or instrument: their longest
    /// window (the policy's windows are an hour and a day).
    static let velocityLookback = Duration.seconds(86_400)

    let connection: any SQLConnection
    let consumer: ConsumerID
    let currency: Currency
    let now: Instant
    let zone: TimeZoneRules?
    /// Where velocity events are looked up when the store keeps them indexed in memory; nil: by the table's indexes.
    let recentApplications: RecentApplications?
    /// The ledger accounts this transaction has just opened for the decision, with nothing written to the ledger
    /// since: taken as opened rather than read back.
    var openedAccounts: LedgerAccountsRead? = nil

    /// How far ahead repayments count as this month's obligations.
    static let obligationDays = 31

    struct Gathered {
        var context: ApplicantContext
        /// A freeze (now delinquent) or unfreeze (current again) to apply before the decision is stored.
        var freezeChange: LimitChange?
        /// The shopper's line and the platform's exposure as read for the context, for a ledger submit later in
        /// the transaction while nothing has written to the ledger since.
        var ledgerAccounts: LedgerAccountsRead
        /// The shopper's profile as read for the context, for a limit change later in the transaction while nothing
        /// has written the profile since (`LimitChangeWriter.apply(_:decisionID:posting:profile:)`).
        var profile: ShopperProfile
    }

    func context(for application: CreditApplication) throws -> Gathered {
        let repository = UnderwritingRepository(connection)
        let profile = try repository.profile(consumerID: consumer.rawValue)
        let today = zone?.localDate(at: now) ?? now.utcDateTime.date
        let plans = try openPlans()
        let isDelinquent = plans.contains { $0.daysPastDue(on: today) > 0 }
        let outstanding = plans.reduce(Int64(0)) { $0 + $1.owed.minorUnits }
        let horizon = try today.adding(days: Self.obligationDays)
        let obligations = plans.reduce(Int64(0)) { total, plan in
            total + plan.installments.filter { !$0.isSettled && plan.effectiveDueDate(of: $0) < horizon }
                .reduce(Int64(0)) { $0 + $1.owed.minorUnits }
        }
        // The shopper's line and the platform's exposure in one read. The line is locked where the engine locks rows
        // (the decision's limit and available credit hold until the transaction ends); the exposure is not: every
        // authorization moves it, and the hold's submit, last in the transaction, locks it and checks the capacity.
        let lineAccounts = CreditBookAccounts.line(consumer, currency)
        let exposureAccounts = CreditBookAccounts.exposure(currency)
        let ledgerAccounts = try LedgerRepository(connection).accountsRead(
            lineAccounts.ids.union(exposureAccounts.ids), knowing: openedAccounts, unlocked: exposureAccounts.ids)
        let loaded = ledgerAccounts.accounts
        let line = CreditLine(consumer: consumer, lineAccounts, in: loaded)
        let exposure = FundingCapacity(exposureAccounts, in: loaded, currency: currency)
        var limit: CreditLimit =
            if let line, line.limit.isPositive {
                profile.limitFrozen ? .frozen(line.limit, reason: .delinquency) : .active(line.limit)
            } else { .none }
        var freezeChange: LimitChange?
        if isDelinquent, case .active = limit, let change = LimitManager.freeze(limit, at: now) {
            freezeChange = change
            limit = change.to
        } else if !isDelinquent, case .frozen = limit, let change = LimitManager.unfreeze(limit, at: now) {
            freezeChange = change
            limit = change.to
        }
        // A cap in another currency than the order's goes to the engine too, which declines the order: the shopper
        // capped their spending, and there is no rate here to compare the order with the cap at.
        var spendingCap: SpendingCap?
        if let cap = try profile.spendingCapAmount {
            let spent = try repository.approvedTotal(
                consumerID: consumer.rawValue, currency: cap.currency.code, since: monthStart(today))
            spendingCap = SpendingCap(cap: cap, spentInPeriod: Money(minorUnits: spent, currency: cap.currency))
        }
        let since = now.advanced(by: .zero - Self.velocityLookback)
        let events =
            try recentApplications?.events(
                deviceHash: application.deviceHash, addressHash: application.addressHash,
                instrumentHash: application.instrumentHash, since: since, in: connection)
            ?? repository.recentEvents(
                deviceHash: application.deviceHash, addressHash: application.addressHash,
                instrumentHash: application.instrumentHash, since: since)
        let history = try repository.decisionHistory(consumerID: consumer.rawValue)
        let context = ApplicantContext(
            isDelinquent: isDelinquent, isOnBlockedList: profile.blocked, spendingCap: spendingCap,
            outstandingBalance: money(outstanding), monthlyObligations: money(obligations),
            lastDeclineAt: history.lastDeclineAt, creditLimit: limit,
            availableCredit: line?.available ?? .zero(currency),
            isFirstOrder: !history.hasApproval,
            recentOrders: events.map {
                OrderEvent(
                    at: $0.at, deviceHash: $0.deviceHash, addressHash: $0.addressHash, instrumentHash: $0.instrumentHash,
                    shopperHash: $0.shopperHash)
            },
            exposure: PlatformExposure(outstandingAndHolds: exposure.committed, fundingCapacity: exposure.capacity),
            heldAuthorizations: line?.held ?? .zero(currency))
        return Gathered(context: context, freezeChange: freezeChange, ledgerAccounts: ledgerAccounts, profile: profile)
    }

    private func money(_ minorUnits: Int64) -> Money { Money(minorUnits: minorUnits, currency: currency) }

    /// The shopper's active plans in this currency.
    private func openPlans() throws -> [RepaymentPlan] {
        try PlanRepository(connection).activePlans(consumerID: consumer.rawValue, currency: currency.code)
            .map { try StoredPlan.decode($0.document).plan }
    }

    /// The first instant of `today`'s calendar month in the servicing zone.
    private func monthStart(_ today: LocalDate) throws -> Instant {
        guard let zone else {
            return Instant(utc: LocalDateTime(date: today.firstDayOfMonth, time: try LocalTime(hour: 0, minute: 0)))
        }
        return zone.startOfDay(today.firstDayOfMonth)
    }
}

/// Applies a limit change: the ledger's limit follows the new amount, the profile records a freeze, and the
/// change is logged with its reason.
struct LimitChangeWriter {
    let connection: any SQLConnection
    let consumer: ConsumerID
    let now: Instant

    /// How the limit's ledger transfer is made.
    enum LedgerPosting {
        /// Submitted here, after reading the line's balance.
        case submit
        /// Returned for the caller to submit first in its own batch, before anything reads the shopper's line in
        /// this transaction; `currentLimit` is the line's limit in minor units when the caller knows it (a line
        /// whose accounts this transaction opened has none), or nil to read it.
        case deferred(currentLimit: Int64?)
    }

    /// The id of the ledger transfer that moves `consumer`'s limit for a decision (or, without one, at `now`):
    /// `limit/<decision id or Unix nanoseconds>:<consumer>`.
    ///
    /// The decision first, because a decision's id is the checkout's, which starts with the time it was made (and
    /// a review's nanoseconds are a time too): the transfer-id index then gains these at its end, where the
    /// authorizations of a group commit share a page, rather than at each shopper's place in it, a page of the
    /// write-ahead log per new shopper where shoppers' ids do not arrive in order (docs/BENCHMARKS.md). The shopper
    /// last, since a party id has no ':', so the id reads unambiguously from the right. `limit/`, not the `limit:`
    /// of ids made before 2026-12-07 (`limit:<consumer>:<decision>`), so that no new id can equal an old one.
    ///
    /// A decision id (up to 64 bytes) and a shopper id (up to 64) can together make that longer than a transfer id
    /// may be (`TransferID.lengthMaximum`); such a pair is named `limit/<SHA-256 of the long form, in hex>` instead,
    /// still one name per pair, so a retried decision finds its own transfer. It holds no ':', which every long form
    /// does, so it cannot equal one. (Not secret: the decision and the shopper are in the limit log beside it.)
    static func limitTransferID(consumer: ConsumerID, decisionID: String?, at now: Instant) throws -> TransferID {
        let named = "limit/\(decisionID ?? "\(now.nanosecondsSinceUnixEpoch)"):\(consumer.rawValue)"
        guard named.utf8.count > TransferID.lengthMaximum else { return try TransferID(named) }
        return try TransferID("limit/\(SHA256.hash(named).hex)")
    }

    /// Applies `change`; returns the limit's ledger transfer when `posting` is `.deferred` and the ledger's limit
    /// must move. `profile` is the shopper's profile when the caller read it in this transaction and nothing has
    /// written it since; nil reads it.
    @discardableResult
    func apply(
        _ change: LimitChange, decisionID: String?, posting: LedgerPosting = .submit, profile known: ShopperProfile? = nil
    ) throws -> TransferRequest? {
        let repository = UnderwritingRepository(connection)
        var profile = try known ?? repository.profile(consumerID: consumer.rawValue)
        let frozen: Bool
        switch change.to {
        case .frozen: frozen = true
        case .active, .none: frozen = false
        }
        // Written only when the freeze changes: a new shopper's first limit leaves the default profile as it is,
        // which spares the decision's transaction a row (and a page of the log) under the single writer.
        if profile.limitFrozen != frozen {
            profile.limitFrozen = frozen
            try repository.setLimitFrozen(frozen, consumerID: consumer.rawValue, at: now)
        }
        var transfer: TransferRequest?
        if case let .active(amount) = change.to, amount != change.from.amount {
            let changeID = try Self.limitTransferID(consumer: consumer, decisionID: decisionID, at: now)
            switch posting {
            case .submit:
                if let request = try limitTransfer(amount, changeID: changeID, current: nil) { try submit(request) }
            case let .deferred(currentLimit):
                transfer = try limitTransfer(amount, changeID: changeID, current: currentLimit)
            }
        }
        let currency = (change.to.amount ?? change.from.amount)?.currency.code ?? ""
        try repository.logLimitChange(
            consumerID: consumer.rawValue, decisionID: decisionID, currency: currency,
            from: change.from.amount?.minorUnits, to: change.to.amount?.minorUnits, reason: change.reason.name,
            change: try CanonicalJSON.encode(change), at: now)
        return transfer
    }

    /// The transfer between the platform's limit source and the shopper's available credit that makes the line's
    /// limit `limit`, or nil when it is that already. `current` is the limit now, read from the ledger when nil.
    private func limitTransfer(_ limit: Money, changeID: TransferID, current: Int64?) throws -> TransferRequest? {
        let currency = limit.currency
        let line = CreditBookAccounts.line(consumer, currency)
        let current = try current ?? {
            let loaded = try LedgerRepository(connection).accounts(line.ids)
            return CreditLine(consumer: consumer, line, in: loaded)?.limit.minorUnits ?? 0
        }()
        let difference = limit.minorUnits - current
        guard difference != 0 else { return nil }
        let source = ChartOfAccounts.platform(.creditLimitSource, currency)
        let amount = Money(minorUnits: abs(difference), currency: currency)
        let kind: TransferKind = difference > 0
            ? .posted(debit: source, credit: line.available, amount: amount)
            : .posted(debit: line.available, credit: source, amount: amount)
        return TransferRequest(id: changeID, kind: kind, code: TransferType.creditLimitChange.code)
    }

    private func submit(_ request: TransferRequest) throws {
        let result = try LedgerRepository(connection).submit([request], at: now).results[0]
        if case let .rejected(rejection) = result { throw CreditLineError.rejected(rejection) }
    }
}
