public import PaylaterStore
public import PaylaterTime
import Synchronization

/// What one `deliverDue` round did.
public struct DispatchReport: Sendable, Hashable {
    /// Deliveries this round claimed and attempted.
    public var claimed: Int = 0
    /// Those the endpoint accepted (2xx), in the order they were sent.
    public var delivered: [WebhookDeliveryKey] = []
    /// Those that failed and are scheduled again.
    public var retrying: Int = 0
    /// Those that failed their last allowed attempt.
    public var dead: Int = 0

    public init() {}
}

/// Sends due webhook deliveries: claim in one transaction, send outside any transaction, record each result in
/// another.
///
/// Delivery is at least once: a dispatcher that stops between sending and recording leaves the delivery claimed
/// until its lease lapses, and then it is sent again. Receivers deduplicate on `Paylater-Event-Id`. Run one or more
/// dispatchers on their own threads (the transport blocks).
public struct WebhookDispatcher: Sendable {
    public let database: any Database
    public let clock: any Clock
    public let transport: any WebhookTransport
    public let policy: WebhookRetryPolicy
    /// How long one request may take.
    public let timeout: Duration
    /// How long a claim holds its deliveries: longer than a whole round of `timeout`s.
    public let lease: Duration
    private let random: JitterSource

    /// The most deliveries one round claims.
    public static let limitMaximum = 100

    /// `random` draws the jitter: pass a seeded generator (`SplitMix64`) to replay a schedule.
    public init(
        database: any Database, clock: any Clock, transport: any WebhookTransport = HTTPWebhookTransport(),
        policy: WebhookRetryPolicy = WebhookRetryPolicy(), timeout: Duration = .seconds(10),
        lease: Duration = .seconds(1_800), random: any RandomNumberGenerator & Sendable = SystemRandomNumberGenerator()
    ) {
        precondition(timeout > .zero && lease > timeout * Self.limitMaximum, "the lease outlasts a full round of timeouts")
        self.database = database
        self.clock = clock
        self.transport = transport
        self.policy = policy
        self.timeout = timeout
        self.lease = lease
        self.random = JitterSource(random)
    }

    /// Claims up to `limit` due deliveries, sends each, and records every attempt.
    public func deliverDue(limit: Int = 50) throws -> DispatchReport {
        precondition((1...Self.limitMaximum).contains(limit), "limit in 1...\(Self.limitMaximum)")
        let now = clock.now()
        let claimed = try database.write { connection in
            try WebhookRepository(connection).claimDue(at: now, limit: limit, leaseUntil: now.advanced(by: lease))
        }
        var report = DispatchReport()
        report.claimed = claimed.count
        for claim in claimed {
            let state = try attempt(claim)
            switch state {
            case .delivered: report.delivered.append(claim.delivery.key)
            case .pending: report.retrying += 1
            case .dead: report.dead += 1
            }
        }
        return report
    }

    /// Sends one claimed delivery and records the outcome; returns the delivery's new state.
    private func attempt(_ claim: ClaimedWebhookDelivery) throws -> WebhookDeliveryState {
        let body = WebhookPayload.body(of: claim.event)
        let startedAt = clock.now()
        let headers: [(name: String, value: String)] = [
            ("Content-Type", "application/json"),
            ("Paylater-Event-Id", claim.event.id),
            (WebhookSignature.headerName, WebhookSignature.header(body: body, secret: claim.secret, at: startedAt)),
        ]
        let started = ContinuousClock.now
        let result = transport.post(url: claim.url, headers: headers, body: body, timeout: timeout)
        let duration = ContinuousClock.now - started
        let (status, error): (Int?, String?) =
            switch result {
            case let .success(code): (code, (200...299).contains(code) ? nil : "HTTP \(code)")
            case let .failure(failure): (nil, failure.description)
            }
        let jitter = random.next()
        return try database.write { connection in
            let repository = WebhookRepository(connection)
            guard var delivery = try repository.delivery(claim.delivery.key, forUpdate: true) else {
                throw StoreError.inconsistent("claimed webhook delivery \(claim.delivery.key) vanished")
            }
            let finishedAt = clock.now()
            delivery.attempts += 1
            delivery.lastStatus = status
            delivery.lastError = error
            if delivery.state == .pending {
                if error == nil {
                    delivery.state = .delivered
                    delivery.deliveredAt = finishedAt
                    delivery.nextAttemptAt = nil
                } else if delivery.attempts >= policy.attemptsMaximum {
                    delivery.state = .dead
                    delivery.nextAttemptAt = nil
                } else {
                    delivery.nextAttemptAt = finishedAt.advanced(
                        by: policy.delay(afterAttempt: delivery.attempts, jitter: jitter))
                }
            }
            try repository.record(
                WebhookAttemptRecord(
                    key: delivery.key, attempt: delivery.attempts, startedAt: startedAt, duration: duration,
                    status: status, error: error),
                updated: delivery)
            return delivery.state
        }
    }
}

/// The dispatcher's generator behind a lock, so that concurrent rounds draw from one sequence.
private final class JitterSource: Sendable {
    private let generator: Mutex<any RandomNumberGenerator & Sendable>

    init(_ generator: any RandomNumberGenerator & Sendable) { self.generator = Mutex(generator) }

    func next() -> Double { generator.withLock { WebhookRetryPolicy.jitter(using: &$0) } }
}
