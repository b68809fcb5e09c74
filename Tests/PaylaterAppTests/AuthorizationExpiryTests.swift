import Foundation
@testable import PaylaterApp
import PaylaterLedger
import PaylaterMoney
import PaylaterProducts
import PaylaterStore
import PaylaterTestSupport
import PaylaterTime
import Testing

@Suite("An authorization that runs out, or whose rest is released, tells the merchant")
struct AuthorizationExpiryTests {
    private func data(_ event: WebhookEventRecord) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(event.data.utf8)) as? [String: Any])
    }

    private func minorUnits(_ value: Any?) -> Int? { (value as? [String: Any])?["amount"] as? Int }

    @Test("an order never captured expires: order.expired releases the whole authorization, with the hold, once", arguments: StoreKind.available)
    func wholeAuthorizationExpires(kind: StoreKind) throws {
        let fixture = try CheckoutFixture(kind)
        let order = try fixture.approvedOrder("100.00")
        let expiry = AuthorizationExpiry(database: fixture.store.database, clock: fixture.store.clock)
        #expect(try expiry.expireDue().isEmpty, "nothing has run out yet")

        fixture.store.clock.set(to: order.expiresAt)
        #expect(try expiry.expireDue() == [order.id])
        let events = try fixture.events(order.id)
        #expect(events.map(\.type) == [.orderAuthorized, .orderExpired])
        let expired = try data(try #require(events.last))
        #expect(expired["state"] as? String == "expired" && minorUnits(expired["released"]) == 10_000)
        #expect(minorUnits(expired["captured"]) == 0 && expired["order_id"] as? String == order.id)
        #expect(try fixture.checkout.order(merchant: fixture.merchant.id, id: order.id).state == .expired)
        #expect(try fixture.credit.creditLine(try ConsumerID("c1"), .CNY).held.isZero)

        fixture.store.clock.advance(by: .seconds(60))
        #expect(try expiry.expireDue().isEmpty, "an expiry is recorded once")
        #expect(try fixture.events(order.id).count == 2)
    }

    @Test("a partly captured order's rest expires: order.expired with the amount released, the order captured", arguments: StoreKind.available)
    func uncapturedRestExpires(kind: StoreKind) throws {
        let fixture = try CheckoutFixture(kind)
        let order = try fixture.approvedOrder("200.00")
        _ = try fixture.checkout.capture(merchant: fixture.merchant.id, orderID: order.id, amount: try cny("50.00"), captureID: "c1")
        fixture.store.clock.set(to: order.expiresAt.advanced(by: .seconds(86_400)))
        let expiry = AuthorizationExpiry(database: fixture.store.database, clock: fixture.store.clock)
        #expect(try expiry.expireDue() == [order.id])
        let event = try #require(try fixture.events(order.id).last)
        #expect(event.type == .orderExpired)
        let fields = try data(event)
        #expect(fields["state"] as? String == "captured" && minorUnits(fields["released"]) == 15_000)
        #expect(minorUnits(fields["captured"]) == 5_000)
        #expect(try fixture.credit.creditLine(try ConsumerID("c1"), .CNY).held.isZero)
    }

    @Test(
        "a partly captured order whose time ran out, its expiry not yet recorded, refuses extension and capture as it will once recorded, and changes nothing",
        arguments: StoreKind.available)
    func expiredButNotRecorded(kind: StoreKind) throws {
        let fixture = try CheckoutFixture(kind)
        let order = try fixture.approvedOrder("200.00")
        let merchant = fixture.merchant.id
        _ = try fixture.checkout.capture(merchant: merchant, orderID: order.id, amount: try cny("50.00"), captureID: "c1")
        fixture.store.clock.set(to: order.expiresAt.advanced(by: .seconds(1)))
        func refusals() throws -> [CheckoutError?] {
            [
                refusal { try fixture.checkout.extendAuthorization(merchant: merchant, orderID: order.id, days: 7) },
                refusal { try fixture.checkout.capture(merchant: merchant, orderID: order.id, amount: try cny("1.00"), captureID: "c2") },
                refusal { try fixture.checkout.capture(merchant: merchant, orderID: order.id, amount: nil, captureID: "c3") },
            ]
        }
        let events = try fixture.events(order.id).count
        let unrecorded = try refusals()
        let (captured, authorized) = (try cny("50.00"), try cny("200.00"))
        #expect(unrecorded == [
            .order(.restReleased(operation: "extend", captured: captured, authorized: authorized)),
            .order(.restReleased(operation: "capture", captured: captured, authorized: authorized)),
            .order(.restReleased(operation: "capture", captured: captured, authorized: authorized)),
        ])
        let seen = try fixture.checkout.order(merchant: merchant, id: order.id)
        #expect(seen.state(at: fixture.store.clock.now()) == .captured)
        #expect(seen.remainingAuthorization(at: fixture.store.clock.now()).isZero)
        #expect(seen.captured == (try cny("50.00")) && seen.expiresAt == order.expiresAt)
        #expect(try fixture.events(order.id).count == events, "a refusal raises no event")

        let expiry = AuthorizationExpiry(database: fixture.store.database, clock: fixture.store.clock)
        #expect(try expiry.expireDue() == [order.id])
        #expect(try refusals() == unrecorded, "the same answers once the expiry is recorded")
    }

    private func refusal(_ body: () throws -> Order) -> CheckoutError? {
        do { _ = try body() } catch { return error as? CheckoutError }
        return nil
    }

    @Test("an extended authorization is not expired at its first expiry", arguments: StoreKind.available)
    func extendedIsNotExpired(kind: StoreKind) throws {
        let fixture = try CheckoutFixture(kind)
        let order = try fixture.approvedOrder("100.00")
        _ = try fixture.checkout.extendAuthorization(merchant: fixture.merchant.id, orderID: order.id, days: 7)
        fixture.store.clock.set(to: order.expiresAt.advanced(by: .seconds(86_400)))
        #expect(try AuthorizationExpiry(database: fixture.store.database, clock: fixture.store.clock).expireDue().isEmpty)
        #expect(try fixture.events(order.id).map(\.type) == [.orderAuthorized])
    }

    @Test("releasing a partly captured order's rest raises order.authorization_released with the amount released", arguments: StoreKind.available)
    func releaseRaisesAnEvent(kind: StoreKind) throws {
        let fixture = try CheckoutFixture(kind)
        let order = try fixture.approvedOrder("200.00")
        _ = try fixture.checkout.capture(merchant: fixture.merchant.id, orderID: order.id, amount: try cny("50.00"), captureID: "c1")
        let released = try fixture.checkout.releaseRemainingAuthorization(merchant: fixture.merchant.id, orderID: order.id)
        #expect(released.state == .captured)
        let event = try #require(try fixture.events(order.id).last)
        #expect(event.type == .orderAuthorizationReleased)
        let fields = try data(event)
        #expect(fields["state"] as? String == "captured" && minorUnits(fields["released"]) == 15_000)
    }

    @Test("releasing the rest of an order never captured cancels it: order.cancelled, as before", arguments: StoreKind.available)
    func releaseWithoutCapturesCancels(kind: StoreKind) throws {
        let fixture = try CheckoutFixture(kind)
        let order = try fixture.approvedOrder("200.00")
        _ = try fixture.checkout.releaseRemainingAuthorization(merchant: fixture.merchant.id, orderID: order.id)
        #expect(try fixture.events(order.id).map(\.type) == [.orderAuthorized, .orderCancelled])
    }
}
