public import Foundation

/// A trained credit scorecard: binned features, a weight of evidence and points per bin, and the logistic
/// regression that weighs them. It is the artifact that gets reviewed, versioned and deployed, so it is a readable
/// JSON document (`jsonData()`, `init(json:)`) and scores exactly the same after a round trip.
///
/// Scoring: each feature's value finds its bin (numbers in `(lower, upper]`, categories by label, else the "other"
/// bin, missing values in the bin marked missing; with no such bin the neutral weight of evidence 0 and 0 points).
/// `logOdds = intercept + Σ coefficient · woe`, `probabilityOfBad = logistic(logOdds)`, and
/// `points = basePoints + Σ bin points`, where `basePoints = offset − factor · intercept` and a bin's points are
/// `−factor · coefficient · woe` (kept exact, not rounded). A feature's contribution is
/// `coefficient · (woe − average woe of the training rows)`: positive means riskier than a typical applicant on
/// that feature, so the largest positive contributions are the reasons a score is low.
public struct Scorecard: CreditModel, Codable, Sendable, Equatable {
    public var identity: ModelIdentity
    public var target: BinaryTarget
    public var scaling: ScorecardScaling
    public var intercept: Double
    public var features: [ScorecardFeature]
    private let compiled: [CompiledFeature]

    public static let format = "paylater-scorecard"
    public static let formatVersion = 1

    public init(
        identity: ModelIdentity, target: BinaryTarget, scaling: ScorecardScaling, intercept: Double,
        features: [ScorecardFeature]
    ) {
        self.identity = identity
        self.target = target
        self.scaling = scaling
        self.intercept = intercept
        self.features = features
        self.compiled = features.map(CompiledFeature.init)
    }

    public var featureNames: [String] { features.map(\.name) }

    /// The points of an applicant whose every weight of evidence is 0 (the intercept's share).
    public var basePoints: Double { scaling.offset - scaling.factor * intercept }

    public func score(_ row: FeatureRow) throws(ScoringError) -> ModelScore {
        var logOdds = intercept
        var points = basePoints
        var contributions: [FeatureContribution] = []
        contributions.reserveCapacity(compiled.count)
        for feature in compiled {
            let bin = try feature.binIndex(row[feature.name])
            let woe = bin.map { feature.woes[$0] } ?? 0
            logOdds += feature.coefficient * woe
            points += bin.map { feature.points[$0] } ?? 0
            contributions.append(FeatureContribution(feature: feature.name, logOdds: feature.coefficient * (woe - feature.averageWoe)))
        }
        return ModelScore(probabilityOfBad: logistic(logOdds), logOdds: logOdds, points: points, contributions: contributions)
    }

    /// The index into `features[i].bins` that `value` falls in, or nil for the neutral weight of evidence.
    public func binIndex(feature: Int, value: FeatureValue) throws(ScoringError) -> Int? {
        try compiled[feature].binIndex(value)
    }

    /// The document: sorted keys and pretty-printed, so equal scorecards are equal bytes and diffs are readable.
    public func jsonData() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted]
        return try encoder.encode(self)
    }

    /// Reads a document written by `jsonData()`.
    public init(json: Data) throws {
        self = try JSONDecoder().decode(Scorecard.self, from: json)
    }

    public static func == (left: Scorecard, right: Scorecard) -> Bool {
        left.identity == right.identity && left.target == right.target && left.scaling == right.scaling
            && left.intercept == right.intercept && left.features == right.features
    }

    private enum CodingKeys: String, CodingKey {
        case format, name, version, target, scaling, intercept, features
        case formatVersion = "format_version"
        case basePoints = "base_points"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let format = try container.decode(String.self, forKey: .format)
        let version = try container.decode(Int.self, forKey: .formatVersion)
        guard format == Scorecard.format, version == Scorecard.formatVersion else {
            throw DecodingError.dataCorruptedError(
                forKey: .format, in: container, debugDescription: "not a \(Scorecard.format) document of version 1")
        }
        let features = try container.decode([ScorecardFeature].self, forKey: .features)
        for feature in features where !feature.binsAreConsistent {
            throw DecodingError.dataCorruptedError(
                forKey: .features, in: container, debugDescription: "\(feature.name): bins do not match its kind or are out of order")
        }
        self.init(
            identity: ModelIdentity(
                name: try container.decode(String.self, forKey: .name),
                version: try container.decode(String.self, forKey: .version)),
            target: try container.decode(BinaryTarget.self, forKey: .target),
            scaling: try container.decode(ScorecardScaling.self, forKey: .scaling),
            intercept: try container.decode(Double.self, forKey: .intercept),
            features: features)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(Scorecard.format, forKey: .format)
        try container.encode(Scorecard.formatVersion, forKey: .formatVersion)
        try container.encode(identity.name, forKey: .name)
        try container.encode(identity.version, forKey: .version)
        try container.encode(target, forKey: .target)
        try container.encode(scaling, forKey: .scaling)
        try container.encode(intercept, forKey: .intercept)
        try container.encode(basePoints, forKey: .basePoints)
        try container.encode(features, forKey: .features)
    }
}

/// One feature of a scorecard with its bins.
public struct ScorecardFeature: Sendable, Hashable, Codable {
    public enum Kind: String, Sendable, Hashable, Codable {
        case numeric
        case categorical
    }

    public var name: String
    public var kind: Kind
    public var coefficient: Double
    /// The information value of the bins on the training rows.
    public var informationValue: Double
    /// Numeric: ranges in increasing order, then a missing bin if any; categorical: categories, other, missing.
    public var bins: [ScorecardBin]

    public init(name: String, kind: Kind, coefficient: Double, informationValue: Double, bins: [ScorecardBin]) {
        self.name = name
        self.kind = kind
        self.coefficient = coefficient
        self.informationValue = informationValue
        self.bins = bins
    }

    /// The training rows' average weight of evidence: the baseline that contributions are measured from.
    public var averageWoe: Double {
        let rows = bins.reduce(0) { $0 + $1.count }
        return rows == 0 ? 0 : bins.reduce(0.0) { $0 + Double($1.count) * $1.woe } / Double(rows)
    }

    var binsAreConsistent: Bool {
        var previousUpper: Double?? = .none
        for bin in bins {
            switch (kind, bin.match) {
            case (.numeric, .range(let lower, let upper)):
                if case .some(let previous) = previousUpper {
                    guard let previous, lower == previous else { return false }
                } else if lower != nil {
                    return false
                }
                if let lower, let upper, !(lower < upper) { return false }
                previousUpper = .some(upper)
            case (.categorical, .categories), (.categorical, .other), (_, .missing): continue
            default: return false
            }
        }
        if case .some(let last) = previousUpper, last != nil { return false }
        return true
    }

    private enum CodingKeys: String, CodingKey {
        case name, kind, coefficient, bins
        case informationValue = "information_value"
    }
}

/// One bin of a feature: what falls into it, its counts on the training rows, its weight of evidence and points.
public struct ScorecardBin: Sendable, Hashable, Codable {
    public var match: BinMatch
    /// Whether missing values also fall here (too few at training for a bin of their own); always true for a
    /// `.missing` bin.
    public var includesMissing: Bool
    /// `ln(%bad / %good)`, smoothed: positive is riskier than the training population.
    public var woe: Double
    public var points: Double
    public var count: Int
    public var goods: Int
    public var bads: Int

    public init(match: BinMatch, includesMissing: Bool, woe: Double, points: Double, goods: Int, bads: Int) {
        self.match = match
        self.includesMissing = includesMissing || match == .missing
        self.woe = woe
        self.points = points
        self.count = goods + bads
        self.goods = goods
        self.bads = bads
    }

    public var badRate: Double { count == 0 ? 0 : Double(bads) / Double(count) }

    private enum CodingKeys: String, CodingKey {
        case range, categories, other, missing, woe, points, count, goods, bads
        case badRate = "bad_rate"
    }

    private enum RangeKeys: String, CodingKey {
        case lower, upper
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let missing = try container.decodeIfPresent(Bool.self, forKey: .missing) ?? false
        if container.contains(.range) {
            let range = try container.nestedContainer(keyedBy: RangeKeys.self, forKey: .range)
            match = .range(
                lower: try range.decodeIfPresent(Double.self, forKey: .lower),
                upper: try range.decodeIfPresent(Double.self, forKey: .upper))
        } else if let categories = try container.decodeIfPresent([String].self, forKey: .categories) {
            match = .categories(categories)
        } else if try container.decodeIfPresent(Bool.self, forKey: .other) == true {
            match = .other
        } else if missing {
            match = .missing
        } else {
            throw DecodingError.dataCorruptedError(
                forKey: .range, in: container, debugDescription: "a bin needs a range, categories, other or missing")
        }
        includesMissing = missing
        woe = try container.decode(Double.self, forKey: .woe)
        points = try container.decode(Double.self, forKey: .points)
        count = try container.decode(Int.self, forKey: .count)
        goods = try container.decode(Int.self, forKey: .goods)
        bads = try container.decode(Int.self, forKey: .bads)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        switch match {
        case .range(let lower, let upper):
            var range = container.nestedContainer(keyedBy: RangeKeys.self, forKey: .range)
            if let lower { try range.encode(lower, forKey: .lower) } else { try range.encodeNil(forKey: .lower) }
            if let upper { try range.encode(upper, forKey: .upper) } else { try range.encodeNil(forKey: .upper) }
        case .categories(let categories): try container.encode(categories, forKey: .categories)
        case .other: try container.encode(true, forKey: .other)
        case .missing: break
        }
        if includesMissing { try container.encode(true, forKey: .missing) }
        try container.encode(woe, forKey: .woe)
        try container.encode(points, forKey: .points)
        try container.encode(count, forKey: .count)
        try container.encode(goods, forKey: .goods)
        try container.encode(bads, forKey: .bads)
        try container.encode(badRate, forKey: .badRate)
    }
}

/// A feature's bins laid out for scoring in microseconds: upper bounds for a binary search, a label table, and
/// the indices of the other and missing bins, all built once when the scorecard is made or decoded.
private struct CompiledFeature: Sendable {
    var name: String
    var isNumeric: Bool
    var coefficient: Double
    var woes: [Double]
    var points: [Double]
    var averageWoe: Double
    /// Numeric: the inclusive upper bounds of the range bins but the last; `rangeBins[i]` is the bin index.
    var upperBounds: [Double]
    var rangeBins: [Int]
    var categoryBins: [String: Int]
    var otherBin: Int?
    var missingBin: Int?

    init(_ feature: ScorecardFeature) {
        name = feature.name
        isNumeric = feature.kind == .numeric
        coefficient = feature.coefficient
        woes = feature.bins.map(\.woe)
        points = feature.bins.map(\.points)
        averageWoe = feature.averageWoe
        upperBounds = []
        rangeBins = []
        categoryBins = [:]
        for (index, bin) in feature.bins.enumerated() {
            if bin.includesMissing, missingBin == nil { missingBin = index }
            switch bin.match {
            case .range(_, let upper):
                rangeBins.append(index)
                if let upper { upperBounds.append(upper) }
            case .categories(let labels): for label in labels { categoryBins[label] = index }
            case .other: otherBin = index
            case .missing: break
            }
        }
    }

    @inline(__always)
    func binIndex(_ value: FeatureValue) throws(ScoringError) -> Int? {
        switch value {
        case .missing: return missingBin
        case .number(let number) where isNumeric:
            return rangeBins.isEmpty ? nil : rangeBins[PaylaterUnderwriting.binIndex(of: number, upperBounds: upperBounds)]
        case .category(let label) where isNumeric: throw .notANumber(feature: name, value: label)
        default:
            return value.categoryLabel.flatMap { categoryBins[$0] } ?? otherBin
        }
    }
}
