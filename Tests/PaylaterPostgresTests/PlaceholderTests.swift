@testable import PaylaterPostgres
import PaylaterStore
import Testing

@Suite("Placeholders are numbered for PostgreSQL")
struct PlaceholderTests {
    @Test("each ? becomes $1, $2, ... in order", arguments: [
        ("SELECT ?", "SELECT $1", 1),
        ("INSERT INTO t (a, b, c) VALUES (?, ?, ?)", "INSERT INTO t (a, b, c) VALUES ($1, $2, $3)", 3),
        ("SELECT 1", "SELECT 1", 0),
        ("UPDATE t SET a=?WHERE b=?", "UPDATE t SET a=$1WHERE b=$2", 2),
        (String(repeating: "?,", count: 11) + "?", (1...12).map { "$\($0)" }.joined(separator: ","), 12),
    ])
    func numbering(portable: String, numbered: String, count: Int) {
        let rewritten = RewrittenSQL(portable: portable)
        #expect(rewritten.text == numbered)
        #expect(rewritten.parameterCount == count)
    }

    @Test("a ? inside a literal, a quoted identifier or a comment stays as it is", arguments: [
        ("SELECT '?', ?", "SELECT '?', $1"),
        ("SELECT 'it''s ?', ?", "SELECT 'it''s ?', $1"),
        ("SELECT \"odd?name\" FROM t WHERE a = ?", "SELECT \"odd?name\" FROM t WHERE a = $1"),
        ("SELECT ? -- why?\n, ?", "SELECT $1 -- why?\n, $2"),
        ("SELECT /* a? /* nested? */ still? */ ?", "SELECT /* a? /* nested? */ still? */ $1"),
        ("SELECT E'\\'?', ?", "SELECT E'\\'?', $1"),
        ("SELECT name'?' , ?", "SELECT name'?' , $1"),
        ("SELECT '\\', ?", "SELECT '\\', $1"),
        ("SELECT 'unterminated ?", "SELECT 'unterminated ?"),
        ("SELECT 'ü?' || ?", "SELECT 'ü?' || $1"),
    ])
    func skipping(portable: String, numbered: String) {
        #expect(RewrittenSQL(portable: portable).text == numbered)
    }

    @Test("the first keyword decides whether forEachRow reads through a cursor", arguments: [
        ("SELECT 1", true), ("  select * FROM t", true), ("(SELECT 1) UNION (SELECT 2)", true),
        ("-- comment\nSELECT 1", true), ("/* c */ SELECT 1", true), ("SELECTED", false),
        ("INSERT INTO t VALUES (1) RETURNING a", false), ("WITH x AS (SELECT 1) SELECT * FROM x", false), ("", false),
    ])
    func cursorChoice(sql: String, isSelect: Bool) {
        #expect(PostgresConnection.isSelect(sql) == isSelect)
    }

    @Test("the server sees a ? in a literal as text and the placeholder as a parameter", .needsPostgres)
    func onServer() throws {
        try TemporaryPostgresDatabase.with { server in
            let rows = try server.open().read { try $0.query("SELECT '?', 'it''s ?', CAST(? AS TEXT) -- ?\n", [.text("x")]) }
            #expect(rows.map(\.values) == [[.text("?"), .text("it's ?"), .text("x")]])
        }
    }
}

@Suite("Connection strings in messages")
struct ConnectionStringTests {
    @Test("a password never appears in the printed location", arguments: [
        ("postgres://app:s3cret@db:5432/paylater", "postgres://app@db:5432/paylater"),
        ("postgresql://app:s3cret@db/paylater?sslmode=require&password=other", "postgresql://app@db/paylater?sslmode=require"),
        ("postgres://app@db/paylater?password=s3cret", "postgres://app@db/paylater"),
        ("postgres://db/paylater", "postgres://db/paylater"),
        ("host=db user=app password=s3cret dbname=paylater", "host=db user=app dbname=paylater"),
        ("host=db password = 'se cret \\' x' dbname=paylater", "host=db dbname=paylater"),
    ])
    func redaction(url: String, printed: String) {
        #expect(ConnectionString(url).redacted == printed)
    }

    @Test("a server that cannot be reached is cannotOpen, without the password")
    func unreachable() throws {
        // Port 1 on loopback: nothing listens there.
        let url = "postgres://app:s3cret@127.0.0.1:1/paylater?connect_timeout=2"
        let error = #expect(throws: StoreError.self) { try PostgresDatabase(url: url) }
        guard case let .cannotOpen(location, message)? = error else {
            Issue.record("expected cannotOpen, got \(String(describing: error))")
            return
        }
        #expect(location == "postgres://app@127.0.0.1:1/paylater?connect_timeout=2")
        #expect(!message.isEmpty)
        #expect(!message.contains("s3cret"))
    }
}
