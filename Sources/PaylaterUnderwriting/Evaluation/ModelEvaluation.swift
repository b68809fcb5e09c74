/// How well predicted probabilities of bad separate and match the observed outcomes.
///
/// - AUC: the probability that a random bad scores riskier than a random good, from ranks (Mann–Whitney), tied
///   probabilities sharing their average rank (so a tie counts one half).
/// - Gini: `2·AUC − 1`.
/// - KS: the largest gap between the cumulative share of bads and of goods, walking from the riskiest
///   probability down; tied probabilities move together.
/// - Calibration: rows sorted by probability split into `bandCount` bands of (near) equal size; each band's mean
///   prediction against its observed bad rate.
/// - Brier score: the mean squared difference between the probability and the outcome (1 bad, 0 good).
public struct ModelEvaluation: Sendable, Hashable, Codable {
    public var rows: Int
    public var bads: Int
    public var auc: Double
    public var gini: Double
    public var ks: Double
    public var brier: Double
    public var calibration: [CalibrationBand]

    /// Evaluates `probabilities` against `isBad`, row by row.
    /// - Throws: `EvaluationError` when the lists differ in length, a probability is outside [0, 1], or there
    ///   are no bads or no goods (the measures need both).
    public init(probabilities: [Double], isBad: [Bool], bandCount: Int = 10) throws(EvaluationError) {
        try Self.validate(probabilities: probabilities, isBad: isBad)
        rows = probabilities.count
        bads = isBad.count(where: { $0 })
        auc = Self.areaUnderCurve(probabilities: probabilities, isBad: isBad)
        gini = 2 * auc - 1
        ks = Self.kolmogorovSmirnov(probabilities: probabilities, isBad: isBad)
        brier = zip(probabilities, isBad).reduce(0.0) { total, pair in
            let error = pair.0 - (pair.1 ? 1 : 0)
            return total + error * error
        } / Double(rows)
        calibration = Self.calibrationBands(probabilities: probabilities, isBad: isBad, bandCount: max(1, bandCount))
    }

    static func validate(probabilities: [Double], isBad: [Bool]) throws(EvaluationError) {
        guard probabilities.count == isBad.count else {
            throw .lengthMismatch(probabilities: probabilities.count, labels: isBad.count)
        }
        if let index = probabilities.firstIndex(where: { !(0...1).contains($0) }) {
            throw .probabilityOutOfRange(row: index, value: probabilities[index])
        }
        guard isBad.contains(true) else { throw .noBads }
        guard isBad.contains(false) else { throw .noGoods }
    }

    /// Mann–Whitney AUC with ties averaged; `probabilities` and `isBad` must hold both classes.
    public static func areaUnderCurve(probabilities: [Double], isBad: [Bool]) -> Double {
        let order = probabilities.indices.sorted { probabilities[$0] < probabilities[$1] }
        var badRankSum = 0.0
        var start = 0
        while start < order.count {
            var end = start
            while end + 1 < order.count, probabilities[order[end + 1]] == probabilities[order[start]] { end += 1 }
            let averageRank = Double(start + end + 2) / 2  // ranks are 1-based
            for position in start...end where isBad[order[position]] { badRankSum += averageRank }
            start = end + 1
        }
        let bads = Double(isBad.count(where: { $0 }))
        let goods = Double(isBad.count) - bads
        return (badRankSum - bads * (bads + 1) / 2) / (bads * goods)
    }

    /// The Kolmogorov–Smirnov statistic between the bads' and the goods' distributions of probability.
    public static func kolmogorovSmirnov(probabilities: [Double], isBad: [Bool]) -> Double {
        let order = probabilities.indices.sorted { probabilities[$0] > probabilities[$1] }
        let bads = Double(isBad.count(where: { $0 }))
        let goods = Double(isBad.count) - bads
        var cumulativeBads = 0.0
        var cumulativeGoods = 0.0
        var largest = 0.0
        var position = 0
        while position < order.count {
            let probability = probabilities[order[position]]
            while position < order.count, probabilities[order[position]] == probability {
                if isBad[order[position]] { cumulativeBads += 1 } else { cumulativeGoods += 1 }
                position += 1
            }
            largest = max(largest, abs(cumulativeBads / bads - cumulativeGoods / goods))
        }
        return largest
    }

    static func calibrationBands(probabilities: [Double], isBad: [Bool], bandCount: Int) -> [CalibrationBand] {
        // Ties are broken by row order so that the bands are the same on every run.
        let order = probabilities.indices.sorted {
            probabilities[$0] != probabilities[$1] ? probabilities[$0] < probabilities[$1] : $0 < $1
        }
        let count = order.count
        let bands = min(bandCount, count)
        return (0..<bands).map { band in
            let members = order[(band * count / bands)..<((band + 1) * count / bands)]
            let predicted = members.map { probabilities[$0] }
            let observedBads = members.count(where: { isBad[$0] })
            return CalibrationBand(
                band: band + 1, count: members.count, minimumPredicted: predicted.min()!,
                maximumPredicted: predicted.max()!, meanPredicted: predicted.reduce(0, +) / Double(members.count),
                bads: observedBads, observedBadRate: Double(observedBads) / Double(members.count))
        }
    }
}

/// One band of predicted probability (band 1 is the safest) with its observed outcome.
public struct CalibrationBand: Sendable, Hashable, Codable {
    public var band: Int
    public var count: Int
    public var minimumPredicted: Double
    public var maximumPredicted: Double
    public var meanPredicted: Double
    public var bads: Int
    public var observedBadRate: Double

    private enum CodingKeys: String, CodingKey {
        case band, count, bads
        case minimumPredicted = "minimum_predicted"
        case maximumPredicted = "maximum_predicted"
        case meanPredicted = "mean_predicted"
        case observedBadRate = "observed_bad_rate"
    }
}

/// Why an evaluation could not be computed.
public enum EvaluationError: Error, Sendable, Hashable, CustomStringConvertible {
    case lengthMismatch(probabilities: Int, labels: Int)
    /// `row` is 0-based in the lists given.
    case probabilityOutOfRange(row: Int, value: Double)
    case noBads
    case noGoods
    case empty
    case target(TargetError)
    case scoring(line: Int, ScoringError)

    public var description: String {
        switch self {
        case .lengthMismatch(let probabilities, let labels): "\(probabilities) probabilities for \(labels) labels"
        case .probabilityOutOfRange(let row, let value): "row \(row + 1): probability \(value) is outside [0, 1]"
        case .noBads: "the evaluated rows hold no bad outcome"
        case .noGoods: "the evaluated rows hold no good outcome"
        case .empty: "there are no scores to compare"
        case .target(let error): error.description
        case .scoring(let line, let error): "line \(line): \(error)"
        }
    }
}
