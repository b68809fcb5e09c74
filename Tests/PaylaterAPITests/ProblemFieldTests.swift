import Foundation
import PaylaterApp
@testable import PaylaterAPI
import PaylaterHTTP
import PaylaterLedger
import PaylaterProducts
import PaylaterTestSupport
import PaylaterTime
import Testing

/// A problem's `field` is a JSON pointer into the body or a header name (docs/API.md), naming the input at fault.
@Suite("Problem fields name the input at fault")
struct ProblemFieldTests {
    @Test("several statements due the same day: the problem points at /product_id, the body field that chooses")
    func ambiguousStatement() throws {
        let error = StatementServiceError.ambiguousStatement(
            dueDate: try LocalDate(iso8601: "2027-01-10"), statements: ["monthly-bill CNY", "monthly-bill-2 CNY"])
        let problem = try #require(ProblemMapping.problem(for: error))
        #expect(problem.status == 409 && problem.type == HTTPProblem.typePrefix + "ambiguous-statement")
        #expect(problem.field == "/product_id")
        #expect(problem.detail == error.description)
    }

    /// A server with one captured pay-in-4 order of shopper-1: merchant and shopper clients, the order and its plan.
    private static func capturedOrder() throws -> (APITestServer, APIClient, APIClient, String, String) {
        let server = try APITestServer()
        let api = APIClient(server)
        let (_, authorized) = try api.authorize(try api.checkout(40_000))
        let order = try #require((authorized["order"] as? [String: Any])?["id"] as? String)
        #expect(try api.call("POST", "/v1/orders/\(order)/captures", ["amount": APIClient.cny(40_000)]).0 == 201)
        let shopper = APIClient(server, token: server.services.consumerTokens.issue(for: try ConsumerID("shopper-1")))
        let (_, body, _) = try shopper.call("GET", "/v1/me/plans")
        let plan = try #require((body["plans"] as? [[String: Any]])?.first?["id"] as? String)
        return (server, api, shopper, order, plan)
    }

    @Test(
        "an Idempotency-Key that cannot be the operation id is refused naming the Idempotency-Key header",
        arguments: ["bad/key/", String(repeating: "k", count: 65)])
    func idempotencyKeyAsOperationID(keyPrefix: String) throws {
        let (server, merchant, shopper, order, plan) = try Self.capturedOrder()
        defer { withExtendedLifetime(server) {} }
        let merchantCalls: [(String, [String: Any])] = [
            ("/v1/orders/\(order)/captures", [:]),
            ("/v1/orders/\(order)/refunds", ["amount": APIClient.cny(100)]),
        ]
        let shopperCalls: [(String, [String: Any])] = [
            ("/v1/me/payments", ["plan_id": plan, "amount": APIClient.cny(100)]),
            ("/v1/me/plans/\(plan)/extend", ["installment": 2, "days": 3]),
            ("/v1/me/plans/\(plan)/split", ["months": 3]),
            ("/v1/me/statements/2027-01-10/payments", ["amount": APIClient.cny(100)]),
            ("/v1/me/statements/2027-01-10/split", ["months": 3]),
            ("/v1/me/orders/\(order)/report-return", [:]),
        ]
        // A key of its own per call: a key already used on another path would be an idempotency-mismatch.
        let answers = try merchantCalls.map { try merchant.call("POST", $0.0, $0.1, key: keyPrefix + $0.0) }
            + shopperCalls.map { try shopper.call("POST", $0.0, $0.1, key: keyPrefix + $0.0) }
        for (path, (status, problem, _)) in zip((merchantCalls + shopperCalls).map(\.0), answers) {
            #expect(status == 422, "\(path): \(problem)")
            #expect(problem["field"] as? String == "Idempotency-Key", "\(path): \(problem)")
        }
        let (status, returned, _) = try shopper.call("POST", "/v1/me/orders/\(order)/report-return", [:])
        #expect(status == 201 && returned["paused_plans"] as? Int == 1, "the refused return paused nothing: \(returned)")
    }

    @Test("a plan id that cannot be one is a 422 naming where it came from: the path's id or the body's /plan_id")
    func badPlanIDs() throws {
        let (server, _, shopper, _, _) = try Self.capturedOrder()
        defer { withExtendedLifetime(server) {} }
        let bad = "a:b"
        let calls: [(String, String, [String: Any]?, String)] = [
            ("POST", "/v1/me/payments", ["plan_id": bad, "amount": APIClient.cny(100)], "/plan_id"),
            ("GET", "/v1/me/plans/\(bad)/payoff-quote", nil, "id"),
            ("POST", "/v1/me/plans/\(bad)/extend", ["installment": 2, "days": 3], "id"),
            ("POST", "/v1/me/plans/\(bad)/split", ["months": 3], "id"),
        ]
        for (method, path, body, field) in calls {
            let (status, problem, _) = try shopper.call(method, path, body)
            #expect(status == 422 && problem["field"] as? String == field, "\(path): \(problem)")
        }
    }

    @Test("extending an authorization past its 60 days points at /days and says how many days are left")
    func authorizationExtensionTooLong() throws {
        let server = try APITestServer()
        let api = APIClient(server)
        let (_, authorized) = try api.authorize(try api.checkout(40_000))
        let order = try #require((authorized["order"] as? [String: Any])?["id"] as? String)
        let left = (Order.authorizationMaximum - Order.authorizationDefault).components.seconds / 86_400
        var (status, problem, _) = try api.call("POST", "/v1/orders/\(order)/extend-authorization", ["days": left + 1])
        #expect(status == 422 && problem["type"] as? String == HTTPProblem.typePrefix + "validation", "\(problem)")
        #expect(problem["field"] as? String == "/days")
        #expect((problem["detail"] as? String)?.contains("extended by at most \(left) days") == true, "\(problem)")
        #expect(try api.call("POST", "/v1/orders/\(order)/extend-authorization", ["days": left]).0 == 200)
        (status, problem, _) = try api.call("POST", "/v1/orders/\(order)/extend-authorization", ["days": 1])
        #expect(status == 422 && problem["field"] as? String == "/days")
        #expect((problem["detail"] as? String)?.contains("cannot be extended any more") == true, "\(problem)")
    }

    @Test("a webhook URL delivery could not use is refused at registration, pointing at /url")
    func unusableWebhookURL() throws {
        let server = try APITestServer()
        let (status, problem, _) = try APIClient(server).call(
            "POST", "/v1/webhooks/endpoints", ["url": "http://127.0.0.1:99999/hooks"])
        #expect(status == 422 && problem["type"] as? String == HTTPProblem.typePrefix + "webhook", "\(problem)")
        #expect(problem["field"] as? String == "/url")
        #expect((problem["detail"] as? String)?.contains("the port must be a number from 1 to 65535") == true)
    }

    @Test("control characters in a merchant's text are refused at their field; other scripts and punctuation are kept")
    func controlCharacters() throws {
        let server = try APITestServer()
        let api = APIClient(server)
        let money: [String: Any] = ["amount": 40_000, "currency": "CNY"]
        func checkout(reference: String, name: String) throws -> (Int, [String: Any]) {
            let (status, body, _) = try api.call("POST", "/v1/checkouts", [
                "lines": [["name": name, "quantity": 1, "unit_price": money]], "total": money,
                "merchant_reference": reference, "shopper_reference": "shopper-1",
            ])
            return (status, body)
        }
        for (reference, name, field) in [
            ("A-1\nInjected: yes", "Jacket", "/merchant_reference"), ("A-1", "Jacket\u{0}", "/lines/0/name"),
            ("A-1", "\u{1b}[31mRed", "/lines/0/name"), ("A\u{85}1", "Jacket", "/merchant_reference"),
        ] {
            let (status, problem) = try checkout(reference: reference, name: name)
            #expect(status == 422 && problem["field"] as? String == field, "\(problem)")
            #expect((problem["detail"] as? String)?.contains("must not hold control characters") == true)
        }
        #expect(try checkout(reference: "抖音 #1, \"=cell\"", name: "Jacket — 红色").0 == 201)
        let (_, authorized) = try api.authorize(try api.checkout(40_000))
        let order = try #require((authorized["order"] as? [String: Any])?["id"] as? String)
        var (status, problem, _) = try api.call(
            "POST", "/v1/orders/\(order)/captures", ["amount": APIClient.cny(40_000), "capture_id": "cap\r\n1"])
        #expect(status == 422 && problem["field"] as? String == "/capture_id", "\(problem)")
        #expect(try api.call("POST", "/v1/orders/\(order)/captures", ["amount": APIClient.cny(40_000), "capture_id": "cap #1"]).0 == 201)
        (status, problem, _) = try api.call(
            "POST", "/v1/orders/\(order)/refunds", ["amount": APIClient.cny(100), "refund_id": "r\t1"])
        #expect(status == 422 && problem["field"] as? String == "/refund_id", "\(problem)")
    }

    @Test("a server for production refuses a webhook URL at a loopback or metadata address, pointing at /url")
    func privateWebhookAddress() throws {
        let server = try APITestServer(webhookDestinations: .publicOnly)
        let client = APIClient(server)
        for url in ["http://127.0.0.1:9/hooks", "http://169.254.169.254/latest/meta-data/"] {
            let (status, problem, _) = try client.call("POST", "/v1/webhooks/endpoints", ["url": url])
            #expect(status == 422 && problem["type"] as? String == HTTPProblem.typePrefix + "webhook", "\(problem)")
            #expect(problem["field"] as? String == "/url")
            #expect((problem["detail"] as? String)?.contains("is not a public address; webhooks go to public addresses only") == true)
        }
        let (status, listing, _) = try client.call("GET", "/v1/webhooks/endpoints")
        #expect(status == 200 && (listing["endpoints"] as? [Any])?.isEmpty == true, "\(listing)")
    }

    @Test("a webhook URL with a percent-encoded host, which could never be resolved, is refused at registration, pointing at /url")
    func percentEncodedWebhookHost() throws {
        let server = try APITestServer()
        let (status, problem, _) = try APIClient(server).call(
            "POST", "/v1/webhooks/endpoints", ["url": "http://%31%32%37.0.0.1/x"])
        #expect(status == 422 && problem["type"] as? String == HTTPProblem.typePrefix + "webhook", "\(problem)")
        #expect(problem["field"] as? String == "/url")
        #expect((problem["detail"] as? String)?.contains("the host must be written plainly, not percent-encoded") == true)
    }

    @Test("a checkout naming two shoppers (shopper_reference twice) is refused, pointing at the second")
    func duplicateShopperReference() throws {
        let server = try APITestServer()
        let body = #"{"lines":[{"name":"I","quantity":1,"unit_price":{"amount":1000,"currency":"CNY"}}],"#
            + #""total":{"amount":1000,"currency":"CNY"},"merchant_reference":"r","shopper_reference":"x","#
            + #""shopper_reference":"y"}"#
        let response = try HTTPTestClient(port: server.port).send(
            "POST", "/v1/checkouts",
            headers: [
                ("Authorization", "Bearer \(server.merchantKey)"), ("Content-Type", "application/json"),
                ("Idempotency-Key", "dup-1"),
            ],
            text: body)
        #expect(response.status == 400)
        let problem = try #require(try JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any])
        #expect(problem["type"] as? String == HTTPProblem.typePrefix + "malformed-json")
        #expect(problem["field"] as? String == "/shopper_reference")
    }

    @Test("more than 200 features is refused pointing at /features itself")
    func tooManyFeatures() throws {
        let server = try APITestServer()
        let api = APIClient(server)
        let features = Dictionary(uniqueKeysWithValues: (0...200).map { ("f\($0)", 1) })
        let (status, problem) = try api.authorize(try api.checkout(40_000), features: features)
        #expect(status == 422, "\(problem)")
        #expect(problem["field"] as? String == "/features")
    }

    @Test("a feature named in more than 64 bytes is refused at /features, quoting a bounded excerpt; 64 bytes pass")
    func longFeatureName() throws {
        let server = try APITestServer()
        let api = APIClient(server)
        let long = String(repeating: "n", count: 3_000)
        let (status, problem) = try api.authorize(try api.checkout(40_000), features: [long: 1])
        #expect(status == 422 && problem["field"] as? String == "/features", "\(problem)")
        #expect((problem["detail"] as? String).map { $0.contains("1 to 64 bytes, not 3000") && $0.count < 200 } == true)
        let (fine, body) = try api.authorize(try api.checkout(40_000), features: [String(repeating: "n", count: 64): 1])
        #expect(fine == 200, "\(body)")
    }

    @Test("a declared income in another currency than the order's is refused at its currency, not put aside")
    func incomeInAnotherCurrency() throws {
        let server = try APITestServer()
        let api = APIClient(server)
        let checkout = try api.checkout(40_000)
        let (status, problem, _) = try api.call("POST", "/v1/checkouts/\(checkout)/authorize", [
            "product_id": "pay-in-4", "device_id": "device-1", "shipping_address": "1 Long Street",
            "payment_instrument": "card-1", "age_years": 30, "identity_verified": true,
            "features": APIClient.goodShopper, "declared_monthly_income": ["amount": 1, "currency": "JPY"],
        ])
        #expect(status == 422, "\(problem)")
        #expect(problem["type"] as? String == HTTPProblem.typePrefix + "validation")
        #expect(problem["field"] as? String == "/declared_monthly_income/currency")
        #expect(try api.authorize(checkout).0 == 200)
    }

    @Test("a shopper payment that is not positive points at /amount, for a plan and for a statement", arguments: [-5, 0])
    func paymentNotPositive(amount: Int) throws {
        let (server, _, shopper, _, plan) = try Self.capturedOrder()
        defer { withExtendedLifetime(server) {} }
        for (path, body) in [
            ("/v1/me/payments", ["plan_id": plan, "amount": APIClient.cny(amount)] as [String: Any]),
            ("/v1/me/statements/2027-01-10/payments", ["amount": APIClient.cny(amount)]),
        ] {
            let (status, problem, _) = try shopper.call("POST", path, body)
            #expect(status == 422, "\(path): \(problem)")
            #expect(problem["field"] as? String == "/amount", "\(path): \(problem)")
        }
    }

    @Test("a problem quotes at most about 100 characters of what the caller sent")
    func quotationsAreCut() throws {
        let server = try APITestServer()
        let api = APIClient(server)
        let long = String(repeating: "x", count: 3_000)
        let digits = String(repeating: "9", count: 5_000)
        let body = #"{"lines":[{"name":"J","quantity":1,"unit_price":{"amount":"# + digits
            + #","currency":"CNY"}}],"total":{"amount":1,"currency":"CNY"},"shopper_reference":"s"}"#
        let bigNumber = try HTTPTestClient(port: server.port).send(
            "POST", "/v1/checkouts",
            headers: [
                ("Authorization", "Bearer \(server.merchantKey)"), ("Content-Type", "application/json"),
                ("Idempotency-Key", "big-number"),
            ],
            text: body)
        let answers = [
            bigNumber,
            try api.call("POST", "/v1/checkouts", [long: 1]).2,
            try api.call("GET", "/v1/orders/\(long)").2,
            try api.call("GET", "/v1/checkouts/\(long)").2,
            try api.call("GET", "/v1/webhooks/events/\(long)").2,
            try api.call("GET", "/v1/webhooks/events?before=\(long)").2,
        ]
        for answer in answers {
            #expect((400..<500).contains(answer.status))
            #expect(answer.body.count < 700, "\(answer.status): \(answer.bodyText.prefix(200))")
        }
    }
}
