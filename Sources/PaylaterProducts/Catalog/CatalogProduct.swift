public import PaylaterMoney

/// The smallest and largest amount a product lends in one currency.
public struct AmountLimits: Hashable, Sendable {
    /// The smallest amount, above zero.
    public let minimum: Money
    /// The largest amount, at least `minimum`.
    public let maximum: Money
}

/// The highest APR a jurisdiction allows, and the method it is measured by.
public struct RateCap: Hashable, Sendable {
    /// The jurisdiction's code, such as "CN" or "US".
    public let jurisdiction: String
    /// The cap in percent, exactly as configured (24 is 24%).
    public let aprPercent: Rational
    /// The cap as written in the catalog, for messages: "24".
    public let aprPercentText: String
    /// The rule the APR is computed by when it is compared with the cap.
    public let method: APRMethod
}

/// The terms of a monthly bill (月付): purchases collect on a statement paid in full by its due date at no cost,
/// or split into monthly installments for a fee.
public struct MonthlyBillTerms: Hashable, Sendable {
    /// When statements are drawn up and fall due.
    public let cycle: BillingCycle
    /// The splits offered and their monthly fee rate.
    public let splits: SplitOffer

    public init(cycle: BillingCycle, splits: SplitOffer) {
        self.cycle = cycle
        self.splits = splits
    }
}

/// What a product offers for a purchase.
public enum ProductOffer: Hashable, Sendable {
    /// One schedule, fixed by the terms and the purchase date.
    case schedule(ScheduleTerms)
    /// A monthly bill: pay the statement in full, or split it; the dates depend on the billing cycle.
    case monthlyBill(MonthlyBillTerms)
}

/// One product of the catalog: its repayment terms and where and how much it lends.
public struct CatalogProduct: Hashable, Sendable {
    /// The product's identifier, unique in the catalog: "pay-in-4".
    public let id: String
    /// The catalog's `kind` value: try_then_pay, pay_in_4, monthly_split, financing or monthly_bill.
    public let kind: String
    /// What the product offers.
    public let offer: ProductOffer
    /// The currencies offered, in catalog order.
    public let currencies: [Currency]
    /// The amount limits per offered currency.
    public let limits: [Currency: AmountLimits]
}

extension CatalogProduct {
    /// The schedule the product produces, or nil for a monthly bill, whose schedules depend on its billing cycle.
    public var terms: ScheduleTerms? {
        if case .schedule(let terms) = offer { terms } else { nil }
    }

    /// The monthly bill's terms, or nil for a product with one schedule.
    public var monthlyBill: MonthlyBillTerms? {
        if case .monthlyBill(let bill) = offer { bill } else { nil }
    }
}
