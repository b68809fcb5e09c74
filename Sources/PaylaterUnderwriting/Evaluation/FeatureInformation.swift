/// A scorecard feature's information value measured on other rows than it was trained on, bin by bin: the check
/// that a feature still separates goods from bads on new applicants.
public struct FeatureInformation: Sendable, Hashable, Codable {
    public var feature: String
    public var informationValue: Double
    public var bins: [Bin]

    /// One scorecard bin's rows in the evaluated data, with the weight of evidence they show now.
    public struct Bin: Sendable, Hashable, Codable {
        public var label: String
        public var count: Int
        public var goods: Int
        public var bads: Int
        public var woe: Double
    }

    private enum CodingKeys: String, CodingKey {
        case feature, bins
        case informationValue = "information_value"
    }
}

extension Scorecard {
    /// Each feature's information value on `rows`, with the bins of the scorecard and the same smoothing as
    /// training's default (0.5 per bin and class). Rows that fall in no bin (a missing value with no missing bin,
    /// an unseen category with no other bin) form one more bin labelled "unbinned".
    /// - Throws: `EvaluationError` for mismatched lists, or a row that cannot be scored (with its 1-based index as
    ///   the line).
    public func informationValues(rows: [FeatureRow], isBad: [Bool], smoothing: Double = 0.5)
        throws(EvaluationError) -> [FeatureInformation]
    {
        guard rows.count == isBad.count else { throw .lengthMismatch(probabilities: rows.count, labels: isBad.count) }
        return try features.indices.map { (featureIndex) throws(EvaluationError) -> FeatureInformation in
            let feature = features[featureIndex]
            var tallies = [BinTally](repeating: BinTally(), count: feature.bins.count + 1)
            for (rowIndex, (row, bad)) in zip(rows, isBad).enumerated() {
                let bin: Int?
                do throws(ScoringError) { bin = try binIndex(feature: featureIndex, value: row[feature.name]) } catch {
                    throw .scoring(line: rowIndex + 1, error)
                }
                tallies[bin ?? feature.bins.count].add(isBad: bad)
            }
            let labels = feature.bins.map(\.label) + ["unbinned"]
            let kept = tallies.indices.filter { $0 < feature.bins.count || tallies[$0].count > 0 }
            let weights = WeightOfEvidence(tallies: kept.map { tallies[$0] }, smoothing: smoothing)
            return FeatureInformation(
                feature: feature.name, informationValue: weights.informationValue,
                bins: zip(kept, weights.woes).map { index, woe in
                    FeatureInformation.Bin(
                        label: labels[index], count: tallies[index].count, goods: tallies[index].goods,
                        bads: tallies[index].bads, woe: woe)
                })
        }
    }
}

extension ScorecardBin {
    /// A short human label: `(25, 40]`, `own, rent`, `other`, `missing`, with `+ missing` when missing values join.
    public var label: String {
        let base: String
        switch match {
        case .range(let lower, let upper):
            base = "(\(lower.map(formatBound) ?? "-inf"), \(upper.map(formatBound) ?? "+inf")]"
        case .categories(let categories): base = categories.joined(separator: ", ")
        case .other: base = "other"
        case .missing: return "missing"
        }
        return includesMissing ? base + " + missing" : base
    }
}

private func formatBound(_ value: Double) -> String {
    value == value.rounded() && abs(value) < 1e15 ? String(Int64(value)) : "\(value)"
}
