public import PaylaterMoney
public import PaylaterProducts
public import PaylaterTime
import PaylaterStore
public import PaylaterUnderwriting

/// One line of a merchant's order. The unit price includes tax; `taxRate` says how much of it is tax.
public struct CheckoutLine: Codable, Hashable, Sendable {
    public var name: String
    public var quantity: Int64
    public var unitPrice: Money
    public var taxRate: BasisPoints

    /// `taxRateBp` (`tax_rate_bp` in the API's snake case), as the request names it.
    private enum CodingKeys: String, CodingKey {
        case name, quantity, unitPrice, taxRate = "taxRateBp"
    }

    public init(name: String, quantity: Int64, unitPrice: Money, taxRate: BasisPoints) {
        self.name = name
        self.quantity = quantity
        self.unitPrice = unitPrice
        self.taxRate = taxRate
    }
}

extension StringProtocol {
    /// Whether the text holds a control character (C0, DEL or C1: NUL, line breaks, tabs, escape): merchants' text is
    /// echoed into responses, webhooks and their back offices' logs, spreadsheets and terminals, where those break
    /// lines or inject commands.
    var containsControlCharacters: Bool { unicodeScalars.contains { $0.properties.generalCategory == .control } }
}

/// What a merchant sends to start a checkout.
public struct NewCheckout: Sendable {
    public var merchantReference: String
    /// The shopper, as the platform identifies them.
    public var consumerID: String
    public var lines: [CheckoutLine]
    public var total: Money

    public init(merchantReference: String, consumerID: String, lines: [CheckoutLine], total: Money) {
        self.merchantReference = merchantReference
        self.consumerID = consumerID
        self.lines = lines
        self.total = total
    }
}

/// The merchant promotion an offer is priced under.
public struct OfferPromotion: Codable, Hashable, Sendable {
    /// The promotion's id.
    public let id: String
    /// The share of the fees and interest the merchant pays (10,000 bp: the shopper pays none).
    public let merchantShare: BasisPoints
    /// What the merchant pays for the whole order, deducted from its settlement at capture.
    public let subsidy: Money
    /// The day the offer was quoted: the promotion is granted from then on to the order it becomes.
    public let quotedOn: LocalDate

    private enum CodingKeys: String, CodingKey {
        case id, merchantShare = "merchantShareBp", subsidy, quotedOn
    }

    /// The grant an order made from this offer keeps, for pricing its captures.
    func grant(merchantID: String) -> PromotionGrant {
        PromotionGrant(promotionID: id, merchantID: merchantID, merchantShare: merchantShare, grantedOn: quotedOn)
    }
}

/// A product offered at a checkout, with its full price to the shopper: every installment, the total cost and the
/// APRs. Under a merchant promotion these are the shopper's (what the merchant does not pay), and `promotion` says
/// which promotion and what the merchant pays.
public struct ProductOffer: Codable, Hashable, Sendable {
    public struct InstallmentOffer: Codable, Hashable, Sendable {
        public let number: Int
        public let dueDate: LocalDate
        public let amount: Money
    }

    public let productID: String
    public let kind: String
    public let installments: [InstallmentOffer]
    /// Fees and interest over the whole plan (zero for interest-free products).
    public let totalCost: Money
    public let totalPayable: Money
    /// APR in percent with 4 decimals, by method (us-regz, eu, cn-irr).
    public let aprPercent: [String: String]
    /// The merchant promotion applied, if any.
    public let promotion: OfferPromotion?

    init(_ quote: Quote) {
        self.init(quote.product, quote.schedule, quote.aprs, promotion: nil)
    }

    init(_ promoted: PromotedQuote) {
        let promotion = OfferPromotion(
            id: promoted.promotion.id, merchantShare: promoted.promotion.merchantShare, subsidy: promoted.subsidy,
            quotedOn: promoted.unpromoted.date)
        self.init(promoted.unpromoted.product, promoted.shopperSchedule, promoted.shopperAPRs, promotion: promotion)
    }

    private init(_ product: CatalogProduct, _ schedule: InstallmentSchedule, _ aprs: [APRResult], promotion: OfferPromotion?) {
        productID = product.id
        kind = product.kind
        installments = schedule.installments.map {
            InstallmentOffer(number: $0.number, dueDate: $0.dueDate, amount: $0.total)
        }
        totalCost = schedule.totalFees
        totalPayable = schedule.total
        aprPercent = Dictionary(uniqueKeysWithValues: aprs.map { ($0.method.rawValue, $0.percentString(decimals: 4)) })
        self.promotion = promotion
    }
}

/// A checkout session as stored and shown.
public struct Checkout: Codable, Hashable, Sendable {
    public enum State: String, Codable, Sendable {
        case open, authorized, declined, referred
        /// Withdrawn by the merchant before it was authorized or declined (`CheckoutService.cancelCheckout`).
        case cancelled
        /// Left open past its lifetime (`CheckoutService.checkoutLifetime`): it can no longer be authorized. A
        /// state it is read in, never stored.
        case expired
    }

    public let id: String
    public let merchantID: String
    public let consumerID: String
    public let merchantReference: String
    public let lines: [CheckoutLine]
    public let total: Money
    public let createdAt: Instant
    public let offers: [ProductOffer]
    public internal(set) var state: State
    /// The order an approval made.
    public internal(set) var orderID: String?
    /// The shopper-safe reasons of a decline or referral.
    public internal(set) var reasons: [String]
    /// While the checkout is referred: when it is declined unless a person reviews it first
    /// (the policy's `CheckoutService.referralReviewWindow`), so the merchant knows how long the shopper may wait.
    /// Never stored.
    public internal(set) var referralExpiresAt: Instant? = nil
    /// Present when the merchant's checkouts are confirmed by their shopper (`CheckoutConfirmation.shopper`): the
    /// checkout cannot be authorized until the shopper confirmed it, and then only for the product they chose.
    public internal(set) var shopperConfirmation: ShopperConfirmation? = nil
    /// While open (or expired): when it can no longer be authorized (`CheckoutService.checkoutLifetime` after
    /// `createdAt`). Never stored.
    public internal(set) var expiresAt: Instant? = nil
    /// The merchant's name, in the shopper's own view of the checkout (`CheckoutService.checkout(consumer:id:)`), so
    /// they know whom they are confirming a purchase from. Never stored.
    public internal(set) var merchantName: String? = nil
}

/// A checkout's confirmation by its shopper (`POST /v1/me/checkouts/{id}/confirm`): the product they chose and
/// when, once they have. Stored empty with the checkout, as a mark that one is needed; filled when it is read.
public struct ShopperConfirmation: Codable, Hashable, Sendable {
    public internal(set) var productID: String?
    public internal(set) var confirmedAt: Instant?
}

/// What an authorization reads of a stored checkout: who, how much and which products, without the quotes'
/// installments, which it has no use for. Stored beside the document (its `terms` column, schema version 8) with
/// the document's keys, so that the document of an older row decodes as it too.
struct CheckoutTerms: Codable, Equatable {
    struct OfferTerms: Codable, Equatable {
        let productID: String
        let promotion: OfferPromotion?
    }

    let id: String
    let merchantID: String
    let consumerID: String
    let merchantReference: String
    let total: Money
    let offers: [OfferTerms]
    /// The outcome as the document holds it: only for checkouts authorized before the outcome had columns (the
    /// terms of newer rows have none).
    let orderID: String?
    let reasons: [String]?
    /// Empty, as in the document, when the shopper confirms the checkout; nil otherwise.
    let shopperConfirmation: ShopperConfirmation?

    /// The terms of a checkout being made.
    init(of checkout: Checkout) {
        id = checkout.id
        merchantID = checkout.merchantID
        consumerID = checkout.consumerID
        merchantReference = checkout.merchantReference
        total = checkout.total
        offers = checkout.offers.map { OfferTerms(productID: $0.productID, promotion: $0.promotion) }
        orderID = nil
        reasons = nil
        shopperConfirmation = checkout.shopperConfirmation
    }
}

extension CheckoutTerms: CanonicalJSONReadable {
    init(json: CanonicalJSONObject) throws(StoreError) {
        id = try json.string("id")
        merchantID = try json.string("merchantID")
        consumerID = try json.string("consumerID")
        merchantReference = try json.string("merchantReference")
        total = try json.money("total")
        offers = try json.array("offers") { value, path throws(StoreError) in
            try OfferTerms(json: CanonicalJSONObject.object(value, path: path))
        }
        orderID = try json.optionalString("orderID")
        reasons = try json.optionalArray("reasons", CanonicalJSONObject.string)
        shopperConfirmation = try json.optionalObject("shopperConfirmation").map { _ in ShopperConfirmation() }
    }
}

extension CheckoutTerms.OfferTerms: CanonicalJSONReadable {
    init(json: CanonicalJSONObject) throws(StoreError) {
        productID = try json.string("productID")
        promotion = try json.optionalObject("promotion").map { object throws(StoreError) in
            try OfferPromotion(json: object)
        }
    }
}

extension OfferPromotion: CanonicalJSONReadable {
    init(json: CanonicalJSONObject) throws(StoreError) {
        self.init(
            id: try json.string("id"), merchantShare: BasisPoints(try json.integer("merchantShareBp")),
            subsidy: try json.money("subsidy"), quotedOn: try json.date("quotedOn"))
    }
}

/// What the shopper provides when confirming a product at checkout: the product, and the applicant's details.
public struct AuthorizationRequest: Sendable {
    public var productID: String
    public var applicant: ApplicantDetails

    public init(
        productID: String, deviceID: String, shippingAddress: String, paymentInstrument: String,
        distanceFromUsualAddressKilometres: Double? = nil, ageYears: Int64, isIdentityVerified: Bool,
        declaredMonthlyIncome: Money? = nil, features: FeatureRow
    ) {
        self.productID = productID
        applicant = ApplicantDetails(
            deviceID: deviceID, shippingAddress: shippingAddress, paymentInstrument: paymentInstrument,
            distanceFromUsualAddressKilometres: distanceFromUsualAddressKilometres, ageYears: ageYears,
            isIdentityVerified: isIdentityVerified, declaredMonthlyIncome: declaredMonthlyIncome, features: features)
    }
}

/// The answer to an authorization, naming the decision that decided the checkout: the one taken at authorization
/// (its id is the checkout's), or, once a person reviewed a referral, the review's (`<checkout>:review`).
public enum AuthorizationOutcome: Sendable, Hashable {
    case approved(Order, decisionID: String)
    case declined(decisionID: String, reasons: [String])
    case referred(decisionID: String, reasons: [String])

    /// The decision that decided the checkout.
    public var decisionID: String {
        switch self {
        case let .approved(_, id), let .declined(id, _), let .referred(id, _): id
        }
    }
}

extension AuthorizationOutcome {
    /// This answer as `merchant` reads it: a decline's or referral's reasons only as far as
    /// `MerchantProfile.readsShopperReasons` allows, `generic` (the policy's text) otherwise.
    public func read(by merchant: MerchantProfile, generic: String) -> AuthorizationOutcome {
        switch self {
        case .approved: self
        case let .declined(id, reasons): .declined(decisionID: id, reasons: merchant.reasons(reasons, generic: generic))
        case let .referred(id, reasons): .referred(decisionID: id, reasons: merchant.reasons(reasons, generic: generic))
        }
    }
}

extension Checkout {
    /// This checkout as `merchant` reads it: see `AuthorizationOutcome.read(by:generic:)`.
    public func read(by merchant: MerchantProfile, generic: String) -> Checkout {
        var read = self
        read.reasons = merchant.reasons(reasons, generic: generic)
        return read
    }
}

/// Why a checkout or order request was refused; nothing changed when one is thrown.
public enum CheckoutError: Error, Equatable, Sendable, CustomStringConvertible {
    case invalidField(field: String, reason: String)
    /// The lines do not add up to the total; `difference` is total − sum of lines.
    case totalMismatch(total: Money, linesSum: Money, difference: Money)
    case noProductOffered(amount: Money)
    case productNotOffered(String)
    case checkoutNotFound(String)
    case orderNotFound(String)
    /// The checkout was decided (`state`) for another authorization request than this one.
    case checkoutClosed(id: String, state: String)
    /// The merchant cancelled the checkout: it can no longer be authorized.
    case checkoutCancelled(String)
    /// The checkout was left open past its lifetime (at `expiredAt`): it can no longer be authorized or confirmed.
    case checkoutExpired(id: String, expiredAt: Instant)
    /// Only an open or referred checkout can be cancelled; an authorized one's order (`orderID`) can be.
    case checkoutNotCancellable(id: String, state: String, orderID: String?)
    /// The checkout's shopper confirms it, and has not yet: it cannot be authorized before.
    case shopperConfirmationRequired(String)
    /// The checkout was made before its merchant's checkouts needed their shopper's confirmation, so it has none to
    /// give: it cannot be authorized now.
    case madeBeforeShopperConfirmation(String)
    /// The shopper confirmed the checkout for `productID`: it is authorized for that product or not at all.
    case shopperConfirmedAnotherProduct(id: String, productID: String)
    /// A shopper's confirmation of a checkout no longer open (`state`).
    case checkoutNotOpen(id: String, state: String)
    case order(OrderError)
    case creditUnavailable(String)
    case merchantNotFound(String)
    /// A capture of fewer minor units than its plan has installments; `minimum` is the smallest capture possible.
    case captureTooSmall(amount: Money, installments: Int, minimum: Money)
    /// The capture's plan cannot be priced: above the jurisdiction's APR cap (`CatalogError.aprAboveCap` names the
    /// APR and the cap), or not at all.
    case captureNotPriced(amount: Money, CatalogError)

    public var description: String {
        switch self {
        case let .invalidField(field, reason): "\(field): \(reason)"
        case let .totalMismatch(total, sum, difference):
            "the total \(total) is not the sum of the lines \(sum) (difference \(difference))"
        case let .noProductOffered(amount): "no product is offered for \(amount)"
        case let .productNotOffered(id): "product \(id) is not offered at this checkout"
        case let .checkoutNotFound(id): "checkout \(id) does not exist"
        case let .orderNotFound(id): "order \(id) does not exist"
        case let .checkoutClosed(id, state):
            "checkout \(id) is already \(state), for another product or other shopper details: authorizing it again "
                + "with the request that was decided answers that decision, and a new checkout is decided anew"
        case let .checkoutCancelled(id): "checkout \(id) was cancelled by the merchant: start a new checkout"
        case let .checkoutExpired(id, expiredAt):
            "checkout \(id) expired at \(expiredAt), unauthorized: start a new checkout, quoted anew"
        case let .checkoutNotCancellable(id, state, orderID):
            "checkout \(id) is \(state) and cannot be cancelled"
                + (orderID.map { ": cancel its order \($0) instead (POST /v1/orders/\($0)/cancel)" } ?? "")
        case let .shopperConfirmationRequired(id):
            "checkout \(id) waits for its shopper to confirm it (POST /v1/me/checkouts/\(id)/confirm, with the shopper's "
                + "token): it cannot be authorized before"
        case let .madeBeforeShopperConfirmation(id):
            "checkout \(id) was made before its merchant's checkouts needed their shopper's confirmation, and has none: "
                + "start a new checkout for the shopper to confirm"
        case let .shopperConfirmedAnotherProduct(id, productID):
            "the shopper confirmed checkout \(id) for \(productID): it can be authorized for that product only"
        case let .checkoutNotOpen(id, state): "checkout \(id) is \(state): it can no longer be confirmed"
        case let .order(error): error.description
        case let .creditUnavailable(reason): "credit is not available: \(reason)"
        case let .merchantNotFound(id): "merchant \(id) does not exist"
        case let .captureTooSmall(amount, installments, minimum):
            "a capture of \(amount) cannot be split into \(installments) installments of at least one minor unit; "
                + "the smallest capture is \(minimum)"
        case let .captureNotPriced(amount, error): "a capture of \(amount) is refused: \(error.description)"
        }
    }
}
