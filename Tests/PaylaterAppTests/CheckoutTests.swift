import Foundation
@testable import PaylaterApp
import PaylaterLedger
import PaylaterMoney
import PaylaterProducts
import PaylaterStore
import PaylaterTestSupport
import PaylaterTime
import PaylaterUnderwriting
import Testing

/// A merchant selling on the standard catalog, shoppers decided by the example policy and an account-age model.
struct CheckoutFixture {
    let store: TestStore
    let checkout: CheckoutService
    let servicing: ServicingService
    let credit: CreditLineService
    let merchant: MerchantProfile

    /// `promotions` gives the promotion book's JSON for the merchant's id; `deliveryAllowanceDays` is the
    /// try-then-pay allowance.
    init(
        _ kind: StoreKind, promotions: ((MerchantID) -> String)? = nil,
        deliveryAllowanceDays: Int = CheckoutService.deliveryAllowanceDaysDefault, catalog: ProductCatalog = .standard,
        policy: CreditPolicy = UnderwritingFixture.policy
    ) throws {
        let underwriting = try UnderwritingFixture(kind, policy: policy)
        store = underwriting.store
        credit = underwriting.credit
        servicing = ServicingService(database: store.database, clock: store.clock)
        merchant = try MerchantService(database: store.database, clock: store.clock)
            .create(name: "Acme, Inc.", pricing: MerchantPricingTerms(discountRate: BasisPoints(250))).merchant
        let merchantID = merchant.id
        let book = try promotions.map { try PromotionBook(json: Data($0(merchantID).utf8), catalog: catalog) } ?? .empty
        checkout = CheckoutService(
            database: store.database, clock: store.clock, catalog: catalog, underwriting: underwriting.service,
            servicing: servicing, promotions: book, deliveryAllowanceDays: deliveryAllowanceDays)
    }

    func newCheckout(_ amount: String, shopper: String = "c1") throws -> Checkout {
        try checkout.createCheckout(
            merchant: merchant.id,
            NewCheckout(
                merchantReference: "order-1", consumerID: shopper,
                lines: [CheckoutLine(name: "Jacket", quantity: 1, unitPrice: try cny(amount), taxRate: BasisPoints(1300))],
                total: try cny(amount)))
    }

    /// `distance`: kilometres from the shopper's usual shipping address (beyond the policy's 500, a referral).
    /// `confirmation`: the merchant's rule at the time.
    func authorize(
        _ checkoutID: String, device: String = "device-1", product: String = "pay-in-4", distance: Double? = nil,
        confirmation: CheckoutConfirmation = .merchant
    ) throws -> AuthorizationOutcome {
        try checkout.authorize(
            merchant: merchant.id, checkoutID: checkoutID,
            AuthorizationRequest(
                productID: product, deviceID: device, shippingAddress: "1 Long Street", paymentInstrument: "card-1",
                distanceFromUsualAddressKilometres: distance, ageYears: 30, isIdentityVerified: true, features: FeatureRow(["account_age_days": .number(400)])),
            confirmation: confirmation)
    }

    /// The order's events, oldest first.
    func events(_ orderID: String) throws -> [WebhookEventRecord] {
        try store.database.read { connection in
            try WebhookRepository(connection).events(merchantID: merchant.id.rawValue, orderID: orderID) ?? []
        }.sorted { $0.sequence < $1.sequence }
    }

    func approvedOrder(_ amount: String, product: String = "pay-in-4") throws -> Order {
        let session = try newCheckout(amount)
        guard case let .approved(order, _) = try authorize(session.id, product: product) else {
            throw TestStoreError("checkout of \(amount) was not approved")
        }
        return order
    }
}

@Suite("Merchant checkout")
struct CheckoutTests {
    @Test("checkout, authorize, capture in two parts, refund, pay off: the ledger follows every step", arguments: StoreKind.available)
    func lifecycle(kind: StoreKind) throws {
        let fixture = try CheckoutFixture(kind)
        let session = try fixture.newCheckout("400.00")
        #expect(session.offers.contains { $0.productID == "pay-in-4" && $0.installments.count == 4 })
        guard case let .approved(order, _) = try fixture.authorize(session.id) else {
            Issue.record("expected an approval")
            return
        }
        let consumer = try ConsumerID("c1")
        #expect(try fixture.credit.creditLine(consumer, .CNY).held == (try cny("400.00")))
        // Authorizing again answers the same.
        #expect(try fixture.authorize(session.id) == .approved(order, decisionID: session.id))

        var updated = try fixture.checkout.capture(merchant: fixture.merchant.id, orderID: order.id, amount: try cny("100.00"), captureID: "cap-1")
        #expect(updated.state == .partiallyCaptured)
        var line = try fixture.credit.creditLine(consumer, .CNY)
        #expect((line.held, line.used) == (try cny("300.00"), try cny("100.00")))
        updated = try fixture.checkout.capture(merchant: fixture.merchant.id, orderID: order.id, amount: nil, captureID: "cap-2")
        #expect(updated.state == .captured)
        #expect(updated.captures.map(\.amount) == [try cny("100.00"), try cny("300.00")])
        // A retried capture changes nothing.
        #expect(try fixture.checkout.capture(merchant: fixture.merchant.id, orderID: order.id, amount: nil, captureID: "cap-2") == updated)
        line = try fixture.credit.creditLine(consumer, .CNY)
        #expect((line.held, line.used) == (try cny("0.00"), try cny("400.00")))

        updated = try fixture.checkout.refund(merchant: fixture.merchant.id, orderID: order.id, amount: try cny("350.00"), refundID: "r-1")
        #expect(updated.refunds[0].allocations.map(\.amount) == [try cny("300.00"), try cny("50.00")])
        #expect(try fixture.credit.creditLine(consumer, .CNY).used == (try cny("50.00")))
        #expect(throws: CheckoutError.order(.exceedsCaptured(requested: try cny("50.01"), refundable: try cny("50.00")))) {
            try fixture.checkout.refund(merchant: fixture.merchant.id, orderID: order.id, amount: try cny("50.01"), refundID: "r-2")
        }
        let plan = try fixture.servicing.plan(consumer: consumer, plan: try PlanID("\(order.id)-p1"))
        let receipt = try fixture.servicing.pay(consumer: consumer, plan: try PlanID("\(order.id)-p1"), amount: plan.plan.owed, operationID: "pay-1")
        #expect(receipt.status.isOpen == false)
        #expect(try fixture.credit.creditLine(consumer, .CNY).used == (try cny("0.00")))
        #expect(try LedgerService(database: fixture.store.database, clock: fixture.store.clock).verify().firstViolation == nil)
    }

    @Test("a purchase refunded in full is closed by the refund whether the shopper paid it off first or not; plan.paid_off is sent only for the payment",
          arguments: StoreKind.available)
    func fullRefundAfterPayoff(kind: StoreKind) throws {
        let fixture = try CheckoutFixture(kind)
        let consumer = try ConsumerID("c1")
        var statuses: [PlanStatus] = []
        for payFirst in [false, true] {
            let order = try fixture.approvedOrder("400.00")
            _ = try fixture.checkout.capture(merchant: fixture.merchant.id, orderID: order.id, amount: nil, captureID: "cap-1")
            let plan = try PlanID("\(order.id)-p1")
            if payFirst {
                let owed = try fixture.servicing.plan(consumer: consumer, plan: plan).plan.owed
                _ = try fixture.servicing.pay(consumer: consumer, plan: plan, amount: owed, operationID: "pay-\(order.id.suffix(8))")
            }
            _ = try fixture.checkout.refund(merchant: fixture.merchant.id, orderID: order.id, amount: try cny("400.00"), refundID: "r-1")
            statuses.append(try fixture.servicing.plan(consumer: consumer, plan: plan).plan.status)
            let events = try fixture.events(order.id).map(\.type)
            #expect(events == [.orderAuthorized, .orderCaptured] + (payFirst ? [.planPaidOff] : []) + [.orderRefunded], "\(events)")
        }
        #expect(statuses.allSatisfy { if case .closedByRefund = $0 { true } else { false } }, "\(statuses)")
        #expect(try fixture.servicing.creditBalances(consumer: consumer) == [try cny("400.00")], "the payment went to the credit balance")
        #expect(try LedgerService(database: fixture.store.database, clock: fixture.store.clock).verify().firstViolation == nil)
    }

    @Test("a decided checkout answers its decision only to the request decided: another product or other details are 409, nothing changes",
          arguments: StoreKind.available)
    func decidedOnce(kind: StoreKind) throws {
        let fixture = try CheckoutFixture(kind)
        let session = try fixture.newCheckout("400.00")
        guard case let .approved(order, _) = try fixture.authorize(session.id) else {
            Issue.record("expected an approval")
            return
        }
        let closed = CheckoutError.checkoutClosed(id: session.id, state: "authorized")
        #expect(throws: closed) { try fixture.authorize(session.id, product: "monthly-split-6") }
        #expect(throws: closed) { try fixture.authorize(session.id, device: "device-2") }
        #expect(throws: CheckoutError.productNotOffered("nope")) { try fixture.authorize(session.id, product: "nope") }
        // Later, the same request is a retry and answers the first decision.
        fixture.store.clock.advance(by: .seconds(3_600))
        #expect(try fixture.authorize(session.id) == .approved(order, decisionID: session.id))
        #expect(try fixture.credit.creditLine(try ConsumerID("c1"), .CNY).held == (try cny("400.00")))
        #expect(try fixture.events(order.id).map(\.type) == [.orderAuthorized])

        // A decline stands for its own request alone too: other details do not decide the checkout again.
        let declined = try fixture.newCheckout("400.00", shopper: "c2")
        let young = AuthorizationRequest(
            productID: "pay-in-4", deviceID: "device-9", shippingAddress: "1 Long Street", paymentInstrument: "card-9",
            ageYears: 16, isIdentityVerified: true, features: FeatureRow(["account_age_days": .number(400)]))
        let first = try fixture.checkout.authorize(merchant: fixture.merchant.id, checkoutID: declined.id, young)
        guard case .declined = first else {
            Issue.record("expected a decline, got \(first)")
            return
        }
        var adult = young
        adult.applicant.ageYears = 30
        #expect(throws: CheckoutError.checkoutClosed(id: declined.id, state: "declined")) {
            try fixture.checkout.authorize(merchant: fixture.merchant.id, checkoutID: declined.id, adult)
        }
        #expect(try fixture.checkout.authorize(merchant: fixture.merchant.id, checkoutID: declined.id, young) == first)
    }

    @Test("affordability counts orders authorized and not captured yet: a second order that fits the limit but not the income is declined",
          arguments: StoreKind.available)
    func heldOrdersCountForAffordability(kind: StoreKind) throws {
        // The example policy allows repayments of 40% of an estimated 3,000.00 a month, the whole order in one month.
        let fixture = try CheckoutFixture(kind)
        let first = try fixture.authorize(try fixture.newCheckout("1000.00").id)
        guard case .approved = first else {
            Issue.record("expected an approval, got \(first)")
            return
        }
        let consumer = try ConsumerID("c1")
        #expect(try fixture.credit.creditLine(consumer, .CNY).available.minorUnits >= 100_000, "the limit is not what declines it")
        let second = try fixture.authorize(try fixture.newCheckout("1000.00").id, device: "device-2")
        guard case let .declined(decisionID, _) = second else {
            Issue.record("expected a decline, got \(second)")
            return
        }
        let decision = try fixture.store.database.read { connection in
            try UnderwritingRepository(connection).decision(consumerID: "c1", decisionID: decisionID)
        }
        let stored = try UnderwritingService.decode(try #require(decision).document)
        #expect(stored.reasons.map(\.code) == [.debtServiceTooHigh])
        #expect(stored.reasons.first?.operatorDetail.contains("with 1000.00 CNY held for orders not yet captured") == true, "\(stored.reasons)")
        #expect(stored.snapshot.context.heldAuthorizations == (try cny("1000.00")))
        #expect(try fixture.credit.creditLine(consumer, .CNY).held == (try cny("1000.00")))
    }

    @Test("a capture or refund id reused for another amount is refused and changes nothing; the same amount is a retry", arguments: StoreKind.available)
    func idReusedForAnotherAmount(kind: StoreKind) throws {
        let fixture = try CheckoutFixture(kind)
        let order = try fixture.approvedOrder("400.00")
        let merchant = fixture.merchant.id
        let captured = try fixture.checkout.capture(merchant: merchant, orderID: order.id, amount: try cny("50.00"), captureID: "ship-1")
        #expect(try fixture.checkout.capture(merchant: merchant, orderID: order.id, amount: try cny("50.00"), captureID: "ship-1") == captured)
        #expect(throws: CheckoutError.order(.idReused(operation: "capture", id: "ship-1", earlier: try cny("50.00"), requested: try cny("350.00")))) {
            try fixture.checkout.capture(merchant: merchant, orderID: order.id, amount: try cny("350.00"), captureID: "ship-1")
        }
        #expect(throws: CheckoutError.order(.idReused(operation: "capture", id: "ship-1", earlier: try cny("50.00"), requested: nil))) {
            try fixture.checkout.capture(merchant: merchant, orderID: order.id, amount: nil, captureID: "ship-1")
        }
        let refunded = try fixture.checkout.refund(merchant: merchant, orderID: order.id, amount: try cny("10.00"), refundID: "rf-1")
        #expect(try fixture.checkout.refund(merchant: merchant, orderID: order.id, amount: try cny("10.00"), refundID: "rf-1") == refunded)
        #expect(throws: CheckoutError.order(.idReused(operation: "refund", id: "rf-1", earlier: try cny("10.00"), requested: try cny("40.00")))) {
            try fixture.checkout.refund(merchant: merchant, orderID: order.id, amount: try cny("40.00"), refundID: "rf-1")
        }
        #expect(try fixture.checkout.order(merchant: merchant, id: order.id) == refunded)
        let line = try fixture.credit.creditLine(try ConsumerID("c1"), .CNY)
        #expect((line.held, line.used) == (try cny("350.00"), try cny("40.00")))
    }

    @Test("a capture too small to give every installment a minor unit is refused with the smallest capture", arguments: StoreKind.available)
    func captureTooSmall(kind: StoreKind) throws {
        let fixture = try CheckoutFixture(kind)
        let order = try fixture.approvedOrder("100.00")
        #expect(throws: CheckoutError.captureTooSmall(amount: try cny("0.03"), installments: 4, minimum: try cny("0.04"))) {
            try fixture.checkout.capture(merchant: fixture.merchant.id, orderID: order.id, amount: try cny("0.03"), captureID: "c-1")
        }
        #expect(try fixture.checkout.order(merchant: fixture.merchant.id, id: order.id) == order)
        let captured = try fixture.checkout.capture(
            merchant: fixture.merchant.id, orderID: order.id, amount: try cny("0.04"), captureID: "c-1")
        #expect(captured.captures.map(\.amount) == [try cny("0.04")])
    }

    @Test("a capture whose plan's APR is above the cap is refused with the APR and the cap; the order is unchanged", arguments: StoreKind.available)
    func captureAboveCap(kind: StoreKind) throws {
        // 0.6% a month flat over 12 months: 13.84% at 400.00, but each fee of 0.84's plan rounds up to 0.01.
        let json = ProductCatalog.standardJSON.replacingOccurrences(
            of: #""months": 6, "monthly_fee_rate": "0.005""#, with: #""months": 12, "monthly_fee_rate": "0.006""#)
        let fixture = try CheckoutFixture(kind, catalog: try ProductCatalog(json: Array(json.utf8)))
        let order = try fixture.approvedOrder("400.00", product: "monthly-split-6")
        do {
            _ = try fixture.checkout.capture(merchant: fixture.merchant.id, orderID: order.id, amount: try cny("0.84"), captureID: "c-1")
            Issue.record("a capture above the cap was made")
        } catch let CheckoutError.captureNotPriced(amount, .aprAboveCap(_, apr, cap, method)) {
            #expect(amount == (try cny("0.84")) && cap == "24" && method == .cnIRR && (Double(apr) ?? 0) > 24)
        }
        #expect(try fixture.checkout.order(merchant: fixture.merchant.id, id: order.id) == order)
        #expect(try fixture.credit.creditLine(try ConsumerID("c1"), .CNY).held == (try cny("400.00")))
        let captured = try fixture.checkout.capture(
            merchant: fixture.merchant.id, orderID: order.id, amount: try cny("200.00"), captureID: "c-1")
        #expect(captured.state == .partiallyCaptured)
    }

    @Test("an approval writes the order's first event; the order's next event follows it", arguments: StoreKind.available)
    func authorizedEvent(kind: StoreKind) throws {
        let fixture = try CheckoutFixture(kind)
        let order = try fixture.approvedOrder("400.00")
        let authorized = try fixture.events(order.id)
        #expect(authorized.map(\.sequence) == [1])
        #expect(authorized.first?.type == .orderAuthorized)
        let data = try #require(authorized.first?.data)
        #expect(data.contains(#""order_id":"\#(order.id)""#) && data.contains(#""state":"authorized""#))
        #expect(data.contains(#""authorized":{"amount":40000,"currency":"CNY"}"#))
        _ = try fixture.checkout.capture(merchant: fixture.merchant.id, orderID: order.id, amount: nil, captureID: "cap-1")
        #expect(try fixture.events(order.id).map(\.type) == [.orderAuthorized, .orderCaptured])
        #expect(try fixture.events(order.id).map(\.sequence) == [1, 2])
    }

    @Test("a product the checkout does not offer is refused, before the decision and after it", arguments: StoreKind.available)
    func productNotOffered(kind: StoreKind) throws {
        let fixture = try CheckoutFixture(kind)
        let session = try fixture.newCheckout("400.00")
        #expect(throws: CheckoutError.productNotOffered("no-such-product")) {
            try fixture.authorize(session.id, product: "no-such-product")
        }
        guard case let .approved(order, _) = try fixture.authorize(session.id) else {
            Issue.record("expected an approval")
            return
        }
        #expect(throws: CheckoutError.productNotOffered("no-such-product")) {
            try fixture.authorize(session.id, product: "no-such-product")
        }
        #expect(try fixture.authorize(session.id) == .approved(order, decisionID: session.id))
        #expect(try fixture.events(order.id).count == 1)
    }

    @Test("a checkout shows its outcome; one authorized before the outcome had columns answers from its document", arguments: StoreKind.available)
    func outcomeOfStoredCheckouts(kind: StoreKind) throws {
        let fixture = try CheckoutFixture(kind)
        let merchantID = fixture.merchant.id
        let approved = try fixture.newCheckout("120.00")
        guard case let .approved(order, _) = try fixture.authorize(approved.id) else {
            Issue.record("expected an approval")
            return
        }
        var shown = try fixture.checkout.checkout(merchant: merchantID, id: approved.id)
        #expect((shown.state, shown.orderID, shown.reasons) == (.authorized, order.id, []))
        #expect(shown.offers == approved.offers, "the quotes are kept as they were quoted")

        // As schema version 6 stored them, and migration 12 carried them over: the state recorded, the order and
        // the reasons in the document only.
        func storeAsBefore(_ id: String, _ outcome: [String: Any]) throws {
            try fixture.store.database.write { connection in
                let rows = try connection.query(
                    "SELECT document FROM checkouts WHERE merchant_id = ? AND id = ?", [.text(merchantID.rawValue), .text(id)])
                var document = try JSONSerialization.jsonObject(with: Data(try rows[0].text(0).utf8)) as? [String: Any] ?? [:]
                document.merge(outcome) { _, new in new }
                let text = String(decoding: try JSONSerialization.data(withJSONObject: document, options: [.sortedKeys]), as: UTF8.self)
                try connection.execute(
                    "UPDATE checkouts SET document = ?, terms = NULL WHERE merchant_id = ? AND id = ?",
                    [.text(text), .text(merchantID.rawValue), .text(id)])
                try connection.execute(
                    "DELETE FROM checkout_outcomes WHERE checkout_id = ? AND merchant_id = ?",
                    [.text(id), .text(merchantID.rawValue)])
                try connection.execute(
                    """
                    INSERT INTO checkout_outcomes (checkout_id, merchant_id, state, order_id, reasons)
                    VALUES (?, ?, ?, NULL, NULL)
                    """,
                    [.text(id), .text(merchantID.rawValue), .text(outcome["state"] as? String ?? "")])
            }
        }
        try storeAsBefore(approved.id, ["state": "authorized", "orderID": order.id])
        #expect(try fixture.authorize(approved.id) == .approved(order, decisionID: approved.id))
        shown = try fixture.checkout.checkout(merchant: merchantID, id: approved.id)
        #expect((shown.state, shown.orderID) == (.authorized, order.id))

        let declined = try fixture.newCheckout("80.00")
        try storeAsBefore(declined.id, ["state": "declined", "reasons": ["We can't offer this right now."]])
        #expect(try fixture.authorize(declined.id) == .declined(decisionID: declined.id, reasons: ["We can't offer this right now."]))
        shown = try fixture.checkout.checkout(merchant: merchantID, id: declined.id)
        #expect((shown.state, shown.orderID, shown.reasons) == (.declined, nil, ["We can't offer this right now."]))
    }

    @Test("a checkout keeps its terms beside its document; one made before they were (no terms) authorizes from its document", arguments: StoreKind.available)
    func termsOfStoredCheckouts(kind: StoreKind) throws {
        let fixture = try CheckoutFixture(kind)
        let merchantID = fixture.merchant.id.rawValue
        func stored(_ id: String) throws -> CheckoutRecord {
            try fixture.store.database.read { connection in
                guard let record = try CheckoutRepository(connection).checkout(merchantID: merchantID, id: id) else {
                    throw TestStoreError("checkout \(id) not stored")
                }
                return record
            }
        }
        let session = try fixture.newCheckout("300.00")
        let record = try stored(session.id)
        let terms = try #require(record.terms)
        #expect(!terms.contains("installments"), "the quotes stay in the document only")
        let fromTerms = try CheckoutService.decode(CheckoutTerms.self, terms)
        #expect(fromTerms == CheckoutTerms(of: session))
        // The document says the same, and holds the outcome an open checkout had before schema version 7: none.
        let fromDocument = try CheckoutService.decode(CheckoutTerms.self, record.document)
        #expect(
            (fromDocument.id, fromDocument.merchantID, fromDocument.consumerID, fromDocument.merchantReference)
                == (fromTerms.id, fromTerms.merchantID, fromTerms.consumerID, fromTerms.merchantReference))
        #expect((fromDocument.total, fromDocument.offers) == (fromTerms.total, fromTerms.offers))
        #expect((fromDocument.orderID, fromDocument.reasons, fromTerms.orderID, fromTerms.reasons) == (nil, [], nil, nil))
        #expect(fromTerms.offers.map(\.productID) == session.offers.map(\.productID))

        // As schema version 7 stored it: no terms.
        let older = try fixture.newCheckout("250.00")
        try fixture.store.database.write { connection in
            try connection.execute(
                "UPDATE checkouts SET terms = NULL WHERE merchant_id = ? AND id = ?", [.text(merchantID), .text(older.id)])
        }
        #expect(try stored(older.id).terms == nil)
        guard case let .approved(order, _) = try fixture.authorize(older.id) else {
            Issue.record("expected an approval")
            return
        }
        #expect((order.checkoutID, order.authorized) == (older.id, try cny("250.00")))
        #expect(try fixture.authorize(older.id) == .approved(order, decisionID: older.id))
    }

    @Test("a merchant's key finds its profile with the pricing it was created with, fixed fees by currency", arguments: StoreKind.available)
    func merchantPricingReadBack(kind: StoreKind) throws {
        let fixture = try CheckoutFixture(kind)
        let merchants = MerchantService(database: fixture.store.database, clock: fixture.store.clock)
        let pricing = MerchantPricingTerms(
            discountRate: BasisPoints(180), fixedFees: [.CNY: try Money(parsing: "0.30", currency: .CNY), .JPY: try Money(parsing: "5", currency: .JPY)])
        let created = try merchants.create(name: "Fees, Ltd.", pricing: pricing)
        let found = try #require(try merchants.authenticate(apiKey: created.apiKey))
        #expect(found == created.merchant)
        #expect(found.pricing.fixedFees == ["CNY": try Money(parsing: "0.30", currency: .CNY), "JPY": try Money(parsing: "5", currency: .JPY)])
        #expect(try merchants.merchant(created.merchant.id).pricing == pricing)
        #expect(try merchants.authenticate(apiKey: created.apiKey + "x") == nil)
    }

    @Test("a total that is not the sum of the lines is refused with the difference", arguments: StoreKind.available)
    func totalMismatch(kind: StoreKind) throws {
        let fixture = try CheckoutFixture(kind)
        #expect(throws: CheckoutError.totalMismatch(total: try cny("100.00"), linesSum: try cny("90.00"), difference: try cny("10.00"))) {
            try fixture.checkout.createCheckout(
                merchant: fixture.merchant.id,
                NewCheckout(
                    merchantReference: "o", consumerID: "c1",
                    lines: [CheckoutLine(name: "Hat", quantity: 2, unitPrice: try cny("45.00"), taxRate: BasisPoints(0))],
                    total: try cny("100.00")))
        }
    }

    @Test("cancel releases the hold; a cancelled order cannot be captured", arguments: StoreKind.available)
    func cancel(kind: StoreKind) throws {
        let fixture = try CheckoutFixture(kind)
        let order = try fixture.approvedOrder("200.00")
        let cancelled = try fixture.checkout.cancel(merchant: fixture.merchant.id, orderID: order.id)
        #expect(cancelled.state == .cancelled)
        #expect(try fixture.credit.creditLine(try ConsumerID("c1"), .CNY).held.isZero)
        #expect(throws: CheckoutError.order(.invalidState(operation: "capture", state: .cancelled))) {
            try fixture.checkout.capture(merchant: fixture.merchant.id, orderID: order.id, amount: nil, captureID: "c")
        }
    }

    @Test("an authorization expires with its hold; extending it keeps the credit held longer", arguments: StoreKind.available)
    func expiry(kind: StoreKind) throws {
        let fixture = try CheckoutFixture(kind)
        let order = try fixture.approvedOrder("200.00")
        let extended = try fixture.checkout.extendAuthorization(merchant: fixture.merchant.id, orderID: order.id, days: 7)
        fixture.store.clock.advance(by: .seconds(30 * 86_400))
        #expect(try fixture.checkout.order(merchant: fixture.merchant.id, id: order.id).state(at: fixture.store.clock.now()) == .authorized)
        #expect(try fixture.credit.creditLine(try ConsumerID("c1"), .CNY).held == (try cny("200.00")))
        fixture.store.clock.advance(by: .seconds(6 * 86_400))
        #expect(extended.state(at: fixture.store.clock.now()) == .expired)
        #expect(throws: CheckoutError.order(.invalidState(operation: "capture", state: .expired))) {
            try fixture.checkout.capture(merchant: fixture.merchant.id, orderID: order.id, amount: nil, captureID: "c")
        }
        _ = try LedgerService(database: fixture.store.database, clock: fixture.store.clock).expireHolds()
        #expect(try fixture.credit.creditLine(try ConsumerID("c1"), .CNY).held.isZero)
    }

    @Test("another merchant cannot see or touch the order", arguments: StoreKind.available)
    func merchantsAreSeparate(kind: StoreKind) throws {
        let fixture = try CheckoutFixture(kind)
        let order = try fixture.approvedOrder("200.00")
        let other = try MerchantService(database: fixture.store.database, clock: fixture.store.clock)
            .create(name: "Other", pricing: MerchantPricingTerms(discountRate: BasisPoints(100))).merchant
        #expect(throws: CheckoutError.orderNotFound(order.id)) { try fixture.checkout.order(merchant: other.id, id: order.id) }
        #expect(throws: CheckoutError.orderNotFound(order.id)) {
            try fixture.checkout.cancel(merchant: other.id, orderID: order.id)
        }
    }

    @Test("concurrent authorizations for one shopper never exceed the limit", arguments: StoreKind.available)
    func concurrentAuthorizations(kind: StoreKind) throws {
        let fixture = try CheckoutFixture(kind)
        // The first approval sets the 5,000.00 limit; then 30 checkouts of 400.00 race.
        _ = try fixture.approvedOrder("400.00")
        let sessions = try (0..<30).map { _ in try fixture.newCheckout("400.00") }
        let answers = concurrently(sessions.count) { index in
            try fixture.authorize(sessions[index].id, device: "device-\(index % 3)")
        }
        // A loser of the race for the last of the limit is told the credit is unavailable.
        #expect(answers.unexpectedFailures { if case .creditUnavailable? = $0 as? CheckoutError { true } else { false } } == [])
        let approved = answers.successes().filter { if case .approved = $0 { true } else { false } }.count
        let line = try fixture.credit.creditLine(try ConsumerID("c1"), .CNY)
        #expect(line.held.minorUnits == Int64(approved + 1) * 40_000)
        #expect(line.held.minorUnits <= 500_000)
    }

    @Test("one checkout authorized from many threads at once is decided once, and every caller hears that answer", arguments: StoreKind.available)
    func concurrentAuthorizationsOfOneCheckout(kind: StoreKind) throws {
        let fixture = try CheckoutFixture(kind)
        let session = try fixture.newCheckout("400.00")
        let answers = concurrently(12) { _ in try fixture.authorize(session.id) }
        #expect(answers.unexpectedFailures() == [])
        let heard = answers.successes()
        #expect(heard.count == 12)
        guard case let .approved(order, _)? = heard.first else {
            Issue.record("expected an approval, heard \(heard)")
            return
        }
        #expect(heard.allSatisfy { $0 == .approved(order, decisionID: session.id) })
        #expect(try fixture.events(order.id).count == 1, "one order made, with one event")
        #expect(try fixture.credit.creditLine(try ConsumerID("c1"), .CNY).held == (try cny("400.00")), "held once")
        let shown = try fixture.checkout.checkout(merchant: fixture.merchant.id, id: session.id)
        #expect((shown.state, shown.orderID) == (.authorized, order.id))
    }

    @Test("a new shopper's first limit is posted as limit/<decision>:<shopper>, the decision (the checkout's time-ordered id) first", arguments: StoreKind.available)
    func limitTransferNamedByDecisionFirst(kind: StoreKind) throws {
        let fixture = try CheckoutFixture(kind)
        let session = try fixture.newCheckout("300.00")
        guard case .approved = try fixture.authorize(session.id) else {
            Issue.record("expected an approval")
            return
        }
        let transfer = try fixture.store.database.read { connection in
            try LedgerRepository(connection).transfer(try TransferID("limit/\(session.id):c1"))
        }
        #expect(transfer?.amount == (try cny("5000.00")), "the first limit")
        #expect(try fixture.store.database.read { try LedgerRepository($0).transfer(try TransferID("limit:c1:\(session.id)")) } == nil)

        // Later decisions sort later whatever their shoppers' ids, and a review without a decision is named by its time.
        let early = Instant(nanosecondsSinceUnixEpoch: 1_796_000_000_000_000_000)
        let late = early.advanced(by: .milliseconds(1))
        let first = try LimitChangeWriter.limitTransferID(
            consumer: try ConsumerID("zoe"), decisionID: try CheckoutService.newID("chk_", at: early), at: early)
        let second = try LimitChangeWriter.limitTransferID(
            consumer: try ConsumerID("adam"), decisionID: try CheckoutService.newID("chk_", at: late), at: late)
        #expect(first < second)
        #expect(try LimitChangeWriter.limitTransferID(consumer: try ConsumerID("c1"), decisionID: nil, at: early).rawValue
            == "limit/1796000000000000000:c1")
    }

    @Test("a partial capture and an extension at a moment with a fraction of a second hold the rest in whole seconds", arguments: StoreKind.available)
    func fractionalSeconds(kind: StoreKind) throws {
        let fixture = try CheckoutFixture(kind)
        let order = try fixture.approvedOrder("300.00")
        fixture.store.clock.advance(by: .milliseconds(1_250))
        let captured = try fixture.checkout.capture(merchant: fixture.merchant.id, orderID: order.id, amount: try cny("100.00"), captureID: "c-1")
        #expect(captured.state == .partiallyCaptured)
        fixture.store.clock.advance(by: .milliseconds(333))
        _ = try fixture.checkout.extendAuthorization(merchant: fixture.merchant.id, orderID: order.id, days: 3)
        #expect(try fixture.credit.creditLine(try ConsumerID("c1"), .CNY).held == (try cny("200.00")))
    }
}

/// Checkout and order ids sort by the time they are made (an order's ledger rows then go to the end of each index)
/// and stay unguessable.
@Suite("Checkout and order ids")
struct TimeOrderedIDTests {
    @Test("the prefix, the Unix milliseconds as 12 hex digits, then 16 random hex digits", arguments: ["chk_", "ord_"])
    func shape(prefix: String) throws {
        let now = Instant(nanosecondsSinceUnixEpoch: 1_796_000_000_123_456_789)  // 2026-11-30
        let ids = try (0..<1_000).map { _ in try CheckoutService.newID(prefix, at: now) }
        for id in ids {
            #expect(id.count == 32)
            #expect(id.hasPrefix(prefix + "0" + String(1_796_000_000_123, radix: 16)))
            #expect(id.dropFirst(4).allSatisfy { $0.isHexDigit && !$0.isUppercase })
        }
        #expect(Set(ids).count == ids.count)
        for position in 16..<32 {
            #expect(Set(ids.map { Array($0)[position] }).count > 8, "digit \(position)")
        }
    }

    @Test("ids made a millisecond or more apart sort in the order they were made; before 1970 they count as 0")
    func timeOrdered() throws {
        let milliseconds: [Int64] = [0, 1, 999, 1_000, 86_399_999, 1_796_000_000_000, 1_796_000_000_001, .max / 1_000_000]
        let ids = try milliseconds.map { try CheckoutService.newID("ord_", at: Instant(nanosecondsSinceUnixEpoch: $0 * 1_000_000)) }
        #expect(ids == ids.sorted())
        let withinOneMillisecond = try [1_796_000_000_000_000_000, 1_796_000_000_000_999_999]
            .map { try CheckoutService.newID("ord_", at: Instant(nanosecondsSinceUnixEpoch: $0)) }
        #expect(withinOneMillisecond.map { $0.prefix(16) } == ["ord_01a229f12800", "ord_01a229f12800"])
        #expect(try CheckoutService.newID("ord_", at: Instant(nanosecondsSinceUnixEpoch: -5_000_000)).hasPrefix("ord_000000000000"))
        #expect(try CheckoutService.newID("ord_", at: Instant.minimum).hasPrefix("ord_000000000000"))
    }
}
