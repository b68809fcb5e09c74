import Foundation
public import PaylaterPostgres
public import PaylaterSQLite
public import PaylaterStore
public import PaylaterTime

/// An open Paylater: its database, migrated to this build's schema, and the clock every service reads.
///
/// The composition root: the CLI (and later the HTTP server) opens one and hands it to the services.
public struct PaylaterRuntime: Sendable {
    public let database: any Database
    public let clock: any Clock
    public let location: StoreLocation

    public init(database: any Database, clock: any Clock, location: StoreLocation) {
        self.database = database
        self.clock = clock
        self.location = location
    }

    /// Opens the store at `location` (creating the data directory for SQLite) and applies pending migrations.
    /// `connections` bounds the PostgreSQL connection pool; SQLite has one writer connection whatever it says.
    /// `preparedStatements` bounds the named prepared statements each PostgreSQL connection keeps (0 behind a
    /// pooler that does not track them, such as pgbouncer before 1.21).
    public static func open(
        _ location: StoreLocation, durability: SQLiteDurability = .full, connections: Int = 10,
        preparedStatements: Int = PostgresOptions.preparedStatementsDefault, clock: any Clock = SystemClock()
    ) throws -> PaylaterRuntime {
        let database: any Database
        switch location {
        case let .dataDirectory(path):
            try createDirectory(path)
            database = try SQLiteDatabase(path: path + "/" + StoreLocation.databaseFileName, durability: durability)
        case let .postgres(url):
            database = try PostgresDatabase(
                url: url,
                options: PostgresOptions(maximumConnections: connections, preparedStatementsMaximum: preparedStatements))
        }
        try Migrator().migrate(database, at: clock.now())
        return PaylaterRuntime(database: database, clock: clock, location: location)
    }

    /// Whether a store already exists at `location`, so read-only commands don't create an empty one by accident.
    /// A PostgreSQL database always exists once its URL connects (the server owns its creation).
    public static func exists(_ location: StoreLocation) -> Bool {
        switch location {
        case let .dataDirectory(path):
            FileManager.default.fileExists(atPath: path + "/" + StoreLocation.databaseFileName)
        case .postgres:
            true
        }
    }

    private static func createDirectory(_ path: String) throws {
        do {
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        } catch {
            throw StoreError.cannotOpen(location: path, message: "the data directory cannot be created: \(error.localizedDescription)")
        }
    }

    public var ledger: LedgerService { LedgerService(database: database, clock: clock) }
    public var creditLines: CreditLineService { CreditLineService(database: database, clock: clock) }
}
