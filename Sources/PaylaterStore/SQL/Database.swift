import Synchronization

/// What differs between SQL engines, for the few statements that cannot be written portably.
///
/// Repositories write portable SQL with `?` placeholders (an engine that numbers its parameters rewrites them) and
/// ask the dialect for the rest, so engine-specific SQL stays inside each engine's module.
public protocol SQLDialect: Sendable {
    /// The engine's name in messages: "SQLite", "PostgreSQL".
    var name: String { get }
    /// The column definition of an auto-increasing 64-bit integer primary key.
    var autoIncrementPrimaryKey: String { get }
    /// Appended to a SELECT to lock its rows until the transaction ends; empty where a write transaction already
    /// excludes every other writer.
    var lockRowsClause: String { get }
    /// The column type of text keys (ids): compared byte by byte, the order Swift sorts them in.
    var textKeyType: String { get }
    /// A statement that makes concurrent migrators wait for each other inside their transactions, or nil where a
    /// write transaction already excludes them.
    var migrationLockStatement: String? { get }
    /// Whether a write transaction excludes every other writer, in any process, so that rows numbered by
    /// `autoIncrementPrimaryKey` commit in the order of their numbers. (PostgreSQL's writers run side by side and
    /// may commit a later number first.)
    var writersTakeTurns: Bool { get }
    /// The most keys a lookup of rows by a list of keys (`SQLInList`) spells as one point query per key, joined by
    /// `UNION ALL`, rather than as `IN (...)`: 0 where `IN` costs nothing more than the lookups it stands for.
    var keyLookupUnionMaximum: Int { get }
    /// Whether `ALTER TABLE` can drop and add a table's constraints. Where it cannot (SQLite), a migration that
    /// changes a key builds the table anew and copies its rows.
    var altersConstraints: Bool { get }
    /// Appended to a `CREATE TABLE` whose small rows are found only by their primary key: where the engine can,
    /// the rows are then stored in that key's b-tree itself (SQLite's `WITHOUT ROWID`), one b-tree written per row
    /// instead of a table and its key's index. Empty where a table is always a heap beside its key (PostgreSQL).
    var storedByPrimaryKey: String { get }
}

/// One open transaction on a database connection. It is used by one thread at a time and never outlives the
/// `read` or `write` call that handed it out.
public protocol SQLConnection: AnyObject {
    var dialect: any SQLDialect { get }

    /// Runs a statement that returns no rows. Statements are prepared once per connection and cached.
    func execute(_ sql: String, _ arguments: [SQLValue]) throws(StoreError)

    /// Runs one statement once per row of arguments, preparing it once: for bulk writes such as a batch of transfers.
    /// Returns how many rows the statements inserted, updated or deleted in all.
    @discardableResult
    func executeBatch(_ sql: String, _ rows: [[SQLValue]]) throws(StoreError) -> Int

    /// Inserts `rows` (values in `columns` order) into `table`, with `suffix` after them (such as
    /// `ON CONFLICT (id) DO NOTHING`); returns how many rows were inserted or updated. Engines may send the whole
    /// batch as one statement.
    func insertRows(into table: String, columns: [SQLColumn], rows: [[SQLValue]], suffix: String) throws(StoreError) -> Int

    /// Sets `columns` of the rows of `table` whose `key` matches; each row holds the key's value, then the columns'
    /// values. Returns how many rows were updated. Engines may send the whole batch as one statement.
    func updateRows(_ table: String, key: SQLColumn, columns: [SQLColumn], rows: [[SQLValue]]) throws(StoreError) -> Int

    /// `insertRows` for a caller that needs no count: an engine may hold the statement back and send it with the
    /// transaction's next statement or its COMMIT, saving a round trip; an error it raises is thrown there, and
    /// fails the transaction all the same. By default it runs at once.
    func insertRowsDeferred(into table: String, columns: [SQLColumn], rows: [[SQLValue]], suffix: String) throws(StoreError)

    /// `updateRows` for a caller that needs no count, held back like `insertRowsDeferred`.
    func updateRowsDeferred(_ table: String, key: SQLColumn, columns: [SQLColumn], rows: [[SQLValue]]) throws(StoreError)

    /// `execute` for a write nothing reads the outcome of, held back like `insertRowsDeferred`: the last write of a
    /// transaction then goes with its COMMIT. By default it runs at once.
    func executeDeferred(_ sql: String, _ arguments: [SQLValue]) throws(StoreError)

    /// Runs `sql`, an `INSERT` of one row that may insert nothing (`ON CONFLICT ... DO NOTHING`), and returns the
    /// new row's `key`, its table's integer primary key, or nil when nothing was inserted. SQLite answers from the
    /// connection's last rowid rather than with `RETURNING`, which collects its rows in a temporary b-tree; other
    /// engines append `RETURNING key`.
    func insertReturningKey(_ sql: String, _ arguments: [SQLValue], key: String) throws(StoreError) -> Int64?

    /// Runs a query and returns its rows.
    func query(_ sql: String, _ arguments: [SQLValue]) throws(StoreError) -> [SQLRow]

    /// Runs independent queries (none reads what another writes) and returns each one's rows, in order. An engine
    /// may send them together, in one round trip; by default they run one by one, in order.
    func queryBatch(_ queries: [(sql: String, arguments: [SQLValue])]) throws(StoreError) -> [[SQLRow]]

    /// Runs a query and hands each row to `body` without keeping them all in memory.
    func forEachRow(_ sql: String, _ arguments: [SQLValue], _ body: (SQLRow) throws -> Void) throws

    /// Runs several statements separated by semicolons, without parameters (schema migrations).
    func executeScript(_ sql: String) throws(StoreError)
}

/// A database Paylater keeps its state in, with explicit transactions.
///
/// Every mutation happens inside one `write` call, so a business change and its ledger transfers commit together or
/// not at all. A `write` body may run more than once when the engine reports a retryable conflict, so it must only
/// read and write through the connection it is given.
public protocol Database: Sendable {
    var dialect: any SQLDialect { get }

    /// Runs `body` in a read-write transaction: committed when it returns, rolled back when it throws.
    func write<T: Sendable>(_ body: (any SQLConnection) throws -> T) throws -> T

    /// Runs `body` in a read-only transaction that sees one consistent snapshot.
    func read<T: Sendable>(_ body: (any SQLConnection) throws -> T) throws -> T
}

/// A store whose commits can be read by other connections a moment before they are durable (the embedded store:
/// the group's WAL is synced after its COMMIT, outside the writer). Whoever answers from a read, without a write of
/// its own whose acknowledgement would cover it, waits here first, so that nothing it tells anyone can be undone by
/// a power cut.
public protocol ShowsCommitsBeforeDurable: Sendable {
    /// Returns once every commit a read could see by now is durable (or its sync has failed).
    func waitForVisibleCommitsToBeDurable()
}

/// A store whose writers take turns on one connection and commit together (the embedded store's group commit):
/// it reports how, so that an operator can see how busy that one writer is.
public protocol ReportsGroupCommit: Sendable {
    var groupCommitStatistics: GroupCommitStatistics { get }
}

/// Counters of a group commit since the store was opened.
public struct GroupCommitStatistics: Sendable, Equatable {
    /// Groups led.
    public var groups = 0
    /// Transaction bodies run (committed or failed).
    public var bodies = 0
    /// Transactions begun for them (more than `groups` only when the engine aborted a transaction on its own).
    public var transactions = 0
    /// The most bodies in one group.
    public var largestGroup = 0
    /// Groups run a second time, each body in its own savepoint, because a body threw in the first run.
    public var rerunWithSavepoints = 0
    /// Syncs of the log made after a group's COMMIT (durability `full`): one per group that committed anything.
    public var walSyncs = 0
    /// How long the single writer was held, running bodies and committing: busy time near the elapsed time means
    /// writes queue for it.
    public var writerHeld = Duration.zero
    /// Checkpoints (copies of the write-ahead log into the database file) run off the writer thread, run by the
    /// writer itself (the short rest, or a log that grew too long), and failed.
    public var backgroundCheckpoints = 0
    public var writerCheckpoints = 0
    public var failedCheckpoints = 0
    /// Times the kernel was asked to start writing the database file's dirty pages during background checkpoints
    /// (see `DatabaseWriteback` in PaylaterSQLite): every 10 ms of a pass, and once at its start.
    public var databaseWritebacks = 0

    public init() {}
}

/// A store that runs a transaction again when it meets a conflict and keeps a pool of connections (PostgreSQL): it
/// counts both, so that an operator sees the contention (deadlocks, serialization failures) the retries hide.
public protocol ReportsTransactionRetries: Sendable {
    var transactionRetryStatistics: TransactionRetryStatistics { get }
}

/// Counters of a store's retries and connections since it was opened.
public struct TransactionRetryStatistics: Sendable, Equatable {
    /// Transactions run again after a failure retrying may fix, by the engine's code (PostgreSQL: 40P01 a
    /// deadlock, 40001 a serialization failure, 55P03 a lock not available; "connection" for a connection lost).
    public var retriesByCode: [String: Int] = [:]
    /// Transactions given up after the attempts allowed, still failing in a way retrying may fix.
    public var givenUp = 0
    /// Connections open now, and opened and dropped since the store was opened.
    public var connectionsOpen = 0
    public var connectionsOpened = 0
    public var connectionsDropped = 0

    public init() {}
}

/// A column of a bulk write, typed for engines that send a batch's values as one array per column.
public struct SQLColumn: Hashable, Sendable {
    /// What the column's values are.
    public enum ValueType: Hashable, Sendable {
        case integer
        case text
        case blob
    }

    public let name: String
    public let type: ValueType

    public init(_ name: String, _ type: ValueType) {
        self.name = name
        self.type = type
    }
}

extension SQLConnection {
    /// One prepared statement, bound once per row: the fastest way on an embedded engine.
    public func insertRows(
        into table: String, columns: [SQLColumn], rows: [[SQLValue]], suffix: String
    ) throws(StoreError) -> Int {
        try insertRowsOneByOne(into: table, columns: columns, rows: rows, suffix: suffix)
    }

    /// One prepared statement, bound once per row.
    public func updateRows(
        _ table: String, key: SQLColumn, columns: [SQLColumn], rows: [[SQLValue]]
    ) throws(StoreError) -> Int {
        try updateRowsOneByOne(table, key: key, columns: columns, rows: rows)
    }

    /// The insert with `RETURNING key`.
    public func insertReturningKey(_ sql: String, _ arguments: [SQLValue], key: String) throws(StoreError) -> Int64? {
        let rows = try query(sql + " RETURNING " + key, arguments)
        guard let row = rows.first else { return nil }
        assert(rows.count == 1, "an insert of one row returned \(rows.count)")
        return try row.int64(0)
    }

    /// The queries one by one, in order.
    public func queryBatch(_ queries: [(sql: String, arguments: [SQLValue])]) throws(StoreError) -> [[SQLRow]] {
        var rows: [[SQLRow]] = []
        rows.reserveCapacity(queries.count)
        for (sql, arguments) in queries { rows.append(try query(sql, arguments)) }
        return rows
    }

    /// `insertRows`, at once.
    public func insertRowsDeferred(
        into table: String, columns: [SQLColumn], rows: [[SQLValue]], suffix: String
    ) throws(StoreError) {
        _ = try insertRows(into: table, columns: columns, rows: rows, suffix: suffix)
    }

    /// `updateRows`, at once.
    public func updateRowsDeferred(
        _ table: String, key: SQLColumn, columns: [SQLColumn], rows: [[SQLValue]]
    ) throws(StoreError) {
        _ = try updateRows(table, key: key, columns: columns, rows: rows)
    }

    /// `execute`, at once.
    public func executeDeferred(_ sql: String, _ arguments: [SQLValue]) throws(StoreError) {
        try execute(sql, arguments)
    }

    /// `insertRows` as one `INSERT ... VALUES (?, ...)` executed per row; engines with a set-based form use this for
    /// batches too small to gain from it.
    public func insertRowsOneByOne(
        into table: String, columns: [SQLColumn], rows: [[SQLValue]], suffix: String
    ) throws(StoreError) -> Int {
        var text = SQLText(capacity: 40 + table.utf8.count + suffix.utf8.count + columns.count * 24)
        text.append("INSERT INTO ", table, " (")
        text.appendList(columns.count) { text, index in text.append(columns[index].name) }
        text.append(") VALUES (")
        text.appendList(columns.count) { text, _ in text.append("?") }
        text.append(") ", suffix)
        return try executeBatch(text.string, rows)
    }

    /// `updateRows` as one `UPDATE ... WHERE key = ?` executed per row.
    public func updateRowsOneByOne(
        _ table: String, key: SQLColumn, columns: [SQLColumn], rows: [[SQLValue]]
    ) throws(StoreError) -> Int {
        var text = SQLText(capacity: 40 + table.utf8.count + columns.count * 24)
        text.append("UPDATE ", table, " SET ")
        text.appendList(columns.count) { text, index in text.append(columns[index].name, " = ?") }
        text.append(" WHERE ", key.name, " = ?")
        return try executeBatch(text.string, rows.map { Array($0.dropFirst()) + [$0[0]] })
    }

    /// Runs `sql` once per chunk of `values`, with `{list}` (or `{keys}`) in `sql` replaced by that chunk's
    /// placeholders, and returns all rows. Keeps every statement under the engine's parameter limit, and pads each
    /// chunk to a power of two (repeating its last value, which an `IN` list ignores) so that few distinct
    /// statements get cached. Where the dialect prefers it, a short lookup by key (see
    /// `SQLInList.statement(_:fixed:_:for:)`) is sent as one point query per value instead.
    public func query(_ sql: String, fixed: [SQLValue] = [], in values: [SQLValue]) throws(StoreError) -> [SQLRow] {
        var rows: [SQLRow] = []
        var start = values.startIndex
        while start < values.endIndex {
            let end = min(start + SQLInList.valuesMaximum, values.endIndex)
            let statement = SQLInList.statement(sql, fixed: fixed, Array(values[start..<end]), for: dialect)
            rows += try query(statement.sql, statement.arguments)
            start = end
        }
        return rows
    }
}

/// A statement's text spelled into one buffer: bulk writes spell theirs on every call, on the single writer, where
/// joining arrays of strings and interpolating them cost more than binding a row.
struct SQLText {
    private var bytes: [UInt8] = []

    init(capacity: Int) { bytes.reserveCapacity(capacity) }

    var string: String { String(decoding: bytes, as: UTF8.self) }

    mutating func append(_ parts: String...) {
        for part in parts { bytes += part.utf8 }
    }

    /// `count` items, each spelled by `item`, separated by ", ".
    mutating func appendList(_ count: Int, _ item: (inout SQLText, Int) -> Void) {
        for index in 0..<count {
            if index > 0 { bytes += ", ".utf8 }
            item(&self, index)
        }
    }
}

/// How `query(_:in:)` turns a statement with a `{list}` placeholder and its values into one it can prepare; a
/// caller that sends such a statement itself (in a `queryBatch`) builds it here, so the engine prepares and caches
/// the very same statement.
public enum SQLInList {
    /// The most values one `IN` list binds; well under every engine's parameter limit.
    public static let valuesMaximum = 512

    /// `sql` with `{list}` replaced by as many placeholders as `values` padded to a power of two (repeating the
    /// last value, which an `IN` list ignores), so that few distinct statements get cached; `values` holds 1 to
    /// `valuesMaximum` values.
    public static func statement(_ sql: String, _ values: [SQLValue]) -> (sql: String, arguments: [SQLValue]) {
        statement(sql, values, replacing: "{list}")
    }

    /// Stands where `{list}` would for a lookup of rows by key: `... WHERE <column> IN ({keys})`, that condition the
    /// statement's last, each key's rows independent of the others' (no aggregate, `DISTINCT`, `GROUP BY`, `LIMIT`
    /// or compound `SELECT`). Such a statement may be sent as one point query per key (see
    /// `statement(_:fixed:_:for:)`); otherwise it is an `IN` list, as with `{list}`.
    public static let keysPlaceholder = "{keys}"

    private static func statement(
        _ sql: String, _ values: [SQLValue], replacing placeholder: String
    ) -> (sql: String, arguments: [SQLValue]) {
        precondition((1...valuesMaximum).contains(values.count), "an IN list takes 1 to \(valuesMaximum) values")
        var padded = 1
        while padded < values.count { padded *= 2 }
        let expanded = sql.replacingOccurrences(of: placeholder, with: String(repeating: "?,", count: padded - 1) + "?")
        precondition(expanded != sql, "the query needs a \(placeholder) placeholder")
        return (expanded, values + repeatElement(values[values.count - 1], count: padded - values.count))
    }

    /// The statement `query(_:fixed:in:)` sends for `values` (1 to `valuesMaximum`) on `dialect`, with `fixed`'s
    /// placeholders before the list: `{list}` or `{keys}` (see `keysPlaceholder`) replaced by an `IN` list, or, for
    /// a lookup by key ending in `WHERE <column> IN ({keys})` of at most `dialect.keyLookupUnionMaximum` values, one
    /// point query per value, `... WHERE <column> = ? UNION ALL ...`, each bound to `fixed` and its value: the same
    /// rows (the values are taken once each, as `IN` does), in another order. Why: SQLite builds an ephemeral
    /// b-tree of the list for every `IN` it runs, and for the few keys a ledger submit looks up (accounts,
    /// transfers) that took as long as the lookups themselves.
    public static func statement(
        _ sql: String, fixed: [SQLValue], _ values: [SQLValue], for dialect: any SQLDialect
    ) -> (sql: String, arguments: [SQLValue]) {
        if values.count <= dialect.keyLookupUnionMaximum, let lookup = pointQueries(sql, values) {
            return (lookup.sql, lookup.keys.flatMap { fixed + [$0] })
        }
        let statement = statement(sql, values, replacing: isKeyLookup(sql) ? keysPlaceholder : "{list}")
        return (statement.sql, fixed + statement.arguments)
    }

    /// Whether `sql` has the `{keys}` placeholder (see `keysPlaceholder`).
    private static func isKeyLookup(_ sql: String) -> Bool {
        var sql = sql
        return sql.withUTF8 { contains(keysPlaceholder.utf8, in: $0) }
    }

    /// `sql`, a lookup by key, as one point query per distinct value of `values`, joined by `UNION ALL`, and those
    /// values; nil unless `sql` ends in ` WHERE <column> IN ({keys})` (the column possibly qualified) and has no
    /// other placeholder of a list.
    static func pointQueries(_ sql: String, _ values: [SQLValue]) -> (sql: String, keys: [SQLValue])? {
        var keys: [SQLValue] = []
        keys.reserveCapacity(values.count)
        for value in values where !keys.contains(value) { keys.append(value) }
        let spelling = Spelling(lookup: sql, keys: keys.count)
        let spelled: String?
        if let known = spellings.withLock({ $0[spelling] }) {
            spelled = known
        } else {
            spelled = spell(sql, keys: keys.count)
            spellings.withLock { $0[spelling] = spelled }
        }
        return spelled.map { ($0, keys) }
    }

    /// A lookup's text and a number of distinct keys.
    private struct Spelling: Hashable {
        let lookup: String
        let keys: Int
    }

    /// What `spell` made of each lookup and number of keys (nil: not a lookup it can take apart). Spelling one
    /// costs about 7,000 instructions, three times per ledger submit on the single writer, and the answer never
    /// changes; only statements written in the code come here (values are bound, never spelled), so it holds a few
    /// dozen at most.
    private static let spellings = Mutex<[Spelling: String?]>([:])

    /// `sql` as `count` point queries, or nil unless it has the shape `pointQueries` needs. Built from bytes.
    private static func spell(_ sql: String, keys count: Int) -> String? {
        let list = " IN ({keys})".utf8
        let whereWord = " WHERE ".utf8
        var sql = sql
        return sql.withUTF8 { text -> String? in
            guard text.count > list.count, text[(text.count - list.count)...].elementsEqual(list) else { return nil }
            let headEnd = text.count - list.count
            var columnStart = headEnd
            while columnStart > 0, isColumnByte(text[columnStart - 1]) { columnStart -= 1 }
            let head = UnsafeBufferPointer(rebasing: text[..<headEnd])
            guard columnStart < headEnd, columnStart >= whereWord.count,
                text[(columnStart - whereWord.count)..<columnStart].elementsEqual(whereWord),
                !contains("{list}".utf8, in: head), !contains(keysPlaceholder.utf8, in: head)
            else { return nil }
            let equals = " = ?".utf8
            let union = " UNION ALL ".utf8
            var statement: [UInt8] = []
            statement.reserveCapacity(count * (head.count + equals.count + union.count))
            for index in 0..<count {
                if index > 0 { statement += union }
                statement.append(contentsOf: head)
                statement += equals
            }
            return String(decoding: statement, as: UTF8.self)
        }
    }

    /// Whether `pattern` occurs in `text`.
    private static func contains(_ pattern: String.UTF8View, in text: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let first = pattern.first, text.count >= pattern.count else { return false }
        for index in 0...(text.count - pattern.count) where text[index] == first {
            if text[index..<(index + pattern.count)].elementsEqual(pattern) { return true }
        }
        return false
    }

    /// A letter, a digit, `_` or `.`: the bytes of a column's name, qualified or not.
    private static func isColumnByte(_ byte: UInt8) -> Bool {
        let lower = byte | 0x20
        return (lower >= UInt8(ascii: "a") && lower <= UInt8(ascii: "z"))
            || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")) || byte == UInt8(ascii: "_")
            || byte == UInt8(ascii: ".")
    }
}

extension String {
    /// Replaces every `target` by `replacement`, comparing UTF-8 bytes: statements are built on every call on hot
    /// paths, where splitting or searching by `Character` cost as much as running the query.
    fileprivate func replacingOccurrences(of target: String, with replacement: String) -> String {
        let pattern = Array(target.utf8)
        precondition(!pattern.isEmpty, "nothing to replace")
        var text = self
        return text.withUTF8 { text in
            var result: [UInt8] = []
            result.reserveCapacity(text.count + replacement.utf8.count)
            // Runs between matches are copied whole, not byte by byte.
            var runStart = 0
            var index = 0
            while index <= text.count - pattern.count {
                if text[index] == pattern[0], UnsafeBufferPointer(rebasing: text[index..<index + pattern.count]).elementsEqual(pattern) {
                    result.append(contentsOf: UnsafeBufferPointer(rebasing: text[runStart..<index]))
                    result += replacement.utf8
                    index += pattern.count
                    runStart = index
                } else {
                    index += 1
                }
            }
            result.append(contentsOf: UnsafeBufferPointer(rebasing: text[runStart...]))
            return String(decoding: result, as: UTF8.self)
        }
    }
}
