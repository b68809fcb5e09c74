internal import CPostgres
import PaylaterStore

/// Named prepared statements, and the BEGIN that travels with a transaction's first statement.
///
/// A parameterised statement is prepared the first time a connection runs it and executed by name afterwards, so
/// the server parses it once and, once its plan cache settles on a generic plan (after five executions), plans it
/// once. Each connection keeps at most `preparedStatementsMaximum` of them; statements beyond that run unnamed. A
/// name is derived from the statement's text and parameter types, so one name always means one statement, on every
/// connection and every client.
///
/// Behind pgbouncer in transaction mode, set `max_prepared_statements` (pgbouncer 1.21 or newer) above this
/// maximum: pgbouncer then tracks the protocol-level statements each client prepares and prepares them again on
/// whichever server connection serves it. Without that support, set the maximum to 0 (`PostgresOptions`). If the
/// server no longer knows a statement (SQLSTATE 26000: the connection was reset, `DISCARD ALL`, or a proxy switched
/// server connections), the connection forgets all it prepared and the transaction, which the error aborted before
/// anything of it could commit, is run again; a name that already exists (42P05) is taken as prepared, likewise.
///
/// A transaction's BEGIN is not sent on its own: it goes out in one libpq pipeline with the first statement (and
/// that statement's preparation), saving a round trip per transaction. Likewise writes whose count nobody reads
/// (`updateRowsDeferred`, `insertRowsDeferred`) wait and go out with the next statement or the COMMIT. Nothing of
/// this outlives a transaction except the prepared statements themselves.
extension PostgresConnection {
    struct PreparedKey: Hashable {
        let text: String
        let types: [Oid]
    }

    /// A statement ready to send: its final text, laid-out arguments, the key it is prepared under (nil: it runs
    /// unnamed) and the portable SQL for messages.
    struct Outgoing {
        let text: String
        let parameters: PostgresParameters
        let key: PreparedKey?
        let sql: String
    }

    /// The key `text` is prepared under, or nil when this connection prepares nothing.
    func preparedKey(_ text: String, _ parameters: PostgresParameters) -> PreparedKey? {
        preparedStatementsMaximum > 0 ? PreparedKey(text: text, types: parameters.types) : nil
    }

    /// `paylater_` and a 64-bit FNV-1a hash of the text and the parameter types, in hexadecimal.
    static func statementName(_ key: PreparedKey) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        func mix(_ byte: UInt8) {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01b3
        }
        for byte in key.text.utf8 { mix(byte) }
        for type in key.types {
            mix(0)
            for shift in stride(from: 0, to: 32, by: 8) { mix(UInt8(truncatingIfNeeded: type >> UInt32(shift))) }
        }
        let digits = String(hash, radix: 16)
        return "paylater_" + String(repeating: "0", count: 16 - digits.count) + digits
    }

    /// Sends the pending BEGIN and the deferred statements now, in one round trip, when the next statement cannot
    /// take them along; throws the first error.
    func flushPending() throws(StoreError) {
        guard pendingBegin != nil || !deferred.isEmpty else { return }
        let (result, sql) = try exchange(nil)
        defer { PQclear(result) }
        if let result { try check(result, sql) }
    }

    /// Runs, in one pipeline, the pending BEGIN, the deferred statements and then `statement` (if any), each
    /// prepared first where it is new to this connection. Returns the first failed result, or else the last
    /// statement's (nil when only BEGIN and deferred statements went out and all succeeded), with its SQL for
    /// messages; the caller checks and clears it. Throws, leaving the connection poisoned, when the pipeline itself
    /// fails.
    func exchange(_ statement: Outgoing?) throws(StoreError) -> (result: OpaquePointer?, sql: String) {
        let exchanged = try exchange(statement.map { [$0] } ?? [])
        if let failed = exchanged.failed { return (failed.result, failed.sql) }
        return (exchanged.results.last, exchanged.sql)
    }

    /// Runs, in one pipeline, the pending BEGIN, the deferred statements and then `statements`, each prepared first
    /// where it is new to this connection. Returns either the first failed result with its SQL (and no other
    /// result), or the results of `statements` in order; the caller checks and clears them. `sql` names the last
    /// statement, for messages. Throws, leaving the connection poisoned, when the pipeline itself fails.
    func exchange(
        _ tail: [Outgoing]
    ) throws(StoreError) -> (results: [OpaquePointer], failed: (result: OpaquePointer, sql: String)?, sql: String) {
        var statements = deferred
        deferred.removeAll()
        let tailStart = statements.count
        statements += tail
        let begin = pendingBegin
        pendingBegin = nil
        let messageSQL = tail.last?.sql ?? statements.last?.sql ?? begin ?? ""
        guard PQenterPipelineMode(handle) == 1 else { throw failure(nil, messageSQL) }
        // What each command sent is, in order: BEGIN, a preparation (of the key), or the statement at an index.
        enum Command {
            case begin
            case prepare(PreparedKey, String, statement: Int)
            case execute(statement: Int)
        }
        var commands: [Command] = []
        var sent = true
        if let begin {
            sent = PQsendQueryParams(handle, begin, 0, nil, nil, nil, nil, 0) == 1
            commands.append(.begin)
        }
        var preparedHere: [PreparedKey: String] = [:]
        for (index, outgoing) in statements.enumerated() where sent {
            var name: String?
            if let key = outgoing.key {
                if let known = prepared[key] ?? preparedHere[key] {
                    name = known
                } else if prepared.count + preparedHere.count < preparedStatementsMaximum {
                    let newName = Self.statementName(key)
                    sent = outgoing.parameters.withUnsafeArguments { count, types, _, _, _ in
                        PQsendPrepare(handle, newName, outgoing.text, count, types)
                    } == 1
                    commands.append(.prepare(key, newName, statement: index))
                    preparedHere[key] = newName
                    name = newName
                }
            }
            guard sent else { break }
            sent = outgoing.parameters.withUnsafeArguments { count, types, values, lengths, formats in
                if let name {
                    PQsendQueryPrepared(handle, name, count, values, lengths, formats, 0)
                } else {
                    PQsendQueryParams(handle, outgoing.text, count, types, values, lengths, formats, 0)
                }
            } == 1
            commands.append(.execute(statement: index))
        }
        guard sent, PQpipelineSync(handle) == 1 else { throw lose("the statement could not be sent", messageSQL) }
        var failed: (result: OpaquePointer, sql: String)?
        var kept: [OpaquePointer] = []
        kept.reserveCapacity(tail.count)
        func clearAll() {
            PQclear(failed?.result)
            kept.forEach { PQclear($0) }
        }
        for command in commands {
            guard let result = PQgetResult(handle) else {
                clearAll()
                throw lose("no result for a statement in the pipeline", messageSQL)
            }
            if let extra = PQgetResult(handle) {
                PQclear(extra)
                PQclear(result)
                clearAll()
                throw lose("a statement in the pipeline had more than one result", messageSQL)
            }
            let status = PQresultStatus(result)
            let sql: String
            var isTail = false
            switch command {
            case .begin:
                sql = begin ?? ""
            case let .prepare(key, name, index):
                sql = statements[index].sql
                if status == PGRES_COMMAND_OK { prepared[key] = name }
            case let .execute(index):
                sql = statements[index].sql
                isTail = index >= tailStart
            }
            if status == PGRES_FATAL_ERROR, failed == nil {
                noteFailure(result, command: command)
                failed = (result, sql)
            } else if isTail, failed == nil {
                kept.append(result)
            } else {
                PQclear(result)
            }
        }
        let sync = PQgetResult(handle)
        defer { PQclear(sync) }
        guard PQresultStatus(sync) == PGRES_PIPELINE_SYNC, PQgetResult(handle) == nil, PQexitPipelineMode(handle) == 1
        else {
            clearAll()
            throw lose("the pipeline's sync never arrived", messageSQL)
        }
        if let failed {
            kept.forEach { PQclear($0) }
            return ([], failed, messageSQL)
        }
        guard kept.count == tail.count else {
            kept.forEach { PQclear($0) }
            throw lose("the pipeline returned \(kept.count) results for \(tail.count) statements", messageSQL)
        }
        return (kept, nil, messageSQL)

        /// Forgets what the server no longer knows after a statement failed.
        func noteFailure(_ result: OpaquePointer, command: Command) {
            switch (Self.sqlState(result), command) {
            case ("26000", .execute):  // invalid_sql_statement_name
                prepared.removeAll()
                lostPreparedStatement = true
            case let ("42P05", .prepare(key, name, _)):  // duplicate_prepared_statement: the name means this statement
                prepared[key] = name
                lostPreparedStatement = true
            default:
                break
            }
        }
    }

    /// After a named statement run alone failed: forgets every prepared statement if the server did.
    func noteFailureOfPrepared(_ result: OpaquePointer?) {
        guard Self.sqlState(result) == "26000" else { return }
        prepared.removeAll()
        lostPreparedStatement = true
    }

    static func sqlState(_ result: OpaquePointer?) -> String? {
        PQresultErrorField(result, cpostgres_diag_sqlstate()).map { String(cString: $0) }
    }

    /// Marks the connection unusable (its protocol state is no longer known) and describes the problem.
    private func lose(_ problem: String, _ sql: String) -> StoreError {
        isPoisoned = true
        let error = failure(nil, sql)
        guard case let .statementFailed(engine, code, message, sql) = error else { return error }
        return .statementFailed(engine: engine, code: code, message: message.isEmpty ? problem : problem + ": " + message, sql: sql)
    }
}
