import Foundation
@testable import PaylaterAPI
import PaylaterApp
import PaylaterHTTP
import PaylaterLedger
import PaylaterTestSupport
import Testing

/// Bad input never reaches a server fault: each request here once answered 500 (or could) and must be a 4xx problem.
@Suite("Bad input is a client problem")
struct BadInputTests {
    /// A server with one captured pay-in-4 plan for shopper-1, a client for the shopper and the plan's id.
    private static func capturedPlan() throws -> (APITestServer, APIClient, APIClient, String, String) {
        let server = try APITestServer()
        let api = APIClient(server)
        let checkout = try api.checkout(40_000)
        let (_, authorized) = try api.authorize(checkout)
        let order = try #require((authorized["order"] as? [String: Any])?["id"] as? String)
        let (captured, _, _) = try api.call("POST", "/v1/orders/\(order)/captures", ["amount": APIClient.cny(40_000)])
        #expect(captured == 201)
        let shopper = APIClient(server, token: server.services.consumerTokens.issue(for: try ConsumerID("shopper-1")))
        let (_, body, _) = try shopper.call("GET", "/v1/me/plans")
        let plan = try #require((body["plans"] as? [[String: Any]])?.first?["id"] as? String)
        return (server, api, shopper, order, plan)
    }

    private static func expectClientProblem(
        _ result: (Int, [String: Any], HTTPTestClient.Response), sourceLocation: SourceLocation = #_sourceLocation
    ) {
        let (status, _, response) = result
        #expect((400..<500).contains(status), "\(status) \(response.bodyText)", sourceLocation: sourceLocation)
        #expect(response.header("Content-Type") == "application/problem+json",
            sourceLocation: sourceLocation)
    }

    @Test("bad shopper input is answered with a 4xx problem, never a server fault")
    func shopperInput() throws {
        let (server, _, shopper, _, plan) = try Self.capturedPlan()
        defer { withExtendedLifetime(server) {} }
        let cases: [(String, String, [String: Any])] = [
            ("POST", "/v1/me/payments", ["plan_id": plan, "amount": APIClient.cny(-5)]),
            ("POST", "/v1/me/payments", ["plan_id": plan, "amount": APIClient.cny(0)]),
            ("POST", "/v1/me/payments", ["plan_id": plan, "amount": ["amount": 100, "currency": "USD"]]),
            ("POST", "/v1/me/payments", ["plan_id": "bad id!", "amount": APIClient.cny(5)]),
            ("POST", "/v1/me/plans/bad%20id/extend", ["installment": 2, "days": 5]),
            ("POST", "/v1/me/plans/\(plan)/extend", ["installment": 99, "days": 5]),
            ("POST", "/v1/me/plans/\(plan)/split", ["months": 3]),
            ("POST", "/v1/me/plans/bad%20id/split", ["months": 3]),
            ("POST", "/v1/me/statements/2026-13-01/payments", ["amount": APIClient.cny(5)]),
            ("POST", "/v1/me/statements/2026-01-01/payments", ["amount": APIClient.cny(-5)]),
            ("POST", "/v1/me/statements/2026-01-01/split", ["months": 3]),
            ("PUT", "/v1/me/spending-cap", ["spending_cap": APIClient.cny(-5)]),
            ("POST", "/v1/me/orders/nope/report-return", [:]),
        ]
        for (method, path, body) in cases {
            Self.expectClientProblem(try shopper.call(method, path, body))
        }
    }

    @Test("extending an installment already paid is a 422 naming the installment, and the extension stays available")
    func extensionOfPaidInstallment() throws {
        let (server, _, shopper, _, plan) = try Self.capturedPlan()
        defer { withExtendedLifetime(server) {} }
        let (paid, _, _) = try shopper.call(
            "POST", "/v1/me/payments", ["plan_id": plan, "amount": APIClient.cny(10_000)])
        #expect(paid == 201)
        let (refused, problem, response) = try shopper.call(
            "POST", "/v1/me/plans/\(plan)/extend", ["installment": 1, "days": 3])
        #expect(refused == 422, "\(response.bodyText)")
        #expect(problem["type"] as? String == "https://paylater.dev/problems/plan-rule")
        #expect(problem["field"] as? String == "/installment")
        let (extended, _, _) = try shopper.call(
            "POST", "/v1/me/plans/\(plan)/extend", ["installment": 2, "days": 3])
        #expect(extended == 201)
    }

    @Test("bad merchant input is answered with a 4xx problem, never a server fault")
    func merchantInput() throws {
        let (server, api, _, order, _) = try Self.capturedPlan()
        defer { withExtendedLifetime(server) {} }
        let cases: [(String, String, [String: Any])] = [
            ("POST", "/v1/orders/\(order)/refunds", ["amount": APIClient.cny(-5)]),
            ("POST", "/v1/orders/\(order)/refunds", ["amount": APIClient.cny(Int.max)]),
            ("POST", "/v1/orders/\(order)/refunds", ["amount": ["amount": 1, "currency": "USD"]]),
            ("POST", "/v1/orders/\(order)/delivery", ["delivered_on": "9999-12-31"]),
            ("POST", "/v1/orders/\(order)/delivery", ["delivered_on": "2026-02-30"]),
            ("POST", "/v1/checkouts", [
                "lines": [["name": "J", "quantity": 1, "unit_price": APIClient.cny(100), "tax_rate_bp": Int.max]],
                "total": APIClient.cny(100), "merchant_reference": "A", "shopper_reference": "s",
            ]),
            ("POST", "/v1/checkouts", [
                "lines": [["name": "J", "quantity": 1_000_000, "unit_price": APIClient.cny(Int.max), "tax_rate_bp": 0]],
                "total": APIClient.cny(Int.max), "merchant_reference": "A", "shopper_reference": "s",
            ]),
            ("POST", "/v1/webhooks/endpoints", ["url": "not a url"]),
            ("POST", "/v1/webhooks/nope/replay", [:]),
        ]
        for (method, path, body) in cases {
            Self.expectClientProblem(try api.call(method, path, body))
        }
        Self.expectClientProblem(try api.call("GET", "/v1/settlements/nope/report.csv"))
        let checkout = try api.checkout(40_000, shopper: "shopper-2")
        Self.expectClientProblem(try api.call("POST", "/v1/checkouts/\(checkout)/authorize", [
            "product_id": "nope", "device_id": "d", "shipping_address": "1 Long Street", "payment_instrument": "c",
            "age_years": 30, "identity_verified": true, "features": APIClient.goodShopper,
        ]))
    }
}

@Suite("Implausible applicant facts are refused before a decision is taken")
struct ImplausibleApplicantTests {
    @Test("a non-positive declared income or a negative distance is a 422, and no decision is stored")
    func refused() throws {
        let server = try APITestServer()
        let api = APIClient(server)
        let checkout = try api.checkout(40_000)
        var body: [String: Any] = [
            "product_id": "pay-in-4", "device_id": "d", "shipping_address": "a", "payment_instrument": "p",
            "age_years": 30, "identity_verified": true, "features": APIClient.goodShopper,
            "declared_monthly_income": APIClient.cny(-1),
        ]
        let (income, problem, _) = try api.call("POST", "/v1/checkouts/\(checkout)/authorize", body)
        #expect(income == 422)
        #expect(problem["field"] as? String == "/declared_monthly_income/amount")
        body["declared_monthly_income"] = nil
        body["distance_from_usual_address_km"] = -5
        #expect(try api.call("POST", "/v1/checkouts/\(checkout)/authorize", body).0 == 422)
        let (_, session, _) = try api.call("GET", "/v1/checkouts/\(checkout)")
        #expect(session["state"] as? String == "open")
    }
}

/// A shopper's payment may exceed what the plan owes by at most as much again (a modest overpayment is kept as a
/// credit balance); the tester's one payment near Int64.max filled the platform's cash account and blocked every
/// later payment with a 409 naming it.
@Suite("An oversized payment is the shopper's mistake, refused before anything is booked")
struct OverpaymentTests {
    @Test("a payment of more than twice what is owed is a 422 naming /amount, and the plan is unchanged", arguments: [
        80_001, Int(Int64.max),
    ])
    func overpayment(amount: Int) throws {
        let server = try APITestServer()
        let api = APIClient(server)
        let checkout = try api.checkout(40_000)
        let (_, authorized) = try api.authorize(checkout)
        let order = try #require((authorized["order"] as? [String: Any])?["id"] as? String)
        #expect(try api.call("POST", "/v1/orders/\(order)/captures", ["amount": APIClient.cny(40_000)]).0 == 201)
        let shopper = APIClient(server, token: server.services.consumerTokens.issue(for: try ConsumerID("shopper-1")))
        let plan = try #require(
            (try shopper.call("GET", "/v1/me/plans").1["plans"] as? [[String: Any]])?.first?["id"] as? String)
        let (status, problem, response) = try shopper.call(
            "POST", "/v1/me/payments", ["plan_id": plan, "amount": APIClient.cny(amount)])
        #expect(status == 422, "\(response.bodyText)")
        #expect(problem["type"] as? String == "https://paylater.dev/problems/validation")
        #expect(problem["field"] as? String == "/amount")
        #expect((problem["detail"] as? String)?.contains("at most 800.00 CNY") == true)
        let plans = try #require(try shopper.call("GET", "/v1/me/plans").1["plans"] as? [[String: Any]])
        #expect((plans.first?["owed"] as? [String: Any])?["amount"] as? Int == 40_000)
        let (paid, receipt, _) = try shopper.call(
            "POST", "/v1/me/payments", ["plan_id": plan, "amount": APIClient.cny(80_000)])
        #expect(paid == 201 && (receipt["overpayment"] as? [String: Any])?["amount"] as? Int == 40_000)
    }

    @Test("a ledger total that would overflow is a 422 naming /amount that names no internal account")
    func overflowingTotals() throws {
        let account = try AccountID("platform:cash:CNY")
        let errors: [any Error] = [
            ServicingError.ledgerRejected(.overflowsTotals(account)), CreditLineError.rejected(.overflowsTotals(account)),
        ]
        for error in errors {
            let problem = try #require(ProblemMapping.problem(for: error))
            #expect(problem.status == 422 && problem.field == "/amount")
            #expect(problem.type == HTTPProblem.typePrefix + "validation")
            #expect(problem.detail?.contains("platform") == false)
        }
    }

    @Test("the body rules (Content-Type, unknown keys) hold on routes that take a body; a route that takes none ignores one")
    func bodyRulesApplyToRoutesWithABody() throws {
        let server = try APITestServer()
        let api = APIClient(server)
        let (status, authorized) = try api.authorize(try api.checkout(40_000))
        #expect(status == 200)
        let order = try #require((authorized["order"] as? [String: Any])?["id"] as? String)
        func post(_ path: String, _ contentType: String, _ text: String) throws -> Int {
            try api.http.send(
                "POST", path,
                headers: [("Authorization", "Bearer \(api.token)"), ("Content-Type", contentType), ("Idempotency-Key", UUID().uuidString)],
                text: text
            ).status
        }
        #expect(try post("/v1/orders/\(order)/captures", "text/plain", #"{"amount":{"amount":100,"currency":"CNY"}}"#) == 415)
        #expect(try post("/v1/orders/\(order)/extend-authorization", "application/json", #"{"days":1,"x":1}"#) == 422)
        #expect(try post("/v1/orders/\(order)/cancel", "text/plain", "hello") == 200)
    }
}
