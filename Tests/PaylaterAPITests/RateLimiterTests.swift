import PaylaterAPI
import PaylaterTime
import Testing

@Suite("Rate limiter")
struct RateLimiterTests {
    let start = Instant(secondsSinceUnixEpoch: 1_790_000_000)

    @Test("a refusal is read without taking a token, and says how long to wait")
    func refusalTakesNothing() throws {
        let limiter = RateLimiter(perSecond: 2, burst: 2)
        #expect(limiter.refusal("a", at: start) == nil)
        #expect(limiter.take("a", at: start) == nil && limiter.take("a", at: start) == nil)
        #expect(limiter.refusal("a", at: start) == 1 && limiter.refusal("a", at: start) == 1)
        #expect(limiter.take("a", at: start) == 1)
        let later = try start.adding(.milliseconds(500))
        #expect(limiter.refusal("a", at: later) == nil, "one token back after half a second at 2 a second")
        #expect(limiter.take("a", at: later) == nil)
        #expect(limiter.refusal("b", at: start) == nil)
    }

    @Test("a full table forgets callers whose buckets refilled, keeps those still limited, then forgets all")
    func boundedTable() throws {
        let limiter = RateLimiter(perSecond: 1, burst: 1, capacity: 3)
        for caller in ["a", "b", "c"] { #expect(limiter.take(caller, at: start) == nil) }
        let later = try start.adding(.seconds(5))
        #expect(limiter.take("c", at: later) == nil)  // c spent again: still limited
        #expect(limiter.take("d", at: later) == nil)  // full: a and b had refilled and are forgotten
        #expect(limiter.refusal("c", at: later) == 1, "c kept its empty bucket")
        #expect(limiter.refusal("d", at: later) == 1)
        #expect(limiter.take("e", at: later) == nil)
        #expect(limiter.take("f", at: later) == nil)  // full of limited callers: everyone is forgotten
        #expect(limiter.refusal("c", at: later) == nil)
    }
}
