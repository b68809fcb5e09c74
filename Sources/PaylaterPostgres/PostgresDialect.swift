public import PaylaterStore

/// PostgreSQL's answers to the few questions portable SQL cannot settle.
public struct PostgresDialect: SQLDialect {
    /// The advisory-lock key every Paylater migrator takes: the ASCII bytes of "Paylater" as a big-endian Int64.
    public static let migrationLockKey: Int64 = 0x5061_796C_6174_6572

    /// Whether SELECTs that ask for it lock their rows; false only inside read transactions.
    let locksRows: Bool

    public init() { locksRows = true }

    /// The dialect a read transaction's connection reports: PostgreSQL refuses `FOR UPDATE` in a READ ONLY
    /// transaction (SQLSTATE 25006), and a snapshot that never writes has nothing to lock.
    static let readOnly = PostgresDialect(locksRows: false)

    private init(locksRows: Bool) { self.locksRows = locksRows }

    public var name: String { "PostgreSQL" }
    /// A standard SQL identity column; `ALWAYS` refuses inserts that try to choose the key.
    public var autoIncrementPrimaryKey: String { "BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY" }
    /// Row locks until the transaction ends: writers run concurrently under READ COMMITTED. `NO KEY UPDATE`
    /// because the ledger only ever changes balances, never keys: two writers of one account still exclude each
    /// other, but foreign-key checks of transfers referencing it (`KEY SHARE`) don't wait. Empty on a read
    /// transaction's connection.
    public var lockRowsClause: String { locksRows ? " FOR NO KEY UPDATE" : "" }
    /// Text keys compare byte by byte, whatever the database's locale: the order Swift sorts ids in (so rows are
    /// locked in one order) and faster than locale-aware collation.
    public var textKeyType: String { #"TEXT COLLATE "C""# }
    /// A transaction-scoped advisory lock, released at COMMIT or ROLLBACK, so it needs no session state and works
    /// behind pgbouncer in transaction mode.
    public var migrationLockStatement: String? { "SELECT pg_advisory_xact_lock(\(Self.migrationLockKey))" }
    /// Writers run side by side: an identity value drawn later may commit first.
    public var writersTakeTurns: Bool { false }
    /// None: `IN` (with its `ORDER BY` to lock rows in order) is planned as one index scan.
    public var keyLookupUnionMaximum: Int { 0 }
    /// Yes: `ALTER TABLE ... DROP CONSTRAINT` and `ADD CONSTRAINT`, inside the migration's transaction.
    public var altersConstraints: Bool { true }
    /// Nothing: a table is a heap with its primary key's index beside it (a clustered order is not kept).
    public var storedByPrimaryKey: String { "" }
}
