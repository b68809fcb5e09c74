extension Scorecard {
    /// Trains a scorecard on `table`: bins every column but the target and `options.excludedColumns`, keeps the
    /// features whose information value reaches `options.minimumInformationValue`, fits an L2-penalised logistic
    /// regression on their weights of evidence, and scales it to points.
    ///
    /// A column is numeric when every non-empty cell is a number (unless listed in
    /// `options.categoricalColumns`), categorical otherwise.
    /// - Parameters:
    ///   - target: the outcome column; `bad` is its bad value, `good` the good values (nil: every other value).
    /// - Throws: `ScorecardTrainingError` for a bad target column, an excluded or categorical column the table does
    ///   not have, too few rows, no usable feature, or a regression that does not converge.
    public static func train(
        table: CSVTable, target: String, bad: String, good: [String]? = nil,
        options: ScorecardTrainingOptions = ScorecardTrainingOptions()
    ) throws(ScorecardTrainingError) -> Scorecard {
        try trainReporting(table: table, target: target, bad: bad, good: good, options: options).scorecard
    }

    /// `train`, with what became of every candidate column: an operator reading only the kept features cannot tell
    /// that a strong column left the model because one cell of it was "NaN" (which made it categorical).
    public static func trainReporting(
        table: CSVTable, target: String, bad: String, good: [String]? = nil,
        options: ScorecardTrainingOptions = ScorecardTrainingOptions()
    ) throws(ScorecardTrainingError) -> ScorecardTrainingResult {
        try validate(options)
        try validateColumns(options, header: table.header)
        let binaryTarget = BinaryTarget(column: target, bad: bad, good: good)
        let isBad: [Bool]
        do { isBad = try binaryTarget.labels(in: table) } catch { throw .target(error) }
        guard table.rows.count >= options.minimumRows else {
            throw .tooFewRows(found: table.rows.count, minimum: options.minimumRows)
        }
        var candidates: [BinnedFeature] = []
        var informationValues: [String: Double] = [:]
        var report: [ScorecardCandidate] = []
        for (column, name) in table.header.enumerated() where name != target && !options.excludedColumns.contains(name) {
            let cells = table.rows.map { $0[column] }
            guard let binned = BinnedFeature(name: name, cells: cells, isBad: isBad, options: options) else {
                report.append(ScorecardCandidate(name: name, kind: nil, informationValue: nil, outcome: .empty))
                continue
            }
            let iv = binned.weights.informationValue
            informationValues[name] = iv
            let outlier = binned.kind == .categorical && !options.categoricalColumns.contains(name)
                ? ScorecardCandidate.lonelyNonNumber(in: cells, lineNumbers: table.lineNumbers) : nil
            report.append(
                ScorecardCandidate(
                    name: name, kind: binned.kind, informationValue: iv,
                    outcome: iv >= options.minimumInformationValue ? .kept : .belowInformationValue(options.minimumInformationValue),
                    nonNumberInNumbers: outlier))
            if iv >= options.minimumInformationValue { candidates.append(binned) }
        }
        guard !candidates.isEmpty else { throw .noUsableFeature(informationValues: informationValues) }
        var regression: LogisticRegression
        while true {
            let design = (0..<isBad.count).map { row in candidates.map { $0.woePerRow[row] } }
            do {
                regression = try LogisticRegression.fit(
                    rows: design, isBad: isBad, l2Penalty: options.l2Penalty,
                    maximumIterations: options.maximumIterations, gradientTolerance: options.gradientTolerance)
            } catch {
                throw .regression(error)
            }
            guard options.dropsNegativeCoefficients, candidates.count > 1,
                let worst = regression.coefficients.indices.min(by: { regression.coefficients[$0] < regression.coefficients[$1] }),
                regression.coefficients[worst] < 0
            else { break }
            if let index = report.firstIndex(where: { $0.name == candidates[worst].name }) {
                report[index].outcome = .negativeCoefficient
            }
            candidates.remove(at: worst)
        }
        let scaling = options.scaling
        let features = zip(candidates, regression.coefficients).map { binned, coefficient in
            ScorecardFeature(
                name: binned.name, kind: binned.kind, coefficient: coefficient,
                informationValue: binned.weights.informationValue,
                bins: zip(binned.drafts, binned.weights.woes).map { draft, woe in
                    ScorecardBin(
                        match: draft.match, includesMissing: draft.includesMissing, woe: woe,
                        points: -scaling.factor * coefficient * woe, goods: draft.tally.goods, bads: draft.tally.bads)
                })
        }
        let scorecard = Scorecard(
            identity: ModelIdentity(name: options.name, version: options.version), target: binaryTarget,
            scaling: scaling, intercept: regression.intercept, features: features)
        return ScorecardTrainingResult(scorecard: scorecard, candidates: report)
    }

    /// Every column the options name is in the table: a misspelt name is refused, never ignored.
    private static func validateColumns(_ options: ScorecardTrainingOptions, header: [String]) throws(ScorecardTrainingError) {
        let columns = Set(header)
        if let name = options.excludedColumns.subtracting(columns).sorted().first { throw .unknownExcludedColumn(name) }
        if let name = options.categoricalColumns.subtracting(columns).sorted().first { throw .unknownCategoricalColumn(name) }
    }

    private static func validate(_ options: ScorecardTrainingOptions) throws(ScorecardTrainingError) {
        guard options.preBinCount >= 1 else { throw .invalidOptions("preBinCount must be at least 1") }
        guard (0..<1).contains(options.minimumBinShare) else { throw .invalidOptions("minimumBinShare must be in [0, 1)") }
        guard options.woeSmoothing > 0 else { throw .invalidOptions("woeSmoothing must be positive") }
        guard options.scaling.pdo > 0, options.scaling.baseOdds > 0 else {
            throw .invalidOptions("pdo and baseOdds must be positive")
        }
    }
}

/// One candidate feature after binning: its bins, their weights of evidence, and every training row's weight.
/// A trained scorecard and what became of every candidate column, in the table's order.
public struct ScorecardTrainingResult: Sendable {
    public let scorecard: Scorecard
    public let candidates: [ScorecardCandidate]
}

/// One candidate column of a scorecard's training: how it was binned and whether it is in the model.
public struct ScorecardCandidate: Hashable, Sendable {
    /// Why a candidate is in the model or not.
    public enum Outcome: Hashable, Sendable {
        case kept
        /// The column has no value at all.
        case empty
        /// Its information value is below the threshold given.
        case belowInformationValue(Double)
        /// The fit gave it a negative coefficient (risk against its own evidence), so it was left out and the
        /// model fitted again.
        case negativeCoefficient
    }

    /// A cell that is not a number in a column whose other cells are (at least 90% of those with a value): the
    /// column was binned as categories because of it, which is seldom what was meant ("NaN", "inf", "n/a").
    public struct NonNumber: Hashable, Sendable {
        public let line: Int
        public let cell: String
        /// How many cells with a value are not numbers.
        public let count: Int
    }

    public let name: String
    /// How it was binned; nil for an empty column.
    public let kind: ScorecardFeature.Kind?
    public let informationValue: Double?
    public internal(set) var outcome: Outcome
    public let nonNumberInNumbers: NonNumber?

    init(
        name: String, kind: ScorecardFeature.Kind?, informationValue: Double?, outcome: Outcome,
        nonNumberInNumbers: NonNumber? = nil
    ) {
        self.name = name
        self.kind = kind
        self.informationValue = informationValue
        self.outcome = outcome
        self.nonNumberInNumbers = nonNumberInNumbers
    }

    /// The first cell that is not a number, when at least 90% of the cells with a value are numbers.
    static func lonelyNonNumber(in cells: [String], lineNumbers: [Int]) -> NonNumber? {
        var numbers = 0
        var others: [Int] = []
        for (index, cell) in cells.enumerated() {
            switch FeatureValue(cell: cell) {
            case .number: numbers += 1
            case .category: others.append(index)
            case .missing: break
            }
        }
        guard let first = others.first, numbers * 10 >= (numbers + others.count) * 9 else { return nil }
        return NonNumber(line: lineNumbers[first], cell: cells[first], count: others.count)
    }
}

private struct BinnedFeature {
    var name: String
    var kind: ScorecardFeature.Kind
    var drafts: [BinDraft]
    var weights: WeightOfEvidence
    var woePerRow: [Double]

    /// Nil when the column has no value at all.
    init?(name: String, cells: [String], isBad: [Bool], options: ScorecardTrainingOptions) {
        let values = cells.map(FeatureValue.init(cell:))
        guard values.contains(where: { $0 != .missing }) else { return nil }
        let numeric = !options.categoricalColumns.contains(name)
            && values.allSatisfy { if case .category = $0 { false } else { true } }
        self.name = name
        if numeric {
            kind = .numeric
            drafts = NumericBinning.bins(
                values: values.map { if case .number(let number) = $0 { number } else { nil } }, isBad: isBad, options: options)
        } else {
            kind = .categorical
            drafts = CategoricalBinning.bins(labels: values.map(\.categoryLabel), isBad: isBad, options: options)
        }
        weights = WeightOfEvidence(tallies: drafts.map(\.tally), smoothing: options.woeSmoothing)
        // Score the training rows through the same lookup the scorecard uses, so training and scoring agree.
        let probe = ScorecardFeature(
            name: name, kind: kind, coefficient: 0, informationValue: weights.informationValue,
            bins: zip(drafts, weights.woes).map {
                ScorecardBin(match: $0.match, includesMissing: $0.includesMissing, woe: $1, points: 0,
                             goods: $0.tally.goods, bads: $0.tally.bads)
            })
        let card = Scorecard(
            identity: ModelIdentity(name: "", version: ""), target: BinaryTarget(column: "", bad: ""),
            scaling: options.scaling, intercept: 0, features: [probe])
        woePerRow = values.map { value in
            let bin = (try? card.binIndex(feature: 0, value: value)) ?? nil
            return bin.map { probe.bins[$0].woe } ?? 0
        }
    }
}
