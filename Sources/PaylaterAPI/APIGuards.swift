import PaylaterApp
import PaylaterCrypto
import PaylaterHTTP
import PaylaterLedger
import PaylaterStore
import PaylaterTime

/// The steps in front of every handler: authentication, rate limiting, idempotency keys on POST, and turning the
/// application's errors into problem documents.
struct APIGuards: Sendable {
    let services: APIServices

    /// Claims older than this whose request never finished are taken over by a retry.
    static let idempotencyStaleAfter = Duration.seconds(60)
    /// A claim younger than this is most likely its request still running (a request is expected to finish within
    /// the stop's grace), so a duplicate is told to retry in a second; an older one was probably cut short by a crash,
    /// and a duplicate is told when the claim lapses.
    static let idempotencyInFlightYoung = APIServer.stopGrace
    /// Keys are kept at least this long.
    static let idempotencyRetention = Duration.seconds(86_400)

    typealias MerchantHandler = @Sendable (HTTPRequest, PathParameters, MerchantProfile) throws -> HTTPResponse
    typealias ConsumerHandler = @Sendable (HTTPRequest, PathParameters, ConsumerID) throws -> HTTPResponse

    /// A merchant route: `Authorization: Bearer <API key>`, rate limited per merchant; POSTs need an
    /// `Idempotency-Key`.
    ///
    /// Keys not found are limited per client address (`APIServices.failedAuthentications`): each costs a read of the
    /// store, and a flood of guesses would be as many reads. Once an address has used up its failures, a key that
    /// must be looked up is answered 429 without the read, until the budget refills; a merchant found recently (still
    /// remembered, no read needed) goes on being served from that address.
    func merchant(_ handler: @escaping MerchantHandler) -> Router.Handler {
        { request, parameters in
            let unauthorized = HTTPProblem.unauthorized(detail: "send the merchant API key as 'Authorization: Bearer <key>'")
            guard let token = try Self.bearer(request) else { throw unauthorized }
            let merchant: MerchantProfile
            if let remembered = services.merchants.remembered(apiKey: token) {
                merchant = remembered
            } else {
                let address = request.remoteAddress, now = services.clock.now()
                if let wait = services.failedAuthentications.refusal(address, at: now) {
                    throw HTTPProblem.rateLimited(
                        retryAfterSeconds: wait,
                        detail: "too many requests with unknown API keys from this address; retry after \(wait) s")
                }
                // Mapped: a store that cannot be read to check the key is a 503, not a server fault.
                guard let found = try Self.mapped({ try services.merchants.authenticate(apiKey: token) }) else {
                    _ = services.failedAuthentications.take(address, at: now)
                    throw unauthorized
                }
                merchant = found
            }
            return try limited(request, owner: "merchant:" + merchant.id.rawValue) {
                try handler(request, parameters, merchant)
            }
        }
    }

    /// A shopper's self-service route: `Authorization: Bearer <consumer token>`.
    func consumer(_ handler: @escaping ConsumerHandler) -> Router.Handler {
        { request, parameters in
            guard let token = try Self.bearer(request), let consumer = services.consumerTokens.verify(token) else {
                throw HTTPProblem.unauthorized(detail: "send a valid shopper token as 'Authorization: Bearer <token>'")
            }
            return try limited(request, owner: "consumer:" + consumer.rawValue) {
                try handler(request, parameters, consumer)
            }
        }
    }

    /// The steps after authentication: the caller's rate limit, then `run`, both at one reading of the clock.
    private func limited(
        _ request: HTTPRequest, owner: String, _ body: () throws -> HTTPResponse
    ) throws -> HTTPResponse {
        let now = services.clock.now()
        if let wait = services.rateLimiter.take(owner, at: now) {
            throw HTTPProblem.rateLimited(retryAfterSeconds: wait, detail: "too many requests; retry after \(wait) s")
        }
        return try run(request, owner: owner, at: now, body)
    }

    /// Runs a handler; a POST goes through its idempotency key first, claimed at `now` (the request's arrival).
    private func run(
        _ request: HTTPRequest, owner: String, at now: Instant, _ body: () throws -> HTTPResponse
    ) throws -> HTTPResponse {
        guard request.method == .post || request.method == .put else { return answeredFromReads(try Self.mapped(body)) }
        guard let key = try request.headers.onlyValue(for: "Idempotency-Key"), (1...255).contains(key.utf8.count),
            key.utf8.allSatisfy({ (0x21...0x7E).contains($0) })
        else {
            throw HTTPProblem(
                .idempotencyKeyRequired,
                detail: "every POST and PUT needs an 'Idempotency-Key' header of 1 to 255 visible ASCII characters",
                field: "Idempotency-Key")
        }
        let hash = SHA256.hash(Array("\(request.method) \(request.path)\n".utf8) + request.body).hex
        // A replay, a reused key or a request still in flight is answered from a read, before any work: the
        // handler's first read looks the key up, and its first write claims it, in their transactions
        // (IdempotentWrites); either throws IdempotencyKeyTaken when the key is not free.
        let claim = IdempotencyKeyClaim(
            owner: owner, key: key, requestHash: hash, at: now, staleAfter: Self.idempotencyStaleAfter)
        let response: HTTPResponse
        do {
            do {
                response = try IdempotencyKeyClaim.$current.withValue(claim) { try Self.mapped(body) }
            } catch let problem as HTTPProblem {
                response = problem.response
            }
            // A handler that read nothing (a refusal of the request itself): the key's answer, if it has one.
            if claim.needsLookUp { try services.database.read { connection in try claim.lookUp(on: connection) } }
        } catch let taken as IdempotencyKeyTaken {
            return answeredFromReads(try Self.answer(taken.status, key: key, at: now))
        } catch {
            if claim.isCommitted {
                try? services.database.write { connection in
                    try CheckoutRepository(connection).release(owner: owner, key: key)
                }
            }
            throw error
        }
        if claim.storedResponse == nil { try record(response, of: claim) }
        return response
    }

    /// `response`, made from reads alone (no write of the request's own, whose acknowledgement would cover what it
    /// read), once every commit those reads could have seen is durable: on the embedded store a commit is readable
    /// during its WAL sync, and a power cut then would take back what the response told (see
    /// `ShowsCommitsBeforeDurable`).
    private func answeredFromReads(_ response: HTTPResponse) -> HTTPResponse {
        (services.database as? any ShowsCommitsBeforeDurable)?.waitForVisibleCommitsToBeDurable()
        return response
    }

    /// Answers a request whose response is made from one write's result alone: `perform` runs that write (its
    /// first), and the response `render` makes of its result is stored under the request's idempotency key in
    /// the same transaction, so the request commits once instead of twice. Without a key (GET), or when the
    /// first write's result is of another type, the response is made after the write and recorded as usual.
    static func answer<T: Sendable>(
        _ perform: () throws -> T, render: @escaping @Sendable (T) throws -> HTTPResponse
    ) throws -> HTTPResponse {
        let claim = IdempotencyKeyClaim.current
        claim?.respond(with: render)
        let result = try perform()
        return try claim?.storedResponse ?? render(result)
    }

    /// Stores a request's response under its key: a server fault forgets the claim, so a retry runs again. When
    /// the handler committed no write (a refusal before any change), the key is claimed here first; if another
    /// request took it meanwhile, that one's response is the one kept.
    private func record(_ response: HTTPResponse, of claim: IdempotencyKeyClaim) throws {
        guard claim.isCommitted || response.status < 500 else { return }
        try services.database.write { connection in
            let repository = CheckoutRepository(connection)
            if response.status >= 500 {
                try repository.release(owner: claim.owner, key: claim.key)
                return
            }
            if !claim.isCommitted {
                let outcome = try repository.claim(
                    owner: claim.owner, key: claim.key, requestHash: claim.requestHash, at: claim.at,
                    staleAfter: claim.staleAfter)
                guard case .claimed = outcome else { return }
            }
            try repository.complete(
                owner: claim.owner, key: claim.key, status: response.status,
                response: String(decoding: response.body, as: UTF8.self))
        }
    }

    /// The answer a taken key gives: its stored response, or a problem.
    private static func answer(_ held: IdempotencyKeyStatus, key: String, at now: Instant) throws -> HTTPResponse {
        switch held {
        case .completed(let status, let response):
            var stored = HTTPResponse(
                status: status,
                headers: ["Content-Type": status >= 400 ? "application/problem+json" : "application/json"],
                body: Array(response.utf8))
            stored.headers.add(name: "Idempotent-Replayed", value: "true")
            return stored
        case .inFlight(let since):
            // A young claim's request is most likely still running and answers in moments: retry in a second. The
            // claim lapses `idempotencyStaleAfter` after it was made: a request cut short by a crash holds the key
            // until then, and a retry after it runs (or finds) the operation exactly once.
            let running = since.duration(to: now) < idempotencyInFlightYoung
            let lapsesAt = since.advanced(by: idempotencyStaleAfter)
            let wait = running ? 1 : max(1, Int((now.duration(to: lapsesAt).inSeconds).rounded(.up)))
            throw HTTPProblem(
                .idempotencyInFlight,
                detail: "a request with Idempotency-Key '\(key)' is still being processed (since \(since)); retry in "
                    + (running ? "1 s" : "\(wait) s at the latest, when a request cut short would have lapsed"),
                headers: ["Retry-After": String(wait)])
        case .mismatch:
            throw HTTPProblem(
                .idempotencyMismatch, detail: "Idempotency-Key '\(key)' was used with a different request body or path",
                field: "Idempotency-Key")
        }
    }

    /// Runs `body`, turning application errors into their problems; anything else stays a server fault.
    static func mapped<Result>(_ body: () throws -> Result) throws -> Result {
        do { return try body() } catch {
            if let problem = ProblemMapping.problem(for: error) { throw problem }
            throw error
        }
    }

    /// The credential of `Authorization: Bearer <credential>`, the scheme in any case (RFC 9110 §11.1); `nil`
    /// without one, and 400 when `Authorization` is given twice.
    private static func bearer(_ request: HTTPRequest) throws(HTTPProblem) -> String? {
        guard let header = try request.headers.onlyValue(for: "Authorization"),
            let space = header.utf8.firstIndex(of: UInt8(ascii: " ")),
            String(header[..<space]).caseInsensitiveEquals("Bearer")
        else { return nil }
        return String(header[space...].trimmingOptionalWhitespace())
    }
}
