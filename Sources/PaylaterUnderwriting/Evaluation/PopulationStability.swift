import Foundation

/// The population stability index between an expected (reference) and an actual distribution of scores:
/// `PSI = Σ (actual% − expected%) · ln(actual% / expected%)` over bins cut at the expected scores' deciles
/// (values in `(lower, upper]`, cut only at values that occur, so heavy ties give fewer bins). A bin empty in either
/// distribution counts as holding half a row there, so that the logarithm stays finite; the shares are then not
/// renormalised. Below 0.1 is usually read as stable, above 0.25 as shifted.
public struct PopulationStability: Sendable, Hashable, Codable {
    public var index: Double
    public var bins: [Bin]

    /// One bin's counts, shares and term of the sum.
    public struct Bin: Sendable, Hashable, Codable {
        public var lower: Double?
        public var upper: Double?
        public var expectedCount: Int
        public var actualCount: Int
        public var expectedShare: Double
        public var actualShare: Double
        public var term: Double

        private enum CodingKeys: String, CodingKey {
            case lower, upper, term
            case expectedCount = "expected_count"
            case actualCount = "actual_count"
            case expectedShare = "expected_share"
            case actualShare = "actual_share"
        }

        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            if let lower { try container.encode(lower, forKey: .lower) } else { try container.encodeNil(forKey: .lower) }
            if let upper { try container.encode(upper, forKey: .upper) } else { try container.encodeNil(forKey: .upper) }
            try container.encode(expectedCount, forKey: .expectedCount)
            try container.encode(actualCount, forKey: .actualCount)
            try container.encode(expectedShare, forKey: .expectedShare)
            try container.encode(actualShare, forKey: .actualShare)
            try container.encode(term, forKey: .term)
        }
    }

    /// - Throws: `EvaluationError.empty` when either list is empty.
    public init(expected: [Double], actual: [Double], binCount: Int = 10) throws(EvaluationError) {
        guard !expected.isEmpty, !actual.isEmpty else { throw .empty }
        let cuts = quantileCuts(sortedValues: expected.sorted(), binCount: max(1, binCount))
        var expectedCounts = [Int](repeating: 0, count: cuts.count + 1)
        var actualCounts = expectedCounts
        for value in expected { expectedCounts[binIndex(of: value, upperBounds: cuts)] += 1 }
        for value in actual { actualCounts[binIndex(of: value, upperBounds: cuts)] += 1 }
        bins = expectedCounts.indices.map { index in
            let expectedShare = max(Double(expectedCounts[index]), 0.5) / Double(expected.count)
            let actualShare = max(Double(actualCounts[index]), 0.5) / Double(actual.count)
            return Bin(
                lower: index == 0 ? nil : cuts[index - 1], upper: index == cuts.count ? nil : cuts[index],
                expectedCount: expectedCounts[index], actualCount: actualCounts[index],
                expectedShare: expectedShare, actualShare: actualShare,
                term: (actualShare - expectedShare) * log(actualShare / expectedShare))
        }
        index = bins.reduce(0) { $0 + $1.term }
    }
}
