public import PaylaterMoney

/// One late fee: a fixed amount plus a percentage of the overdue installment's principal and fee.
///
/// The percentage is applied to `Installment.total` (principal + fee) only, never to late fees already charged,
/// so there is no fee on fee. The percentage part is rounded once, half-even, to whole minor units.
public struct LateFeeAmount: Hashable, Sendable {
    /// The fixed part, such as 10.00 USD; zero for a purely proportional fee.
    public let fixed: Money
    /// The proportional part, as a share of the installment's principal + fee.
    public let percentage: BasisPoints

    /// Makes a fee of `fixed` plus `percentage` of the installment; validated by `LateFeePolicy.init`.
    public init(fixed: Money, percentage: BasisPoints = .zero) {
        self.fixed = fixed
        self.percentage = percentage
    }
}

/// A later, additional late fee for an installment that is still unpaid some days after the first fee.
public struct LateFeeFollowUp: Hashable, Sendable {
    /// How many days after the first fee becomes chargeable this one does (Afterpay: 7).
    public let afterDays: Int
    /// The additional fee (Afterpay: 7.00 USD).
    public let amount: LateFeeAmount

    /// Makes a follow-up fee charged `afterDays` days after the first one.
    public init(afterDays: Int, amount: LateFeeAmount) {
        self.afterDays = afterDays
        self.amount = amount
    }
}

/// How a product charges for missed installments: a first fee after a grace period, an optional second fee some
/// days later, an optional cap per installment, and a cap per order at the lower of a share of the order amount and
/// a fixed amount (Afterpay: 10.00, then 7.00 more after 7 days, at most min(25% of the order, 68.00)).
///
/// All amounts are in one currency; every percentage is rounded half-even to whole minor units.
public struct LateFeePolicy: Hashable, Sendable {
    /// The longest grace period or follow-up delay a policy may have, in days.
    public static let daysMaximum = 365

    /// The currency of every amount in the policy.
    public let currency: Currency
    /// The fee charged once an installment is more than `graceDays` days past due.
    public let first: LateFeeAmount
    /// Days past due that are still free: with 3, day 3 is not late and day 4 is. Zero charges from day 1.
    public let graceDays: Int
    /// An optional second fee for an installment still unpaid later.
    public let followUp: LateFeeFollowUp?
    /// The most late fees one installment may carry in total, if limited.
    public let perInstallmentCap: Money?
    /// The order cap as a share of the order amount, if any (Afterpay: 2500 bp).
    public let orderCapPercentage: BasisPoints?
    /// The order cap as a fixed amount, if any (Afterpay: 68.00 USD). With both, the lower one applies.
    public let orderCapAmount: Money?

    /// Checks and makes a policy.
    /// - Throws: `.currencyMismatch` when amounts differ in currency, `.negativeAmount`, `.percentageOutOfRange`
    ///   for a percentage outside 0...100%, `.daysOutOfRange` for a grace period or delay outside the limits.
    public init(
        first: LateFeeAmount, graceDays: Int = 0, followUp: LateFeeFollowUp? = nil, perInstallmentCap: Money? = nil,
        orderCapPercentage: BasisPoints? = nil, orderCapAmount: Money? = nil
    ) throws(LateFeeError) {
        let currency = first.fixed.currency
        let amounts: [(String, Money?)] = [
            ("the first fee", first.fixed), ("the follow-up fee", followUp?.amount.fixed),
            ("the per-installment cap", perInstallmentCap), ("the order cap", orderCapAmount),
        ]
        for case let (field, amount?) in amounts {
            try Self.check(amount, field, currency)
        }
        let rates: [(String, BasisPoints?)] = [
            ("the first fee percentage", first.percentage),
            ("the follow-up fee percentage", followUp?.amount.percentage),
            ("the order cap percentage", orderCapPercentage),
        ]
        let percentagesAllowed = BasisPoints.zero...BasisPoints(BasisPoints.perUnit)
        for case let (field, rate?) in rates where !percentagesAllowed.contains(rate) {
            throw .percentageOutOfRange(field: field, rate: rate)
        }
        try Self.check(days: graceDays, "the grace period", allowed: 0...Self.daysMaximum)
        if let followUp {
            try Self.check(days: followUp.afterDays, "the follow-up delay", allowed: 1...Self.daysMaximum)
        }
        self.currency = currency
        self.first = first
        self.graceDays = graceDays
        self.followUp = followUp
        self.perInstallmentCap = perInstallmentCap
        self.orderCapPercentage = orderCapPercentage
        self.orderCapAmount = orderCapAmount
    }

    /// How many fee stages the policy has: 1, or 2 with a follow-up.
    public var stageCount: Int { followUp == nil ? 1 : 2 }

    /// Throws unless `amount` is in `currency` and not negative.
    static func check(_ amount: Money, _ field: String, _ currency: Currency) throws(LateFeeError) {
        guard amount.currency == currency else {
            throw .currencyMismatch(field: field, found: amount.currency, expected: currency)
        }
        guard !amount.isNegative else { throw .negativeAmount(field: field, amount: amount) }
    }

    private static func check(days: Int, _ field: String, allowed: ClosedRange<Int>) throws(LateFeeError) {
        guard allowed.contains(days) else { throw .daysOutOfRange(field: field, days: days, allowed: allowed) }
    }
}

extension LateFeeAmount: Codable {}
extension LateFeeFollowUp: Codable {}

extension LateFeePolicy: Codable {
    private enum CodingKeys: String, CodingKey {
        case first, graceDays = "grace_days", followUp = "follow_up", perInstallmentCap = "per_installment_cap"
        case orderCapPercentage = "order_cap_percentage", orderCapAmount = "order_cap_amount"
    }

    /// Decodes a stored policy through the checking initializer, so a stored policy is as valid as a new one.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        try self.init(
            first: container.decode(LateFeeAmount.self, forKey: .first),
            graceDays: container.decode(Int.self, forKey: .graceDays),
            followUp: container.decodeIfPresent(LateFeeFollowUp.self, forKey: .followUp),
            perInstallmentCap: container.decodeIfPresent(Money.self, forKey: .perInstallmentCap),
            orderCapPercentage: container.decodeIfPresent(BasisPoints.self, forKey: .orderCapPercentage),
            orderCapAmount: container.decodeIfPresent(Money.self, forKey: .orderCapAmount))
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(first, forKey: .first)
        try container.encode(graceDays, forKey: .graceDays)
        try container.encodeIfPresent(followUp, forKey: .followUp)
        try container.encodeIfPresent(perInstallmentCap, forKey: .perInstallmentCap)
        try container.encodeIfPresent(orderCapPercentage, forKey: .orderCapPercentage)
        try container.encodeIfPresent(orderCapAmount, forKey: .orderCapAmount)
    }
}
