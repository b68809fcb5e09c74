import Foundation
import PaylaterApp
import PaylaterLedger
import PaylaterSQLite
import PaylaterTime

/// `paylater bench ledger`: measures transfers per second on the embedded store.
enum BenchLedgerCommand: Command {
    static let spec = CommandSpec(
        path: ["bench", "ledger"],
        summary: "Measure ledger throughput: random transfers in batches, one transaction a batch.",
        discussion: """
            Runs in a fresh temporary data directory unless --data-dir or --database is given, and removes it \
            afterwards. Every commit is durable (--durability full for SQLite; PostgreSQL's own settings) unless \
            told otherwise. --connections submits batches from that many threads at once. Prints transfers per second.
            """,
        options: [
            CommonOptions.dataDirectory, CommonOptions.database,
            .value("transfers", "N", "How many transfers (default 100000)."),
            .value("batch", "B", "Transfers per transaction, 1 to \(LedgerEngine.batchSizeMaximum) (default 8000)."),
            .value("accounts", "A", "How many accounts the transfers move between (default 10000)."),
            .value("seed", "S", "Seed of the random load (default 42)."),
            .value("durability", "MODE", "SQLite: full (every commit survives a power cut) or normal (default full)."),
            .value("connections", "C", "Threads submitting at once, each with its own connection (default 1)."),
        ])

    static func run(_ arguments: ParsedArguments, _ context: CommandContext) throws -> ExitCode {
        let configuration = LedgerBenchmark.Configuration(
            transfers: try arguments.integer("transfers", in: 1...10_000_000, default: 100_000),
            batchSize: try arguments.integer("batch", in: 1...LedgerEngine.batchSizeMaximum, default: 8_000),
            accounts: try arguments.integer("accounts", in: 2...1_000_000, default: 10_000),
            seed: UInt64(try arguments.integer("seed", in: 0...Int.max, default: 42)),
            connections: try arguments.integer("connections", in: 1...256, default: 1))
        let durability = try arguments.choice("durability", default: SQLiteDurability.full)
        let named = arguments.value("data-dir") != nil || arguments.value("database") != nil
            || context.environment[StoreLocation.databaseURLVariable].map { !$0.isEmpty } == true
        let temporary = FileManager.default.temporaryDirectory.appendingPathComponent("paylater-bench-\(UUID().uuidString)").path
        defer { if !named { try? FileManager.default.removeItem(atPath: temporary) } }
        let location = named ? try CommonOptions.location(arguments, context) : .dataDirectory(temporary)
        let runtime = try PaylaterRuntime.open(
            location, durability: durability, connections: configuration.connections, clock: context.clock)
        let runID = String(context.clock.now().nanosecondsSinceUnixEpoch, radix: 36)
        let store = if case .dataDirectory = location { "SQLite durability \(durability.rawValue)" } else { "\(location)" }
        context.console.out(
            "bench ledger: \(configuration.transfers) transfers in batches of \(configuration.batchSize) between "
                + "\(configuration.accounts) accounts, \(store), \(configuration.connections) connection(s), seed \(configuration.seed)")
        let report = try LedgerBenchmark(configuration).run(on: runtime.ledger, runID: runID)
        let milliseconds = report.elapsed.components.seconds * 1000 + report.elapsed.components.attoseconds / 1_000_000_000_000_000
        context.console.out(
            "\(report.transfersPerSecond) transfers/s (\(report.transfers) transfers, \(report.batches) batches, "
                + "\(milliseconds) ms, \(report.rejected) rejected)")
        return report.rejected == 0 ? .success : .failure
    }
}
