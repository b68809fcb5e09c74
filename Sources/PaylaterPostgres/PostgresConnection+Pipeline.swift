internal import CPostgres
import PaylaterStore

/// `executeBatch` in libpq pipeline mode: the statement is parsed once as the unnamed statement, then bound and
/// executed once per row, with many rows in flight per round trip.
///
/// Rows go out in chunks of `pipelineChunkRows`, each followed by a flush request, and the chunk's results are read
/// before the next is sent; that bounds what is in flight and stops at the first failing chunk. One sync ends the
/// pipeline (inside the caller's transaction, so it commits nothing). The unnamed statement lives only until the
/// next statement replaces it, so this relies on no session state and works behind pgbouncer in transaction mode.
extension PostgresConnection {
    /// Rows sent before their results are read.
    static let pipelineChunkRows = 1_024

    func executePipelined(_ statement: RewrittenSQL, _ sql: String, _ rows: [[SQLValue]]) throws(StoreError) -> Int {
        try flushPending()
        guard PQenterPipelineMode(handle) == 1 else { throw failure(nil, sql) }
        var pipeline = Pipeline(connection: self, sql: sql)
        pipeline.run(statement, rows)
        pipeline.finish()
        if let error = pipeline.firstError { throw error }
        return pipeline.changed
    }
}

/// The state of one pipelined batch. Every failure is recorded, not thrown, so that the pipeline is always synced
/// and left before the error reaches the caller.
private struct Pipeline {
    let connection: PostgresConnection
    let sql: String
    var changed = 0
    var firstError: StoreError?
    /// Statements sent whose results have not been read yet.
    private var unread = 0

    init(connection: PostgresConnection, sql: String) {
        self.connection = connection
        self.sql = sql
    }

    private var handle: OpaquePointer { connection.handle }

    mutating func run(_ statement: RewrittenSQL, _ rows: [[SQLValue]]) {
        let types = PostgresParameters.batchTypes(rows, parameterCount: statement.parameterCount)
        let prepared = types.withUnsafeBufferPointer { types in
            PQsendPrepare(handle, "", statement.text, Int32(types.count), types.baseAddress)
        }
        guard prepared == 1 else { return record(connection.failure(nil, sql)) }
        unread = 1
        var start = 0
        while start < rows.count && firstError == nil {
            let end = min(start + PostgresConnection.pipelineChunkRows, rows.count)
            send(rows[start..<end], types: types)
            if firstError == nil { readResults() }
            start = end
        }
    }

    private mutating func send(_ rows: ArraySlice<[SQLValue]>, types: [Oid]) {
        for row in rows {
            let parameters: PostgresParameters
            do { parameters = try PostgresParameters(row, types: types, sql: sql) } catch { return record(error) }
            let sent = parameters.withUnsafeArguments { count, _, values, lengths, formats in
                PQsendQueryPrepared(handle, "", count, values, lengths, formats, 0)
            }
            guard sent == 1 else { return record(connection.failure(nil, sql)) }
            unread += 1
        }
        guard PQsendFlushRequest(handle) == 1, PQflush(handle) == 0 else { return record(connection.failure(nil, sql)) }
    }

    /// Reads one result per statement in flight: each is a result followed by a nil.
    private mutating func readResults() {
        while unread > 0 {
            guard let result = PQgetResult(handle) else { return lose("no result for a statement in the pipeline") }
            defer { PQclear(result) }
            unread -= 1
            switch PQresultStatus(result) {
            case PGRES_COMMAND_OK, PGRES_TUPLES_OK: changed += PostgresConnection.affectedRows(result)
            case PGRES_PIPELINE_ABORTED: break
            default: record(connection.failure(result, sql))
            }
            if let extra = PQgetResult(handle) {
                PQclear(extra)
                return lose("a statement in the pipeline had more than one result")
            }
        }
    }

    /// Syncs and leaves pipeline mode, reading whatever is still in flight.
    mutating func finish() {
        guard PQpipelineSync(handle) == 1 else { return lose("the pipeline could not be synced") }
        // At most one result and one nil per unread statement come before the sync's result.
        var budget = 2 * unread + 2
        while budget > 0 {
            budget -= 1
            guard let result = PQgetResult(handle) else {
                if connection.isBroken { return lose("the connection was lost in the pipeline") }
                continue
            }
            defer { PQclear(result) }
            switch PQresultStatus(result) {
            case PGRES_PIPELINE_SYNC:
                if PQexitPipelineMode(handle) != 1 { lose("libpq refused to leave pipeline mode") }
                return
            case PGRES_FATAL_ERROR: record(connection.failure(result, sql))
            default: break
            }
        }
        lose("the pipeline's sync never arrived")
    }

    private mutating func record(_ error: StoreError) {
        if firstError == nil { firstError = error }
    }

    /// Records an error and marks the connection unusable: its protocol state is no longer known.
    private mutating func lose(_ problem: String) {
        connection.isPoisoned = true
        let error = connection.failure(nil, sql)
        guard case let .statementFailed(engine, code, message, sql) = error else { return record(error) }
        let detailed = message.isEmpty ? problem : problem + ": " + message
        record(.statementFailed(engine: engine, code: code, message: detailed, sql: sql))
    }
}
