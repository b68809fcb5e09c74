import Foundation
import PaylaterAPI
import PaylaterApp
import PaylaterLedger
import PaylaterMoney
import PaylaterStore
import PaylaterTestSupport
import PaylaterTime
import Testing

/// 600.00 CNY on financing-12 (1% a month; 39.73 of interest in all, 6.00 in the first installment of 53.31),
/// captured in full, then paid off by the shopper through the API.
@Suite("Paying a plan off through the API")
struct PayoffAPITests {
    /// The plan, and the shopper's client a day later (a shopper token is short-lived, so it is issued then).
    static func financedPlan(_ server: APITestServer) throws -> (shopper: APIClient, plan: String) {
        let api = APIClient(server)
        let (status, authorized) = try api.authorize(try api.checkout(60_000), product: "financing-12")
        #expect(status == 200 && authorized["decision"] as? String == "approved")
        let order = try #require((authorized["order"] as? [String: Any])?["id"] as? String)
        let (code, _, _) = try api.call("POST", "/v1/orders/\(order)/captures", [String: Any]())
        #expect(code == 201)
        server.store.clock.advance(by: .seconds(86_400))
        let shopper = APIClient(server, token: server.services.consumerTokens.issue(for: try ConsumerID("shopper-1")))
        return (shopper, "\(order)-p1")
    }

    static func amount(_ body: [String: Any], _ key: String) -> Int? { (body[key] as? [String: Any])?["amount"] as? Int }

    @Test("the quote before, the payoff after: unearned interest is rebated, the answer shows it, the ledger balances")
    func payOffNextDay() throws {
        let server = try APITestServer()
        let (shopper, plan) = try Self.financedPlan(server)
        // One day of interest: 600.00 × 12% / 365 = 0.197… → 0.20.
        var (code, quote, _) = try shopper.call("GET", "/v1/me/plans/\(plan)/payoff-quote")
        #expect(code == 200)
        #expect(Self.amount(quote, "amount") == 60_020 && Self.amount(quote, "fees") == 20)
        #expect(Self.amount(quote, "rebate") == 3_953 && Self.amount(quote, "fees_returned") == 0)
        #expect(Self.amount(quote, "remaining_scheduled") == 63_973)

        // An amount other than today's quote is refused at /amount and changes nothing.
        var (status, body, _) = try shopper.call(
            "POST", "/v1/me/payments", ["plan_id": plan, "pay_off": true, "amount": APIClient.cny(63_973)])
        #expect(status == 422 && body["field"] as? String == "/amount")
        (code, quote, _) = try shopper.call("GET", "/v1/me/plans/\(plan)/payoff-quote")
        #expect(Self.amount(quote, "amount") == 60_020)

        (status, body, _) = try shopper.call("POST", "/v1/me/payments", ["plan_id": plan, "pay_off": true], key: "payoff-1")
        #expect(status == 201)
        #expect(Self.amount(body, "amount") == 60_020 && Self.amount(body, "principal") == 60_000)
        #expect(Self.amount(body, "fees") == 20 && Self.amount(body, "rebate") == 3_953)
        #expect(Self.amount(body, "fees_returned") == 0 && Self.amount(body, "owed_after") == 0)
        #expect((body["status"] as? [String: Any])?["paid_off"] != nil)
        // A retry with the same key answers the same and pays nothing more.
        let (again, replay, _) = try shopper.call("POST", "/v1/me/payments", ["plan_id": plan, "pay_off": true], key: "payoff-1")
        #expect(again == 201 && Self.amount(replay, "amount") == 60_020)

        let ledger = LedgerService(database: server.store.database, clock: server.store.clock)
        let interest = try #require(try ledger.account(ChartOfAccounts.platform(.interestIncome, .CNY)))
        #expect(interest.balance.creditsPosted - interest.balance.debitsPosted == 20)
        #expect(try ledger.verify().firstViolation == nil)
        (code, _, _) = try shopper.call("GET", "/v1/me/plans/\(plan)/payoff-quote")
        #expect(code == 422)
    }

    @Test("an installment paid ahead, then a payoff: its unearned interest comes back and the total is a straight payoff's")
    func prepaidThenPayOff() throws {
        let server = try APITestServer()
        let (shopper, plan) = try Self.financedPlan(server)
        let (_, straight, _) = try shopper.call("GET", "/v1/me/plans/\(plan)/payoff-quote")
        var (status, body, _) = try shopper.call("POST", "/v1/me/payments", ["plan_id": plan, "amount": APIClient.cny(5_331)])
        #expect(status == 201 && Self.amount(body, "overpayment") == 0)
        let (_, quote, _) = try shopper.call("GET", "/v1/me/plans/\(plan)/payoff-quote")
        // Installment 1's 6.00 of interest was paid; 0.20 of it is earned.
        #expect(Self.amount(quote, "fees_returned") == 580)
        (status, body, _) = try shopper.call("POST", "/v1/me/payments", ["plan_id": plan, "pay_off": true])
        #expect(status == 201 && Self.amount(body, "fees_returned") == 580)
        let total = 5_331 + (Self.amount(body, "amount") ?? 0) - 580
        #expect(total == Self.amount(straight, "amount"))
        let ledger = LedgerService(database: server.store.database, clock: server.store.clock)
        let balance = try #require(try ledger.account(ChartOfAccounts.consumer(try ConsumerID("shopper-1"), .consumerCreditBalance, .CNY)))
        #expect(balance.balance.creditsPosted - balance.balance.debitsPosted == 580)
        #expect(try ledger.verify().firstViolation == nil)
    }
}
