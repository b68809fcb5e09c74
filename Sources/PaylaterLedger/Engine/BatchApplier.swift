import PaylaterMoney
import PaylaterTime

/// The mutable state of one batch being applied, with an undo log for linked chains.
struct BatchApplier {
    private var workingSet: LedgerWorkingSet
    private let now: Instant
    private var created: [Transfer] = []
    /// Accounts in the order the batch first touched them (deterministic for a given batch).
    private var touchedAccounts: [AccountID] = []
    private var touchedAccountSet: Set<AccountID> = []
    private var changedPendingStates: [TransferID: PendingTransferState] = [:]
    /// Non-nil while a linked chain is being applied: how to put back what the chain changed.
    private var undoLog: [UndoRecord]?

    private enum UndoRecord {
        case account(Account)
        case insertedTransfer(TransferID)
        case pendingState(TransferID, previous: PendingTransferState?, previousChange: PendingTransferState?)
    }

    init(workingSet: LedgerWorkingSet, now: Instant) {
        self.workingSet = workingSet
        self.now = now
    }

    // MARK: - Batches and chains

    mutating func apply(_ requests: [TransferRequest]) -> [TransferResult] {
        var results = [TransferResult](repeating: .rejected(.linkedEventFailed), count: requests.count)
        var start = 0
        while start < requests.count {
            var end = start
            while end < requests.count - 1 && requests[end].isLinked { end += 1 }
            if requests[end].isLinked {
                results[end] = .rejected(.linkedEventChainOpen)
                break  // every earlier member of the open chain keeps `.linkedEventFailed`
            }
            if start == end {
                results[start] = applyOne(requests[start])
            } else {
                applyChain(requests[start...end], into: &results)
            }
            start = end + 1
        }
        return results
    }

    private mutating func applyChain(_ chain: ArraySlice<TransferRequest>, into results: inout [TransferResult]) {
        undoLog = []
        defer { undoLog = nil }
        for index in chain.indices {
            let result = applyOne(chain[index])
            results[index] = result
            guard case .rejected = result else { continue }
            rollBack()
            for other in chain.indices where other != index { results[other] = .rejected(.linkedEventFailed) }
            return
        }
    }

    private mutating func rollBack() {
        guard let log = undoLog else { return }
        for record in log.reversed() {
            switch record {
            case let .account(account):
                workingSet.accounts[account.id] = account
            case let .insertedTransfer(id):
                workingSet.transfers[id] = nil
                let removed = created.popLast()
                assert(removed?.id == id, "undo log out of order")
            case let .pendingState(id, previous, previousChange):
                workingSet.pendingStates[id] = previous
                changedPendingStates[id] = previousChange
            }
        }
        undoLog = []
    }

    // MARK: - One request

    private mutating func applyOne(_ request: TransferRequest) -> TransferResult {
        if let existing = workingSet.transfers[request.id] {
            if let field = request.firstDifferentField(from: existing.request) {
                return .rejected(.existsWithDifferentFields(field: field))
            }
            return .exists
        }
        if let reference = request.reference, let problem = LedgerKey.problem(with: reference) {
            return .rejected(.invalidReference(problem))
        }
        let outcome: Result<Transfer, TransferRejection>
        switch request.kind {
        case let .posted(debit, credit, amount):
            outcome = move(request, debit: debit, credit: credit, amount: amount, as: .posted)
        case let .pending(debit, credit, amount, timeout):
            outcome = expiry(of: timeout).flatMap {
                move(request, debit: debit, credit: credit, amount: amount, as: .pending(expiresAt: $0))
            }
        case let .postPending(pendingID, amount):
            outcome = resolve(request, pendingID: pendingID, postAmount: amount, void: false)
        case let .voidPending(pendingID):
            outcome = resolve(request, pendingID: pendingID, postAmount: nil, void: true)
        }
        switch outcome {
        case let .success(transfer):
            record(transfer)
            return .created
        case let .failure(rejection):
            return .rejected(rejection)
        }
    }

    private func expiry(of timeout: Duration?) -> Result<Instant?, TransferRejection> {
        guard let timeout else { return .success(nil) }
        let (seconds, attoseconds) = timeout.components
        guard attoseconds == 0, seconds > 0, timeout <= TransferRequest.timeoutMaximum else {
            let days = TransferRequest.timeoutMaximum.components.seconds / 86_400
            return .failure(.invalidTimeout("must be a whole number of seconds from 1 second to \(days) days"))
        }
        return .success(now.advanced(by: timeout))
    }

    /// How `move` changes the totals: posted now, or held until posted, voided or expired.
    private enum Movement {
        case posted
        case pending(expiresAt: Instant?)
    }

    /// A posted or pending transfer between two accounts.
    private mutating func move(
        _ request: TransferRequest, debit: AccountID, credit: AccountID, amount: Money, as movement: Movement
    ) -> Result<Transfer, TransferRejection> {
        guard amount.minorUnits > 0 else { return .failure(.amountMustBePositive) }
        guard debit != credit else { return .failure(.accountsMustBeDifferent) }
        var debitAccount: Account
        var creditAccount: Account
        switch accountPair(debit: debit, credit: credit, currency: amount.currency) {
        case let .success(pair): (debitAccount, creditAccount) = pair
        case let .failure(rejection): return .failure(rejection)
        }
        let units = amount.minorUnits
        let changed: Bool
        let expiresAt: Instant?
        switch movement {
        case .posted:
            changed = debitAccount.balance.debitsPosted.add(units) && creditAccount.balance.creditsPosted.add(units)
            expiresAt = nil
        case let .pending(expiry):
            changed = debitAccount.balance.debitsPending.add(units) && creditAccount.balance.creditsPending.add(units)
            expiresAt = expiry
        }
        if let rejection = check(changed, debitAccount, creditAccount) { return .failure(rejection) }
        update(debitAccount)
        update(creditAccount)
        return .success(Transfer(
            request: request, debitAccountID: debit, creditAccountID: credit, amount: amount, timestamp: now,
            expiresAt: expiresAt))
    }

    /// Posts (all or part of) or voids a pending transfer.
    private mutating func resolve(
        _ request: TransferRequest, pendingID: TransferID, postAmount: Money?, void: Bool
    ) -> Result<Transfer, TransferRejection> {
        let found = pendingTransfer(pendingID)
        guard case let .success(pending) = found else { return found }
        let held = pending.amount
        let amount = void ? held : (postAmount ?? held)
        guard amount.currency == held.currency else {
            return .failure(.currencyMismatch(
                account: pending.debitAccountID, accountCurrency: held.currency, transferCurrency: amount.currency))
        }
        guard amount.minorUnits > 0 else { return .failure(.amountMustBePositive) }
        guard amount.minorUnits <= held.minorUnits else {
            return .failure(.exceedsPendingAmount(pending: held, requested: amount))
        }
        guard var debitAccount = workingSet.accounts[pending.debitAccountID],
            var creditAccount = workingSet.accounts[pending.creditAccountID]
        else {
            preconditionFailure("the store must load the accounts of pending transfer \(pendingID)")
        }
        debitAccount.balance.debitsPending -= held.minorUnits
        creditAccount.balance.creditsPending -= held.minorUnits
        let changed = void || (debitAccount.balance.debitsPosted.add(amount.minorUnits)
            && creditAccount.balance.creditsPosted.add(amount.minorUnits))
        if let rejection = check(changed, debitAccount, creditAccount) { return .failure(rejection) }
        update(debitAccount)
        update(creditAccount)
        setPendingState(void ? .voided(by: request.id, at: now) : .posted(by: request.id, at: now), for: pendingID)
        return .success(Transfer(
            request: request, debitAccountID: pending.debitAccountID, creditAccountID: pending.creditAccountID,
            amount: amount, timestamp: now, expiresAt: nil))
    }

    // MARK: - Expiry

    /// Releases every pending transfer in `ids` that is still pending and past its timeout.
    mutating func expire(_ ids: [TransferID]) -> [TransferID] {
        var expired: [TransferID] = []
        for id in ids {
            guard case let .pending(expiresAt)? = workingSet.pendingStates[id], let expiresAt, expiresAt <= now,
                let pending = workingSet.transfers[id],
                var debitAccount = workingSet.accounts[pending.debitAccountID],
                var creditAccount = workingSet.accounts[pending.creditAccountID]
            else { continue }
            debitAccount.balance.debitsPending -= pending.amount.minorUnits
            creditAccount.balance.creditsPending -= pending.amount.minorUnits
            assert(debitAccount.balance.isWellFormed && creditAccount.balance.isWellFormed)
            update(debitAccount)
            update(creditAccount)
            setPendingState(.expired(at: now), for: id)
            expired.append(id)
        }
        return expired
    }

    // MARK: - Lookups and checks

    private func accountPair(
        debit: AccountID, credit: AccountID, currency: Currency
    ) -> Result<(Account, Account), TransferRejection> {
        guard let debitAccount = workingSet.accounts[debit] else { return .failure(.accountNotFound(debit)) }
        guard let creditAccount = workingSet.accounts[credit] else { return .failure(.accountNotFound(credit)) }
        for account in [debitAccount, creditAccount] where account.currency != currency {
            return .failure(.currencyMismatch(
                account: account.id, accountCurrency: account.currency, transferCurrency: currency))
        }
        return .success((debitAccount, creditAccount))
    }

    private func pendingTransfer(_ id: TransferID) -> Result<Transfer, TransferRejection> {
        guard let pending = workingSet.transfers[id] else { return .failure(.pendingTransferNotFound(id)) }
        guard pending.isPending else { return .failure(.notAPendingTransfer(id)) }
        switch workingSet.pendingStates[id] {
        case let .pending(expiresAt)?:
            if let expiresAt, expiresAt <= now { return .failure(.pendingTransferExpired(id)) }
            return .success(pending)
        case .posted?: return .failure(.pendingTransferAlreadyPosted(id))
        case .voided?: return .failure(.pendingTransferAlreadyVoided(id))
        case .expired?: return .failure(.pendingTransferExpired(id))
        case nil: preconditionFailure("the store must load the state of pending transfer \(id)")
        }
    }

    /// The rejection for new totals, if any: an overflow, or a broken balance constraint.
    private func check(_ addedWithoutOverflow: Bool, _ debit: Account, _ credit: Account) -> TransferRejection? {
        for account in [debit, credit] where !addedWithoutOverflow || !account.balance.isWellFormed {
            return .overflowsTotals(account.id)
        }
        if !debit.balance.satisfies(debit.flags.intersection(.debitsMustNotExceedCredits)) {
            return .exceedsCredits(debit.id)
        }
        if !credit.balance.satisfies(credit.flags.intersection(.creditsMustNotExceedDebits)) {
            return .exceedsDebits(credit.id)
        }
        return nil
    }

    // MARK: - Mutations, recorded for undo

    private mutating func update(_ account: Account) {
        if undoLog != nil, let previous = workingSet.accounts[account.id] { undoLog?.append(.account(previous)) }
        workingSet.accounts[account.id] = account
        if touchedAccountSet.insert(account.id).inserted { touchedAccounts.append(account.id) }
    }

    private mutating func record(_ transfer: Transfer) {
        undoLog?.append(.insertedTransfer(transfer.id))
        workingSet.transfers[transfer.id] = transfer
        created.append(transfer)
        if transfer.isPending { setPendingState(.pending(expiresAt: transfer.expiresAt), for: transfer.id) }
    }

    private mutating func setPendingState(_ state: PendingTransferState, for id: TransferID) {
        undoLog?.append(.pendingState(id, previous: workingSet.pendingStates[id], previousChange: changedPendingStates[id]))
        workingSet.pendingStates[id] = state
        changedPendingStates[id] = state
    }

    func changes() -> LedgerChanges {
        var changes = LedgerChanges()
        changes.createdTransfers = created
        changes.updatedAccounts = touchedAccounts.compactMap { workingSet.accounts[$0] }
        changes.pendingStates = changedPendingStates.map { ($0.key, $0.value) }
        return changes
    }
}

extension Int64 {
    /// Adds `amount` in place; returns false, leaving the value unchanged, when the sum would overflow.
    fileprivate mutating func add(_ amount: Int64) -> Bool {
        let (sum, overflow) = addingReportingOverflow(amount)
        if overflow { return false }
        self = sum
        return true
    }
}
