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

/// One product of the catalog: its repayment terms and where and how much it lends.
public struct CatalogProduct: Hashable, Sendable {
    /// The product's identifier, unique in the catalog: "pay-in-4".
    public let id: String
    /// The catalog's `kind` value: try_then_pay, pay_in_4, monthly_split or financing.
    public let kind: String
    /// The schedule the product produces.
    public let terms: ScheduleTerms
    /// The currencies offered, in catalog order.
    public let currencies: [Currency]
    /// The amount limits per offered currency.
    public let limits: [Currency: AmountLimits]
}
