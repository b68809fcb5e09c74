extension Scorecard {
    /// Trains a scorecard on `table`: bins every column but the target and `options.excludedColumns`, keeps the
    /// features whose information value reaches `options.minimumInformationValue`, fits an L2-penalised logistic
    /// regression on their weights of evidence, and scales it to points.
    ///
    /// A column is numeric when every non-empty cell is a number (unless listed in
    /// `options.categoricalColumns`), categorical otherwise.
    /// - Parameters:
    ///   - target: the outcome column; `bad` is its bad value, `good` the good values (nil: every other value).
    /// - Throws: `ScorecardTrainingError` for a bad target column, too few rows, no usable feature, or a
    ///   regression that does not converge.
    public static func train(
        table: CSVTable, target: String, bad: String, good: [String]? = nil,
        options: ScorecardTrainingOptions = ScorecardTrainingOptions()
    ) throws(ScorecardTrainingError) -> Scorecard {
        try validate(options)
        let binaryTarget = BinaryTarget(column: target, bad: bad, good: good)
        let isBad: [Bool]
        do { isBad = try binaryTarget.labels(in: table) } catch { throw .target(error) }
        guard table.rows.count >= options.minimumRows else {
            throw .tooFewRows(found: table.rows.count, minimum: options.minimumRows)
        }
        var candidates: [BinnedFeature] = []
        var informationValues: [String: Double] = [:]
        for (column, name) in table.header.enumerated() where name != target && !options.excludedColumns.contains(name) {
            guard let binned = BinnedFeature(name: name, cells: table.rows.map { $0[column] }, isBad: isBad, options: options)
            else { continue }
            informationValues[name] = binned.weights.informationValue
            if binned.weights.informationValue >= options.minimumInformationValue { candidates.append(binned) }
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
        return Scorecard(
            identity: ModelIdentity(name: options.name, version: options.version), target: binaryTarget,
            scaling: scaling, intercept: regression.intercept, features: features)
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
