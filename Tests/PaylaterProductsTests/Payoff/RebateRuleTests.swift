import PaylaterMoney
import PaylaterProducts
import PaylaterTime
import Testing

@Suite("Which rebate rule a product's plans carry")
struct RebateRuleTests {
    struct Case: Sendable, CustomTestStringConvertible {
        let name: String
        let terms: ScheduleTerms
        let rule: RebateRule
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case(name: "try-then-pay charges nothing, so rebates nothing", terms: .tryThenPay(dueAfterDays: 14), rule: .none),
        Case(name: "pay-in-4 charges nothing, so rebates nothing", terms: .payIn4(intervalDays: 14), rule: .none),
        Case(name: "a monthly split waives the fees of periods not begun",
             terms: .monthlySplit(months: 6, monthlyFeeRate: Sched.rate("0.005")), rule: .unearnedFees),
        Case(name: "equal-installment financing rebates unearned interest at its contract rate",
             terms: .financingEqualInstallments(months: 12, monthlyRate: Sched.rate("0.01")),
             rule: .actuarialInterest(monthlyRate: Sched.rate("0.01"))),
        Case(name: "equal-principal financing rebates unearned interest at its contract rate",
             terms: .financingEqualPrincipal(months: 24, monthlyRate: Sched.rate("0.0125")),
             rule: .actuarialInterest(monthlyRate: Sched.rate("0.0125"))),
    ]

    @Test(arguments: cases)
    func byTerms(_ example: Case) {
        #expect(example.terms.rebateRule == example.rule)
    }

    @Test("every product of the standard catalog carries its terms' rule")
    func standardCatalog() throws {
        let catalog = ProductCatalog.standard
        #expect(try catalog.product(id: "try-then-pay").rebateRule == RebateRule.none)
        #expect(try catalog.product(id: "pay-in-4").rebateRule == RebateRule.none)
        #expect(try catalog.product(id: "monthly-split-6").rebateRule == .unearnedFees)
        #expect(try catalog.product(id: "financing-12").rebateRule == .actuarialInterest(monthlyRate: Sched.rate("0.01")))
    }

    @Test("a monthly bill's purchase owes no fee until split; its splits take the monthly split's rule")
    func monthlyBill() throws {
        let product = try BillFixture.catalog().product(id: "monthly-bill")
        #expect(product.rebateRule == RebateRule.none)
        let bill = try #require(product.monthlyBill)
        #expect(bill.splitRebateRule == .unearnedFees)
    }

    @Test("under a promotion the shopper's interest accrues at their part of the rate; whole-fee rules are unchanged")
    func promoted() throws {
        let financing = RebateRule.actuarialInterest(monthlyRate: Sched.rate("0.01"))
        #expect(try financing.promoted(merchantShare: BasisPoints(2_500)) == .actuarialInterest(monthlyRate: Sched.rate("0.0075")))
        #expect(try financing.promoted(merchantShare: BasisPoints(10_000)) == .actuarialInterest(monthlyRate: .zero))
        #expect(try RebateRule.unearnedFees.promoted(merchantShare: BasisPoints(5_000)) == .unearnedFees)
        let quote = try Promo.quote("financing-12", "1200.00")
        let promotedQuote = try Promo.applied(try Promo.make(share: 5_000).apply(to: quote, merchantID: "m-42"))
        #expect(promotedQuote.shopperRebateRule == .actuarialInterest(monthlyRate: Sched.rate("0.005")))
    }
}
