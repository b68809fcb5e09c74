import Foundation
import PaylaterApp
import PaylaterLedger
import PaylaterMoney
import PaylaterProducts
import PaylaterStore
import PaylaterTestSupport
import PaylaterTime
import Testing

/// Promotion books for the checkout fixture's merchant.
enum PromotionBooks {
    static func promotion(
        _ id: String, _ merchant: String, share: Int, products: [String] = ["monthly-split-6", "financing-12"],
        through: String = "2027-03-31"
    ) -> String {
        let ids = products.map { "\"\($0)\"" }.joined(separator: ",")
        return #"{"id":"\#(id)","merchant_id":"\#(merchant)","product_ids":[\#(ids)],"merchant_share_bp":\#(share),"valid_from":"2027-03-01","valid_through":"\#(through)"}"#
    }

    static func book(_ promotions: [String]) -> String { #"{"promotions":[\#(promotions.joined(separator: ","))]}"# }
}

extension CheckoutFixture {
    var ledger: LedgerService { LedgerService(database: store.database, clock: store.clock) }

    /// The merchant's payable, positive when the platform owes the merchant.
    func payable() throws -> Money {
        let account = try ledger.account(ChartOfAccounts.merchant(merchant.id, .merchantPayable, .CNY))
        return Money(minorUnits: account?.balance.postedCreditBalance ?? 0, currency: .CNY)
    }

    /// A platform income account's balance.
    func income(_ type: AccountType) throws -> Money {
        Money(minorUnits: try ledger.account(ChartOfAccounts.platform(type, .CNY))?.balance.postedCreditBalance ?? 0, currency: .CNY)
    }

    func plan(_ order: Order, _ number: Int = 1) throws -> RepaymentPlan {
        try servicing.plan(consumer: try ConsumerID(order.consumerID), plan: try PlanID("\(order.id)-p\(number)")).plan
    }

    func capture(_ order: Order, _ amount: String?, id: String) throws -> Order {
        try checkout.capture(merchant: merchant.id, orderID: order.id, amount: try amount.map(cny), captureID: id)
    }

    func refund(_ order: Order, _ amount: String, id: String) throws -> Order {
        try checkout.refund(merchant: merchant.id, orderID: order.id, amount: try cny(amount), refundID: id)
    }

    func verifyLedger() throws {
        #expect(try ledger.verify().firstViolation == nil)
    }
}

@Suite("Merchant-funded promotions (贴息) at checkout")
struct PromotionCheckoutTests {
    @Test("a full subsidy makes the offer fee-free at 0% APR; the best promotion is the highest share, then the smallest id", arguments: StoreKind.available)
    func offer(kind: StoreKind) throws {
        let fixture = try CheckoutFixture(kind) { merchant in
            PromotionBooks.book([
                PromotionBooks.promotion("half", merchant.rawValue, share: 5_000),
                PromotionBooks.promotion("z-full", merchant.rawValue, share: 10_000),
                PromotionBooks.promotion("b-full", merchant.rawValue, share: 10_000),
            ])
        }
        let session = try fixture.newCheckout("600.00")
        let split = try #require(session.offers.first { $0.productID == "monthly-split-6" })
        #expect(split.promotion?.id == "b-full")
        #expect(split.promotion?.subsidy == (try cny("18.00")))
        #expect(split.totalCost.isZero)
        #expect(split.totalPayable == (try cny("600.00")))
        #expect(split.installments.map(\.amount) == Array(repeating: try cny("100.00"), count: 6))
        #expect(Set(split.aprPercent.values) == ["0.0000"])
        // Products without a cost have nothing to subsidise.
        #expect(session.offers.first { $0.productID == "pay-in-4" }?.promotion == nil)
        // The stored checkout shows the same offer.
        #expect(try fixture.checkout.checkout(merchant: fixture.merchant.id, id: session.id).offers == session.offers)
    }

    @Test("capture makes the fee-free plan and charges the merchant the subsidy; settlement pays captures − subsidy − discount", arguments: StoreKind.available)
    func captureAndSettle(kind: StoreKind) throws {
        let fixture = try CheckoutFixture(kind) { PromotionBooks.book([PromotionBooks.promotion("spring", $0.rawValue, share: 10_000)]) }
        let order = try fixture.approvedOrder("600.00", product: "monthly-split-6")
        #expect(order.promotion?.promotionID == "spring")
        #expect(order.promotion?.merchantShare == BasisPoints(10_000))
        _ = try fixture.capture(order, nil, id: "cap-1")
        let plan = try fixture.plan(order)
        #expect(plan.feesOwed.isZero)
        #expect(plan.principalOwed == (try cny("600.00")))
        #expect(plan.installments.count == 6)
        // Income is the product's full price: the merchant paid all of it.
        #expect(try fixture.income(.feeIncome) == (try cny("18.00")))
        #expect(try fixture.payable() == (try cny("582.00")))

        fixture.store.clock.advance(by: .seconds(3_600))
        let settlement = try SettlementService(database: fixture.store.database, clock: fixture.store.clock).settle(
            merchant: fixture.merchant.id, currency: .CNY, through: fixture.store.clock.now(),
            pricing: try fixture.merchant.pricing.settlementPricing(.CNY), settlementID: "s1")
        #expect(settlement.gross == (try cny("600.00")))
        #expect(settlement.subsidies == (try cny("18.00")))
        #expect(settlement.discount == (try cny("15.00")))
        #expect(settlement.payout == (try cny("567.00")))
        try fixture.verifyLedger()
    }

    @Test("partial and full refunds give the merchant back exactly the whole subsidy, capture by capture", arguments: StoreKind.available)
    func refunds(kind: StoreKind) throws {
        let fixture = try CheckoutFixture(kind) { PromotionBooks.book([PromotionBooks.promotion("half", $0.rawValue, share: 5_000)]) }
        let session = try fixture.newCheckout("1200.00")
        let offer = try #require(session.offers.first { $0.productID == "financing-12" })
        let full = try ProductCatalog.standard.quote(productID: "financing-12", amount: try cny("1200.00"), date: fixture.servicing.today())
        #expect(offer.promotion?.id == "half")
        #expect(offer.totalCost.isPositive && offer.totalCost.minorUnits < full.totalCost.minorUnits)
        #expect(offer.totalCost.minorUnits + (offer.promotion?.subsidy.minorUnits ?? 0) == full.totalCost.minorUnits)
        guard case let .approved(order, _) = try fixture.authorize(session.id, product: "financing-12") else {
            Issue.record("expected an approval")
            return
        }
        // The second capture is below the product's minimum: still priced under the promotion.
        _ = try fixture.capture(order, "800.00", id: "cap-1")
        _ = try fixture.capture(order, nil, id: "cap-2")
        let grant = try #require(order.promotion)
        let subsidies = try ["800.00", "400.00"].map {
            try grant.apply(to: ProductCatalog.standard.captureQuote(productID: "financing-12", amount: try cny($0), date: fixture.servicing.today())).subsidy
        }
        #expect(subsidies.allSatisfy { $0.isPositive })
        #expect(try fixture.plan(order, 2).feesOwed == (try grant.apply(
            to: ProductCatalog.standard.captureQuote(productID: "financing-12", amount: try cny("400.00"), date: fixture.servicing.today()))
            .shopperSchedule.totalFees))
        let charged = try subsidies[0] + subsidies[1]
        #expect(try fixture.payable() == (try cny("1200.00") - charged))

        _ = try fixture.refund(order, "300.00", id: "r-1")
        _ = try fixture.refund(order, "0.01", id: "r-2")
        let partly = try fixture.payable()
        #expect(partly.minorUnits > 120_000 - charged.minorUnits - 30_001)
        _ = try fixture.refund(order, "899.99", id: "r-3")
        // Everything refunded: the merchant got every subsidy back, and nothing is left as income.
        #expect(try fixture.payable().isZero)
        #expect(try fixture.income(.interestIncome).isZero)
        // A retried refund gives nothing back twice.
        _ = try fixture.refund(order, "0.01", id: "r-2")
        #expect(try fixture.payable().isZero)
        try fixture.verifyLedger()
    }

    @Test("without a promotion for the merchant, offers, plans and postings are unchanged", arguments: StoreKind.available)
    func noPromotion(kind: StoreKind) throws {
        let fixture = try CheckoutFixture(kind) { _ in
            PromotionBooks.book([PromotionBooks.promotion("theirs", "someone-else", share: 10_000)])
        }
        let session = try fixture.newCheckout("600.00")
        for offer in session.offers {
            let quote = try ProductCatalog.standard.quote(productID: offer.productID, amount: try cny("600.00"), date: fixture.servicing.today())
            #expect(offer.promotion == nil)
            #expect(offer.totalCost == quote.totalCost)
            #expect(offer.installments.map(\.amount) == quote.schedule.installments.map(\.total))
        }
        guard case let .approved(order, _) = try fixture.authorize(session.id, product: "monthly-split-6") else {
            Issue.record("expected an approval")
            return
        }
        #expect(order.promotion == nil)
        _ = try fixture.capture(order, nil, id: "cap-1")
        #expect(try fixture.plan(order).feesOwed == (try cny("18.00")))
        #expect(try fixture.payable() == (try cny("600.00")))
        #expect(try fixture.income(.feeIncome) == (try cny("18.00")))
        try fixture.verifyLedger()
    }

    @Test("a promotion shown at checkout is honoured at a capture after it ended", arguments: StoreKind.available)
    func honouredAfterEnd(kind: StoreKind) throws {
        let fixture = try CheckoutFixture(kind) {
            PromotionBooks.book([PromotionBooks.promotion("one-day", $0.rawValue, share: 10_000, through: "2027-03-01")])
        }
        let order = try fixture.approvedOrder("600.00", product: "monthly-split-6")
        fixture.store.clock.advance(by: .seconds(5 * 86_400))
        _ = try fixture.capture(order, nil, id: "cap-1")
        let plan = try fixture.plan(order)
        #expect(plan.feesOwed.isZero)
        #expect(plan.installments[0].dueDate == (try LocalDate(iso8601: "2027-04-06")))
        #expect(try fixture.payable() == (try cny("582.00")))
    }
}
