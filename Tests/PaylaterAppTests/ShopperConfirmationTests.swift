@testable import PaylaterApp
import PaylaterLedger
import PaylaterMoney
import PaylaterProducts
import PaylaterStore
import PaylaterTestSupport
import PaylaterTime
import PaylaterUnderwriting
import Testing

/// A merchant not trusted with its shoppers: each checkout waits for its shopper to confirm it with their own
/// credential, and is authorized only for the product they chose.
@Suite("Checkouts confirmed by their shopper")
struct ShopperConfirmationTests {
    /// A checkout of `amount` for shopper c1 by a merchant whose checkouts the shopper confirms.
    func shopperConfirmed(_ fixture: CheckoutFixture, _ amount: String = "120.00") throws -> Checkout {
        try fixture.checkout.createCheckout(
            merchant: fixture.merchant.id, confirmation: .shopper,
            NewCheckout(
                merchantReference: "order-1", consumerID: "c1",
                lines: [CheckoutLine(name: "Jacket", quantity: 1, unitPrice: try cny(amount), taxRate: BasisPoints(1300))],
                total: try cny(amount)))
    }

    @Test("not authorized before the shopper confirms; then for the product they chose only, and the order is made",
          arguments: StoreKind.available)
    func confirmThenAuthorize(kind: StoreKind) throws {
        let fixture = try CheckoutFixture(kind)
        let session = try shopperConfirmed(fixture)
        #expect(session.shopperConfirmation == ShopperConfirmation())
        #expect(throws: CheckoutError.shopperConfirmationRequired(session.id)) { try fixture.authorize(session.id) }
        #expect(try fixture.checkout.checkout(merchant: fixture.merchant.id, id: session.id).state == .open)
        #expect(try fixture.store.database.read { try UnderwritingRepository($0).decision(consumerID: "c1", decisionID: session.id) } == nil,
                "nothing was decided")

        let shopper = try ConsumerID("c1")
        let seen = try fixture.checkout.checkout(consumer: shopper, id: session.id)
        #expect(seen.offers == session.offers && seen.total == session.total)
        fixture.store.clock.advance(by: .seconds(30))
        let confirmed = try fixture.checkout.confirmByShopper(consumer: shopper, id: session.id, productID: "pay-in-4")
        let expected = ShopperConfirmation(productID: "pay-in-4", confirmedAt: fixture.store.clock.now())
        #expect(confirmed.shopperConfirmation == expected)
        #expect(try fixture.checkout.checkout(merchant: fixture.merchant.id, id: session.id).shopperConfirmation == expected)
        let events = try fixture.events(session.id)
        #expect(events.map(\.type) == [.checkoutConfirmed])
        #expect(events.first?.data.contains("\"product_id\":\"pay-in-4\"") == true, "\(events)")
        // The same again is a retry; another product is refused, once confirmed.
        #expect(try fixture.checkout.confirmByShopper(consumer: shopper, id: session.id, productID: "pay-in-4") == confirmed)
        #expect(try fixture.events(session.id).count == 1, "a retry sends nothing again")
        #expect(throws: CheckoutError.shopperConfirmedAnotherProduct(id: session.id, productID: "pay-in-4")) {
            try fixture.checkout.confirmByShopper(consumer: shopper, id: session.id, productID: "financing-6")
        }
        let otherProduct = try #require(session.offers.map(\.productID).first { $0 != "pay-in-4" })
        #expect(throws: CheckoutError.shopperConfirmedAnotherProduct(id: session.id, productID: "pay-in-4")) {
            try fixture.authorize(session.id, product: otherProduct)
        }
        guard case let .approved(order, _) = try fixture.authorize(session.id) else {
            Issue.record("expected an approval")
            return
        }
        let amount = try cny("120.00")
        #expect(order.productID == "pay-in-4" && order.authorized == amount)
        // The shopper's retry after the authorization still answers the checkout, now authorized.
        let again = try fixture.checkout.confirmByShopper(consumer: shopper, id: session.id, productID: "pay-in-4")
        #expect(again.state == .authorized && again.orderID == order.id && again.shopperConfirmation == expected)
    }

    @Test("only the checkout's own shopper sees or confirms it, and only a checkout that needs it; an offer not made is refused",
          arguments: StoreKind.available)
    func whoMayConfirm(kind: StoreKind) throws {
        let fixture = try CheckoutFixture(kind)
        let session = try shopperConfirmed(fixture)
        let stranger = try ConsumerID("c2")
        #expect(throws: CheckoutError.checkoutNotFound(session.id)) { try fixture.checkout.checkout(consumer: stranger, id: session.id) }
        #expect(throws: CheckoutError.checkoutNotFound(session.id)) {
            try fixture.checkout.confirmByShopper(consumer: stranger, id: session.id, productID: "pay-in-4")
        }
        let trusted = try fixture.newCheckout("120.00")
        #expect(trusted.shopperConfirmation == nil)
        #expect(throws: CheckoutError.checkoutNotFound(trusted.id)) {
            try fixture.checkout.confirmByShopper(consumer: try ConsumerID("c1"), id: trusted.id, productID: "pay-in-4")
        }
        #expect(throws: CheckoutError.productNotOffered("no-such-product")) {
            try fixture.checkout.confirmByShopper(consumer: try ConsumerID("c1"), id: session.id, productID: "no-such-product")
        }
        #expect(try fixture.checkout.checkout(merchant: fixture.merchant.id, id: session.id).shopperConfirmation == ShopperConfirmation())
    }

    @Test("confirmations of one checkout at once (a double tap, two devices): one product wins, the same product again returns it, and nothing fails",
          arguments: StoreKind.available)
    func confirmationsAtOnce(kind: StoreKind) throws {
        let fixture = try CheckoutFixture(kind)
        let shopper = try ConsumerID("c1")
        let sessions = try (0..<3).map { _ in try shopperConfirmed(fixture) }
        let products = Array(sessions[0].offers.map(\.productID).prefix(2))
        try #require(products.count == 2)
        let outcomes = concurrently(24) { index in
            try fixture.checkout.confirmByShopper(
                consumer: shopper, id: sessions[index % 3].id, productID: products[index / 3 % 2]
            ).shopperConfirmation?.productID
        }
        let unexpected = outcomes.unexpectedFailures { error in
            if case .shopperConfirmedAnotherProduct? = error as? CheckoutError { true } else { false }
        }
        #expect(unexpected.isEmpty)
        for (index, session) in sessions.enumerated() {
            let confirmed = try fixture.checkout.checkout(merchant: fixture.merchant.id, id: session.id).shopperConfirmation?.productID
            let mine = stride(from: index, to: 24, by: 3).map { outcomes[$0] }
            #expect(confirmed != nil && mine.successes().allSatisfy { $0 == confirmed }, "\(session.id): one product")
        }
    }

    @Test("a checkout cancelled before the shopper confirmed it cannot be confirmed, and authorizing it answers that it was cancelled",
          arguments: StoreKind.available)
    func cancelledUnconfirmed(kind: StoreKind) throws {
        let fixture = try CheckoutFixture(kind)
        let session = try shopperConfirmed(fixture)
        _ = try fixture.checkout.cancelCheckout(merchant: fixture.merchant.id, id: session.id)
        #expect(throws: CheckoutError.checkoutNotOpen(id: session.id, state: "cancelled")) {
            try fixture.checkout.confirmByShopper(consumer: try ConsumerID("c1"), id: session.id, productID: "pay-in-4")
        }
        #expect(throws: CheckoutError.checkoutCancelled(session.id)) { try fixture.authorize(session.id) }
    }

    @Test("the merchant's rule is kept and changed: checkouts keep the rule they were made under", arguments: StoreKind.available)
    func merchantRule(kind: StoreKind) throws {
        let fixture = try CheckoutFixture(kind)
        let merchants = MerchantService(database: fixture.store.database, clock: fixture.store.clock)
        #expect(try merchants.merchant(fixture.merchant.id).checkoutConfirmation == .merchant)
        #expect(try merchants.setCheckoutConfirmation(fixture.merchant.id, to: .shopper) == .merchant)
        #expect(try merchants.merchant(fixture.merchant.id).checkoutConfirmation == .shopper)
        #expect(try merchants.setCheckoutConfirmation(fixture.merchant.id, to: .merchant) == .shopper)
        let created = try merchants.create(
            name: "Stall 7", pricing: MerchantPricingTerms(discountRate: BasisPoints(300)), checkoutConfirmation: .shopper)
        #expect(try merchants.authenticate(apiKey: created.apiKey)?.checkoutConfirmation == .shopper)
        #expect(throws: CheckoutError.merchantNotFound("m_unknown")) {
            try merchants.setCheckoutConfirmation(try MerchantID("m_unknown"), to: .shopper)
        }
    }

    @Test("a merchant switched to shopper confirmation cannot authorize the checkouts it made on its word before; those it decided answer as before",
          arguments: StoreKind.available)
    func checkoutsMadeBeforeTheSwitch(kind: StoreKind) throws {
        let fixture = try CheckoutFixture(kind)
        let decided = try fixture.newCheckout("120.00")
        guard case .approved = try fixture.authorize(decided.id) else {
            Issue.record("expected an approval")
            return
        }
        let open = try fixture.newCheckout("120.00", shopper: "c2")
        #expect(throws: CheckoutError.madeBeforeShopperConfirmation(open.id)) {
            try fixture.authorize(open.id, device: "device-2", confirmation: .shopper)
        }
        // The merchant's retry of the checkout it decided before answers the order, as before.
        if case .approved = try fixture.authorize(decided.id, confirmation: .shopper) {} else {
            Issue.record("the retry answers the approval")
        }
    }
}
