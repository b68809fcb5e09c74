/// One forward-only step of the schema. Migrations are append-only: once released, a migration's statements
/// never change (the migrator refuses a database whose applied migration differs), and a change is a new one.
public struct Migration: Sendable {
    public let version: Int
    public let name: String
    /// The statements for a dialect; most are portable, the few that aren't ask the dialect.
    public let statements: @Sendable (any SQLDialect) -> [String]

    public init(version: Int, name: String, statements: @escaping @Sendable (any SQLDialect) -> [String]) {
        self.version = version
        self.name = name
        self.statements = statements
    }

    /// A fingerprint of the statements (64-bit FNV-1a), to notice a migration edited after it was applied.
    func checksum(for dialect: any SQLDialect) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in statements(dialect).joined(separator: ";\n").utf8 {
            hash ^= UInt64(byte)
            hash &*= 0x0000_0100_0000_01b3
        }
        return String(hash, radix: 16)
    }
}

public import PaylaterTime

/// Brings a database's schema up to date, one migration per transaction, when Paylater starts.
public struct Migrator: Sendable {
    public let migrations: [Migration]

    public init(migrations: [Migration] = Schema.migrations) {
        precondition(
            migrations.enumerated().allSatisfy { $0.offset + 1 == $0.element.version },
            "migrations must be numbered 1, 2, 3, ... without gaps")
        self.migrations = migrations
    }

    /// Applies every migration the database lacks and returns their versions.
    @discardableResult
    public func migrate(_ database: any Database, at now: Instant) throws -> [Int] {
        try database.write { connection in
            if let lock = connection.dialect.migrationLockStatement { try connection.executeScript(lock) }
            try connection.executeScript("""
                CREATE TABLE IF NOT EXISTS schema_migrations (
                    version INTEGER PRIMARY KEY,
                    name TEXT NOT NULL,
                    checksum TEXT NOT NULL,
                    applied_at BIGINT NOT NULL
                )
                """)
        }
        var applied: [Int] = []
        for migration in migrations where try apply(migration, to: database, at: now) {
            applied.append(migration.version)
        }
        return applied
    }

    /// The newest version applied to `database`, or 0.
    public func currentVersion(of database: any Database) throws -> Int {
        try database.read { connection in
            try Int(connection.query("SELECT COALESCE(MAX(version), 0) FROM schema_migrations", [])[0].int64(0))
        }
    }

    /// Applies `migration` unless it already was; checks the applied one is unchanged. Concurrent starters are
    /// serialised by the write transaction, so exactly one applies each migration.
    private func apply(_ migration: Migration, to database: any Database, at now: Instant) throws -> Bool {
        let newestKnown = migrations.count
        return try database.write { connection in
            let dialect = connection.dialect
            if let lock = dialect.migrationLockStatement { try connection.executeScript(lock) }
            let newest = try connection.query("SELECT COALESCE(MAX(version), 0) FROM schema_migrations", [])[0].int64(0)
            if newest > newestKnown { throw StoreError.schemaNewerThanBuild(found: Int(newest), newestKnown: newestKnown) }
            let checksum = migration.checksum(for: dialect)
            let existing = try connection.query(
                "SELECT checksum FROM schema_migrations WHERE version = ?", [.integer(Int64(migration.version))])
            if let row = existing.first {
                guard try row.text(0) == checksum else {
                    throw StoreError.migrationEdited(version: migration.version, name: migration.name)
                }
                return false
            }
            for statement in migration.statements(dialect) { try connection.executeScript(statement) }
            try connection.execute(
                "INSERT INTO schema_migrations (version, name, checksum, applied_at) VALUES (?, ?, ?, ?)",
                [.integer(Int64(migration.version)), .text(migration.name), .text(checksum), .integer(now.nanosecondsSinceUnixEpoch)])
            return true
        }
    }
}
