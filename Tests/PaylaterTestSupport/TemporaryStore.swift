import Foundation
public import PaylaterSQLite
import PaylaterStore
public import PaylaterTime

/// A migrated SQLite store in a fresh temporary directory, removed when the last reference goes.
public final class TemporaryStore: Sendable {
    public let directory: String
    public let database: SQLiteDatabase
    public let clock: ManualClock

    public init(durability: SQLiteDurability = .normal) throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("paylater-test-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        clock = ManualClock(Instant(secondsSinceUnixEpoch: 1_790_000_000))
        database = try SQLiteDatabase(path: directory + "/paylater.sqlite", durability: durability)
        try Migrator().migrate(database, at: clock.now())
    }

    /// Another connection to the same file, as a second process would open it.
    public func reopen() throws -> SQLiteDatabase {
        try SQLiteDatabase(path: directory + "/paylater.sqlite", durability: database.durability)
    }

    deinit { try? FileManager.default.removeItem(atPath: directory) }
}
