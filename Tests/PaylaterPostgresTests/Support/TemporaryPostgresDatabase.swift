import Foundation
@testable import PaylaterPostgres
import PaylaterStore
import Synchronization
import Testing

/// Whether the PostgreSQL suites run, and against which server.
///
/// They need `PAYLATER_TEST_POSTGRES_URL`. Without it every test records an issue rather than passing silently,
/// unless `PAYLATER_SKIP_POSTGRES=1` says out loud that this machine has no PostgreSQL (the tests then show as
/// skipped).
enum PostgresTestEnvironment {
    static let urlVariable = "PAYLATER_TEST_POSTGRES_URL"
    static let skipVariable = "PAYLATER_SKIP_POSTGRES"

    static var isSkipped: Bool { ProcessInfo.processInfo.environment[skipVariable] == "1" }

    static var serverURL: String? {
        guard let url = ProcessInfo.processInfo.environment[urlVariable], !url.isEmpty else { return nil }
        return url
    }
}

extension Trait where Self == ConditionTrait {
    /// Skips a suite only when PAYLATER_SKIP_POSTGRES=1.
    static var needsPostgres: Self {
        .enabled(if: !PostgresTestEnvironment.isSkipped, "PAYLATER_SKIP_POSTGRES=1: PostgreSQL tests skipped")
    }
}

/// A database of its own on the test server for one test: created empty, dropped (with any sessions still in it)
/// when the test ends.
final class TemporaryPostgresDatabase {
    /// The new database's name, `paylater_test_<random>`.
    let name: String
    /// A URL that points at the new database.
    let url: String
    private let serverURL: String

    /// Runs `body` with a fresh database; records an issue instead when no server is configured.
    static func with(_ body: (TemporaryPostgresDatabase) throws -> Void) throws {
        guard let serverURL = PostgresTestEnvironment.serverURL else {
            Issue.record("\(PostgresTestEnvironment.urlVariable) is not set")
            return
        }
        let database = try TemporaryPostgresDatabase(serverURL: serverURL)
        defer { database.drop() }
        try body(database)
    }

    private init(serverURL: String) throws {
        self.serverURL = serverURL
        name = "paylater_test_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
        url = Self.url(serverURL, database: name)
        // CREATE DATABASE cannot run inside a transaction, which is all `PostgresDatabase` offers.
        try Self.administration(serverURL).executeScript("CREATE DATABASE \(name)")
    }

    /// A pooled database on this database.
    func open(maximumConnections: Int = 4) throws -> PostgresDatabase {
        try PostgresDatabase(url: url, maximumConnections: maximumConnections)
    }

    func open(_ options: PostgresOptions) throws -> PostgresDatabase {
        try PostgresDatabase(url: url, options: options)
    }

    /// A bare connection to the database, outside any pool and transaction.
    func connect() throws -> PostgresConnection {
        try PostgresConnection(ConnectionString(url), connectTimeoutSeconds: 10)
    }

    /// A bare connection to the server's administration database.
    func connectToServer() throws -> PostgresConnection { try Self.administration(serverURL) }

    private func drop() {
        do {
            try Self.administration(serverURL).executeScript("DROP DATABASE IF EXISTS \(name) WITH (FORCE)")
        } catch {
            Issue.record("could not drop \(name): \(error)")
        }
    }

    private static func administration(_ serverURL: String) throws -> PostgresConnection {
        try PostgresConnection(ConnectionString(serverURL), connectTimeoutSeconds: 10)
    }

    /// `serverURL` with its database replaced by `database`, for URIs and key/value strings alike.
    static func url(_ serverURL: String, database: String) -> String {
        guard let scheme = serverURL.range(of: "://") else { return serverURL + " dbname=\(database)" }
        let rest = serverURL[scheme.upperBound...]
        let queryStart = rest.firstIndex(of: "?") ?? rest.endIndex
        let pathStart = rest[..<queryStart].firstIndex(of: "/") ?? queryStart
        return String(serverURL[..<pathStart]) + "/" + database + String(rest[queryStart...])
    }
}

/// Runs `body` on `count` threads of their own (not the cooperative pool, whose width is the number of cores) and
/// waits for all of them; returns the errors they threw.
func onThreads(_ count: Int, _ body: @escaping @Sendable (Int) throws -> Void) -> [any Error] {
    let errors = Mutex<[any Error]>([])
    let finished = DispatchGroup()
    for index in 0..<count {
        finished.enter()
        let thread = Thread {
            defer { finished.leave() }
            do { try body(index) } catch { errors.withLock { $0.append(error) } }
        }
        thread.start()
    }
    finished.wait()
    return errors.withLock { $0 }
}

/// Two threads meet: each waits (up to 10 s) until the other has arrived.
final class Rendezvous: Sendable {
    private let arrived = [DispatchSemaphore(value: 0), DispatchSemaphore(value: 0)]

    /// `side` is 0 or 1; returns false when the other side never came.
    func meet(as side: Int) -> Bool {
        arrived[side].signal()
        return arrived[1 - side].wait(timeout: .now() + 10) == .success
    }
}

/// One SQL value of every kind, for round trips.
enum SampleValues {
    static let integers: [Int64] = [0, 1, -1, 42, .max, .min, 9_007_199_254_740_993]
    static let texts = ["", "plain", "non-ASCII: héllo wörld 世界 🚀", "quote ' double \" backslash \\ question ?", "line\nbreak\ttab"]
    static let blobs: [[UInt8]] = [[], [0], [0x5c, 0x78, 0x00, 0xff], Array(0...255)]
}
