@testable import PaylaterApp
import PaylaterLedger
import PaylaterMoney
import PaylaterProducts
import PaylaterStore
import PaylaterTestSupport
import PaylaterTime
import PaylaterUnderwriting
import Testing

/// A merchant withdraws a checkout no one has said yes or no to: the shopper left, or a referred shopper paid
/// another way.
@Suite("Cancelling a checkout")
struct CheckoutCancelTests {
    func held(_ fixture: CheckoutFixture, _ shopper: String = "c1") throws -> Money {
        try fixture.credit.creditLine(try ConsumerID(shopper), .CNY).held
    }

    @Test("an open checkout is cancelled for good: authorizing it is refused, cancelling it again returns it",
          arguments: StoreKind.available)
    func openCheckout(kind: StoreKind) throws {
        let fixture = try CheckoutFixture(kind)
        let session = try fixture.newCheckout("120.00")
        let cancelled = try fixture.checkout.cancelCheckout(merchant: fixture.merchant.id, id: session.id)
        #expect(cancelled.state == .cancelled && cancelled.orderID == nil && cancelled.reasons.isEmpty)
        #expect(cancelled.offers == session.offers && cancelled.total == session.total)
        #expect(throws: CheckoutError.checkoutCancelled(session.id)) { try fixture.authorize(session.id) }
        #expect(try fixture.checkout.cancelCheckout(merchant: fixture.merchant.id, id: session.id) == cancelled)
        #expect(try fixture.checkout.checkout(merchant: fixture.merchant.id, id: session.id) == cancelled)
        #expect(try fixture.events(session.id).isEmpty)
        // No decision was taken, so the shopper has none and nothing was opened for them.
        #expect(try fixture.store.database.read { try UnderwritingRepository($0).decision(consumerID: "c1", decisionID: session.id) } == nil)
    }

    @Test("a referred checkout withdrawn leaves the queue: no reviewer can approve it, the expiry passes it by, nothing is held",
          arguments: StoreKind.available)
    func referredCheckout(kind: StoreKind) throws {
        let fixture = try CheckoutFixture(kind)
        let session = try ReferralTests().referredCheckout(fixture)
        fixture.store.clock.advance(by: .seconds(60))
        let cancelled = try fixture.checkout.cancelCheckout(merchant: fixture.merchant.id, id: session.id)
        #expect(cancelled.state == .cancelled && cancelled.referralExpiresAt == nil && cancelled.reasons.isEmpty)
        #expect(try ReferralQueue(database: fixture.store.database, reviewWindow: fixture.checkout.referralReviewWindow).awaitingReview().isEmpty)
        let referral = try fixture.store.database.read { try ReferralRepository($0).referral(checkoutID: session.id) }
        #expect(referral?.review == ReferralReviewRecord(
            verdict: "withdrawn", reviewedBy: nil, note: nil, outcome: "cancelled", at: fixture.store.clock.now()))
        for verdict in [ReferralTests.approve, ReferralTests.decline] {
            #expect(throws: ReferralError.withdrawn(checkoutID: session.id)) {
                try fixture.checkout.reviewReferral(checkoutID: session.id, verdict)
            }
        }
        #expect(throws: CheckoutError.checkoutCancelled(session.id)) {
            try fixture.authorize(session.id, device: "device-c1", distance: 900)
        }
        fixture.store.clock.advance(by: fixture.checkout.referralReviewWindow)
        #expect(try fixture.checkout.expireReferrals() == [])
        #expect(try fixture.checkout.checkout(merchant: fixture.merchant.id, id: session.id).state == .cancelled)
        #expect(try fixture.events(session.id).isEmpty, "the merchant cancelled it: no checkout.declined")
        #expect(try held(fixture).isZero)
        // The referred decision stays as it was taken; no review decision was made.
        let review = try fixture.store.database.read {
            try UnderwritingRepository($0).decision(consumerID: "c1", decisionID: CheckoutService.reviewDecisionID(session.id))
        }
        #expect(review == nil)
    }

    @Test("an authorized checkout is not cancelled (its order is, and the refusal names it); a declined one neither; nothing changes",
          arguments: StoreKind.available)
    func decidedCheckouts(kind: StoreKind) throws {
        let fixture = try CheckoutFixture(kind)
        let session = try fixture.newCheckout("120.00")
        guard case let .approved(order, _) = try fixture.authorize(session.id) else {
            Issue.record("expected an approval")
            return
        }
        let refusal = CheckoutError.checkoutNotCancellable(id: session.id, state: "authorized", orderID: order.id)
        #expect(throws: refusal) { try fixture.checkout.cancelCheckout(merchant: fixture.merchant.id, id: session.id) }
        #expect(refusal.description.contains("POST /v1/orders/\(order.id)/cancel"))
        #expect(try fixture.checkout.checkout(merchant: fixture.merchant.id, id: session.id).state == .authorized)
        #expect(try held(fixture) == (try cny("120.00")))

        let declined = try ReferralTests().referredCheckout(fixture, shopper: "c2")
        _ = try fixture.checkout.reviewReferral(checkoutID: declined.id, ReferralTests.decline)
        #expect(throws: CheckoutError.checkoutNotCancellable(id: declined.id, state: "declined", orderID: nil)) {
            try fixture.checkout.cancelCheckout(merchant: fixture.merchant.id, id: declined.id)
        }
        #expect(try fixture.checkout.checkout(merchant: fixture.merchant.id, id: declined.id).state == .declined)
        #expect(throws: CheckoutError.checkoutNotFound("chk_unknown")) {
            try fixture.checkout.cancelCheckout(merchant: fixture.merchant.id, id: "chk_unknown")
        }
    }

    @Test("a reviewer's approval and the merchant's cancel at once: one wins, and the credit held matches the outcome",
          arguments: StoreKind.available)
    func reviewAndCancelAtOnce(kind: StoreKind) throws {
        let fixture = try CheckoutFixture(kind)
        // Three: a fourth order on the fixture's one shipping address and card within the hour would be declined.
        let sessions = try (0..<3).map { try ReferralTests().referredCheckout(fixture, shopper: "c\($0)") }
        let outcomes = concurrently(6) { index -> String in
            let session = sessions[index / 2]
            if index.isMultiple(of: 2) {
                return "\(try fixture.checkout.reviewReferral(checkoutID: session.id, ReferralTests.approve).outcome)"
            }
            return try fixture.checkout.cancelCheckout(merchant: fixture.merchant.id, id: session.id).state.rawValue
        }
        #expect(outcomes.unexpectedFailures { $0 is ReferralError || $0 is CheckoutError }.isEmpty)
        for (index, session) in sessions.enumerated() {
            #expect(Array(outcomes[(2 * index)...(2 * index + 1)]).successes().count == 1, "one of the two wins for \(session.id)")
            let state = try fixture.checkout.checkout(merchant: fixture.merchant.id, id: session.id).state
            let expected = state == .authorized ? try cny("400.00") : Money(minorUnits: 0, currency: .CNY)
            let held = try held(fixture, "c\(index)")
            #expect([.authorized, .cancelled].contains(state) && held == expected)
        }
        #expect(try ReferralQueue(database: fixture.store.database, reviewWindow: fixture.checkout.referralReviewWindow).awaitingReview().isEmpty)
    }
}

/// An open checkout lives `CheckoutService.checkoutLifetime`: its quotes are the shopper's as of the day it was made.
@Suite("A checkout's lifetime")
struct CheckoutLifetimeTests {
    @Test("authorized up to the last nanosecond of its lifetime; from then on it reads expired and is refused",
          arguments: StoreKind.available)
    func expiresUnauthorized(kind: StoreKind) throws {
        let fixture = try CheckoutFixture(kind)
        let early = try fixture.newCheckout("120.00")
        let late = try fixture.newCheckout("120.00", shopper: "c2")
        let expiresAt = fixture.store.clock.now().advanced(by: fixture.checkout.checkoutLifetime)
        #expect(try fixture.checkout.checkout(merchant: fixture.merchant.id, id: late.id).expiresAt == expiresAt)
        fixture.store.clock.advance(by: fixture.checkout.checkoutLifetime - .nanoseconds(1))
        guard case .approved = try fixture.authorize(early.id) else {
            Issue.record("expected an approval a nanosecond before the end")
            return
        }
        fixture.store.clock.advance(by: .nanoseconds(1))
        #expect(throws: CheckoutError.checkoutExpired(id: late.id, expiredAt: expiresAt)) {
            try fixture.authorize(late.id, device: "device-2")
        }
        let read = try fixture.checkout.checkout(merchant: fixture.merchant.id, id: late.id)
        #expect(read.state == .expired && read.expiresAt == expiresAt)
        // A decided checkout is not expired by its age: its retry answers as before.
        #expect(try fixture.checkout.checkout(merchant: fixture.merchant.id, id: early.id).state == .authorized)
        if case .approved = try fixture.authorize(early.id) {} else { Issue.record("the retry of an approval answers it") }
        // The merchant may still cancel it, which is final.
        #expect(try fixture.checkout.cancelCheckout(merchant: fixture.merchant.id, id: late.id).state == .cancelled)
    }

    @Test("a shopper cannot confirm a checkout past its lifetime; authorizing it answers that it expired, not that it waits",
          arguments: StoreKind.available)
    func shopperConfirmationExpires(kind: StoreKind) throws {
        let fixture = try CheckoutFixture(kind)
        let session = try ShopperConfirmationTests().shopperConfirmed(fixture)
        let expiresAt = fixture.store.clock.now().advanced(by: fixture.checkout.checkoutLifetime)
        fixture.store.clock.advance(by: fixture.checkout.checkoutLifetime)
        let expired = CheckoutError.checkoutExpired(id: session.id, expiredAt: expiresAt)
        #expect(throws: expired) {
            try fixture.checkout.confirmByShopper(consumer: try ConsumerID("c1"), id: session.id, productID: "pay-in-4")
        }
        #expect(throws: expired) { try fixture.authorize(session.id) }
    }
}
