import Foundation
import PaylaterPostgres
public import PaylaterSQLite
public import PaylaterStore
public import PaylaterTime

/// The stores a parameterised suite runs on.
public enum StoreKind: String, CaseIterable, Sendable, CustomStringConvertible {
    case sqlite
    case postgres

    /// SQLite always, and PostgreSQL unless PAYLATER_SKIP_POSTGRES=1: without a server
    /// (PAYLATER_TEST_POSTGRES_URL) the PostgreSQL cases fail loudly rather than pass by skipping.
    public static var available: [StoreKind] {
        ProcessInfo.processInfo.environment["PAYLATER_SKIP_POSTGRES"] == "1" ? [.sqlite] : allCases
    }

    public var description: String { rawValue }
}

/// A migrated, empty store of one kind, for one test: a temporary SQLite directory or a fresh PostgreSQL
/// database, removed when the last reference goes.
public final class TestStore: Sendable {
    public static let postgresURLVariable = "PAYLATER_TEST_POSTGRES_URL"

    public let kind: StoreKind
    public let database: any Database
    public let clock: ManualClock
    /// The SQLite directory, or the PostgreSQL database's URL.
    public let location: String
    private let administrationURL: String?
    private let databaseName: String?

    /// A store with `migrations` applied: every one unless a test of a later migration stops it short.
    public init(
        _ kind: StoreKind = .sqlite, durability: SQLiteDurability = .normal, migrations: [Migration] = Schema.migrations
    ) throws {
        self.kind = kind
        clock = ManualClock(Instant(secondsSinceUnixEpoch: 1_790_000_000))
        switch kind {
        case .sqlite:
            location = FileManager.default.temporaryDirectory.appendingPathComponent("paylater-test-\(UUID().uuidString)").path
            try FileManager.default.createDirectory(atPath: location, withIntermediateDirectories: true)
            database = try SQLiteDatabase(path: location + "/paylater.sqlite", durability: durability)
            (administrationURL, databaseName) = (nil, nil)
        case .postgres:
            guard let administration = ProcessInfo.processInfo.environment[Self.postgresURLVariable], !administration.isEmpty else {
                throw TestStoreError("\(Self.postgresURLVariable) is not set: start a PostgreSQL (scripts/test does) or set PAYLATER_SKIP_POSTGRES=1")
            }
            let name = "paylater_test_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
            try Self.psql(administration, "CREATE DATABASE \(name)")
            location = try Self.url(administration, database: name)
            database = try PostgresDatabase(url: location, maximumConnections: 8)
            (administrationURL, databaseName) = (administration, name)
        }
        try Migrator(migrations: migrations).migrate(database, at: clock.now())
    }

    /// Another handle on the same store, as a second process would open it.
    public func reopen() throws -> any Database {
        switch kind {
        case .sqlite: try SQLiteDatabase(path: location + "/paylater.sqlite", durability: .normal)
        case .postgres: try PostgresDatabase(url: location, maximumConnections: 8)
        }
    }

    /// The `paylater` arguments that name this store.
    public var arguments: [String] {
        switch kind {
        case .sqlite: ["--data-dir", location]
        case .postgres: ["--database", location]
        }
    }

    deinit {
        switch kind {
        case .sqlite:
            try? FileManager.default.removeItem(atPath: location)
        case .postgres:
            if let administrationURL, let databaseName {
                try? Self.psql(administrationURL, "DROP DATABASE IF EXISTS \(databaseName) WITH (FORCE)")
            }
        }
    }

    /// Runs one statement with psql: CREATE and DROP DATABASE cannot run inside the transactions `Database` opens.
    private static func psql(_ url: String, _ statement: String) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/psql")
        process.arguments = ["--no-psqlrc", "--quiet", "--set", "ON_ERROR_STOP=1", "--dbname", url, "--command", statement]
        let errors = Pipe()
        process.standardError = errors
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        let message = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw TestStoreError("psql '\(statement)' failed: \(String(decoding: message, as: UTF8.self))")
        }
    }

    /// `url` with its database name replaced by `database`.
    private static func url(_ url: String, database: String) throws -> String {
        guard var components = URLComponents(string: url) else { throw TestStoreError("not a URL: \(url)") }
        components.path = "/" + database
        guard let result = components.string else { throw TestStoreError("cannot build a URL from \(url)") }
        return result
    }
}

/// A test store that could not be set up.
public struct TestStoreError: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}
