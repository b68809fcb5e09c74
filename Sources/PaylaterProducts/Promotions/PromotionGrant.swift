import Foundation
public import PaylaterMoney
public import PaylaterTime

/// A promotion as granted to one order when the shopper chose it at checkout: kept with the order, so that every
/// capture is priced by the share the shopper was shown, even after the promotion ends, after the book changes, or
/// for a partial capture below the promotion's minimum order.
public struct PromotionGrant: Codable, Hashable, Sendable {
    /// The promotion's id.
    public let promotionID: String
    /// The merchant who funds it.
    public let merchantID: String
    /// The share of every fee and all interest the merchant pays.
    public let merchantShare: BasisPoints
    /// The day the checkout showed it.
    public let grantedOn: LocalDate

    private enum CodingKeys: String, CodingKey {
        case promotionID = "promotionId", merchantID = "merchantId", merchantShare = "merchantShareBp", grantedOn
    }

    public init(promotionID: String, merchantID: String, merchantShare: BasisPoints, grantedOn: LocalDate) {
        self.promotionID = promotionID
        self.merchantID = merchantID
        self.merchantShare = merchantShare
        self.grantedOn = grantedOn
    }

    public init(_ promotion: MerchantPromotion, on date: LocalDate) {
        promotionID = promotion.id
        merchantID = promotion.merchantID
        merchantShare = promotion.merchantShare
        grantedOn = date
    }

    /// Applies the granted share to a quote made at capture (its own date and amount): the same split rule as
    /// `MerchantPromotion.apply(to:merchantID:)`, on a promotion re-issued for exactly that quote's product and day.
    /// - Throws: `PromotionError` when the grant no longer checks (a share out of range) or the arithmetic fails.
    public func apply(to quote: Quote) throws(PromotionError) -> PromotedQuote {
        let promotion = try MerchantPromotion(
            id: promotionID, merchantID: merchantID, productIDs: [quote.product.id], merchantShare: merchantShare,
            validFrom: quote.date, validThrough: quote.date)
        switch try promotion.apply(to: quote, merchantID: merchantID) {
        case .applied(let promoted): return promoted
        case .notApplied(_, let reason): preconditionFailure("a promotion re-issued for its quote applies: \(reason)")
        }
    }
}

/// What a plan made under a promotion keeps of it: enough to return the right part of the subsidy on every
/// refund without the catalog or the book.
public struct PromotionSubsidy: Codable, Hashable, Sendable {
    /// The promotion's id.
    public let promotionID: String
    /// The principal the subsidy was charged on (the capture).
    public let principal: Money
    /// What the merchant paid at capture.
    public let subsidy: Money

    private enum CodingKeys: String, CodingKey {
        case promotionID = "promotionId", principal, subsidy
    }

    public init(promotionID: String, principal: Money, subsidy: Money) {
        precondition(principal.currency == subsidy.currency && principal.isPositive && !subsidy.isNegative)
        self.promotionID = promotionID
        self.principal = principal
        self.subsidy = subsidy
    }

    /// The subsidy returned to the merchant for a refund of `refund` principal after `alreadyRefunded`:
    /// subsidy × refunded / principal by the largest remainder method on the cumulative refunded principal, less what
    /// earlier refunds returned, so partial refunds add up to the whole subsidy exactly.
    /// - Throws: `.refundOutOfRange` for a refund not positive, in another currency, or past the principal.
    public func refund(refunding refund: Money, alreadyRefunded: Money? = nil) throws(PromotionError) -> Money {
        let already = alreadyRefunded ?? .zero(principal.currency)
        guard refund.currency == principal.currency, already.currency == principal.currency, refund.isPositive,
            !already.isNegative, refund.minorUnits <= principal.minorUnits - already.minorUnits
        else { throw .refundOutOfRange(refund: refund, alreadyRefunded: already, principal: principal) }
        let before = try returned(afterRefunding: already.minorUnits)
        let after = try returned(afterRefunding: already.minorUnits + refund.minorUnits)
        return Money(minorUnits: after - before, currency: principal.currency)
    }

    /// The subsidy returned once `refunded` minor units of principal are refunded in all.
    private func returned(afterRefunding refunded: Int64) throws(PromotionError) -> Int64 {
        guard refunded > 0, subsidy.isPositive else { return 0 }
        do { return try subsidy.allocate(byWeights: [refunded, principal.minorUnits - refunded])[0].minorUnits } catch {
            throw .arithmetic(error)
        }
    }
}

extension PromotedQuote {
    /// What the plan keeps of this promotion for its refunds.
    public var subsidyRecord: PromotionSubsidy {
        PromotionSubsidy(promotionID: promotion.id, principal: unpromoted.amount, subsidy: subsidy)
    }
}

extension PromotionBook {
    /// A book with no promotions.
    public static let empty: PromotionBook = {
        do { return try PromotionBook(json: Data(#"{"promotions": []}"#.utf8)) } catch {
            preconditionFailure("an empty book is valid: \(error)")
        }
    }()

    /// The promotion an order gets when several apply: the highest merchant share (the cheapest for the shopper),
    /// and among equal shares the smallest id, so the choice does not depend on the book's order.
    public func best(merchantID: String, productID: String, amount: Money, date: LocalDate) -> MerchantPromotion? {
        applicable(merchantID: merchantID, productID: productID, amount: amount, date: date).min { a, b in
            a.merchantShare != b.merchantShare ? a.merchantShare > b.merchantShare : a.id < b.id
        }
    }
}
