public import Foundation
public import PaylaterMoney

/// The credit policy around the model: knock-outs, cut-offs, limits, affordability, fraud velocity, platform
/// exposure, the words of the reasons and the champion/challenger split.
///
/// Loaded from a versioned JSON file (see `init(json:)` for the format) and checked completely on load; every
/// decision records the policy's `id` and `version`, and a replay refuses a policy of another version.
public struct CreditPolicy: Sendable, Hashable {
    /// The policy's name, such as "cn-default".
    public let id: String
    /// Raised with every change of rules, so a stored decision names the rules it was taken under.
    public let version: Int64
    /// The currencies the policy lends in; every amount in the file is given in each of them.
    public let currencies: [Currency]
    /// The youngest age, in whole years, that may be lent to.
    public let minimumAgeYears: Int64
    /// The champion's cut-offs on the probability of bad.
    public let cutOffs: CutOffs
    /// Score bands by probability of bad, ascending; the last covers every probability a cut-off can refer.
    public let scoreBands: [ScoreBand]
    public let affordability: AffordabilityRules
    /// Days after a decline during which any new application is declined without scoring.
    public let coolingOffDays: Int64
    /// How long a referred checkout waits for a person before it is declined as expired (`referral_review_hours`):
    /// the review's promise to the shopper waiting at checkout and the merchant holding the order. Counted from the
    /// referral, under the policy in force: a new window applies to the referrals already waiting too.
    public let referralReviewWindow: Duration
    public let velocity: VelocityRules
    public let limits: LimitRules
    public let exposure: ExposureRules
    public let reasonTexts: ReasonTexts
    /// The challenger arm, or nil when every shopper gets the champion.
    public let challenger: ChallengerSetup?
    /// The file's content in one canonical form (keys sorted, no insignificant space), so two files with the same
    /// rules give the same bytes whatever their layout: what a store remembers of each `id` and `version` it has
    /// decided under, to refuse rules changed without raising the version (`UnderwritingService`).
    public let canonicalContent: Data

    /// The review window of a policy that sets none: a day.
    public static let referralReviewHoursDefault: Int64 = 24
    /// The review windows a policy may set: an hour for a person to look at least, a week at most.
    public static let referralReviewHoursRange: ClosedRange<Int64> = 1...168

    /// The band a probability of bad falls in: the first whose `maximumProbabilityOfBad` is at or above it.
    public func band(probabilityOfBad: Double) -> ScoreBand? {
        scoreBands.first { probabilityOfBad <= $0.maximumProbabilityOfBad }
    }

    /// The cut-offs of one arm: the challenger's overrides when it has them.
    public func cutOffs(for arm: Arm) -> CutOffs {
        switch arm {
        case .champion: cutOffs
        case .challenger: challenger?.cutOffs ?? cutOffs
        }
    }
}

/// Approve at or below `approveAtOrBelow`, refer up to `referAtOrBelow`, decline above it.
public struct CutOffs: Sendable, Hashable {
    public let approveAtOrBelow: Double
    public let referAtOrBelow: Double

    public init(approveAtOrBelow: Double, referAtOrBelow: Double) {
        precondition(0 <= approveAtOrBelow && approveAtOrBelow <= referAtOrBelow && referAtOrBelow <= 1)
        self.approveAtOrBelow = approveAtOrBelow
        self.referAtOrBelow = referAtOrBelow
    }
}

/// A range of probability of bad with the initial limit and the products it allows.
public struct ScoreBand: Sendable, Hashable {
    /// The band's name, recorded on the initial limit's change: "A".
    public let name: String
    /// The band holds probabilities above the previous band's maximum and at or below this.
    public let maximumProbabilityOfBad: Double
    /// The limit a shopper without one gets in this band, per currency.
    public let initialLimit: [Currency: Money]
    /// The product ids this band may use; riskier bands usually keep to the short products.
    public let products: [String]
}

/// The debt-service limit.
///
/// Income: the declared monthly income when the shopper gave one in the order's currency, otherwise
/// `defaultMonthlyIncome`, a deliberately conservative estimate per currency (a floor, not an average), so that a
/// shopper who says nothing is never assumed richer than the policy's floor.
public struct AffordabilityRules: Sendable, Hashable {
    /// The most of the monthly income that all monthly repayments, this order's included, may take.
    public let maximumDebtServiceRatio: BasisPoints
    /// Over how many months this order's repayment is counted: 1 counts the whole order in one month (pay in 30).
    public let orderRepaymentMonths: Int64
    public let defaultMonthlyIncome: [Currency: Money]
}

/// Fraud velocity limits. An order count includes this order: `ordersPerDeviceHour` 3 allows the third order in an
/// hour and refuses the fourth.
public struct VelocityRules: Sendable, Hashable {
    public let ordersPerDevice: WindowLimits
    public let ordersPerAddress: WindowLimits
    public let ordersPerInstrument: WindowLimits
    /// The most distinct shoppers, this one included, seen on one device in 24 hours.
    public let accountsPerDevice: Int64
    /// A shopper's first order at or above this amount is referred.
    public let firstOrderHighValue: [Currency: Money]
    /// A shipping address farther than this from the usual address is referred; exactly this far passes.
    public let maximumDistanceKilometres: Int64
}

/// The most orders in the last hour and the last 24 hours.
public struct WindowLimits: Sendable, Hashable {
    public let hour: Int64
    public let day: Int64
}

/// Limit management after the first limit.
public struct LimitRules: Sendable, Hashable {
    /// Consecutive on-time repayment cycles that earn an increase.
    public let increaseAfterOnTimeCycles: Int64
    public let increase: BasisPoints
    /// No increase goes above this, per currency.
    public let maximumLimit: [Currency: Money]
    /// A review whose probability of bad is above this decreases the limit.
    public let decreaseAboveProbabilityOfBad: Double
    public let decrease: BasisPoints
}

/// Tightening as the platform's outstanding plus holds approach the funding capacity.
public struct ExposureRules: Sendable, Hashable {
    /// Ascending by utilisation; the highest band reached applies.
    public let tighteningBands: [ExposureBand]
    /// At or above this utilisation nothing is approved (10 000 = the whole capacity).
    public let stopAtUtilisation: BasisPoints
}

/// From `atOrAboveUtilisation`, approve only probability of bad at or below `approveAtOrBelow` and orders at or
/// below `maximumOrderAmount`.
public struct ExposureBand: Sendable, Hashable {
    public let atOrAboveUtilisation: BasisPoints
    public let approveAtOrBelow: Double
    public let maximumOrderAmount: [Currency: Money]
}

/// The words shoppers read.
public struct ReasonTexts: Sendable, Hashable {
    /// What a shopper reads for a reason that is not told (fraud, blocked list, platform capacity).
    public let generic: String
    /// The text of each code told to the shopper.
    public let codes: [ReasonCode: String]
    /// Model feature name → plain words: "account_age_days" → "Your account on the platform is new".
    public let features: [String: String]
    /// What a shopper reads for a model factor whose value was not known (no credit report, no order history):
    /// the feature's own words would state a fact about the shopper that nobody knows ("You repaid late"). Nil
    /// reads as `model_factor`'s text.
    public let missingFeature: String?

    public init(generic: String, codes: [ReasonCode: String], features: [String: String], missingFeature: String? = nil) {
        self.generic = generic
        self.codes = codes
        self.features = features
        self.missingFeature = missingFeature
    }

    /// The shopper's words for a code: its own text when told, the generic text otherwise.
    public func shopperText(_ code: ReasonCode) -> String {
        code.isToldToShopper ? codes[code] ?? generic : generic
    }

    /// The shopper's words for a model feature; a feature without its own text reads as `model_factor`'s text.
    /// A feature whose value was not known reads as `missingFeature`, whatever its own words.
    public func shopperText(feature: String, known: Bool = true) -> String {
        known ? features[feature] ?? shopperText(.modelFactor) : missingFeature ?? shopperText(.modelFactor)
    }
}

/// The challenger arm: which share of shoppers it gets, the seed of the assignment hash, and its overrides.
public struct ChallengerSetup: Sendable, Hashable {
    /// The share of shoppers assigned to the challenger, 0...10 000.
    public let share: BasisPoints
    /// Seeds the assignment hash, so a new experiment can reshuffle shoppers without changing their ids.
    public let seed: UInt64
    /// The challenger's cut-offs, or nil to use the champion's (to test a model, not a policy).
    public let cutOffs: CutOffs?

    public init(share: BasisPoints, seed: UInt64, cutOffs: CutOffs?) {
        precondition((0...BasisPoints.perUnit).contains(share.rawValue), "a share is 0 to 10 000 basis points")
        self.share = share
        self.seed = seed
        self.cutOffs = cutOffs
    }
}

/// Which arm of the champion/challenger split a decision was taken in.
public enum Arm: String, Sendable, Hashable, Codable {
    case champion
    case challenger
}
