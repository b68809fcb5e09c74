@testable import PaylaterPostgres
import PaylaterStore
import Testing

@Suite("Batches and streamed rows", .needsPostgres)
struct BatchTests {
    private func withTable(_ body: (PostgresDatabase) throws -> Void) throws {
        try TemporaryPostgresDatabase.with { server in
            let database = try server.open()
            try database.write { try $0.executeScript("CREATE TABLE items (id TEXT PRIMARY KEY, n BIGINT NOT NULL, data BYTEA)") }
            try body(database)
        }
    }

    private static let insert = "INSERT INTO items (id, n, data) VALUES (?, ?, ?) ON CONFLICT (id) DO NOTHING"

    private static func rows(_ range: Range<Int>, prefix: String = "item-") -> [[SQLValue]] {
        range.map { [.text("\(prefix)\($0)"), .integer(Int64($0)), $0 % 3 == 0 ? .null : .blob([UInt8(truncatingIfNeeded: $0)])] }
    }

    @Test("a batch returns how many rows it changed; ON CONFLICT DO NOTHING counts nothing", arguments: [true, false])
    func changedRows(pipelined: Bool) throws {
        try withTable { database in
            let changed = try database.write { connection in
                (connection as! PostgresConnection).pipelinesBatches = pipelined
                defer { (connection as! PostgresConnection).pipelinesBatches = true }
                let first = try connection.executeBatch(Self.insert, Self.rows(0..<3000))
                let second = try connection.executeBatch(Self.insert, Self.rows(2990..<3010))
                let updated = try connection.executeBatch(
                    "UPDATE items SET n = n + 1 WHERE id = ?", [[.text("item-0")], [.text("item-1")], [.text("missing")]])
                let empty = try connection.executeBatch(Self.insert, [])
                return [first, second, updated, empty]
            }
            #expect(changed == [3000, 10, 2, 0])
            let stored = try database.read { try $0.query("SELECT COUNT(*), SUM(n), COUNT(data) FROM items", [])[0].values }
            #expect(stored == [.integer(3010), .integer((0..<3010).reduce(0, +) + 2), .integer(2006)])
        }
    }

    @Test("bulk inserts and updates send arrays that keep every value type exactly")
    func bulkArrays() throws {
        try withTable { database in
            let columns = [SQLColumn("id", .text), SQLColumn("n", .integer), SQLColumn("data", .blob)]
            var rows: [[SQLValue]] = []
            for (index, text) in SampleValues.texts.enumerated() {
                rows.append([.text(text + "#\(index)"), .integer(SampleValues.integers[index % SampleValues.integers.count]),
                             .blob(SampleValues.blobs[index % SampleValues.blobs.count])])
            }
            rows.append([.text("nothing"), .integer(0), .null])
            let stored = try database.write { connection in
                #expect(try connection.insertRows(into: "items", columns: columns, rows: rows, suffix: "") == rows.count)
                #expect(try connection.updateRows(
                    "items", key: SQLColumn("id", .text), columns: [SQLColumn("data", .blob)],
                    rows: [[.text("nothing"), .blob([0, 255])], [.text("absent"), .blob([])]]) == 1)
                return try connection.query("SELECT id, n, data FROM items ORDER BY id COLLATE \"C\"", [])
            }
            var expected = rows
            expected[expected.count - 1][2] = .blob([0, 255])
            #expect(stored.map(\.values) == expected.sorted { a, b in
                guard case let .text(x) = a[0], case let .text(y) = b[0] else { return false }
                return Array(x.utf8).lexicographicallyPrecedes(Array(y.utf8))
            })
        }
    }

    @Test("a failing row stops the batch with its SQLSTATE, and a savepoint lets the transaction go on")
    func failingRow() throws {
        try withTable { database in
            let plain = "INSERT INTO items (id, n) VALUES (?, ?)"
            let rows: [[SQLValue]] = (0..<2500).map { [.text("row-\($0 == 1800 ? 5 : $0)"), .integer(Int64($0))] }
            let kept = try database.write { connection in
                try connection.execute("SAVEPOINT batch", [])
                do {
                    try connection.executeBatch(plain, rows)
                    Issue.record("a duplicate key was inserted")
                } catch let StoreError.statementFailed(_, code, message, sql) {
                    #expect(code == "23505")
                    #expect(message.contains("row-5"))
                    #expect(sql == plain)
                }
                try connection.execute("ROLLBACK TO batch", [])
                try connection.execute("RELEASE batch", [])
                return try connection.executeBatch(plain, [[.text("after"), .integer(1)], [.text("after-2"), .integer(2)]])
            }
            #expect(kept == 2)
            #expect(try database.read { try $0.query("SELECT id FROM items ORDER BY id", []).map { try $0.text(0) } } == ["after", "after-2"])
            #expect(database.pool.statistics.dropped == 0)
        }
    }

    @Test("a failing batch outside a savepoint rolls the write back and the connection stays usable")
    func failingBatchRollsBack() throws {
        try withTable { database in
            #expect(throws: StoreError.self) {
                try database.write { connection in
                    try connection.executeBatch(Self.insert, Self.rows(0..<10))
                    try connection.executeBatch("INSERT INTO items (id, n) VALUES (?, ?)", [[.text("x"), .integer(1)], [.text("x"), .integer(2)]])
                }
            }
            #expect(try database.read { try $0.query("SELECT COUNT(*) FROM items", [])[0].int64(0) } == 0)
            _ = try database.write { try $0.executeBatch(Self.insert, Self.rows(0..<10)) }
            #expect(database.pool.statistics == .init(open: 1, opened: 1, dropped: 0))
        }
    }

    @Test("a batch statement with a syntax error fails at once and leaves the connection usable")
    func badStatement() throws {
        try withTable { database in
            #expect(throws: StoreError.self) {
                _ = try database.write { try $0.executeBatch("INSERT INTO nowhere VALUES (?)", [[.integer(1)], [.integer(2)]]) }
            }
            _ = try database.write { try $0.executeBatch(Self.insert, Self.rows(0..<2)) }
            #expect(database.pool.statistics.dropped == 0)
        }
    }

    @Test("forEachRow streams every row in order through a cursor, and its body may run other statements")
    func streaming() throws {
        try withTable { database in
            _ = try database.write { try $0.executeBatch(Self.insert, Self.rows(0..<2500, prefix: "")) }
            var seen: [Int64] = []
            var nested = 0
            try database.read { connection in
                try connection.forEachRow("SELECT n FROM items WHERE n >= ? ORDER BY n", [.integer(0)]) { row in
                    seen.append(try row.int64(0))
                    if seen.count % 1000 == 1 {
                        try connection.forEachRow("SELECT COUNT(*) FROM items WHERE n < ?", [.integer(10)]) { inner in
                            nested += Int(try inner.int64(0))
                        }
                    }
                }
            }
            #expect(seen == Array(0..<2500))
            #expect(nested == 30)
        }
    }

    @Test("an error in forEachRow's body ends the read and reaches the caller")
    func streamingError() throws {
        struct Stop: Error {}
        try withTable { database in
            _ = try database.write { try $0.executeBatch(Self.insert, Self.rows(0..<10)) }
            #expect(throws: Stop.self) {
                try database.read { connection in
                    try connection.forEachRow("SELECT n FROM items", []) { _ in throw Stop() }
                }
            }
            let returning = try database.write { connection in
                var ids: [String] = []
                try connection.forEachRow("INSERT INTO items (id, n) VALUES (?, 1) RETURNING id", [.text("new")]) {
                    ids.append(try $0.text(0))
                }
                return ids
            }
            #expect(returning == ["new"])
        }
    }

    @Test("a batch of 8,000 inserts lands whole both pipelined and one round trip per row (timings printed, not asserted)")
    func measurement() throws {
        try withTable { database in
            var timings: [Bool: Duration] = [:]
            for pipelined in [false, true] {
                let clock = ContinuousClock()
                let rows = Self.rows(0..<8000, prefix: pipelined ? "p-" : "s-")
                let elapsed = try clock.measure {
                    let changed = try database.write { connection in
                        (connection as! PostgresConnection).pipelinesBatches = pipelined
                        defer { (connection as! PostgresConnection).pipelinesBatches = true }
                        return try connection.executeBatch(Self.insert, rows)
                    }
                    #expect(changed == 8000)
                }
                timings[pipelined] = elapsed
            }
            print("executeBatch of 8,000 inserts: one round trip per row \(timings[false]!), pipelined \(timings[true]!)")
        }
    }
}
