import Foundation
import PaylaterApp
import PaylaterLedger
import PaylaterStore
import PaylaterTestSupport
import PaylaterTime
import Testing

/// Kills a real `paylater` process in the middle of a large import and checks nothing was half written.
@Suite("Crash safety")
struct CrashSafetyTests {
    static let batchSize = 4_000
    static let accountCount = 50
    static let transferCount = 36_000
    static let totalLines = accountCount + transferCount

    /// The `paylater` executable built next to this test binary (or $PAYLATER_BINARY).
    static var binary: URL {
        if let override = ProcessInfo.processInfo.environment["PAYLATER_BINARY"] { return URL(fileURLWithPath: override) }
        let testBinary = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        return testBinary.deletingLastPathComponent().appendingPathComponent("paylater")
    }

    /// A journal of accounts and random transfers, and the totals each account should end with.
    static func journal(
        seed: UInt64, accountCount: Int = accountCount, transferCount: Int = transferCount
    ) -> (text: String, expected: [String: (debits: Int64, credits: Int64)]) {
        var random = SplitMix64(seed: seed)
        var lines = (0..<accountCount).map { #"{"op":"open","id":"acct-\#($0)","currency":"CNY","code":1}"# }
        var expected: [String: (debits: Int64, credits: Int64)] = [:]
        for index in 0..<transferCount {
            let debit = Int.random(in: 0..<accountCount, using: &random)
            let credit = (debit + Int.random(in: 1..<accountCount, using: &random)) % accountCount
            let units = Int64.random(in: 1...99_999, using: &random)
            let amount = "\(units / 100).\(units % 100 < 10 ? "0" : "")\(units % 100)"
            lines.append(#"{"op":"transfer","id":"t-\#(index)","kind":"posted","debit":"acct-\#(debit)","credit":"acct-\#(credit)","amount":"\#(amount)","currency":"CNY","code":990}"#)
            expected["acct-\(debit)", default: (0, 0)].debits += units
            expected["acct-\(credit)", default: (0, 0)].credits += units
        }
        return (lines.joined(separator: "\n") + "\n", expected)
    }

    static func run(_ arguments: [String]) throws -> (status: Int32, output: String) {
        try PaylaterProcess(arguments).finish()
    }

    @Test("SIGKILL in the middle of an import leaves whole batches; a rerun completes the journal exactly once",
          arguments: StoreKind.available)
    func killDuringImport(kind: StoreKind) throws {
        try #require(FileManager.default.isExecutableFile(atPath: Self.binary.path), "build paylater first: \(Self.binary.path)")
        let store = try TestStore(kind)
        let scratch = ScratchDirectory()
        let (text, expected) = Self.journal(seed: 7)
        let journal = scratch.file("journal.jsonl", text)
        let totalLines = Self.totalLines
        #expect(try Self.run(["init"] + store.arguments).status == 0)

        let importer = Process()
        importer.executableURL = Self.binary
        importer.arguments = ["ledger", "import", "--file", journal, "--batch", "\(Self.batchSize)"] + store.arguments
        let pipe = Pipe()
        importer.standardOutput = pipe
        try importer.run()
        var seen = ""
        while !seen.contains("batch 2 ") {
            let chunk = pipe.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            seen += String(decoding: chunk, as: UTF8.self)
        }
        usleep(30_000)  // into batch 3's transaction
        kill(importer.processIdentifier, SIGKILL)
        importer.waitUntilExit()
        #expect(importer.terminationReason == .uncaughtSignal, "the importer finished before it could be killed: \(seen)")

        let verify = try Self.run(["ledger", "verify"] + store.arguments)
        #expect(verify.status == 0, "\(verify.output)")
        let committed = try Self.committedLines(store)
        #expect(committed % Self.batchSize == 0, "a batch was half written: \(committed) lines committed")
        #expect(committed >= 2 * Self.batchSize && committed < totalLines, "\(committed) lines committed")

        let rerun = try Self.run(["ledger", "import", "--file", journal, "--batch", "\(Self.batchSize)"] + store.arguments)
        #expect(rerun.status == 0, "\(rerun.output)")
        #expect(rerun.output.contains(
            "imported \(totalLines) lines: \(totalLines - committed) created, \(committed) exist, 0 rejected"), "\(rerun.output)")
        #expect(try Self.run(["ledger", "verify"] + store.arguments).status == 0)
        try Self.expectTotals(expected, in: store)
    }

    /// Every account of a journal ends with exactly the totals the journal adds up to.
    static func expectTotals(_ expected: [String: (debits: Int64, credits: Int64)], in store: TestStore) throws {
        let ledger = LedgerService(database: store.database, clock: store.clock)
        let accounts = try ledger.accounts(Set(expected.keys.map { try AccountID($0) }))
        for (id, totals) in expected {
            let balance = accounts[try AccountID(id)]?.balance
            #expect(balance?.debitsPosted == totals.debits && balance?.creditsPosted == totals.credits, "\(id)")
        }
    }

    /// Journal lines committed so far: accounts opened plus transfers recorded.
    static func committedLines(_ store: TestStore) throws -> Int {
        try store.database.read { connection in
            let transfers = try connection.query("SELECT COUNT(*) FROM ledger_transfers", [])[0].int64(0)
            let accounts = try connection.query("SELECT COUNT(*) FROM ledger_accounts WHERE id LIKE 'acct-%'", [])[0].int64(0)
            return Int(transfers + accounts)
        }
    }
}

/// A `paylater` child process whose standard output and error are collected.
struct PaylaterProcess {
    let process = Process()
    private let pipe = Pipe()

    /// Starts `paylater` with `arguments`, in `directory` if given (else this process's).
    init(_ arguments: [String], in directory: URL? = nil) throws {
        process.executableURL = CrashSafetyTests.binary
        process.arguments = arguments
        process.currentDirectoryURL = directory
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
    }

    /// Waits for the process to end; its exit status and everything it printed.
    func finish() -> (status: Int32, output: String) {
        let output = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: output, as: UTF8.self))
    }
}
