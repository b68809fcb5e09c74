public import PaylaterMoney

/// What a merchant pays per order: a discount rate on every captured amount, plus a fixed fee once per order (on
/// its first capture: an order shipped in two captures pays it once).
public struct MerchantPricing: Sendable, Hashable {
    /// 100%: a rate above it would take more than the order.
    public static let discountRateMaximum = BasisPoints(BasisPoints.perUnit)

    public let discountRate: BasisPoints
    public let fixedFeePerOrder: Money

    public var currency: Currency { fixedFeePerOrder.currency }

    /// - Throws: `SettlementError.invalidPricing` unless the rate is 0...10,000 bp and the fee is in `currency` and
    ///   not negative.
    public init(discountRate: BasisPoints, fixedFeePerOrder: Money, currency: Currency) throws(SettlementError) {
        guard discountRate >= .zero, discountRate <= Self.discountRateMaximum else {
            throw .invalidPricing("the discount rate \(discountRate) is outside 0...\(Self.discountRateMaximum)")
        }
        guard fixedFeePerOrder.currency == currency else {
            throw .invalidPricing("the fixed fee \(fixedFeePerOrder) is not in \(currency)")
        }
        guard !fixedFeePerOrder.isNegative else { throw .invalidPricing("the fixed fee \(fixedFeePerOrder) is negative") }
        self.discountRate = discountRate
        self.fixedFeePerOrder = fixedFeePerOrder
    }

    /// The discount on one capture: the amount times the rate, rounded half-even, plus the fixed fee when it is
    /// the order's first; never more than the capture itself, so a capture's net is never negative.
    public func discount(onCapture amount: Money, firstOfOrder: Bool = true) throws(SettlementError) -> Money {
        precondition(amount.currency == currency && amount.isPositive, "a capture is a positive amount in \(currency)")
        do {
            let rated = try amount.multiplied(by: discountRate, rounding: .halfEven)
            return try Money.minimum(try rated + (firstOfOrder ? fixedFeePerOrder : .zero(currency)), amount)
        } catch {
            throw .money(error)
        }
    }
}
