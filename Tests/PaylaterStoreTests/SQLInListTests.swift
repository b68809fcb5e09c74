import PaylaterPostgres
import PaylaterSQLite
import PaylaterStore
import PaylaterTestSupport
import PaylaterTime
import Testing

@Suite("SQL IN lists")
struct SQLInListTests {
    @Test("{list} becomes placeholders padded to a power of two, the last value repeated, wherever it stands")
    func expansion() {
        let values: [SQLValue] = [.text("a"), .text("b"), .text("c")]
        let middle = SQLInList.statement("SELECT x FROM t WHERE x IN ({list}) ORDER BY x", values)
        #expect(middle.sql == "SELECT x FROM t WHERE x IN (?,?,?,?) ORDER BY x")
        #expect(middle.arguments == values + [.text("c")])
        #expect(SQLInList.statement("{list}", [.integer(1)]).sql == "?")
        #expect(SQLInList.statement("IN ({list})", [.integer(1), .integer(2)]).sql == "IN (?,?)")
        #expect(SQLInList.statement("{list} and {list}", [.integer(1)]).sql == "? and ?")
        #expect(SQLInList.statement("a {lis} {list}{list", [.integer(1)]).sql == "a {lis} ?{list")
        #expect(SQLInList.statement("名前 IN ({list}) -- 終", [.integer(1)]).sql == "名前 IN (?) -- 終")
    }

    @Test("on SQLite a lookup of up to 8 keys is one point query per distinct key, each bound to the fixed values first")
    func keyLookupAsPointQueries() {
        let sqlite = SQLiteDialect()
        let values: [SQLValue] = [.text("a"), .text("b"), .text("a"), .text("c")]
        let lookup = SQLInList.statement(
            "SELECT x FROM t JOIN u ON u.k = t.k AND u.o = ? WHERE t.x IN ({list})", fixed: [.integer(7)], values, for: sqlite)
        let arm = "SELECT x FROM t JOIN u ON u.k = t.k AND u.o = ? WHERE t.x = ?"
        #expect(lookup.sql == [arm, arm, arm].joined(separator: " UNION ALL "))
        #expect(lookup.arguments == [.integer(7), .text("a"), .integer(7), .text("b"), .integer(7), .text("c")])
        let one = SQLInList.statement("SELECT x FROM t WHERE x IN ({list})", fixed: [], [.integer(1)], for: sqlite)
        #expect(one.sql == "SELECT x FROM t WHERE x = ?" && one.arguments == [.integer(1)])
    }

    @Test("the IN form stays for more keys, other engines, and any statement that is not a plain lookup by one column",
          arguments: [
              "SELECT x FROM t WHERE x IN ({list}) ORDER BY x",  // something after the list
              "SELECT x FROM t WHERE y = 1 OR x IN ({list})",  // not the whole condition
              "SELECT x FROM t WHERE x + 1 IN ({list})",  // not a column
              "SELECT x FROM t WHERE {list} = x AND x IN ({list})",  // a second list
              "SELECT x FROM t WHERE (x) IN ({list})",
          ])
    func inFormStays(sql: String) {
        let values: [SQLValue] = [.integer(1), .integer(2), .integer(3)]
        #expect(Self.isInForm(SQLInList.statement(sql, fixed: [], values, for: SQLiteDialect()), sql, values))
        let plain = "SELECT x FROM t WHERE x IN ({list})"
        #expect(Self.isInForm(SQLInList.statement(plain, fixed: [], values, for: PostgresDialect()), plain, values))
        let nine = (1...9).map { SQLValue.integer($0) }
        #expect(Self.isInForm(SQLInList.statement(plain, fixed: [], nine, for: SQLiteDialect()), plain, nine))
    }

    /// Whether `statement` is `sql`'s IN form for `values`.
    private static func isInForm(_ statement: (sql: String, arguments: [SQLValue]), _ sql: String, _ values: [SQLValue]) -> Bool {
        let expected = SQLInList.statement(sql, values)
        return statement.sql == expected.sql && statement.arguments == expected.arguments
    }

    @Test("a lookup answers with the same rows either way, for 1 to 12 keys with repeats and keys that match nothing",
          arguments: 1...12)
    func sameRowsEitherWay(count: Int) throws {
        let store = try TestStore(.sqlite)
        try store.database.write { connection in
            try connection.executeScript("CREATE TABLE t (k TEXT PRIMARY KEY, v INTEGER NOT NULL)")
            for k in 0..<10 { try connection.execute("INSERT INTO t (k, v) VALUES (?, ?)", [.text("k\(k)"), .integer(Int64(k))]) }
        }
        var random = SplitMix64(seed: UInt64(count))
        let keys = (0..<count).map { _ in SQLValue.text("k\(random.int64(in: 0...13))") }
        let (viaLookup, viaIN) = try store.database.read { connection in
            let lookup = try connection.query("SELECT k, v FROM t WHERE k IN ({list})", in: keys)
            let inList = SQLInList.statement("SELECT k, v FROM t WHERE k IN ({list})", keys)
            return (lookup, try connection.query(inList.sql, inList.arguments))
        }
        let sorted = { (rows: [SQLRow]) in rows.map { $0.values.description }.sorted() }
        #expect(sorted(viaLookup) == sorted(viaIN))
        #expect(Set(sorted(viaLookup)).count == viaLookup.count)
    }
}
