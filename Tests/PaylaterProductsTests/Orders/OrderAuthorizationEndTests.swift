import PaylaterMoney
import PaylaterProducts
import PaylaterTime
import Testing

@Suite("An order's authorization ends when its time runs out, whether or not the expiry is recorded yet")
struct OrderAuthorizationEndTests {
    static func cny(_ text: String) -> Money { try! Money(parsing: text, currency: .CNY) }
    static let authorizedAt = try! Instant(iso8601: "2026-03-01T10:00:00Z")

    /// An order of 200.00 with 50.00 captured, an hour after its authorization.
    static func partlyCaptured() throws -> Order {
        var order = Order(
            id: "ord_1", merchantID: "m1", consumerID: "c1", checkoutID: "chk_1", productID: "pay-in-4",
            merchantReference: "A-1", authorized: cny("200.00"), at: authorizedAt)
        _ = try order.capture(cny("50.00"), id: "cap_1", at: authorizedAt.advanced(by: .seconds(3_600)))
        return order
    }

    @Test("a partly captured order reads as captured, with nothing left to capture, from the instant it expires")
    func partlyCapturedReadsCapturedAtExpiry() throws {
        let order = try Self.partlyCaptured()
        let justBefore = order.expiresAt.advanced(by: .seconds(-1))
        #expect(order.state(at: justBefore) == .partiallyCaptured)
        #expect(order.remainingAuthorization(at: justBefore) == Self.cny("150.00"))
        #expect(order.state(at: order.expiresAt) == .captured)
        #expect(order.remainingAuthorization(at: order.expiresAt).isZero)
    }

    @Test("before its expiry is recorded, a partly captured order refuses a capture and an extension as it will after")
    func refusalsBeforeAndAfterRecording() throws {
        let order = try Self.partlyCaptured()
        let now = order.expiresAt.advanced(by: .seconds(1))
        func refusals(_ order: Order) -> [OrderError?] {
            var capturing = order
            var extending = order
            return [
                Self.refusal { () throws(OrderError) in _ = try capturing.capture(Self.cny("1.00"), id: "cap_2", at: now) },
                Self.refusal { () throws(OrderError) in try extending.extendAuthorization(by: .seconds(86_400), at: now) },
            ]
        }
        var recorded = order
        _ = try recorded.expire(at: now)
        #expect(recorded.state == .captured)
        #expect(refusals(order) == refusals(recorded))
        #expect(refusals(order) == [
            .restReleased(operation: "capture", captured: Self.cny("50.00"), authorized: Self.cny("200.00")),
            .restReleased(operation: "extend", captured: Self.cny("50.00"), authorized: Self.cny("200.00")),
        ])
    }

    @Test("after the rest is released, capture, extend and release say that nothing is left, and how much was captured; captured in full, they say captured")
    func refusalsAfterRelease() throws {
        var released = try Self.partlyCaptured()
        let now = released.expiresAt.advanced(by: .seconds(-60))
        try released.releaseRemaining(at: now)
        var capturing = released
        var extending = released
        var releasing = released
        let partly = OrderError.restReleased(operation: "capture", captured: Self.cny("50.00"), authorized: Self.cny("200.00"))
        #expect(Self.refusal { () throws(OrderError) in _ = try capturing.capture(Self.cny("1.00"), id: "cap_2", at: now) } == partly)
        #expect(partly.description.contains("50.00 CNY of the 200.00 CNY authorized was captured"), "\(partly)")
        #expect(Self.refusal { () throws(OrderError) in try extending.extendAuthorization(by: .seconds(86_400), at: now) }
            == .restReleased(operation: "extend", captured: Self.cny("50.00"), authorized: Self.cny("200.00")))
        #expect(Self.refusal { () throws(OrderError) in try releasing.releaseRemaining(at: now) }
            == .restReleased(operation: "release the rest of", captured: Self.cny("50.00"), authorized: Self.cny("200.00")))
        var whole = try Self.partlyCaptured()
        _ = try whole.capture(Self.cny("150.00"), id: "cap_rest", at: now)
        #expect(Self.refusal { () throws(OrderError) in _ = try whole.capture(Self.cny("1.00"), id: "cap_3", at: now) }
            == .invalidState(operation: "capture", state: .captured))
    }

    static func refusal(_ body: () throws(OrderError) -> Void) -> OrderError? {
        do { try body() } catch { return error }
        return nil
    }
}
