import Foundation

/// A model that estimates the probability that an applicant turns out bad (the target outcome, such as 90 days
/// past due within a year), with the factors that pushed the estimate up or down.
///
/// Implementations are pure values: the same row always gives the same score, so a stored decision replays.
public protocol CreditModel: Sendable {
    /// The name and version recorded on every decision the model takes part in.
    var identity: ModelIdentity { get }
    /// The inputs the model reads, in its own order.
    var featureNames: [String] { get }
    /// Scores one applicant.
    /// - Throws: `ScoringError` when an input has the wrong kind (a category where a number is needed).
    func score(_ features: FeatureRow) throws(ScoringError) -> ModelScore
}

/// Which model, and which version of it, produced a score.
public struct ModelIdentity: Sendable, Hashable, Codable {
    public var name: String
    public var version: String

    public init(name: String, version: String) {
        self.name = name
        self.version = version
    }
}

/// A model's answer for one applicant.
public struct ModelScore: Sendable, Hashable {
    /// The estimated probability of the bad outcome, in [0, 1].
    public var probabilityOfBad: Double
    /// The model's raw output on the log-odds scale (for trees, LightGBM's `raw_score`).
    public var logOdds: Double
    /// Scorecard points when the model is a scorecard (higher is better), else nil.
    public var points: Double?
    /// Each feature's share of the log-odds relative to the model's baseline; positive raises the risk. Sorted by
    /// contribution, largest first, so the first positive entries are the reasons a score is low.
    public var contributions: [FeatureContribution]

    public init(probabilityOfBad: Double, logOdds: Double, points: Double? = nil, contributions: [FeatureContribution]) {
        precondition((0...1).contains(probabilityOfBad), "a probability lies in [0, 1]")
        self.probabilityOfBad = probabilityOfBad
        self.logOdds = logOdds
        self.points = points
        self.contributions = contributions.sorted {
            $0.logOdds != $1.logOdds ? $0.logOdds > $1.logOdds : $0.feature < $1.feature
        }
    }
}

/// How much one feature moved a score, on the log-odds scale of the bad outcome.
public struct FeatureContribution: Sendable, Hashable {
    public var feature: String
    public var logOdds: Double

    public init(feature: String, logOdds: Double) {
        self.feature = feature
        self.logOdds = logOdds
    }
}

/// Why a row could not be scored.
public enum ScoringError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The model needs a number for `feature` and got the category `value`.
    case notANumber(feature: String, value: String)
    /// A categorical feature got a value the model never saw and has no fallback for.
    case unknownCategory(feature: String, value: String)

    public var description: String {
        switch self {
        case .notANumber(let feature, let value): "\(feature): \"\(value)\" is not a number"
        case .unknownCategory(let feature, let value): "\(feature): the category \"\(value)\" is unknown to the model"
        }
    }
}

/// The logistic function, written to stay finite for any input.
public func logistic(_ logOdds: Double) -> Double {
    logOdds >= 0 ? 1 / (1 + exp(-logOdds)) : exp(logOdds) / (1 + exp(logOdds))
}
