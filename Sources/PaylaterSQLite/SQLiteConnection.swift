internal import CSQLite
import PaylaterStore

/// One SQLite connection and its cache of prepared statements.
///
/// A connection is used by one thread at a time: `SQLiteDatabase` hands it out under a lock and takes it back
/// before anyone else may use it, which is why it may cross threads (`@unchecked Sendable`).
final class SQLiteConnection: SQLConnection, @unchecked Sendable {
    /// Prepared statements kept per connection; beyond this the cache is emptied and refilled.
    private static let cachedStatementMaximum = 256

    let dialect: any SQLDialect = SQLiteDialect()
    private let handle: OpaquePointer
    private var statements: [StatementText: OpaquePointer] = [:]
    /// Frames in the write-ahead log after this connection's latest commit, once `countWALFrames()` was called.
    private(set) var walFrames = 0

    /// The page size of a new database file (set before its first table; a file keeps the size it was created
    /// with). An authorization changes some fifteen pages at random places in indexes keyed by hashes and ids,
    /// each written whole to the log at COMMIT, so smaller pages write less; larger ones make shallower trees.
    /// Measured on 2026-12-06 (docs/BENCHMARKS.md): against 16 KiB, 8 KiB pages gave the API benchmark 6-12% more
    /// authorizations/s (four alternating 10 s pairs; 60 s runs: 2,072-2,429 against 1,937-2,032/s) with a third
    /// fewer bytes written, the replayed SQL of an authorization 10% less time, the ledger's batches of 8,000 the
    /// same rate and its single transfers 15% more; 4 KiB pages cost the batches 6-15%.
    static let pageSize = 8_192

    /// Process-wide settings SQLite accepts only before its first connection: memory statistics off (they take a
    /// global mutex on each of SQLite's allocations, about 300 per authorization on the writer; nothing reads them).
    /// Should something in the process have initialized SQLite first, they stay on, which changes nothing else.
    private static let libraryConfigured: Void = { _ = csqlite_disable_memory_statistics() }()

    /// The bytes SQLite counts as allocated: stays 0 while its memory statistics are off (tests).
    static var memoryCountedBySQLite: Int64 { sqlite3_memory_used() }

    /// `syncsOwnCommits`: the owner syncs the WAL after each COMMIT itself (`WALSync`), so COMMIT need not.
    init(path: String, durability: SQLiteDurability, isWriter: Bool, syncsOwnCommits: Bool = false) throws(StoreError) {
        Self.libraryConfigured
        var opened: OpaquePointer?
        let flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX
        let status = sqlite3_open_v2(path, &opened, flags, nil)
        guard status == SQLITE_OK, let opened else {
            let message = opened.map { String(cString: sqlite3_errmsg($0)) } ?? String(cString: sqlite3_errstr(status))
            sqlite3_close_v2(opened)
            throw .cannotOpen(location: path, message: message)
        }
        handle = opened
        sqlite3_extended_result_codes(handle, 1)
        sqlite3_busy_timeout(handle, 10_000)
        do {
            try configure(durability: durability, isWriter: isWriter, syncsOwnCommits: syncsOwnCommits)
        } catch {
            throw .cannotOpen(location: path, message: error.description)
        }
    }

    deinit {
        for statement in statements.values { sqlite3_finalize(statement) }
        sqlite3_close_v2(handle)
    }

    private func configure(durability: SQLiteDurability, isWriter: Bool, syncsOwnCommits: Bool) throws(StoreError) {
        try executeScript("PRAGMA page_size = \(Self.pageSize)")
        let mode = try query("PRAGMA journal_mode = WAL", [])
        guard case .text("wal")? = mode.first?.values.first else {
            throw .statementFailed(engine: "SQLite", code: "journal_mode", message: "WAL could not be enabled", sql: "PRAGMA journal_mode")
        }
        let synchronous = durability == .full && !syncsOwnCommits ? "FULL" : "NORMAL"
        try executeScript("PRAGMA synchronous = \(synchronous); PRAGMA foreign_keys = ON; PRAGMA cache_size = -65536; PRAGMA wal_autocheckpoint = 10000")
        // Savepoint journals in memory: group commit runs every body in its own SAVEPOINT, and SQLite copies each
        // page a body changes into that savepoint's journal, which otherwise spills to a temporary file past
        // 64 KiB. Measured on the API benchmark: more page writes to that file than to the WAL itself. It holds at
        // most the pages one transaction changes, and a crash loses nothing by it (the WAL is the durable record).
        try executeScript("PRAGMA temp_store = MEMORY")
        if !isWriter { try executeScript("PRAGMA query_only = 1") }
    }

    // MARK: - SQLConnection

    func execute(_ sql: String, _ arguments: [SQLValue]) throws(StoreError) {
        try withStatement(sql, arguments) { statement throws(StoreError) in
            while try step(statement, sql) {}
        }
    }

    @discardableResult
    func executeBatch(_ sql: String, _ rows: [[SQLValue]]) throws(StoreError) -> Int {
        guard !rows.isEmpty else { return 0 }
        let (statement, cached) = try prepared(sql)
        defer { finish(statement, cached: cached) }
        var changed = 0
        for arguments in rows {
            try bind(arguments, to: statement, sql)
            while try step(statement, sql) {}
            changed += Int(sqlite3_changes(handle))
            sqlite3_reset(statement)
        }
        return changed
    }

    /// `key` must be the table's `INTEGER PRIMARY KEY` (the rowid's alias), which is what the last rowid is.
    func insertReturningKey(_ sql: String, _ arguments: [SQLValue], key: String) throws(StoreError) -> Int64? {
        var inserted = false
        try withStatement(sql, arguments) { statement throws(StoreError) in
            while try step(statement, sql) {}
            inserted = sqlite3_changes(handle) == 1
        }
        return inserted ? sqlite3_last_insert_rowid(handle) : nil
    }

    func query(_ sql: String, _ arguments: [SQLValue]) throws(StoreError) -> [SQLRow] {
        var rows: [SQLRow] = []
        try withStatement(sql, arguments) { statement throws(StoreError) in
            while try step(statement, sql) { rows.append(try row(statement)) }
        }
        return rows
    }

    func forEachRow(_ sql: String, _ arguments: [SQLValue], _ body: (SQLRow) throws -> Void) throws {
        let (statement, cached) = try prepared(sql)
        defer { finish(statement, cached: cached) }
        try bind(arguments, to: statement, sql)
        while try step(statement, sql) { try body(try row(statement)) }
    }

    func executeScript(_ sql: String) throws(StoreError) {
        var message: UnsafeMutablePointer<CChar>?
        let status = sqlite3_exec(handle, sql, nil, nil, &message)
        defer { sqlite3_free(message) }
        if status != SQLITE_OK { throw error(status, sql, message.map { String(cString: $0) }) }
    }

    // MARK: - Statements

    private func withStatement(
        _ sql: String, _ arguments: [SQLValue], _ body: (OpaquePointer) throws(StoreError) -> Void
    ) throws(StoreError) {
        let (statement, cached) = try prepared(sql)
        defer { finish(statement, cached: cached) }
        try bind(arguments, to: statement, sql)
        try body(statement)
    }

    /// A cached statement, or a fresh one when the cached one is in use by an enclosing `forEachRow`; `cached`
    /// says which, so that `finish` need not look the text up again (hashing a statement's whole text, twice per
    /// execution, was a measurable part of the single writer's time).
    private func prepared(_ sql: String) throws(StoreError) -> (statement: OpaquePointer, cached: Bool) {
        let key = StatementText(sql)
        let cached = statements[key]
        if let cached, sqlite3_stmt_busy(cached) == 0 { return (cached, true) }
        var statement: OpaquePointer?
        let status = sqlite3_prepare_v3(handle, sql, -1, UInt32(SQLITE_PREPARE_PERSISTENT), &statement, nil)
        guard status == SQLITE_OK, let statement else { throw error(status, sql) }
        guard cached == nil else { return (statement, false) }
        if statements.count >= Self.cachedStatementMaximum { clearCache() }
        statements[key] = statement
        return (statement, true)
    }

    /// Resets a cached statement for its next use, or finalizes an uncached one.
    private func finish(_ statement: OpaquePointer, cached: Bool) {
        if cached {
            sqlite3_reset(statement)
            sqlite3_clear_bindings(statement)
        } else {
            sqlite3_finalize(statement)
        }
    }

    /// Finalizes every cached statement not in use; a statement an enclosing `forEachRow` is stepping stays.
    private func clearCache() {
        let inUse = statements.filter { sqlite3_stmt_busy($0.value) != 0 }
        for (text, statement) in statements where inUse[text] == nil { sqlite3_finalize(statement) }
        statements = inUse
    }

    private func bind(_ arguments: [SQLValue], to statement: OpaquePointer, _ sql: String) throws(StoreError) {
        let expected = Int(sqlite3_bind_parameter_count(statement))
        guard expected == arguments.count else {
            throw .statementFailed(
                engine: "SQLite", code: "bind", message: "\(arguments.count) arguments for \(expected) parameters", sql: sql)
        }
        for (offset, argument) in arguments.enumerated() {
            let index = Int32(offset + 1)
            let status: Int32
            switch argument {
            case .null:
                status = sqlite3_bind_null(statement, index)
            case let .integer(value):
                status = sqlite3_bind_int64(statement, index, value)
            case let .text(value):
                status = value.withCString { text in
                    sqlite3_bind_text(statement, index, text, Int32(value.utf8.count), csqlite_transient())
                }
            case let .blob(value):
                status = value.withUnsafeBytes { bytes in
                    sqlite3_bind_blob(statement, index, bytes.baseAddress, Int32(bytes.count), csqlite_transient())
                }
            }
            if status != SQLITE_OK { throw error(status, sql) }
        }
    }

    /// Advances `statement`; true when a row is ready, false when it is done.
    private func step(_ statement: OpaquePointer, _ sql: String) throws(StoreError) -> Bool {
        switch sqlite3_step(statement) {
        case SQLITE_ROW: return true
        case SQLITE_DONE: return false
        case let status: throw error(status, sql)
        }
    }

    private func row(_ statement: OpaquePointer) throws(StoreError) -> SQLRow {
        let count = sqlite3_column_count(statement)
        var values: [SQLValue] = []
        values.reserveCapacity(Int(count))
        for column in 0..<count {
            switch sqlite3_column_type(statement, column) {
            case SQLITE_NULL:
                values.append(.null)
            case SQLITE_INTEGER:
                values.append(.integer(sqlite3_column_int64(statement, column)))
            case SQLITE_TEXT:
                let bytes = UnsafeRawBufferPointer(
                    start: sqlite3_column_text(statement, column), count: Int(sqlite3_column_bytes(statement, column)))
                values.append(.text(String(decoding: bytes, as: UTF8.self)))
            case SQLITE_BLOB:
                let bytes = UnsafeRawBufferPointer(
                    start: sqlite3_column_blob(statement, column), count: Int(sqlite3_column_bytes(statement, column)))
                values.append(.blob(Array(bytes)))
            default:
                throw .unreadableRow("column \(column) holds a floating-point value; Paylater stores none")
            }
        }
        return SQLRow(values)
    }

    /// A statement's text as the key of the cache, hashed by its length and its first and last bytes only.
    ///
    /// Why: the cache is asked once per statement run, about 60 times per authorization, and hashing whole texts
    /// of 100–400 bytes each time was 3% of the single writer's instructions (callgrind, 2026-12-06). Texts that
    /// share length and both ends only share a bucket: equality still compares them whole. The sampled bytes are
    /// folded into one word by multiplying (`fold`) and only that word goes through `Hasher`, whose SipHash over
    /// the 48 bytes themselves still cost some 540 instructions a look-up, 2% of the writer (callgrind, 2026-12-06).
    struct StatementText: Hashable {
        /// Bytes hashed from each end: past the verb and the table, and the placeholders' tail.
        static let sampledBytes = 24

        let text: String

        init(_ text: String) { self.text = text }

        static func == (left: StatementText, right: StatementText) -> Bool { left.text == right.text }

        func hash(into hasher: inout Hasher) {
            var text = text
            text.withUTF8 { bytes in
                let sample = Self.sampledBytes
                guard bytes.count > 2 * sample else {
                    hasher.combine(bytes.count)
                    return hasher.combine(bytes: UnsafeRawBufferPointer(bytes))
                }
                hasher.combine(Self.fold(UnsafeRawBufferPointer(bytes), sampling: sample))
            }
        }

        /// The length and the first and last `sample` bytes (a multiple of 8) of `bytes`, longer than both
        /// together, mixed into one word: each 8-byte word is added in and the sum multiplied by an odd constant
        /// (the golden ratio's, as in Fibonacci hashing) and shifted down, so that every sampled byte moves the
        /// result. Not a hash to resist chosen texts: `Hasher`, seeded per process, still hashes the word.
        static func fold(_ bytes: UnsafeRawBufferPointer, sampling sample: Int) -> UInt64 {
            assert(sample % 8 == 0 && bytes.count > 2 * sample)
            var folded = UInt64(bytes.count)
            func mix(at start: Int) {
                folded = (folded ^ bytes.loadUnaligned(fromByteOffset: start, as: UInt64.self)) &* 0x9E37_79B9_7F4A_7C15
                folded ^= folded >> 29
            }
            for offset in stride(from: 0, to: sample, by: 8) {
                mix(at: offset)
                mix(at: bytes.count - sample + offset)
            }
            return folded
        }
    }

    // MARK: - Errors

    private func error(_ status: Int32, _ sql: String, _ detail: String? = nil) -> StoreError {
        let message = detail ?? String(cString: sqlite3_errmsg(handle))
        let code = "\(String(cString: sqlite3_errstr(status))) (\(status))"
        switch status & 0xff {
        case SQLITE_BUSY, SQLITE_LOCKED: return .conflict(engine: "SQLite", code: code, message: message)
        default: return .statementFailed(engine: "SQLite", code: code, message: message, sql: sql)
        }
    }

    // MARK: - Write-ahead log

    /// Replaces SQLite's automatic checkpoint with a count of the log's frames after each commit (`walFrames`):
    /// the owner decides when and where to checkpoint (`WALCheckpointer`). SQLite calls the hook on the thread
    /// that committed, after the commit, so `walFrames` is read on the same thread.
    func countWALFrames() {
        let context = Unmanaged.passUnretained(self).toOpaque()
        sqlite3_wal_hook(handle, { context, _, _, frames in
            guard let context else { return SQLITE_OK }
            Unmanaged<SQLiteConnection>.fromOpaque(context).takeUnretainedValue().walFrames = Int(frames)
            return SQLITE_OK
        }, context)
    }

    /// Copies the log's frames that no reader still needs from the log into the database file and syncs it,
    /// without waiting for the writer or readers (`SQLITE_CHECKPOINT_PASSIVE`). Returns the log's frames and how
    /// many of them are now copied.
    func checkpoint() throws(StoreError) -> (logFrames: Int, copiedFrames: Int) {
        var logFrames: Int32 = 0
        var copiedFrames: Int32 = 0
        let status = sqlite3_wal_checkpoint_v2(handle, nil, SQLITE_CHECKPOINT_PASSIVE, &logFrames, &copiedFrames)
        guard status == SQLITE_OK else { throw error(status, "PRAGMA wal_checkpoint(PASSIVE)") }
        return (Int(logFrames), Int(copiedFrames))
    }

    // MARK: - Transactions

    /// True between BEGIN and COMMIT or ROLLBACK (false again when SQLite rolled a transaction back on its own).
    var isInTransaction: Bool { sqlite3_get_autocommit(handle) == 0 }

    /// Runs `body` between BEGIN and COMMIT, rolling back when it throws or the commit fails.
    ///
    /// BEGIN and COMMIT are prepared statements (cached like any other): `sqlite3_exec` parsed them again for every
    /// read transaction, several per API request.
    func transaction<T>(immediate: Bool, _ body: (SQLiteConnection) throws -> T) throws -> T {
        try execute(immediate ? "BEGIN IMMEDIATE" : "BEGIN", [])
        do {
            let result = try body(self)
            try execute("COMMIT", [])
            return result
        } catch {
            try? executeScript("ROLLBACK")
            throw error
        }
    }
}
