import Foundation
import PaylaterAPI
import PaylaterApp
import PaylaterLedger
import PaylaterProducts
import PaylaterTestSupport
import PaylaterTime
import PaylaterUnderwriting
import Testing

/// What a merchant and a shopper see of a referred checkout over HTTP, before and after staff review it.
@Suite("Referred checkouts over the API")
struct ReferralAPITests {
    @Test("referred, then approved by a reviewer: the merchant's retry of authorize and the checkout answer the order, the retry naming the review's decision; the shopper sees both decisions")
    func approvedOnReview() throws {
        let server = try APITestServer()
        defer { withExtendedLifetime(server) {} }
        let api = APIClient(server)
        let checkout = try api.checkout(40_000)
        let (status, referred) = try api.authorize(checkout, distance: 900, key: "referred-1")
        #expect(status == 200 && referred["decision"] as? String == "referred" && referred["order"] == nil, "\(referred)")
        #expect(referred["decision_id"] as? String == checkout, "the referral is the checkout's own decision: \(referred)")
        let (_, referredCheckout, _) = try api.call("GET", "/v1/checkouts/\(checkout)")
        #expect(referredCheckout["state"] as? String == "referred")
        // The example policy sets no review window: a day.
        let expiresAt = server.store.clock.now().advanced(by: .seconds(24 * 3_600))
        #expect(referredCheckout["referral_expires_at"] as? String == expiresAt.description, "\(referredCheckout)")

        server.store.clock.advance(by: .seconds(300))
        let waiting = try api.http.send("GET", "/metrics").bodyText
        #expect(waiting.contains("\npaylater_referrals_awaiting_review 1\n"), "\(waiting)")
        #expect(waiting.contains("\npaylater_referral_oldest_wait_seconds 300\n"), "\(waiting)")
        let reviewed = try server.services.checkout.reviewReferral(
            checkoutID: checkout, .approved(by: "risk-ana", note: "called the shopper"))
        guard case let .approved(order, _) = reviewed.outcome else {
            Issue.record("expected an approval: \(reviewed.outcome)")
            return
        }
        let (again, answer) = try api.authorize(checkout, distance: 900)
        #expect(again == 200 && answer["decision"] as? String == "approved", "\(answer)")
        #expect(answer["decision_id"] as? String == checkout + ":review", "the review decided it: \(answer)")
        // The first request's key still replays the answer it was given.
        let replayed = try api.authorize(checkout, distance: 900, key: "referred-1").1
        #expect(replayed["decision"] as? String == "referred" && replayed["decision_id"] as? String == checkout, "\(replayed)")
        #expect((answer["order"] as? [String: Any])?["id"] as? String == order.id)
        let (_, state, _) = try api.call("GET", "/v1/checkouts/\(checkout)")
        #expect(state["state"] as? String == "authorized" && state["order_id"] as? String == order.id, "\(state)")
        #expect(state["referral_expires_at"] == nil, "only while referred: \(state)")
        #expect(try api.call("GET", "/v1/orders/\(order.id)").1["state"] as? String == "authorized")
        let reviewedMetrics = try api.http.send("GET", "/metrics").bodyText
        #expect(reviewedMetrics.contains("\npaylater_referrals_awaiting_review 0\n"), "\(reviewedMetrics)")
        #expect(reviewedMetrics.contains("\npaylater_referral_oldest_wait_seconds 0\n"), "\(reviewedMetrics)")
        // The merchant captures it like any other order.
        let (captured, _, capture) = try api.call("POST", "/v1/orders/\(order.id)/captures", [:])
        #expect(captured == 201, "\(capture.bodyText)")

        let shopper = APIClient(server, token: server.services.consumerTokens.issue(for: try ConsumerID("shopper-1")))
        let (_, body, response) = try shopper.call("GET", "/v1/me/decisions")
        let decisions = try #require(body["decisions"] as? [[String: Any]])
        #expect(decisions.map { $0["id"] as? String } == [checkout + ":review", checkout], "\(response.bodyText)")
        #expect(decisions.map { $0["outcome"] as? String } == ["approved", "referred"])
        #expect(!response.bodyText.contains("risk-ana"), "the reviewer's name and note are staff's: \(response.bodyText)")
    }

    @Test("referred, then declined by a reviewer: the retry and the checkout answer the decline with the shopper's reasons, the retry naming the review's decision")
    func declinedOnReview() throws {
        let server = try APITestServer()
        defer { withExtendedLifetime(server) {} }
        let api = APIClient(server)
        let checkout = try api.checkout(40_000)
        #expect(try api.authorize(checkout, distance: 900).1["decision"] as? String == "referred")
        _ = try server.services.checkout.reviewReferral(checkoutID: checkout, .declined(by: "risk-bo", note: "parcel locker"))
        let (status, answer) = try api.authorize(checkout, distance: 900)
        #expect(status == 200 && answer["decision"] as? String == "declined", "\(answer)")
        #expect(answer["decision_id"] as? String == checkout + ":review", "the review decided it: \(answer)")
        let reasons = try #require(answer["reasons"] as? [String])
        #expect(!reasons.isEmpty && !reasons.joined().contains("parcel locker"), "\(reasons)")
        let (_, state, _) = try api.call("GET", "/v1/checkouts/\(checkout)")
        #expect(state["state"] as? String == "declined" && state["reasons"] as? [String] == reasons, "\(state)")
    }
}
