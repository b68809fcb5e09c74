internal import CPostgres
import Glibc
import PaylaterStore

/// One libpq connection (`PGconn`) and its cache of rewritten statement texts.
///
/// A connection is used by one thread at a time: `PostgresDatabase`'s pool hands it out for one transaction and
/// takes it back before anyone else may use it, which is why it may cross threads (`@unchecked Sendable`).
///
/// Parameterised statements run as named prepared statements, prepared on first use and kept per connection (at
/// most `preparedStatementsMaximum`, after which further statements run unnamed), so the server parses each once
/// and, after a few executions, plans it once; see `PostgresConnection+Prepared.swift`, which also says how this
/// works behind pgbouncer. With a maximum of 0 every statement runs unnamed (`PQexecParams`), as before. Nothing
/// else relies on session state: no `SET` outside a transaction, no temporary tables.
final class PostgresConnection: SQLConnection, @unchecked Sendable {
    /// Rewritten statements kept per connection; beyond this the cache is emptied and refilled.
    static let rewrittenCacheMaximum = 1_024
    /// Rows one `FETCH` of `forEachRow` brings over.
    static let cursorFetchRows: Int32 = 1_000
    /// The most parameters one statement may have: the protocol counts them in 16 bits.
    static let parametersMaximum = 65_535
    /// The oldest server Paylater's SQL runs on (identity columns).
    static let serverVersionMinimum: Int32 = 10_00_00

    /// `PostgresDialect()`, or inside a read transaction the variant that locks no rows.
    var dialect: any SQLDialect { mode == .read ? PostgresDialect.readOnly : PostgresDialect() }
    /// The kind of transaction open on this connection.
    var mode = TransactionMode.write
    let handle: OpaquePointer
    /// The connection string without its password, for messages.
    let location: String
    /// Whether `executeBatch` sends its statements in one pipeline (libpq pipeline mode) rather than one round
    /// trip each. On by default; a switch for measuring and for proxies that mishandle pipelining.
    var pipelinesBatches = true
    /// Set when a statement of the current transaction failed with a retryable SQLSTATE; a body that swallowed the
    /// conflict then fails on with "transaction aborted", which is retryable too.
    var sawConflict = false
    /// Set when libpq answered something unexpected, leaving the protocol state unknown: the pool drops it.
    var isPoisoned = false
    /// How many named statements this connection prepares at most; 0 runs every statement unnamed.
    let preparedStatementsMaximum: Int
    /// The statements prepared on this connection, by text and parameter types, and their names.
    var prepared: [PreparedKey: String] = [:]
    /// Set when the server no longer knew a statement this connection had prepared (SQLSTATE 26000, e.g. behind a
    /// proxy that switched server connections): the cache is emptied and the transaction may run again.
    var lostPreparedStatement = false
    /// The BEGIN of the open transaction when it has not been sent yet: it goes out with the first statement.
    var pendingBegin: String?
    /// Statements held back to go out with the next one (see `deferStatement`).
    var deferred: [Outgoing] = []
    private var rewritten: [String: RewrittenSQL] = [:]
    private var cursorsDeclared = 0

    init(
        _ connectionString: ConnectionString, connectTimeoutSeconds: Int,
        preparedStatementsMaximum: Int = PostgresOptions.preparedStatementsDefault
    ) throws(StoreError) {
        location = connectionString.redacted
        self.preparedStatementsMaximum = preparedStatementsMaximum
        // Earlier entries can be overridden by the connection string, later ones override it: a timeout unless the
        // string sets one, and always UTF-8, which is how text is decoded.
        let keywords = ["connect_timeout", "fallback_application_name", "dbname", "client_encoding"]
        let values = [String(connectTimeoutSeconds), "paylater", connectionString.value, "UTF8"]
        let opened = Self.connect(keywords, values)
        guard let opened, PQstatus(opened) == CONNECTION_OK else {
            let message = opened.map { Self.trimmed(PQerrorMessage($0)) } ?? "libpq could not allocate a connection"
            PQfinish(opened)
            throw .cannotOpen(location: connectionString.redacted, message: message)
        }
        handle = opened
        // Server NOTICEs ("relation already exists, skipping") would otherwise be printed on stderr.
        PQsetNoticeProcessor(handle, { _, _ in }, nil)
        try checkServer()
    }

    deinit { PQfinish(handle) }

    private static func connect(_ keywords: [String], _ values: [String]) -> OpaquePointer? {
        let keywordPointers = keywords.map { strdup($0) }
        let valuePointers = values.map { strdup($0) }
        defer {
            keywordPointers.forEach { free($0) }
            valuePointers.forEach { free($0) }
        }
        let keywordArray: [UnsafePointer<CChar>?] = keywordPointers.map { $0.map { UnsafePointer($0) } } + [nil]
        let valueArray: [UnsafePointer<CChar>?] = valuePointers.map { $0.map { UnsafePointer($0) } } + [nil]
        return PQconnectdbParams(keywordArray, valueArray, 1)
    }

    /// Refuses servers whose behaviour the SQL here depends on differently.
    private func checkServer() throws(StoreError) {
        let version = PQserverVersion(handle)
        guard version >= Self.serverVersionMinimum else {
            let message = "PostgreSQL \(version / 10_000) is too old; Paylater needs 10 or newer"
            throw .cannotOpen(location: location, message: message)
        }
        // `?` placeholders are found by skipping '...' literals in which a backslash is an ordinary character.
        guard let setting = PQparameterStatus(handle, "standard_conforming_strings"), String(cString: setting) == "on" else {
            throw .cannotOpen(location: location, message: "standard_conforming_strings is off; Paylater needs it on")
        }
    }

    /// Whether the pool may hand this connection out again: open, idle outside any transaction, in a known state.
    var isReusable: Bool {
        !isPoisoned && PQstatus(handle) == CONNECTION_OK && PQtransactionStatus(handle) == PQTRANS_IDLE
            && PQpipelineStatus(handle) == PQ_PIPELINE_OFF && pendingBegin == nil && deferred.isEmpty
    }

    var isBroken: Bool { PQstatus(handle) != CONNECTION_OK }

    // MARK: - SQLConnection

    func execute(_ sql: String, _ arguments: [SQLValue]) throws(StoreError) {
        try withResult(sql, arguments) { _ throws(StoreError) in }
    }

    @discardableResult
    func executeBatch(_ sql: String, _ rows: [[SQLValue]]) throws(StoreError) -> Int {
        guard !rows.isEmpty else { return 0 }
        let statement = rewrite(sql)
        for row in rows { try checkArgumentCount(row, statement, sql) }
        if rows.count == 1 || !pipelinesBatches {
            var changed = 0
            for row in rows {
                changed += try withResult(sql, row) { result throws(StoreError) in Self.affectedRows(result) }
            }
            return changed
        }
        return try executePipelined(statement, sql, rows)
    }

    func query(_ sql: String, _ arguments: [SQLValue]) throws(StoreError) -> [SQLRow] {
        try withResult(sql, arguments) { result throws(StoreError) in try PostgresResultDecoder(result).rows() }
    }

    /// Sends the queries (with the pending BEGIN and deferred statements) in one pipeline, one round trip, and
    /// returns each one's rows in order; the first failure is thrown and aborts the transaction as usual.
    func queryBatch(_ queries: [(sql: String, arguments: [SQLValue])]) throws(StoreError) -> [[SQLRow]] {
        guard queries.count > 1 else {
            var rows: [[SQLRow]] = []
            for (sql, arguments) in queries { rows.append(try query(sql, arguments)) }
            return rows
        }
        var outgoing: [Outgoing] = []
        outgoing.reserveCapacity(queries.count)
        for (sql, arguments) in queries {
            let statement = rewrite(sql)
            try checkArgumentCount(arguments, statement, sql)
            let parameters = try PostgresParameters(arguments, sql: sql)
            outgoing.append(Outgoing(
                text: statement.text, parameters: parameters, key: preparedKey(statement.text, parameters), sql: sql))
        }
        let exchanged = try exchange(outgoing)
        if let failed = exchanged.failed {
            defer { PQclear(failed.result) }
            try check(failed.result, failed.sql)
            throw failure(failed.result, failed.sql)
        }
        defer { exchanged.results.forEach { PQclear($0) } }
        var rows: [[SQLRow]] = []
        rows.reserveCapacity(queries.count)
        for (result, query) in zip(exchanged.results, queries) {
            try check(result, query.sql)
            rows.append(try PostgresResultDecoder(result).rows())
        }
        return rows
    }

    /// Reads a SELECT through a cursor, `cursorFetchRows` rows at a time, so only that many are in memory; other
    /// statements (`INSERT ... RETURNING`, which a cursor cannot run) are read whole. The body may run other
    /// statements on this connection, including another `forEachRow`.
    func forEachRow(_ sql: String, _ arguments: [SQLValue], _ body: (SQLRow) throws -> Void) throws {
        guard Self.isSelect(sql) else {
            for row in try query(sql, arguments) { try body(row) }
            return
        }
        // Names are unique per connection, so a cursor left open by an aborted savepoint never collides, and the
        // cursor statements bypass the cache of rewritten statements, which would fill up with their names.
        cursorsDeclared += 1
        let cursor = "paylater_rows_\(cursorsDeclared)"
        try withResult(sql, arguments, prefix: "DECLARE \(cursor) NO SCROLL CURSOR FOR ") { _ throws(StoreError) in }
        let fetch = "FETCH FORWARD \(Self.cursorFetchRows) FROM \(cursor)"
        do {
            while true {
                let rows = try withResult(fetch, nil) { result throws(StoreError) in
                    try PostgresResultDecoder(result).rows()
                }
                for row in rows { try body(row) }
                if rows.count < Self.cursorFetchRows { break }
            }
            try withResult("CLOSE \(cursor)", nil) { _ throws(StoreError) in }
        } catch {
            // Fails harmlessly when the transaction is already aborted: the cursor ends with it.
            try? withResult("CLOSE \(cursor)", nil) { _ throws(StoreError) in }
            throw error
        }
    }

    func executeScript(_ sql: String) throws(StoreError) {
        try flushPending()
        let result = PQexec(handle, sql)
        defer { PQclear(result) }
        try check(result, sql)
    }

    // MARK: - Statements

    /// Runs one statement and hands its successful result to `body`; the result is cleared on every path.
    ///
    /// With `arguments`, `sql` is portable SQL whose placeholders are rewritten (and the rewrite cached), and
    /// `prefix` goes before the rewritten text; with nil, `sql` is sent as it is, without parameters.
    func withResult<T>(
        _ sql: String, _ arguments: [SQLValue]?, prefix: String = "", _ body: (OpaquePointer) throws(StoreError) -> T
    ) throws(StoreError) -> T {
        var text = sql
        if let arguments {
            let statement = rewrite(sql)
            try checkArgumentCount(arguments, statement, sql)
            text = prefix + statement.text
        }
        let parameters = try PostgresParameters(arguments ?? [], sql: sql)
        // Cursor statements carry a unique name in their prefix: preparing them would only fill the cache.
        let key = arguments != nil && prefix.isEmpty ? preparedKey(text, parameters) : nil
        let result: OpaquePointer?
        var failedSQL = sql
        if pendingBegin == nil, deferred.isEmpty, let key, let name = prepared[key] {
            result = parameters.withUnsafeArguments { count, _, values, lengths, formats in
                PQexecPrepared(handle, name, count, values, lengths, formats, 0)
            }
            if PQresultStatus(result) == PGRES_FATAL_ERROR { noteFailureOfPrepared(result) }
        } else if pendingBegin == nil, deferred.isEmpty, key == nil || prepared.count >= preparedStatementsMaximum {
            result = parameters.withUnsafeArguments { count, types, values, lengths, formats in
                PQexecParams(handle, text, count, types, values, lengths, formats, 0)
            }
        } else {
            (result, failedSQL) = try exchange(Outgoing(text: text, parameters: parameters, key: key, sql: sql))
        }
        defer { PQclear(result) }
        try check(result, failedSQL)
        return try body(result!)
    }

    /// Holds a statement back to go out with the next one (or the COMMIT): for writes whose count nobody reads.
    /// Arguments are checked now; the server's verdict comes with that next statement.
    func deferStatement(_ sql: String, _ arguments: [SQLValue]) throws(StoreError) {
        let statement = rewrite(sql)
        try checkArgumentCount(arguments, statement, sql)
        let parameters = try PostgresParameters(arguments, sql: sql)
        deferred.append(Outgoing(
            text: statement.text, parameters: parameters, key: preparedKey(statement.text, parameters), sql: sql))
    }

    /// The statement with numbered placeholders, from the cache when it was rewritten before.
    func rewrite(_ sql: String) -> RewrittenSQL {
        if let cached = rewritten[sql] { return cached }
        let statement = RewrittenSQL(portable: sql)
        if rewritten.count >= Self.rewrittenCacheMaximum { rewritten.removeAll(keepingCapacity: true) }
        rewritten[sql] = statement
        return statement
    }

    private func checkArgumentCount(_ arguments: [SQLValue], _ statement: RewrittenSQL, _ sql: String) throws(StoreError) {
        guard statement.parameterCount <= Self.parametersMaximum else {
            throw .statementFailed(
                engine: PostgresDatabase.engine, code: "54000",
                message: "\(statement.parameterCount) parameters; PostgreSQL takes at most \(Self.parametersMaximum)",
                sql: sql)
        }
        guard arguments.count == statement.parameterCount else {
            throw .statementFailed(
                engine: PostgresDatabase.engine, code: "bind",
                message: "\(arguments.count) arguments for \(statement.parameterCount) parameters", sql: sql)
        }
    }

    /// How many rows an INSERT, UPDATE or DELETE changed; 0 for other statements.
    static func affectedRows(_ result: OpaquePointer) -> Int {
        guard let text = PQcmdTuples(result) else { return 0 }
        return Int(String(cString: text)) ?? 0
    }

    /// Whether the statement's first keyword is SELECT, after any whitespace, comments and opening parentheses.
    static func isSelect(_ sql: String) -> Bool {
        let bytes = Array(sql.utf8)
        var index = 0
        func isAt(_ pair: String) -> Bool { bytes[index...].starts(with: pair.utf8) }
        while index < bytes.count {
            if bytes[index] == UInt8(ascii: "(") || bytes[index] == UInt8(ascii: " ") || (9...13).contains(bytes[index]) {
                index += 1
            } else if isAt("--") {
                while index < bytes.count && bytes[index] != UInt8(ascii: "\n") { index += 1 }
            } else if isAt("/*") {
                while index < bytes.count && !isAt("*/") { index += 1 }
                index += 2
            } else {
                break
            }
        }
        guard index < bytes.count else { return false }
        let word = bytes[index...].prefix { byte in
            let letter = byte | 0x20
            return (letter >= UInt8(ascii: "a") && letter <= UInt8(ascii: "z")) || byte == UInt8(ascii: "_")
                || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")) || byte >= 0x80
        }
        return word.map { $0 | 0x20 }.elementsEqual("select".utf8)
    }

    // MARK: - Errors

    /// SQLSTATEs after which running the whole transaction again may succeed.
    static let retryableStates: Set<String> = [
        "40001",  // serialization_failure
        "40P01",  // deadlock_detected
        "55P03",  // lock_not_available
    ]

    /// Throws unless `result` is a success: a command, rows, or an empty statement.
    func check(_ result: OpaquePointer?, _ sql: String) throws(StoreError) {
        switch PQresultStatus(result) {
        case PGRES_COMMAND_OK, PGRES_TUPLES_OK, PGRES_EMPTY_QUERY: return
        default: throw failure(result, sql)
        }
    }

    /// The error a failed result (or a nil one, when libpq could not even send) stands for; notes a conflict.
    func failure(_ result: OpaquePointer?, _ sql: String) -> StoreError {
        let state = result.flatMap { field($0, cpostgres_diag_sqlstate()) }
        let code = state ?? (isBroken ? "08006" : "client")
        var message = result.flatMap { field($0, cpostgres_diag_message_primary()) }
            ?? result.map { Self.trimmed(PQresultErrorMessage($0)) } ?? ""
        if message.isEmpty { message = Self.trimmed(PQerrorMessage(handle)) }
        if message.isEmpty, result != nil {
            message = "unexpected result status \(String(cString: PQresStatus(PQresultStatus(result))))"
        }
        if let detail = result.flatMap({ field($0, cpostgres_diag_message_detail()) }) { message += " (\(detail))" }
        if Self.retryableStates.contains(code) {
            sawConflict = true
            return .conflict(engine: PostgresDatabase.engine, code: code, message: message)
        }
        return .statementFailed(engine: PostgresDatabase.engine, code: code, message: message, sql: sql)
    }

    private func field(_ result: OpaquePointer, _ code: Int32) -> String? {
        PQresultErrorField(result, code).map { String(cString: $0) }
    }

    static func trimmed(_ text: UnsafePointer<CChar>?) -> String {
        guard let text else { return "" }
        var message = String(cString: text)
        while message.last?.isWhitespace == true { message.removeLast() }
        return message
    }
}
