internal import CPostgres
import Glibc
import PaylaterStore

/// The kinds of transaction `PostgresDatabase` opens.
enum TransactionMode {
    /// READ COMMITTED: each statement sees what committed before it; `FOR UPDATE` locks what a writer will change.
    case write
    /// REPEATABLE READ, READ ONLY: every statement sees the snapshot the first one took.
    case read

    var beginStatement: String {
        switch self {
        case .write: "BEGIN ISOLATION LEVEL READ COMMITTED READ WRITE"
        case .read: "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY"
        }
    }
}

/// How one attempt at a transaction ended.
enum TransactionAttempt<T> {
    case committed(T)
    /// `retryable` when running the whole transaction again, on this or a fresh connection, may succeed and
    /// cannot apply it twice.
    case failed(any Error, retryable: Bool)
}

extension PostgresConnection {
    /// Runs `body` between BEGIN and COMMIT, rolling back when it throws.
    func transaction<T>(_ mode: TransactionMode, _ body: (any SQLConnection) throws -> T) -> TransactionAttempt<T> {
        sawConflict = false
        lostPreparedStatement = false
        self.mode = mode
        // A connection the server closed while it was idle (a restart, an idle timeout) is replaced before the body
        // runs. One that breaks later fails the first statement, which carries the BEGIN, and the transaction, of
        // which nothing committed, is retried on a fresh connection.
        if closedWhileIdle() { return .failed(failure(nil, "BEGIN"), retryable: true) }
        pendingBegin = mode.beginStatement
        let value: T
        do {
            value = try body(self)
        } catch {
            // A lost connection never committed; a conflict the body caught and replaced by another error still
            // aborted the transaction, and so did a prepared statement the server no longer knew.
            let retryable = (error as? StoreError)?.isRetryable == true || isBroken
                || ((sawConflict || lostPreparedStatement) && PQtransactionStatus(handle) == PQTRANS_INERROR)
            deferred.removeAll()  // held-back writes die with the transaction
            if pendingBegin != nil {
                pendingBegin = nil  // nothing was sent
            } else if !isBroken {
                try? executeScript("ROLLBACK")
            }
            return .failed(error, retryable: retryable)
        }
        return commit(value)
    }

    /// Whether the server closed the connection since its last transaction, found without a round trip: an idle
    /// connection has nothing to read unless the server sent its termination notice or closed the socket.
    private func closedWhileIdle() -> Bool {
        var descriptor = pollfd(fd: PQsocket(handle), events: Int16(POLLIN), revents: 0)
        var reads = 0
        while !isBroken, reads < 4, poll(&descriptor, 1, 0) > 0 {
            reads += 1
            if PQconsumeInput(handle) == 0 { break }
        }
        if reads > 0 && !isBroken { isPoisoned = true }  // something unexpected arrived: replace it, to be safe
        return isBroken || isPoisoned
    }

    private func commit<T>(_ value: T) -> TransactionAttempt<T> {
        if pendingBegin != nil && deferred.isEmpty {
            pendingBegin = nil  // the body ran no statement: there is nothing to commit
            return .committed(value)
        }
        // Held-back writes go out with the COMMIT, in one round trip; the first failure is reported.
        let result: OpaquePointer?
        var failedSQL = "COMMIT"
        if deferred.isEmpty && pendingBegin == nil {
            result = PQexec(handle, "COMMIT")
        } else {
            do {
                (result, failedSQL) = try exchange(Outgoing(
                    text: "COMMIT", parameters: try PostgresParameters([], sql: "COMMIT"), key: nil, sql: "COMMIT"))
            } catch {
                return .failed(
                    StoreError.statementFailed(
                        engine: PostgresDatabase.engine, code: "08007",
                        message: "the connection failed during COMMIT; whether the transaction committed is unknown: \(error)",
                        sql: "COMMIT"),
                    retryable: false)
            }
        }
        defer { PQclear(result) }
        guard PQresultStatus(result) == PGRES_COMMAND_OK else {
            let error = failure(result, failedSQL)
            if failedSQL != "COMMIT" {
                // A held-back write failed and the COMMIT never ran: the transaction is aborted, not committed.
                if !isBroken { try? executeScript("ROLLBACK") }
                let retryable = error.isRetryable || isBroken || lostPreparedStatement
                return .failed(error, retryable: retryable)
            }
            guard isBroken else { return .failed(error, retryable: error.isRetryable) }
            return .failed(
                StoreError.statementFailed(
                    engine: PostgresDatabase.engine, code: "08007",
                    message: "the connection was lost during COMMIT; whether the transaction committed is unknown: \(error)",
                    sql: "COMMIT"),
                retryable: false)
        }
        // COMMIT of a transaction that an error aborted answers ROLLBACK: the body caught an error and went on.
        guard let status = PQcmdStatus(result), String(cString: status) == "ROLLBACK" else { return .committed(value) }
        let error = StoreError.statementFailed(
            engine: PostgresDatabase.engine, code: "25P02",
            message: "the transaction was rolled back: a statement in it failed and the error was not passed on",
            sql: "COMMIT")
        return .failed(error, retryable: sawConflict || lostPreparedStatement)
    }
}
