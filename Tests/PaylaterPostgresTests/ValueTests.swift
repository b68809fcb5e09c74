@testable import PaylaterPostgres
import PaylaterStore
import Testing

@Suite("Values read back as they were written", .needsPostgres)
struct ValueTests {
    private func withTable(_ body: (PostgresDatabase) throws -> Void) throws {
        try TemporaryPostgresDatabase.with { server in
            let database = try server.open()
            try database.write { try $0.executeScript("CREATE TABLE v (k SERIAL PRIMARY KEY, i BIGINT, t TEXT, b BYTEA)") }
            try body(database)
        }
    }

    @Test("integers from Int64.min to Int64.max round-trip")
    func integers() throws {
        try withTable { database in
            _ = try database.write { connection in
                try connection.executeBatch("INSERT INTO v (i) VALUES (?)", SampleValues.integers.map { [.integer($0)] })
            }
            let read = try database.read { try $0.query("SELECT i FROM v ORDER BY k", []).map { try $0.int64(0) } }
            #expect(read == SampleValues.integers)
        }
    }

    @Test("text round-trips, empty and non-ASCII included")
    func texts() throws {
        try withTable { database in
            for text in SampleValues.texts {
                try database.write { try $0.execute("INSERT INTO v (t) VALUES (?)", [.text(text)]) }
            }
            let read = try database.read { try $0.query("SELECT t FROM v ORDER BY k", []).map { try $0.text(0) } }
            #expect(read == SampleValues.texts)
        }
    }

    @Test("blobs round-trip, empty and every byte value included")
    func blobs() throws {
        try withTable { database in
            _ = try database.write { connection in
                try connection.executeBatch("INSERT INTO v (b) VALUES (?)", SampleValues.blobs.map { [.blob($0)] })
            }
            let read = try database.read { try $0.query("SELECT b FROM v ORDER BY k", []).map { try $0.blob(0) } }
            #expect(read == SampleValues.blobs)
            let lengths = try database.read { try $0.query("SELECT length(b) FROM v ORDER BY k", []).map { try $0.int64(0) } }
            #expect(lengths == SampleValues.blobs.map { Int64($0.count) })
        }
    }

    @Test("NULL round-trips in every column type")
    func nulls() throws {
        try withTable { database in
            try database.write { try $0.execute("INSERT INTO v (i, t, b) VALUES (?, ?, ?)", [.null, .null, .null]) }
            let row = try database.read { try $0.query("SELECT i, t, b FROM v", []) }
            #expect(row.map(\.values) == [[.null, .null, .null]])
        }
    }

    @Test("a blob filter matches the same bytes")
    func blobParameter() throws {
        try withTable { database in
            try database.write { try $0.execute("INSERT INTO v (i, b) VALUES (?, ?)", [.integer(7), .blob([1, 2, 0, 3])]) }
            let rows = try database.read { try $0.query("SELECT i FROM v WHERE b = ?", [.blob([1, 2, 0, 3])]) }
            #expect(rows.map(\.values) == [[.integer(7)]])
        }
    }

    @Test("SUM of a bigint column, which PostgreSQL returns as numeric, reads as an integer")
    func sums() throws {
        try withTable { database in
            _ = try database.write { connection in
                try connection.executeBatch("INSERT INTO v (i) VALUES (?)", [[.integer(.max / 2)], [.integer(.max / 2)], [.integer(1)]])
            }
            let sum = try database.read { try $0.query("SELECT SUM(i), COUNT(*), MAX(i) FROM v", [])[0] }
            let expected: [SQLValue] = [.integer(Int64.max), .integer(3), .integer(Int64.max / 2)]
            #expect(sum.values == expected)
            try database.write { try $0.execute("INSERT INTO v (i) VALUES (?)", [.integer(1)]) }
            #expect(throws: StoreError.self) { try database.read { try $0.query("SELECT SUM(i) FROM v", []) } }
        }
    }

    @Test("numeric, boolean and small integer types read as integers; a fraction is refused", arguments: [
        ("SELECT CAST(120.00 AS NUMERIC(10,2))", SQLValue.integer(120)),
        ("SELECT CAST(-9223372036854775808 AS NUMERIC)", .integer(.min)),
        ("SELECT true", .integer(1)),
        ("SELECT false", .integer(0)),
        ("SELECT CAST(7 AS SMALLINT)", .integer(7)),
        ("SELECT CAST(7 AS INTEGER)", .integer(7)),
        ("SELECT CAST('x' AS VARCHAR(3))", .text("x")),
        ("SELECT CAST('x' AS CHAR(3))", .text("x  ")),
        ("SELECT pg_advisory_xact_lock(1)", .null),
    ])
    func otherTypes(sql: String, value: SQLValue) throws {
        try TemporaryPostgresDatabase.with { server in
            let rows = try server.open().read { try $0.query(sql, []) }
            #expect(rows.map(\.values) == [[value]])
        }
    }

    @Test("a floating-point or other unread type is unreadableRow naming its type OID", arguments: [
        ("SELECT CAST(1.5 AS DOUBLE PRECISION)", "701"),
        ("SELECT CAST(1.5 AS REAL)", "700"),
        ("SELECT CAST('2024-01-01' AS DATE)", "1082"),
        ("SELECT CAST(1.5 AS NUMERIC)", "1.5"),
        ("SELECT CAST('NaN' AS NUMERIC)", "NaN"),
    ])
    func refusedTypes(sql: String, mentioned: String) throws {
        try TemporaryPostgresDatabase.with { server in
            let database = try server.open()
            do {
                _ = try database.read { try $0.query(sql, []) }
                Issue.record("\(sql) was read")
            } catch let error as StoreError {
                guard case let .unreadableRow(problem) = error else { throw error }
                #expect(problem.contains(mentioned))
            }
        }
    }

    @Test("integers bind to integer and text columns alike; CAST settles a parameter with no context")
    func parameterTypes() throws {
        try withTable { database in
            try database.write { try $0.execute("INSERT INTO v (i, t) VALUES (?, ?)", [.integer(5), .text("6")]) }
            let rows = try database.read { connection in
                try connection.query(
                    "SELECT i + ?, CAST(? AS BIGINT), CAST(? AS TEXT) FROM v WHERE i = ? AND t = ? LIMIT ?",
                    [.integer(1), .integer(-3), .text("x"), .integer(5), .text("6"), .integer(10)])
            }
            #expect(rows.map(\.values) == [[.integer(6), .integer(-3), .text("x")]])
        }
    }

    @Test("text holding a NUL character is refused before it is sent")
    func nulInText() throws {
        try withTable { database in
            #expect(throws: StoreError.self) { try database.write { try $0.execute("INSERT INTO v (t) VALUES (?)", [.text("a\u{0}b")]) } }
        }
    }

    @Test("too few or too many arguments is an error naming both counts")
    func argumentCount() throws {
        try withTable { database in
            do {
                try database.write { try $0.execute("INSERT INTO v (i, t) VALUES (?, ?)", [.integer(1)]) }
                Issue.record("ran with a missing argument")
            } catch let StoreError.statementFailed(_, code, message, _) {
                #expect(code == "bind")
                #expect(message == "1 arguments for 2 parameters")
            }
        }
    }
}
