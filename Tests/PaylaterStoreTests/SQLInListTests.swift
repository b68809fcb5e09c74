import PaylaterStore
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
}
