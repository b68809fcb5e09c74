import Foundation
import PaylaterUnderwriting

/// Limits on the files the model commands read.
enum ModelFiles {
    /// The largest CSV accepted: 512 MiB, well past what a training or scoring run on one machine should hold.
    static let csvSizeMaximum = 512 << 20
    /// The largest model file accepted (a LightGBM text model of thousands of trees fits easily).
    static let modelSizeMaximum = 256 << 20

    static func table(_ path: String) throws(InputError) -> CSVTable {
        let text = try InputFile.text(path, maximumBytes: csvSizeMaximum)
        do { return try CSVTable(parsing: text) } catch { throw InputError("\(path): \(error.description)") }
    }

    static func model(_ path: String) throws(InputError) -> any CreditModel {
        let data = try InputFile.data(path, maximumBytes: modelSizeMaximum)
        do { return try ModelArtifact.load(json: data) } catch { throw InputError("\(path): \(error.description)") }
    }

    static func write(_ data: Data, to path: String) throws(InputError) {
        do { try data.write(to: URL(fileURLWithPath: path), options: .atomic) } catch {
            throw InputError("cannot write \(path): \(error.localizedDescription)")
        }
    }

    /// The name a model gets from its file name when none is given: `models/risk-v2.json` → `risk-v2`.
    static func defaultName(_ path: String) -> String {
        URL(fileURLWithPath: path).deletingPathExtension().lastPathComponent
    }
}

/// `paylater model train`: a scorecard from a CSV with a binary target.
enum ModelTrainCommand: Command {
    static let spec = CommandSpec(
        path: ["model", "train"],
        summary: "Train a scorecard (binning, weight of evidence, logistic regression, points) from a CSV file.",
        discussion: """
            The CSV has a header row; empty cells are missing values. Every column but the target (and any \
            --exclude) is a candidate feature: numeric when every non-empty cell is a number, else categorical. \
            A column named in --exclude or --categorical that the CSV does not have is an error, never ignored. \
            Rows whose target is --bad are bad; every other non-empty value is good (an empty target is an error \
            naming its line). Features below the information-value threshold are dropped. The model is a readable \
            JSON scorecard. Prints the features kept, their information values, the candidates left out and why, \
            a warning for each column binned as categories because a few of its cells are not numbers ("NaN", \
            "inf"), and the training AUC.
            Exit codes: 0 success, 2 a usage mistake or a bad file.
            """,
        options: [
            .value("csv", "FILE", "The training data."),
            .value("target", "COLUMN", "The outcome column."),
            .value("bad", "VALUE", "The target value that means bad."),
            .value("out", "MODEL", "Where to write the scorecard JSON."),
            .value("name", "NAME", "The model's name (default: the output file's name)."),
            .value("version", "VERSION", "The model's version (default: 1)."),
            .value("exclude", "COLUMNS", "Comma-separated columns that are not features (ids, dates, folds)."),
            .value("categorical", "COLUMNS", "Comma-separated columns to treat as categories even if numeric."),
        ])

    static func run(_ arguments: ParsedArguments, _ context: CommandContext) throws -> ExitCode {
        let csvPath = try arguments.required("csv")
        let target = try arguments.required("target")
        let bad = try arguments.required("bad")
        let out = try arguments.required("out")
        let table = try ModelFiles.table(csvPath)
        var options = ScorecardTrainingOptions()
        options.name = arguments.value("name") ?? ModelFiles.defaultName(out)
        options.version = arguments.value("version") ?? "1"
        options.excludedColumns = columns(arguments.value("exclude"))
        options.categoricalColumns = columns(arguments.value("categorical"))
        let trained: ScorecardTrainingResult
        do { trained = try Scorecard.trainReporting(table: table, target: target, bad: bad, options: options) } catch {
            switch error {
            case .unknownExcludedColumn(let name): throw InputError("--exclude names '\(name)', which is not a column of \(csvPath)")
            case .unknownCategoricalColumn(let name):
                throw InputError("--categorical names '\(name)', which is not a column of \(csvPath)")
            default: throw InputError("\(csvPath): \(error)")
            }
        }
        let scorecard = trained.scorecard
        try ModelFiles.write(try scorecard.jsonData(), to: out)
        context.console.out("scorecard \(scorecard.identity.name) version \(scorecard.identity.version): \(scorecard.features.count) features")
        for feature in scorecard.features {
            let iv = String(format: "%.4f", feature.informationValue)
            context.console.out("  \(feature.name)  IV \(iv)  \(feature.bins.count) bins")
        }
        for line in leftOut(trained.candidates) { context.console.out(line) }
        let report = try EvaluationReport.evaluate(model: scorecard, table: table, target: BinaryTarget(column: target, bad: bad))
        context.console.out("training AUC \(String(format: "%.4f", report.evaluation.auc)); wrote \(out)")
        return .success
    }

    /// A line for each candidate left out of the model and why, and a warning for each column binned as categories
    /// because of a few cells that are not numbers.
    static func leftOut(_ candidates: [ScorecardCandidate]) -> [String] {
        var lines: [String] = []
        for candidate in candidates {
            let iv = candidate.informationValue.map { String(format: "%.4f", $0) } ?? "-"
            switch candidate.outcome {
            case .kept: break
            case .empty: lines.append("  left out \(candidate.name): no values")
            case .belowInformationValue(let threshold):
                lines.append("  left out \(candidate.name): IV \(iv) below \(threshold)")
            case .negativeCoefficient: lines.append("  left out \(candidate.name): IV \(iv), negative coefficient in the fit")
            }
            if let odd = candidate.nonNumberInNumbers {
                lines.append(
                    "  warning: \(candidate.name) was binned as categories because of \(odd.count) cell(s) that are not numbers, "
                        + "first '\(odd.cell)' on line \(odd.line); clean them, or name the column in --categorical if meant")
            }
        }
        return lines
    }

    private static func columns(_ list: String?) -> Set<String> {
        Set((list ?? "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty })
    }
}

/// `paylater model import-lightgbm`: a LightGBM text model as a Paylater model file.
enum ModelImportLightGBMCommand: Command {
    static let spec = CommandSpec(
        path: ["model", "import-lightgbm"],
        summary: "Import a LightGBM text model (Booster.save_model) as a Paylater model file.",
        discussion: """
            Binary models with numeric and categorical splits and any missing-value handling are supported; \
            multiclass, linear trees and other objectives are refused with the line at fault. Scores equal \
            LightGBM's predict(raw_score=True). Categorical features take LightGBM's integer category codes.
            Exit codes: 0 success, 2 a usage mistake or a bad file.
            """,
        options: [
            .value("in", "MODEL.txt", "The LightGBM text model."),
            .value("out", "MODEL.json", "Where to write the Paylater model."),
            .value("name", "NAME", "The model's name (default: the output file's name)."),
            .value("version", "VERSION", "The model's version (default: 1)."),
        ])

    static func run(_ arguments: ParsedArguments, _ context: CommandContext) throws -> ExitCode {
        let input = try arguments.required("in")
        let out = try arguments.required("out")
        let text = try InputFile.text(input, maximumBytes: ModelFiles.modelSizeMaximum)
        let model: TreeEnsemble
        do {
            model = try TreeEnsemble(
                lightGBMText: text, name: arguments.value("name") ?? ModelFiles.defaultName(out),
                version: arguments.value("version") ?? "1")
        } catch {
            throw InputError("\(input): \(error.description)")
        }
        try ModelFiles.write(model.jsonArtifact(), to: out)
        context.console.out(
            "imported \(model.trees.count) trees over \(model.featureNames.count) features as \(model.identity.name) version \(model.identity.version); wrote \(out)")
        return .success
    }
}

/// `paylater model score`: one probability of the bad outcome per input row.
enum ModelScoreCommand: Command {
    static let spec = CommandSpec(
        path: ["model", "score"],
        summary: "Score every row of a CSV file with a model; writes one probability of bad per row.",
        discussion: """
            SCORES.csv has the header 'score' and one line per input row, in input order, with the probability \
            of the bad outcome written with 17 significant digits. Columns the model does not use are ignored; \
            a column it needs that is absent counts as missing.
            Exit codes: 0 success, 2 a usage mistake or a bad file (the line of a row that cannot be scored).
            """,
        options: [
            .value("model", "MODEL.json", "A model file from 'model train' or 'model import-lightgbm'."),
            .value("csv", "FILE", "The rows to score."),
            .value("out", "SCORES.csv", "Where to write the scores."),
        ])

    static func run(_ arguments: ParsedArguments, _ context: CommandContext) throws -> ExitCode {
        let model = try ModelFiles.model(try arguments.required("model"))
        let csvPath = try arguments.required("csv")
        let out = try arguments.required("out")
        let table = try ModelFiles.table(csvPath)
        var lines = ["score"]
        lines.reserveCapacity(table.rows.count + 1)
        for (index, row) in table.featureRows().enumerated() {
            do { lines.append(String(format: "%.17g", try model.score(row).probabilityOfBad)) } catch {
                throw InputError("\(csvPath): line \(table.lineNumbers[index]): \(error.description)")
            }
        }
        try ModelFiles.write(Data((lines.joined(separator: "\n") + "\n").utf8), to: out)
        context.console.out("scored \(table.rows.count) rows with \(model.identity.name) version \(model.identity.version); wrote \(out)")
        return .success
    }
}

/// `paylater model evaluate`: AUC, KS, Gini, calibration and information values on labelled data.
enum ModelEvaluateCommand: Command {
    static let spec = CommandSpec(
        path: ["model", "evaluate"],
        summary: "Evaluate a model on a labelled CSV: AUC, KS, Gini, calibration by band, information values, PSI.",
        discussion: """
            With --reference FILE, the population stability index of this file's scores against the reference \
            file's scores is added (bins at the reference's deciles). --json prints the report as JSON.
            Exit codes: 0 success, 2 a usage mistake or a bad file.
            """,
        options: [
            .value("model", "MODEL.json", "A model file."),
            .value("csv", "FILE", "Labelled rows."),
            .value("target", "COLUMN", "The outcome column."),
            .value("bad", "VALUE", "The target value that means bad."),
            .value("reference", "FILE", "Rows whose score distribution is the baseline for the PSI."),
            .flag("json", "Print JSON instead of a table."),
        ])

    static func run(_ arguments: ParsedArguments, _ context: CommandContext) throws -> ExitCode {
        let model = try ModelFiles.model(try arguments.required("model"))
        let csvPath = try arguments.required("csv")
        let target = BinaryTarget(column: try arguments.required("target"), bad: try arguments.required("bad"))
        let table = try ModelFiles.table(csvPath)
        var reference: [Double]?
        if let referencePath = arguments.value("reference") {
            let referenceTable = try ModelFiles.table(referencePath)
            reference = try referenceTable.featureRows().enumerated().map { index, row throws(InputError) in
                do { return try model.score(row).probabilityOfBad } catch {
                    throw InputError("\(referencePath): line \(referenceTable.lineNumbers[index]): \(error)")
                }
            }
            guard reference?.isEmpty == false else { throw InputError("\(referencePath): there are no rows to compare against") }
        }
        let report: EvaluationReport
        do {
            report = try EvaluationReport.evaluate(model: model, table: table, target: target, referenceProbabilities: reference)
        } catch {
            throw InputError("\(csvPath): \(error)")
        }
        context.console.out(arguments.flag("json") ? String(decoding: try report.jsonData(), as: UTF8.self) : report.text())
        return .success
    }
}
