@testable import PaylaterPostgres
import PaylaterStore
import Testing

@Suite("Prepared statements, the pipelined BEGIN and held-back writes", .needsPostgres)
struct PreparedTests {
    private func withAccounts(_ options: PostgresOptions = PostgresOptions(), _ body: (PostgresDatabase) throws -> Void) throws {
        try TemporaryPostgresDatabase.with { server in
            let database = try server.open(options)
            try database.write {
                try $0.executeScript(
                    "CREATE TABLE accounts (id TEXT PRIMARY KEY, balance BIGINT NOT NULL CHECK (balance >= 0))")
            }
            try body(database)
        }
    }

    private static let insert = "INSERT INTO accounts (id, balance) VALUES (?, ?)"
    private static let balances = [SQLColumn("balance", .integer)]

    @Test("a statement is prepared once per connection and runs by name afterwards; 0 prepares nothing")
    func preparedOnce() throws {
        for maximum in [PostgresOptions.preparedStatementsDefault, 0] {
            try withAccounts(PostgresOptions(maximumConnections: 1, preparedStatementsMaximum: maximum)) { database in
                for index in 0..<10 {
                    try database.write { try $0.execute(Self.insert, [.text("a\(index)"), .integer(1)]) }
                }
                let names = try database.read { connection in
                    try connection.query("SELECT name FROM pg_prepared_statements WHERE name LIKE 'paylater_%'", [])
                }
                let cached = try database.pool.withConnection { $0.prepared.count }
                if maximum == 0 {
                    #expect(names.isEmpty)
                    #expect(cached == 0)
                } else {
                    #expect(names.count >= 2)  // the insert and the query itself
                    #expect(cached == names.count)
                }
                let total = try database.read { try $0.query("SELECT SUM(balance) FROM accounts", [])[0].int64(0) }
                #expect(total == 10)
            }
        }
    }

    @Test("a prepared statement the server forgot (26000) empties the cache and the transaction runs again")
    func forgottenStatement() throws {
        try withAccounts(PostgresOptions(maximumConnections: 1)) { database in
            try database.write { try $0.execute(Self.insert, [.text("a"), .integer(1)]) }
            // As if a proxy had handed the client another server connection: the server knows no statement.
            try database.write { try $0.executeScript("DEALLOCATE ALL") }
            var attempts = 0
            try database.write { connection in
                attempts += 1
                try connection.execute(Self.insert, [.text("b"), .integer(2)])
            }
            #expect(attempts == 2)
            let count = try database.read { try $0.query("SELECT COUNT(*) FROM accounts", [])[0].int64(0) }
            #expect(count == 2)
        }
    }

    @Test("a held-back write that fails fails the COMMIT with its SQLSTATE and statement, and nothing commits")
    func deferredFailure() throws {
        try withAccounts { database in
            try database.write { try $0.execute(Self.insert, [.text("a"), .integer(1)]) }
            do {
                try database.write { connection in
                    try connection.execute(Self.insert, [.text("b"), .integer(5)])
                    try connection.updateRowsDeferred(
                        "accounts", key: SQLColumn("id", .text), columns: Self.balances,
                        rows: [[.text("a"), .integer(-1)], [.text("b"), .integer(7)]])
                }
                Issue.record("a negative balance was committed")
            } catch let StoreError.statementFailed(_, code, _, sql) {
                #expect(code == "23514")
                #expect(sql.hasPrefix("UPDATE accounts"))
            }
            let rows = try database.read { try $0.query("SELECT id, balance FROM accounts ORDER BY id", []) }
            #expect(rows.count == 1)
            #expect(try rows[0].int64(1) == 1)
            #expect(database.pool.statistics.dropped == 0)
            // The connection is reusable and a held-back write that succeeds commits with the COMMIT.
            try database.write { connection in
                try connection.insertRowsDeferred(
                    into: "accounts", columns: [SQLColumn("id", .text)] + Self.balances,
                    rows: [[.text("c"), .integer(3)]], suffix: "")
                try connection.updateRowsDeferred(
                    "accounts", key: SQLColumn("id", .text), columns: Self.balances, rows: [[.text("a"), .integer(4)]])
            }
            let total = try database.read { try $0.query("SELECT SUM(balance) FROM accounts", [])[0].int64(0) }
            #expect(total == 7)
        }
    }

    @Test("executeDeferred holds a statement back for the COMMIT (a request's idempotency key was completed in a round trip of its own, after an authorization's hold had locked the platform's exposure), and its failure fails the COMMIT")
    func executeDeferred() throws {
        try withAccounts { database in
            try database.write { try $0.execute(Self.insert, [.text("a"), .integer(1)]) }
            let held = try database.write { connection in
                try connection.executeDeferred("UPDATE accounts SET balance = ? WHERE id = ?", [.integer(5), .text("a")])
                return (connection as? PostgresConnection)?.deferred.count
            }
            #expect(held == 1)
            #expect(try database.read { try $0.query("SELECT balance FROM accounts", [])[0].int64(0) } == 5)
            #expect(throws: StoreError.self) {
                try database.write { try $0.executeDeferred("UPDATE accounts SET balance = ? WHERE id = ?", [.integer(-1), .text("a")]) }
            }
            #expect(try database.read { try $0.query("SELECT balance FROM accounts", [])[0].int64(0) } == 5)
        }
    }

    @Test("a held-back write runs before the next statement, which sees it")
    func deferredBeforeNext() throws {
        try withAccounts { database in
            let balance = try database.write { connection in
                try connection.insertRowsDeferred(
                    into: "accounts", columns: [SQLColumn("id", .text)] + Self.balances,
                    rows: [[.text("a"), .integer(9)]], suffix: "")
                return try connection.query("SELECT balance FROM accounts WHERE id = ?", [.text("a")])[0].int64(0)
            }
            #expect(balance == 9)
        }
    }

    @Test("a transaction that runs no statement commits without a round trip, and an error in the first one keeps its SQLSTATE")
    func emptyAndFirstStatement() throws {
        try withAccounts { database in
            try database.write { _ in }
            try database.read { _ in }
            #expect(throws: StoreError.statementFailed(
                engine: "PostgreSQL", code: "42601", message: "syntax error at or near \"SELEC\"", sql: "SELEC ?")
            ) {
                try database.write { try $0.query("SELEC ?", [.integer(1)]) }
            }
            #expect(database.pool.statistics.dropped == 0)
        }
    }

    @Test("queryBatch returns each query's rows in order, after the held-back writes; 0 prepares nothing")
    func queryBatchInOrder() throws {
        for maximum in [PostgresOptions.preparedStatementsDefault, 0] {
            try withAccounts(PostgresOptions(maximumConnections: 1, preparedStatementsMaximum: maximum)) { database in
                try database.write { try $0.execute(Self.insert, [.text("a"), .integer(1)]) }
                let results = try database.write { connection in
                    try connection.insertRowsDeferred(
                        into: "accounts", columns: [SQLColumn("id", .text)] + Self.balances,
                        rows: [[.text("b"), .integer(2)]], suffix: "")
                    return try connection.queryBatch([
                        ("SELECT id FROM accounts WHERE balance > ? ORDER BY id", [.integer(0)]),
                        ("SELECT balance FROM accounts WHERE id = ?", [.text("b")]),
                        ("SELECT id FROM accounts WHERE id = ?", [.text("missing")]),
                    ])
                }
                #expect(results.count == 3)
                #expect(try results[0].map { try $0.text(0) } == ["a", "b"])
                #expect(try results[1].map { try $0.int64(0) } == [2])
                #expect(results[2].isEmpty)
                // Run again on the same connection: now by name where prepared.
                let again = try database.write { connection in
                    try connection.queryBatch([
                        ("SELECT id FROM accounts WHERE balance > ? ORDER BY id", [.integer(1)]),
                        ("SELECT balance FROM accounts WHERE id = ?", [.text("a")]),
                    ])
                }
                #expect(try again[0].map { try $0.text(0) } == ["b"])
                #expect(try again[1].map { try $0.int64(0) } == [1])
                #expect(database.pool.statistics.dropped == 0)
            }
        }
    }

    @Test("a failing query in queryBatch throws its SQLSTATE and statement, rolls back, and the connection stays usable")
    func queryBatchFailure() throws {
        try withAccounts(PostgresOptions(maximumConnections: 1)) { database in
            do {
                _ = try database.write { connection in
                    try connection.execute(Self.insert, [.text("a"), .integer(1)])
                    return try connection.queryBatch([
                        ("SELECT id FROM accounts WHERE id = ?", [.text("a")]),
                        ("SELECT 1 / ?", [.integer(0)]),
                        ("SELECT id FROM accounts WHERE id = ?", [.text("a")]),
                    ])
                }
                Issue.record("division by zero succeeded")
            } catch let StoreError.statementFailed(_, code, _, sql) {
                #expect(code == "22012")
                #expect(sql == "SELECT 1 / ?")
            }
            let count = try database.read { try $0.query("SELECT COUNT(*) FROM accounts", [])[0].int64(0) }
            #expect(count == 0)
            #expect(database.pool.statistics.dropped == 0)
        }
    }

    @Test("a queryBatch statement the server forgot (26000) empties the cache and the transaction runs again")
    func queryBatchForgottenStatement() throws {
        try withAccounts(PostgresOptions(maximumConnections: 1)) { database in
            let batch: [(sql: String, arguments: [SQLValue])] = [
                ("SELECT COUNT(*) FROM accounts WHERE balance >= ?", [.integer(0)]),
                ("SELECT COUNT(*) FROM accounts WHERE id = ?", [.text("a")]),
            ]
            _ = try database.write { try $0.queryBatch(batch) }
            try database.write { try $0.executeScript("DEALLOCATE ALL") }
            var attempts = 0
            let rows = try database.write { connection in
                attempts += 1
                return try connection.queryBatch(batch)
            }
            #expect(attempts == 2)
            #expect(try rows.map { try $0[0].int64(0) } == [0, 0])
        }
    }
}
