import PaylaterHTTP
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
///
/// Before any work, the key is looked up (`lookUp(on:)`): a replay, a reused key or a request still in flight is
/// answered from what is stored. The look-up goes into the handler's first read transaction, where it sees the
/// same snapshot as the handler's reads; a handler whose first access is a write has it read just before, and one
/// that touches nothing, before its answer is recorded. A transaction of its own for it cost every POST a read
/// transaction more (on SQLite, a reader whose page cache the writer's commits had emptied).
final class IdempotencyKeyClaim: Sendable {
    /// The claim of the request whose handler runs on this thread, if any.
    @TaskLocal static var current: IdempotencyKeyClaim?

    let owner: String
    let key: String
    let requestHash: String
    let at: Instant
    let staleAfter: Duration
    /// What is known of the key: nothing yet, free when last looked up, or claimed by a committed write (with the
    /// response that write stored, if any).
    private enum State {
        case unchecked
        case free
        case committed(storedResponse: HTTPResponse?)
    }

    private let state = Mutex(State.unchecked)
    /// Turns the first write's result into the request's response, for handlers whose response is made from that
    /// result alone (see `APIGuards.answer(_:render:)`); nil when the result is not of the expected type.
    private let responder = Mutex<(@Sendable (any Sendable) throws -> HTTPResponse?)?>(nil)

    init(owner: String, key: String, requestHash: String, at: Instant, staleAfter: Duration) {
        self.owner = owner
        self.key = key
        self.requestHash = requestHash
        self.at = at
        self.staleAfter = staleAfter
    }

    /// Whether a write that carried the claim has committed (the key is then in flight in the database).
    var isCommitted: Bool {
        state.withLock { if case .committed = $0 { true } else { false } }
    }

    /// The response the claiming write stored with its change, if it stored one.
    var storedResponse: HTTPResponse? {
        state.withLock { if case .committed(let response) = $0 { response } else { nil } }
    }

    /// Whether the key has yet to be looked up (see `lookUp(on:)`).
    var needsLookUp: Bool {
        state.withLock { if case .unchecked = $0 { true } else { false } }
    }

    /// Looks the key up inside the caller's transaction, read or write: throws `IdempotencyKeyTaken` when it holds
    /// an answer, another body's claim or a request in flight; otherwise notes it free (a stale claim counts as
    /// free, as `claim(on:)` takes it over).
    func lookUp(on connection: any SQLConnection) throws {
        if let known = try CheckoutRepository(connection).lookup(
            owner: owner, key: key, requestHash: requestHash, at: at, staleAfter: staleAfter)
        {
            throw IdempotencyKeyTaken(status: known)
        }
        state.withLock { if case .unchecked = $0 { $0 = .free } }
    }

    /// Claims the key inside the caller's transaction, completed with `response` if there is one to store;
    /// throws `IdempotencyKeyTaken` when it is not free.
    func claim(on connection: any SQLConnection, completing response: HTTPResponse? = nil) throws {
        let outcome = try CheckoutRepository(connection).claim(
            owner: owner, key: key, requestHash: requestHash, at: at, staleAfter: staleAfter,
            completing: response.map { ($0.status, String(decoding: $0.body, as: UTF8.self)) })
        if case .taken(let status) = outcome { throw IdempotencyKeyTaken(status: status) }
    }

    /// Claims the key after the write's body, completed with the response made of its `result` when there is one
    /// to store (see `complete(with:on:)`), in one row: for engines whose writers take turns, where nothing can
    /// see a claim before its transaction commits, so claiming it first would only write the row twice (an
    /// authorization's stored response made the second write about 2% of the single writer's instructions). If
    /// the key turns out taken, this throws and the transaction, the body's change with it, is rolled back, as a
    /// claim made first would have. Returns the response stored.
    func claimAfter(_ result: any Sendable, on connection: any SQLConnection) throws -> HTTPResponse? {
        let response = try storableResponse(for: result)
        try claim(on: connection, completing: response)
        return response
    }

    /// Asks the claiming write to store the response `render` makes of its result, in its own transaction.
    func respond<T: Sendable>(with render: @escaping @Sendable (T) throws -> HTTPResponse) {
        responder.withLock { $0 = { result in try (result as? T).map(render) } }
    }

    /// Completes the key with the response made of the claiming write's `result`, inside that write's
    /// transaction; returns the response, or nil when the handler made no responder for such a result. A server
    /// fault is never stored (a retry must run again).
    func complete(with result: any Sendable, on connection: any SQLConnection) throws -> HTTPResponse? {
        guard let response = try storableResponse(for: result) else { return nil }
        try CheckoutRepository(connection).complete(
            owner: owner, key: key, status: response.status, response: String(decoding: response.body, as: UTF8.self))
        return response
    }

    /// The response the handler makes of a write's `result`, if it made a responder for such a result and the
    /// response is not a server fault.
    private func storableResponse(for result: any Sendable) throws -> HTTPResponse? {
        guard let render = responder.withLock({ $0 }), let response = try render(result), response.status < 500 else {
            return nil
        }
        return response
    }

    func markCommitted(storing response: HTTPResponse?) {
        state.withLock { $0 = .committed(storedResponse: response) }
    }
}

/// The key of a request was found taken when its claim was written: answer as the stored claim says.
struct IdempotencyKeyTaken: Error {
    let status: IdempotencyKeyStatus
}

/// The database the API's services write through: the first write a request's handler commits also claims the
/// request's idempotency key (see `IdempotencyKeyClaim`), and, when the handler said how its response is made
/// from that write's result, stores the response too: such a request commits once. Reads, and writes outside a
/// request, pass through.
struct IdempotentWrites: Database {
    let base: any Database

    var dialect: any SQLDialect { base.dialect }

    func write<T: Sendable>(_ body: (any SQLConnection) throws -> T) throws -> T {
        guard let claim = IdempotencyKeyClaim.current, !claim.isCommitted else { return try base.write(body) }
        // Looked up by a read first, so that a replay does no write (a failed claim under group commit makes its
        // whole group run again with savepoints).
        if claim.needsLookUp { try base.read { connection in try claim.lookUp(on: connection) } }
        // Where writers take turns the claim is written after the body, with its response; elsewhere first, so
        // that a concurrent request with the same key waits on it before doing any work.
        let claimsAfter = base.dialect.writersTakeTurns
        let (result, response) = try base.write { connection in
            if !claimsAfter { try claim.claim(on: connection) }
            let result = try body(connection)
            if claimsAfter { return (result, try claim.claimAfter(result, on: connection)) }
            return (result, try claim.complete(with: result, on: connection))
        }
        claim.markCommitted(storing: response)
        return result
    }

    func read<T: Sendable>(_ body: (any SQLConnection) throws -> T) throws -> T {
        guard let claim = IdempotencyKeyClaim.current, claim.needsLookUp else { return try base.read(body) }
        return try base.read { connection in
            try claim.lookUp(on: connection)
            return try body(connection)
        }
    }
}
