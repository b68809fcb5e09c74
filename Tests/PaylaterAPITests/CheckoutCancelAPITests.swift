import Foundation
import PaylaterAPI
import PaylaterApp
import PaylaterMoney
import PaylaterTestSupport
import PaylaterTime
import PaylaterUnderwriting
import Testing

/// `POST /v1/checkouts/{id}/cancel`: a merchant withdraws an open or referred checkout.
@Suite("Cancelling a checkout over the API")
struct CheckoutCancelAPITests {
    @Test("a referred checkout withdrawn: cancelled, out of the review queue, not authorizable; the same key replays; another merchant's is not found")
    func referredCheckoutWithdrawn() throws {
        let server = try APITestServer()
        defer { withExtendedLifetime(server) {} }
        let api = APIClient(server)
        let checkout = try api.checkout(40_000)
        #expect(try api.authorize(checkout, distance: 900).1["decision"] as? String == "referred")

        let other = try server.services.merchants.create(name: "Other", pricing: MerchantPricingTerms(discountRate: BasisPoints(100)))
        #expect(try APIClient(server, token: other.apiKey).call("POST", "/v1/checkouts/\(checkout)/cancel").0 == 404)

        let (status, cancelled, response) = try api.call("POST", "/v1/checkouts/\(checkout)/cancel", key: "cancel-1")
        #expect(status == 200 && cancelled["state"] as? String == "cancelled", "\(response.bodyText)")
        #expect(cancelled["referral_expires_at"] == nil && cancelled["order_id"] == nil, "\(cancelled)")
        let (again, _, replayed) = try api.call("POST", "/v1/checkouts/\(checkout)/cancel", key: "cancel-1")
        #expect(again == 200 && replayed.header("Idempotent-Replayed") == "true" && replayed.body == response.body)
        #expect(try api.call("POST", "/v1/checkouts/\(checkout)/cancel").0 == 200, "cancelling again under a new key returns it")

        let (refused, problem) = try api.authorize(checkout, distance: 900)
        #expect(refused == 409 && problem["type"] as? String == "https://paylater.dev/problems/checkout-state", "\(problem)")
        #expect(try api.call("GET", "/v1/checkouts/\(checkout)").1["state"] as? String == "cancelled")
        #expect(try api.http.send("GET", "/metrics").bodyText.contains("\npaylater_referrals_awaiting_review 0\n"))
        #expect(throws: ReferralError.withdrawn(checkoutID: checkout)) {
            try server.services.checkout.reviewReferral(checkoutID: checkout, .approved(by: "risk-ana", note: "too late"))
        }
    }

    @Test("an open checkout is cancelled; an authorized one is refused with its order named, and its order stays authorized")
    func openAndAuthorized() throws {
        let server = try APITestServer()
        defer { withExtendedLifetime(server) {} }
        let api = APIClient(server)
        let open = try api.checkout(12_000)
        #expect(try api.call("POST", "/v1/checkouts/\(open)/cancel").1["state"] as? String == "cancelled")

        let authorized = try api.checkout(12_000)
        let order = try #require((try api.authorize(authorized).1["order"] as? [String: Any])?["id"] as? String)
        let (status, problem, _) = try api.call("POST", "/v1/checkouts/\(authorized)/cancel")
        #expect(status == 409 && problem["type"] as? String == "https://paylater.dev/problems/checkout-state", "\(problem)")
        #expect((problem["detail"] as? String)?.contains("POST /v1/orders/\(order)/cancel") == true, "\(problem)")
        #expect(try api.call("GET", "/v1/orders/\(order)").1["state"] as? String == "authorized")
        #expect(try api.call("POST", "/v1/checkouts/chk_nothing/cancel").0 == 404)
    }

    @Test("an open checkout shows when it expires; past it, it reads expired and authorize is 409 checkout-state")
    func expiry() throws {
        let server = try APITestServer()
        defer { withExtendedLifetime(server) {} }
        let api = APIClient(server)
        let checkout = try api.checkout(12_000)
        let expiresAt = server.store.clock.now().advanced(by: server.services.checkout.checkoutLifetime)
        let open = try api.call("GET", "/v1/checkouts/\(checkout)").1
        #expect(open["state"] as? String == "open" && open["expires_at"] as? String == expiresAt.description, "\(open)")
        server.store.clock.advance(by: server.services.checkout.checkoutLifetime)
        let expired = try api.call("GET", "/v1/checkouts/\(checkout)").1
        #expect(expired["state"] as? String == "expired", "\(expired)")
        let (status, problem) = try api.authorize(checkout)
        #expect(status == 409 && problem["type"] as? String == "https://paylater.dev/problems/checkout-state", "\(problem)")
    }
}
