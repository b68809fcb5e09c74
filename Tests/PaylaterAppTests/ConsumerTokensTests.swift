@testable import PaylaterApp
import PaylaterLedger
import PaylaterTestSupport
import PaylaterTime
import Testing

/// A shopper's self-service token names its shopper until it expires, and nothing else verifies.
@Suite("Shopper tokens")
struct ConsumerTokensTests {
    @Test("a token names its shopper, dots in the id included (ids shaped like e-mail names are common)",
          arguments: ["shopper-1", "john.doe", "a.b.c", "1.2", "x/y", "c_1"])
    func namesItsShopper(id: String) throws {
        let store = try TestStore(.sqlite)
        let tokens = try ConsumerTokens(database: store.database, clock: store.clock)
        let token = tokens.issue(for: try ConsumerID(id))
        #expect(tokens.verify(token) == (try ConsumerID(id)))
    }

    @Test("a token no longer verifies once it has expired")
    func expires() throws {
        let store = try TestStore(.sqlite)
        let tokens = try ConsumerTokens(database: store.database, clock: store.clock)
        let token = tokens.issue(for: try ConsumerID("john.doe"), lifetime: .seconds(60))
        store.clock.advance(by: .seconds(59))
        #expect(tokens.verify(token) != nil)
        store.clock.advance(by: .seconds(1))
        #expect(tokens.verify(token) == nil)
    }

    @Test("changing any part of a token, or moving a dot between the id and the expiry, makes it invalid")
    func tamperedTokensFail() throws {
        let store = try TestStore(.sqlite)
        let tokens = try ConsumerTokens(database: store.database, clock: store.clock)
        let token = tokens.issue(for: try ConsumerID("john.doe"))
        let parts = token.split(separator: ".").map(String.init)  // pct_john, doe, expiry, code
        #expect(parts.count == 4)
        let (expiry, code) = (parts[2], parts[3])
        let forged = [
            "pct_john.dog.\(expiry).\(code)",
            "pct_john.doe.\(Int64(expiry)! + 1).\(code)",
            "pct_john.doe.\(expiry).\(String(code.reversed()))",
            "pct_johndoe.\(expiry).\(code)",
            "pct_john.doe\(expiry).\(code)",
            "pct_john.doe.\(expiry)",
            "pct_john.doe.\(expiry).\(code).",
            "pct_.\(expiry).\(code)",
            "plk_john.doe.\(expiry).\(code)",
        ]
        for candidate in forged { #expect(tokens.verify(candidate) == nil, "\(candidate)") }
        // Another platform's key (another store) does not verify this one's tokens.
        let other = try ConsumerTokens(database: try TestStore(.sqlite).database, clock: store.clock)
        #expect(other.verify(token) == nil)
    }
}
