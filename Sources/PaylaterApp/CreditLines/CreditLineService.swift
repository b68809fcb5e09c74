public import PaylaterLedger
public import PaylaterMoney
public import PaylaterStore
public import PaylaterTime

/// Limits and authorization holds on shoppers' credit lines, all enforced by the ledger's credit book.
///
/// A hold is a pending transfer from the shopper's available-credit account, which may never go below zero; that
/// constraint, checked inside the write transaction, is what keeps concurrent holds from exceeding the limit.
public struct CreditLineService: Sendable {
    public let database: any Database
    public let clock: any Clock

    public init(database: any Database, clock: any Clock) {
        self.database = database
        self.clock = clock
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
        let request = TransferRequest(
            id: holdID,
            kind: .pending(
                debit: ChartOfAccounts.consumer(consumer, .consumerCreditAvailable, amount.currency),
                credit: ChartOfAccounts.consumer(consumer, .consumerCreditUsed, amount.currency),
                amount: amount, timeout: timeout),
            code: TransferType.authorizationHold.code)
        return try submit(request, consumer, amount.currency)
    }

    /// Captures all of a hold (`amount` nil) or part of it, releasing the rest.
    public func captureHold(
        _ consumer: ConsumerID, holdID: TransferID, amount: Money?, captureID: TransferID, currency: Currency
    ) throws -> CreditLine {
        let request = TransferRequest(
            id: captureID, kind: .postPending(holdID, amount: amount), code: TransferType.authorizationHold.code)
        return try submit(request, consumer, currency)
    }

    /// Releases a hold without capturing it.
    public func releaseHold(
        _ consumer: ConsumerID, holdID: TransferID, releaseID: TransferID, currency: Currency
    ) throws -> CreditLine {
        let request = TransferRequest(id: releaseID, kind: .voidPending(holdID), code: TransferType.authorizationHold.code)
        return try submit(request, consumer, currency)
    }

    /// Gives `amount` of used credit back to the available limit, as a repayment of principal does.
    public func restore(_ consumer: ConsumerID, amount: Money, restoreID: TransferID) throws -> CreditLine {
        let request = TransferRequest(
            id: restoreID,
            kind: .posted(
                debit: ChartOfAccounts.consumer(consumer, .consumerCreditUsed, amount.currency),
                credit: ChartOfAccounts.consumer(consumer, .consumerCreditAvailable, amount.currency),
                amount: amount),
            code: TransferType.creditRestored.code)
        return try submit(request, consumer, amount.currency)
    }

    private func submit(_ request: TransferRequest, _ consumer: ConsumerID, _ currency: Currency) throws -> CreditLine {
        let now = clock.now()
        return try database.write { connection in
            let ledger = LedgerRepository(connection)
            let result = try ledger.submit([request], at: now).results[0]
            // Read after the submit: a rejected request changed nothing, so the line is what the request saw.
            let line = try Self.read(consumer, currency, ledger)
            if case let .rejected(rejection) = result {
                throw Self.error(for: rejection, request, available: line.available)
            }
            return line
        }
    }

    /// The error a shopper-facing caller understands for a ledger rejection.
    private static func error(
        for rejection: TransferRejection, _ request: TransferRequest, available: Money
    ) -> CreditLineError {
        switch (rejection, request.kind) {
        case let (.exceedsCredits, .pending(_, _, amount, _)):
            .insufficientCredit(available: available, requested: amount)
        case let (.pendingTransferNotFound(id), _):
            .holdNotFound(id)
        default:
            .rejected(rejection)
        }
    }

    private static func read(_ consumer: ConsumerID, _ currency: Currency, _ ledger: LedgerRepository) throws -> CreditLine {
        let availableID = ChartOfAccounts.consumer(consumer, .consumerCreditAvailable, currency)
        let usedID = ChartOfAccounts.consumer(consumer, .consumerCreditUsed, currency)
        let accounts = try ledger.accounts([availableID, usedID])
        guard let available = accounts[availableID], let used = accounts[usedID] else {
            throw CreditLineError.noCreditLine(consumer, currency)
        }
        return CreditLine(consumer: consumer, available: available, used: used)
    }
}
