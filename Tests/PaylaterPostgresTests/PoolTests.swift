import Glibc
@testable import PaylaterPostgres
import PaylaterStore
import Synchronization
import Testing

@Suite("The connection pool", .needsPostgres)
struct PoolTests {
    @Test("many threads share a bounded number of connections, several at once")
    func bounded() throws {
        try TemporaryPostgresDatabase.with { server in
            let database = try server.open(maximumConnections: 4)
            let inUse = Atomic(0)
            let peak = Atomic(0)
            let errors = onThreads(16) { _ in
                for _ in 0..<3 {
                    try database.write { connection in
                        let now = inUse.add(1, ordering: .relaxed).newValue
                        peak.max(now, ordering: .relaxed)
                        defer { inUse.subtract(1, ordering: .relaxed) }
                        try connection.execute("SELECT pg_sleep(0.02)", [])
                    }
                }
            }
            #expect(errors.isEmpty, "\(errors)")
            #expect((2...4).contains(peak.load(ordering: .relaxed)))
            let statistics = database.pool.statistics
            #expect(statistics.opened <= 4 && statistics.open <= 4 && statistics.dropped == 0)
            let sessions = try server.connectToServer().query(
                "SELECT COUNT(*) FROM pg_stat_activity WHERE datname = ? AND \(clientBackend)", [.text(server.name)]
            )[0].int64(0)
            #expect(sessions <= 4)
        }
    }

    @Test("a caller the server refuses one more connection (its slots are taken) waits for one of the pool's own instead of failing")
    func refusedConnectionWaitsForOwn() throws {
        try TemporaryPostgresDatabase.with { server in
            // A role allowed one connection stands for a server whose connection slots are all taken.
            let role = "paylater_one_" + server.name.suffix(12)
            let administration = try server.connectToServer()
            try administration.executeScript("CREATE ROLE \(role) LOGIN CONNECTION LIMIT 1")
            defer { _ = try? administration.executeScript("DROP ROLE IF EXISTS \(role)") }
            let url = server.url.contains("://")
                ? server.url + (server.url.contains("?") ? "&" : "?") + "user=\(role)" : server.url + " user=\(role)"
            do {
                let database = try PostgresDatabase(
                    url: url, options: PostgresOptions(maximumConnections: 3, connectionWaitTimeout: .seconds(5)))
                let holder = Rendezvous()
                let errors = onThreads(2) { side in
                    if side == 0 {
                        try database.write { _ in
                            #expect(holder.meet(as: 0))
                            usleepMilliseconds(100)
                        }
                    } else {
                        #expect(holder.meet(as: 1))
                        _ = try database.read { connection in try connection.query("SELECT 1", []) }
                    }
                }
                #expect(errors.isEmpty, "\(errors)")
                #expect(database.pool.statistics.opened == 1)
            }
        }
    }

    @Test("a caller waits for a free connection and gives up with a clear error after the timeout")
    func exhausted() throws {
        try TemporaryPostgresDatabase.with { server in
            let database = try server.open(PostgresOptions(maximumConnections: 1, connectionWaitTimeout: .milliseconds(200)))
            try database.write { _ in
                do {
                    try database.read { _ in }
                    Issue.record("a second connection was handed out")
                } catch let StoreError.cannotOpen(location, message) {
                    #expect(location == server.url)
                    #expect(message.contains("no connection became free"))
                }
            }
            // Waiting long enough succeeds. A pool of its own, with a wait timeout no loaded machine reaches: the other
            // side holds the connection 50 ms, which a busy host can stretch past the 200 ms above.
            let patient = try server.open(PostgresOptions(maximumConnections: 1, connectionWaitTimeout: .seconds(10)))
            let holder = Rendezvous()
            let errors = onThreads(2) { side in
                if side == 0 {
                    try patient.write { _ in
                        #expect(holder.meet(as: 0))
                        usleepMilliseconds(50)
                    }
                } else {
                    #expect(holder.meet(as: 1))
                    try patient.read { _ in }
                }
            }
            #expect(errors.isEmpty, "\(errors)")
            #expect(patient.pool.statistics.opened == 1)
        }
    }

    @Test("when the server closes every connection, the idle ones are dropped together and the next write works")
    func serverRestart() throws {
        try TemporaryPostgresDatabase.with { server in
            let database = try server.open(maximumConnections: 4)
            let errors = onThreads(4) { _ in try database.write { try $0.execute("SELECT pg_sleep(0.05)", []) } }
            #expect(errors.isEmpty, "\(errors)")
            let opened = database.pool.statistics.opened
            let administration = try server.connectToServer()
            let pids = try administration.query(
                "SELECT pid FROM pg_stat_activity WHERE datname = ? AND pid <> pg_backend_pid() AND \(clientBackend)",
                [.text(server.name)])
            #expect(pids.count == opened)
            for row in pids { try terminate(try row.int64(0), using: administration) }
            var attempts = 0
            try database.write { connection in
                attempts += 1
                try connection.execute("SELECT 1", [])
            }
            #expect(attempts == 1)
            #expect(database.pool.statistics == .init(open: 1, opened: opened + 1, dropped: opened))
        }
    }

    @Test("a connection the server closed is dropped and replaced; the next transaction works")
    func brokenConnection() throws {
        try TemporaryPostgresDatabase.with { server in
            let database = try server.open(maximumConnections: 1)
            let backend = "SELECT pg_backend_pid()"
            let first = try database.read { try $0.query(backend, [])[0].int64(0) }
            try terminate(first, using: try server.connect())
            let second = try database.read { try $0.query(backend, [])[0].int64(0) }
            #expect(second != first)
            #expect(database.pool.statistics == .init(open: 1, opened: 2, dropped: 1))
        }
    }
}

/// Only the sessions of clients: an autovacuum worker visiting the test's database also shows in pg_stat_activity under
/// its name, and would be counted as one of the pool's connections.
private let clientBackend = "backend_type = 'client backend'"

func usleepMilliseconds(_ milliseconds: UInt32) { usleep(milliseconds * 1_000) }
