@testable import PaylaterStore
import Testing

@Suite("Webhook event ids")
struct WebhookEventIDTests {
    @Test("an event id is evt_ and the 32 lowercase hex digits of a version 4, RFC 9562 variant UUID")
    func shape() throws {
        for _ in 0..<1_000 {
            let id = WebhookOutbox.newEventID()
            #expect(id.hasPrefix("evt_"))
            let digits = Array(id.dropFirst(4))
            #expect(digits.count == 32)
            #expect(digits.allSatisfy { $0.isHexDigit && !$0.isUppercase })
            #expect(digits[12] == "4")
            #expect(["8", "9", "a", "b"].contains(digits[16]))
        }
    }

    @Test("ids do not repeat, and every random digit position takes several values")
    func random() {
        let ids = (0..<10_000).map { _ in WebhookOutbox.newEventID() }
        #expect(Set(ids).count == ids.count)
        let digits = ids.map { Array($0.dropFirst(4)) }
        for position in 0..<32 where position != 12 && position != 16 {
            #expect(Set(digits.map { $0[position] }).count > 8, "digit \(position)")
        }
    }
}
