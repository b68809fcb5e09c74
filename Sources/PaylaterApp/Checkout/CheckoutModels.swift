public import PaylaterMoney
public import PaylaterProducts
public import PaylaterTime
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

/// A product offered at a checkout, with its full price: every installment, the total cost and the APRs.
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

    init(_ quote: Quote) {
        productID = quote.product.id
        kind = quote.product.kind
        installments = quote.schedule.installments.map {
            InstallmentOffer(number: $0.number, dueDate: $0.dueDate, amount: $0.total)
        }
        totalCost = quote.totalCost
        totalPayable = quote.schedule.total
        aprPercent = Dictionary(uniqueKeysWithValues: quote.aprs.map { ($0.method.rawValue, $0.percentString(decimals: 4)) })
    }
}

/// A checkout session as stored and shown.
public struct Checkout: Codable, Hashable, Sendable {
    public enum State: String, Codable, Sendable {
        case open, authorized, declined, referred
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
}

/// What the shopper provides when confirming a product at checkout.
public struct AuthorizationRequest: Sendable {
    public var productID: String
    public var deviceID: String
    public var shippingAddress: String
    public var paymentInstrument: String
    public var distanceFromUsualAddressKilometres: Double?
    public var ageYears: Int64
    public var isIdentityVerified: Bool
    public var declaredMonthlyIncome: Money?
    public var features: FeatureRow

    public init(
        productID: String, deviceID: String, shippingAddress: String, paymentInstrument: String,
        distanceFromUsualAddressKilometres: Double? = nil, ageYears: Int64, isIdentityVerified: Bool,
        declaredMonthlyIncome: Money? = nil, features: FeatureRow
    ) {
        self.productID = productID
        self.deviceID = deviceID
        self.shippingAddress = shippingAddress
        self.paymentInstrument = paymentInstrument
        self.distanceFromUsualAddressKilometres = distanceFromUsualAddressKilometres
        self.ageYears = ageYears
        self.isIdentityVerified = isIdentityVerified
        self.declaredMonthlyIncome = declaredMonthlyIncome
        self.features = features
    }
}

/// The answer to an authorization.
public enum AuthorizationOutcome: Sendable, Hashable {
    case approved(Order)
    case declined(decisionID: String, reasons: [String])
    case referred(decisionID: String, reasons: [String])
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
    case checkoutClosed(id: String, state: String)
    case order(OrderError)
    case creditUnavailable(String)
    case merchantNotFound(String)

    public var description: String {
        switch self {
        case let .invalidField(field, reason): "\(field): \(reason)"
        case let .totalMismatch(total, sum, difference):
            "the total \(total) is not the sum of the lines \(sum) (difference \(difference))"
        case let .noProductOffered(amount): "no product is offered for \(amount)"
        case let .productNotOffered(id): "product \(id) is not offered at this checkout"
        case let .checkoutNotFound(id): "checkout \(id) does not exist"
        case let .orderNotFound(id): "order \(id) does not exist"
        case let .checkoutClosed(id, state): "checkout \(id) is already \(state)"
        case let .order(error): error.description
        case let .creditUnavailable(reason): "credit is not available: \(reason)"
        case let .merchantNotFound(id): "merchant \(id) does not exist"
        }
    }
}
