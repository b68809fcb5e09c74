public import PaylaterMoney
public import PaylaterTime

/// One order asking for credit, and who asks.
///
/// Personal identifiers arrive already hashed by the caller (`shopperHash`, `deviceHash`, `addressHash`,
/// `instrumentHash`), so the stored snapshot of every decision holds no name, phone, address or card number.
public struct CreditApplication: Sendable, Hashable {
    /// Given by the caller, so a retried request names the same decision.
    public var decisionId: String
    public var shopperHash: String
    public var orderAmount: Money
    /// The products the shopper chose at checkout; empty when the shopper has not chosen yet.
    public var requestedProducts: [String]
    /// The products the merchant offers for this order.
    public var offeredProducts: [String]
    public var merchantId: String
    /// When the application was made; every window (velocity, cooling-off) is measured back from it.
    public var at: Instant
    public var deviceHash: String
    public var addressHash: String
    public var instrumentHash: String
    /// How far the shipping address is from the shopper's usual one, when known.
    public var distanceFromUsualAddressKilometres: Double?
    /// Whole years of age on the application date.
    public var ageYears: Int64
    public var isIdentityVerified: Bool
    /// The monthly income the shopper declared, if any.
    public var declaredMonthlyIncome: Money?
    /// The model's inputs.
    public var features: FeatureRow
    /// A person's verdict when this application decides a referred one again; nil for an application at checkout.
    public var review: ReferralReview?

    public init(
        decisionId: String, shopperHash: String, orderAmount: Money, requestedProducts: [String],
        offeredProducts: [String], merchantId: String, at: Instant, deviceHash: String, addressHash: String,
        instrumentHash: String, distanceFromUsualAddressKilometres: Double?, ageYears: Int64,
        isIdentityVerified: Bool, declaredMonthlyIncome: Money?, features: FeatureRow, review: ReferralReview? = nil
    ) {
        self.decisionId = decisionId
        self.shopperHash = shopperHash
        self.orderAmount = orderAmount
        self.requestedProducts = requestedProducts
        self.offeredProducts = offeredProducts
        self.merchantId = merchantId
        self.at = at
        self.deviceHash = deviceHash
        self.addressHash = addressHash
        self.instrumentHash = instrumentHash
        self.distanceFromUsualAddressKilometres = distanceFromUsualAddressKilometres
        self.ageYears = ageYears
        self.isIdentityVerified = isIdentityVerified
        self.declaredMonthlyIncome = declaredMonthlyIncome
        self.features = features
        self.review = review
    }
}

extension CreditApplication: Codable {
    /// Keys in camelCase like the rest of the snapshot; `distance` is short for the long property name.
    private enum CodingKeys: String, CodingKey {
        case decisionId, shopperHash, orderAmount, requestedProducts, offeredProducts, merchantId, at, deviceHash
        case addressHash, instrumentHash, distance = "distanceFromUsualAddressKilometres", ageYears, isIdentityVerified
        case declaredMonthlyIncome, features, review
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let stored = try container.decode([String: StoredFeature].self, forKey: .features)
        self.init(
            decisionId: try container.decode(String.self, forKey: .decisionId),
            shopperHash: try container.decode(String.self, forKey: .shopperHash),
            orderAmount: try container.decode(Money.self, forKey: .orderAmount),
            requestedProducts: try container.decode([String].self, forKey: .requestedProducts),
            offeredProducts: try container.decode([String].self, forKey: .offeredProducts),
            merchantId: try container.decode(String.self, forKey: .merchantId),
            at: try container.decode(Instant.self, forKey: .at),
            deviceHash: try container.decode(String.self, forKey: .deviceHash),
            addressHash: try container.decode(String.self, forKey: .addressHash),
            instrumentHash: try container.decode(String.self, forKey: .instrumentHash),
            distanceFromUsualAddressKilometres: try container.decodeIfPresent(Double.self, forKey: .distance),
            ageYears: try container.decode(Int64.self, forKey: .ageYears),
            isIdentityVerified: try container.decode(Bool.self, forKey: .isIdentityVerified),
            declaredMonthlyIncome: try container.decodeIfPresent(Money.self, forKey: .declaredMonthlyIncome),
            features: FeatureRow(stored.mapValues(\.value)),
            review: try container.decodeIfPresent(ReferralReview.self, forKey: .review))
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(decisionId, forKey: .decisionId)
        try container.encode(shopperHash, forKey: .shopperHash)
        try container.encode(orderAmount, forKey: .orderAmount)
        try container.encode(requestedProducts, forKey: .requestedProducts)
        try container.encode(offeredProducts, forKey: .offeredProducts)
        try container.encode(merchantId, forKey: .merchantId)
        try container.encode(at, forKey: .at)
        try container.encode(deviceHash, forKey: .deviceHash)
        try container.encode(addressHash, forKey: .addressHash)
        try container.encode(instrumentHash, forKey: .instrumentHash)
        try container.encodeIfPresent(distanceFromUsualAddressKilometres, forKey: .distance)
        try container.encode(ageYears, forKey: .ageYears)
        try container.encode(isIdentityVerified, forKey: .isIdentityVerified)
        try container.encodeIfPresent(declaredMonthlyIncome, forKey: .declaredMonthlyIncome)
        var stored: [String: StoredFeature] = [:]
        for name in features.names { stored[name] = StoredFeature(features[name]) }
        try container.encode(stored, forKey: .features)
        try container.encodeIfPresent(review, forKey: .review)
    }
}

/// A feature value in a snapshot: a JSON number, a JSON string (a category, even "3"), or null (missing).
private struct StoredFeature: Codable {
    var value: FeatureValue

    init(_ value: FeatureValue) { self.value = value }

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            value = .missing
        } else if let number = try? container.decode(Double.self) {
            value = .number(number)
        } else {
            value = .category(try container.decode(String.self))
        }
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch value {
        case .number(let number): try container.encode(number)
        case .category(let label): try container.encode(label)
        case .missing: try container.encodeNil()
        }
    }
}
