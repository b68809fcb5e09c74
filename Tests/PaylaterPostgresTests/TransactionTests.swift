@testable import PaylaterPostgres
import PaylaterStore
import Testing

@Suite("Transactions and errors", .needsPostgres)
struct TransactionTests {
    private struct Refusal: Error {}

    private func withAccounts(_ body: (PostgresDatabase) throws -> Void) throws {
        try TemporaryPostgresDatabase.with { server in
            let database = try server.open()
            try database.write { try $0.executeScript("CREATE TABLE accounts (id TEXT PRIMARY KEY, balance BIGINT NOT NULL)") }
            try body(database)
        }
    }

    private func count(_ database: PostgresDatabase) throws -> Int64 {
        try database.read { try $0.query("SELECT COUNT(*) FROM accounts", [])[0].int64(0) }
    }

    @Test("a unique violation carries SQLSTATE 23505 and the statement")
    func uniqueViolation() throws {
        try withAccounts { database in
            let insert = "INSERT INTO accounts (id, balance) VALUES (?, ?)"
            try database.write { try $0.execute(insert, [.text("a"), .integer(1)]) }
            do {
                try database.write { try $0.execute(insert, [.text("a"), .integer(2)]) }
                Issue.record("a duplicate key was inserted")
            } catch let StoreError.statementFailed(engine, code, message, sql) {
                #expect(engine == "PostgreSQL")
                #expect(code == "23505")
                #expect(message.contains("accounts_pkey"))
                #expect(sql == insert)
            }
        }
    }

    @Test("a syntax error carries SQLSTATE 42601")
    func syntaxError() throws {
        try withAccounts { database in
            #expect(throws: StoreError.statementFailed(
                engine: "PostgreSQL", code: "42601", message: "syntax error at or near \"SELEC\"", sql: "SELEC 1")
            ) {
                try database.read { try $0.query("SELEC 1", []) }
            }
        }
    }

    @Test("a write whose body throws leaves nothing behind")
    func rollback() throws {
        try withAccounts { database in
            #expect(throws: Refusal.self) {
                try database.write { connection in
                    try connection.execute("INSERT INTO accounts (id, balance) VALUES ('a', 1)", [])
                    throw Refusal()
                }
            }
            let remaining = try count(database)
            #expect(remaining == 0)
            #expect(database.pool.statistics.dropped == 0)
        }
    }

    @Test("a body that swallows a failed statement does not commit what came before")
    func swallowedFailure() throws {
        try withAccounts { database in
            do {
                try database.write { connection in
                    try connection.execute("INSERT INTO accounts (id, balance) VALUES ('a', 1)", [])
                    try? connection.execute("INSERT INTO accounts (id, balance) VALUES ('a', 1)", [])
                }
                Issue.record("the write reported success")
            } catch let StoreError.statementFailed(_, code, _, _) {
                #expect(code == "25P02")
            }
            #expect(try count(database) == 0)
        }
    }

    @Test("a savepoint rolled back after a failed statement lets the transaction go on")
    func savepoints() throws {
        try withAccounts { database in
            try database.write { connection in
                try connection.execute("INSERT INTO accounts (id, balance) VALUES ('a', 1)", [])
                try connection.execute("SAVEPOINT attempt", [])
                #expect(throws: StoreError.self) {
                    try connection.execute("INSERT INTO accounts (id, balance) VALUES ('a', 1)", [])
                }
                try connection.execute("ROLLBACK TO attempt", [])
                try connection.execute("RELEASE attempt", [])
                try connection.execute("INSERT INTO accounts (id, balance) VALUES ('b', 1)", [])
            }
            #expect(try count(database) == 2)
        }
    }

    @Test("a read sees one snapshot even when a write commits in between")
    func readSnapshot() throws {
        try withAccounts { database in
            let counts = try database.read { connection in
                let before = try connection.query("SELECT COUNT(*) FROM accounts", [])[0].int64(0)
                try database.write { try $0.execute("INSERT INTO accounts (id, balance) VALUES ('a', 1)", []) }
                let after = try connection.query("SELECT COUNT(*) FROM accounts", [])[0].int64(0)
                return [before, after]
            }
            #expect(counts == [0, 0])
            #expect(try count(database) == 1)
        }
    }

    @Test("a read cannot write: SQLSTATE 25006")
    func readOnly() throws {
        try withAccounts { database in
            do {
                try database.read { try $0.execute("INSERT INTO accounts (id, balance) VALUES ('a', 1)", []) }
                Issue.record("a read transaction wrote")
            } catch let StoreError.statementFailed(_, code, _, _) {
                #expect(code == "25006")
            }
        }
    }

    @Test("a read locks no rows: its dialect drops the row lock, which a READ ONLY transaction refuses")
    func readDialect() throws {
        try withAccounts { database in
            #expect(try database.read { $0.dialect.lockRowsClause } == "")
            #expect(try database.write { $0.dialect.lockRowsClause } == " FOR NO KEY UPDATE")
            let locked = try database.read { connection in
                try connection.query("SELECT id FROM accounts" + connection.dialect.lockRowsClause, [])
            }
            #expect(locked.isEmpty)
        }
    }

    @Test("a server NOTICE does not fail the statement")
    func notices() throws {
        try withAccounts { database in
            try database.write { try $0.executeScript("CREATE TABLE IF NOT EXISTS accounts (id TEXT); DROP TABLE IF EXISTS nothing") }
        }
    }

    @Test("a script may hold several statements and end with a query")
    func scripts() throws {
        try withAccounts { database in
            try database.write { connection in
                try connection.executeScript("""
                    INSERT INTO accounts VALUES ('a', 1); -- a comment with a ?
                    INSERT INTO accounts VALUES ('b', 2);
                    SELECT 1
                    """)
            }
            #expect(try count(database) == 2)
        }
    }
}
