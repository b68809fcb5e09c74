import Foundation
import PaylaterAPI
import PaylaterCrypto
import PaylaterHTTP
import PaylaterApp
import PaylaterLedger
import PaylaterMoney
import PaylaterProducts
import PaylaterStore
import PaylaterTestSupport
import PaylaterTime
import Synchronization
import Testing

/// A client for the test server that speaks JSON with a bearer token and idempotency keys.
struct APIClient {
    let http: HTTPTestClient
    let token: String

    init(_ server: APITestServer, token: String? = nil) {
        http = HTTPTestClient(port: server.port)
        self.token = token ?? server.merchantKey
    }

    func call(_ method: String, _ path: String, _ body: Any? = nil, key: String? = UUID().uuidString) throws -> (Int, [String: Any], HTTPTestClient.Response) {
        var headers = [("Authorization", "Bearer \(token)"), ("Content-Type", "application/json")]
        if let key, method == "POST" || method == "PUT" { headers.append(("Idempotency-Key", key)) }
        let bytes = try body.map { Array(try JSONSerialization.data(withJSONObject: $0, options: .sortedKeys)) } ?? []
        let response = try http.send(method, path, headers: headers, body: bytes)
        let object = (try? JSONSerialization.jsonObject(with: Data(response.body))) as? [String: Any] ?? [:]
        return (response.status, object, response)
    }

    static func cny(_ minorUnits: Int) -> [String: Any] { ["amount": minorUnits, "currency": "CNY"] }

    func checkout(_ amount: Int, shopper: String = "shopper-1", currency: String = "CNY") throws -> String {
        let money: [String: Any] = ["amount": amount, "currency": currency]
        let (status, object, response) = try call("POST", "/v1/checkouts", [
            "lines": [["name": "Jacket", "quantity": 1, "unit_price": money, "tax_rate_bp": 1300]],
            "total": money, "merchant_reference": "A-1", "shopper_reference": shopper,
        ])
        guard status == 201, let id = object["id"] as? String else { throw TestStoreError("checkout: \(status) \(response.bodyText)") }
        return id
    }

    nonisolated(unsafe) static let goodShopper: [String: Any] = [
        "account_age_days": 800, "orders_last_year": 20, "return_rate": 0.01, "late_repayments": 0, "bureau_delinquencies": 0,
    ]

    /// `distance`: kilometres from the shopper's usual shipping address (beyond the example policy's 500, a referral).
    func authorize(
        _ checkout: String, features: [String: Any] = goodShopper, device: String = "device-1", product: String = "pay-in-4",
        distance: Int? = nil, key: String = UUID().uuidString
    ) throws -> (Int, [String: Any]) {
        var body: [String: Any] = [
            "product_id": product, "device_id": device, "shipping_address": "1 Long Street", "payment_instrument": "card-1",
            "age_years": 30, "identity_verified": true, "features": features,
        ]
        if let distance { body["distance_from_usual_address_km"] = distance }
        let (status, object, _) = try call("POST", "/v1/checkouts/\(checkout)/authorize", body, key: key)
        return (status, object)
    }
}

@Suite("The HTTP API end to end")
struct APIEndToEndTests {
    @Test("checkout → authorize → capture → refund → payments → paid off, with the order polled at each step")
    func lifecycle() throws {
        let server = try APITestServer()
        let api = APIClient(server)
        let checkout = try api.checkout(40_000)
        let (status, authorized) = try api.authorize(checkout)
        #expect(status == 200)
        #expect(authorized["decision"] as? String == "approved")
        let order = try #require((authorized["order"] as? [String: Any])?["id"] as? String)
        // Decided once: the same request again (a new key) answers the same order; another product is a 409.
        #expect(((try api.authorize(checkout).1["order"] as? [String: Any])?["id"] as? String) == order)
        let (switched, problem) = try api.authorize(checkout, product: "monthly-split-6")
        #expect(switched == 409 && problem["type"] as? String == "https://paylater.dev/problems/checkout-decided", "\(problem)")

        var (code, body, _) = try api.call("POST", "/v1/orders/\(order)/captures", ["amount": APIClient.cny(40_000)])
        #expect(code == 201)
        #expect(body["state"] as? String == "captured")
        (code, body, _) = try api.call("POST", "/v1/orders/\(order)/refunds", ["amount": APIClient.cny(10_000)])
        #expect(code == 201)
        #expect((body["refunded"] as? [String: Any])?["amount"] as? Int == 10_000)
        (code, body, _) = try api.call("GET", "/v1/orders/\(order)")
        #expect(code == 200 && body["state"] as? String == "captured")

        let token = server.services.consumerTokens.issue(for: try ConsumerID("shopper-1"))
        let shopper = APIClient(server, token: token)
        (code, body, _) = try shopper.call("GET", "/v1/me/plans")
        let plans = try #require(body["plans"] as? [[String: Any]])
        #expect(plans.count == 1)
        let planID = try #require(plans[0]["id"] as? String)
        #expect((plans[0]["owed"] as? [String: Any])?["amount"] as? Int == 30_000)
        (code, body, _) = try shopper.call("POST", "/v1/me/payments", ["plan_id": planID, "amount": APIClient.cny(5_000)])
        #expect(code == 201)
        (code, body, _) = try shopper.call("POST", "/v1/me/payments", ["plan_id": planID, "pay_off": true])
        #expect(code == 201)
        #expect((body["status"] as? [String: Any])?["paidOff"] != nil || "\(body["status"] ?? "")".contains("paid"))
        (code, body, _) = try shopper.call("GET", "/v1/me/plans")
        #expect(((body["plans"] as? [[String: Any]])?.first?["status"] as? String) == "paid_off")
        let line = try CreditLineService(database: server.store.database, clock: server.store.clock).creditLine(try ConsumerID("shopper-1"), .CNY)
        #expect(line.used.isZero && line.held.isZero)
    }

    /// r6-journey 6: a reported return was invisible to the shopper; only the moved due dates showed it.
    @Test("a reported return shows on the shopper's plan as return_pause (reported_on, ends_on 28 days later); a plan without one has none")
    func returnPauseShows() throws {
        let server = try APITestServer()
        let api = APIClient(server)
        let order = try #require((try api.authorize(try api.checkout(40_000)).1["order"] as? [String: Any])?["id"] as? String)
        #expect(try api.call("POST", "/v1/orders/\(order)/captures", [:]).0 == 201)
        let shopper = APIClient(server, token: server.services.consumerTokens.issue(for: try ConsumerID("shopper-1")))
        func plan() throws -> [String: Any] {
            try #require((try shopper.call("GET", "/v1/me/plans").1["plans"] as? [[String: Any]])?.first)
        }
        #expect(try plan()["return_pause"] == nil)
        #expect(try shopper.call("POST", "/v1/me/orders/\(order)/report-return", [:]).0 == 201)
        let today = server.store.clock.now().utcDateTime.date
        let pause = try #require(try plan()["return_pause"] as? [String: Any])
        #expect(pause["reported_on"] as? String == today.description)
        #expect(pause["ends_on"] as? String == (try today.adding(days: 28)).description)
    }

    @Test("a decline returns shopper-safe reasons and no order; the checkout remembers it")
    func decline() throws {
        let server = try APITestServer()
        let api = APIClient(server)
        let checkout = try api.checkout(40_000)
        let risky: [String: Any] = ["account_age_days": 5, "orders_last_year": 0, "return_rate": 0.4, "late_repayments": 3, "bureau_delinquencies": 2]
        let (status, body) = try api.authorize(checkout, features: risky)
        #expect(status == 200)
        #expect(body["decision"] as? String == "declined")
        #expect(!((body["reasons"] as? [String]) ?? []).isEmpty)
        #expect(body["order"] == nil)
        let (_, session, _) = try api.call("GET", "/v1/checkouts/\(checkout)")
        #expect(session["state"] as? String == "declined")
    }

    @Test("cancel before capture releases the hold; expiry ends an authorization that was never captured")
    func cancelAndExpiry() throws {
        let server = try APITestServer()
        let api = APIClient(server)
        let first = try api.authorize(try api.checkout(20_000)).1
        let order = try #require((first["order"] as? [String: Any])?["id"] as? String)
        var (code, body, _) = try api.call("POST", "/v1/orders/\(order)/cancel")
        #expect(code == 200 && body["state"] as? String == "cancelled")
        (code, body, _) = try api.call("POST", "/v1/orders/\(order)/captures", ["amount": APIClient.cny(100)])
        #expect(code == 409)
        #expect(body["type"] as? String == "https://paylater.dev/problems/order-state")

        let second = try api.authorize(try api.checkout(20_000), device: "device-2").1
        let expiring = try #require((second["order"] as? [String: Any])?["id"] as? String)
        server.store.clock.advance(by: .seconds(29 * 86_400))
        (code, body, _) = try api.call("GET", "/v1/orders/\(expiring)")
        #expect(body["state"] as? String == "expired")
        #expect((body["remaining_authorization"] as? [String: Any])?["amount"] as? Int == 0)
    }

    @Test("a partly captured order whose authorization ran out reads as captured, and capture and extension are 409 order-state, before the worker records it")
    func partlyCapturedExpiry() throws {
        let server = try APITestServer()
        let api = APIClient(server)
        let authorized = try api.authorize(try api.checkout(40_000)).1
        let order = try #require((authorized["order"] as? [String: Any])?["id"] as? String)
        #expect(try api.call("POST", "/v1/orders/\(order)/captures", ["amount": APIClient.cny(10_000)]).0 == 201)
        server.store.clock.advance(by: Order.authorizationDefault)
        var (code, body, _) = try api.call("GET", "/v1/orders/\(order)")
        #expect(body["state"] as? String == "captured", "\(body)")
        #expect((body["remaining_authorization"] as? [String: Any])?["amount"] as? Int == 0)
        (code, body, _) = try api.call("POST", "/v1/orders/\(order)/extend-authorization", ["days": 7])
        #expect(code == 409 && body["type"] as? String == HTTPProblem.typePrefix + "order-state", "\(body)")
        (code, body, _) = try api.call("POST", "/v1/orders/\(order)/captures", ["amount": APIClient.cny(100)])
        #expect(code == 409 && body["type"] as? String == HTTPProblem.typePrefix + "order-state", "\(body)")
    }

    @Test("a retried POST returns the stored response; the same key with another body is 422")
    func idempotentRetries() throws {
        let server = try APITestServer()
        let api = APIClient(server)
        let order = try #require((try api.authorize(try api.checkout(40_000)).1["order"] as? [String: Any])?["id"] as? String)
        let (first, firstBody, _) = try api.call("POST", "/v1/orders/\(order)/captures", ["amount": APIClient.cny(10_000)], key: "cap-1")
        let (again, againBody, response) = try api.call("POST", "/v1/orders/\(order)/captures", ["amount": APIClient.cny(10_000)], key: "cap-1")
        #expect(first == 201 && again == 201)
        #expect(NSDictionary(dictionary: firstBody) == NSDictionary(dictionary: againBody))
        #expect(response.header("Idempotent-Replayed") == "true")
        let (mismatch, problem, _) = try api.call("POST", "/v1/orders/\(order)/captures", ["amount": APIClient.cny(10_001)], key: "cap-1")
        #expect(mismatch == 422)
        #expect(problem["type"] as? String == "https://paylater.dev/problems/idempotency-mismatch")
        let (_, state, _) = try api.call("GET", "/v1/orders/\(order)")
        #expect((state["captured"] as? [String: Any])?["amount"] as? Int == 10_000)
        let (missing, _, _) = try api.call("POST", "/v1/orders/\(order)/captures", ["amount": APIClient.cny(1)], key: nil)
        #expect(missing == 400)
    }

    @Test("a capture_id or refund_id reused with another amount is 422 on that field and changes nothing; the same amount is a retry")
    func operationIDReused() throws {
        let server = try APITestServer()
        let api = APIClient(server)
        let order = try #require((try api.authorize(try api.checkout(40_000)).1["order"] as? [String: Any])?["id"] as? String)
        let steps: [(String, String, Int, Int)] = [("captures", "capture_id", 5_000, 35_000), ("refunds", "refund_id", 1_000, 4_000)]
        for (path, field, amount, other) in steps {
            let body: (Int) -> [String: Any] = { [field: "op-1", "amount": APIClient.cny($0)] }
            let (first, done, _) = try api.call("POST", "/v1/orders/\(order)/\(path)", body(amount))
            let (retry, again, _) = try api.call("POST", "/v1/orders/\(order)/\(path)", body(amount))
            #expect(first == 201 && retry == 201)
            #expect(NSDictionary(dictionary: done) == NSDictionary(dictionary: again))
            let (reused, problem, _) = try api.call("POST", "/v1/orders/\(order)/\(path)", body(other))
            #expect(reused == 422)
            #expect(problem["type"] as? String == "https://paylater.dev/problems/idempotency-mismatch")
            #expect(problem["field"] as? String == "/\(field)")
            let (_, state, _) = try api.call("GET", "/v1/orders/\(order)")
            #expect(NSDictionary(dictionary: state) == NSDictionary(dictionary: done))
        }
    }

    @Test("a capture of fewer minor units than installments is 422 order-amount naming the smallest capture, not a 500")
    func captureTooSmall() throws {
        let server = try APITestServer()
        let api = APIClient(server)
        let order = try #require((try api.authorize(try api.checkout(10_000)).1["order"] as? [String: Any])?["id"] as? String)
        let (status, problem, response) = try api.call("POST", "/v1/orders/\(order)/captures", ["amount": APIClient.cny(3)])
        #expect(status == 422, "\(response.bodyText)")
        #expect(problem["type"] as? String == "https://paylater.dev/problems/order-amount")
        #expect(problem["field"] as? String == "/amount")
        #expect((problem["detail"] as? String)?.contains("the smallest capture is 0.04 CNY") == true)
        let (_, state, _) = try api.call("GET", "/v1/orders/\(order)")
        #expect(state["state"] as? String == "authorized")
    }

    @Test("two merchants cannot see each other's orders")
    func merchantsAreSeparate() throws {
        let server = try APITestServer()
        let api = APIClient(server)
        let order = try #require((try api.authorize(try api.checkout(40_000)).1["order"] as? [String: Any])?["id"] as? String)
        let other = try server.services.merchants.create(name: "Other", pricing: MerchantPricingTerms(discountRate: BasisPoints(100)))
        let stranger = APIClient(server, token: other.apiKey)
        #expect(try stranger.call("GET", "/v1/orders/\(order)").0 == 404)
        #expect(try stranger.call("POST", "/v1/orders/\(order)/cancel").0 == 404)
        #expect(try APIClient(server, token: "plk_wrong").call("GET", "/v1/orders/\(order)").0 == 401)
        // Spaces and tabs around the key are optional whitespace; other characters are part of the key.
        #expect(try APIClient(server, token: " \t\(server.merchantKey)\t ").call("GET", "/v1/orders/\(order)").0 == 200)
        #expect(try APIClient(server, token: server.merchantKey + "\u{A0}").call("GET", "/v1/orders/\(order)").0 == 401)
    }

    @Test("concurrent authorizations for one shopper never exceed the limit")
    func concurrentAuthorizations() throws {
        let server = try APITestServer()
        let api = APIClient(server)
        _ = try api.authorize(try api.checkout(40_000))
        let checkouts = try (0..<24).map { _ in try api.checkout(40_000) }
        let answers = concurrently(checkouts.count) { index in
            let (status, body) = try api.authorize(checkouts[index], device: "device-\(index % 3)")
            return (status: status, decision: body["decision"] as? String)
        }
        #expect(answers.unexpectedFailures() == [])
        #expect(answers.successes().allSatisfy { $0.status == 200 || $0.status == 409 })
        let approved = 1 + answers.successes().filter { $0.decision == "approved" }.count
        let line = try CreditLineService(database: server.store.database, clock: server.store.clock).creditLine(try ConsumerID("shopper-1"), .CNY)
        #expect(line.held.minorUnits == Int64(approved) * 40_000)
        #expect(line.held.minorUnits <= line.limit.minorUnits)
    }

    @Test(
        "bad input of every kind is a 4xx problem and changes nothing",
        arguments: [
            ("POST", "/v1/checkouts", #"{"lines": [}"#, 400, "malformed-json"),
            ("POST", "/v1/checkouts", "{\"lines\": \"\u{FFFD}\"", 400, "malformed-json"),
            ("POST", "/v1/checkouts", #"{"lines":[{"name":"x","quantity":1,"unit_price":{"amount":100,"currency":"CNY",},},],"total":{"amount":100,"currency":"CNY"},"merchant_reference":"a","shopper_reference":"s",}"#, 400, "malformed-json"),
            ("POST", "/v1/checkouts", #"{"lines":[{"name":"x","quantity":1.5,"unit_price":{"amount":100,"currency":"CNY"}}],"total":{"amount":100,"currency":"CNY"},"merchant_reference":"a","shopper_reference":"s"}"#, 422, "validation"),
            ("POST", "/v1/checkouts", #"{"lines":[{"name":"x","quantity":1,"unit_price":{"amount":100,"currency":"CNY"}}],"total":{"amount":150,"currency":"CNY"},"merchant_reference":"a","shopper_reference":"s"}"#, 422, "total-mismatch"),
            ("POST", "/v1/checkouts", #"{"lines":[],"total":{"amount":100,"currency":"XXQ"},"merchant_reference":"a","shopper_reference":"s"}"#, 422, "validation"),
            ("POST", "/v1/checkouts", #"{"surprise":1}"#, 422, "validation"),
            ("POST", "/v1/checkouts", "[1,2]", 422, "validation"),
            ("GET", "/v1/nowhere", "", 404, "not-found"),
            ("DELETE", "/v1/checkouts", "", 405, "method-not-allowed"),
            ("POST", "/v1/orders/nope/captures", #"{"amount":{"amount":1,"currency":"CNY"}}"#, 404, "not-found"),
        ])
    func badInput(method: String, path: String, body: String, status: Int, type: String) throws {
        let server = try APITestServer()
        let api = APIClient(server)
        var headers = [("Authorization", "Bearer \(server.merchantKey)"), ("Content-Type", "application/json")]
        if method == "POST" { headers.append(("Idempotency-Key", UUID().uuidString)) }
        let before = try LedgerService(database: server.store.database, clock: server.store.clock).verify().transfersChecked
        let response = try api.http.send(method, path, headers: headers, body: Array(body.utf8))
        #expect(response.status == status, "\(response.bodyText)")
        #expect(response.header("Content-Type") == "application/problem+json")
        let problem = try #require(try JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any])
        #expect(problem["type"] as? String == "https://paylater.dev/problems/\(type)")
        #expect(try LedgerService(database: server.store.database, clock: server.store.clock).verify().transfersChecked == before)
    }

    @Test("invalid UTF-8 and a body over the limit are refused before any handler runs")
    func invalidBytes() throws {
        let server = try APITestServer()
        let client = HTTPTestClient(port: server.port)
        let headers = [
            ("Authorization", "Bearer \(server.merchantKey)"), ("Content-Type", "application/json"), ("Idempotency-Key", "k"),
        ]
        let invalid = try client.send("POST", "/v1/checkouts", headers: headers, body: [0x7B, 0x22, 0xFF, 0x22, 0x3A, 0x31, 0x7D])
        #expect(invalid.status == 400)
        // A declared body over the 1 MiB limit is answered 413 before the server reads it.
        let head = "POST /v1/checkouts HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer \(server.merchantKey)\r\n"
            + "Content-Type: application/json\r\nIdempotency-Key: k2\r\nContent-Length: \(2 << 20)\r\nConnection: close\r\n\r\n"
        let huge = try HTTPTestClient.parse(try client.sendRaw(Array(head.utf8)))
        #expect(huge.status == 413)
    }

    @Test("a merchant over its rate limit gets 429 with Retry-After")
    func rateLimited() throws {
        let server = try APITestServer(rateLimiter: RateLimiter(perSecond: 1, burst: 2))
        let api = APIClient(server)
        let statuses = try (0..<4).map { _ in try api.call("GET", "/v1/configuration").2 }
        #expect(statuses.map(\.status) == [200, 200, 429, 429])
        #expect(statuses[2].header("Retry-After") != nil)
    }

    @Test("unknown API keys are limited per address: 429 once its failures are used up, while a merchant remembered goes on")
    func unknownKeysLimited() throws {
        let server = try APITestServer(failedAuthentications: RateLimiter(perSecond: 1, burst: 3))
        let known = APIClient(server)
        #expect(try known.call("GET", "/v1/configuration").0 == 200)
        let guesser = APIClient(server, token: "plk_" + String(repeating: "x", count: 43))
        let statuses = try (0..<5).map { _ in try guesser.call("GET", "/v1/configuration").2 }
        #expect(statuses.map(\.status) == [401, 401, 401, 429, 429])
        #expect(statuses[3].header("Retry-After") == "1")
        #expect(try known.call("GET", "/v1/configuration").0 == 200, "remembered: no lookup needed")
        let other = try server.services.merchants.create(
            name: "Other", pricing: MerchantPricingTerms(discountRate: BasisPoints(250)))
        let newcomer = APIClient(server, token: other.apiKey)
        #expect(try newcomer.call("GET", "/v1/configuration").0 == 429, "needs a lookup, and the address has no failures left")
        server.store.clock.advance(by: .seconds(1))
        #expect(try newcomer.call("GET", "/v1/configuration").0 == 200)
        #expect(try newcomer.call("GET", "/v1/configuration").0 == 200, "a key found takes nothing from the budget")
    }

    @Test("health, metrics and the configuration answer")
    func operations() throws {
        let server = try APITestServer()
        let api = APIClient(server)
        #expect(try api.http.send("GET", "/healthz").status == 200)
        _ = try api.authorize(try api.checkout(40_000))
        let metrics = try api.http.send("GET", "/metrics").bodyText
        #expect(metrics.contains("http_requests_total"))
        #expect(metrics.contains("paylater_decisions_total{outcome=\"approved\"} 1"))
        #expect(metrics.contains("paylater_ledger_transfers_total"))
        // The embedded store's group commit: the checkout and the authorization were written, the writer was held.
        let counters = Dictionary(
            metrics.split(separator: "\n").filter { $0.hasPrefix("paylater_store_") }.compactMap { line in
                let parts = line.split(separator: " ")
                return parts.count == 2 ? (String(parts[0]), Double(parts[1])) : nil
            }, uniquingKeysWith: { first, _ in first })
        #expect((counters["paylater_store_writes_total"] ?? nil).map { $0 >= 2 } == true, "\(counters)")
        #expect((counters["paylater_store_write_groups_total"] ?? nil).map { $0 >= 1 } == true)
        #expect((counters["paylater_store_log_syncs_total"] ?? nil) != nil)
        #expect((counters["paylater_store_writer_held_seconds_total"] ?? nil).map { $0 > 0 } == true)
        #expect((counters["paylater_store_database_writebacks_total"] ?? nil) != nil)
        let (code, configuration, _) = try api.call("GET", "/v1/configuration")
        #expect(code == 200)
        #expect((configuration["products"] as? [Any])?.isEmpty == false)
        // The calendar of every date in the API: the example catalog's.
        #expect(configuration["time_zone"] as? String == "Asia/Shanghai")
    }
}

@Suite("Webhooks and settlement through the API")
struct APIWebhookSettlementTests {
    @Test("an authorization's event reaches the merchant's endpoint, signed, and can be replayed")
    func webhookDelivery() throws {
        let received = Mutex<[(headers: HTTPHeaders, body: [UInt8])]>([])
        let receiver = try HTTPServer(configuration: HTTPServerConfiguration()) { request in
            received.withLock { $0.append((request.headers, request.body)) }
            return .empty(status: 204)
        }
        defer { receiver.shutdown(grace: .seconds(1)) }
        let server = try APITestServer()
        let api = APIClient(server)
        let (code, endpoint, _) = try api.call("POST", "/v1/webhooks/endpoints", ["url": "http://127.0.0.1:\(receiver.port)/hooks"])
        #expect(code == 201)
        let secret = try #require(endpoint["secret"] as? String)
        _ = try api.authorize(try api.checkout(40_000))
        let dispatcher = WebhookDispatcher(
            database: server.store.database, clock: server.store.clock, transport: HTTPWebhookTransport(destinations: .any))
        let report = try dispatcher.deliverDue()
        #expect(report.delivered.count == 1)
        let delivery = try #require(received.withLock { $0.first })
        let signature = try #require(delivery.headers["Paylater-Signature"])
        try WebhookSignature.verify(header: signature, body: delivery.body, secret: secret, now: server.store.clock.now())
        let event = try #require(try JSONSerialization.jsonObject(with: Data(delivery.body)) as? [String: Any])
        #expect(event["type"] as? String == "order.authorized")
        let eventID = try #require(event["id"] as? String)
        let (replayed, _, _) = try api.call("POST", "/v1/webhooks/\(eventID)/replay")
        #expect(replayed == 202)
        #expect(try dispatcher.deliverDue().delivered.count == 1)
        #expect(received.withLock { $0.count } == 2)
    }

    @Test("a merchant reads its endpoints, events and delivery log over the API, and finds there the event to replay")
    func deliveryLog() throws {
        let answers = Mutex<[Int]>([500, 204])
        let received = Mutex<[[UInt8]]>([])
        let receiver = try HTTPServer(configuration: HTTPServerConfiguration()) { request in
            received.withLock { $0.append(request.body) }
            return .empty(status: answers.withLock { $0.isEmpty ? 204 : $0.removeFirst() })
        }
        defer { receiver.shutdown(grace: .seconds(1)) }
        let server = try APITestServer()
        let api = APIClient(server)
        let url = "http://127.0.0.1:\(receiver.port)/hooks"
        #expect(try api.call("POST", "/v1/webhooks/endpoints", ["url": url]).0 == 201)
        let order = try #require((try api.authorize(try api.checkout(40_000)).1["order"] as? [String: Any])?["id"] as? String)
        let dispatcher = WebhookDispatcher(
            database: server.store.database, clock: server.store.clock, transport: HTTPWebhookTransport(destinations: .any))
        #expect(try dispatcher.deliverDue().delivered.isEmpty, "the endpoint answered 500")

        let (listed, endpoints, _) = try api.call("GET", "/v1/webhooks/endpoints")
        #expect(listed == 200)
        let endpoint = try #require((endpoints["endpoints"] as? [[String: Any]])?.first)
        #expect(endpoint["url"] as? String == url && endpoint["active"] as? Bool == true)
        #expect(endpoint["secret"] == nil, "a secret is shown only at registration")

        let (found, events, _) = try api.call("GET", "/v1/webhooks/events?order_id=\(order)")
        #expect(found == 200)
        let event = try #require((events["events"] as? [[String: Any]])?.first)
        #expect(event["type"] as? String == "order.authorized" && event["sequence"] as? Int == 1)
        let pending = try #require((event["deliveries"] as? [[String: Any]])?.first)
        #expect(pending["state"] as? String == "pending" && pending["attempts"] as? Int == 1)
        #expect(pending["last_status"] as? Int == 500 && pending["generation"] as? Int == 0)
        #expect(pending["next_attempt_at"] is String && pending["delivered_at"] is NSNull)

        let eventID = try #require(event["id"] as? String)
        let (read, detail, _) = try api.call("GET", "/v1/webhooks/events/\(eventID)")
        #expect(read == 200)
        let sent = try #require(received.withLock { $0.first })
        #expect(
            (detail["event"] as? NSDictionary)
                == (try JSONSerialization.jsonObject(with: Data(sent)) as? NSDictionary),
            "the event shown is the body the endpoint was sent")
        let log = try #require(((detail["deliveries"] as? [[String: Any]])?.first)?["log"] as? [[String: Any]])
        #expect(log.count == 1 && log[0]["attempt"] as? Int == 1 && log[0]["status"] as? Int == 500)

        #expect(try api.call("POST", "/v1/webhooks/\(eventID)/replay").0 == 202)
        #expect(try dispatcher.deliverDue().delivered.count == 1)
        let replayed = try api.call("GET", "/v1/webhooks/events?order_id=\(order)").1
        let states = ((replayed["events"] as? [[String: Any]])?.first?["deliveries"] as? [[String: Any]])?
            .map { "\($0["generation"] ?? "?") \($0["state"] ?? "?")" }
        #expect(Set(states ?? []) == ["0 pending", "1 delivered"])
    }

    @Test("a merchant deactivates an endpoint: nothing more is sent to it, it frees its place, another merchant cannot touch it")
    func deactivateEndpoint() throws {
        let server = try APITestServer()
        let api = APIClient(server)
        let (_, registered, _) = try api.call("POST", "/v1/webhooks/endpoints", ["url": "http://127.0.0.1:9/broken"])
        let id = try #require(registered["id"] as? String)
        let other = try server.services.merchants.create(name: "Other", pricing: MerchantPricingTerms(discountRate: BasisPoints(100)))
        #expect(try APIClient(server, token: other.apiKey).call("DELETE", "/v1/webhooks/endpoints/\(id)").0 == 404)
        #expect(try api.call("DELETE", "/v1/webhooks/endpoints/we_nope").0 == 404)

        let (status, endpoint, _) = try api.call("DELETE", "/v1/webhooks/endpoints/\(id)")
        #expect(status == 200 && endpoint["active"] as? Bool == false && endpoint["secret"] == nil)
        #expect(try api.call("DELETE", "/v1/webhooks/endpoints/\(id)").1["active"] as? Bool == false, "again: the same")
        let listed = try api.call("GET", "/v1/webhooks/endpoints").1["endpoints"] as? [[String: Any]]
        #expect(listed?.map { $0["active"] as? Bool } == [false])

        _ = try api.authorize(try api.checkout(40_000))
        let events = try #require(try api.call("GET", "/v1/webhooks/events").1["events"] as? [[String: Any]])
        #expect(events.count == 1 && (events[0]["deliveries"] as? [Any])?.isEmpty == true, "no delivery to an inactive endpoint")
        for index in 0..<WebhookService.endpointsMaximum {
            #expect(try api.call("POST", "/v1/webhooks/endpoints", ["url": "http://127.0.0.1:9/h\(index)"]).0 == 201)
        }
        #expect(try api.call("POST", "/v1/webhooks/endpoints", ["url": "http://127.0.0.1:9/one-more"]).0 == 422)
    }

    @Test("the event log pages back with before=<last id>: every event once, newest first; an unknown cursor is a 422 naming before")
    func eventLogPages() throws {
        let server = try APITestServer()
        let api = APIClient(server)
        for amount in [10_000, 20_000, 30_000] {
            let order = try #require((try api.authorize(try api.checkout(amount)).1["order"] as? [String: Any])?["id"] as? String)
            _ = try api.call("POST", "/v1/orders/\(order)/captures", [:])
            server.store.clock.advance(by: .seconds(1))
        }
        let (_, whole, _) = try api.call("GET", "/v1/webhooks/events?limit=100")
        let all = try #require(whole["events"] as? [[String: Any]]).compactMap { $0["id"] as? String }
        #expect(all.count == 6)
        var paged: [String] = []
        var cursor: String?
        var pages = 0
        repeat {
            pages += 1
            let (status, page, _) = try api.call("GET", "/v1/webhooks/events?limit=4" + (cursor.map { "&before=\($0)" } ?? ""))
            #expect(status == 200)
            let ids = try #require(page["events"] as? [[String: Any]]).compactMap { $0["id"] as? String }
            paged += ids
            cursor = ids.count == 4 ? ids.last : nil
        } while cursor != nil && pages < 5  // a cursor that were ignored would page forever
        #expect(paged == all)
        let (status, problem, _) = try api.call("GET", "/v1/webhooks/events?before=evt_nope")
        #expect(status == 422 && problem["field"] as? String == "before", "\(problem)")
    }

    @Test("another merchant's events are not found, and a bad limit is a 422 naming it")
    func deliveryLogIsTheMerchants() throws {
        let server = try APITestServer()
        let api = APIClient(server)
        #expect(try api.call("POST", "/v1/webhooks/endpoints", ["url": "http://127.0.0.1:9/hooks"]).0 == 201)
        _ = try api.authorize(try api.checkout(40_000))
        let eventID = try #require(
            ((try api.call("GET", "/v1/webhooks/events").1["events"]) as? [[String: Any]])?.first?["id"] as? String)
        let other = try server.services.merchants.create(name: "Other", pricing: MerchantPricingTerms(discountRate: BasisPoints(100)))
        let stranger = APIClient(server, token: other.apiKey)
        #expect(try stranger.call("GET", "/v1/webhooks/events/\(eventID)").0 == 404)
        #expect((try stranger.call("GET", "/v1/webhooks/events").1["events"] as? [Any])?.isEmpty == true)
        #expect((try stranger.call("GET", "/v1/webhooks/endpoints").1["endpoints"] as? [Any])?.isEmpty == true)
        for limit in ["0", "101", "ten", "-1"] {
            let (status, problem, _) = try api.call("GET", "/v1/webhooks/events?limit=\(limit)")
            #expect(status == 422 && problem["field"] as? String == "limit", "limit=\(limit)")
        }
        #expect(try api.call("GET", "/v1/webhooks/events?limit=100").0 == 200)
    }

    @Test("a captured order is settled less the merchant discount, listed and reported as CSV")
    func settlement() throws {
        let server = try APITestServer()
        let api = APIClient(server)
        let order = try #require((try api.authorize(try api.checkout(40_000)).1["order"] as? [String: Any])?["id"] as? String)
        _ = try api.call("POST", "/v1/orders/\(order)/captures", ["amount": APIClient.cny(40_000)])
        server.store.clock.advance(by: .seconds(60))
        let merchant = try MerchantID(server.merchantID)
        let pricing = try server.services.merchants.merchant(merchant).pricing.settlementPricing(.CNY)
        let settlement = try server.services.settlements.settle(
            merchant: merchant, currency: .CNY, through: server.store.clock.now(), pricing: pricing, settlementID: "s-1")
        #expect(settlement.payout == (try Money(parsing: "390.00", currency: .CNY)))
        let (code, list, _) = try api.call("GET", "/v1/settlements")
        #expect(code == 200)
        #expect((list["settlements"] as? [[String: Any]])?.first?["id"] as? String == "s-1")
        #expect(try api.call("GET", "/v1/settlements?before=s-1").1["settlements"] as? [Any] != nil)
        for (query, field) in [("limit=0", "limit"), ("limit=101", "limit"), ("before=s-nope", "before")] {
            let (status, problem, _) = try api.call("GET", "/v1/settlements?\(query)")
            #expect(status == 422 && problem["field"] as? String == field, "\(query): \(problem)")
        }
        let csv = try api.http.send("GET", "/v1/settlements/s-1/report.csv", headers: [("Authorization", "Bearer \(server.merchantKey)")])
        #expect(csv.status == 200)
        #expect(csv.bodyText.hasPrefix(
            "line,transfer_id,kind,amount,discount,net,order_id,plan_id,currency,merchant_reference,capture_id,refund_id,at\r\n"))
        // Each line names the order it belongs to, so a merchant can match the payout to their orders.
        let first = csv.bodyText.components(separatedBy: "\r\n")[1].components(separatedBy: ",")
        #expect(first[2] == "capture" && first[6] == order && first[7] == "\(order)-p1", "\(first)")
    }

    @Test("GET /v1/settlements/{id} has the settlement's number, period and pricing, and lines matched to the merchant's books (order, merchant reference, capture or refund id, time); the CSV has them with the currency; another merchant's is 404")
    func settlementStatement() throws {
        let server = try APITestServer()
        let api = APIClient(server)
        let order = try #require((try api.authorize(try api.checkout(40_000)).1["order"] as? [String: Any])?["id"] as? String)
        _ = try api.call("POST", "/v1/orders/\(order)/captures", ["amount": APIClient.cny(40_000), "capture_id": "cap-7"])
        let merchant = try MerchantID(server.merchantID)
        let pricing = try server.services.merchants.merchant(merchant).pricing.settlementPricing(.CNY)
        server.store.clock.advance(by: .seconds(60))
        let firstCutoff = server.store.clock.now()
        _ = try server.services.settlements.settle(merchant: merchant, currency: .CNY, through: firstCutoff, pricing: pricing, settlementID: "s-1")
        server.store.clock.advance(by: .seconds(60))
        let refundedAt = server.store.clock.now()
        _ = try api.call("POST", "/v1/orders/\(order)/refunds", ["amount": APIClient.cny(10_000), "refund_id": "r-9"])
        server.store.clock.advance(by: .seconds(60))
        _ = try server.services.settlements.settle(
            merchant: merchant, currency: .CNY, through: server.store.clock.now(), pricing: pricing, settlementID: "s-2")

        let (status, first, _) = try api.call("GET", "/v1/settlements/s-1")
        #expect(status == 200)
        #expect(first["number"] as? Int == 1 && first["period_start"] is NSNull && first["lines"] as? Int == 1)
        #expect(first["discount_rate_bp"] as? Int == Int(pricing.discountRate.rawValue))
        let capture = try #require((first["line_items"] as? [[String: Any]])?.first)
        #expect(capture["kind"] as? String == "capture" && capture["order_id"] as? String == order)
        #expect(capture["merchant_reference"] as? String == "A-1" && capture["capture_id"] as? String == "cap-7")
        #expect(capture["refund_id"] is NSNull && capture["plan_id"] as? String == "\(order)-p1")

        let (_, second, _) = try api.call("GET", "/v1/settlements/s-2")
        #expect(second["number"] as? Int == 2 && second["period_start"] as? String == firstCutoff.description)
        let refund = try #require((second["line_items"] as? [[String: Any]])?.first)
        #expect(refund["kind"] as? String == "refund" && refund["refund_id"] as? String == "r-9")
        #expect(refund["capture_id"] is NSNull && refund["merchant_reference"] as? String == "A-1")
        #expect(refund["at"] as? String == refundedAt.description)
        let listed = try #require((try api.call("GET", "/v1/settlements").1["settlements"] as? [[String: Any]])?.first)
        #expect(listed["id"] as? String == "s-2" && listed["lines"] as? Int == 1 && listed["line_items"] == nil)

        let csv = try api.http.send("GET", "/v1/settlements/s-2/report.csv", headers: [("Authorization", "Bearer \(server.merchantKey)")])
        let row = csv.bodyText.components(separatedBy: "\r\n")[1].components(separatedBy: ",")
        #expect(Array(row[2...]) == [
            "refund", "-100.00", "0.00", "-100.00", order, "\(order)-p1", "CNY", "A-1", "", "r-9", refundedAt.description,
        ])

        let other = try server.services.merchants.create(name: "Other", pricing: MerchantPricingTerms(discountRate: BasisPoints(100)))
        #expect(try APIClient(server, token: other.apiKey).call("GET", "/v1/settlements/s-1").0 == 404)
        #expect(try api.call("GET", "/v1/settlements/s-nope").0 == 404)
    }

    @Test("GET /v1/balance shows the merchant's payable and latest settlement per currency: a refund beyond the captures shows as a debt the latest settlement carried over; another merchant sees only its own")
    func balance() throws {
        let server = try APITestServer()
        let api = APIClient(server)
        #expect((try api.call("GET", "/v1/balance").1["balances"] as? [Any])?.isEmpty == true, "no capture, no payable")
        let order = try #require((try api.authorize(try api.checkout(40_000)).1["order"] as? [String: Any])?["id"] as? String)
        _ = try api.call("POST", "/v1/orders/\(order)/captures", ["amount": APIClient.cny(40_000)])
        let merchant = try MerchantID(server.merchantID)
        let pricing = try server.services.merchants.merchant(merchant).pricing.settlementPricing(.CNY)
        server.store.clock.advance(by: .seconds(60))
        _ = try server.services.settlements.settle(
            merchant: merchant, currency: .CNY, through: server.store.clock.now(), pricing: pricing, settlementID: "s-1")
        server.store.clock.advance(by: .seconds(60))
        _ = try api.call("POST", "/v1/orders/\(order)/refunds", ["amount": APIClient.cny(40_000)])
        server.store.clock.advance(by: .seconds(60))
        _ = try server.services.settlements.settle(
            merchant: merchant, currency: .CNY, through: server.store.clock.now(), pricing: pricing, settlementID: "s-2")

        let (status, body, _) = try api.call("GET", "/v1/balance")
        #expect(status == 200)
        let balances = try #require(body["balances"] as? [[String: Any]])
        #expect(balances.count == 1)
        let cny = try #require(balances.first)
        func amount(_ key: String) -> Int? { (cny[key] as? [String: Any])?["amount"] as? Int }
        #expect(cny["currency"] as? String == "CNY")
        #expect(amount("balance") == -40_000 && amount("carried_over") == -40_000 && amount("since_latest_settlement") == 0)
        let latest = try #require(cny["latest_settlement"] as? [String: Any])
        #expect(latest["id"] as? String == "s-2" && latest["line_items"] == nil)

        let other = try server.services.merchants.create(name: "Other", pricing: MerchantPricingTerms(discountRate: BasisPoints(100)))
        let (otherStatus, otherBody, _) = try APIClient(server, token: other.apiKey).call("GET", "/v1/balance")
        #expect(otherStatus == 200 && (otherBody["balances"] as? [Any])?.isEmpty == true)
    }
}

@Suite("Monthly bill through the API")
struct APIMonthlyBillTests {
    @Test("two purchases on the monthly bill make one statement; the shopper splits it into 6 and sees the installments")
    func statementSplit() throws {
        let server = try APITestServer()
        let api = APIClient(server)
        for amount in [30_000, 12_000] {
            let checkout = try api.checkout(amount)
            let (status, body, _) = try api.call("POST", "/v1/checkouts/\(checkout)/authorize", [
                "product_id": "monthly-bill", "device_id": "device-\(amount)", "shipping_address": "1 Long Street",
                "payment_instrument": "card-1", "age_years": 30, "identity_verified": true, "features": APIClient.goodShopper,
            ])
            #expect(status == 200 && body["decision"] as? String == "approved", "\(body)")
            let order = try #require((body["order"] as? [String: Any])?["id"] as? String)
            #expect(try api.call("POST", "/v1/orders/\(order)/captures", [:]).0 == 201)
        }
        let shopper = APIClient(server, token: server.services.consumerTokens.issue(for: try ConsumerID("shopper-1")))
        var (code, body, _) = try shopper.call("GET", "/v1/me/statements")
        let statements = try #require(body["statements"] as? [[String: Any]])
        #expect(code == 200 && statements.count == 1)
        let due = try #require(statements[0]["due_date"] as? String)
        #expect((statements[0]["total"] as? [String: Any])?["amount"] as? Int == 42_000)
        // One purchase split on its own is listed by id on the statement (split_plan_ids); then the rest is split.
        let first = try #require((statements[0]["lines"] as? [[String: Any]])?.first?["plan_id"] as? String)
        (code, body, _) = try shopper.call("POST", "/v1/me/plans/\(first)/split", ["months": 6])
        #expect(code == 201, "\(body)")
        (code, body, _) = try shopper.call("GET", "/v1/me/statements")
        let partlySplit = try #require((body["statements"] as? [[String: Any]])?.first)
        #expect(partlySplit["split_plan_ids"] as? [String] == [first], "\(partlySplit)")
        let schemas = try #require((try OpenAPITests.document()["components"] as? [String: Any])?["schemas"] as? [String: Any])
        let documented = try #require((schemas["Statement"] as? [String: Any])?["properties"] as? [String: Any])
        #expect(Set(partlySplit.keys) == Set(documented.keys), "a statement has the keys the OpenAPI document names")
        // A statement may be named by currency, for a due date with statements in several.
        (code, body, _) = try shopper.call("POST", "/v1/me/statements/\(due)/split", ["months": 6, "currency": "USD"])
        #expect(code == 404, "no USD statement falls due then: \(body)")
        (code, body, _) = try shopper.call("POST", "/v1/me/statements/\(due)/split", ["months": 6, "currency": "XYZ"])
        #expect(code == 422 && body["field"] as? String == "/currency", "\(body)")
        (code, body, _) = try shopper.call("POST", "/v1/me/statements/\(due)/split", ["months": 6, "currency": "CNY"])
        #expect(code == 201, "\(body)")
        (code, body, _) = try shopper.call("GET", "/v1/me/plans")
        let plans = try #require(body["plans"] as? [[String: Any]])
        #expect(plans.allSatisfy { ($0["installments"] as? [Any])?.count == 6 })
        // Each split purchase says which statement it left, which the statement list no longer shows.
        for plan in plans {
            let split = try #require(plan["split"] as? [String: Any], "\(plan)")
            #expect(split["statement_due_date"] as? String == due && split["months"] as? Int == 6, "\(split)")
        }
        #expect(((try shopper.call("GET", "/v1/me/statements").1["statements"]) as? [Any])?.isEmpty == true)
        let (missing, problem, _) = try shopper.call("POST", "/v1/me/statements/2031-02-28/payments", ["amount": APIClient.cny(100)])
        #expect(missing == 404, "a date with no statement names nothing: \(problem)")
        for notADate in ["2031-02-30", "2027-13-11", "tomorrow"] {
            let (status, problem, _) = try shopper.call("POST", "/v1/me/statements/\(notADate)/payments", ["amount": APIClient.cny(100)])
            #expect(status == 422, "a due date that is not a date is refused, not looked up: \(problem)")
            #expect(problem["type"] as? String == HTTPProblem.typePrefix + "validation" && problem["field"] as? String == "due_date")
        }
    }
}

@Suite("The catalog's calendar through the API")
struct APICatalogCalendarTests {
    /// The example catalog with `time_zone` set to `timeZone`, or left out when nil.
    static func catalog(timeZone: String?) throws -> ProductCatalog {
        let example = try Data(contentsOf: APITestServer.repository.appendingPathComponent("config/catalog.example.json"))
        var object = try #require(try JSONSerialization.jsonObject(with: example) as? [String: Any])
        object["time_zone"] = timeZone
        return try ProductCatalog(json: try JSONSerialization.data(withJSONObject: object))
    }

    @Test("a purchase at 00:30 on April 1 in Shanghai (16:30 UTC on March 31) is on the April statement when the catalog's time_zone says so (the example's does)", arguments: [
        ("Asia/Shanghai", "2027-05-10"), (nil, "2027-04-10"),
    ] as [(String?, String)])
    func purchaseDateInTheCatalogsZone(timeZone: String?, dueDate: String) throws {
        let server = try APITestServer(catalog: try Self.catalog(timeZone: timeZone))
        server.store.clock.set(to: try Instant(iso8601: "2027-03-31T16:30:00Z"))
        let api = APIClient(server)
        let (status, body) = try api.authorize(try api.checkout(30_000), product: "monthly-bill")
        #expect(status == 200 && body["decision"] as? String == "approved", "\(body)")
        let order = try #require((body["order"] as? [String: Any])?["id"] as? String)
        #expect(try api.call("POST", "/v1/orders/\(order)/captures", [:]).0 == 201)
        let shopper = APIClient(server, token: server.services.consumerTokens.issue(for: try ConsumerID("shopper-1")))
        let (_, listed, _) = try shopper.call("GET", "/v1/me/statements")
        let statements = try #require(listed["statements"] as? [[String: Any]])
        #expect(statements.map { $0["due_date"] as? String } == [dueDate], "\(statements)")
    }
}

@Suite("Try then pay through the API")
struct APITryThenPayTests {
    @Test("a confirmed delivery starts the payment window: the plan falls due 14 days after the delivery date")
    func deliveryConfirmation() throws {
        let server = try APITestServer()
        let api = APIClient(server)
        let checkout = try api.checkout(20_000)
        let (_, body, _) = try api.call("POST", "/v1/checkouts/\(checkout)/authorize", [
            "product_id": "try-then-pay", "device_id": "device-1", "shipping_address": "1 Long Street",
            "payment_instrument": "card-1", "age_years": 30, "identity_verified": true, "features": APIClient.goodShopper,
        ])
        let order = try #require((body["order"] as? [String: Any])?["id"] as? String)
        #expect(try api.call("POST", "/v1/orders/\(order)/captures", [:]).0 == 201)
        let delivered = server.store.clock.now().utcDateTime.date
        let (code, updated, _) = try api.call("POST", "/v1/orders/\(order)/delivery", ["delivered_on": delivered.description])
        #expect(code == 200, "\(updated)")
        #expect((updated["delivery"] as? [String: Any])?["delivered_on"] as? String == delivered.description)
        let plan = try server.services.servicing.plan(consumer: try ConsumerID("shopper-1"), plan: try PlanID("\(order)-p1"))
        #expect(plan.plan.installments.first?.dueDate == (try delivered.adding(days: 14)))
        let (bad, problem, _) = try api.call("POST", "/v1/orders/\(order)/delivery", ["delivered_on": "2026-02-30"])
        #expect(bad == 422, "\(problem)")
    }
}

@Suite("Idempotency keys in flight")
struct APIIdempotencyInFlightTests {
    @Test("a request whose key another request is still answering gets 409, retry in 1 s while the claim is young and when it lapses once old; nothing changes")
    func inFlight() throws {
        let server = try APITestServer()
        let api = APIClient(server)
        let order = try #require((try api.authorize(try api.checkout(40_000)).1["order"] as? [String: Any])?["id"] as? String)
        // Another node claimed the key a moment ago and has not answered yet.
        let path = "/v1/orders/\(order)/captures"
        let body = Array(try JSONSerialization.data(withJSONObject: ["amount": APIClient.cny(10_000)]))
        let hash = SHA256.hash(Array("POST \(path)\n".utf8) + body).hex
        let now = server.store.clock.now()
        _ = try server.store.database.write { connection in
            try CheckoutRepository(connection).claim(
                owner: "merchant:\(server.merchantID)", key: "busy-1", requestHash: hash, at: now, staleAfter: .seconds(60))
        }
        let response = try api.http.send("POST", path, headers: [
            ("Authorization", "Bearer \(server.merchantKey)"), ("Content-Type", "application/json"), ("Idempotency-Key", "busy-1"),
        ], body: body)
        #expect(response.status == 409)
        #expect(response.bodyText.contains("idempotency-in-flight"))
        // A young claim's request is most likely still running: retry in a second, not when the claim would lapse.
        #expect(response.header("Retry-After") == "1", "\(response.headers)")
        server.store.clock.advance(by: .seconds(9))
        let young = try api.http.send("POST", path, headers: [
            ("Authorization", "Bearer \(server.merchantKey)"), ("Content-Type", "application/json"), ("Idempotency-Key", "busy-1"),
        ], body: body)
        #expect(young.status == 409 && young.header("Retry-After") == "1", "\(young.headers)")
        // From the stop's grace on (10 s), its request was probably cut short: Retry-After says when the claim lapses,
        // 60 s after it was made.
        server.store.clock.advance(by: .seconds(1))
        let old = try api.http.send("POST", path, headers: [
            ("Authorization", "Bearer \(server.merchantKey)"), ("Content-Type", "application/json"), ("Idempotency-Key", "busy-1"),
        ], body: body)
        #expect(old.status == 409 && old.header("Retry-After") == "50", "\(old.headers)")
        server.store.clock.advance(by: .seconds(35))
        let later = try api.http.send("POST", path, headers: [
            ("Authorization", "Bearer \(server.merchantKey)"), ("Content-Type", "application/json"), ("Idempotency-Key", "busy-1"),
        ], body: body)
        #expect(later.status == 409 && later.header("Retry-After") == "15", "\(later.headers)")
        let (_, state, _) = try api.call("GET", "/v1/orders/\(order)")
        #expect((state["captured"] as? [String: Any])?["amount"] as? Int == 0)
        // After the claim goes stale (its node died), a retry is answered.
        server.store.clock.advance(by: .seconds(16))
        let retried = try api.http.send("POST", path, headers: [
            ("Authorization", "Bearer \(server.merchantKey)"), ("Content-Type", "application/json"), ("Idempotency-Key", "busy-1"),
        ], body: body)
        #expect(retried.status == 201)
    }
}
