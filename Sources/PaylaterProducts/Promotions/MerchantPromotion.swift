public import PaylaterMoney
public import PaylaterTime

/// A merchant-funded promotion (贴息): the merchant pays some or all of the fees and interest of the products it
/// covers, so the shopper pays less (0% when the merchant funds everything).
public struct MerchantPromotion: Hashable, Sendable {
    /// The promotion's id.
    public let id: String
    /// The merchant who funds it; it applies only to that merchant's orders.
    public let merchantID: String
    /// The catalog products it covers.
    public let productIDs: Set<String>
    /// The share of every fee and all interest the merchant pays: 10,000 bp (100%) leaves the shopper at 0%.
    public let merchantShare: BasisPoints
    /// The first purchase day it applies to (inclusive).
    public let validFrom: LocalDate
    /// The last purchase day it applies to (inclusive).
    public let validThrough: LocalDate
    /// The smallest order it applies to, if any; orders in another currency do not qualify.
    public let minimumOrder: Money?

    /// Checks the promotion.
    /// - Throws: `.noProducts`, `.shareOutOfRange` (1...10,000 bp), `.windowReversed`, `.nonPositiveMinimum`.
    public init(
        id: String, merchantID: String, productIDs: Set<String>, merchantShare: BasisPoints, validFrom: LocalDate,
        validThrough: LocalDate, minimumOrder: Money? = nil
    ) throws(PromotionError) {
        guard !productIDs.isEmpty else { throw .noProducts(promotion: id) }
        guard (1...BasisPoints.perUnit).contains(merchantShare.rawValue) else {
            throw .shareOutOfRange(promotion: id, merchantShare)
        }
        guard validFrom <= validThrough else { throw .windowReversed(promotion: id, from: validFrom, through: validThrough) }
        if let minimumOrder, !minimumOrder.isPositive { throw .nonPositiveMinimum(promotion: id, minimumOrder) }
        self.id = id
        self.merchantID = merchantID
        self.productIDs = productIDs
        self.merchantShare = merchantShare
        self.validFrom = validFrom
        self.validThrough = validThrough
        self.minimumOrder = minimumOrder
    }

    /// Why the promotion does not apply to an order, or nil when it does.
    public func ineligibility(merchantID: String, productID: String, amount: Money, date: LocalDate)
        -> PromotionIneligibility?
    {
        guard merchantID == self.merchantID else { return .otherMerchant(merchantID, funder: self.merchantID) }
        guard productIDs.contains(productID) else { return .productNotCovered(productID) }
        guard date >= validFrom else { return .notYetValid(date, validFrom: validFrom) }
        guard date <= validThrough else { return .expired(date, validThrough: validThrough) }
        if let minimumOrder {
            guard amount.currency == minimumOrder.currency else { return .currencyNotCovered(amount.currency, minimumOrder.currency) }
            guard amount.minorUnits >= minimumOrder.minorUnits else { return .belowMinimum(amount, minimum: minimumOrder) }
        }
        return nil
    }
}

/// Why a promotion leaves an order's quote unchanged.
public enum PromotionIneligibility: Hashable, Sendable, CustomStringConvertible {
    /// The order is another merchant's.
    case otherMerchant(String, funder: String)
    /// The promotion does not cover this product.
    case productNotCovered(String)
    /// The purchase is before the promotion starts.
    case notYetValid(LocalDate, validFrom: LocalDate)
    /// The purchase is after the promotion ends.
    case expired(LocalDate, validThrough: LocalDate)
    /// The order is below the minimum.
    case belowMinimum(Money, minimum: Money)
    /// The order is in another currency than the minimum's.
    case currencyNotCovered(Currency, Currency)

    public var description: String {
        switch self {
        case let .otherMerchant(merchant, funder): "the order is \(merchant)'s, the promotion is funded by \(funder)"
        case .productNotCovered(let product): "the promotion does not cover \(product)"
        case let .notYetValid(date, from): "the purchase on \(date) is before the promotion starts on \(from)"
        case let .expired(date, through): "the purchase on \(date) is after the promotion ended on \(through)"
        case let .belowMinimum(amount, minimum): "the order of \(amount) is below the minimum of \(minimum)"
        case let .currencyNotCovered(found, expected): "the order is in \(found.code), the minimum in \(expected.code)"
        }
    }
}

/// Why a promotion or a promotion book was refused, or its subsidy could not be computed.
public enum PromotionError: Error, Equatable, Sendable, CustomStringConvertible {
    case noProducts(promotion: String)
    case shareOutOfRange(promotion: String, BasisPoints)
    case windowReversed(promotion: String, from: LocalDate, through: LocalDate)
    case nonPositiveMinimum(promotion: String, Money)
    /// A refund that is not positive, in another currency, or beyond the principal not yet refunded.
    case refundOutOfRange(refund: Money, alreadyRefunded: Money, principal: Money)
    /// The shopper's share could not be priced.
    case catalog(CatalogError)
    case schedule(ScheduleError)
    case arithmetic(MoneyError)

    public var description: String {
        switch self {
        case .noProducts(let id): "promotion \(id) covers no products"
        case let .shareOutOfRange(id, share): "promotion \(id): a merchant share of \(share) is outside 1...10000 bp"
        case let .windowReversed(id, from, through): "promotion \(id) starts on \(from), after it ends on \(through)"
        case let .nonPositiveMinimum(id, minimum): "promotion \(id): the minimum order \(minimum) is not above zero"
        case let .refundOutOfRange(refund, already, principal):
            "a refund of \(refund) after \(already) already refunded does not fit the principal of \(principal)"
        case .catalog(let error): error.description
        case .schedule(let error): error.description
        case .arithmetic(let error): "the subsidy's arithmetic failed: \(error)"
        }
    }
}
