import PaylaterSQLite
import PaylaterStore
import PaylaterTestSupport
import PaylaterTime
import Testing

@Suite("Schema migrations")
struct MigrationTests {
    @Test("migrating twice applies nothing the second time")
    func idempotent() throws {
        let store = try TemporaryStore()
        #expect(try Migrator().migrate(store.database, at: store.clock.now()) == [])
        #expect(try Migrator().currentVersion(of: store.database) == Schema.migrations.count)
    }

    @Test("a fresh database gets every migration in order")
    func fresh() throws {
        let store = try TemporaryStore()
        let other = try SQLiteDatabase(path: store.directory + "/other.sqlite")
        #expect(try Migrator().migrate(other, at: store.clock.now()) == Array(1...Schema.migrations.count))
    }

    @Test("a database migrated by a newer build is refused")
    func newerSchema() throws {
        let store = try TemporaryStore()
        try store.database.write { connection in
            try connection.execute(
                "INSERT INTO schema_migrations (version, name, checksum, applied_at) VALUES (?, 'future', 'x', 0)",
                [.integer(Int64(Schema.migrations.count + 1))])
        }
        #expect(throws: StoreError.schemaNewerThanBuild(found: Schema.migrations.count + 1, newestKnown: Schema.migrations.count)) {
            try Migrator().migrate(store.database, at: store.clock.now())
        }
    }

    @Test("an applied migration that was edited afterwards is refused")
    func editedMigration() throws {
        let store = try TemporaryStore()
        try store.database.write { try $0.execute("UPDATE schema_migrations SET checksum = 'edited' WHERE version = 1", []) }
        #expect(throws: StoreError.migrationEdited(version: 1, name: "ledger")) {
            try Migrator().migrate(store.database, at: store.clock.now())
        }
    }
}

@Suite("SQLite store")
struct SQLiteStoreTests {
    @Test("a write that throws rolls back everything it did")
    func rollback() throws {
        struct Boom: Error {}
        let store = try TemporaryStore()
        #expect(throws: Boom.self) {
            try store.database.write { connection in
                try connection.execute("CREATE TABLE scratch (x INTEGER)", [])
                throw Boom()
            }
        }
        let tables = try store.database.read { try $0.query("SELECT name FROM sqlite_master WHERE name = 'scratch'", []) }
        #expect(tables.isEmpty)
    }

    @Test("errors carry SQLite's extended result code")
    func extendedCodes() throws {
        let store = try TemporaryStore()
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

    @Test("a wrong number of arguments is an error, not a crash")
    func argumentCount() throws {
        let store = try TemporaryStore()
        #expect(throws: StoreError.self) { try store.database.read { try $0.query("SELECT ?", []) } }
    }

    @Test("text, integers, blobs and nulls round-trip, including text with non-ASCII characters")
    func values() throws {
        let store = try TemporaryStore()
        let row = try store.database.read {
            try $0.query("SELECT ?, ?, ?, ?", [.text("花呗 ✓"), .integer(.min), .blob([0, 255, 7]), .null])[0]
        }
        #expect(row.values == [.text("花呗 ✓"), .integer(.min), .blob([0, 255, 7]), .null])
    }

    @Test("IN lists longer than one chunk return every row")
    func longInList() throws {
        let store = try TemporaryStore()
        let values = (0..<1_300).map { SQLValue.integer(Int64($0)) }
        let rows = try store.database.read { connection in
            try connection.query("WITH RECURSIVE n(x) AS (SELECT 0 UNION ALL SELECT x + 1 FROM n WHERE x < 2000) SELECT x FROM n WHERE x IN ({list})", in: values)
        }
        #expect(rows.count == 1_300)
    }

    @Test("a reader sees a consistent snapshot while a writer commits")
    func readersSeeSnapshots() throws {
        let store = try TemporaryStore()
        try store.database.write { try $0.execute("CREATE TABLE counter (x INTEGER)", []) }
        try store.database.read { reader in
            let before = try reader.query("SELECT COUNT(*) FROM counter", [])[0].int64(0)
            try store.database.write { try $0.execute("INSERT INTO counter VALUES (1)", []) }
            #expect(try reader.query("SELECT COUNT(*) FROM counter", [])[0].int64(0) == before)
        }
        #expect(try store.database.read { try $0.query("SELECT COUNT(*) FROM counter", [])[0].int64(0) } == 1)
    }
}
