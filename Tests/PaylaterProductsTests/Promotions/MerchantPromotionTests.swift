import Foundation
import PaylaterMoney
import PaylaterProducts
import PaylaterTime
import Testing

enum Promo {
    static func make(
        share: Int64 = 10_000, products: Set<String> = ["monthly-split-6", "financing-12"], from: String = "2026-03-01",
        through: String = "2026-03-31", minimum: Money? = nil
    ) throws -> MerchantPromotion {
        try MerchantPromotion(
            id: "spring", merchantID: "m-42", productIDs: products, merchantShare: BasisPoints(share),
            validFrom: Fixture.date(from), validThrough: Fixture.date(through), minimumOrder: minimum)
    }

    static func quote(_ product: String, _ amount: String, on date: String = "2026-03-10") throws -> Quote {
        try ProductCatalog.standard.quote(productID: product, amount: Fixture.money(amount, .CNY), date: Fixture.date(date))
    }

    static func applied(_ outcome: PromotionOutcome) throws -> PromotedQuote {
        guard case .applied(let promoted) = outcome else { throw PromotionTestError.notApplied }
        return promoted
    }
}

enum PromotionTestError: Error { case notApplied }

@Suite("Merchant-funded promotions (贴息)")
struct MerchantPromotionTests {
    @Test("a full subsidy leaves the shopper 0% and the merchant pays every fee")
    func fullSubsidy() throws {
        let quote = try Promo.quote("monthly-split-6", "1200.00")
        let promoted = try Promo.applied(try Promo.make().apply(to: quote, merchantID: "m-42"))
        #expect(promoted.shopperSchedule.totalFees.isZero)
        #expect(promoted.shopperSchedule.principal == quote.schedule.principal)
        #expect(promoted.shopperSchedule.installments.map(\.dueDate) == quote.schedule.installments.map(\.dueDate))
        #expect(promoted.subsidy == Fixture.money("36.00", .CNY))
        #expect(promoted.subsidyByInstallment.map(\.decimalString) == Array(repeating: "6.00", count: 6))
        for method in APRMethod.allCases { #expect(promoted.shopperAPR(method).annualRate == 0) }
        #expect(promoted.subsidyChargedOn == Fixture.date("2026-03-10"))
    }

    @Test("a partial subsidy: round_half_even(fees × share) shared over installments by their fees")
    func partialSubsidy() throws {
        let quote = try Promo.quote("monthly-split-6", "1200.00")
        let promoted = try Promo.applied(try Promo.make(share: 3_333).apply(to: quote, merchantID: "m-42"))
        // 36.00 × 33.33% = 11.9988 → 12.00, shared equally: 2.00 a month; the shopper keeps 4.00.
        #expect(promoted.subsidy == Fixture.money("12.00", .CNY))
        #expect(Sched.fees(promoted.shopperSchedule) == Array(repeating: "4.00", count: 6))
    }

    @Test("half of financing interest: the shopper's APR is on the shopper's own cash flows, between 0 and the full APR")
    func financingHalf() throws {
        let quote = try Promo.quote("financing-12", "10000.00")
        let promoted = try Promo.applied(try Promo.make(share: 5_000).apply(to: quote, merchantID: "m-42"))
        #expect(quote.totalCost == Fixture.money("661.86", .CNY))
        #expect(promoted.subsidy == Fixture.money("330.93", .CNY))
        #expect(promoted.shopperSchedule.totalFees == Fixture.money("330.93", .CNY))
        let shopper = promoted.shopperAPR(.cnIRR).annualRate
        #expect(shopper > 0 && shopper < quote.apr(.cnIRR).annualRate)
        let flows = try CashFlowSchedule(
            currency: .CNY, advances: [(quote.date, quote.amount)],
            payments: promoted.shopperSchedule.installments.map { ($0.dueDate, $0.total) })
        #expect(try APRCalculator.apr(flows, method: .cnIRR) == promoted.shopperAPR(.cnIRR))
    }

    struct NotApplied: Sendable, CustomTestStringConvertible {
        let name: String
        let merchant: String
        let product: String
        let amount: String
        let date: String
        let reason: PromotionIneligibility
        var testDescription: String { name }
    }

    static let notApplied: [NotApplied] = [
        NotApplied(name: "another merchant's order", merchant: "m-7", product: "monthly-split-6", amount: "500.00",
                   date: "2026-03-10", reason: .otherMerchant("m-7", funder: "m-42")),
        NotApplied(name: "a product it does not cover", merchant: "m-42", product: "pay-in-4", amount: "500.00",
                   date: "2026-03-10", reason: .productNotCovered("pay-in-4")),
        NotApplied(name: "the day before it starts", merchant: "m-42", product: "monthly-split-6", amount: "500.00",
                   date: "2026-02-28", reason: .notYetValid(Fixture.date("2026-02-28"), validFrom: Fixture.date("2026-03-01"))),
        NotApplied(name: "the day after it ends", merchant: "m-42", product: "monthly-split-6", amount: "500.00",
                   date: "2026-04-01", reason: .expired(Fixture.date("2026-04-01"), validThrough: Fixture.date("2026-03-31"))),
        NotApplied(name: "below the minimum order", merchant: "m-42", product: "monthly-split-6", amount: "299.99",
                   date: "2026-03-10", reason: .belowMinimum(Fixture.money("299.99", .CNY), minimum: Fixture.money("300.00", .CNY))),
    ]

    @Test("a promotion that does not apply leaves the quote unchanged and says why", arguments: notApplied)
    func doesNotApply(_ example: NotApplied) throws {
        let promotion = try Promo.make(minimum: Fixture.money("300.00", .CNY))
        let quote = try Promo.quote(example.product, example.amount, on: example.date)
        guard case let .notApplied(unchanged, reason) = try promotion.apply(to: quote, merchantID: example.merchant) else {
            Issue.record("the promotion should not apply")
            return
        }
        #expect(reason == example.reason)
        #expect(unchanged.schedule == quote.schedule)
    }

    @Test("the validity window is inclusive at both ends, and the minimum itself qualifies", arguments: ["2026-03-01", "2026-03-31"])
    func windowInclusive(_ date: String) throws {
        let promotion = try Promo.make(minimum: Fixture.money("300.00", .CNY))
        let quote = try Promo.quote("monthly-split-6", "300.00", on: date)
        _ = try Promo.applied(try promotion.apply(to: quote, merchantID: "m-42"))
    }

    @Test("promotions with no products, a share outside 1...10000 bp or a reversed window are refused")
    func invalidPromotions() {
        #expect(throws: PromotionError.self) { try Promo.make(products: []) }
        #expect(throws: PromotionError.self) { try Promo.make(share: 0) }
        #expect(throws: PromotionError.self) { try Promo.make(share: 10_001) }
        #expect(throws: PromotionError.self) { try Promo.make(from: "2026-04-01", through: "2026-03-31") }
        #expect(throws: PromotionError.self) { try Promo.make(minimum: Fixture.money("0.00", .CNY)) }
    }

    @Test("a refund returns the subsidy of the refunded principal pro rata, charged back to the merchant")
    func refunds() throws {
        let promoted = try Promo.applied(try Promo.make().apply(to: try Promo.quote("monthly-split-6", "1200.00"), merchantID: "m-42"))
        #expect(try promoted.subsidyRefund(refunding: Fixture.money("600.00", .CNY)) == Fixture.money("18.00", .CNY))
        var refunded = Money.zero(.CNY)
        var returned: Int64 = 0
        for amount in ["400.01", "399.99", "400.00"] {
            returned += try promoted.subsidyRefund(refunding: Fixture.money(amount, .CNY), alreadyRefunded: refunded).minorUnits
            refunded = try refunded + Fixture.money(amount, .CNY)
        }
        #expect(returned == promoted.subsidy.minorUnits)
        #expect(throws: PromotionError.self) {
            try promoted.subsidyRefund(refunding: Fixture.money("0.01", .CNY), alreadyRefunded: Fixture.money("1200.00", .CNY))
        }
    }

    @Test("shopper share + subsidy = the unpromoted fee of every installment, never negative, and refunds return it all")
    func shareLaws() throws {
        var random = SplitMix64(seed: 2026_11_11)
        for _ in 0..<300 {
            let product = random.element(of: ["monthly-split-6", "financing-12"])
            let amount = random.int64(in: product == "financing-12" ? 50_000...5_000_000 : 1_000...3_000_000)
            let quote = try ProductCatalog.standard.quote(
                productID: product, amount: Money(minorUnits: amount, currency: .CNY), date: Fixture.date("2026-03-15"))
            let share = random.chance(percent: 20) ? 10_000 : random.int64(in: 1...10_000)
            let promoted = try Promo.applied(try Promo.make(share: share).apply(to: quote, merchantID: "m-42"))
            for (index, installment) in quote.schedule.installments.enumerated() {
                let shopper = promoted.shopperSchedule.installments[index]
                let subsidy = promoted.subsidyByInstallment[index]
                #expect(shopper.fee.minorUnits + subsidy.minorUnits == installment.fee.minorUnits)
                #expect(!shopper.fee.isNegative && !subsidy.isNegative)
                #expect(shopper.principal == installment.principal && shopper.dueDate == installment.dueDate)
            }
            if share == 10_000 { #expect(promoted.shopperSchedule.totalFees.isZero) }
            var refunded: Int64 = 0
            var returned: Int64 = 0
            while refunded < amount {
                let piece = random.int64(in: 1...(amount - refunded))
                returned += try promoted.subsidyRefund(
                    refunding: Money(minorUnits: piece, currency: .CNY),
                    alreadyRefunded: Money(minorUnits: refunded, currency: .CNY)).minorUnits
                refunded += piece
            }
            #expect(returned == promoted.subsidy.minorUnits)
        }
    }
}
