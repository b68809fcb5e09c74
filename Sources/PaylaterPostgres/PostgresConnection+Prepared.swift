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
/// that statement's preparation), saving a round trip per transaction. Nothing of this outlives a transaction
/// except the prepared statements themselves.
extension PostgresConnection {
    struct PreparedKey: Hashable {
        let text: String
        let types: [Oid]
    }

    /// A statement's name, and whether it still has to be prepared on this connection.
    struct PreparedName {
        let key: PreparedKey
        let name: String
        let isNew: Bool
    }

    /// The name `text` runs under, or nil when it runs unnamed (preparing disabled, or the cache full).
    func preparedName(_ text: String, _ parameters: PostgresParameters) -> PreparedName? {
        guard preparedStatementsMaximum > 0 else { return nil }
        let key = PreparedKey(text: text, types: parameters.types)
        if let name = prepared[key] { return PreparedName(key: key, name: name, isNew: false) }
        guard prepared.count < preparedStatementsMaximum else { return nil }
        return PreparedName(key: key, name: Self.statementName(key), isNew: true)
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

    /// Sends the transaction's BEGIN now, alone, when a statement cannot take it along.
    func sendPendingBegin() throws(StoreError) {
        guard let begin = pendingBegin else { return }
        pendingBegin = nil
        let result = PQexec(handle, begin)
        defer { PQclear(result) }
        try check(result, begin)
    }

    /// Runs the statement in one pipeline after the pending BEGIN and its own preparation, whichever are needed;
    /// returns the first failed result, or else the statement's (the caller checks and clears it).
    func exchange(
        _ text: String, _ parameters: PostgresParameters, named: PreparedName?, sql: String
    ) throws(StoreError) -> OpaquePointer? {
        guard PQenterPipelineMode(handle) == 1 else { throw failure(nil, sql) }
        let begin = pendingBegin
        pendingBegin = nil
        var sent = true
        var commands = 0
        var prepareIndex: Int?
        if let begin {
            sent = PQsendQueryParams(handle, begin, 0, nil, nil, nil, nil, 0) == 1
            commands += 1
        }
        if sent, let named, named.isNew {
            sent = parameters.withUnsafeArguments { count, types, _, _, _ in
                PQsendPrepare(handle, named.name, text, count, types)
            } == 1
            prepareIndex = commands
            commands += 1
        }
        if sent {
            sent = parameters.withUnsafeArguments { count, types, values, lengths, formats in
                if let named {
                    PQsendQueryPrepared(handle, named.name, count, values, lengths, formats, 0)
                } else {
                    PQsendQueryParams(handle, text, count, types, values, lengths, formats, 0)
                }
            } == 1
            commands += 1
        }
        guard sent, PQpipelineSync(handle) == 1 else { throw lose("the statement could not be sent", sql) }
        var failed: OpaquePointer?
        var last: OpaquePointer?
        for index in 0..<commands {
            guard let result = PQgetResult(handle) else {
                PQclear(failed)
                PQclear(last)
                throw lose("no result for a statement in the pipeline", sql)
            }
            if let extra = PQgetResult(handle) {
                PQclear(extra)
                PQclear(result)
                PQclear(failed)
                PQclear(last)
                throw lose("a statement in the pipeline had more than one result", sql)
            }
            let status = PQresultStatus(result)
            if index == prepareIndex, status == PGRES_COMMAND_OK, let named { prepared[named.key] = named.name }
            if status == PGRES_FATAL_ERROR, failed == nil {
                failed = result
            } else if index == commands - 1 {
                last = result
            } else {
                PQclear(result)
            }
        }
        let sync = PQgetResult(handle)
        defer { PQclear(sync) }
        guard PQresultStatus(sync) == PGRES_PIPELINE_SYNC, PQgetResult(handle) == nil, PQexitPipelineMode(handle) == 1
        else {
            PQclear(failed)
            PQclear(last)
            throw lose("the pipeline's sync never arrived", sql)
        }
        guard let failed else { return last }
        PQclear(last)
        return failed
    }

    /// Forgets what the server no longer knows after a named statement failed.
    func noteFailure(of named: PreparedName, _ result: OpaquePointer?) {
        guard let state = PQresultErrorField(result, cpostgres_diag_sqlstate()).map({ String(cString: $0) }) else { return }
        switch state {
        case "26000":  // invalid_sql_statement_name
            prepared.removeAll()
            lostPreparedStatement = true
        case "42P05":  // duplicate_prepared_statement: the name stands for this very statement
            prepared[named.key] = named.name
            lostPreparedStatement = true
        default:
            break
        }
    }

    /// Marks the connection unusable (its protocol state is no longer known) and describes the problem.
    private func lose(_ problem: String, _ sql: String) -> StoreError {
        isPoisoned = true
        let error = failure(nil, sql)
        guard case let .statementFailed(engine, code, message, sql) = error else { return error }
        return .statementFailed(engine: engine, code: code, message: message.isEmpty ? problem : problem + ": " + message, sql: sql)
    }
}
