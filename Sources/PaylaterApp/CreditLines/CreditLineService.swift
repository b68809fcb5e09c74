public import PaylaterLedger
public import PaylaterMoney
public import PaylaterStore
public import PaylaterTime

/// Limits and authorization holds on shoppers' credit lines, and the platform's exposure cap, all enforced by the
/// ledger's credit book.
///
/// A hold is a pending transfer from the shopper's available-credit account, which may never go below zero; that
/// constraint, checked inside the write transaction, is what keeps concurrent holds from exceeding the limit. Each
/// hold is linked to a second pending transfer of the same amount from the platform's exposure-available account
/// (the funding capacity not yet committed), so outstanding principal plus holds can never exceed the capacity
/// either: both post, release and restore together.
///
/// The platform account is one row every hold writes: on PostgreSQL holds serialize on it for the length of their
/// short transaction. That is the price of a hard cap; striping it into several accounts is the path if it ever
/// bounds throughput (docs/OPERATIONS.md).
public struct CreditLineService: Sendable {
    public let database: any Database
    public let clock: any Clock

    public init(database: any Database, clock: any Clock) {
        self.database = database
        self.clock = clock
    }

    /// Sets the platform's funding capacity in `currency` (what outstanding principal plus holds may reach) by
    /// posting the difference, once per `changeID`; refuses a capacity below what is already committed.
    public func setFundingCapacity(
        _ capacity: Money, changeID: TransferID
    ) throws -> FundingCapacity {
        guard !capacity.isNegative else { throw CreditLineError.negativeLimit(capacity) }
        let now = clock.now()
        let currency = capacity.currency
        return try database.write { connection in
            let ledger = LedgerRepository(connection)
            _ = try ledger.createAccounts(ChartOfAccounts.platformAccounts(currency), at: now)
            let exposure = try Self.readExposure(currency, ledger)
            if try ledger.transfer(changeID) != nil { return exposure }
            let difference = try capacity - exposure.capacity
            guard !difference.isZero else { return exposure }
            let source = ChartOfAccounts.platform(.exposureCapacitySource, currency)
            let available = ChartOfAccounts.platform(.platformExposureAvailable, currency)
            let kind: TransferKind = difference.isPositive
                ? .posted(debit: source, credit: available, amount: difference)
                : .posted(debit: available, credit: source, amount: try difference.negated())
            let request = TransferRequest(id: changeID, kind: kind, code: TransferType.exposureCapacityChange.code)
            switch try ledger.submit([request], at: now).results[0] {
            case .created, .exists:
                return try Self.readExposure(currency, ledger)
            case .rejected(.exceedsCredits):
                throw CreditLineError.capacityBelowCommitted(
                    committed: try exposure.held + exposure.used, requestedCapacity: capacity)
            case let .rejected(rejection):
                throw CreditLineError.rejected(rejection)
            }
        }
    }

    /// The platform's exposure in `currency`: capacity, holds and outstanding principal.
    public func platformExposure(_ currency: Currency) throws -> FundingCapacity {
        try database.read { try Self.readExposure(currency, LedgerRepository($0)) }
    }

    /// Opens the platform's and the consumer's accounts in `currency` if they are missing.
    public func open(_ consumer: ConsumerID, _ currency: Currency) throws {
        let now = clock.now()
        let requests = ChartOfAccounts.platformAccounts(currency) + ChartOfAccounts.consumerAccounts(consumer, currency)
        try database.write { connection in
            let results = try LedgerRepository(connection).createAccounts(requests, at: now)
            if let failure = results.first(where: { !$0.isSuccess }), case let .rejected(rejection) = failure {
                throw rejection
            }
        }
    }

    /// The consumer's credit line in `currency`.
    public func creditLine(_ consumer: ConsumerID, _ currency: Currency) throws -> CreditLine {
        try database.read { try Self.read(consumer, currency, LedgerRepository($0)) }
    }

    /// Sets the limit to `limit` by posting the difference, once per `changeID`; refuses a limit below what is
    /// already held or used. Returns the credit line after the change.
    public func setLimit(_ consumer: ConsumerID, to limit: Money, changeID: TransferID) throws -> CreditLine {
        guard !limit.isNegative else { throw CreditLineError.negativeLimit(limit) }
        let now = clock.now()
        return try database.write { connection in
            let ledger = LedgerRepository(connection)
            let line = try Self.read(consumer, limit.currency, ledger)
            if try ledger.transfer(changeID) != nil { return line }
            let difference = try limit - line.limit
            guard !difference.isZero else { return line }
            let source = ChartOfAccounts.platform(.creditLimitSource, limit.currency)
            let available = ChartOfAccounts.consumer(consumer, .consumerCreditAvailable, limit.currency)
            let kind: TransferKind = difference.isPositive
                ? .posted(debit: source, credit: available, amount: difference)
                : .posted(debit: available, credit: source, amount: try difference.negated())
            let request = TransferRequest(id: changeID, kind: kind, code: TransferType.creditLimitChange.code)
            switch try ledger.submit([request], at: now).results[0] {
            case .created, .exists:
                return try Self.read(consumer, limit.currency, ledger)
            case .rejected(.exceedsCredits):
                throw CreditLineError.limitBelowCommitted(committed: try line.held + line.used, requestedLimit: limit)
            case let .rejected(rejection):
                throw CreditLineError.rejected(rejection)
            }
        }
    }

    /// Places an authorization hold of `amount` that expires after `timeout` unless captured or released.
    /// Retrying with the same `holdID` and fields is harmless.
    public func placeHold(
        _ consumer: ConsumerID, holdID: TransferID, amount: Money, timeout: Duration
    ) throws -> CreditLine {
        try submit(try Self.holdRequests(consumer, holdID: holdID, amount: amount, timeout: timeout), consumer, amount.currency)
    }

    /// The linked pair of pending transfers of a hold: the shopper's limit and the platform's capacity.
    static func holdRequests(
        _ consumer: ConsumerID, holdID: TransferID, amount: Money, timeout: Duration
    ) throws(LedgerError) -> [TransferRequest] {
        let currency = amount.currency
        return [
            TransferRequest(
                id: holdID,
                kind: .pending(
                    debit: ChartOfAccounts.consumer(consumer, .consumerCreditAvailable, currency),
                    credit: ChartOfAccounts.consumer(consumer, .consumerCreditUsed, currency),
                    amount: amount, timeout: timeout),
                code: TransferType.authorizationHold.code, isLinked: true),
            TransferRequest(
                id: try exposureID(holdID),
                kind: .pending(
                    debit: ChartOfAccounts.platform(.platformExposureAvailable, currency),
                    credit: ChartOfAccounts.platform(.platformExposureUsed, currency),
                    amount: amount, timeout: timeout),
                code: TransferType.authorizationHold.code),
        ]
    }

    /// The id of the platform-exposure leg that goes with a consumer credit transfer.
    static func exposureID(_ id: TransferID) throws(LedgerError) -> TransferID {
        try TransferID(id.rawValue + ":exposure")
    }

    /// Captures all of a hold (`amount` nil) or part of it, releasing the rest.
    public func captureHold(
        _ consumer: ConsumerID, holdID: TransferID, amount: Money?, captureID: TransferID, currency: Currency
    ) throws -> CreditLine {
        let requests = [
            TransferRequest(
                id: captureID, kind: .postPending(holdID, amount: amount), code: TransferType.authorizationHold.code,
                isLinked: true),
            TransferRequest(
                id: try Self.exposureID(captureID), kind: .postPending(try Self.exposureID(holdID), amount: amount),
                code: TransferType.authorizationHold.code),
        ]
        return try submit(requests, consumer, currency)
    }

    /// Releases a hold without capturing it.
    public func releaseHold(
        _ consumer: ConsumerID, holdID: TransferID, releaseID: TransferID, currency: Currency
    ) throws -> CreditLine {
        try submit(try Self.releaseRequests(holdID: holdID, releaseID: releaseID), consumer, currency)
    }

    /// The linked pair that voids both legs of a hold.
    static func releaseRequests(holdID: TransferID, releaseID: TransferID) throws(LedgerError) -> [TransferRequest] {
        [
            TransferRequest(
                id: releaseID, kind: .voidPending(holdID), code: TransferType.authorizationHold.code, isLinked: true),
            TransferRequest(
                id: try exposureID(releaseID), kind: .voidPending(try exposureID(holdID)),
                code: TransferType.authorizationHold.code),
        ]
    }

    /// Gives `amount` of used credit back to the available limit and to the platform's capacity, as a repayment of
    /// principal does.
    public func restore(_ consumer: ConsumerID, amount: Money, restoreID: TransferID) throws -> CreditLine {
        let currency = amount.currency
        let id = restoreID
        let requests = [
            TransferRequest(
                id: id,
                kind: .posted(
                    debit: ChartOfAccounts.consumer(consumer, .consumerCreditUsed, currency),
                    credit: ChartOfAccounts.consumer(consumer, .consumerCreditAvailable, currency),
                    amount: amount),
                code: TransferType.creditRestored.code, isLinked: true),
            TransferRequest(
                id: try Self.exposureID(id),
                kind: .posted(
                    debit: ChartOfAccounts.platform(.platformExposureUsed, currency),
                    credit: ChartOfAccounts.platform(.platformExposureAvailable, currency),
                    amount: amount),
                code: TransferType.creditRestored.code),
        ]
        return try submit(requests, consumer, currency)
    }

    private func submit(_ requests: [TransferRequest], _ consumer: ConsumerID, _ currency: Currency) throws -> CreditLine {
        let now = clock.now()
        return try database.write { connection in
            try Self.submit(requests, consumer, currency, LedgerRepository(connection), at: now)
        }
    }

    /// Submits a linked chain in the caller's transaction and returns the credit line after it; the first
    /// rejection other than "a linked transfer failed" names the cause.
    static func submit(
        _ requests: [TransferRequest], _ consumer: ConsumerID, _ currency: Currency, _ ledger: LedgerRepository,
        at now: Instant
    ) throws -> CreditLine {
        try post(requests, consumer, currency, ledger, at: now)
        return try read(consumer, currency, ledger)
    }

    /// Submits a linked chain in the caller's transaction without reading the line back (checkout's hot path); the
    /// line is read only to explain a rejection.
    @discardableResult
    static func post(
        _ requests: [TransferRequest], _ consumer: ConsumerID, _ currency: Currency, _ ledger: LedgerRepository,
        at now: Instant, reusing accountsRead: LedgerAccountsRead? = nil
    ) throws -> LedgerBatchOutcome {
        let outcome = try ledger.submit(requests, at: now, reusing: accountsRead)
        for (request, result) in zip(requests, outcome.results) {
            guard case let .rejected(rejection) = result, rejection != .linkedEventFailed else { continue }
            // A rejected chain changed nothing, so the line read now is what the request saw.
            throw error(for: rejection, request, available: try read(consumer, currency, ledger).available)
        }
        return outcome
    }

    /// The error a shopper-facing caller understands for a ledger rejection.
    private static func error(
        for rejection: TransferRejection, _ request: TransferRequest, available: Money
    ) -> CreditLineError {
        switch (rejection, request.kind) {
        case let (.exceedsCredits(account), .pending(_, _, amount, _)) where account.rawValue.hasPrefix("platform:"):
            .platformCapacityReached(requested: amount)
        case let (.exceedsCredits, .pending(_, _, amount, _)):
            .insufficientCredit(available: available, requested: amount)
        case let (.pendingTransferNotFound(id), _):
            .holdNotFound(id)
        default:
            .rejected(rejection)
        }
    }

    private static func readExposure(_ currency: Currency, _ ledger: LedgerRepository) throws -> FundingCapacity {
        let accounts = CreditBookAccounts.exposure(currency)
        return FundingCapacity(accounts, in: try ledger.accounts(accounts.ids), currency: currency)
    }

    static func read(_ consumer: ConsumerID, _ currency: Currency, _ ledger: LedgerRepository) throws -> CreditLine {
        let accounts = CreditBookAccounts.line(consumer, currency)
        guard let line = CreditLine(consumer: consumer, accounts, in: try ledger.accounts(accounts.ids)) else {
            throw CreditLineError.noCreditLine(consumer, currency)
        }
        return line
    }
}
