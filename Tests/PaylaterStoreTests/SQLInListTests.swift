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
            "SELECT x FROM t JOIN u ON u.k = t.k AND u.o = ? WHERE t.x IN ({keys})", fixed: [.integer(7)], values, for: sqlite)
        let arm = "SELECT x FROM t JOIN u ON u.k = t.k AND u.o = ? WHERE t.x = ?"
        #expect(lookup.sql == [arm, arm, arm].joined(separator: " UNION ALL "))
        #expect(lookup.arguments == [.integer(7), .text("a"), .integer(7), .text("b"), .integer(7), .text("c")])
        let one = SQLInList.statement("SELECT x FROM t WHERE x IN ({keys})", fixed: [], [.integer(1)], for: sqlite)
        #expect(one.sql == "SELECT x FROM t WHERE x = ?" && one.arguments == [.integer(1)])
    }

    /// A `{list}` is never taken apart (its statement may count, group or sort the rows of all values together), and
    /// a `{keys}` only in the one shape that makes the point queries return the same rows.
    @Test("the IN form stays for {list}, for more keys, for other engines, and for {keys} not closing a lookup by one column",
          arguments: [
              "SELECT x FROM t WHERE x IN ({list})",  // not marked as a lookup by key
              "SELECT COUNT(*) FROM t WHERE x IN ({list})",
              "SELECT x FROM t WHERE x IN ({keys}) ORDER BY x",  // something after the list
              "SELECT x FROM t WHERE y = 1 OR x IN ({keys})",  // not the whole condition
              "SELECT x FROM t WHERE x + 1 IN ({keys})",  // not a column
              "SELECT x FROM t WHERE (x) IN ({keys})",
          ])
    func inFormStays(sql: String) {
        let values: [SQLValue] = [.integer(1), .integer(2), .integer(3)]
        for _ in 1...2 {  // the second time from what the first remembered
            let statement = SQLInList.statement(sql, fixed: [], values, for: SQLiteDialect())
            #expect(statement.sql == Self.inList(sql) && statement.arguments == values + [.integer(3)])
        }
    }

    @Test("a remembered spelling is the lookup's for that number of distinct keys, asked in any order")
    func spellingsRememberedPerKeyCount() {
        let lookup = "SELECT x FROM t WHERE t.x IN ({keys})"
        for count in [3, 1, 7, 3, 2, 1, 7] {  // with a repeat: up to 8 values
            let values = (0..<count).map { SQLValue.integer(Int64($0)) }
            let statement = SQLInList.statement(lookup, fixed: [], values + values.prefix(1), for: SQLiteDialect())
            #expect(statement.sql == Array(repeating: "SELECT x FROM t WHERE t.x = ?", count: count).joined(separator: " UNION ALL "))
            #expect(statement.arguments == values)
        }
    }

    @Test("a lookup by key is an IN list on PostgreSQL and for more than 8 keys")
    func keysAsInList() {
        let plain = "SELECT x FROM t WHERE x IN ({keys})"
        let three: [SQLValue] = [.integer(1), .integer(2), .integer(3)]
        let onPostgres = SQLInList.statement(plain, fixed: [], three, for: PostgresDialect())
        #expect(onPostgres.sql == "SELECT x FROM t WHERE x IN (?,?,?,?)" && onPostgres.arguments == three + [.integer(3)])
        let nine = (1...9).map { SQLValue.integer($0) }
        let onSQLite = SQLInList.statement(plain, fixed: [.integer(0)], nine, for: SQLiteDialect())
        #expect(onSQLite.sql == "SELECT x FROM t WHERE x IN (" + String(repeating: "?,", count: 15) + "?)")
        #expect(onSQLite.arguments == [.integer(0)] + nine + Array(repeating: .integer(9), count: 7))
    }

    /// `sql` with its placeholder replaced by four `?`, as for three values padded to a power of two.
    private static func inList(_ sql: String) -> String {
        sql.replacing("{list}", with: "?,?,?,?").replacing("{keys}", with: "?,?,?,?")
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
            let lookup = try connection.query("SELECT k, v FROM t WHERE k IN ({keys})", in: keys)
            let inList = SQLInList.statement("SELECT k, v FROM t WHERE k IN ({list})", keys)
            return (lookup, try connection.query(inList.sql, inList.arguments))
        }
        let sorted = { (rows: [SQLRow]) in rows.map { $0.values.description }.sorted() }
        #expect(sorted(viaLookup) == sorted(viaIN))
        #expect(Set(sorted(viaLookup)).count == viaLookup.count)
    }
}
