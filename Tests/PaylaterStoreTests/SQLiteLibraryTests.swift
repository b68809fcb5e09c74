import Foundation
@testable import PaylaterSQLite
import PaylaterStore
import PaylaterTestSupport
import Testing

@Suite("SQLite library settings")
struct SQLiteLibraryTests {
    /// Runs `body` with a new database file in a fresh directory, removed afterwards.
    static func withNewDatabase(_ body: (SQLiteDatabase) throws -> Void) throws {
        try withTemporaryDirectory("sqlite-lib") { directory in
            try body(try SQLiteDatabase(path: directory.appendingPathComponent("store.sqlite").path))
        }
    }

    /// With its memory statistics on, SQLite takes a process-wide mutex around each of its allocations (hundreds per
    /// authorization on the single writer). Nothing reads them, so the first connection turns them off.
    @Test("SQLite counts no memory once a database is opened and written")
    func memoryStatisticsAreOff() throws {
        try Self.withNewDatabase { database in
            try database.write { connection in
                try connection.executeScript("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT NOT NULL)")
                try connection.execute("INSERT INTO notes (body) VALUES (?)", [.text(String(repeating: "x", count: 10_000))])
            }
            let count = try database.read { connection in try connection.query("SELECT count(*) FROM notes", [])[0].int64(0) }
            #expect(count == 1)
            #expect(SQLiteConnection.memoryCountedBySQLite == 0)
        }
    }

    /// Every kind of bound text must come back as it went in (an empty text as '', not NULL; inline and heap
    /// strings; a NUL inside; texts of a batch, row by row), including while an enclosing statement still steps
    /// over its own bound texts, and a refused binding leaves the connection usable.
    @Test("bound texts come back exactly: empty, small, large, non-ASCII, with a NUL, batched and nested")
    func textsBoundInPlace() throws {
        let texts = [
            "", "a", "fifteen bytes..", "sixteen bytes...", String(repeating: "long ", count: 2_000), "ünï 码 🚀",
            "nul\u{0}inside", String("[substring]".dropFirst().dropLast()),
        ]
        try Self.withNewDatabase { database in
            try database.write { connection in
                try connection.executeScript("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT, tag TEXT NOT NULL)")
                let inserted = try connection.executeBatch(
                    "INSERT INTO notes (id, body, tag) VALUES (?, ?, ?)",
                    texts.enumerated().map { [.integer(Int64($0.offset)), .text($0.element), .text("tag-\($0.offset)")] })
                #expect(inserted == texts.count)
                #expect(throws: StoreError.self) { try connection.execute("INSERT INTO notes (body) VALUES (?)", []) }
            }
            try database.read { connection in
                let rows = try connection.query("SELECT body, typeof(body), length(CAST(body AS BLOB)) FROM notes ORDER BY id", [])
                #expect(try rows.map { try $0.text(0) } == texts)
                #expect(try rows.map { try $0.text(1) } == Array(repeating: "text", count: texts.count))
                #expect(try rows.map { try $0.int64(2) } == texts.map { Int64($0.utf8.count) })
                // An enclosing statement keeps stepping over its own bound texts while inner ones bind theirs.
                var found: [String] = []
                try connection.forEachRow("SELECT tag FROM notes WHERE tag >= ? ORDER BY id", [.text("tag-")]) { row in
                    let tag = try row.text(0)
                    let body = try connection.query("SELECT body FROM notes WHERE tag = ?", [.text(tag)])[0].text(0)
                    found.append(body)
                }
                #expect(found == texts)
                #expect(try connection.query("SELECT count(*) FROM notes WHERE body = ?", [.text("")])[0].int64(0) == 1)
            }
        }
    }

    @Test("a new database file gets the store's page size")
    func pageSize() throws {
        try Self.withNewDatabase { database in
            let size = try database.read { connection in try connection.query("PRAGMA page_size", [])[0].int64(0) }
            #expect(size == Int64(SQLiteConnection.pageSize))
            #expect(SQLiteConnection.pageSize == 8_192)
        }
    }

    /// The statement cache hashes a text's length and ends only (`SQLiteConnection.StatementText`): statements that
    /// share them must still each run as written, however often they alternate.
    @Test("statements alike in length and both ends run as written, each from the cache")
    func statementsAlikeAtBothEnds() throws {
        let padding = String(repeating: "x", count: SQLiteConnection.StatementText.sampledBytes + 8)
        let texts = (0..<4).map { "SELECT '\(padding)', \($0) AS n, '\(padding)'" }
        #expect(Set(texts.map(\.utf8.count)).count == 1)
        #expect(Set(texts.map(SQLiteConnection.StatementText.init).map(\.hashValue)).count == 1)
        try Self.withNewDatabase { database in
            let answers = try database.read { connection in
                try (0..<3).flatMap { _ in try texts.map { try connection.query($0, [])[0].int64(1) } }
            }
            #expect(answers == [0, 1, 2, 3, 0, 1, 2, 3, 0, 1, 2, 3])
        }
    }

    /// The sampled bytes are folded into one word before hashing (`StatementText.fold`): a change of any one
    /// sampled byte, or of the length, must give another word, or statements would crowd into one bucket.
    @Test("the statement key's folded word changes with each sampled byte and with the length")
    func foldedWordSeesEverySampledByte() {
        let sample = SQLiteConnection.StatementText.sampledBytes
        let text = Array("SELECT a, b, c FROM ledger_accounts WHERE id = ? AND currency = ? ORDER BY seq".utf8)
        func fold(_ bytes: [UInt8]) -> UInt64 {
            bytes.withUnsafeBytes { SQLiteConnection.StatementText.fold($0, sampling: sample) }
        }
        let original = fold(text)
        let sampled = Array(0..<sample) + Array((text.count - sample)..<text.count)
        for position in sampled {
            for flip: UInt8 in [1, 0x20, 0x80] {
                var changed = text
                changed[position] ^= flip
                #expect(fold(changed) != original, "byte \(position) changed by \(flip)")
            }
        }
        let middle = text.count / 2
        var unsampled = text
        unsampled[middle] ^= 1
        #expect(fold(unsampled) == original)
        #expect(fold(text + [UInt8(ascii: " ")]) != original)
    }
}
