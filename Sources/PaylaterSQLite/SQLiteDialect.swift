public import PaylaterStore

/// SQLite's answers to the few questions portable SQL cannot settle.
public struct SQLiteDialect: SQLDialect {
    public init() {}
    public var name: String { "SQLite" }
    /// An alias of the rowid: the fastest key SQLite has.
    public var autoIncrementPrimaryKey: String { "INTEGER PRIMARY KEY" }
    /// Nothing to add: a write transaction (`BEGIN IMMEDIATE`) already excludes every other writer.
    public var lockRowsClause: String { "" }
    /// SQLite's default collation is already byte order.
    public var textKeyType: String { "TEXT" }
    /// Nothing to run: `BEGIN IMMEDIATE` already serialises migrators.
    public var migrationLockStatement: String? { nil }
    /// `BEGIN IMMEDIATE` takes the database's one write lock, shared by every process.
    public var writersTakeTurns: Bool { true }
    /// Eight: SQLite builds an ephemeral b-tree of every `IN` list it runs, about 1.5 µs on this machine, as much
    /// as looking up four keys; point queries joined by `UNION ALL` need none (measured 2026-12-06 on the benchmark's
    /// database: 2, 4 and 8 accounts in 1.6, 3.0 and 6.6 µs against 3.3, 4.5 and 7.3 µs).
    public var keyLookupUnionMaximum: Int { 8 }
    /// No: `ALTER TABLE` can add columns and rename, not change a key.
    public var altersConstraints: Bool { false }
    /// `WITHOUT ROWID`: the rows live in the primary key's b-tree, with no rowid table beside it.
    public var storedByPrimaryKey: String { " WITHOUT ROWID" }
}

/// How hard SQLite works to keep a commit through a power cut.
public enum SQLiteDurability: String, Sendable, CaseIterable {
    /// The write-ahead log is synced to disk before any commit is acknowledged, so a committed transaction survives
    /// a crash of the process, the operating system or the power. The default. (The writer commits with
    /// `synchronous = NORMAL`, and `SQLiteDatabase` syncs the log itself after each group's COMMIT, outside the
    /// writer, before acknowledging it: see `WALSync`.)
    case full
    /// `synchronous = NORMAL` with the write-ahead log: syncs only at checkpoints. Survives a process crash and
    /// never corrupts, but a power cut can lose the last commits. For benchmarks and throwaway data only.
    case normal
}
