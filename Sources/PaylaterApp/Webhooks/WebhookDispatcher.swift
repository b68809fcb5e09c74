import Foundation
public import PaylaterStore
public import PaylaterTime
import Synchronization

/// What one `deliverDue` round did.
public struct DispatchReport: Sendable, Hashable {
    /// Deliveries this round claimed and attempted.
    public var claimed: Int = 0
    /// Those the endpoint accepted (2xx): endpoint by endpoint in the order claimed, each endpoint's in the order
    /// they were sent.
    public var delivered: [WebhookDeliveryKey] = []
    /// Those that failed and are scheduled again.
    public var retrying: Int = 0
    /// Those that failed their last allowed attempt.
    public var dead: Int = 0

    public init() {}

    /// Adds what another part of the round did.
    mutating func add(_ other: DispatchReport) {
        claimed += other.claimed
        delivered += other.delivered
        retrying += other.retrying
        dead += other.dead
    }
}

/// One endpoint's share of a claim, in the order claimed. Its deliveries are sent one after another, never two at
/// once, so a slow endpoint holds up only itself.
public struct WebhookEndpointBatch: Sendable, Hashable {
    public let endpoint: WebhookEndpointKey
    public let deliveries: [ClaimedWebhookDelivery]
}

/// Sends due webhook deliveries: claim in one transaction, send outside any transaction, record each result in
/// another.
///
/// Different endpoints are sent to at once, up to `endpointsAtOnce` of them, each on a thread of its own (the
/// transport blocks for up to `timeout`), so an endpoint that hangs delays no other merchant. One endpoint's
/// deliveries go one at a time; an order's events reach an endpoint in sequence whatever the concurrency, because
/// a delivery is not claimed while an earlier event of its order is pending for that endpoint.
///
/// Delivery is at least once: a dispatcher that stops between sending and recording leaves the delivery claimed
/// until its lease lapses, and then it is sent again. Receivers deduplicate on `Paylater-Event-Id`.
public struct WebhookDispatcher: Sendable {
    public let database: any Database
    public let clock: any Clock
    public let transport: any WebhookTransport
    public let policy: WebhookRetryPolicy
    /// How long one request may take.
    public let timeout: Duration
    /// How long a claim holds its deliveries: longer than a whole round of `timeout`s.
    public let lease: Duration
    /// How many endpoints are sent to at once.
    public let endpointsAtOnce: Int
    private let random: JitterSource

    /// The most deliveries one round claims.
    public static let limitMaximum = 100
    /// The most endpoints sent to at once: threads that mostly wait, so a few more than the cores.
    public static let endpointsAtOnceMaximum = 8

    /// `random` draws the jitter: pass a seeded generator (`SplitMix64`) to replay a schedule.
    public init(
        database: any Database, clock: any Clock, transport: any WebhookTransport = HTTPWebhookTransport(),
        policy: WebhookRetryPolicy = WebhookRetryPolicy(), timeout: Duration = .seconds(10),
        lease: Duration = .seconds(1_800), endpointsAtOnce: Int = Self.endpointsAtOnceMaximum,
        random: any RandomNumberGenerator & Sendable = SystemRandomNumberGenerator()
    ) {
        precondition(timeout > .zero && lease > timeout * Self.limitMaximum, "the lease outlasts a full round of timeouts")
        precondition((1...Self.endpointsAtOnceMaximum).contains(endpointsAtOnce), "1 to \(Self.endpointsAtOnceMaximum) endpoints at once")
        self.database = database
        self.clock = clock
        self.transport = transport
        self.policy = policy
        self.timeout = timeout
        self.lease = lease
        self.endpointsAtOnce = endpointsAtOnce
        self.random = JitterSource(random)
    }

    /// Claims up to `limit` due deliveries, sends them (up to `endpointsAtOnce` endpoints at once), and records every
    /// attempt; returns when all are recorded.
    public func deliverDue(limit: Int = 50) throws -> DispatchReport {
        try send(claim(limit: limit))
    }

    /// Rounds of `deliverDue(limit:)` until one claims nothing, at most `roundsMaximum`: everything due now goes
    /// out, an order's queued events one after another (each round sends an order's next event only once the
    /// previous one is recorded). A failed delivery is due again only later, so the rounds end.
    public func deliverAllDue(limit: Int = Self.limitMaximum, roundsMaximum: Int = 100) throws -> DispatchReport {
        precondition(roundsMaximum >= 1, "at least one round")
        var total = DispatchReport()
        for _ in 0..<roundsMaximum {
            let round = try deliverDue(limit: limit)
            total.add(round)
            if round.claimed == 0 { break }
        }
        return total
    }

    /// Claims up to `limit` due deliveries, none to the endpoints in `excluding`, grouped by endpoint in the order
    /// claimed. The caller sends every batch before the lease lapses.
    public func claim(limit: Int, excluding: Set<WebhookEndpointKey> = []) throws -> [WebhookEndpointBatch] {
        precondition((1...Self.limitMaximum).contains(limit), "limit in 1...\(Self.limitMaximum)")
        let now = clock.now()
        let claimed = try database.write { connection in
            try WebhookRepository(connection).claimDue(
                at: now, limit: limit, leaseUntil: now.advanced(by: lease), excluding: excluding)
        }
        var order: [WebhookEndpointKey] = []
        var byEndpoint: [WebhookEndpointKey: [ClaimedWebhookDelivery]] = [:]
        for claim in claimed {
            let endpoint = claim.delivery.key.endpoint
            if byEndpoint[endpoint] == nil { order.append(endpoint) }
            byEndpoint[endpoint, default: []].append(claim)
        }
        return order.map { WebhookEndpointBatch(endpoint: $0, deliveries: byEndpoint[$0] ?? []) }
    }

    /// Sends `batches`, up to `endpointsAtOnce` at once, and waits for all of them. A failure to record an attempt
    /// is thrown once every batch has finished.
    public func send(_ batches: [WebhookEndpointBatch]) throws -> DispatchReport {
        let results = BoundedThreads.map(batches.count, width: endpointsAtOnce) { index in
            Result { try send(batches[index]) }
        }
        var report = DispatchReport()
        for result in results { report.add(try result.get()) }
        return report
    }

    /// Sends one endpoint's deliveries one after another, recording each. Once `proceeding` answers false (the
    /// server stopping), the deliveries not yet sent are given back, due again now (`release`).
    public func send(_ batch: WebhookEndpointBatch, while proceeding: () -> Bool = { true }) throws -> DispatchReport {
        var report = DispatchReport()
        report.claimed = batch.deliveries.count
        for (index, claim) in batch.deliveries.enumerated() {
            guard proceeding() else {
                try release(Array(batch.deliveries[index...]))
                break
            }
            switch try attempt(claim) {
            case .delivered: report.delivered.append(claim.delivery.key)
            case .pending: report.retrying += 1
            case .dead: report.dead += 1
            }
        }
        return report
    }

    /// Gives claimed deliveries back unsent: due again now, rather than when their lease lapses.
    public func release(_ claims: [ClaimedWebhookDelivery]) throws {
        let now = clock.now()
        try database.write { connection in try WebhookRepository(connection).releaseClaims(claims, at: now) }
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

/// Work spread over a few threads of its own: for blocking calls, which must stay off the cooperative pool.
enum BoundedThreads {
    /// `body(0)`, `body(1)`, ... `body(count - 1)` on up to `width` new threads, in index order; returns when all
    /// are done. One item, or a width of one, runs on the calling thread.
    static func map<T: Sendable>(_ count: Int, width: Int, _ body: @escaping @Sendable (Int) -> T) -> [T] {
        precondition(count >= 0 && width >= 1, "a count and at least one thread")
        guard count > 1, width > 1 else { return (0..<count).map(body) }
        let work = Work<T>(count)
        let done = DispatchGroup()
        for _ in 0..<min(width, count) {
            done.enter()
            Thread.detachNewThread {
                while let index = work.take() { work.store(body(index), at: index) }
                done.leave()
            }
        }
        done.wait()
        return work.results()
    }

    private final class Work<T: Sendable>: Sendable {
        private let count: Int
        private let next = Atomic<Int>(0)
        private let slots: Mutex<[T?]>

        init(_ count: Int) {
            self.count = count
            slots = Mutex([T?](repeating: nil, count: count))
        }

        func take() -> Int? {
            let index = next.wrappingAdd(1, ordering: .relaxed).oldValue
            return index < count ? index : nil
        }

        func store(_ value: T, at index: Int) { slots.withLock { $0[index] = value } }

        func results() -> [T] { slots.withLock { $0.map { $0! } } }
    }
}

/// The dispatcher's generator behind a lock, so that concurrent rounds draw from one sequence.
private final class JitterSource: Sendable {
    private let generator: Mutex<any RandomNumberGenerator & Sendable>

    init(_ generator: any RandomNumberGenerator & Sendable) { self.generator = Mutex(generator) }

    func next() -> Double { generator.withLock { WebhookRetryPolicy.jitter(using: &$0) } }
}
