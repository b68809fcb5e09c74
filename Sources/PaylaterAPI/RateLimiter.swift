import Synchronization
public import PaylaterTime

/// A token bucket per caller (merchant): `burst` requests at once, refilled at `perSecond`. In memory and per
/// process: behind a load balancer each node limits on its own, which bounds the total at nodes × rate.
public final class RateLimiter: Sendable {
    public let perSecond: Double
    public let burst: Double
    private let buckets = Mutex<[String: (tokens: Double, at: Instant)]>([:])

    public init(perSecond: Double = 200, burst: Double = 400) {
        precondition(perSecond > 0 && burst >= 1, "a rate limiter needs a positive rate and a burst of at least 1")
        self.perSecond = perSecond
        self.burst = burst
    }

    /// Takes one token for `caller` at `now`; returns nil when allowed, or the whole seconds to wait.
    public func take(_ caller: String, at now: Instant) -> Int? {
        buckets.withLock { buckets in
            var bucket = buckets[caller] ?? (burst, now)
            let elapsed = bucket.at.duration(to: now).inSeconds
            bucket.tokens = min(burst, bucket.tokens + max(0, elapsed) * perSecond)
            bucket.at = now
            guard bucket.tokens >= 1 else {
                buckets[caller] = bucket
                return max(1, Int(((1 - bucket.tokens) / perSecond).rounded(.up)))
            }
            bucket.tokens -= 1
            buckets[caller] = bucket
            return nil
        }
    }
}
