import Foundation
import PaylaterMoney
import PaylaterProducts
import PaylaterTime
import Testing

/// Catalog JSON built from pieces, so each test changes one field.
enum CatalogFixture {
    static let tryThenPay =
        #"{"id":"try-then-pay","kind":"try_then_pay","currencies":["CNY"],"minimum":"1.00","maximum":"5000.00","due_after_days":14}"#
    static let payIn4 =
        #"{"id":"pay-in-4","kind":"pay_in_4","currencies":["CNY","USD"],"minimum":"50.00","maximum":"2000.00","interval_days":14}"#
    static let split =
        #"{"id":"monthly-split-6","kind":"monthly_split","months":6,"monthly_fee_rate":"0.005","currencies":["CNY"],"minimum":"10.00","maximum":"30000.00"}"#
    static let financing =
        #"{"id":"financing-12","kind":"financing","method":"equal_installments","months":12,"monthly_rate":"0.01","currencies":["CNY","USD"],"minimum":"500.00","maximum":"50000.00"}"#
    static let caps =
        #"[{"jurisdiction":"CN","apr_percent":"24","method":"cn-irr"},{"jurisdiction":"US","apr_percent":"36","method":"us-regz"}]"#

    static func json(products: [String], caps: String = caps, jurisdiction: String = "CN") -> String {
        #"{"rate_caps":\#(caps),"products":[\#(products.joined(separator: ","))],"jurisdiction":"\#(jurisdiction)"}"#
    }

    static func swap(_ product: String, _ old: String, _ new: String) -> String {
        product.replacingOccurrences(of: old, with: new)
    }

    static let badProducts: [(String, String)] = [
            // Unknown kind.
            (swap(tryThenPay, "try_then_pay", "try_later"), "products[1].kind"),
            // A misspelt key must not pass silently.
            (swap(split, "monthly_fee_rate", "monthly_fee"), "products[1].monthly_fee"),
            (swap(split, "\"0.005\"", "\"0.5x\""), "products[1].monthly_fee_rate"),
            (swap(split, "\"0.005\"", "\"-0.005\""), "products[1].monthly_fee_rate"),
            (swap(split, "\"0.005\"", "\"0.2\""), "products[1].monthly_fee_rate"),
            (swap(split, "\"months\":6", "\"months\":5"), "products[1].months"),
            (swap(split, "\"months\":6", "\"months\":true"), "products[1].months"),
            (swap(financing, "\"months\":12", "\"months\":48"), "products[1].months"),
            (swap(financing, "equal_installments", "balloon"), "products[1].method"),
            (swap(financing, "\"0.01\"", "\"-0.01\""), "products[1].monthly_rate"),
            (swap(tryThenPay, "\"due_after_days\":14", "\"due_after_days\":0"),
             "products[1].due_after_days"),
            (swap(payIn4, "\"interval_days\":14", "\"interval_days\":40"),
             "products[1].interval_days"),
            // Minimum above maximum.
            (swap(payIn4, "\"50.00\"", "\"2500.00\""), "products[1].minimum"),
            // Too many decimals for a currency.
            (swap(payIn4, "\"50.00\"", "\"50.001\""), "products[1].minimum"),
            (swap(payIn4, "\"USD\"", "\"JPY\""), "products[1].minimum"),
            (swap(payIn4, "\"USD\"", "\"XYZ\""), "products[1].currencies[1]"),
            (swap(payIn4, "\"USD\"", "\"CNY\""), "products[1].currencies[1]"),
            (swap(payIn4, "\"maximum\":\"2000.00\",", ""), "products[1].maximum"),
            (swap(payIn4, "\"50.00\"", "\"0.00\""), "products[1].minimum"),
            // Duplicate id.
            (tryThenPay, "products[1].id"),
    ]

    static let badTopLevel: [(String, String)] = [
            (json(products: [], caps: #"[{"jurisdiction":"CN","apr_percent":"24","method":"apy"}]"#),
             "rate_caps[0].method"),
            (json(products: [], caps: #"[{"jurisdiction":"CN","apr_percent":"x","method":"eu"}]"#),
             "rate_caps[0].apr_percent"),
            // Already in percent: "24%" would otherwise read as the fraction 0.24, a cap of 0.24%.
            (json(products: [], caps: #"[{"jurisdiction":"CN","apr_percent":"24%","method":"eu"}]"#),
             "rate_caps[0].apr_percent"),
            (json(products: [], caps: #"[{"jurisdiction":"CN","apr_percent":"24","method":"eu","note":1}]"#),
             "rate_caps[0].note"),
            (json(
                products: [],
                caps: #"[{"jurisdiction":"CN","apr_percent":"24","method":"eu"},{"jurisdiction":"CN","apr_percent":"20","method":"eu"}]"#),
             "rate_caps[1].jurisdiction"),
            (#"{"rate_caps":[],"products":[],"jurisdiction":"CN","currency":"CNY"}"#, "currency"),
            (#"{"rate_caps":[],"products":[]}"#, "jurisdiction"),
            (#"{"rate_caps":[],"products":[1],"jurisdiction":"CN"}"#, "products[0]"),
            (#"{"rate_caps":[],"products":[],"jurisdiction":"CN","time_zone":""}"#, "time_zone"),
            (#"{"rate_caps":[],"products":[],"jurisdiction":"CN","time_zone":8}"#, "time_zone"),
    ]

    static func load(_ json: String) throws(CatalogError) -> ProductCatalog {
        try ProductCatalog(json: Array(json.utf8))
    }

    /// The path of the field error loading `json` throws, or nil when it loads or fails otherwise.
    static func errorPath(_ json: String) -> String? {
        do {
            _ = try load(json)
            return nil
        } catch {
            return error.fieldPath
        }
    }
}

@Suite("A product catalog is loaded from JSON and checked")
struct CatalogLoadingTests {
    @Test("the standard catalog loads with its four products and the CN cap")
    func standard() throws {
        let catalog = ProductCatalog.standard
        #expect(catalog.products.map(\.id) == ["try-then-pay", "pay-in-4", "monthly-split-6", "financing-12"])
        #expect(catalog.jurisdiction == "CN")
        #expect(catalog.applicableCap?.method == .cnIRR)
        #expect(catalog.applicableCap?.aprPercent == Rational(24))
        #expect(try catalog.product(id: "try-then-pay").terms == .tryThenPay(dueAfterDays: 14))
        #expect(try catalog.product(id: "pay-in-4").terms == .payIn4(intervalDays: 14))
        #expect(try catalog.product(id: "monthly-split-6").terms == .monthlySplit(months: 6, monthlyFeeRate: Rational(1, 200)))
        #expect(
            try catalog.product(id: "financing-12").terms == .financingEqualInstallments(months: 12, monthlyRate: Rational(1, 100)))
        let payIn4 = try catalog.product(id: "pay-in-4")
        #expect(payIn4.currencies == [.CNY, .USD])
        #expect(payIn4.limits[.USD]?.maximum == Fixture.money("2000.00", .USD))
    }

    @Test("time_zone names the catalog's calendar; without it the catalog is UTC's (nil)")
    func timeZone() throws {
        #expect(ProductCatalog.standard.timeZone == nil)
        let json = #"{"rate_caps":[],"products":[],"jurisdiction":"CN","time_zone":"Asia/Shanghai"}"#
        #expect(try CatalogFixture.load(json).timeZone == "Asia/Shanghai")
    }

    @Test("the same JSON with the products built from pieces loads")
    func fixtureLoads() throws {
        let catalog = try CatalogFixture.load(
            CatalogFixture.json(products: [CatalogFixture.tryThenPay, CatalogFixture.payIn4, CatalogFixture.split, CatalogFixture.financing]))
        #expect(catalog.products.count == 4)
    }

    @Test("an unknown product id is refused")
    func unknownProduct() {
        #expect(throws: CatalogError.unknownProduct("pay-in-5")) { try ProductCatalog.standard.product(id: "pay-in-5") }
    }

    @Test("every bad field is refused with its path", arguments: CatalogFixture.badProducts)
    func badProductField(product: String, path: String) {
        #expect(CatalogFixture.errorPath(CatalogFixture.json(products: [CatalogFixture.tryThenPay, product])) == path)
    }

    @Test("bad caps and unknown top-level keys are refused with their path", arguments: CatalogFixture.badTopLevel)
    func badTopLevelField(json: String, path: String) {
        #expect(CatalogFixture.errorPath(json) == path)
    }

    @Test("the message names the field and the bad value")
    func message() {
        let json = CatalogFixture.json(
            products: [CatalogFixture.tryThenPay, CatalogFixture.payIn4,
                       CatalogFixture.swap(CatalogFixture.split, "\"0.005\"", "\"0.5x\"")])
        #expect(throws: CatalogError.invalidField(path: "products[2].monthly_fee_rate", reason: "\"0.5x\" is not a rate")) {
            try CatalogFixture.load(json)
        }
        #expect(
            CatalogError.invalidField(path: "products[2].monthly_fee_rate", reason: "\"0.5x\" is not a rate").description
                == "products[2].monthly_fee_rate: \"0.5x\" is not a rate")
    }

    @Test("a value of another kind where a whole number belongs is named as what it is", arguments: [
        ("true", "true is not a whole number"), ("false", "false is not a whole number"),
        (#""14""#, #""14" (a string) is not a whole number"#), ("14.5", "14.5 is not a whole number"),
        ("[14]", "an array is not a whole number"),
    ])
    func notAWholeNumber(value: String, reason: String) {
        let product = CatalogFixture.swap(CatalogFixture.tryThenPay, "\"due_after_days\":14", "\"due_after_days\":\(value)")
        #expect(throws: CatalogError.invalidField(path: "products[0].due_after_days", reason: reason)) {
            try CatalogFixture.load(CatalogFixture.json(products: [product]))
        }
    }

    @Test("text that is not JSON is refused")
    func malformed() {
        #expect(CatalogFixture.errorPath("{") == nil)
        #expect(throws: CatalogError.self) { try CatalogFixture.load("[1, 2]") }
    }
}

@Suite("A catalog quotes its products at their limits on load")
struct CatalogLoadCheckTests {
    @Test("a minimum too small to split into the product's installments is refused with its path")
    func minimumTooSmallToSplit() {
        let tiny = CatalogFixture.swap(CatalogFixture.payIn4, "\"50.00\"", "\"0.03\"")
        #expect(CatalogFixture.errorPath(CatalogFixture.json(products: [tiny])) == "products[0].minimum")
    }

    @Test("a product above the cap of another jurisdiction loads under its own jurisdiction's higher cap")
    func otherJurisdiction() throws {
        let expensive = CatalogFixture.swap(CatalogFixture.financing, "\"0.01\"", "\"0.03\"")
        let caps = #"[{"jurisdiction":"CN","apr_percent":"24","method":"cn-irr"},{"jurisdiction":"DE","apr_percent":"60","method":"eu"}]"#
        let catalog = try CatalogFixture.load(CatalogFixture.json(products: [expensive], caps: caps, jurisdiction: "DE"))
        #expect(catalog.applicableCap?.jurisdiction == "DE")
    }

    /// Before, a catalog whose jurisdiction had no cap sold with none: a typo ("cn") switched the 24% cap off.
    @Test("a catalog with products must name a cap for its jurisdiction; a typo in it is refused, naming the field")
    func jurisdictionWithoutCap() {
        for jurisdiction in ["cn", "DE", " CN"] {
            #expect(CatalogFixture.errorPath(CatalogFixture.json(products: [CatalogFixture.financing], jurisdiction: jurisdiction)) == "jurisdiction")
        }
        #expect(CatalogFixture.errorPath(CatalogFixture.json(products: [], jurisdiction: "DE")) == nil, "nothing sold, nothing to cap")
    }
}
