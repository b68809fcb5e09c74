import Foundation
import PaylaterMoney

/// Reading the catalog's optional `late_fees`: one `LateFeePolicy` per currency.
///
/// ```json
/// "late_fees": [
///   {"currency": "CNY", "grace_days": 3, "first_fee": {"fixed": "5.00"},
///    "follow_up": {"after_days": 7, "fixed": "5.00"},
///    "order_cap": {"percentage_bp": 2500, "amount": "50.00"}}]
/// ```
///
/// - A fee (`first_fee`, `follow_up`) is `fixed`, a decimal amount in the entry's currency, and/or `percentage_bp`,
///   basis points (0...10000) of the overdue installment's principal and fee; at least one of them above zero.
/// - `grace_days` (0...365, default 0) are free days past due; `follow_up.after_days` (1...365) is the delay of the
///   second fee after the first.
/// - `per_installment_cap` is a positive amount; `order_cap` is `percentage_bp` (1...10000) of the order and/or a
///   positive `amount`, the lower applying when both are given.
extension ProductCatalog {
    /// The most late fee entries one catalog may hold: one per currency.
    public static let lateFeesMaximum = 50

    private static let lateFeeKeys: Set<String> = [
        "currency", "grace_days", "first_fee", "follow_up", "per_installment_cap", "order_cap",
    ]

    /// The policies of `late_fees`, by currency; none when the key is absent.
    static func lateFeePolicies(_ root: CatalogJSONObject) throws(CatalogError) -> [Currency: LateFeePolicy] {
        guard root.isPresent("late_fees") else { return [:] }
        let items = try root.array("late_fees")
        guard items.count <= lateFeesMaximum else {
            throw .invalidField(path: "late_fees", reason: "at most \(lateFeesMaximum) entries are allowed")
        }
        var policies: [Currency: LateFeePolicy] = [:]
        for (index, item) in items.enumerated() {
            let object = try CatalogJSONObject(item, path: "late_fees[\(index)]")
            let policy = try lateFeePolicy(object)
            guard policies[policy.currency] == nil else {
                throw .invalidField(path: object.path("currency"), reason: "\(policy.currency.code) is listed twice")
            }
            policies[policy.currency] = policy
        }
        return policies
    }

    private static func lateFeePolicy(_ object: CatalogJSONObject) throws(CatalogError) -> LateFeePolicy {
        try object.rejectUnknownKeys(allowed: lateFeeKeys)
        let currency = try object.currency("currency")
        let graceDays =
            object.isPresent("grace_days")
            ? try object.integer("grace_days", in: 0...LateFeePolicy.daysMaximum) : 0
        let first = try lateFeeAmount(try CatalogJSONObject(try object.value("first_fee"), path: object.path("first_fee")), currency)
        let followUp = try object.isPresent("follow_up") ? lateFeeFollowUp(object, currency) : nil
        let installmentCap =
            object.isPresent("per_installment_cap")
            ? try object.money("per_installment_cap", currency, positive: true) : nil
        let orderCap: (percentage: BasisPoints?, amount: Money?) =
            object.isPresent("order_cap") ? try self.orderCap(object, currency) : (nil, nil)
        do {
            return try LateFeePolicy(
                first: first, graceDays: graceDays, followUp: followUp, perInstallmentCap: installmentCap,
                orderCapPercentage: orderCap.percentage, orderCapAmount: orderCap.amount)
        } catch {
            // Every part is checked above; this keeps any rule the policy adds later tied to the entry.
            throw .invalidField(path: object.path, reason: error.description)
        }
    }

    /// `order_cap`: `percentage_bp` of the order and/or a positive `amount`, at least one of them.
    private static func orderCap(_ entry: CatalogJSONObject, _ currency: Currency) throws(CatalogError)
        -> (percentage: BasisPoints?, amount: Money?)
    {
        let cap = try CatalogJSONObject(try entry.value("order_cap"), path: entry.path("order_cap"))
        try cap.rejectUnknownKeys(allowed: ["percentage_bp", "amount"])
        guard cap.isPresent("percentage_bp") || cap.isPresent("amount") else {
            throw .invalidField(path: cap.path, reason: "expected percentage_bp, amount or both")
        }
        let percentage =
            cap.isPresent("percentage_bp")
            ? BasisPoints(Int64(try cap.integer("percentage_bp", in: 1...Int(BasisPoints.perUnit)))) : nil
        let amount = cap.isPresent("amount") ? try cap.money("amount", currency, positive: true) : nil
        return (percentage, amount)
    }

    private static func lateFeeFollowUp(_ entry: CatalogJSONObject, _ currency: Currency) throws(CatalogError)
        -> LateFeeFollowUp
    {
        let object = try CatalogJSONObject(try entry.value("follow_up"), path: entry.path("follow_up"))
        try object.rejectUnknownKeys(allowed: ["after_days", "fixed", "percentage_bp"])
        let afterDays = try object.integer("after_days", in: 1...LateFeePolicy.daysMaximum)
        return LateFeeFollowUp(afterDays: afterDays, amount: try lateFeeAmount(object, currency, extraKeys: ["after_days"]))
    }

    /// `fixed` and/or `percentage_bp` of `object`, together above zero.
    private static func lateFeeAmount(_ object: CatalogJSONObject, _ currency: Currency, extraKeys: Set<String> = [])
        throws(CatalogError) -> LateFeeAmount
    {
        try object.rejectUnknownKeys(allowed: extraKeys.union(["fixed", "percentage_bp"]))
        guard object.isPresent("fixed") || object.isPresent("percentage_bp") else {
            throw .invalidField(path: object.path, reason: "expected fixed, percentage_bp or both")
        }
        let fixed = object.isPresent("fixed") ? try object.money("fixed", currency, positive: false) : .zero(currency)
        let percentage =
            object.isPresent("percentage_bp")
            ? BasisPoints(Int64(try object.integer("percentage_bp", in: 0...Int(BasisPoints.perUnit)))) : .zero
        guard !fixed.isZero || percentage != .zero else {
            throw .invalidField(path: object.path, reason: "the fee is zero; leave the currency out of late_fees to charge none")
        }
        return LateFeeAmount(fixed: fixed, percentage: percentage)
    }
}
