import Foundation
import PaylaterCLI
import Testing

/// The committed fixtures of the underwriting tests: German credit data and LightGBM models with LightGBM's scores.
enum UnderwritingFixtures {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("PaylaterUnderwritingTests/Fixtures")
    static var germanCredit: String { directory.appendingPathComponent("scorecard/germancredit.csv").path }
    static var lightGBMModel: String { directory.appendingPathComponent("lightgbm/model.txt").path }
    static var lightGBMInputs: String { directory.appendingPathComponent("lightgbm/inputs.csv").path }
    static var lightGBMExpected: String { directory.appendingPathComponent("lightgbm/expected.csv").path }

    /// The numbers of one CSV column, in row order.
    static func column(_ name: String, in path: String) throws -> [Double] {
        let lines = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n")
        let header = lines[0].split(separator: ",").map(String.init)
        let index = try #require(header.firstIndex(of: name))
        return try lines.dropFirst().map { try #require(Double($0.split(separator: ",", omittingEmptySubsequences: false)[index])) }
    }
}

@Suite("paylater model")
struct ModelCommandTests {
    @Test("train a scorecard, score every row in order, and evaluate it")
    func trainScoreEvaluate() throws {
        let scratch = ScratchDirectory()
        let model = scratch.path + "/scorecard.json"
        let train = CLIRun([
            "model", "train", "--csv", UnderwritingFixtures.germanCredit, "--target", "creditability", "--bad", "bad",
            "--exclude", "fold", "--out", model, "--name", "german", "--version", "7",
        ])
        #expect(train.exitCode == 0, "\(train.errorOutput)")
        #expect(train.output.contains("scorecard german version 7"))
        let document = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: model))) as? [String: Any])
        #expect(document["format"] as? String == "paylater-scorecard")

        let scores = scratch.path + "/scores.csv"
        let score = CLIRun(["model", "score", "--model", model, "--csv", UnderwritingFixtures.germanCredit, "--out", scores])
        #expect(score.exitCode == 0, "\(score.errorOutput)")
        let probabilities = try UnderwritingFixtures.column("score", in: scores)
        #expect(probabilities.count == 1000)
        #expect(probabilities.allSatisfy { (0...1).contains($0) })

        let evaluate = CLIRun([
            "model", "evaluate", "--model", model, "--csv", UnderwritingFixtures.germanCredit, "--target", "creditability",
            "--bad", "bad", "--json",
        ])
        #expect(evaluate.exitCode == 0, "\(evaluate.errorOutput)")
        let report = try #require(try JSONSerialization.jsonObject(with: Data(evaluate.output.utf8)) as? [String: Any])
        let evaluation = try #require(report["evaluation"] as? [String: Any])
        let auc = try #require(evaluation["auc"] as? Double)
        #expect(auc > 0.75 && auc < 0.95)
    }

    @Test("an imported LightGBM model scores every fixture row within 1e-9 of LightGBM's own probabilities")
    func importLightGBM() throws {
        let scratch = ScratchDirectory()
        let model = scratch.path + "/trees.json"
        let imported = CLIRun(["model", "import-lightgbm", "--in", UnderwritingFixtures.lightGBMModel, "--out", model])
        #expect(imported.exitCode == 0, "\(imported.errorOutput)")
        #expect(imported.output.contains("imported 500 trees"))
        let scores = scratch.path + "/scores.csv"
        let score = CLIRun(["model", "score", "--model", model, "--csv", UnderwritingFixtures.lightGBMInputs, "--out", scores])
        #expect(score.exitCode == 0, "\(score.errorOutput)")
        let ours = try UnderwritingFixtures.column("score", in: scores)
        let theirs = try UnderwritingFixtures.column("probability_model", in: UnderwritingFixtures.lightGBMExpected)
        #expect(ours.count == theirs.count)
        #expect(zip(ours, theirs).allSatisfy { abs($0 - $1) <= 1e-9 })
    }

    @Test("a malformed CSV is refused with its line number and exit code 2")
    func malformedCSV() {
        let scratch = ScratchDirectory()
        let csv = scratch.file("bad.csv", "a,target\n1,good\n2,\"bad\n")
        let run = CLIRun(["model", "train", "--csv", csv, "--target", "target", "--bad", "bad", "--out", scratch.path + "/m.json"])
        #expect(run.exitCode == 2)
        #expect(run.errorOutput.contains("line 3"))
    }

    @Test("train names what it left out, and warns of a numeric column turned into categories by one 'NaN' cell")
    func trainReportsLeftOutColumns() throws {
        let scratch = ScratchDirectory()
        var lines = try String(contentsOfFile: UnderwritingFixtures.germanCredit, encoding: .utf8)
            .split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        // duration_in_month, the second column, is numeric; line 6 of the file gets a NaN.
        lines[5] = lines[5].replacingOccurrences(of: "^([^,]*),[0-9]+,", with: "$1,NaN,", options: .regularExpression)
        let csv = scratch.file("nan.csv", lines.joined(separator: "\n"))
        let train = CLIRun([
            "model", "train", "--csv", csv, "--target", "creditability", "--bad", "bad", "--exclude", "fold",
            "--out", scratch.path + "/m.json",
        ])
        #expect(train.exitCode == 0, "\(train.errorOutput)")
        #expect(
            train.output.contains(
                "warning: duration_in_month was binned as categories because of 1 cell(s) that are not numbers, first 'NaN' on line 6"),
            "\(train.output)")
        #expect(train.output.contains("  left out "), "\(train.output)")
        let clean = CLIRun([
            "model", "train", "--csv", UnderwritingFixtures.germanCredit, "--target", "creditability", "--bad", "bad",
            "--exclude", "fold", "--out", scratch.path + "/clean.json",
        ])
        #expect(!clean.output.contains("warning:"), "\(clean.output)")
    }

    @Test("train refuses an --exclude or --categorical column the CSV does not have, naming it, exit 2")
    func trainRefusesUnknownColumns() {
        let scratch = ScratchDirectory()
        let model = scratch.path + "/m.json"
        let exclude = CLIRun([
            "model", "train", "--csv", UnderwritingFixtures.germanCredit, "--target", "creditability", "--bad", "bad",
            "--exclude", "folds", "--out", model,
        ])
        #expect(exclude.exitCode == 2)
        #expect(exclude.errorOutput.contains("--exclude names 'folds', which is not a column of"), "\(exclude.errorOutput)")
        let categorical = CLIRun([
            "model", "train", "--csv", UnderwritingFixtures.germanCredit, "--target", "creditability", "--bad", "bad",
            "--exclude", "fold", "--categorical", "nocol", "--out", model,
        ])
        #expect(categorical.exitCode == 2)
        #expect(categorical.errorOutput.contains("--categorical names 'nocol', which is not a column of"), "\(categorical.errorOutput)")
        #expect(!FileManager.default.fileExists(atPath: model))
    }

    @Test("evaluate with a reference of no rows names the reference file")
    func emptyReference() throws {
        let scratch = ScratchDirectory()
        let model = scratch.path + "/m.json"
        #expect(CLIRun([
            "model", "train", "--csv", UnderwritingFixtures.germanCredit, "--target", "creditability", "--bad", "bad",
            "--exclude", "fold", "--out", model,
        ]).exitCode == 0)
        let header = try String(contentsOfFile: UnderwritingFixtures.germanCredit, encoding: .utf8).split(separator: "\n")[0]
        let reference = scratch.file("reference.csv", "\(header)\n")
        let run = CLIRun([
            "model", "evaluate", "--model", model, "--csv", UnderwritingFixtures.germanCredit, "--target", "creditability",
            "--bad", "bad", "--reference", reference,
        ])
        #expect(run.exitCode == 2)
        #expect(run.errorOutput.contains("\(reference): there are no rows to compare against"), "\(run.errorOutput)")
    }

    @Test("a file that is not a Paylater model is refused, and so is an unknown target column")
    func badModelAndTarget() {
        let scratch = ScratchDirectory()
        let notModel = scratch.file("m.json", #"{"format":"something-else"}"#)
        let csv = scratch.file("rows.csv", "a\n1\n")
        let score = CLIRun(["model", "score", "--model", notModel, "--csv", csv, "--out", scratch.path + "/s.csv"])
        #expect(score.exitCode == 2)
        #expect(score.errorOutput.contains("unknown model format"))
        let train = CLIRun(["model", "train", "--csv", csv, "--target", "nope", "--bad", "1", "--out", scratch.path + "/m2.json"])
        #expect(train.exitCode == 2)
        #expect(train.errorOutput.contains("nope"))
    }
}
