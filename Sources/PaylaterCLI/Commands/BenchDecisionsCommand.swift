import Foundation
import PaylaterApp
import PaylaterLedger
import PaylaterMoney
import PaylaterSQLite
import PaylaterUnderwriting

/// `paylater bench decisions`: in-process latency of one credit decision with a given model as champion.
enum BenchDecisionsCommand: Command {
    /// The policy used when none is given: the example policy, read from the directory the command runs in.
    static let defaultPolicyPath = "config/policy.example.json"
    /// The largest policy file accepted; real policies are a few kilobytes.
    static let policySizeMaximum = 1 << 20

    static let spec = CommandSpec(
        path: ["bench", "decisions"],
        summary: "Measure decision latency: feature row plus DecisionEngine.decide in process, or through the service.",
        discussion: """
            Generates seeded synthetic applications whose features are drawn from the model (a scorecard's bins, \
            a tree ensemble's split ranges and category codes) and whose contexts pass the knock-outs and velocity \
            rules, so every decision reaches the model. Warms up, then times each decision on the monotonic clock. \
            Prints p50, p90, p99 and max latency, decisions per second, and the outcome mix. With --store, each \
            decision goes through the underwriting service instead: context gathered from a fresh temporary \
            SQLite store (funded with ample capacity, every application a new shopper), decision and snapshot \
            stored in one transaction.
            Exit codes: 0 success, 2 a usage mistake or a bad file.
            """,
        options: [
            .value("model", "MODEL.json", "The champion: a file from 'model train' or 'model import-lightgbm'."),
            .value("policy", "FILE", "The credit policy JSON (default \(defaultPolicyPath))."),
            .value("decisions", "N", "How many timed decisions (default 50000)."),
            .value("warm-up", "N", "Decisions taken before timing starts (default 1000)."),
            .value("seed", "S", "Seed of the synthetic applications (default 42)."),
            .flag("store", "Decide through the underwriting service on a temporary SQLite store."),
            .value("durability", "MODE", "With --store: full (commits survive a power cut) or normal (default full)."),
        ])

    static func run(_ arguments: ParsedArguments, _ context: CommandContext) throws -> ExitCode {
        let model = try ModelFiles.model(try arguments.required("model"))
        let policyPath = arguments.value("policy") ?? defaultPolicyPath
        let policyData = try InputFile.data(policyPath, maximumBytes: policySizeMaximum)
        let policy: CreditPolicy
        do { policy = try CreditPolicy(json: policyData) } catch { throw InputError("\(policyPath): \(error)") }
        let configuration = DecisionBenchmark.Configuration(
            decisions: try arguments.integer("decisions", in: 1...10_000_000, default: 50_000),
            warmUpDecisions: try arguments.integer("warm-up", in: 0...10_000_000, default: 1_000),
            seed: UInt64(try arguments.integer("seed", in: 0...Int.max, default: 42)))
        context.console.out(
            "bench decisions: \(configuration.decisions) decisions after \(configuration.warmUpDecisions) warm-up, "
                + "model \(model.identity.name) version \(model.identity.version) (\(kind(model)), "
                + "\(model.featureNames.count) features), policy \(policy.id) v\(policy.version), "
                + "seed \(configuration.seed)")
        let benchmark = DecisionBenchmark(configuration, policy: policy, model: model)
        let report: DecisionBenchmark.Report
        if arguments.flag("store") {
            let durability = try arguments.choice("durability", default: SQLiteDurability.full)
            context.console.out("through UnderwritingService.decide on SQLite, durability \(durability.rawValue)")
            report = try runOnStore(benchmark, durability: durability, context)
        } else {
            context.console.out("DecisionEngine.decide in process, no storage")
            report = try benchmark.run()
        }
        for percent in [50, 90, 99, 100] {
            let label = percent == 100 ? "max" : "p\(percent)"
            context.console.out("\(label) \(microseconds(report.latencyNanoseconds(percentile: percent))) µs")
        }
        let elapsed = report.elapsedNanoseconds / 1_000_000
        context.console.out("\(report.decisionsPerSecond) decisions/s (\(elapsed) ms, one thread)")
        context.console.out(
            "outcomes: \(report.approved) approved, \(report.referred) referred, \(report.declined) declined; "
                + "\(report.scored) scored by the model")
        return .success
    }

    /// Opens a fresh temporary SQLite store, funds the platform far beyond the run's orders, and runs there.
    private static func runOnStore(
        _ benchmark: DecisionBenchmark, durability: SQLiteDurability, _ context: CommandContext
    ) throws -> DecisionBenchmark.Report {
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("paylater-bench-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let runtime = try PaylaterRuntime.open(.dataDirectory(directory), durability: durability, clock: context.clock)
        let currency = benchmark.policy.currencies.contains(.CNY) ? Currency.CNY : benchmark.policy.currencies[0]
        _ = try runtime.creditLines.setFundingCapacity(
            Money(minorUnits: 1_000_000_000_00, currency: currency), changeID: try TransferID("bench-capacity"))
        let service = try UnderwritingService(
            database: runtime.database, clock: context.clock, policy: benchmark.policy,
            models: CreditModels(champion: benchmark.model))
        return try benchmark.run(service: service, runID: "1")
    }

    private static func kind(_ model: any CreditModel) -> String {
        switch model {
        case is Scorecard: "scorecard"
        case let ensemble as TreeEnsemble: "\(ensemble.trees.count) trees"
        default: "model"
        }
    }

    /// Nanoseconds as microseconds with one decimal.
    private static func microseconds(_ nanoseconds: Int64) -> String {
        String(format: "%.1f", Double(nanoseconds) / 1_000)
    }
}
