import Foundation
import PaylaterMoney
import PaylaterProducts
import PaylaterTime
import Testing

@Suite("Promotions granted to orders")
struct PromotionGrantTests {
    @Test("the best promotion is the highest merchant share, then the smallest id, whatever the book's order")
    func best() throws {
        func promotion(_ id: String, _ share: Int) -> String {
            #"{"id":"\#(id)","merchant_id":"m-42","product_ids":["monthly-split-6"],"merchant_share_bp":\#(share),"valid_from":"2026-03-01","valid_through":"2026-03-31"}"#
        }
        let book = try PromotionBook(
            json: PromotionBookTests.json([promotion("half", 5_000), promotion("z-full", 10_000), promotion("b-full", 10_000)]))
        let best = book.best(merchantID: "m-42", productID: "monthly-split-6", amount: Fixture.money("600.00", .CNY), date: Fixture.date("2026-03-10"))
        #expect(best?.id == "b-full")
        #expect(book.best(merchantID: "m-1", productID: "monthly-split-6", amount: Fixture.money("600.00", .CNY), date: Fixture.date("2026-03-10")) == nil)
        #expect(PromotionBook.empty.promotions.isEmpty)
    }

    @Test("a grant prices a later capture of any size by the share shown, after the promotion ended")
    func grantOutlivesPromotion() throws {
        let grant = PromotionGrant(try Promo.make(share: 5_000, minimum: Fixture.money("300.00", .CNY)), on: Fixture.date("2026-03-31"))
        let quote = try Promo.quote("monthly-split-6", "100.00", on: "2026-04-20")
        let promoted = try grant.apply(to: quote)
        #expect(promoted.subsidy == Fixture.money("1.50", .CNY))
        #expect(promoted.shopperSchedule.totalFees == Fixture.money("1.50", .CNY))
        #expect(promoted.shopperSchedule.installments[0].dueDate == Fixture.date("2026-05-20"))
    }

    @Test("a capture below the product's minimum is still quoted under a promotion")
    func captureQuoteBelowMinimum() throws {
        let quote = try ProductCatalog.standard.captureQuote(productID: "financing-12", amount: Fixture.money("100.00", .CNY), date: Fixture.date("2026-03-10"))
        #expect(quote.schedule.principal == Fixture.money("100.00", .CNY))
        #expect(quote.totalCost.isPositive)
        #expect(throws: CatalogError.self) {
            try ProductCatalog.standard.captureQuote(productID: "financing-12", amount: Fixture.money("60000.00", .CNY), date: Fixture.date("2026-03-10"))
        }
    }

    @Test("a plan's subsidy record returns the whole subsidy over partial refunds, like the quote", arguments: [
        ["0.01", "599.99"], ["100.00", "200.00", "300.00"], ["333.33", "0.01", "266.66"],
    ])
    func subsidyRecord(refunds: [String]) throws {
        let promoted = try Promo.applied(try Promo.make().apply(to: Promo.quote("monthly-split-6", "600.00"), merchantID: "m-42"))
        let record = promoted.subsidyRecord
        var refunded = Money.zero(.CNY)
        var returned = Money.zero(.CNY)
        for text in refunds {
            let refund = Fixture.money(text, .CNY)
            let part = try record.refund(refunding: refund, alreadyRefunded: refunded)
            #expect(part == (try promoted.subsidyRefund(refunding: refund, alreadyRefunded: refunded)))
            returned = try returned + part
            refunded = try refunded + refund
        }
        #expect(returned == promoted.subsidy)
    }
}
