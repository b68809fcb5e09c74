public import Foundation
public import PaylaterMoney
import PaylaterTime

/// The products a merchant may offer, the APR caps of each jurisdiction, and the jurisdiction this catalog sells in.
///
/// Loaded from JSON and checked completely on load; every error names the bad field by its path, such as
/// `products[2].monthly_fee_rate: "0.5x" is not a rate`. The shape:
///
/// ```json
/// {"jurisdiction": "CN",
///  "rate_caps": [{"jurisdiction": "CN", "apr_percent": "24", "method": "cn-irr"}],
///  "products": [
///    {"id": "try-then-pay", "kind": "try_then_pay", "currencies": ["CNY"], "minimum": "1.00",
///     "maximum": "5000.00", "due_after_days": 14},
///    {"id": "pay-in-4", "kind": "pay_in_4", "currencies": ["CNY", "USD"], "minimum": "50.00",
///     "maximum": "2000.00", "interval_days": 14},
///    {"id": "monthly-split-6", "kind": "monthly_split", "months": 6, "monthly_fee_rate": "0.005",
///     "currencies": ["CNY"], "minimum": "10.00", "maximum": "30000.00"},
///    {"id": "financing-12", "kind": "financing", "method": "equal_installments", "months": 12,
///     "monthly_rate": "0.01", "currencies": ["CNY", "USD"], "minimum": "500.00", "maximum": "50000.00"}]}
/// ```
///
/// - `kind` is one of try_then_pay (`due_after_days`), pay_in_4 (`interval_days`, default 14), monthly_split
///   (`months` 3, 6 or 12, `monthly_fee_rate`), financing (`method` equal_installments or equal_principal,
///   `months` 3...36, `monthly_rate`) or monthly_bill (`statement_day` 1...28 or "last", `due_day` 1...28,
///   `split_months` distinct values of 3, 6 and 12, `monthly_fee_rate`); the ranges are `ScheduleTerms`' and
///   `StatementDay`'s.
/// - A monthly bill (月付) is quoted two ways. `quote` gives paying the statement in full: one installment due on
///   the due date of the statement the purchase lands on, at no cost and 0% APR. `quoteSplits` gives one quote per
///   split in `split_months`: `BillSplit`'s schedule (first installment on the next statement's due date), priced
///   as a loan of the amount advanced on the statement's due date, since splitting replaces paying on that day.
/// - Rates are decimal strings or percentages ("0.005" or "0.5%"), at least zero and at most 10% a month.
/// - `minimum` and `maximum` are decimal amounts read in each offered currency, so "1.00" is refused for JPY.
/// - `apr_percent` is the cap in percent; `method` is us-regz, eu or cn-irr. Quotes in the catalog's
///   `jurisdiction` are refused when their APR by the cap's method is above the cap.
/// - Every product, and every split of a monthly bill, is quoted at its minimum and maximum on load (bought on
///   `capCheckDate`), so a product above the cap is refused with
///   `.aprAboveCap` then, and any quote above the cap is refused again at quote time.
/// - `late_fees`, optional, sets the late fee policy of each currency (its shape is in
///   `ProductCatalog+LateFees.swift`); without it no plan is charged late fees.
/// - `time_zone`, optional, names the calendar of the catalog's dates (`timeZone`); without it dates are UTC's.
/// - Unknown keys are refused, so a misspelt field cannot be silently ignored.
public struct ProductCatalog: Sendable {
    /// The most products one catalog may hold.
    public static let productsMaximum = 1_000
    /// The most rate caps one catalog may hold.
    public static let rateCapsMaximum = 300
    /// The longest string accepted in any field, in bytes.
    public static let textLengthMaximum = 64

    /// The jurisdiction the catalog sells in, whose cap applies to quotes.
    public let jurisdiction: String
    /// The IANA name of the time zone whose calendar the products' dates are in (purchase dates, due dates,
    /// statement periods, the end of day's business dates), such as "Asia/Shanghai"; nil for UTC. A name only: the
    /// catalog is read without I/O, and the caller loads the zone's rules (and refuses a name it cannot find).
    public let timeZone: String?
    /// The APR caps by jurisdiction, in catalog order.
    public let rateCaps: [RateCap]
    /// The products, in catalog order.
    public let products: [CatalogProduct]
    /// The late fees written into each new plan's contract, by the plan's currency; a currency without one, or a
    /// catalog without `late_fees`, charges none.
    public let lateFeePolicies: [Currency: LateFeePolicy]

    /// The cap of the catalog's jurisdiction, if it has one.
    public var applicableCap: RateCap? { rateCaps.first { $0.jurisdiction == jurisdiction } }

    /// Reads and checks a catalog.
    /// - Throws: `CatalogError` naming the first bad field.
    public init(json: Data) throws(CatalogError) {
        let root: Any
        do { root = try JSONSerialization.jsonObject(with: json) } catch {
            throw .malformedJSON("\(error.localizedDescription)")
        }
        let object = try CatalogJSONObject(root, path: "")
        try object.rejectUnknownKeys(allowed: ["jurisdiction", "time_zone", "rate_caps", "products", "late_fees"])
        jurisdiction = try object.string("jurisdiction")
        timeZone = object.isPresent("time_zone") ? try object.string("time_zone") : nil
        rateCaps = try Self.rateCaps(object)
        products = try Self.products(object)
        lateFeePolicies = try Self.lateFeePolicies(object)
        // A catalog that sells must sell under a cap: a jurisdiction with no entry in `rate_caps` (a typo such as
        // "cn") would otherwise switch the cap off without a word.
        guard products.isEmpty || applicableCap != nil else {
            let known = rateCaps.map(\.jurisdiction).joined(separator: ", ")
            throw .invalidField(
                path: "jurisdiction",
                reason: "\"\(jurisdiction)\" has no entry in rate_caps (\(known.isEmpty ? "none given" : known)); "
                    + "every product is priced under its jurisdiction's APR cap")
        }
        try checkCaps()
    }

    /// Reads and checks a catalog from UTF-8 bytes.
    public init(json: [UInt8]) throws(CatalogError) { try self.init(json: Data(json)) }

    /// The product with this id.
    /// - Throws: `.unknownProduct`.
    public func product(id: String) throws(CatalogError) -> CatalogProduct {
        guard let product = products.first(where: { $0.id == id }) else { throw .unknownProduct(id) }
        return product
    }

    /// The purchase date of the quotes `checkCaps` makes: mid-month, so no due date is clamped to a month's end.
    static let capCheckDate: LocalDate = {
        do { return try LocalDate(year: 2026, month: 1, day: 15) } catch { preconditionFailure("a valid date") }
    }()

    /// Quotes every product (and every split of a monthly bill) at its minimum and maximum in every currency, so a
    /// product priced above the
    /// jurisdiction's cap, or a minimum too small to schedule, is refused on load rather than at the first sale.
    /// Quotes check the cap again, since the APR of amounts in between can differ by rounding.
    private func checkCaps() throws(CatalogError) {
        for (index, product) in products.enumerated() {
            for currency in product.currencies {
                guard let limits = product.limits[currency] else { preconditionFailure("limits for every currency") }
                for (key, amount) in [("minimum", limits.minimum), ("maximum", limits.maximum)] {
                    do {
                        _ = try quote(productID: product.id, amount: amount, date: Self.capCheckDate)
                        if product.monthlyBill != nil {
                            _ = try quoteSplits(productID: product.id, amount: amount, date: Self.capCheckDate)
                        }
                    } catch {
                        if case .aprAboveCap = error { throw error }
                        throw .invalidField(path: "products[\(index)].\(key)", reason: "\(error.description) (\(currency.code))")
                    }
                }
            }
        }
    }

    private static func rateCaps(_ root: CatalogJSONObject) throws(CatalogError) -> [RateCap] {
        let items = try root.array("rate_caps")
        guard items.count <= rateCapsMaximum else {
            throw .invalidField(path: "rate_caps", reason: "at most \(rateCapsMaximum) caps are allowed")
        }
        var caps: [RateCap] = []
        for (index, item) in items.enumerated() {
            let object = try CatalogJSONObject(item, path: "rate_caps[\(index)]")
            try object.rejectUnknownKeys(allowed: ["jurisdiction", "apr_percent", "method"])
            let jurisdiction = try object.string("jurisdiction")
            guard !caps.contains(where: { $0.jurisdiction == jurisdiction }) else {
                throw .invalidField(path: object.path("jurisdiction"), reason: "\"\(jurisdiction)\" already has a cap")
            }
            let percentText = try object.string("apr_percent")
            // The field is already in percent, so "24%" (which the rate parser reads as 0.24) is a mistake.
            guard !percentText.contains("%") else {
                throw .invalidField(path: object.path("apr_percent"), reason: "\"\(percentText)\" is in percent already: write \"\(percentText.filter { $0 != "%" })\"")
            }
            let percent = try object.rate("apr_percent")
            let methodText = try object.string("method")
            guard let method = APRMethod(rawValue: methodText) else {
                let allowed = APRMethod.allCases.map(\.rawValue).joined(separator: ", ")
                throw .invalidField(path: object.path("method"), reason: "\"\(methodText)\" is not one of \(allowed)")
            }
            caps.append(
                RateCap(jurisdiction: jurisdiction, aprPercent: percent, aprPercentText: percentText, method: method))
        }
        return caps
    }

    private static func products(_ root: CatalogJSONObject) throws(CatalogError) -> [CatalogProduct] {
        let items = try root.array("products")
        guard items.count <= productsMaximum else {
            throw .invalidField(path: "products", reason: "at most \(productsMaximum) products are allowed")
        }
        var products: [CatalogProduct] = []
        var ids: Set<String> = []
        for (index, item) in items.enumerated() {
            let product = try CatalogProduct(json: CatalogJSONObject(item, path: "products[\(index)]"))
            guard ids.insert(product.id).inserted else {
                throw .invalidField(path: "products[\(index)].id", reason: "\"\(product.id)\" is already used by another product")
            }
            products.append(product)
        }
        return products
    }
}
