public import Foundation

/// What `paylater model evaluate` prints: the model, its discrimination and calibration on the evaluated rows,
/// the information value of a scorecard's features there, and optionally the stability against a reference.
public struct EvaluationReport: Sendable, Hashable, Codable {
    public var model: ModelIdentity
    public var evaluation: ModelEvaluation
    /// Empty for a model that is not a scorecard.
    public var features: [FeatureInformation]
    public var stability: PopulationStability?

    public init(
        model: ModelIdentity, evaluation: ModelEvaluation, features: [FeatureInformation] = [],
        stability: PopulationStability? = nil
    ) {
        self.model = model
        self.evaluation = evaluation
        self.features = features
        self.stability = stability
    }

    /// Scores every row of `table` with `model` and evaluates against `target`; a scorecard also gets its
    /// features' information values. `referenceProbabilities` (such as the development sample's) adds a PSI.
    /// - Throws: `EvaluationError` for a bad target column (with its line), a row that cannot be scored (with its
    ///   line), or outcomes of only one class.
    public static func evaluate(
        model: any CreditModel, table: CSVTable, target: BinaryTarget, referenceProbabilities: [Double]? = nil
    ) throws(EvaluationError) -> EvaluationReport {
        let isBad: [Bool]
        do throws(TargetError) { isBad = try target.labels(in: table) } catch { throw .target(error) }
        let rows = table.featureRows(excluding: [target.column])
        var probabilities: [Double] = []
        probabilities.reserveCapacity(rows.count)
        for (row, line) in zip(rows, table.lineNumbers) {
            do throws(ScoringError) { probabilities.append(try model.score(row).probabilityOfBad) } catch {
                throw .scoring(line: line, error)
            }
        }
        let features = try (model as? Scorecard)?.informationValues(rows: rows, isBad: isBad) ?? []
        let stability = try referenceProbabilities.map { (reference) throws(EvaluationError) in
            try PopulationStability(expected: reference, actual: probabilities)
        }
        return EvaluationReport(
            model: model.identity, evaluation: try ModelEvaluation(probabilities: probabilities, isBad: isBad),
            features: features, stability: stability)
    }

    /// The JSON form: sorted keys, pretty-printed.
    public func jsonData() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted]
        return try encoder.encode(self)
    }

    /// The plain-text form, columns aligned, for a terminal.
    public func text() -> String {
        let e = evaluation
        var lines = [
            "Model \(model.name) version \(model.version)",
            "Rows \(e.rows), bads \(e.bads) (\(fixed(Double(e.bads) / Double(max(e.rows, 1)) * 100, 1))%)",
            "AUC \(fixed(e.auc, 4))   Gini \(fixed(e.gini, 4))   KS \(fixed(e.ks, 4))   Brier \(fixed(e.brier, 4))",
            "",
            "Calibration by band of predicted probability",
        ]
        lines += alignedTable(
            header: ["band", "rows", "min p", "max p", "mean p", "bads", "bad rate"],
            rows: e.calibration.map {
                ["\($0.band)", "\($0.count)", fixed($0.minimumPredicted, 4), fixed($0.maximumPredicted, 4),
                 fixed($0.meanPredicted, 4), "\($0.bads)", fixed($0.observedBadRate, 4)]
            })
        if !features.isEmpty {
            lines += ["", "Information value by feature"]
            lines += alignedTable(
                header: ["feature", "IV", "bins"],
                rows: features.sorted { $0.informationValue > $1.informationValue }.map {
                    [$0.feature, fixed($0.informationValue, 4), "\($0.bins.count)"]
                })
        }
        if let stability {
            lines += ["", "Population stability index \(fixed(stability.index, 4))"]
            lines += alignedTable(
                header: ["lower", "upper", "expected", "actual", "term"],
                rows: stability.bins.map {
                    [$0.lower.map { fixed($0, 4) } ?? "-inf", $0.upper.map { fixed($0, 4) } ?? "+inf",
                     fixed($0.expectedShare * 100, 1) + "%", fixed($0.actualShare * 100, 1) + "%", fixed($0.term, 4)]
                })
        }
        return lines.joined(separator: "\n") + "\n"
    }
}

/// `value` with `decimals` digits after the point.
func fixed(_ value: Double, _ decimals: Int) -> String {
    String(format: "%.\(decimals)f", value)
}

/// Rows under a header, the first column left-aligned and the others right-aligned, two spaces apart.
func alignedTable(header: [String], rows: [[String]]) -> [String] {
    let all = [header] + rows
    let widths = header.indices.map { column in all.map { $0[column].count }.max() ?? 0 }
    return all.map { row in
        row.indices.map { column in
            let padding = String(repeating: " ", count: widths[column] - row[column].count)
            return column == 0 ? row[column] + padding : padding + row[column]
        }.joined(separator: "  ")
    }
}
