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

    @Test("a new database file gets the store's page size")
    func pageSize() throws {
        try Self.withNewDatabase { database in
            let size = try database.read { connection in try connection.query("PRAGMA page_size", [])[0].int64(0) }
            #expect(size == Int64(SQLiteConnection.pageSize))
            #expect(SQLiteConnection.pageSize == 8_192)
        }
    }
}
