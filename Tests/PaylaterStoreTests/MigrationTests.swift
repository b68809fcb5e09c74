import Foundation
import PaylaterPostgres
import PaylaterSQLite
@testable import PaylaterStore
import PaylaterTestSupport
import PaylaterTime
import Testing

@Suite("Schema migrations")
struct MigrationTests {
    @Test("a fresh database gets every migration, in order, once", arguments: StoreKind.available)
    func fresh(kind: StoreKind) throws {
        let store = try TestStore(kind)
        let versions = try store.database.read { connection in
            try connection.query("SELECT version FROM schema_migrations ORDER BY version", []).map { try $0.int64(0) }
        }
        #expect(versions == (1...Int64(Schema.migrations.count)).map { $0 })
        #expect(try Migrator().migrate(store.database, at: store.clock.now()) == [])
        #expect(try Migrator().currentVersion(of: store.database) == Schema.migrations.count)
    }

    /// A released migration's statements never change (the migrator refuses a database whose applied migration
    /// differs), not even by a refactoring that spells them from shared parts: its checksums are pinned here, per
    /// dialect, when it is released.
    @Test("docs/ARCHITECTURE.md lists every migration by its number and name, up to the latest")
    func architectureListsEveryMigration() throws {
        let architecture = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("docs/ARCHITECTURE.md")
        let text = try String(contentsOf: architecture, encoding: .utf8)
        for migration in Schema.migrations {
            #expect(text.contains("\(migration.version) \(migration.name)"), "docs/ARCHITECTURE.md lists \(migration.version) \(migration.name)")
        }
    }

    @Test("released migrations spell the same statements as when they were released")
    func releasedMigrationsUnchanged() {
        let released: [(sqlite: String, postgres: String)] = [
            ("784f710e3684b84", "ac00fae4eb46873d"), ("6a1a7391d5e8c213", "c23a1ccb4a08219f"),
            ("80ef0e3af33aee5e", "3c4d866b890b7ffe"), ("dc3c78f7daf2b88a", "4e9c0933cd5b5c07"),
            ("c326787ffd40e515", "1a4885bc8ea5a8b0"), ("48d43ef0e9cc5608", "cf9740797ca4af79"),
            ("d94629cc7d347f89", "7bee2e2b44d525d6"), ("4d57076ced89863d", "4d57076ced89863d"),
            ("fe9f05184cbb3089", "cbf29ce484222325"), ("38b8f355801b44a5", "38b8f355801b44a5"),
            ("ab2fa31c862cbd5d", "3de2faf550a596dd"), ("926b62115a25f595", "e07c5302933259c1"),
            ("9359c8268a28645a", "cbf29ce484222325"), ("722e464763817bf3", "722e464763817bf3"),
            ("f5b0f5f5eb88fbdd", "f5b0f5f5eb88fbdd"), ("c29fcd494c8023f", "c7e025d424047216"),
            ("431e9f131518ee99", "84dfa3813c4a8f9b"), ("c02010e3e7d0a315", "57f96fa31fed7bda"),
            ("a09e73f4e51e800b", "d00fd37e57b28c7d"),
            ("12bc13eb2ea6cabb", "a21097f759ece6c7"),
            ("572d84d5f4a87e36", "c3b33833cd7d4b05"),
        ]
        #expect(Schema.migrations.count == released.count, "pin a new migration's checksums here")
        for (migration, checksums) in zip(Schema.migrations, released) {
            #expect(migration.checksum(for: SQLiteDialect()) == checksums.sqlite, "migration \(migration.version)")
            #expect(migration.checksum(for: PostgresDialect()) == checksums.postgres, "migration \(migration.version)")
        }
    }

    @Test("a database migrated by a newer build is refused", arguments: StoreKind.available)
    func newerSchema(kind: StoreKind) throws {
        let store = try TestStore(kind)
        try store.database.write { connection in
            try connection.execute(
                "INSERT INTO schema_migrations (version, name, checksum, applied_at) VALUES (?, 'future', 'x', 0)",
                [.integer(Int64(Schema.migrations.count + 1))])
        }
        #expect(throws: StoreError.schemaNewerThanBuild(found: Schema.migrations.count + 1, newestKnown: Schema.migrations.count)) {
            try Migrator().migrate(store.database, at: store.clock.now())
        }
    }

    @Test("an applied migration that was edited afterwards is refused", arguments: StoreKind.available)
    func editedMigration(kind: StoreKind) throws {
        let store = try TestStore(kind)
        try store.database.write { try $0.execute("UPDATE schema_migrations SET checksum = 'edited' WHERE version = 1", []) }
        #expect(throws: StoreError.migrationEdited(version: 1, name: "ledger")) {
            try Migrator().migrate(store.database, at: store.clock.now())
        }
    }
}

@Suite("Transactions")
struct TransactionTests {
    @Test("a write that throws rolls back everything it did", arguments: StoreKind.available)
    func rollback(kind: StoreKind) throws {
        struct Boom: Error {}
        let store = try TestStore(kind)
        try store.database.write { try $0.execute("CREATE TABLE scratch (x BIGINT)", []) }
        #expect(throws: Boom.self) {
            try store.database.write { connection in
                try connection.execute("INSERT INTO scratch (x) VALUES (?)", [.integer(1)])
                throw Boom()
            }
        }
        #expect(try store.database.read { try $0.query("SELECT COUNT(*) FROM scratch", [])[0].int64(0) } == 0)
    }

    @Test("a wrong number of arguments is an error, not a crash", arguments: StoreKind.available)
    func argumentCount(kind: StoreKind) throws {
        let store = try TestStore(kind)
        #expect(throws: StoreError.self) {
            try store.database.read { try $0.query("SELECT COUNT(*) FROM schema_migrations WHERE version = ?", []) }
        }
    }

    @Test("IN lists longer than one chunk return every row", arguments: StoreKind.available)
    func longInList(kind: StoreKind) throws {
        let store = try TestStore(kind)
        let values = (0..<1_300).map { SQLValue.integer(Int64($0)) }
        let rows = try store.database.read { connection in
            try connection.query(
                "WITH RECURSIVE n(x) AS (SELECT 0 UNION ALL SELECT x + 1 FROM n WHERE x < 2000) SELECT x FROM n WHERE x IN ({list})",
                in: values)
        }
        #expect(rows.count == 1_300)
    }

    @Test("bulk inserts and updates keep awkward values exactly", arguments: StoreKind.available)
    func bulkWritesRoundTrip(kind: StoreKind) throws {
        let store = try TestStore(kind)
        let awkward = ["plain", #"quote " and backslash \"#, "comma, {braces}", "NULL", "", "花呗 ✓", "tab\tnew\nline"]
        let columns = [SQLColumn("k", .integer), SQLColumn("s", .text), SQLColumn("n", .integer)]
        var rows: [[SQLValue]] = awkward.enumerated().map { [.integer(Int64($0.offset)), .text($0.element), .integer(.min)] }
        rows.append([.integer(100), .null, .null])
        let (inserted, updated, again) = try store.database.write { connection in
            try connection.execute("CREATE TABLE bulk (k BIGINT PRIMARY KEY, s TEXT, n BIGINT)", [])
            let inserted = try connection.insertRows(into: "bulk", columns: columns, rows: rows, suffix: "")
            let updated = try connection.updateRows(
                "bulk", key: SQLColumn("k", .integer), columns: [SQLColumn("n", .integer)],
                rows: [[.integer(0), .integer(.max)], [.integer(100), .integer(7)], [.integer(999), .integer(1)]])
            let again = try connection.insertRows(
                into: "bulk", columns: columns, rows: rows, suffix: "ON CONFLICT (k) DO NOTHING")
            return (inserted, updated, again)
        }
        #expect((inserted, updated, again) == (rows.count, 2, 0))
        let stored = try store.database.read { try $0.query("SELECT k, s, n FROM bulk ORDER BY k", []) }
        #expect(stored.map(\.values) == rows.enumerated().map { index, row in
            switch index {
            case 0: [row[0], row[1], .integer(.max)]
            case rows.count - 1: [row[0], .null, .integer(7)]
            default: row
            }
        })
    }

    @Test("a reader sees one snapshot while a writer commits", arguments: StoreKind.available)
    func readersSeeSnapshots(kind: StoreKind) throws {
        let store = try TestStore(kind)
        try store.database.write { try $0.execute("CREATE TABLE counter (x BIGINT)", []) }
        let (before, during) = try store.database.read { reader in
            let before = try reader.query("SELECT COUNT(*) FROM counter", [])[0].int64(0)
            try store.database.write { try $0.execute("INSERT INTO counter (x) VALUES (1)", []) }
            return (before, try reader.query("SELECT COUNT(*) FROM counter", [])[0].int64(0))
        }
        #expect(before == during)
        #expect(try store.database.read { try $0.query("SELECT COUNT(*) FROM counter", [])[0].int64(0) } == 1)
    }
}

@Suite("SQLite specifics")
struct SQLiteSpecificTests {
    @Test("errors carry SQLite's extended result code")
    func extendedCodes() throws {
        let store = try TestStore(.sqlite)
        do {
            try store.database.write { connection in
                try connection.execute("CREATE TABLE t (x INTEGER PRIMARY KEY)", [])
                try connection.execute("INSERT INTO t VALUES (1)", [])
                try connection.execute("INSERT INTO t VALUES (1)", [])
            }
            Issue.record("a duplicate key was accepted")
        } catch let StoreError.statementFailed(engine, code, _, _) {
            #expect(engine == "SQLite")
            #expect(code.contains("1555"), "SQLITE_CONSTRAINT_PRIMARYKEY is 1555, got \(code)")
        }
    }

    /// SQLite builds a temporary b-tree for every `IN` list and every sort an index does not give, about 1.5 µs
    /// each time the statement runs; these run on every ledger submit, on the single writer.
    @Test("the expiry sweep and a short lookup of ledger accounts run without a temporary b-tree")
    func noTemporaryTrees() throws {
        let store = try TestStore(.sqlite)
        let ids: [SQLValue] = (1...5).map { .text("consumer:c\($0):credit-available:CNY") }
        let lookup = "SELECT seq, id FROM ledger_accounts WHERE id IN ({keys})"
        let statements = [
            (LedgerRepository.holdsDueSQL, [SQLValue.integer(0), .integer(1_000)]),
            SQLInList.statement(lookup, fixed: [], ids, for: SQLiteDialect()),
            SQLInList.statement(lookup.replacing("{keys}", with: "{list}"), ids),
        ]
        let temporaryTrees = try store.database.read { connection in
            try statements.map { sql, arguments in
                try connection.query("EXPLAIN " + sql, arguments).filter { try $0.text(1) == "OpenEphemeral" }.count
            }
        }
        #expect(temporaryTrees == [0, 0, 1])
    }

    @Test("more distinct statements than the cache holds, while a streamed query is in use, all work")
    func statementCacheOverflow() throws {
        let store = try TestStore(.sqlite)
        let total = try store.database.read { connection -> Int64 in
            var sum: Int64 = 0
            try connection.forEachRow("SELECT version FROM schema_migrations", []) { row in
                for offset in 0..<600 {
                    sum += try connection.query("SELECT ? + \(offset)", [.integer(try row.int64(0))])[0].int64(0)
                }
            }
            return sum
        }
        let versions = Int64(Schema.migrations.count)
        #expect(total == (1...versions).reduce(0, +) * 600 + versions * (0..<600).reduce(0, +))
    }

    @Test("text, integers, blobs and nulls round-trip, including text with non-ASCII characters")
    func values() throws {
        let store = try TestStore(.sqlite)
        let row = try store.database.read {
            try $0.query("SELECT ?, ?, ?, ?", [.text("花呗 ✓"), .integer(.min), .blob([0, 255, 7]), .null])[0]
        }
        #expect(row.values == [.text("花呗 ✓"), .integer(.min), .blob([0, 255, 7]), .null])
    }
}
