/// When a failed delivery is tried again: `min(delayMaximum, baseDelay · 2^(attempt−1))` scaled by a jitter in
/// [0.5, 1.0), and never after `attemptsMaximum` attempts.
///
/// The defaults (5 minutes doubling to a day, 12 attempts) spread the retries over about 2 to 4 days, 3 on average.
public struct WebhookRetryPolicy: Sendable, Hashable {
    public var attemptsMaximum: Int
    public var baseDelay: Duration
    public var delayMaximum: Duration

    public init(attemptsMaximum: Int = 12, baseDelay: Duration = .seconds(300), delayMaximum: Duration = .seconds(86_400)) {
        precondition(attemptsMaximum >= 1 && attemptsMaximum <= 100, "between 1 and 100 attempts")
        precondition(baseDelay > .zero && delayMaximum >= baseDelay, "a positive base delay below the maximum")
        self.attemptsMaximum = attemptsMaximum
        self.baseDelay = baseDelay
        self.delayMaximum = delayMaximum
    }

    /// The wait after failed attempt number `attempt` (1 for the first), for a `jitter` in [0.5, 1.0).
    public func delay(afterAttempt attempt: Int, jitter: Double) -> Duration {
        precondition(attempt >= 1 && (0.5..<1.0).contains(jitter), "attempt from 1, jitter in [0.5, 1.0)")
        let exponent = min(attempt - 1, 40)
        let base = Self.nanoseconds(baseDelay), maximum = Self.nanoseconds(delayMaximum)
        let uncapped = base.multipliedReportingOverflow(by: Int64(1) << exponent)
        let capped = uncapped.overflow ? maximum : min(uncapped.partialValue, maximum)
        return .nanoseconds(Int64(Double(capped) * jitter))
    }

    /// A jitter in [0.5, 1.0) from the top 53 bits of the generator's next value.
    public static func jitter(using generator: inout some RandomNumberGenerator) -> Double {
        0.5 + Double(generator.next() >> 11) * 0x1p-53 * 0.5
    }

    private static func nanoseconds(_ duration: Duration) -> Int64 {
        let (seconds, attoseconds) = duration.components
        return seconds * 1_000_000_000 + attoseconds / 1_000_000_000
    }
}
