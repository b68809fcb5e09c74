import Foundation
@testable import PaylaterAPI
import PaylaterApp
import PaylaterHTTP
import PaylaterLedger
import PaylaterMoney
import PaylaterTestSupport
import PaylaterUnderwriting
import Testing

/// A merchant whose checkouts the shopper confirms, over HTTP: the merchant, then the shopper with their own token,
/// then the merchant again.
@Suite("Checkouts confirmed by the shopper, over the API")
struct ShopperConfirmationAPITests {
    @Test("authorize waits for the shopper's confirmation and takes only the product they chose; only that shopper sees and confirms it")
    func confirmedByShopper() throws {
        let server = try APITestServer()
        defer { withExtendedLifetime(server) {} }
        let seller = try server.services.merchants.create(
            name: "Stall 7", pricing: MerchantPricingTerms(discountRate: BasisPoints(300)), checkoutConfirmation: .shopper)
        let api = APIClient(server, token: seller.apiKey)
        #expect(try api.call("GET", "/v1/configuration").1["checkout_confirmation"] as? String == "shopper")
        #expect(try APIClient(server).call("GET", "/v1/configuration").1["checkout_confirmation"] as? String == "merchant")
        let checkout = try api.checkout(40_000)
        #expect(try api.call("GET", "/v1/checkouts/\(checkout)").1["shopper_confirmation"] as? [String: Any] != nil)

        let (waiting, problem) = try api.authorize(checkout)
        #expect(waiting == 409 && problem["type"] as? String == "https://paylater.dev/problems/shopper-confirmation", "\(problem)")
        #expect((problem["detail"] as? String)?.contains("/v1/me/checkouts/\(checkout)/confirm") == true)

        let shopper = APIClient(server, token: server.services.consumerTokens.issue(for: try ConsumerID("shopper-1")))
        let stranger = APIClient(server, token: server.services.consumerTokens.issue(for: try ConsumerID("shopper-2")))
        let (seen, view, _) = try shopper.call("GET", "/v1/me/checkouts/\(checkout)")
        #expect(seen == 200 && (view["offers"] as? [Any])?.isEmpty == false && view["total"] != nil, "\(view)")
        #expect(view["merchant_name"] as? String == "Stall 7", "\(view)")
        #expect(try api.call("GET", "/v1/checkouts/\(checkout)").1["merchant_name"] == nil, "the merchant knows its name")
        #expect(try stranger.call("GET", "/v1/me/checkouts/\(checkout)").0 == 404)
        #expect(try stranger.call("POST", "/v1/me/checkouts/\(checkout)/confirm", ["product_id": "pay-in-4"]).0 == 404)
        let trusted = try APIClient(server).checkout(40_000)
        #expect(try shopper.call("GET", "/v1/me/checkouts/\(trusted)").0 == 404, "a trusted merchant's checkout needs no confirmation")
        #expect(try shopper.call("POST", "/v1/me/checkouts/\(checkout)/confirm", ["product_id": "pay-in-4", "x": 1]).0 == 422)
        #expect(try shopper.call("POST", "/v1/me/checkouts/\(checkout)/confirm", ["product_id": "nothing"]).0 == 422)

        let (status, confirmed, _) = try shopper.call("POST", "/v1/me/checkouts/\(checkout)/confirm", ["product_id": "pay-in-4"])
        let confirmation = confirmed["shopper_confirmation"] as? [String: Any]
        #expect(status == 200 && confirmation?["product_id"] as? String == "pay-in-4" && confirmation?["confirmed_at"] != nil, "\(confirmed)")
        let (other, otherProblem, _) = try shopper.call("POST", "/v1/me/checkouts/\(checkout)/confirm", ["product_id": "financing-6"])
        #expect(other == 409 && otherProblem["field"] as? String == "/product_id", "\(otherProblem)")

        let (authorized, answer) = try api.authorize(checkout)
        #expect(authorized == 200 && answer["decision"] as? String == "approved", "\(answer)")
        let state = try api.call("GET", "/v1/checkouts/\(checkout)").1
        #expect((state["shopper_confirmation"] as? [String: Any])?["product_id"] as? String == "pay-in-4", "\(state)")
    }

    @Test("a merchant whose checkouts the shopper confirms reads only the generic reason of a decline; the shopper reads their own")
    func reasonsForTheShopperOnly() throws {
        let server = try APITestServer()
        defer { withExtendedLifetime(server) {} }
        let generic = server.services.underwriting.policy.reasonTexts.generic
        let risky: [String: Any] = ["account_age_days": 5, "orders_last_year": 0, "return_rate": 0.4, "late_repayments": 3, "bureau_delinquencies": 2]
        let trusted = APIClient(server)
        let (_, trustedAnswer) = try trusted.authorize(try trusted.checkout(40_000, shopper: "shopper-9"), features: risky)
        let shopperReasons = try #require(trustedAnswer["reasons"] as? [String])
        #expect(trustedAnswer["decision"] as? String == "declined" && shopperReasons != [generic], "\(trustedAnswer)")

        let seller = try server.services.merchants.create(
            name: "Stall 7", pricing: MerchantPricingTerms(discountRate: BasisPoints(300)), checkoutConfirmation: .shopper)
        let api = APIClient(server, token: seller.apiKey)
        let checkout = try api.checkout(40_000)
        let shopper = APIClient(server, token: server.services.consumerTokens.issue(for: try ConsumerID("shopper-1")))
        #expect(try shopper.call("POST", "/v1/me/checkouts/\(checkout)/confirm", ["product_id": "pay-in-4"]).0 == 200)
        let (status, answer) = try api.authorize(checkout, features: risky)
        #expect(status == 200 && answer["decision"] as? String == "declined" && answer["reasons"] as? [String] == [generic], "\(answer)")
        #expect(try api.call("GET", "/v1/checkouts/\(checkout)").1["reasons"] as? [String] == [generic])
        let own = try shopper.call("GET", "/v1/me/checkouts/\(checkout)").1["reasons"] as? [String]
        #expect(own == shopperReasons, "the shopper reads their own reasons: \(own ?? [])")
    }

    @Test("a hold refused for want of credit tells such a merchant that credit is not available, not how much is; a trusted one reads it all")
    func creditUnavailableSaysNoAmount() throws {
        let error = CheckoutError.creditUnavailable("400.00 CNY exceeds the available credit of 150.00 CNY")
        let server = try APITestServer()
        defer { withExtendedLifetime(server) {} }
        let pricing = MerchantPricingTerms(discountRate: BasisPoints(300))
        let untrusted = try server.services.merchants.create(name: "Stall 7", pricing: pricing, checkoutConfirmation: .shopper).merchant
        let problem = try #require(MerchantRoutes.refusal(error, readBy: untrusted) as? HTTPProblem)
        #expect(problem.status == 409 && problem.type.hasSuffix("/credit-unavailable"))
        #expect(problem.detail == "credit is not available for this order")
        let trusted = try server.services.merchants.create(name: "Acme", pricing: pricing).merchant
        #expect(MerchantRoutes.refusal(error, readBy: trusted) as? CheckoutError == error)
        #expect(MerchantRoutes.refusal(.checkoutNotFound("chk_1"), readBy: untrusted) as? CheckoutError == .checkoutNotFound("chk_1"))
    }

    @Test("a merchant switched to shopper confirmation: its open checkout made before is 409 checkout-state, a new one waits for the shopper")
    func switchedMerchant() throws {
        let server = try APITestServer()
        defer { withExtendedLifetime(server) {} }
        let api = APIClient(server)
        let before = try api.checkout(40_000)
        let merchant = try #require(try server.services.merchants.merchants().first).id
        try server.services.merchants.setCheckoutConfirmation(merchant, to: .shopper)
        let (status, problem) = try api.authorize(before)
        #expect(status == 409 && problem["type"] as? String == "https://paylater.dev/problems/checkout-state", "\(problem)")
        #expect((problem["detail"] as? String)?.contains("made before") == true, "\(problem)")
        let after = try api.checkout(40_000)
        #expect(try api.authorize(after).1["type"] as? String == "https://paylater.dev/problems/shopper-confirmation")
    }
}
