import Foundation
import PaylaterApp
import PaylaterLedger
import PaylaterStore
import PaylaterTestSupport
import PaylaterTime
import Testing

/// Several real `paylater` processes working on one store at the same time, as several nodes would.
@Suite("Several processes on one store")
struct MultiProcessTests {
    /// The counts in an import's closing line, "imported N lines: X created, Y exist, Z rejected".
    static func summary(_ output: String) -> (created: Int, exist: Int, rejected: Int)? {
        guard let line = output.split(separator: "\n").last(where: { $0.hasPrefix("imported ") }) else { return nil }
        let numbers = line.split(whereSeparator: { !$0.isNumber }).compactMap { Int($0) }
        guard numbers.count == 4 else { return nil }
        return (numbers[1], numbers[2], numbers[3])
    }

    @Test("two processes importing the same journal at once record every transfer exactly once",
          arguments: StoreKind.available)
    func sameJournalTwice(kind: StoreKind) throws {
        let store = try TestStore(kind)
        let scratch = ScratchDirectory()
        let (text, expected) = CrashSafetyTests.journal(seed: 11, accountCount: 20, transferCount: 6_000)
        let journal = scratch.file("journal.jsonl", text)
        let arguments = ["ledger", "import", "--file", journal, "--batch", "250"] + store.arguments
        let importers = try [PaylaterProcess(arguments), PaylaterProcess(arguments)]
        let results = importers.map { $0.finish() }
        for result in results { #expect(result.status == 0, "\(result.output)") }
        let summaries = results.compactMap { Self.summary($0.output) }
        try #require(summaries.count == 2, "\(results.map(\.output))")
        #expect(summaries[0].created + summaries[1].created == 6_020, "each line is created by exactly one process")
        #expect(summaries[0].exist + summaries[1].exist == 6_020, "and found existing by the other")
        #expect(try CrashSafetyTests.run(["ledger", "verify"] + store.arguments).status == 0)
        try CrashSafetyTests.expectTotals(expected, in: store)
    }

    @Test("holds placed by two processes at once never exceed the credit limit", arguments: StoreKind.available)
    func holdsAcrossProcesses(kind: StoreKind) throws {
        let store = try TestStore(kind)
        let scratch = ScratchDirectory()
        let setup = scratch.file("setup.jsonl", """
            {"op":"open","id":"line:available","currency":"CNY","code":9100,"flags":["debits_must_not_exceed_credits"]}
            {"op":"open","id":"line:used","currency":"CNY","code":9110}
            {"op":"open","id":"line:source","currency":"CNY","code":9000}
            {"op":"transfer","id":"limit","kind":"posted","debit":"line:source","credit":"line:available","amount":"1000.00","currency":"CNY","code":100}
            """)
        #expect(try CrashSafetyTests.run(["ledger", "import", "--file", setup] + store.arguments).status == 0)
        var random = SplitMix64(seed: 5)
        let journals = ["a", "b"].map { prefix in
            scratch.file("\(prefix).jsonl", (0..<150).map { index in
                let units = random.int64(in: 500...1_499)
                return #"{"op":"transfer","id":"\#(prefix)-\#(index)","kind":"pending","debit":"line:available","credit":"line:used","amount":"\#(units / 100).\#(String(format: "%02d", units % 100))","currency":"CNY","code":110,"timeout_seconds":3600}"#
            }.joined(separator: "\n"))
        }
        let importers = try journals.map { try PaylaterProcess(["ledger", "import", "--file", $0, "--batch", "1"] + store.arguments) }
        let results = importers.map { $0.finish() }
        let summaries = results.compactMap { Self.summary($0.output) }
        try #require(summaries.count == 2, "\(results.map(\.output))")
        for (result, summary) in zip(results, summaries) {
            #expect(result.status == (summary.rejected == 0 ? 0 : 1), "\(result.output)")
        }
        let ledger = LedgerService(database: store.database, clock: store.clock)
        let available = try #require(try ledger.account(try AccountID("line:available")))
        let held = available.balance.debitsPending
        #expect(held <= available.balance.creditsPosted, "the holds exceed the limit")
        #expect(held > 100_000 - 1_500, "300 holds of 5-15 CNY should use up a 1,000 CNY line")
        let pending = try store.database.read { try $0.query("SELECT COUNT(*) FROM ledger_pending WHERE state = 0", [])[0].int64(0) }
        #expect(Int(pending) == summaries[0].created + summaries[1].created)
        #expect(summaries[0].rejected + summaries[1].rejected == 300 - Int(pending))
        #expect(try CrashSafetyTests.run(["ledger", "verify"] + store.arguments).status == 0)
    }
}
