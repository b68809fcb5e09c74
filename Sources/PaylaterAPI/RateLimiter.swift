import Synchronization
public import PaylaterTime

/// A token bucket per caller (a merchant, a shopper, a client address): `burst` requests at once, refilled at
/// `perSecond`. In memory and per process: behind a load balancer each node limits on its own, which bounds the total
/// at nodes × rate. At most `capacity` callers are tracked: a full table first forgets the callers whose buckets
/// have refilled (they hold nothing a new bucket would not), then everyone.
public final class RateLimiter: Sendable {
    public let perSecond: Double
    public let burst: Double
    public let capacity: Int
    private let buckets = Mutex<[String: (tokens: Double, at: Instant)]>([:])

    public init(perSecond: Double = 200, burst: Double = 400, capacity: Int = 100_000) {
        precondition(perSecond > 0 && burst >= 1, "a rate limiter needs a positive rate and a burst of at least 1")
        precondition(capacity > 0, "a rate limiter tracks at least one caller")
        self.perSecond = perSecond
        self.burst = burst
        self.capacity = capacity
    }

    /// Takes one token for `caller` at `now`; returns nil when allowed, or the whole seconds to wait.
    public func take(_ caller: String, at now: Instant) -> Int? {
        buckets.withLock { buckets in
            var bucket = refilled(buckets[caller], at: now)
            defer { store(bucket, for: caller, in: &buckets, at: now) }
            guard bucket.tokens >= 1 else { return wait(bucket) }
            bucket.tokens -= 1
            return nil
        }
    }

    /// Whether `caller` has no token left at `now`, without taking one: the whole seconds to wait, or nil.
    public func refusal(_ caller: String, at now: Instant) -> Int? {
        buckets.withLock { buckets in
            guard let stored = buckets[caller] else { return nil }
            let bucket = refilled(stored, at: now)
            return bucket.tokens >= 1 ? nil : wait(bucket)
        }
    }

    private func refilled(_ bucket: (tokens: Double, at: Instant)?, at now: Instant) -> (tokens: Double, at: Instant) {
        guard let bucket else { return (burst, now) }
        let elapsed = bucket.at.duration(to: now).inSeconds
        return (min(burst, bucket.tokens + max(0, elapsed) * perSecond), now)
    }

    private func wait(_ bucket: (tokens: Double, at: Instant)) -> Int {
        max(1, Int(((1 - bucket.tokens) / perSecond).rounded(.up)))
    }

    private func store(
        _ bucket: (tokens: Double, at: Instant), for caller: String,
        in buckets: inout [String: (tokens: Double, at: Instant)], at now: Instant
    ) {
        if buckets[caller] == nil, buckets.count >= capacity {
            buckets = buckets.filter { refilled($0.value, at: now).tokens < burst }
            if buckets.count >= capacity { buckets.removeAll(keepingCapacity: true) }
        }
        buckets[caller] = bucket
    }
}
