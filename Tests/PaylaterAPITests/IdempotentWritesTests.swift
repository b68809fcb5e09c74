import Foundation
@testable import PaylaterAPI
import PaylaterCrypto
import PaylaterStore
import PaylaterTestSupport
import PaylaterTime
import Synchronization
import Testing

@Suite("Idempotency keys claimed with the request's own write")
struct IdempotentWritesTests {
    /// A test server whose write transactions are counted.
    private static func countingServer(_ kind: StoreKind) throws -> (APITestServer, CountingDatabase) {
        let counter = Mutex<CountingDatabase?>(nil)
        let server = try APITestServer(kind) { base in
            let counting = CountingDatabase(base)
            counter.withLock { $0 = counting }
            return counting
        }
        return (server, try #require(counter.withLock { $0 }))
    }

    /// An authorization's body (a good shopper, who is approved).
    nonisolated(unsafe) private static let authorization: [String: Any] = [
        "product_id": "pay-in-4", "device_id": "device-1", "shipping_address": "1 Long Street",
        "payment_instrument": "card-1", "age_years": 30, "identity_verified": true, "features": APIClient.goodShopper,
    ]

    private static func keyState(_ store: TestStore, owner: String, key: String) throws -> String? {
        try store.database.read { connection in
            try connection.query(
                "SELECT state FROM idempotency_keys WHERE owner = ? AND key = ?", [.text(owner), .text(key)]
            ).first?.text(0)
        }
    }

    /// On the embedded store a commit is readable during its WAL sync: an answer made from reads alone (a GET, a
    /// replayed response) waits for the commits it could see to be durable; one that committed a write of its own
    /// is covered by that write's acknowledgement and does not wait.
    @Test("answers made from reads alone wait for what they could see to be durable; answers from a write do not", arguments: StoreKind.available)
    func answersFromReadsWaitForDurability(kind: StoreKind) throws {
        let (server, database) = try Self.countingServer(kind)
        let api = APIClient(server)
        let checkout = try api.checkout(40_000)
        var before = database.durabilityWaits.load(ordering: .relaxed)
        let order = try #require((try api.authorize(checkout).1["order"] as? [String: Any])?["id"] as? String)
        #expect(database.durabilityWaits.load(ordering: .relaxed) == before, "an authorization is acknowledged by its own write")

        before = database.durabilityWaits.load(ordering: .relaxed)
        let (polled, _, _) = try api.call("GET", "/v1/orders/\(order)", nil, key: nil)
        #expect(polled == 200)
        #expect(database.durabilityWaits.load(ordering: .relaxed) == before + 1)

        let (captured, _, _) = try api.call("POST", "/v1/orders/\(order)/captures", ["amount": APIClient.cny(10_000)], key: "cap-d")
        #expect(captured == 201)
        before = database.durabilityWaits.load(ordering: .relaxed)
        let (replayed, _, _) = try api.call("POST", "/v1/orders/\(order)/captures", ["amount": APIClient.cny(10_000)], key: "cap-d")
        #expect(replayed == 201)
        #expect(database.durabilityWaits.load(ordering: .relaxed) == before + 1, "a replay answers from the stored response")
    }

    @Test("a POST that changes an order commits once: the change, its key's claim and the response; a refusal once too", arguments: StoreKind.available)
    func writesPerRequest(kind: StoreKind) throws {
        let (server, writes) = try Self.countingServer(kind)
        let api = APIClient(server)
        let checkout = try api.checkout(40_000)
        let order = try #require((try api.authorize(checkout).1["order"] as? [String: Any])?["id"] as? String)

        var before = writes.writes.load(ordering: .relaxed)
        let (captured, _, _) = try api.call("POST", "/v1/orders/\(order)/captures", ["amount": APIClient.cny(10_000)], key: "cap-1")
        #expect(captured == 201)
        #expect(writes.writes.load(ordering: .relaxed) - before == 1)
        #expect(try Self.keyState(server.store, owner: "merchant:\(server.merchantID)", key: "cap-1") == "done")
        let (capturedAgain, _, replay) = try api.call(
            "POST", "/v1/orders/\(order)/captures", ["amount": APIClient.cny(10_000)], key: "cap-1")
        #expect(capturedAgain == 201)
        #expect(replay.header("Idempotent-Replayed") == "true")
        #expect(writes.writes.load(ordering: .relaxed) - before == 1)

        // Refused before the handler writes (an amount that is not one): nothing to commit but the stored answer.
        before = writes.writes.load(ordering: .relaxed)
        let (refused, problem, _) = try api.call(
            "POST", "/v1/orders/\(order)/captures", ["amount": "ten"], key: "cap-2")
        #expect((400..<500).contains(refused), "\(problem)")
        #expect(writes.writes.load(ordering: .relaxed) - before == 1)
        let (replayed, again, response) = try api.call(
            "POST", "/v1/orders/\(order)/captures", ["amount": "ten"], key: "cap-2")
        #expect(replayed == refused)
        #expect(response.header("Idempotent-Replayed") == "true")
        #expect(NSDictionary(dictionary: again) == NSDictionary(dictionary: problem))
    }

    @Test("creating a checkout and authorizing it commit once each: the response is stored with the change, and a retry gets it byte for byte", arguments: StoreKind.available)
    func authorizationCommitsOnce(kind: StoreKind) throws {
        let (server, writes) = try Self.countingServer(kind)
        let api = APIClient(server)
        let created = writes.writes.load(ordering: .relaxed)
        let checkout = try api.checkout(40_000)
        #expect(writes.writes.load(ordering: .relaxed) - created == 1)
        let body = Self.authorization
        let before = writes.writes.load(ordering: .relaxed)
        let (status, first, response) = try api.call("POST", "/v1/checkouts/\(checkout)/authorize", body, key: "auth-1")
        #expect(status == 200)
        #expect(first["decision"] as? String == "approved")
        #expect(writes.writes.load(ordering: .relaxed) - before == 1)
        let owner = "merchant:\(server.merchantID)"
        #expect(try Self.keyState(server.store, owner: owner, key: "auth-1") == "done")
        let stored = try server.store.database.read { connection in
            try connection.query(
                "SELECT status, response FROM idempotency_keys WHERE owner = ? AND key = ?", [.text(owner), .text("auth-1")]
            ).first.map { (try $0.int64(0), try $0.text(1)) }
        }
        #expect(stored?.0 == 200)
        #expect(stored?.1 == response.bodyText)

        let (again, _, replay) = try api.call("POST", "/v1/checkouts/\(checkout)/authorize", body, key: "auth-1")
        #expect(again == 200)
        #expect(replay.header("Idempotent-Replayed") == "true")
        #expect(replay.body == response.body)
        #expect(writes.writes.load(ordering: .relaxed) - before == 1)
    }

    @Test("a checkout authorized again under another key answers with the order it made the first time, as GET shows it", arguments: StoreKind.available)
    func authorizedAgain(kind: StoreKind) throws {
        let (server, _) = try Self.countingServer(kind)
        let api = APIClient(server)
        let checkout = try api.checkout(40_000)
        let body = Self.authorization
        let (_, first, _) = try api.call("POST", "/v1/checkouts/\(checkout)/authorize", body, key: "auth-1")
        let (status, again, response) = try api.call("POST", "/v1/checkouts/\(checkout)/authorize", body, key: "auth-2")
        #expect(status == 200)
        #expect(response.header("Idempotent-Replayed") == nil)
        let order = try #require((first["order"] as? [String: Any])?["id"] as? String)
        #expect((again["order"] as? [String: Any])?["id"] as? String == order)
        let (_, polled, _) = try api.call("GET", "/v1/orders/\(order)")
        #expect(NSDictionary(dictionary: first["order"] as? [String: Any] ?? [:]) == NSDictionary(dictionary: polled))
        #expect(NSDictionary(dictionary: again["order"] as? [String: Any] ?? [:]) == NSDictionary(dictionary: polled))
    }

    @Test("a key taken after the request looked it up fails the first write, which changes nothing", arguments: StoreKind.available)
    func keyTakenMeanwhile(kind: StoreKind) throws {
        let store = try TestStore(kind)
        let database = IdempotentWrites(base: store.database)
        let now = store.clock.now()
        let claim = IdempotencyKeyClaim(owner: "merchant:m1", key: "k-1", requestHash: "h", at: now, staleAfter: .seconds(60))
        // This request's first read finds the key free...
        try store.database.read { connection in try claim.lookUp(on: connection) }
        #expect(!claim.needsLookUp)
        // ...and another node claims it between that read and this request's first write.
        _ = try store.database.write { connection in
            try CheckoutRepository(connection).claim(owner: "merchant:m1", key: "k-1", requestHash: "h", at: now, staleAfter: .seconds(60))
        }
        let change = "INSERT INTO platform_settings (name, value, updated_at) VALUES ('probe', 'written', 0)"
        #expect {
            try IdempotencyKeyClaim.$current.withValue(claim) {
                try database.write { connection in try connection.execute(change, []) }
            }
        } throws: { error in
            (error as? IdempotencyKeyTaken)?.status == .inFlight(since: now)
        }
        #expect(!claim.isCommitted)
        let probes = try store.database.read { connection in
            try connection.query("SELECT COUNT(*) FROM platform_settings WHERE name = 'probe'", [])[0].int64(0)
        }
        #expect(probes == 0)
    }

    /// The key is looked up in the handler's own first read transaction, not in one of its own: an authorization
    /// reads once (the checkout's terms, the shopper's accounts, the key) and writes once; its replay reads once,
    /// finds the stored answer there and runs nothing more; a refusal made before any read looks the key up
    /// before its answer is stored, and its replay is answered from that look-up.
    @Test("the key is looked up in the handler's first read: one read and one write per authorization, one read per replay", arguments: StoreKind.available)
    func lookedUpInTheFirstRead(kind: StoreKind) throws {
        let (server, database) = try Self.countingServer(kind)
        let api = APIClient(server)
        let checkout = try api.checkout(40_000)
        let body = Self.authorization
        func counts() -> (reads: Int, writes: Int) {
            (database.reads.load(ordering: .relaxed), database.writes.load(ordering: .relaxed))
        }
        var before = counts()
        let (status, _, first) = try api.call("POST", "/v1/checkouts/\(checkout)/authorize", body, key: "auth-r")
        #expect(status == 200)
        #expect(counts().reads - before.reads == 1)
        #expect(counts().writes - before.writes == 1)

        before = counts()
        let (again, _, replay) = try api.call("POST", "/v1/checkouts/\(checkout)/authorize", body, key: "auth-r")
        #expect(again == 200)
        #expect(replay.header("Idempotent-Replayed") == "true")
        #expect(replay.body == first.body)
        #expect(counts().reads - before.reads == 1)
        #expect(counts().writes - before.writes == 0)

        // The same key with another body: the mismatch is found by the handler's first read.
        var other = body
        other["device_id"] = "device-2"
        before = counts()
        let (mismatch, problem, _) = try api.call("POST", "/v1/checkouts/\(checkout)/authorize", other, key: "auth-r")
        #expect(mismatch == 422)
        #expect((problem["type"] as? String)?.hasSuffix("idempotency-mismatch") == true)
        #expect(counts().writes - before.writes == 0)

        // Refused before any read (a body that is not JSON), then the same key with a good body: a mismatch.
        let refused = try api.http.send(
            "POST", "/v1/checkouts/\(checkout)/authorize",
            headers: [("Authorization", "Bearer \(api.token)"), ("Content-Type", "application/json"), ("Idempotency-Key", "auth-bad")],
            body: Array("{".utf8))
        #expect(refused.status == 400)
        let (reused, reusedProblem, _) = try api.call("POST", "/v1/checkouts/\(checkout)/authorize", body, key: "auth-bad")
        #expect(reused == 422)
        #expect((reusedProblem["type"] as? String)?.hasSuffix("idempotency-mismatch") == true)
    }

    @Test("a handler's read finds its key answered before its own reads run", arguments: StoreKind.available)
    func readFindsTheAnswer(kind: StoreKind) throws {
        let store = try TestStore(kind)
        let database = IdempotentWrites(base: store.database)
        let now = store.clock.now()
        try store.database.write { connection in
            let keys = CheckoutRepository(connection)
            _ = try keys.claim(owner: "merchant:m1", key: "k-3", requestHash: "h", at: now, staleAfter: .seconds(60))
            try keys.complete(owner: "merchant:m1", key: "k-3", status: 201, response: "{}")
        }
        let claim = IdempotencyKeyClaim(owner: "merchant:m1", key: "k-3", requestHash: "h", at: now, staleAfter: .seconds(60))
        let ran = Mutex(false)
        #expect {
            try IdempotencyKeyClaim.$current.withValue(claim) {
                try database.read { _ in ran.withLock { $0 = true } }
            }
        } throws: { error in
            (error as? IdempotencyKeyTaken)?.status == .completed(status: 201, response: "{}")
        }
        #expect(!ran.withLock { $0 })
        #expect(claim.needsLookUp)
        // A free key: looked up once, by the first read only.
        let free = IdempotencyKeyClaim(owner: "merchant:m1", key: "k-4", requestHash: "h", at: now, staleAfter: .seconds(60))
        try IdempotencyKeyClaim.$current.withValue(free) {
            try database.read { _ in }
            #expect(!free.needsLookUp)
        }
    }

    @Test("a claim: new key claimed; the same request in flight, another body, a completed request answered; a stale or released claim taken over", arguments: StoreKind.available)
    func claimOutcomes(kind: StoreKind) throws {
        let store = try TestStore(kind)
        let now = store.clock.now()
        func claim(_ key: String, hash: String = "h", at instant: Instant? = nil) throws -> IdempotencyClaim {
            try store.database.write { connection in
                try CheckoutRepository(connection).claim(
                    owner: "merchant:m1", key: key, requestHash: hash, at: instant ?? now, staleAfter: .seconds(60))
            }
        }
        #expect(try claim("k") == .claimed)
        #expect(try claim("k") == .taken(.inFlight(since: now)))
        #expect(try claim("k", hash: "other") == .taken(.mismatch))
        // Gone stale (its node died): taken over, and in flight again from the new claim's time.
        let later = try now.adding(.seconds(61))
        #expect(try claim("k", at: later) == .claimed)
        #expect(try claim("k", at: try later.adding(.seconds(59))) == .taken(.inFlight(since: later)))
        try store.database.write { connection in
            try CheckoutRepository(connection).complete(owner: "merchant:m1", key: "k", status: 201, response: "{}")
        }
        #expect(try claim("k", at: try later.adding(.seconds(3_600))) == .taken(.completed(status: 201, response: "{}")))
        // Released after a server fault: a retry claims it again.
        #expect(try claim("r") == .claimed)
        try store.database.write { connection in try CheckoutRepository(connection).release(owner: "merchant:m1", key: "r") }
        #expect(try claim("r") == .claimed)
        // Claimed with its response at once: completed from the start; a stale claim taken over so is completed too.
        func claimCompleted(_ key: String, at instant: Instant) throws -> IdempotencyClaim {
            try store.database.write { connection in
                try CheckoutRepository(connection).claim(
                    owner: "merchant:m1", key: key, requestHash: "h", at: instant, staleAfter: .seconds(60),
                    completing: (status: 200, body: #"{"ok":true}"#))
            }
        }
        #expect(try claimCompleted("c", at: now) == .claimed)
        #expect(try claim("c", at: try now.adding(.seconds(3_600))) == .taken(.completed(status: 200, response: #"{"ok":true}"#)))
        #expect(try claimCompleted("c", at: now) == .taken(.completed(status: 200, response: #"{"ok":true}"#)))
        #expect(try claim("s") == .claimed)
        #expect(try claimCompleted("s", at: later) == .claimed)
        #expect(try claim("s", at: later) == .taken(.completed(status: 200, response: #"{"ok":true}"#)))
        #expect(try Self.keyState(store, owner: "merchant:m1", key: "s") == "done")
    }

    @Test("a free key is claimed by the first write only, in its transaction", arguments: StoreKind.available)
    func claimedOnce(kind: StoreKind) throws {
        let store = try TestStore(kind)
        let database = IdempotentWrites(base: store.database)
        let claim = IdempotencyKeyClaim(
            owner: "merchant:m1", key: "k-2", requestHash: "h", at: store.clock.now(), staleAfter: .seconds(60))
        // A first write that fails takes its claim with it; the next one claims again.
        #expect(throws: TestStoreError.self) {
            try IdempotencyKeyClaim.$current.withValue(claim) {
                try database.write { _ in throw TestStoreError("refused") }
            }
        }
        #expect(!claim.isCommitted)
        #expect(try Self.keyState(store, owner: "merchant:m1", key: "k-2") == nil)
        try IdempotencyKeyClaim.$current.withValue(claim) {
            try database.write { connection in
                try connection.execute("INSERT INTO platform_settings (name, value, updated_at) VALUES ('probe', 'one', 0)", [])
            }
            try database.write { connection in
                try connection.execute("UPDATE platform_settings SET value = 'two' WHERE name = 'probe'", [])
            }
        }
        #expect(claim.isCommitted)
        #expect(try Self.keyState(store, owner: "merchant:m1", key: "k-2") == "in_flight")
    }
}
