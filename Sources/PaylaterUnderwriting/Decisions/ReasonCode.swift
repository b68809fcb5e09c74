/// Why a decision went the way it did: a stable code, stored with the decision and named in the policy file.
///
/// The raw value is the snake_case name used in `reason_texts.codes` and in stored decisions; renaming a case
/// would orphan stored decisions, so codes are only ever added.
public enum ReasonCode: String, Sendable, Hashable, Codable, CaseIterable {
    // Knock-outs.
    case underMinimumAge = "under_minimum_age"
    case identityNotVerified = "identity_not_verified"
    case delinquentOnPlatform = "delinquent_on_platform"
    case blockedList = "blocked_list"
    // Cooling-off after a decline.
    case coolingOff = "cooling_off"
    // Fraud velocity.
    case deviceVelocity = "device_velocity"
    case addressVelocity = "address_velocity"
    case instrumentVelocity = "instrument_velocity"
    case accountsPerDevice = "accounts_per_device"
    case firstOrderHighValue = "first_order_high_value"
    case shippingAddressFar = "shipping_address_far"
    // The model.
    case modelFactor = "model_factor"
    case scoreBelowCutOff = "score_below_cut_off"
    case scoreInReviewBand = "score_in_review_band"
    case modelCouldNotScore = "model_could_not_score"
    // Limit and affordability.
    case limitFrozen = "limit_frozen"
    case overAvailableCredit = "over_available_credit"
    case overSpendingCap = "over_spending_cap"
    case debtServiceTooHigh = "debt_service_too_high"
    case productNotEligible = "product_not_eligible"
    // Platform exposure.
    case platformCapacityTightened = "platform_capacity_tightened"
    case platformCapacityReached = "platform_capacity_reached"
    // A referral's review (`ReferralReview`).
    case declinedOnReview = "declined_on_review"
    case referralExpired = "referral_expired"

    /// Whether a decline for this reason starts the cooling-off period: a finding about the shopper's credit that
    /// applying again at once with other details could get around (the score, a limit frozen for delinquency, the
    /// debt-service ratio). An order above the available credit or the shopper's own spending cap, a product their
    /// score band does not offer, or the platform's funding position says nothing of the kind: the shopper may try
    /// a smaller order or another product at once. Knock-outs, velocity and cooling-off declines start none either
    /// (trying again inside the period does not extend it).
    public var startsCoolingOff: Bool {
        switch self {
        case .scoreBelowCutOff, .modelFactor, .limitFrozen, .debtServiceTooHigh: true
        default: false
        }
    }

    /// Whether the shopper may be told this reason in words of its own.
    ///
    /// Fraud rules, the blocked list and the platform's funding position are not told: saying which velocity rule
    /// fired teaches how to get around it. The shopper sees the policy's generic text instead, and the operator
    /// sees the rule. The policy file must give texts for every told code and none for the others.
    public var isToldToShopper: Bool {
        switch self {
        case .blockedList, .deviceVelocity, .addressVelocity, .instrumentVelocity, .accountsPerDevice,
            .firstOrderHighValue, .shippingAddressFar, .modelCouldNotScore, .platformCapacityTightened,
            .platformCapacityReached, .declinedOnReview, .referralExpired:
            false
        default: true
        }
    }
}
