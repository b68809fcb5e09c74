import Foundation
import PaylaterApp
import PaylaterLedger

/// `paylater ledger import --file F`: opens accounts and submits transfers from a journal, one transaction a batch.
enum LedgerImportCommand: Command {
    /// The largest journal accepted, in bytes.
    static let fileSizeMaximum = 1 << 30

    static let spec = CommandSpec(
        path: ["ledger", "import"],
        summary: "Apply a journal of accounts and transfers (JSON Lines) in atomic batches.",
        discussion: """
            Each batch of lines commits as one transaction: a crash leaves whole batches or nothing. Ids are \
            idempotency keys, so running the same journal again completes it exactly once: what was committed \
            reports 'exists'. See JournalLine.swift or the README for the line format.
            Exit codes: 0 every line applied or already present, 1 some transfer or account was rejected, \
            2 a usage mistake or a malformed line (nothing is applied when any line is malformed).
            """,
        options: [
            CommonOptions.dataDirectory, CommonOptions.database,
            .value("file", "PATH", "The journal file."),
            .value("batch", "N", "Lines per transaction, 1 to \(LedgerEngine.batchSizeMaximum) (default 1000)."),
        ])

    static func run(_ arguments: ParsedArguments, _ context: CommandContext) throws -> ExitCode {
        let path = try arguments.required("file")
        let batchSize = try arguments.integer("batch", in: 1...LedgerEngine.batchSizeMaximum, default: 1000)
        let entries = try readJournal(path)
        let ledger = try CommonOptions.open(arguments, context).ledger
        var totals = (created: 0, exists: 0, rejected: 0)
        var batchNumber = 0
        for start in stride(from: 0, to: entries.count, by: batchSize) {
            batchNumber += 1
            let batch = entries[start..<min(start + batchSize, entries.count)]
            let counts = try apply(batch, firstLine: start + 1, ledger, context.console)
            totals = (totals.created + counts.created, totals.exists + counts.exists, totals.rejected + counts.rejected)
            context.console.out(
                "batch \(batchNumber) (lines \(start + 1)-\(start + batch.count)): \(counts.created) created, "
                    + "\(counts.exists) exist, \(counts.rejected) rejected")
        }
        context.console.out("imported \(entries.count) lines: \(totals.created) created, \(totals.exists) exist, \(totals.rejected) rejected")
        return totals.rejected == 0 ? .success : .failure
    }

    private static func readJournal(_ path: String) throws -> [JournalLine.Entry] {
        let text = try InputFile.text(path, maximumBytes: fileSizeMaximum)
        let decoder = JSONDecoder()
        var entries: [JournalLine.Entry] = []
        for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated()
        where !line.allSatisfy(\.isWhitespace) {
            entries.append(try JournalLine.parse(line, lineNumber: index + 1, decoder: decoder))
        }
        return entries
    }

    private static func apply(
        _ batch: ArraySlice<JournalLine.Entry>, firstLine: Int, _ ledger: LedgerService, _ console: any Console
    ) throws -> (created: Int, exists: Int, rejected: Int) {
        var accounts: [NewAccount] = []
        var transfers: [TransferRequest] = []
        for entry in batch {
            switch entry {
            case let .open(account): accounts.append(account)
            case let .transfer(transfer): transfers.append(transfer)
            }
        }
        let (accountResults, transferResults) = try ledger.apply(accounts: accounts, transfers: transfers)
        var counts = (created: 0, exists: 0, rejected: 0)
        for (index, result) in accountResults.enumerated() {
            switch result {
            case .created: counts.created += 1
            case .exists: counts.exists += 1
            case let .rejected(reason):
                counts.rejected += 1
                console.error("account \(accounts[index].id): \(reason)")
            }
        }
        for (index, result) in transferResults.enumerated() {
            switch result {
            case .created: counts.created += 1
            case .exists: counts.exists += 1
            case let .rejected(reason):
                counts.rejected += 1
                console.error("transfer \(transfers[index].id): \(reason)")
            }
        }
        return counts
    }
}
