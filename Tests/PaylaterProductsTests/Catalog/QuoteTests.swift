import Foundation
import PaylaterMoney
import PaylaterProducts
import PaylaterTime
import Testing

@Suite("A quote gives the schedule, the total cost and the APR of a catalog product")
struct QuoteTests {
    let catalog = ProductCatalog.standard
    let date = Fixture.date("2026-11-24")

    private func quote(_ id: String, _ amount: String, _ currency: Currency = .CNY) throws -> Quote {
        try catalog.quote(productID: id, amount: Fixture.money(amount, currency), date: date)
    }

    /// The laws every quote keeps: principals add up to the amount, and the cost is the total less the amount.
    private func checkSums(_ quote: Quote) throws {
        #expect(quote.schedule.principal == quote.amount)
        #expect(try quote.schedule.total - quote.amount == quote.totalCost)
        #expect(quote.aprs.map(\.method) == [.usRegZ, .eu, .cnIRR])
    }

    @Test("try-then-pay is one payment 14 days later at no cost and 0% APR")
    func tryThenPay() throws {
        let quote = try quote("try-then-pay", "199.00")
        try checkSums(quote)
        #expect(quote.schedule.installments.count == 1)
        #expect(quote.schedule.installments[0].dueDate == Fixture.date("2026-12-08"))
        #expect(quote.totalCost.isZero)
        #expect(quote.aprs.allSatisfy { $0.annualRate == 0 })
        #expect(quote.apr(.cnIRR).percentString() == "0.0000")
    }

    @Test("pay-in-4 puts the leftover cent first, the first part due today, at 0% APR")
    func payIn4() throws {
        let quote = try quote("pay-in-4", "100.01", .USD)
        try checkSums(quote)
        #expect(quote.schedule.installments.map(\.total) == ["25.01", "25.00", "25.00", "25.00"].map { Fixture.money($0, .USD) })
        #expect(quote.schedule.installments[0].dueDate == date)
        #expect(quote.totalCost.isZero)
        #expect(quote.aprs.allSatisfy { $0.annualRate == 0 })
    }

    @Test("a monthly split has a flat fee and a positive APR equal to APRCalculator's on the same cash flows")
    func monthlySplit() throws {
        let quote = try quote("monthly-split-6", "1200.00")
        try checkSums(quote)
        #expect(quote.totalCost == Fixture.money("36.00", .CNY))
        try expectAPRsMatchCalculator(quote)
        #expect(quote.apr(.cnIRR).annualRate > 0.10 && quote.apr(.cnIRR).annualRate < 0.24)
    }

    @Test("financing has interest and a positive APR equal to APRCalculator's on the same cash flows")
    func financing() throws {
        let quote = try quote("financing-12", "10000.00")
        try checkSums(quote)
        #expect(quote.totalCost.isPositive)
        try expectAPRsMatchCalculator(quote)
        // 1% a month compounds to 12.68% a year.
        #expect(quote.apr(.cnIRR).percentString(decimals: 2) == "12.68")
        #expect(quote.apr(.usRegZ).percentString(decimals: 2) == "12.00")
    }

    private func expectAPRsMatchCalculator(_ quote: Quote) throws {
        let payments = quote.schedule.installments.map { ($0.dueDate, $0.total) }
        let flows = try CashFlowSchedule(currency: quote.amount.currency, advances: [(date, quote.amount)], payments: payments)
        for method in APRMethod.allCases {
            let expected = try APRCalculator.apr(flows, method: method)
            #expect(quote.apr(method) == expected)
            #expect(expected.annualRate > 0)
        }
    }

    @Test("amounts outside the product's limits are refused")
    func outOfRange() {
        #expect(
            throws: CatalogError.amountOutOfRange(
                product: "pay-in-4", amount: Fixture.money("49.99", .CNY), minimum: Fixture.money("50.00", .CNY),
                maximum: Fixture.money("2000.00", .CNY))
        ) { try quote("pay-in-4", "49.99") }
        #expect(throws: CatalogError.self) { try quote("financing-12", "50000.01") }
    }

    @Test("a currency the product does not offer is refused")
    func currencyNotOffered() {
        #expect(throws: CatalogError.currencyNotOffered(product: "try-then-pay", currency: .USD, offered: [.CNY])) {
            try quote("try-then-pay", "10.00", .USD)
        }
    }

    @Test("financing at 3% a month is refused under a 24% CN cap, with the computed APR and the cap")
    func aboveCap() throws {
        let expensive = CatalogFixture.financing.replacingOccurrences(of: "\"0.01\"", with: "\"0.03\"")
        // The catalog quotes each product at its limits on load, so the refusal comes from loading.
        do {
            _ = try CatalogFixture.load(CatalogFixture.json(products: [expensive]))
            Issue.record("a product above the cap was accepted")
        } catch {
            guard case let .aprAboveCap(product, apr, cap, method) = error else {
                Issue.record("unexpected error \(error)")
                return
            }
            #expect(product == "financing-12")
            #expect(method == .cnIRR)
            #expect(cap == "24")
            // 3% a month compounds to 42.58% a year; rounding the interest to whole fen on the 500.00 minimum
            // brings it to 42.57%.
            #expect(apr == "42.5664")
            #expect(error.description.contains(apr) && error.description.contains("24%"))
        }
    }

    @Test("a capture below the product's minimum is priced, and refused with its APR and the cap when above the cap")
    func captureBelowMinimumAboveCap() throws {
        // 0.6% a month flat over 12 months is 13.84% at ordinary amounts; on 0.84 each month's fee of 0.00504
        // rounds to 0.01, which is 28.58% by cn-irr.
        let split = CatalogFixture.split.replacingOccurrences(of: "\"months\":6", with: "\"months\":12")
            .replacingOccurrences(of: "\"0.005\"", with: "\"0.006\"")
        let catalog = try CatalogFixture.load(CatalogFixture.json(products: [split]))
        let small = try catalog.captureQuote(productID: "monthly-split-6", amount: Fixture.money("5.00", .CNY), date: date)
        #expect(small.schedule.principal == Fixture.money("5.00", .CNY))
        do {
            _ = try catalog.captureQuote(productID: "monthly-split-6", amount: Fixture.money("0.84", .CNY), date: date)
            Issue.record("a capture above the cap was priced")
        } catch {
            guard case let .aprAboveCap(product, apr, cap, method) = error else {
                Issue.record("unexpected error \(error)")
                return
            }
            #expect(product == "monthly-split-6" && method == .cnIRR && cap == "24")
            #expect((Double(apr) ?? 0) > 24)
        }
        #expect(throws: CatalogError.schedule(
            product: "monthly-split-6", .principalTooSmallToSplit(Fixture.money("0.11", .CNY), installments: 12))) {
            try catalog.captureQuote(productID: "monthly-split-6", amount: Fixture.money("0.11", .CNY), date: date)
        }
    }

    @Test("the cap applies only in the catalog's jurisdiction")
    func capOfOtherJurisdiction() throws {
        let expensive = CatalogFixture.financing.replacingOccurrences(of: "\"0.01\"", with: "\"0.025\"")
        let catalog = try CatalogFixture.load(CatalogFixture.json(products: [expensive], jurisdiction: "US"))
        // 2.5% a month is 30% by us-regz: under the US cap of 36%.
        let quote = try catalog.quote(productID: "financing-12", amount: Fixture.money("1000.00", .CNY), date: date)
        #expect(quote.apr(.usRegZ).percentString(decimals: 2) == "30.00")
    }
}
