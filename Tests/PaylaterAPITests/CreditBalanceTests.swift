import Foundation
import PaylaterAPI
import PaylaterApp
import PaylaterLedger
import PaylaterMoney
import PaylaterStore
import PaylaterTestSupport
import Testing

/// The shopper's credit balance: what they overpaid, or had paid on a purchase the merchant then refunded, is
/// theirs, shown to them and paid back out on request.
@Suite("The shopper's credit balance")
struct CreditBalanceTests {
    /// A server where shopper-1 overpaid a 400.00 plan by `overpaid` fen, and a client with shopper-1's token.
    private static func overpaid(by overpaid: Int) throws -> (APITestServer, APIClient) {
        let server = try APITestServer()
        let api = APIClient(server)
        let order = try #require((try api.authorize(try api.checkout(40_000)).1["order"] as? [String: Any])?["id"] as? String)
        #expect(try api.call("POST", "/v1/orders/\(order)/captures", ["amount": APIClient.cny(40_000)]).0 == 201)
        let shopper = APIClient(server, token: server.services.consumerTokens.issue(for: try ConsumerID("shopper-1")))
        let plan = try #require(((shopper.call("GET", "/v1/me/plans").1["plans"]) as? [[String: Any]])?.first?["id"] as? String)
        let (paid, receipt, _) = try shopper.call(
            "POST", "/v1/me/payments", ["plan_id": plan, "amount": APIClient.cny(40_000 + overpaid)])
        #expect(paid == 201)
        #expect((receipt["overpayment"] as? [String: Any])?["amount"] as? Int == overpaid)
        return (server, shopper)
    }

    private static func balance(_ shopper: APIClient) throws -> Int? {
        let (status, body, _) = try shopper.call("GET", "/v1/me/credit-balance")
        #expect(status == 200)
        return ((body["balances"] as? [[String: Any]])?.first { $0["currency"] as? String == "CNY" })?["amount"] as? Int
    }

    private static func cash(_ server: APITestServer) throws -> Int64 {
        let ledger = LedgerService(database: server.store.database, clock: server.store.clock)
        return try #require(try ledger.account(ChartOfAccounts.platform(.platformCash, .CNY))).balance.postedDebitBalance
    }

    @Test("an overpayment shows as the shopper's balance, and a payout takes it back out of the platform's cash")
    func payout() throws {
        let (server, shopper) = try Self.overpaid(by: 5_000)
        #expect(try Self.balance(shopper) == 5_000)
        let cashBefore = try Self.cash(server)

        let (status, payout, _) = try shopper.call(
            "POST", "/v1/me/credit-balance/payouts", ["amount": APIClient.cny(3_000)], key: "payout-1")
        #expect(status == 201)
        #expect(payout["operation_id"] as? String == "payout-1")
        #expect((payout["balance"] as? [String: Any])?["amount"] as? Int == 2_000)
        #expect(try Self.balance(shopper) == 2_000)
        #expect(try Self.cash(server) == cashBefore - 3_000)

        let (again, replayed, response) = try shopper.call(
            "POST", "/v1/me/credit-balance/payouts", ["amount": APIClient.cny(3_000)], key: "payout-1")
        #expect(again == 201 && response.header("Idempotent-Replayed") == "true")
        #expect((replayed["balance"] as? [String: Any])?["amount"] as? Int == 2_000)
        #expect(try Self.balance(shopper) == 2_000, "a retry pays nothing twice")
        let verification = try LedgerService(database: server.store.database, clock: server.store.clock).verify()
        #expect(verification.firstViolation == nil)
    }

    @Test("a payout beyond the balance, of nothing, or with no balance at all is refused and changes nothing")
    func refusals() throws {
        let (server, shopper) = try Self.overpaid(by: 1_000)
        let (over, problem, _) = try shopper.call("POST", "/v1/me/credit-balance/payouts", ["amount": APIClient.cny(1_001)])
        #expect(over == 422)
        #expect(problem["type"] as? String == "https://paylater.dev/problems/credit-balance")
        #expect(problem["field"] as? String == "/amount")
        let (zero, invalid, _) = try shopper.call("POST", "/v1/me/credit-balance/payouts", ["amount": APIClient.cny(0)])
        #expect(zero == 422 && invalid["field"] as? String == "/amount")
        let (usd, _, _) = try shopper.call(
            "POST", "/v1/me/credit-balance/payouts", ["amount": ["amount": 100, "currency": "USD"]])
        #expect(usd == 422)
        #expect(try Self.balance(shopper) == 1_000)

        let stranger = APIClient(server, token: server.services.consumerTokens.issue(for: try ConsumerID("shopper-new")))
        #expect((try stranger.call("GET", "/v1/me/credit-balance").1["balances"] as? [Any])?.isEmpty == true)
        #expect(try stranger.call("POST", "/v1/me/credit-balance/payouts", ["amount": APIClient.cny(1)]).0 == 422)
    }
}
