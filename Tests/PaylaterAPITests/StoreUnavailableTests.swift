import Foundation
@testable import PaylaterAPI
import PaylaterHTTP
import PaylaterStore
import PaylaterTestSupport
import Synchronization
import Testing

/// A database that, while `down` is set, fails every transaction as a PostgreSQL server does while it shuts down.
private final class SwitchableDatabase: Database {
    let base: any Database
    let down = Atomic<Bool>(false)

    init(_ base: any Database) { self.base = base }

    var dialect: any SQLDialect { base.dialect }

    private func checkUp() throws {
        if down.load(ordering: .acquiring) {
            throw StoreError.cannotOpen(location: "postgres://db", message: "FATAL: the database system is shutting down")
        }
    }

    func write<T: Sendable>(_ body: (any SQLConnection) throws -> T) throws -> T {
        try checkUp()
        return try base.write(body)
    }

    func read<T: Sendable>(_ body: (any SQLConnection) throws -> T) throws -> T {
        try checkUp()
        return try base.read(body)
    }
}

@Suite("A store that cannot serve")
struct StoreUnavailableTests {
    @Test("is a 503 unavailable with Retry-After, from /healthz and from a request, not a 500; /metrics leaves out what it cannot read")
    func unavailableIs503() throws {
        let switchable = Mutex<SwitchableDatabase?>(nil)
        let server = try APITestServer(database: { base in
            let database = SwitchableDatabase(base)
            switchable.withLock { $0 = database }
            return database
        })
        let database = try #require(switchable.withLock { $0 })
        let api = APIClient(server)
        #expect(try api.call("GET", "/healthz").0 == 200)
        #expect(try api.http.send("GET", "/metrics").bodyText.contains("paylater_ledger_transfers_total "))
        database.down.store(true, ordering: .releasing)
        for (method, path, body) in [("GET", "/healthz", nil), ("GET", "/v1/orders/ord_1", nil)] as [(String, String, [String: Any]?)] {
            let (status, problem, response) = try api.call(method, path, body)
            #expect(status == 503, "\(path): \(problem)")
            #expect(problem["type"] as? String == HTTPProblem.typePrefix + "unavailable", "\(path): \(problem)")
            #expect(response.header("Retry-After") == "1", "\(path)")
        }
        let metrics = try api.http.send("GET", "/metrics")
        #expect(metrics.status == 200 && !metrics.bodyText.contains("paylater_ledger_transfers_total"), "a counter read as 0 would look like a reset")
        database.down.store(false, ordering: .releasing)
        #expect(try api.call("GET", "/healthz").0 == 200)
    }

    @Test("the engines' codes for a server that is going away, full or out of connections are unavailability; a constraint is not", arguments: [
        (StoreError.statementFailed(engine: "PostgreSQL", code: "57P01", message: "terminating connection due to administrator command", sql: ""), true),
        (.statementFailed(engine: "PostgreSQL", code: "53300", message: "sorry, too many clients already", sql: ""), true),
        (.statementFailed(engine: "PostgreSQL", code: "08006", message: "connection failure", sql: ""), true),
        (.statementFailed(engine: "PostgreSQL", code: "23505", message: "duplicate key", sql: ""), false),
        (.statementFailed(engine: "SQLite", code: "database or disk is full (13)", message: "", sql: ""), true),
        (.statementFailed(engine: "SQLite", code: "disk I/O error (778)", message: "", sql: ""), true),
        (.statementFailed(engine: "SQLite", code: "UNIQUE constraint failed (2067)", message: "", sql: ""), false),
        (.conflict(engine: "PostgreSQL", code: "40P01", message: "deadlock detected"), false),
        (.cannotOpen(location: "x", message: "y"), true),
    ])
    func unavailableCodes(error: StoreError, unavailable: Bool) {
        #expect(error.isUnavailable == unavailable)
    }
}

@Suite("The API server's worker")
struct WorkerFaultTests {
    @Test("a job's failure is reported once, again when it says something else or a minute later, and at once after a success")
    func throttle() {
        var throttle = WorkerFaultThrottle()
        let start = ContinuousClock.now
        func report(_ job: String, _ message: String, after seconds: Int64) -> Bool {
            throttle.shouldReport(job: job, message, at: start + .seconds(seconds))
        }
        let reports = [
            report("referral expiry", "store down", after: 0),
            report("referral expiry", "store down", after: 59),
            report("hold expiry", "store down", after: 59),  // each job on its own
            report("referral expiry", "checkout chk_1: no USD", after: 59),
            report("referral expiry", "checkout chk_1: no USD", after: 100),
            report("referral expiry", "checkout chk_1: no USD", after: 119),
        ]
        #expect(reports == [true, false, true, true, false, true])
        throttle.cleared(job: "referral expiry")
        #expect(report("referral expiry", "checkout chk_1: no USD", after: 120))
    }

    @Test("a job whose failure alternates between two messages, or says something new on every pass, is not reported on every pass")
    func throttleChangingMessages() {
        var throttle = WorkerFaultThrottle()
        let start = ContinuousClock.now
        // Referral expiry's failure counts what the pass expired: "1 referrals expired; …", "0 referrals expired; …".
        let alternating = (0..<30).filter { second in
            throttle.shouldReport(
                job: "referral expiry", "\(second % 2) referrals expired; 1 could not be: chk_1: no USD",
                at: start + .seconds(Int64(second)))
        }
        #expect(alternating == [0, 1], "each message once a minute")
        // A deadlock's detail names other process ids every time.
        let changing = (0..<30).filter { second in
            throttle.shouldReport(
                job: "webhook dispatch", "PostgreSQL conflict 40P01: deadlock detected (Process \(1_000 + second) waits)",
                at: start + .seconds(Int64(second)))
        }
        #expect(changing.count == WorkerFaultThrottle.distinctPerPeriodMaximum, "\(changing)")
        let aMinuteLater = throttle.shouldReport(
            job: "webhook dispatch", "PostgreSQL conflict 40P01: deadlock detected (Process 1 waits)", at: start + .seconds(61))
        #expect(aMinuteLater)
    }

    @Test("a webhook sent whose outcome the store cannot record is reported (\"webhook delivery\"): it will be sent again")
    func reportsDeliveryLaneFailures() throws {
        let switchable = Mutex<SwitchableDatabase?>(nil)
        let reported = Mutex<[String]>([])
        let wentDown = Atomic<Bool>(false)
        // The store goes down while the merchant's endpoint answers the first delivery.
        let receiver = try HTTPServer(configuration: HTTPServerConfiguration()) { _ in
            if !wentDown.exchange(true, ordering: .acquiringAndReleasing) {
                switchable.withLock { $0 }?.down.store(true, ordering: .releasing)
            }
            return .empty(status: 204)
        }
        defer { receiver.shutdown(grace: .seconds(1)) }
        let server = try APITestServer(
            database: { base in
                let database = SwitchableDatabase(base)
                switchable.withLock { $0 = database }
                return database
            },
            workerInterval: .milliseconds(50),
            workerReporter: { job, error in reported.withLock { $0.append("\(job): \(error)") } })
        defer { withExtendedLifetime(server) {} }
        let database = try #require(switchable.withLock { $0 })
        defer { database.down.store(false, ordering: .releasing) }
        let api = APIClient(server)
        #expect(try api.call("POST", "/v1/webhooks/endpoints", ["url": "http://127.0.0.1:\(receiver.port)/hooks"]).0 == 201)
        _ = try api.authorize(try api.checkout(40_000))
        #expect(eventually { reported.withLock { $0 }.contains { $0.hasPrefix("webhook delivery: ") } }, "\(reported.withLock { $0 })")
    }

    @Test("every job that fails while the store cannot serve is reported, once per job over several passes; none while it serves")
    func reportsFailures() throws {
        let switchable = Mutex<SwitchableDatabase?>(nil)
        let reported = Mutex<[String]>([])
        let server = try APITestServer(
            database: { base in
                let database = SwitchableDatabase(base)
                switchable.withLock { $0 = database }
                return database
            },
            workerInterval: .milliseconds(50),
            workerReporter: { job, error in reported.withLock { $0.append("\(job): \(error)") } })
        defer { withExtendedLifetime(server) {} }
        let database = try #require(switchable.withLock { $0 })
        Thread.sleep(forTimeInterval: 0.3)
        #expect(reported.withLock { $0 }.isEmpty, "\(reported.withLock { $0 })")
        database.down.store(true, ordering: .releasing)
        #expect(eventually { reported.withLock { $0.count } >= 5 }, "\(reported.withLock { $0 })")
        Thread.sleep(forTimeInterval: 0.3)  // several passes more, each failing the same way
        database.down.store(false, ordering: .releasing)
        let lines = reported.withLock { $0 }
        let jobs = lines.map { String($0.prefix { $0 != ":" }) }
        // The test server's underwriting service is over the store itself, so the application events' purge goes on.
        #expect(jobs.sorted() == [
            "authorization expiry", "hold expiry", "idempotency key purge", "referral expiry", "webhook dispatch",
        ], "\(lines)")
        #expect(lines.allSatisfy { $0.contains("shutting down") }, "\(lines)")
    }
}
