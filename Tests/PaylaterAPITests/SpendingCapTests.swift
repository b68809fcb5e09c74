import Foundation
import PaylaterAPI
import PaylaterApp
import PaylaterLedger
import PaylaterMoney
import PaylaterTestSupport
import Testing

/// The shopper's own monthly spending cap, set through `PUT /v1/me/spending-cap`.
@Suite("The shopper's spending cap")
struct SpendingCapTests {
    private static func shopper(_ server: APITestServer, _ id: String) throws -> APIClient {
        APIClient(server, token: server.services.consumerTokens.issue(for: try ConsumerID(id)))
    }

    private static func expectCurrencyRefused(
        _ result: (Int, [String: Any], HTTPTestClient.Response), sourceLocation: SourceLocation = #_sourceLocation
    ) {
        let (status, body, response) = result
        #expect(status == 422, "\(response.bodyText)", sourceLocation: sourceLocation)
        #expect(body["type"] as? String == "https://paylater.dev/problems/spending-cap-currency", sourceLocation: sourceLocation)
        #expect(body["field"] as? String == "/spending_cap/currency", sourceLocation: sourceLocation)
    }

    @Test("a cap in another currency than the shopper's credit line is a 422 and leaves the stored cap as it was")
    func otherCurrencyThanTheLine() throws {
        let server = try APITestServer()
        defer { withExtendedLifetime(server) {} }
        // The platform lends in USD too, but this shopper's line is in CNY.
        _ = try CreditLineService(database: server.store.database, clock: server.store.clock)
            .setFundingCapacity(try Money(parsing: "1000.00", currency: .USD), changeID: try TransferID("capacity-usd"))
        let api = APIClient(server)
        let (authorized, _) = try api.authorize(try api.checkout(40_000))
        #expect(authorized == 200)
        let shopper = try Self.shopper(server, "shopper-1")
        let (set, _, _) = try shopper.call("PUT", "/v1/me/spending-cap", ["spending_cap": APIClient.cny(50_000)])
        #expect(set == 200)

        let refused = try shopper.call("PUT", "/v1/me/spending-cap", ["spending_cap": ["amount": 50_000, "currency": "USD"]])
        Self.expectCurrencyRefused(refused)
        #expect(
            refused.1["detail"] as? String == "a spending cap must be in the currency of the shopper's credit line (CNY), not USD",
            "\(refused.2.bodyText)")

        let (read, body, _) = try shopper.call("GET", "/v1/me/spending-cap")
        #expect(read == 200)
        let cap = try #require(body["spending_cap"] as? [String: Any])
        #expect(cap["amount"] as? Int == 50_000)
        #expect(cap["currency"] as? String == "CNY")
    }

    @Test("a cap of zero or less is a validation problem naming the amount", arguments: [0, -5])
    func notPositive(amount: Int) throws {
        let server = try APITestServer()
        defer { withExtendedLifetime(server) {} }
        let shopper = try Self.shopper(server, "shopper-1")
        let (status, body, response) = try shopper.call("PUT", "/v1/me/spending-cap", ["spending_cap": APIClient.cny(amount)])
        #expect(status == 422, "\(response.bodyText)")
        #expect(body["type"] as? String == "https://paylater.dev/problems/validation")
        #expect(body["field"] as? String == "/spending_cap/amount")
    }

    @Test("a shopper with no credit line yet may set a cap only in a currency the platform lends in (has funding capacity in)")
    func noLineYet() throws {
        let server = try APITestServer()
        defer { withExtendedLifetime(server) {} }
        let shopper = try Self.shopper(server, "shopper-new")

        // The shopper has no credit currency yet: the refusal is about where the platform lends.
        let refused = try shopper.call("PUT", "/v1/me/spending-cap", ["spending_cap": ["amount": 50_000, "currency": "USD"]])
        Self.expectCurrencyRefused(refused)
        #expect(
            refused.1["detail"] as? String
                == "a spending cap of 500.00 USD is refused: the platform does not lend in USD (it has no funding capacity in it); it lends in CNY",
            "\(refused.2.bodyText)")
        let (before, unset, _) = try shopper.call("GET", "/v1/me/spending-cap")
        #expect(before == 200)
        #expect(unset["spending_cap"] == nil)

        let (set, _, _) = try shopper.call("PUT", "/v1/me/spending-cap", ["spending_cap": APIClient.cny(50_000)])
        #expect(set == 200)
    }

    @Test("a shopper with credit in two currencies and a cap in one: an order in the other is declined, not let through")
    func orderInTheOtherCurrency() throws {
        let server = try APITestServer()
        defer { withExtendedLifetime(server) {} }
        _ = try CreditLineService(database: server.store.database, clock: server.store.clock)
            .setFundingCapacity(try Money(parsing: "100000.00", currency: .USD), changeID: try TransferID("capacity-usd"))
        let api = APIClient(server)
        let (usd, _) = try api.authorize(try api.checkout(10_000, currency: "USD"))
        let (cny, _) = try api.authorize(try api.checkout(10_000), device: "device-2")
        #expect(usd == 200 && cny == 200)
        let shopper = try Self.shopper(server, "shopper-1")
        let (set, _, _) = try shopper.call("PUT", "/v1/me/spending-cap", ["spending_cap": APIClient.cny(100)])
        #expect(set == 200)

        let (status, body) = try api.authorize(try api.checkout(10_000, currency: "USD"), device: "device-3")
        #expect(status == 200)
        #expect(body["decision"] as? String == "declined")
        #expect(body["reasons"] as? [String] == ["This order is above the spending cap you set for yourself"])
        #expect(body["order"] == nil)
    }
}

