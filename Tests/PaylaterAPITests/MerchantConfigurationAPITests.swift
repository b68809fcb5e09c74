import Foundation
import PaylaterAPI
import PaylaterApp
import PaylaterMoney
import PaylaterTestSupport
import PaylaterTime
import Testing

/// What a merchant learns of its own terms from `GET /v1/configuration`.
@Suite("The merchant's configuration")
struct MerchantConfigurationAPITests {
    @Test("the pricing it pays now, a change made a moment ago included, and the changes scheduled ahead")
    func pricing() throws {
        let server = try APITestServer()
        defer { withExtendedLifetime(server) {} }
        let api = APIClient(server)
        #expect(try api.call("GET", "/v1/configuration").1["pricing"] != nil)
        let merchants = server.services.merchants
        let merchant = try #require(try merchants.merchants().first).id
        _ = try merchants.changePricing(
            merchant, MerchantPricingChange(discountRate: BasisPoints(180), fixedFees: [.CNY: try Money(parsing: "0.30", currency: .CNY)]))
        let later = try server.store.clock.now().utcDateTime.date.adding(days: 10)
        _ = try merchants.changePricing(merchant, MerchantPricingChange(discountRate: BasisPoints(150)), effectiveOn: later)
        let (status, body, response) = try api.call("GET", "/v1/configuration")
        let pricing = try #require(body["pricing"] as? [String: Any], "\(response.bodyText)")
        #expect(status == 200 && pricing["discount_rate_bp"] as? Int == 180, "\(pricing)")
        let fees = try #require(pricing["fixed_fees"] as? [[String: Any]])
        #expect(fees.count == 1 && fees.first?["amount"] as? Int == 30 && fees.first?["currency"] as? String == "CNY")
        let scheduled = try #require(pricing["scheduled"] as? [[String: Any]])
        #expect(scheduled.count == 1 && scheduled.first?["effective_on"] as? String == later.description, "\(scheduled)")
        #expect(scheduled.first?["discount_rate_bp"] as? Int == 150 && (scheduled.first?["fixed_fees"] as? [Any])?.count == 1)
    }
}
