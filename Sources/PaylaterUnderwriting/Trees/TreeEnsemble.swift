import Foundation

/// A binary gradient-boosted tree model that scores exactly like the LightGBM model it was imported from.
///
/// The raw score is the sum of one leaf value per tree, walked with LightGBM's own decision rules (`tree.h`), and
/// the probability of bad is `1 / (1 + exp(-sigmoid × raw))`, LightGBM's formula. Contributions are Saabas path
/// attributions rather than LightGBM's SHAP `pred_contrib`: they cost one walk, and with the baseline they add up to
/// the raw score exactly (up to rounding), which reason codes need; they are not equal to SHAP values.
public struct TreeEnsemble: CreditModel {
    public let identity: ModelIdentity
    /// Feature names in LightGBM's column order; split features index into this list.
    public let featureNames: [String]
    /// The multiplier inside the logistic function (LightGBM's `sigmoid:` parameter, usually 1).
    public let sigmoid: Double
    /// Where the trees came from; "lightgbm" for imports.
    public let source: String
    public let trees: [DecisionTree]
    /// Per feature: whether a categorical split reads it (so a category label is accepted as its integer code),
    /// a numerical split reads it, or no split does (its value is ignored).
    private let usage: [FeatureUsage]
    private let forest: CompiledForest

    enum FeatureUsage: Sendable { case unused, numerical, categorical }

    /// Builds an ensemble from trees already in LightGBM's layout, checking every tree.
    /// - Throws: `TreeEnsembleError` when a tree is malformed or a feature is split on both ways.
    public init(
        identity: ModelIdentity, featureNames: [String], sigmoid: Double = 1, source: String = "lightgbm",
        trees: [DecisionTree]
    ) throws(TreeEnsembleError) {
        guard sigmoid.isFinite, sigmoid > 0 else { throw .invalid("sigmoid must be a positive number") }
        guard Set(featureNames).count == featureNames.count else { throw .invalid("feature names repeat") }
        var usage = [FeatureUsage](repeating: .unused, count: featureNames.count)
        for (index, tree) in trees.enumerated() {
            if let problem = tree.problem(featureCount: featureNames.count) {
                throw .invalid("tree \(index): \(problem)")
            }
            for (feature, type) in zip(tree.splitFeature, tree.decisionType) {
                let kind: FeatureUsage = type & 1 != 0 ? .categorical : .numerical
                guard usage[feature] == .unused || usage[feature] == kind else {
                    throw .invalid("tree \(index): \(featureNames[feature]) is split on both as a number and a category")
                }
                usage[feature] = kind
            }
        }
        self.identity = identity
        self.featureNames = featureNames
        self.sigmoid = sigmoid
        self.source = source
        self.trees = trees
        self.usage = usage
        self.forest = CompiledForest(trees: trees)
    }

    /// Imports the text that LightGBM's `Booster.save_model` writes.
    /// - Throws: `LightGBMImportError` naming the line of the first problem, including models this importer
    ///   refuses (multiclass, linear trees, objectives other than binary).
    public init(lightGBMText text: String, name: String, version: String) throws(LightGBMImportError) {
        let model = try LightGBMTextModel(parsing: text)
        do {
            try self.init(
                identity: ModelIdentity(name: name, version: version), featureNames: model.featureNames,
                sigmoid: model.sigmoid, trees: model.trees)
        } catch {
            throw .inconsistentModel(error.description, line: 1)  // the parser checks this first, with lines
        }
    }

    /// The score every row starts from: the sum of the trees' root values. Contributions are relative to it.
    public var baselineLogOdds: Double { forest.baseline }

    /// LightGBM's `predict(raw_score=True)` for one row of values in `featureNames` order, NaN for missing.
    public func rawScore(_ values: [Double]) -> Double {
        precondition(values.count == featureNames.count, "one value per feature")
        return values.map(lightGBMInput).withUnsafeBufferPointer { forest.rawScore($0) }
    }

    /// Scores one applicant: raw score, probability and per-feature Saabas contributions (every model feature
    /// appears, zero when no path split on it).
    /// - Throws: `ScoringError.notANumber` when a feature read by a numerical split holds a category, or a
    ///   categorical feature holds a label that is not an integer code.
    public func score(_ features: FeatureRow) throws(ScoringError) -> ModelScore {
        let values = try featureValues(features)
        let (raw, attributions) = values.withUnsafeBufferPointer { forest.rawScoreAndAttributions($0) }
        let contributions = zip(featureNames, attributions).map { FeatureContribution(feature: $0, logOdds: $1) }
        return ModelScore(
            probabilityOfBad: 1 / (1 + exp(-sigmoid * raw)), logOdds: raw, contributions: contributions)
    }

    /// The row as LightGBM's input vector: numbers as they are (values within ±1e-35 read as 0), missing as NaN,
    /// integer category labels as their code. Features no split reads are left NaN whatever they hold.
    public func featureValues(_ features: FeatureRow) throws(ScoringError) -> [Double] {
        var values = [Double](repeating: .nan, count: featureNames.count)
        for (index, name) in featureNames.enumerated() where usage[index] != .unused {
            switch features[name] {
            case .number(let number): values[index] = lightGBMInput(number)
            case .missing: values[index] = .nan
            case .category(let label):
                guard usage[index] == .categorical, let code = Int(label) else {
                    throw .notANumber(feature: name, value: label)
                }
                values[index] = Double(code)
            }
        }
        return values
    }
}

extension TreeEnsemble: Equatable {
    /// Equal when everything that is stored (and so everything that decides a score) is equal.
    public static func == (lhs: TreeEnsemble, rhs: TreeEnsemble) -> Bool {
        lhs.identity == rhs.identity && lhs.featureNames == rhs.featureNames && lhs.sigmoid == rhs.sigmoid
            && lhs.source == rhs.source && lhs.trees == rhs.trees
    }
}

/// Why trees or a JSON artifact do not make a valid ensemble.
public enum TreeEnsembleError: Error, Sendable, Hashable, CustomStringConvertible {
    case invalid(String)

    public var description: String {
        switch self {
        case .invalid(let problem): "invalid tree ensemble: \(problem)"
        }
    }
}
