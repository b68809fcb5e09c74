import PaylaterStore
import PaylaterTime
import Synchronization

/// A request's claim on its `Idempotency-Key`, written in the same transaction as the request's first write.
///
/// Claiming the key in a transaction of its own, before the handler, cost every POST one more durable commit
/// (and, under group commit, one more wait for a group). Bound to the request while its handler runs, the claim
/// instead goes out at the start of the handler's first write: the business change and the claim commit together
/// or not at all. If the key turns out taken (a concurrent request with the same key, or one that completed in
/// the meantime), that write fails with `IdempotencyKeyTaken` and changes nothing.
final class IdempotencyKeyClaim: Sendable {
    /// The claim of the request whose handler runs on this thread, if any.
    @TaskLocal static var current: IdempotencyKeyClaim?

    let owner: String
    let key: String
    let requestHash: String
    let at: Instant
    let staleAfter: Duration
    private let committed = Atomic<Bool>(false)

    init(owner: String, key: String, requestHash: String, at: Instant, staleAfter: Duration) {
        self.owner = owner
        self.key = key
        self.requestHash = requestHash
        self.at = at
        self.staleAfter = staleAfter
    }

    /// Whether a write that carried the claim has committed (the key is then in flight in the database).
    var isCommitted: Bool { committed.load(ordering: .acquiring) }

    /// Claims the key inside the caller's transaction; throws `IdempotencyKeyTaken` when it is not free.
    func claim(on connection: any SQLConnection) throws {
        let outcome = try CheckoutRepository(connection).claim(
            owner: owner, key: key, requestHash: requestHash, at: at, staleAfter: staleAfter)
        if case .taken(let status) = outcome { throw IdempotencyKeyTaken(status: status) }
    }

    func markCommitted() { committed.store(true, ordering: .releasing) }
}

/// The key of a request was found taken when its claim was written: answer as the stored claim says.
struct IdempotencyKeyTaken: Error {
    let status: IdempotencyKeyStatus
}

/// The database the API's services write through: the first write a request's handler commits also claims the
/// request's idempotency key (see `IdempotencyKeyClaim`). Reads, and writes outside a request, pass through.
struct IdempotentWrites: Database {
    let base: any Database

    var dialect: any SQLDialect { base.dialect }

    func write<T: Sendable>(_ body: (any SQLConnection) throws -> T) throws -> T {
        guard let claim = IdempotencyKeyClaim.current, !claim.isCommitted else { return try base.write(body) }
        let result = try base.write { connection in
            try claim.claim(on: connection)
            return try body(connection)
        }
        claim.markCommitted()
        return result
    }

    func read<T: Sendable>(_ body: (any SQLConnection) throws -> T) throws -> T {
        try base.read(body)
    }
}
