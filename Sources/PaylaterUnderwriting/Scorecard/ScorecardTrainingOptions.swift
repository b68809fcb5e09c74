import Foundation

/// The knobs of scorecard training, each with a documented default that suits a few thousand rows.
///
/// Binning rules (why each exists):
/// - Numeric features start from `preBinCount` quantile bins over the sorted values, cut only at values that occur,
///   so equal values never straddle a boundary. A bin holds the values in `(lower, upper]`: the upper bound is
///   inclusive, the lower exclusive; the first bin has no lower bound and the last no upper bound.
/// - Adjacent bins are merged until the bad rate is monotonic in the value (increasing or decreasing, whichever
///   keeps more information value), then until every bin holds at least `minimumBinShare` of the rows and at least
///   `minimumBinClassCount` goods and bads. Monotonic bins make the points explainable ("older is safer").
/// - Missing values get a bin of their own when they make up at least `minimumBinShare` of the rows; fewer missing
///   rows join the bin whose bad rate is nearest theirs; with no missing rows at training, a missing value scores
///   the neutral weight of evidence 0.
/// - Categorical features get one bin per category holding at least `minimumBinShare` of the rows; rarer categories
///   share an "other" bin, which also takes categories never seen in training. Without rare categories there is no
///   "other" bin and an unseen category scores the neutral weight of evidence 0.
/// - Weight of evidence is `ln(%bad / %good)` with `woeSmoothing` added to every bin's goods and bads, so an empty
///   class never gives an infinite weight (positive = riskier than the population).
public struct ScorecardTrainingOptions: Sendable, Hashable {
    /// The name and version written into the scorecard and onto every decision it scores.
    public var name: String = "scorecard"
    public var version: String = "1"
    /// Columns that are not features (row ids, fold numbers); the target is always left out.
    public var excludedColumns: Set<String> = []
    /// Columns to bin as categories even when every cell is a number (codes such as "1", "2", "3").
    public var categoricalColumns: Set<String> = []
    /// How many quantile bins a numeric feature starts from before merging.
    public var preBinCount: Int = 20
    /// The smallest share of the training rows a bin may hold (5%).
    public var minimumBinShare: Double = 0.05
    /// The fewest goods and the fewest bads a numeric bin may hold.
    public var minimumBinClassCount: Int = 1
    /// Added to each bin's goods and bads before the weight of evidence is taken.
    public var woeSmoothing: Double = 0.5
    /// Features whose information value is below this are left out of the model (0.02: "not predictive").
    public var minimumInformationValue: Double = 0.02
    /// The L2 penalty on the coefficients (the intercept is not penalised); scikit-learn's `C` is its inverse.
    public var l2Penalty: Double = 1.0
    /// Refit without the feature whose coefficient is most negative until none is: with weight of evidence as the
    /// input a negative coefficient reverses the bins' order, which a collinear feature can cause and nobody can
    /// explain to an applicant.
    public var dropsNegativeCoefficients: Bool = true
    /// The fewest training rows accepted.
    public var minimumRows: Int = 30
    /// Newton–Raphson limits: stop when the mean loss's gradient is at most `gradientTolerance` in every coordinate.
    public var maximumIterations: Int = 100
    public var gradientTolerance: Double = 1e-10
    /// How log-odds become points.
    public var scaling: ScorecardScaling = ScorecardScaling()

    public init() {}
}

/// Points = offset − factor × ln(bad:good odds), with factor = pdo / ln 2 and the offset chosen so that good:bad
/// odds of `baseOdds` score `baseScore`: higher points, safer applicant; every `pdo` points doubles the good:bad odds.
public struct ScorecardScaling: Sendable, Hashable, Codable {
    public var baseScore: Double
    public var baseOdds: Double
    public var pdo: Double

    public init(baseScore: Double = 600, baseOdds: Double = 50, pdo: Double = 20) {
        self.baseScore = baseScore
        self.baseOdds = baseOdds
        self.pdo = pdo
    }

    /// Points per unit of log-odds.
    public var factor: Double { pdo / log(2.0) }
    /// The points of log-odds 0 (even odds).
    public var offset: Double { baseScore - factor * log(baseOdds) }

    enum CodingKeys: String, CodingKey {
        case baseScore = "base_score"
        case baseOdds = "base_odds"
        case pdo
    }
}

/// Why a scorecard could not be trained.
public enum ScorecardTrainingError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The target column is absent, empty somewhere, or holds a value that is neither bad nor good.
    case target(TargetError)
    case tooFewRows(found: Int, minimum: Int)
    /// No feature reached the minimum information value; carries each candidate's value for the message.
    case noUsableFeature(informationValues: [String: Double])
    case regression(LogisticRegressionError)
    case invalidOptions(String)
    /// `excludedColumns` names a column the table does not have: a misspelt exclusion would leave the column meant
    /// (an id, a date) among the candidates.
    case unknownExcludedColumn(String)
    /// `categoricalColumns` names a column the table does not have: the column meant would be binned as numbers.
    case unknownCategoricalColumn(String)

    public var description: String {
        switch self {
        case .target(let error): error.description
        case .tooFewRows(let found, let minimum): "\(found) training rows; at least \(minimum) are needed"
        case .noUsableFeature(let values):
            "no feature reaches the minimum information value: "
                + values.keys.sorted().map { "\($0) \(values[$0] ?? 0)" }.joined(separator: ", ")
        case .regression(let error): error.description
        case .invalidOptions(let message): "invalid options: \(message)"
        case .unknownExcludedColumn(let name): "the column '\(name)' to exclude is not in the header"
        case .unknownCategoricalColumn(let name): "the column '\(name)' to bin as categories is not in the header"
        }
    }
}
