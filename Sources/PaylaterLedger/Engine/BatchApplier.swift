import PaylaterMoney
import PaylaterTime

/// The mutable state of one batch being applied, with an undo log for linked chains.
///
/// Accounts live in an array for the batch's duration, addressed by slot: a request looks its two accounts up once
/// and then updates their totals in place, which keeps the per-transfer cost to a few hash lookups.
struct BatchApplier {
    private let now: Instant
    /// The batch's accounts, by slot; only their balances change.
    private var accounts: [Account]
    private let slots: [AccountID: Int]
    /// Slots in the order the batch first touched them (deterministic for a given batch).
    private var touchedSlots: [Int] = []
    private var isTouched: [Bool]
    private var transfers: [TransferID: Transfer]
    private var pendingStates: [TransferID: PendingTransferState]
    private var created: [Transfer] = []
    private var changedPendingStates: [TransferID: PendingTransferState] = [:]
    /// Non-nil while a linked chain is being applied: how to put back what the chain changed.
    private var undoLog: [UndoRecord]?

    private enum UndoRecord {
        case balance(slot: Int, AccountBalance)
        case insertedTransfer(TransferID)
        case pendingState(TransferID, previous: PendingTransferState?, previousChange: PendingTransferState?)
    }

    init(workingSet: LedgerWorkingSet, now: Instant) {
        self.now = now
        accounts = Array(workingSet.accounts.values)
        var slots = [AccountID: Int](minimumCapacity: accounts.count)
        for (slot, account) in accounts.enumerated() { slots[account.id] = slot }
        self.slots = slots
        isTouched = [Bool](repeating: false, count: accounts.count)
        transfers = workingSet.transfers
        pendingStates = workingSet.pendingStates
    }

    // MARK: - Batches and chains

    mutating func apply(_ requests: [TransferRequest]) -> [TransferResult] {
        transfers.reserveCapacity(transfers.count + requests.count)
        created.reserveCapacity(requests.count)
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
            case let .balance(slot, balance):
                accounts[slot].balance = balance
            case let .insertedTransfer(id):
                transfers[id] = nil
                let removed = created.popLast()
                assert(removed?.id == id, "undo log out of order")
            case let .pendingState(id, previous, previousChange):
                pendingStates[id] = previous
                changedPendingStates[id] = previousChange
            }
        }
        undoLog = []
    }

    // MARK: - One request

    private mutating func applyOne(_ request: TransferRequest) -> TransferResult {
        if let existing = transfers[request.id] {
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
        let (debitSlot, creditSlot): (Int, Int)
        switch slotPair(debit: debit, credit: credit, currency: amount.currency) {
        case let .success(pair): (debitSlot, creditSlot) = pair
        case let .failure(rejection): return .failure(rejection)
        }
        var debitBalance = accounts[debitSlot].balance
        var creditBalance = accounts[creditSlot].balance
        let units = amount.minorUnits
        let added: Bool
        let expiresAt: Instant?
        switch movement {
        case .posted:
            added = debitBalance.debitsPosted.add(units) && creditBalance.creditsPosted.add(units)
            expiresAt = nil
        case let .pending(expiry):
            added = debitBalance.debitsPending.add(units) && creditBalance.creditsPending.add(units)
            expiresAt = expiry
        }
        if let rejection = check(added, debitSlot, debitBalance, creditSlot, creditBalance) { return .failure(rejection) }
        setBalance(debitBalance, of: debitSlot)
        setBalance(creditBalance, of: creditSlot)
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
        guard let debitSlot = slots[pending.debitAccountID], let creditSlot = slots[pending.creditAccountID] else {
            preconditionFailure("the store must load the accounts of pending transfer \(pendingID)")
        }
        var debitBalance = accounts[debitSlot].balance
        var creditBalance = accounts[creditSlot].balance
        debitBalance.debitsPending -= held.minorUnits
        creditBalance.creditsPending -= held.minorUnits
        let added = void
            || (debitBalance.debitsPosted.add(amount.minorUnits) && creditBalance.creditsPosted.add(amount.minorUnits))
        if let rejection = check(added, debitSlot, debitBalance, creditSlot, creditBalance) { return .failure(rejection) }
        setBalance(debitBalance, of: debitSlot)
        setBalance(creditBalance, of: creditSlot)
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
            guard case let .pending(expiresAt)? = pendingStates[id], let expiresAt, expiresAt <= now,
                let pending = transfers[id],
                let debitSlot = slots[pending.debitAccountID], let creditSlot = slots[pending.creditAccountID]
            else { continue }
            var debitBalance = accounts[debitSlot].balance
            var creditBalance = accounts[creditSlot].balance
            debitBalance.debitsPending -= pending.amount.minorUnits
            creditBalance.creditsPending -= pending.amount.minorUnits
            assert(debitBalance.isWellFormed && creditBalance.isWellFormed)
            setBalance(debitBalance, of: debitSlot)
            setBalance(creditBalance, of: creditSlot)
            setPendingState(.expired(at: now), for: id)
            expired.append(id)
        }
        return expired
    }

    // MARK: - Lookups and checks

    private func slotPair(
        debit: AccountID, credit: AccountID, currency: Currency
    ) -> Result<(Int, Int), TransferRejection> {
        guard let debitSlot = slots[debit] else { return .failure(.accountNotFound(debit)) }
        guard let creditSlot = slots[credit] else { return .failure(.accountNotFound(credit)) }
        for slot in [debitSlot, creditSlot] where accounts[slot].currency != currency {
            return .failure(.currencyMismatch(
                account: accounts[slot].id, accountCurrency: accounts[slot].currency, transferCurrency: currency))
        }
        return .success((debitSlot, creditSlot))
    }

    private func pendingTransfer(_ id: TransferID) -> Result<Transfer, TransferRejection> {
        guard let pending = transfers[id] else { return .failure(.pendingTransferNotFound(id)) }
        guard pending.isPending else { return .failure(.notAPendingTransfer(id)) }
        switch pendingStates[id] {
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
    private func check(
        _ addedWithoutOverflow: Bool, _ debitSlot: Int, _ debit: AccountBalance, _ creditSlot: Int, _ credit: AccountBalance
    ) -> TransferRejection? {
        if !addedWithoutOverflow || !debit.isWellFormed { return .overflowsTotals(accounts[debitSlot].id) }
        if !credit.isWellFormed { return .overflowsTotals(accounts[creditSlot].id) }
        if !debit.satisfies(accounts[debitSlot].flags.intersection(.debitsMustNotExceedCredits)) {
            return .exceedsCredits(accounts[debitSlot].id)
        }
        if !credit.satisfies(accounts[creditSlot].flags.intersection(.creditsMustNotExceedDebits)) {
            return .exceedsDebits(accounts[creditSlot].id)
        }
        return nil
    }

    // MARK: - Mutations, recorded for undo

    private mutating func setBalance(_ balance: AccountBalance, of slot: Int) {
        undoLog?.append(.balance(slot: slot, accounts[slot].balance))
        accounts[slot].balance = balance
        if !isTouched[slot] {
            isTouched[slot] = true
            touchedSlots.append(slot)
        }
    }

    private mutating func record(_ transfer: Transfer) {
        undoLog?.append(.insertedTransfer(transfer.id))
        transfers[transfer.id] = transfer
        created.append(transfer)
        if transfer.isPending { setPendingState(.pending(expiresAt: transfer.expiresAt), for: transfer.id) }
    }

    private mutating func setPendingState(_ state: PendingTransferState, for id: TransferID) {
        undoLog?.append(.pendingState(id, previous: pendingStates[id], previousChange: changedPendingStates[id]))
        pendingStates[id] = state
        changedPendingStates[id] = state
    }

    func changes() -> LedgerChanges {
        var changes = LedgerChanges()
        changes.createdTransfers = created
        changes.updatedAccounts = touchedSlots.map { accounts[$0] }
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
