import Foundation
import PaylaterApp
public import PaylaterHTTP
import PaylaterLedger
import PaylaterMoney
import PaylaterProducts
import PaylaterStore
import PaylaterTime
import PaylaterUnderwriting

/// The HTTP API: merchant checkout and orders, settlements and webhooks, shoppers' self-service, and operations
/// (health, metrics, the OpenAPI document). Every route here is in `OpenAPIDocument`; a test keeps them equal.
public enum PaylaterAPI {
    /// The router for `services`; `reporter` hears about server faults (for the log).
    public static func router(
        _ services: APIServices, reporter: @escaping @Sendable (any Error, HTTPRequest) -> Void = { _, _ in }
    ) -> Router {
        var router = Router(unexpectedErrorReporter: reporter)
        let guards = APIGuards(services: services)
        addOperations(&router, services)
        MerchantRoutes(services: services, guards: guards).add(to: &router)
        ConsumerRoutes(services: services, guards: guards).add(to: &router)
        return router
    }

    private static func addOperations(_ router: inout Router, _ services: APIServices) {
        // A store that cannot answer is a 503 (`unavailable`, with Retry-After), which a load balancer reads as
        // "not now", not a 500.
        router.get("/healthz") { _, _ in
            try APIGuards.mapped {
                try services.database.read { connection in _ = try connection.query("SELECT 1", []) }
                return .json(.object(["status": .string("ok")]))
            }
        }
        router.get("/metrics") { _, _ in services.metrics.response() }
        router.get("/v1/openapi.json") { _, _ in
            HTTPResponse(
                status: 200, headers: ["Content-Type": "application/json"], body: Array(OpenAPIDocument.json.utf8))
        }
    }
}

/// The merchant API.
struct MerchantRoutes {
    let services: APIServices
    let guards: APIGuards

    func add(to router: inout Router) {
        router.get("/v1/configuration", guards.merchant { _, _, merchant in try configuration(merchant) })
        router.post("/v1/checkouts", guards.merchant { request, _, merchant in try createCheckout(request, merchant) })
        router.get(
            "/v1/checkouts/{id}",
            guards.merchant { _, parameters, merchant in
                let checkout = try services.checkout.checkout(merchant: merchant.id, id: parameters.require("id"))
                return try APIJSON.response(checkout.read(by: merchant, generic: services.underwriting.policy.reasonTexts.generic))
            })
        router.post(
            "/v1/checkouts/{id}/cancel",
            guards.merchant { _, parameters, merchant in
                let checkoutID = parameters.require("id")
                return try APIGuards.answer {
                    try services.checkout.cancelCheckout(merchant: merchant.id, id: checkoutID)
                } render: { checkout in
                    try APIJSON.response(checkout)
                }
            })
        router.post(
            "/v1/checkouts/{id}/authorize",
            guards.merchant { request, parameters, merchant in
                try authorize(request, parameters.require("id"), merchant)
            })
        router.get(
            "/v1/orders/{id}",
            guards.merchant { _, parameters, merchant in
                try orderResponse(try services.checkout.order(merchant: merchant.id, id: parameters.require("id")))
            })
        router.post(
            "/v1/orders/{id}/captures",
            guards.merchant { request, parameters, merchant in
                let body = try JSONObjectReader(request: request)
                try body.rejectUnknownKeys(allowed: ["amount", "capture_id"])
                let (orderID, amount) = (parameters.require("id"), try body.optionalMoney("amount"))
                let captureID = try body.optionalString("capture_id", maxBytes: 64)
                    ?? Self.operationID(request, orBodyField: "capture_id")
                return try orderAnswer(status: 201) {
                    try services.checkout.capture(merchant: merchant.id, orderID: orderID, amount: amount, captureID: captureID)
                }
            })
        router.post(
            "/v1/orders/{id}/refunds",
            guards.merchant { request, parameters, merchant in
                let body = try JSONObjectReader(request: request)
                try body.rejectUnknownKeys(allowed: ["amount", "refund_id"])
                let (orderID, amount) = (parameters.require("id"), try body.money("amount"))
                let refundID = try body.optionalString("refund_id", maxBytes: 64)
                    ?? Self.operationID(request, orBodyField: "refund_id")
                return try orderAnswer(status: 201) {
                    try services.checkout.refund(merchant: merchant.id, orderID: orderID, amount: amount, refundID: refundID)
                }
            })
        router.post(
            "/v1/orders/{id}/cancel",
            guards.merchant { _, parameters, merchant in
                let orderID = parameters.require("id")
                return try orderAnswer { try services.checkout.cancel(merchant: merchant.id, orderID: orderID) }
            })
        router.post(
            "/v1/orders/{id}/release-remaining-authorization",
            guards.merchant { _, parameters, merchant in
                let orderID = parameters.require("id")
                return try orderAnswer {
                    try services.checkout.releaseRemainingAuthorization(merchant: merchant.id, orderID: orderID)
                }
            })
        router.post(
            "/v1/orders/{id}/extend-authorization",
            guards.merchant { request, parameters, merchant in
                let body = try JSONObjectReader(request: request)
                try body.rejectUnknownKeys(allowed: ["days"])
                let (orderID, days) = (parameters.require("id"), try body.integer("days", in: 1...60))
                return try orderAnswer {
                    try services.checkout.extendAuthorization(merchant: merchant.id, orderID: orderID, days: Int(days))
                }
            })
        router.post(
            "/v1/orders/{id}/delivery",
            guards.merchant { request, parameters, merchant in
                let body = try JSONObjectReader(request: request)
                try body.rejectUnknownKeys(allowed: ["delivered_on"])
                let text = try body.string("delivered_on", maxBytes: 10)
                let date: LocalDate
                do { date = try LocalDate(iso8601: text) } catch {
                    throw HTTPProblem.validation(
                        field: "/delivered_on", detail: "\"\(text)\" is not a date (YYYY-MM-DD)")
                }
                let orderID = parameters.require("id")
                return try orderAnswer {
                    try services.checkout.confirmDelivery(merchant: merchant.id, orderID: orderID, deliveredOn: date)
                }
            })
        router.get(
            "/v1/settlements",
            guards.merchant { request, _, merchant in
                let (limit, before) = (try Self.listCount(request, maximum: 100, default: 100), request.query("before"))
                let settlements: [Settlement]
                do {
                    settlements = try services.settlements.settlements(merchant: merchant.id, limit: limit, before: before)
                } catch SettlementError.settlementNotFound where before != nil {
                    throw HTTPProblem.validation(field: "before", detail: "no settlement \(before ?? "") to page on from")
                }
                return .json(.object(["settlements": .array(settlements.map(Self.settlement))]))
            })
        router.get(
            "/v1/settlements/{id}",
            guards.merchant { _, parameters, merchant in
                let statement = try services.settlements.statement(merchant: merchant.id, id: parameters.require("id"))
                return .json(Self.statement(statement))
            })
        router.get(
            "/v1/settlements/{id}/report.csv",
            guards.merchant { _, parameters, merchant in
                let statement = try services.settlements.statement(merchant: merchant.id, id: parameters.require("id"))
                return HTTPResponse(
                    status: 200, headers: ["Content-Type": "text/csv; charset=utf-8"],
                    body: Array(SettlementReport.csv(statement).utf8))
            })
        router.get(
            "/v1/balance",
            guards.merchant { _, _, merchant in
                let balances = try services.settlements.balances(merchant: merchant.id)
                return .json(.object(["balances": .array(balances.map(Self.balance))]))
            })
        router.post(
            "/v1/webhooks/endpoints",
            guards.merchant { request, _, merchant in
                let body = try JSONObjectReader(request: request)
                try body.rejectUnknownKeys(allowed: ["url"])
                let registered = try services.webhooks.registerEndpoint(
                    merchant: merchant.id, url: try body.string("url", maxBytes: 2_048))
                return .json(
                    .object([
                        "id": .string(registered.endpoint.id), "url": .string(registered.endpoint.url),
                        "secret": .string(registered.secret),
                    ]), status: 201)
            })
        router.get(
            "/v1/webhooks/endpoints",
            guards.merchant { _, _, merchant in
                let endpoints = try services.webhooks.endpoints(merchant: merchant.id)
                return .json(.object(["endpoints": .array(endpoints.map(WebhookLogViews.endpoint))]))
            })
        router.delete(
            "/v1/webhooks/endpoints/{id}",
            guards.merchant { _, parameters, merchant in
                let endpoint = try services.webhooks.deactivateEndpoint(merchant: merchant.id, id: parameters.require("id"))
                return .json(WebhookLogViews.endpoint(endpoint))
            })
        router.get(
            "/v1/webhooks/events",
            guards.merchant { request, _, merchant in
                let (orderID, before) = (request.query("order_id"), request.query("before"))
                let limit = try Self.listCount(
                    request, maximum: WebhookLogViews.eventCountMaximum, default: WebhookLogViews.defaultEventCount)
                let log: [(event: WebhookEventRecord, deliveries: [WebhookDeliveryRecord])]
                do {
                    log = try services.webhooks.eventLog(merchant: merchant.id, orderID: orderID, limit: limit, before: before)
                } catch WebhookError.eventNotFound where before != nil {
                    throw HTTPProblem.validation(field: "before", detail: "no event \(HTTPProblem.excerpt(before ?? "")) to page on from")
                }
                return .json(.object(["events": .array(log.map(WebhookLogViews.eventSummary))]))
            })
        router.get(
            "/v1/webhooks/events/{id}",
            guards.merchant { _, parameters, merchant in
                let eventID = parameters.require("id")
                guard let log = try services.webhooks.eventLog(merchant: merchant.id, id: eventID) else {
                    throw HTTPProblem.notFound(detail: "no event \(HTTPProblem.excerpt(eventID))")
                }
                return WebhookLogViews.event(log.event, deliveries: log.deliveries)
            })
        router.post(
            "/v1/webhooks/{id}/replay",
            guards.merchant { _, parameters, merchant in
                let deliveries = try services.webhooks.replay(
                    eventID: parameters.require("id"), merchantID: merchant.id)
                return .json(
                    .object([
                        "event_id": .string(parameters.require("id")),
                        "deliveries": .array(
                            deliveries.map {
                                .object([
                                    "endpoint_id": .string($0.key.endpointID),
                                    "generation": .integer(Int64($0.key.generation)),
                                ])
                            }),
                    ]), status: 202)
            })
    }

    /// `limit` of `GET /v1/webhooks/events`: 1 to `WebhookLogViews.eventCountMaximum`, by default
    /// `WebhookLogViews.defaultEventCount`.
    /// A list's `limit` query parameter: 1 to `maximum`, `default` when absent.
    static func listCount(_ request: HTTPRequest, maximum: Int, default defaultCount: Int) throws(HTTPProblem) -> Int {
        guard let text = request.query("limit") else { return defaultCount }
        guard let count = Int(text), (1...maximum).contains(count) else {
            throw .validation(field: "limit", detail: "limit must be a whole number from 1 to \(maximum)")
        }
        return count
    }

    /// The id of an operation the client did not name: its idempotency key, so a retry finds it. A key that
    /// cannot be an operation id is refused naming the header; `bodyField` is the body's field that would name the
    /// operation instead, when the route has one.
    static func operationID(_ request: HTTPRequest, orBodyField bodyField: String? = nil) throws(HTTPProblem) -> String {
        let key = request.headers["Idempotency-Key"] ?? ""
        let safe = key.unicodeScalars.allSatisfy {
            $0.isASCII && (CharacterSet.alphanumerics.contains($0) || "._-".unicodeScalars.contains($0))
        }
        guard safe, (1...64).contains(key.utf8.count) else {
            let alternative = bodyField.map { ", or name the operation in \($0)" } ?? ""
            throw .validation(
                field: "Idempotency-Key",
                detail: "this operation's id is its Idempotency-Key, which must then be 1 to 64 letters, digits or"
                    + " . _ - (a UUID is)\(alternative)")
        }
        return key
    }

    private func configuration(_ merchant: MerchantProfile) throws -> HTTPResponse {
        let products: [JSONValue] = services.catalog.products.map { product in
            .object([
                "id": .string(product.id), "kind": .string(product.kind),
                "installments": .integer(Int64(product.terms?.installmentCount ?? 1)),
                "limits": .array(
                    product.currencies.compactMap { currency in
                        product.limits[currency].map { limits in
                            .object([
                                "currency": .string(currency.code),
                                "minimum": APIJSON.money(limits.minimum), "maximum": APIJSON.money(limits.maximum),
                            ])
                        }
                    }),
            ])
        }
        // The calendar every date of the API is a local date of: the catalog's, UTC without one (as `serve` loads it).
        let zone = services.catalog.timeZone ?? TimeZoneRules.utc.identifier
        // Read afresh, not from the key's cache: a merchant asking what it pays should see a change made a second ago.
        let current = try services.merchants.merchant(merchant.id)
        let scheduled = try services.merchants.scheduledPricing(merchant.id).map { change in
            var terms = Self.pricing(change.pricing)
            terms["effective_on"] = .string(change.effectiveOn.description)
            return JSONValue.object(terms)
        }
        var pricing = Self.pricing(current.pricing)
        pricing["scheduled"] = .array(scheduled)
        return .json(
            .object([
                "jurisdiction": .string(services.catalog.jurisdiction), "time_zone": .string(zone),
                "products": .array(products), "checkout_confirmation": .string(current.checkoutConfirmation.rawValue),
                "pricing": .object(pricing),
            ]))
    }

    /// A merchant's pricing as the API shows it: the discount rate and the fixed fee per order in each currency.
    private static func pricing(_ terms: MerchantPricingTerms) -> [String: JSONValue] {
        [
            "discount_rate_bp": .integer(terms.discountRate.rawValue),
            "fixed_fees": .array(terms.fixedFees.keys.sorted().compactMap { terms.fixedFees[$0].map(APIJSON.money) }),
        ]
    }

    private func createCheckout(_ request: HTTPRequest, _ merchant: MerchantProfile) throws -> HTTPResponse {
        let body = try JSONObjectReader(request: request)
        try body.rejectUnknownKeys(allowed: ["lines", "total", "merchant_reference", "shopper_reference"])
        let total = try body.money("total")
        let lines = try body.objects("lines", maxCount: CheckoutService.linesMaximum).map { line throws(HTTPProblem) in
            try line.rejectUnknownKeys(allowed: ["name", "quantity", "unit_price", "tax_rate_bp"])
            return CheckoutLine(
                name: try line.string("name", maxBytes: 200), quantity: try line.integer("quantity", in: 1...1_000_000),
                unitPrice: try line.money("unit_price"),
                taxRate: BasisPoints(try line.optionalInteger("tax_rate_bp") ?? 0))
        }
        let new = NewCheckout(
            merchantReference: try body.string("merchant_reference", maxBytes: 128),
            consumerID: try body.string("shopper_reference", maxBytes: 64), lines: lines, total: total)
        // One write whose result is the whole response: stored with the checkout, in its transaction.
        return try APIGuards.answer {
            try services.checkout.createCheckout(merchant: merchant.id, confirmation: merchant.checkoutConfirmation, new)
        } render: { checkout in
            try APIJSON.response(checkout, status: 201)
        }
    }

    private func authorize(
        _ request: HTTPRequest, _ checkoutID: String, _ merchant: MerchantProfile
    ) throws -> HTTPResponse {
        let body = try JSONObjectReader(request: request)
        try body.rejectUnknownKeys(allowed: [
            "product_id", "device_id", "shipping_address", "payment_instrument", "age_years", "identity_verified",
            "declared_monthly_income", "distance_from_usual_address_km", "features",
        ])
        var features = FeatureRow()
        if let object = try body.optionalObject("features") {
            features = try Self.features(object)
        }
        // Declared facts the decision relies on must be plausible before anything is decided and stored.
        let income = try body.optionalMoney("declared_monthly_income")
        if let income, !income.isPositive {
            throw HTTPProblem.validation(field: "/declared_monthly_income/amount", detail: "must be positive")
        }
        let distance = try body.optionalInteger("distance_from_usual_address_km")
        if let distance, !(0...40_075).contains(distance) {
            throw HTTPProblem.validation(field: "/distance_from_usual_address_km", detail: "must be 0 to 40075")
        }
        let authorization = AuthorizationRequest(
            productID: try body.string("product_id", maxBytes: 64),
            deviceID: try body.string("device_id", maxBytes: 256),
            shippingAddress: try body.string("shipping_address", maxBytes: 1_024),
            paymentInstrument: try body.string("payment_instrument", maxBytes: 256),
            distanceFromUsualAddressKilometres: distance.map(Double.init),
            ageYears: try body.integer("age_years", in: 0...150),
            isIdentityVerified: try body.bool("identity_verified"),
            declaredMonthlyIncome: income, features: features)
        let clock = services.clock
        let generic = services.underwriting.policy.reasonTexts.generic
        var decided: String?
        defer {
            if let decided {
                services.metrics.counter(
                    "paylater_decisions_total", help: "Credit decisions at checkout, by outcome.", labelNames: ["outcome"]
                )
                .increment(labels: [decided])
            }
        }
        // The authorization is one write whose outcome is the whole response: it is stored with the change.
        return try APIGuards.answer {
            let outcome: AuthorizationOutcome
            do {
                outcome = try services.checkout.authorize(
                    merchant: merchant.id, checkoutID: checkoutID, authorization, confirmation: merchant.checkoutConfirmation)
            } catch let error as CheckoutError {
                throw Self.refusal(error, readBy: merchant)
            }
            decided = outcome.decision
            return outcome
        } render: { outcome in
            // Rendered from the write's own result (stored with it): what the merchant may read of it is made here.
            let read = outcome.read(by: merchant, generic: generic)
            return try APIJSON.response(Self.authorizationView(read, at: clock.now()), status: 200)
        }
    }

    /// An authorization's refusal as `merchant` reads it: a hold refused for want of credit says how much the shopper
    /// has available, which a merchant not told the shopper's reasons (`MerchantProfile.readsShopperReasons`) is not
    /// told either (a race for the last of a limit, on a store whose writers run side by side).
    static func refusal(_ error: CheckoutError, readBy merchant: MerchantProfile) -> any Error {
        guard case .creditUnavailable = error, !merchant.readsShopperReasons else { return error }
        return HTTPProblem(.creditUnavailable, detail: "credit is not available for this order")
    }

    private static func authorizationView(_ outcome: AuthorizationOutcome, at now: Instant) -> AuthorizationView {
        switch outcome {
        case .approved(let order, _):
            AuthorizationView(decision: outcome.decision, decisionId: outcome.decisionID, reasons: [], order: OrderView(order, at: now))
        case .declined(_, let reasons), .referred(_, let reasons):
            AuthorizationView(decision: outcome.decision, decisionId: outcome.decisionID, reasons: reasons, order: nil)
        }
    }

    static let featureNameBytesMaximum = 64

    /// The model's inputs: numbers, strings (categories) or null (missing), at most 200 of them, each named in 1 to
    /// `featureNameBytesMaximum` bytes (the names are kept in every stored decision).
    static func features(_ object: JSONObjectReader) throws(HTTPProblem) -> FeatureRow {
        var features = FeatureRow()
        guard object.keys.count <= 200 else {
            throw .validation(field: object.pointer, detail: "at most 200 features")
        }
        for key in object.keys {
            guard (1...featureNameBytesMaximum).contains(key.utf8.count) else {
                throw .validation(
                    field: object.pointer,
                    detail: "a feature's name is 1 to \(featureNameBytesMaximum) bytes, not \(key.utf8.count): \"\(HTTPProblem.excerpt(key))\"")
            }
            if let number = try? object.optionalNumber(key) {
                features[key] = .number(number)
            } else if let text = try? object.optionalString(key, maxBytes: 256) {
                features[key] = .category(text)
            } else if object.contains(key) {
                throw .validation(field: object.pointer(key), detail: "a feature is a number, a string or null")
            }
        }
        return features
    }

    private func orderResponse(_ order: Order, status: Int = 200) throws -> HTTPResponse {
        try Self.orderResponse(order, status: status, clock: services.clock)
    }

    private static func orderResponse(_ order: Order, status: Int, clock: any Clock) throws -> HTTPResponse {
        try APIJSON.response(OrderView(order, at: clock.now()), status: status)
    }

    /// A change to an order: one write (`CheckoutService.changeOrder`) whose resulting order is the whole response,
    /// so the response is stored under the request's key in that write's transaction.
    private func orderAnswer(status: Int = 200, _ change: () throws -> Order) throws -> HTTPResponse {
        let clock = services.clock
        return try APIGuards.answer(change) { order in try Self.orderResponse(order, status: status, clock: clock) }
    }

    private static func settlement(_ settlement: Settlement) -> JSONValue {
        let money = APIJSON.money
        return .object([
            "id": .string(settlement.id), "cutoff": .string(settlement.cutoff.description),
            "currency": .string(settlement.currency.code), "brought_forward": money(settlement.broughtForward),
            "gross": money(settlement.gross), "refunds": money(settlement.refunds),
            "subsidies": money(settlement.subsidies), "adjustments": money(settlement.adjustments),
            "discount": money(settlement.discount), "payout": money(settlement.payout),
            "carried_over": money(settlement.carriedOver), "lines": .integer(Int64(settlement.lineCount)),
            "number": .integer(settlement.number), "period_start": settlement.periodStart.map { .string($0.description) } ?? .null,
            "discount_rate_bp": .integer(settlement.discountRate.rawValue), "fixed_fee": money(settlement.fixedFeePerOrder),
            "created_at": .string(settlement.createdAt.description),
        ])
    }

    /// Where a merchant stands in one currency: the payable now and the latest settlement (without its lines).
    private static func balance(_ balance: MerchantBalance) -> JSONValue {
        let money = APIJSON.money
        return .object([
            "currency": .string(balance.currency.code), "balance": money(balance.balance),
            "carried_over": money(balance.carriedOver), "since_latest_settlement": money(balance.sinceLatestSettlement),
            "latest_settlement": balance.latestSettlement.map(settlement) ?? .null,
        ])
    }

    /// A settlement with its lines (`line_items`), each matched to the merchant's order, capture or refund.
    private static func statement(_ statement: SettlementStatement) -> JSONValue {
        guard case var .object(fields) = settlement(statement.settlement) else { preconditionFailure("an object") }
        let money = APIJSON.money
        func text(_ value: String?) -> JSONValue { value.map(JSONValue.string) ?? .null }
        fields["line_items"] = .array(statement.lines.map { item in
            .object([
                "line": .integer(Int64(item.line.number)), "transfer_id": .string(item.line.transferID.rawValue),
                "kind": .string(item.line.kind.rawValue), "amount": money(item.line.amount),
                "discount": money(item.line.discount), "net": money(item.line.net), "at": .string(item.at.description),
                "order_id": text(item.orderID), "plan_id": text(item.planID), "merchant_reference": text(item.merchantReference),
                "capture_id": text(item.captureID), "refund_id": text(item.refundID),
            ])
        })
        return .object(fields)
    }
}

/// Shoppers' self-service.
struct ConsumerRoutes {
    let services: APIServices
    let guards: APIGuards

    func add(to router: inout Router) {
        router.get(
            "/v1/me/plans",
            guards.consumer { _, _, consumer in
                let plans = try services.servicing.plans(consumer: consumer).map(PlanView.init)
                return try APIJSON.response(["plans": plans])
            })
        router.get(
            "/v1/me/checkouts/{id}",
            guards.consumer { _, parameters, consumer in
                try APIJSON.response(try services.checkout.checkout(consumer: consumer, id: parameters.require("id")))
            })
        router.post(
            "/v1/me/checkouts/{id}/confirm",
            guards.consumer { request, parameters, consumer in
                let body = try JSONObjectReader(request: request)
                try body.rejectUnknownKeys(allowed: ["product_id"])
                let (checkoutID, productID) = (parameters.require("id"), try body.string("product_id", maxBytes: 64))
                return try APIGuards.answer {
                    try services.checkout.confirmByShopper(consumer: consumer, id: checkoutID, productID: productID)
                } render: { checkout in
                    try APIJSON.response(checkout)
                }
            })
        router.get(
            "/v1/me/decisions",
            guards.consumer { request, _, consumer in
                let limit = try MerchantRoutes.listCount(request, maximum: 100, default: 20)
                let decisions = try DecisionLog(database: services.database).decisions(consumer: consumer, limit: limit)
                return try APIJSON.response(["decisions": decisions.map(ShopperDecisionView.init)])
            })
        router.post(
            "/v1/me/payments",
            guards.consumer { request, _, consumer in
                let body = try JSONObjectReader(request: request)
                try body.rejectUnknownKeys(allowed: ["plan_id", "amount", "pay_off"])
                let plan = try Self.planID(try body.string("plan_id", maxBytes: 64), field: "/plan_id")
                if try body.optionalBool("pay_off") == true {
                    // Today's payoff quote, rebate included; an amount given is the quote the shopper saw, which
                    // must still be today's.
                    let expected = try body.optionalMoney("amount")
                    let operationID = try MerchantRoutes.operationID(request)
                    let receipt =
                        if let expected {
                            try services.servicing.payOff(
                                consumer: consumer, plan: plan, amount: expected, operationID: operationID)
                        } else {
                            try services.servicing.payOff(consumer: consumer, plan: plan, operationID: operationID)
                        }
                    return try APIJSON.response(PaymentReceipt(receipt, paid: receipt.amount), status: 201)
                }
                let receipt = try services.servicing.pay(
                    consumer: consumer, plan: plan, amount: try body.money("amount"),
                    operationID: try MerchantRoutes.operationID(request))
                return try APIJSON.response(receipt, status: 201)
            })
        router.get(
            "/v1/me/plans/{id}/payoff-quote",
            guards.consumer { _, parameters, consumer in
                let plan = try Self.planID(parameters.require("id"))
                let servicing = services.servicing
                let quote = try servicing.payoffQuote(consumer: consumer, plan: plan, on: servicing.today())
                return try APIJSON.response(PayoffQuoteView(plan: plan.rawValue, quote))
            })
        router.post(
            "/v1/me/plans/{id}/extend",
            guards.consumer { request, parameters, consumer in
                let body = try JSONObjectReader(request: request)
                try body.rejectUnknownKeys(allowed: ["installment", "days"])
                let receipt = try services.servicing.extendDueDate(
                    consumer: consumer, plan: try Self.planID(parameters.require("id")),
                    installment: Int(try body.integer("installment", in: 1...120)),
                    days: Int(try body.integer("days", in: 1...10)),
                    rule: try DueDateExtension(fee: .zero(try planCurrency(consumer, parameters.require("id")))),
                    operationID: try MerchantRoutes.operationID(request))
                return try APIJSON.response(receipt, status: 201)
            })
        router.post(
            "/v1/me/orders/{id}/report-return",
            guards.consumer { request, parameters, consumer in
                // One pause per open plan of the order; a retry skips the plans already paused. Operation ids are
                // derived (hashed) from the order, the request's key and the plan, to fit 64 bytes; the key obeys
                // the operation-id rule like every other route's.
                let key = try MerchantRoutes.operationID(request)
                let order = try services.checkout.order(consumer: consumer, id: parameters.require("id"))
                var paused = 0
                for capture in order.captures {
                    let plan = try services.servicing.plan(consumer: consumer, plan: try PlanID(capture.planID))
                    guard plan.plan.status.isOpen, plan.plan.returnPause == nil else { continue }
                    let operation = DerivedOperationID.orderReturn(
                        orderID: order.id, idempotencyKey: key, planID: capture.planID)
                    _ = try services.servicing.reportReturn(
                        consumer: consumer, plan: try PlanID(capture.planID), operationID: operation)
                    paused += 1
                }
                return .json(
                    .object(["order_id": .string(order.id), "paused_plans": .integer(Int64(paused))]), status: 201)
            })
        router.get(
            "/v1/me/statements",
            guards.consumer { _, _, consumer in
                try APIJSON.response(["statements": try services.statements.statements(consumer: consumer)])
            })
        router.post(
            "/v1/me/statements/{due_date}/payments",
            guards.consumer { request, parameters, consumer in
                let body = try JSONObjectReader(request: request)
                try body.rejectUnknownKeys(allowed: ["amount", "product_id"])
                let receipt = try services.statements.payStatement(
                    consumer: consumer, dueDate: try Self.date(parameters.require("due_date")),
                    amount: try body.money("amount"),
                    operationID: try MerchantRoutes.operationID(request),
                    productID: try body.optionalString("product_id", maxBytes: 64))
                return try APIJSON.response(receipt, status: 201)
            })
        router.post(
            "/v1/me/statements/{due_date}/split",
            guards.consumer { request, parameters, consumer in
                let body = try JSONObjectReader(request: request)
                try body.rejectUnknownKeys(allowed: ["months", "product_id", "currency"])
                let receipt = try services.statements.splitStatement(
                    consumer: consumer, dueDate: try Self.date(parameters.require("due_date")),
                    months: Int(try body.integer("months", in: 1...36)),
                    operationID: try MerchantRoutes.operationID(request),
                    productID: try body.optionalString("product_id", maxBytes: 64),
                    currency: try body.optionalCurrency("currency"))
                return try APIJSON.response(receipt, status: 201)
            })
        router.post(
            "/v1/me/plans/{id}/split",
            guards.consumer { request, parameters, consumer in
                let body = try JSONObjectReader(request: request)
                try body.rejectUnknownKeys(allowed: ["months"])
                let receipt = try services.statements.splitPurchase(
                    consumer: consumer, plan: try Self.planID(parameters.require("id")),
                    months: Int(try body.integer("months", in: 1...36)),
                    operationID: try MerchantRoutes.operationID(request))
                return try APIJSON.response(receipt, status: 201)
            })
        router.get(
            "/v1/me/credit-balance",
            guards.consumer { _, _, consumer in
                let balances = try services.servicing.creditBalances(consumer: consumer)
                return .json(.object(["balances": .array(balances.map(APIJSON.money))]))
            })
        router.post(
            "/v1/me/credit-balance/payouts",
            guards.consumer { request, _, consumer in
                let body = try JSONObjectReader(request: request)
                try body.rejectUnknownKeys(allowed: ["amount"])
                let payout = try services.servicing.payOutCreditBalance(
                    consumer: consumer, amount: try body.money("amount"),
                    operationID: try MerchantRoutes.operationID(request))
                return .json(
                    .object([
                        "operation_id": .string(payout.operationID), "amount": APIJSON.money(payout.amount),
                        "balance": APIJSON.money(payout.balanceAfter),
                    ]), status: 201)
            })
        router.get(
            "/v1/me/spending-cap",
            guards.consumer { _, _, consumer in
                try APIJSON.response(
                    SpendingCapView(spendingCap: try services.underwriting.spendingCap(consumer: consumer)))
            })
        router.put(
            "/v1/me/spending-cap",
            guards.consumer { request, _, consumer in
                let body = try JSONObjectReader(request: request)
                try body.rejectUnknownKeys(allowed: ["spending_cap"])
                let cap = try body.optionalMoney("spending_cap")
                try services.underwriting.setSpendingCap(cap, consumer: consumer)
                return try APIJSON.response(SpendingCapView(spendingCap: cap))
            })
    }

    /// A statement's due date from the path: text that is not a date is a mistake of the request (422 naming the
    /// parameter), not a statement that does not exist (404 is for a date with no statement).
    static func date(_ text: String) throws(HTTPProblem) -> LocalDate {
        do { return try LocalDate(iso8601: text) } catch {
            throw .validation(field: "due_date", detail: "\"\(text)\" is not a date (YYYY-MM-DD)")
        }
    }

    /// A plan id from the path (`id`) or the body: text that cannot be a plan id is a mistake naming where it came
    /// from (the ledger's own refusal named no field).
    static func planID(_ text: String, field: String = "id") throws(HTTPProblem) -> PlanID {
        do { return try PlanID(text) } catch { throw .validation(field: field, detail: error.description) }
    }

    private struct SpendingCapView: Encodable {
        let spendingCap: Money?
    }

    private func planCurrency(_ consumer: ConsumerID, _ planID: String) throws -> Currency {
        try services.servicing.plan(consumer: consumer, plan: try PlanID(planID)).plan.currency
    }
}

extension AuthorizationOutcome {
    /// The decision as the API and its metrics name it.
    fileprivate var decision: String {
        switch self {
        case .approved: "approved"
        case .declined: "declined"
        case .referred: "referred"
        }
    }
}
