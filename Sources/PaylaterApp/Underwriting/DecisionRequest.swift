public import PaylaterLedger
public import PaylaterMoney
public import PaylaterUnderwriting

/// What the shopper's side of a checkout tells about the applicant: raw identifiers (which the underwriting service
/// hashes before anything is stored), declared facts, and the model's inputs.
public struct ApplicantDetails: Sendable {
    public var deviceID: String
    public var shippingAddress: String
    public var paymentInstrument: String
    public var distanceFromUsualAddressKilometres: Double?
    public var ageYears: Int64
    public var isIdentityVerified: Bool
    public var declaredMonthlyIncome: Money?
    /// The model's inputs: platform features such as account age, orders, returns and repayments.
    public var features: FeatureRow

    public init(
        deviceID: String, shippingAddress: String, paymentInstrument: String,
        distanceFromUsualAddressKilometres: Double? = nil, ageYears: Int64, isIdentityVerified: Bool,
        declaredMonthlyIncome: Money? = nil, features: FeatureRow
    ) {
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

/// An application for credit at checkout, as the checkout knows it.
public struct DecisionRequest: Sendable {
    /// Chosen by the caller; deciding again with the same id returns the stored decision.
    public var decisionID: String
    public var consumer: ConsumerID
    public var merchantID: String
    public var orderAmount: Money
    /// The products the shopper chose (usually one).
    public var requestedProducts: [String]
    /// The products the merchant offers at this checkout.
    public var offeredProducts: [String]
    public var applicant: ApplicantDetails

    public init(
        decisionID: String, consumer: ConsumerID, merchantID: String, orderAmount: Money, requestedProducts: [String],
        offeredProducts: [String], applicant: ApplicantDetails
    ) {
        self.decisionID = decisionID
        self.consumer = consumer
        self.merchantID = merchantID
        self.orderAmount = orderAmount
        self.requestedProducts = requestedProducts
        self.offeredProducts = offeredProducts
        self.applicant = applicant
    }

    /// The same, with the applicant's details given one by one.
    public init(
        decisionID: String, consumer: ConsumerID, merchantID: String, orderAmount: Money, requestedProducts: [String],
        offeredProducts: [String], deviceID: String, shippingAddress: String, paymentInstrument: String,
        distanceFromUsualAddressKilometres: Double? = nil, ageYears: Int64, isIdentityVerified: Bool,
        declaredMonthlyIncome: Money? = nil, features: FeatureRow
    ) {
        self.init(
            decisionID: decisionID, consumer: consumer, merchantID: merchantID, orderAmount: orderAmount,
            requestedProducts: requestedProducts, offeredProducts: offeredProducts,
            applicant: ApplicantDetails(
                deviceID: deviceID, shippingAddress: shippingAddress, paymentInstrument: paymentInstrument,
                distanceFromUsualAddressKilometres: distanceFromUsualAddressKilometres, ageYears: ageYears,
                isIdentityVerified: isIdentityVerified, declaredMonthlyIncome: declaredMonthlyIncome, features: features))
    }
}

/// A stored decision replayed against the policy and models it was taken with.
public struct DecisionReplay: Sendable {
    public let recorded: CreditDecision
    public let replayed: CreditDecision
    /// Whether the replay gave the same decision, reasons and scores.
    public var matches: Bool { recorded == replayed }
}

/// Why an underwriting request was refused (not a decline: a request that could not be decided).
public enum UnderwritingError: Error, Equatable, Sendable, CustomStringConvertible {
    case invalidDecisionID(String)
    /// The decision id was used before for another application.
    case decisionIDReused(String)
    case decisionNotFound(consumer: String, id: String)
    case decision(DecisionError)
    case limit(LimitError)
    case invalidSpendingCap(Money)
    /// A spending cap in another currency than the shopper's credit line; `allowed` are the line's currencies.
    case spendingCapCurrency(Money, allowed: [Currency])
    /// A spending cap, set by a shopper with no credit line yet, in a currency the platform does not lend in (has no
    /// funding capacity in); `lent` are the ones it lends in (may be empty).
    case spendingCapNotLent(Money, lent: [Currency])
    /// The store has decided under another policy with this id and version: rules changed without raising it.
    case policyVersionReused(id: String, version: Int64)

    public var description: String {
        switch self {
        case let .invalidDecisionID(id): "\"\(id)\" is not a valid decision id (1 to 64 letters, digits or : . _ - /)"
        case let .decisionIDReused(id): "decision \(id) was already taken for another application"
        case let .decisionNotFound(consumer, id): "consumer \(consumer) has no decision \(id)"
        case let .decision(error): error.description
        case let .limit(error): error.description
        case let .invalidSpendingCap(cap): "a spending cap must be positive, not \(cap)"
        case let .spendingCapCurrency(cap, allowed):
            "a spending cap must be in the currency of the shopper's credit line "
                + "(\(allowed.map(\.code).joined(separator: ", "))), not \(cap.currency)"
        case let .policyVersionReused(id, version):
            "policy \(id) version \(version) differs from the one this store has decided under with that version: "
                + "raise its version with every change of rules (decisions name the version they were taken under)"
        case let .spendingCapNotLent(cap, lent):
            "a spending cap of \(cap) is refused: the platform does not lend in \(cap.currency) (it has no funding capacity in it)"
                + (lent.isEmpty ? "" : "; it lends in \(lent.map(\.code).joined(separator: ", "))")
        }
    }
}
