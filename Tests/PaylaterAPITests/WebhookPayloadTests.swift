import Foundation
import PaylaterAPI
import PaylaterApp
import PaylaterLedger
import PaylaterMoney
import PaylaterProducts
import PaylaterStore
import PaylaterTestSupport
import PaylaterTime
import Testing

/// What a merchant's webhook receiver parses: amounts in event data are written the way the HTTP API writes them.
@Suite("Webhook payloads")
struct WebhookPayloadTests {
    /// The `data` of the merchant's newest event of `type`, parsed.
    private static func data(_ server: APITestServer, _ type: WebhookEventType) throws -> [String: Any] {
        let events = try server.services.webhooks.events(merchant: try MerchantID(server.merchantID))
        let event = try #require(events.first { $0.type == type }, "no \(type.rawValue) event")
        return try #require(try JSONSerialization.jsonObject(with: Data(event.data.utf8)) as? [String: Any])
    }

    private static func expectMoney(
        _ value: Any?, _ minorUnits: Int, sourceLocation: SourceLocation = #_sourceLocation
    ) {
        let object = value as? [String: Any]
        #expect(object?.count == 2, "\(value ?? "nil")", sourceLocation: sourceLocation)
        #expect(object?["amount"] as? Int == minorUnits, "\(value ?? "nil")", sourceLocation: sourceLocation)
        #expect(object?["currency"] as? String == "CNY", "\(value ?? "nil")", sourceLocation: sourceLocation)
    }

    @Test("order, plan and settlement events write amounts as integer minor units with their currency, as the API does")
    func amountsAsTheAPIWritesThem() throws {
        let server = try APITestServer()
        defer { withExtendedLifetime(server) {} }
        let api = APIClient(server)
        let order = try #require((try api.authorize(try api.checkout(40_000)).1["order"] as? [String: Any])?["id"] as? String)
        _ = try api.call("POST", "/v1/orders/\(order)/captures", ["amount": APIClient.cny(40_000)])
        _ = try api.call("POST", "/v1/orders/\(order)/refunds", ["amount": APIClient.cny(10_000)])

        let captured = try Self.data(server, .orderCaptured)
        Self.expectMoney(captured["amount"], 40_000)
        Self.expectMoney(captured["authorized"], 40_000)
        Self.expectMoney(captured["captured"], 40_000)
        Self.expectMoney(captured["refunded"], 0)
        let refunded = try Self.data(server, .orderRefunded)
        Self.expectMoney(refunded["amount"], 10_000)
        let (_, view, _) = try api.call("GET", "/v1/orders/\(order)")
        #expect(
            try JSONSerialization.data(withJSONObject: try #require(refunded["refunded"]), options: .sortedKeys)
                == JSONSerialization.data(withJSONObject: try #require(view["refunded"]), options: .sortedKeys),
            "the webhook and the API write the same amount identically")

        let shopper = APIClient(server, token: server.services.consumerTokens.issue(for: try ConsumerID("shopper-1")))
        let (_, plans, _) = try shopper.call("GET", "/v1/me/plans")
        let planID = try #require((plans["plans"] as? [[String: Any]])?.first?["id"] as? String)
        _ = try shopper.call("POST", "/v1/me/payments", ["plan_id": planID, "pay_off": true])
        Self.expectMoney(try Self.data(server, .planPaidOff)["owed"], 0)

        server.store.clock.advance(by: .seconds(60))
        let merchant = try MerchantID(server.merchantID)
        _ = try server.services.settlements.settle(
            merchant: merchant, currency: .CNY, through: server.store.clock.now(),
            pricing: try server.services.merchants.merchant(merchant).pricing.settlementPricing(.CNY), settlementID: "s-1")
        let paid = try Self.data(server, .settlementPaid)
        Self.expectMoney(paid["payout"], 29_000)
        Self.expectMoney(paid["discount"], 1_000)
        Self.expectMoney(paid["gross"], 40_000)
        Self.expectMoney(paid["refunds"], 10_000)
        Self.expectMoney(paid["subsidies"], 0)
        Self.expectMoney(paid["adjustments"], 0)
        Self.expectMoney(paid["brought_forward"], 0)
        Self.expectMoney(paid["carried_over"], 0)
    }

    @Test("GET /v1/settlements carries every figure settlement.paid does, brought_forward and adjustments among them, so a payout reconciles from the API")
    func settlementViewReconciles() throws {
        let server = try APITestServer()
        defer { withExtendedLifetime(server) {} }
        let api = APIClient(server)
        let merchant = try MerchantID(server.merchantID)
        let pricing = try server.services.merchants.merchant(merchant).pricing.settlementPricing(.CNY)
        func settle(_ id: String) throws {
            server.store.clock.advance(by: .seconds(60))
            _ = try server.services.settlements.settle(
                merchant: merchant, currency: .CNY, through: server.store.clock.now(), pricing: pricing, settlementID: id)
        }
        let first = try #require((try api.authorize(try api.checkout(40_000)).1["order"] as? [String: Any])?["id"] as? String)
        _ = try api.call("POST", "/v1/orders/\(first)/captures", ["amount": APIClient.cny(40_000)])
        try settle("s-1")
        _ = try api.call("POST", "/v1/orders/\(first)/refunds", ["amount": APIClient.cny(30_000)])
        try settle("s-2")  // refunds only: the merchant owes 300.00, carried over
        let second = try #require((try api.authorize(try api.checkout(40_000)).1["order"] as? [String: Any])?["id"] as? String)
        _ = try api.call("POST", "/v1/orders/\(second)/captures", ["amount": APIClient.cny(40_000)])
        try settle("s-3")

        let paid = try Self.data(server, .settlementPaid)
        #expect(paid["settlement_id"] as? String == "s-3")
        let streams = try server.services.webhooks.events(merchant: merchant).filter { $0.type == .settlementPaid }.map(\.orderID)
        #expect(streams == ["settlements:CNY", "settlements:CNY"], "the settlement id is in the data, never in order_id")
        let (status, list, _) = try api.call("GET", "/v1/settlements")
        #expect(status == 200)
        let view = try #require((list["settlements"] as? [[String: Any]])?.first { $0["id"] as? String == "s-3" })
        for (key, value) in paid where key != "settlement_id" {
            let shown = try #require(view[key], "GET /v1/settlements lacks \(key)")
            #expect(
                try JSONSerialization.data(withJSONObject: [shown], options: .sortedKeys)
                    == JSONSerialization.data(withJSONObject: [value], options: .sortedKeys),
                "\(key): the view and the webhook agree")
        }
        Self.expectMoney(view["brought_forward"], -30_000)
        func amount(_ key: String) -> Int { (view[key] as? [String: Any])?["amount"] as? Int ?? .min }
        #expect(
            amount("brought_forward") + amount("gross") - amount("refunds") - amount("subsidies") + amount("adjustments")
                - amount("discount") == amount("payout") + amount("carried_over"),
            "the payout reconciles from the view alone")
    }

    /// A server where shopper-1's 400.00 order is captured; its order id and the first installment's due date.
    private static func capturedOrder() throws -> (server: APITestServer, order: String, firstDue: LocalDate) {
        let server = try APITestServer()
        let api = APIClient(server)
        let order = try #require((try api.authorize(try api.checkout(40_000)).1["order"] as? [String: Any])?["id"] as? String)
        _ = try api.call("POST", "/v1/orders/\(order)/captures", ["amount": APIClient.cny(40_000)])
        let plan = try #require(try server.services.servicing.plans(consumer: try ConsumerID("shopper-1")).first).plan
        return (server, order, plan.installments[0].dueDate)
    }

    @Test("plan.overdue writes days_past_due as a JSON integer and due_date as YYYY-MM-DD")
    func overdueDaysAsAnInteger() throws {
        let (server, _, due) = try Self.capturedOrder()
        defer { withExtendedLifetime(server) {} }
        _ = try server.services.servicing.runEndOfDay(on: due.adding(days: 4))

        let overdue = try Self.data(server, .planOverdue)
        #expect(overdue["days_past_due"] as? Int == 4, "\(overdue)")
        #expect(!(overdue["days_past_due"] is String))
        #expect(overdue["due_date"] as? String == due.description)
    }

    @Test("a plan in a return pause is not announced overdue; after the pause it is, without the paused days")
    func noOverdueDuringAReturnPause() throws {
        let (server, order, due) = try Self.capturedOrder()
        defer { withExtendedLifetime(server) {} }
        server.store.clock.set(to: Instant(utc: LocalDateTime(date: try due.adding(days: 1), time: try LocalTime(hour: 12, minute: 0))))
        let shopper = APIClient(server, token: server.services.consumerTokens.issue(for: try ConsumerID("shopper-1")))
        #expect(try shopper.call("POST", "/v1/me/orders/\(order)/report-return", [:]).0 == 201)

        _ = try server.services.servicing.runEndOfDay(on: due.adding(days: 4))
        let merchant = try MerchantID(server.merchantID)
        #expect(try server.services.webhooks.events(merchant: merchant).allSatisfy { $0.type != .planOverdue })

        // The pause (28 days from due + 1) ends on due + 29; two days after it, 1 + 2 days are past due.
        _ = try server.services.servicing.runEndOfDay(on: due.adding(days: 31))
        let overdue = try Self.data(server, .planOverdue)
        #expect(overdue["days_past_due"] as? Int == 3, "\(overdue)")
    }
}
