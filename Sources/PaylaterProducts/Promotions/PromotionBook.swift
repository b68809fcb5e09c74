public import Foundation
public import PaylaterMoney
public import PaylaterTime

/// The merchant promotions in force, loaded from JSON with the catalog's strict reader: unknown keys are refused
/// and every error names the field by its path (`promotions[0].merchant_share_bp`).
///
/// Kept apart from the product catalog so that merchants' promotions can change without reloading products; the
/// product ids are checked against a catalog when one is given.
///
/// ```json
/// {"promotions": [
///   {"id": "spring-0", "merchant_id": "m-42", "product_ids": ["monthly-split-6"], "merchant_share_bp": 10000,
///    "valid_from": "2026-03-01", "valid_through": "2026-03-31",
///    "minimum_order": {"amount": "300.00", "currency": "CNY"}}]}
/// ```
/// `merchant_share_bp` is 1...10000 (10000 = the shopper pays no fee); `minimum_order` is optional; the dates are
/// inclusive ISO dates.
public struct PromotionBook: Sendable {
    /// The most promotions one book may hold.
    public static let promotionsMaximum = 10_000

    /// The promotions, in book order.
    public let promotions: [MerchantPromotion]

    /// Reads and checks a book; with `catalog`, every product id must be one of its products.
    /// - Throws: `CatalogError` naming the first bad field.
    public init(json: Data, catalog: ProductCatalog? = nil) throws(CatalogError) {
        let root: Any
        do { root = try JSONSerialization.jsonObject(with: json) } catch { throw .malformedJSON("\(error.localizedDescription)") }
        let object = try CatalogJSONObject(root, path: "")
        try object.rejectUnknownKeys(allowed: ["promotions"])
        let items = try object.array("promotions")
        guard items.count <= Self.promotionsMaximum else {
            throw .invalidField(path: "promotions", reason: "at most \(Self.promotionsMaximum) promotions are allowed")
        }
        var promotions: [MerchantPromotion] = []
        for (index, item) in items.enumerated() {
            let promotion = try Self.promotion(CatalogJSONObject(item, path: "promotions[\(index)]"), catalog: catalog)
            guard !promotions.contains(where: { $0.id == promotion.id }) else {
                throw .invalidField(path: "promotions[\(index)].id", reason: "\"\(promotion.id)\" is already used")
            }
            promotions.append(promotion)
        }
        self.promotions = promotions
    }

    /// The promotions of `merchantID` that apply to the order, in book order.
    public func applicable(merchantID: String, productID: String, amount: Money, date: LocalDate) -> [MerchantPromotion] {
        promotions.filter { $0.ineligibility(merchantID: merchantID, productID: productID, amount: amount, date: date) == nil }
    }

    private static let keys: Set<String> = [
        "id", "merchant_id", "product_ids", "merchant_share_bp", "valid_from", "valid_through", "minimum_order",
    ]

    private static func promotion(_ object: CatalogJSONObject, catalog: ProductCatalog?) throws(CatalogError)
        -> MerchantPromotion
    {
        try object.rejectUnknownKeys(allowed: keys)
        let id = try object.string("id")
        let merchant = try object.string("merchant_id")
        let products = try productIDs(object, catalog: catalog)
        let share = try object.integer("merchant_share_bp")
        guard (1...Int(BasisPoints.perUnit)).contains(share) else {
            throw .invalidField(path: object.path("merchant_share_bp"), reason: "\(share) is outside 1...10000")
        }
        let from = try date(object, "valid_from")
        let through = try date(object, "valid_through")
        guard from <= through else {
            throw .invalidField(path: object.path("valid_through"), reason: "\(through) is before valid_from \(from)")
        }
        let minimum = object.fields["minimum_order"] == nil ? nil : try minimumOrder(object)
        do {
            return try MerchantPromotion(
                id: id, merchantID: merchant, productIDs: products, merchantShare: BasisPoints(Int64(share)),
                validFrom: from, validThrough: through, minimumOrder: minimum)
        } catch { throw .invalidField(path: object.path, reason: error.description) }
    }

    private static func productIDs(_ object: CatalogJSONObject, catalog: ProductCatalog?) throws(CatalogError) -> Set<String> {
        let items = try object.array("product_ids")
        guard (1...ProductCatalog.productsMaximum).contains(items.count) else {
            throw .invalidField(path: object.path("product_ids"), reason: "expected 1 to \(ProductCatalog.productsMaximum) product ids")
        }
        var ids: Set<String> = []
        for (index, item) in items.enumerated() {
            let path = object.path("product_ids") + "[\(index)]"
            guard let id = item as? String, !id.isEmpty else { throw .invalidField(path: path, reason: "expected a product id") }
            if let catalog, !catalog.products.contains(where: { $0.id == id }) {
                throw .invalidField(path: path, reason: "\"\(id)\" is not a product of the catalog")
            }
            guard ids.insert(id).inserted else { throw .invalidField(path: path, reason: "\"\(id)\" is listed twice") }
        }
        return ids
    }

    private static func date(_ object: CatalogJSONObject, _ key: String) throws(CatalogError) -> LocalDate {
        let text = try object.string(key)
        do { return try LocalDate(iso8601: text) } catch {
            throw .invalidField(path: object.path(key), reason: "\"\(text)\" is not a date (YYYY-MM-DD)")
        }
    }

    private static func minimumOrder(_ parent: CatalogJSONObject) throws(CatalogError) -> Money {
        let object = try CatalogJSONObject(try parent.value("minimum_order"), path: parent.path("minimum_order"))
        try object.rejectUnknownKeys(allowed: ["amount", "currency"])
        let code = try object.string("currency")
        let currency: Currency
        do { currency = try Currency(code: code) } catch { throw .invalidField(path: object.path("currency"), reason: error.description) }
        let text = try object.string("amount")
        let amount: Money
        do { amount = try Money(parsing: text, currency: currency) } catch {
            throw .invalidField(path: object.path("amount"), reason: error.description)
        }
        guard amount.isPositive else { throw .invalidField(path: object.path("amount"), reason: "\(text) is not above zero") }
        return amount
    }
}
