import PaylaterMoney
public import PaylaterTime

/// Applies batches of transfer requests to a working set: the ledger's rules in one place, free of I/O.
///
/// Semantics follow TigerBeetle: each request succeeds or fails on its own unless it is linked, in which case the
/// whole chain succeeds or fails as one; a request whose id was already used returns `exists` when its fields are
/// the same and is rejected otherwise; requests see the effects of earlier requests in the same batch.
public enum LedgerEngine {
    /// The most requests one batch may hold; bounds memory and transaction length.
    public static let batchSizeMaximum = 10_000

    /// The transfer ids a store must load before `apply`: the requests' own ids and the holds they resolve.
    public static func transferIDsToLoad(for requests: [TransferRequest]) -> Set<TransferID> {
        var ids = Set<TransferID>(minimumCapacity: requests.count)
        for request in requests {
            ids.insert(request.id)
            if let pendingID = request.kind.pendingID { ids.insert(pendingID) }
        }
        return ids
    }

    /// The account ids a store must load (and lock) before `apply`, given the transfers it loaded.
    public static func accountIDsToLoad(
        for requests: [TransferRequest], loadedTransfers: [TransferID: Transfer]
    ) -> Set<AccountID> {
        var ids = Set<AccountID>(minimumCapacity: requests.count * 2)
        for request in requests {
            switch request.kind {
            case let .posted(debit, credit, _), let .pending(debit, credit, _, _):
                ids.insert(debit)
                ids.insert(credit)
            case let .postPending(pendingID, _), let .voidPending(pendingID):
                if let pending = loadedTransfers[pendingID] {
                    ids.insert(pending.debitAccountID)
                    ids.insert(pending.creditAccountID)
                }
            }
        }
        for transfer in loadedTransfers.values {
            ids.insert(transfer.debitAccountID)
            ids.insert(transfer.creditAccountID)
        }
        return ids
    }

    /// Applies `requests` in order at time `now`, after releasing the pending transfers in `dueForExpiry` whose
    /// timeout has passed. The working set must hold every account and transfer the requests name.
    public static func apply(
        _ requests: [TransferRequest], to workingSet: LedgerWorkingSet, at now: Instant,
        expiring dueForExpiry: [TransferID] = []
    ) -> LedgerBatchOutcome {
        precondition(requests.count <= batchSizeMaximum, "batch of \(requests.count) exceeds the maximum")
        var applier = BatchApplier(workingSet: workingSet, now: now)
        let expired = applier.expire(dueForExpiry)
        let results = applier.apply(requests)
        return LedgerBatchOutcome(results: results, changes: applier.changes(), expiredPendingTransfers: expired)
    }
}
