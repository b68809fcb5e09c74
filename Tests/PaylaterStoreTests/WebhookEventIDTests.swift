@testable import PaylaterStore
import PaylaterTime
import Testing

@Suite("Webhook event ids")
struct WebhookEventIDTests {
    static let now = Instant(secondsSinceUnixEpoch: 1_790_000_000)

    @Test("an event id is evt_ and the 32 lowercase hex digits of a version 7, RFC 9562 variant UUID")
    func shape() throws {
        for _ in 0..<1_000 {
            let id = WebhookOutbox.newEventID(at: Self.now)
            #expect(id.hasPrefix("evt_"))
            let digits = Array(id.dropFirst(4))
            #expect(digits.count == 32)
            #expect(digits.allSatisfy { $0.isHexDigit && !$0.isUppercase })
            #expect(digits[12] == "7")
            #expect(["8", "9", "a", "b"].contains(digits[16]))
        }
    }

    @Test("the first 12 digits are the Unix milliseconds, zero before 1970 and up to the end of Instant's range")
    func time() {
        let cases: [(Instant, String)] = [
            (Instant(nanosecondsSinceUnixEpoch: 1_790_000_000_123_999_999), "01a0c4506c7b"),  // …123.999 ms: 123
            (Instant(nanosecondsSinceUnixEpoch: 0), "000000000000"),
            (Instant(nanosecondsSinceUnixEpoch: -1), "000000000000"),
            (Instant(nanosecondsSinceUnixEpoch: .min), "000000000000"),
            (Instant(nanosecondsSinceUnixEpoch: .max), "08637bd05af6"),
        ]
        for (instant, milliseconds) in cases {
            #expect(String(WebhookOutbox.newEventID(at: instant).dropFirst(4).prefix(12)) == milliseconds, "\(instant)")
        }
    }

    @Test("ids made in later milliseconds sort after earlier ones, whatever their random bits")
    func sortsByTime() {
        let ids = (0..<2_000).map { WebhookOutbox.newEventID(at: Self.now.advanced(by: .milliseconds($0 / 2))) }
        for (earlier, later) in zip(ids, ids.dropFirst(2)) {
            #expect(earlier < later)
        }
    }

    @Test("ids made in the same millisecond do not repeat, and every random digit position takes several values")
    func random() {
        let ids = (0..<10_000).map { _ in WebhookOutbox.newEventID(at: Self.now) }
        #expect(Set(ids).count == ids.count)
        let digits = ids.map { Array($0.dropFirst(4)) }
        for position in 13..<32 where position != 16 {
            #expect(Set(digits.map { $0[position] }).count > 8, "digit \(position)")
        }
        #expect(Set(digits.map { $0[16] }).count == 4, "the variant leaves two random bits")
    }
}
