public import PaylaterStore
import Synchronization

/// Paylater's embedded store: one SQLite file in write-ahead-log mode.
///
/// One writer connection serialises writes inside this process (and `BEGIN IMMEDIATE` with a busy timeout
/// serialises them across processes); readers use a small pool of their own connections and see a snapshot, so
/// reads never wait for writes.
public final class SQLiteDatabase: Database {
    /// The most reader connections kept open.
    private static let readerMaximum = 8

    public let path: String
    public let durability: SQLiteDurability
    public var dialect: any SQLDialect { SQLiteDialect() }
    private let writer: Mutex<SQLiteConnection>
    private let readers: Mutex<[SQLiteConnection]>

    /// Opens (creating if needed) the database file at `path`.
    public init(path: String, durability: SQLiteDurability = .full) throws(StoreError) {
        self.path = path
        self.durability = durability
        writer = Mutex(try SQLiteConnection(path: path, durability: durability, isWriter: true))
        readers = Mutex([])
    }

    public func write<T: Sendable>(_ body: (any SQLConnection) throws -> T) throws -> T {
        try writer.withLock { connection in
            try connection.transaction(immediate: true, body)
        }
    }

    public func read<T: Sendable>(_ body: (any SQLConnection) throws -> T) throws -> T {
        let connection = try readers.withLock { $0.popLast() }
            ?? SQLiteConnection(path: path, durability: durability, isWriter: false)
        defer {
            readers.withLock { pool in
                if pool.count < Self.readerMaximum { pool.append(connection) }
            }
        }
        return try connection.transaction(immediate: false, body)
    }
}
