import Foundation
import PaylaterMoney
import PaylaterProducts
import PaylaterTime
import Testing

/// A Huabei-style monthly bill: statement on the 1st, due on the 10th, splits over 3, 6 or 12 months at 0.6% a
/// month, sold in CN under a 24% cn-irr cap.
enum BillFixture {
    static let bill =
        #"{"id":"monthly-bill","kind":"monthly_bill","statement_day":1,"due_day":10,"split_months":[3,6,12],"monthly_fee_rate":"0.006","currencies":["CNY"],"minimum":"10.00","maximum":"30000.00"}"#

    static func catalog(_ product: String = bill) throws(CatalogError) -> ProductCatalog {
        try CatalogFixture.load(CatalogFixture.json(products: [CatalogFixture.tryThenPay, product]))
    }

    static let badFields: [(String, String)] = [
        (CatalogFixture.swap(bill, "\"statement_day\":1", "\"statement_day\":29"), "products[1].statement_day"),
        (CatalogFixture.swap(bill, "\"statement_day\":1", "\"statement_day\":\"first\""), "products[1].statement_day"),
        (CatalogFixture.swap(bill, "\"statement_day\":1,", ""), "products[1].statement_day"),
        (CatalogFixture.swap(bill, "\"due_day\":10", "\"due_day\":0"), "products[1].due_day"),
        (CatalogFixture.swap(bill, "\"due_day\":10", "\"due_day\":31"), "products[1].due_day"),
        (CatalogFixture.swap(bill, "[3,6,12]", "[3,5]"), "products[1].split_months[1]"),
        (CatalogFixture.swap(bill, "[3,6,12]", "[6,6]"), "products[1].split_months[1]"),
        (CatalogFixture.swap(bill, "[3,6,12]", "[\"3\"]"), "products[1].split_months[0]"),
        (CatalogFixture.swap(bill, "[3,6,12]", "[]"), "products[1].split_months"),
        (CatalogFixture.swap(bill, "[3,6,12]", "3"), "products[1].split_months"),
        (CatalogFixture.swap(bill, "\"0.006\"", "\"0.2\""), "products[1].monthly_fee_rate"),
        (CatalogFixture.swap(bill, "\"0.006\"", "\"abc\""), "products[1].monthly_fee_rate"),
        // A monthly bill has no `months`: a split product's key is refused rather than ignored.
        (CatalogFixture.swap(bill, "\"due_day\":10", "\"due_day\":10,\"months\":6"), "products[1].months"),
    ]
}

@Suite("A monthly bill (月付) in the catalog")
struct MonthlyBillCatalogTests {
    let amount = Fixture.money("1200.00", .CNY)

    @Test("a monthly bill loads with its billing cycle and the splits it offers")
    func loads() throws {
        let product = try BillFixture.catalog().product(id: "monthly-bill")
        #expect(product.kind == "monthly_bill")
        #expect(product.terms == nil)
        let bill = try #require(product.monthlyBill)
        #expect(bill.cycle == (try BillingCycle(statementDay: .day(1), dueDay: 10)))
        #expect(bill.splits == SplitOffer(months: [3, 6, 12], monthlyFeeRate: try Rational(6, 1000)))
        let last = CatalogFixture.swap(BillFixture.bill, "\"statement_day\":1", "\"statement_day\":\"last\"")
        #expect(try BillFixture.catalog(last).product(id: "monthly-bill").monthlyBill?.cycle.statementDay == .lastDayOfMonth)
    }

    @Test("each bad monthly-bill field is refused and named by its path", arguments: BillFixture.badFields)
    func badField(json: String, path: String) {
        #expect(CatalogFixture.errorPath(CatalogFixture.json(products: [CatalogFixture.tryThenPay, json])) == path)
    }

    @Test("a purchase on the bill costs nothing when the statement is paid by its due date")
    func payInFull() throws {
        let quote = try BillFixture.catalog().quote(productID: "monthly-bill", amount: amount, date: Fixture.date("2026-11-24"))
        #expect(quote.schedule.installments.count == 1)
        #expect(quote.schedule.installments[0].dueDate == Fixture.date("2026-12-10"))
        #expect(quote.schedule.installments[0].total == amount)
        #expect(quote.totalCost.isZero)
        #expect(quote.aprs.allSatisfy { $0.annualRate == 0 })
    }

    @Test("a purchase on the statement day is on the next statement")
    func purchaseOnStatementDay() throws {
        let quote = try BillFixture.catalog().quote(productID: "monthly-bill", amount: amount, date: Fixture.date("2026-12-01"))
        #expect(quote.schedule.installments[0].dueDate == Fixture.date("2027-01-10"))
    }

    @Test("each split is quoted as its own schedule, first due on the next statement's due date, priced from the statement's due date")
    func splits() throws {
        let splits = try BillFixture.catalog().quoteSplits(productID: "monthly-bill", amount: amount, date: Fixture.date("2026-11-24"))
        #expect(splits.map(\.months) == [3, 6, 12])
        for split in splits {
            #expect(split.statement.dueDate == Fixture.date("2026-12-10"))
            #expect(split.quote.date == split.statement.dueDate)
            #expect(split.quote.schedule.installments.count == split.months)
            #expect(split.quote.schedule.installments[0].dueDate == Fixture.date("2027-01-10"))
            #expect(split.quote.schedule.principal == amount)
            // The fee is the same each month: 1200.00 × 0.6% = 7.20.
            #expect(split.quote.totalCost == Money(minorUnits: 720 * Int64(split.months), currency: .CNY))
            let payments = split.quote.schedule.installments.map { ($0.dueDate, $0.total) }
            let flows = try CashFlowSchedule(currency: .CNY, advances: [(split.statement.dueDate, amount)], payments: payments)
            for method in APRMethod.allCases { #expect(split.quote.apr(method) == (try APRCalculator.apr(flows, method: method))) }
        }
        // Longer splits cost more a year at the same monthly fee: 0.6% flat is about 13.8% over 12 months.
        #expect(splits[2].quote.apr(.cnIRR).percentString(decimals: 2) == "13.84")
        #expect(splits[0].quote.apr(.cnIRR).annualRate < splits[2].quote.apr(.cnIRR).annualRate)
    }

    @Test("a split above the cap is refused when the catalog loads, naming the split")
    func splitAboveCap() {
        let expensive = CatalogFixture.swap(BillFixture.bill, "\"0.006\"", "\"0.02\"")
        #expect {
            try BillFixture.catalog(expensive)
        } throws: { error in
            guard case let .aprAboveCap(product, _, cap, method)? = error as? CatalogError else { return false }
            return product == "monthly-bill (3-month split)" && cap == "24" && method == .cnIRR
        }
    }

    @Test("only a monthly bill offers splits")
    func splitsOfAnotherProduct() throws {
        let catalog = try BillFixture.catalog()
        #expect(throws: CatalogError.notAMonthlyBill("try-then-pay")) {
            try catalog.quoteSplits(productID: "try-then-pay", amount: amount, date: Fixture.date("2026-11-24"))
        }
    }

    @Test("a monthly bill's limits apply to its splits too")
    func splitLimits() throws {
        let catalog = try BillFixture.catalog()
        #expect(throws: CatalogError.self) {
            try catalog.quoteSplits(productID: "monthly-bill", amount: Fixture.money("9.99", .CNY), date: Fixture.date("2026-11-24"))
        }
    }
}
