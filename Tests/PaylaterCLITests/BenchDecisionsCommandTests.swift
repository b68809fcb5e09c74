import Foundation
import Testing

@Suite("paylater bench decisions")
struct BenchDecisionsCommandTests {
    /// The repository's example policy, found from this file rather than from the working directory.
    static let examplePolicy = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("config/policy.example.json").path

    /// The lines every run prints, whatever the timings: the four latencies, the rate and the outcome mix.
    static func expectReport(_ run: CLIRun, decisions: Int) {
        #expect(run.exitCode == 0, "\(run.errorOutput)")
        let lines = run.output.split(separator: "\n").map(String.init)
        for label in ["p50", "p90", "p99", "max"] {
            let found = lines.contains { $0.hasPrefix("\(label) ") && $0.hasSuffix(" µs") }
            #expect(found, "no \(label) line in \(run.output)")
        }
        #expect(lines.contains { $0.contains(" decisions/s (") })
        #expect(lines.contains { $0.hasPrefix("outcomes: ") && $0.hasSuffix("\(decisions) scored by the model") })
    }

    @Test("a scorecard trained on German credit: every synthetic application reaches the model")
    func scorecard() {
        let scratch = ScratchDirectory()
        let model = scratch.path + "/scorecard.json"
        let train = CLIRun([
            "model", "train", "--csv", UnderwritingFixtures.germanCredit, "--target", "creditability", "--bad", "bad",
            "--exclude", "fold", "--out", model,
        ])
        #expect(train.exitCode == 0, "\(train.errorOutput)")
        let bench = CLIRun([
            "bench", "decisions", "--model", model, "--policy", Self.examplePolicy, "--decisions", "200",
            "--warm-up", "10", "--seed", "7",
        ])
        Self.expectReport(bench, decisions: 200)
        #expect(bench.output.contains("scorecard"))
    }

    @Test("the 500-tree LightGBM import: every synthetic application reaches the model")
    func lightGBM() {
        let scratch = ScratchDirectory()
        let model = scratch.path + "/trees.json"
        let imported = CLIRun(["model", "import-lightgbm", "--in", UnderwritingFixtures.lightGBMModel, "--out", model])
        #expect(imported.exitCode == 0, "\(imported.errorOutput)")
        let bench = CLIRun([
            "bench", "decisions", "--model", model, "--policy", Self.examplePolicy, "--decisions", "200",
            "--warm-up", "10",
        ])
        Self.expectReport(bench, decisions: 200)
        #expect(bench.output.contains("500 trees"))
    }

    @Test("--store decides through the underwriting service, storing every decision, and still reaches the model")
    func throughTheStore() {
        let scratch = ScratchDirectory()
        let model = scratch.path + "/trees.json"
        let imported = CLIRun(["model", "import-lightgbm", "--in", UnderwritingFixtures.lightGBMModel, "--out", model])
        #expect(imported.exitCode == 0, "\(imported.errorOutput)")
        let bench = CLIRun([
            "bench", "decisions", "--model", model, "--policy", Self.examplePolicy, "--decisions", "20",
            "--warm-up", "2", "--store", "--durability", "normal",
        ])
        Self.expectReport(bench, decisions: 20)
        #expect(bench.output.contains("through UnderwritingService.decide on SQLite"))
    }

    @Test("a missing policy file is a usage error naming the file")
    func missingPolicy() {
        let scratch = ScratchDirectory()
        let model = scratch.path + "/trees.json"
        _ = CLIRun(["model", "import-lightgbm", "--in", UnderwritingFixtures.lightGBMModel, "--out", model])
        let bench = CLIRun(["bench", "decisions", "--model", model, "--policy", scratch.path + "/absent.json"])
        #expect(bench.exitCode == 2)
        #expect(bench.errorOutput.contains("absent.json"))
    }
}
