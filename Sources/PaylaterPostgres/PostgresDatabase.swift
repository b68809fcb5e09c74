public import PaylaterStore
import Glibc
import Synchronization

/// How a `PostgresDatabase` sizes its pool and retries its transactions.
public struct PostgresOptions: Sendable {
    /// The most connections open at once; a caller that finds them all in use waits.
    public var maximumConnections: Int
    /// How long a caller waits for a free connection before `StoreError.cannotOpen` says the pool is exhausted.
    public var connectionWaitTimeout: Duration
    /// How many times a transaction runs at most when it keeps meeting retryable conflicts.
    public var transactionAttemptsMaximum: Int
    /// The longest pause before a retry; each pause is random (full jitter) below a doubling bound.
    public var retryDelayMaximum: Duration
    /// How long opening a connection may take, unless the URL sets `connect_timeout` itself.
    public var connectTimeoutSeconds: Int
    /// How many named prepared statements each connection keeps at most; 0 runs every statement unnamed, which
    /// a proxy that pools server connections without tracking prepared statements (pgbouncer in transaction mode
    /// before 1.21, or without `max_prepared_statements`) needs.
    public var preparedStatementsMaximum: Int

    /// Enough for every statement Paylater runs, and below pgbouncer's `max_prepared_statements` default (200 since 1.24).
    public static let preparedStatementsDefault = 128

    public init(
        maximumConnections: Int = 10, connectionWaitTimeout: Duration = .seconds(30), transactionAttemptsMaximum: Int = 10,
        retryDelayMaximum: Duration = .milliseconds(200), connectTimeoutSeconds: Int = 10,
        preparedStatementsMaximum: Int = PostgresOptions.preparedStatementsDefault
    ) {
        precondition(maximumConnections >= 1 && transactionAttemptsMaximum >= 1 && connectTimeoutSeconds >= 1)
        precondition(preparedStatementsMaximum >= 0)
        self.preparedStatementsMaximum = preparedStatementsMaximum
        self.maximumConnections = maximumConnections
        self.connectionWaitTimeout = connectionWaitTimeout
        self.transactionAttemptsMaximum = transactionAttemptsMaximum
        self.retryDelayMaximum = retryDelayMaximum
        self.connectTimeoutSeconds = connectTimeoutSeconds
    }
}

/// Paylater's server store: a PostgreSQL database reached through libpq, with a pool of connections.
///
/// Writes run in READ COMMITTED transactions that lock what they change (`FOR UPDATE`), so writers on different
/// rows proceed in parallel; a transaction that meets a serialization failure, a deadlock or a lock timeout is
/// rolled back and run again, up to `transactionAttemptsMaximum` times. Reads run in READ ONLY REPEATABLE READ
/// transactions, which see one snapshot. The only session state that survives a transaction is each connection's
/// named prepared statements, so a pgbouncer in transaction mode may sit in between if it tracks them (1.21 or newer
/// with `max_prepared_statements` set); with an older one, set `preparedStatementsMaximum` to 0.
public final class PostgresDatabase: Database, ReportsTransactionRetries {
    /// The engine's name in errors.
    static let engine = "PostgreSQL"
    /// The shortest bound on a retry's pause, doubled for each further attempt up to `retryDelayMaximum`.
    static let retryDelayMinimum = Duration.milliseconds(2)

    /// The connection URL with any password removed.
    public let location: String
    public let options: PostgresOptions
    public var dialect: any SQLDialect { PostgresDialect() }
    let pool: PostgresConnectionPool
    private let random: Mutex<any RandomNumberGenerator & Sendable>
    private let retries = Mutex<(byCode: [String: Int], givenUp: Int)>(([:], 0))

    /// Connects to the database at `url`, a libpq URI (`postgres://user@host:5432/paylater?sslmode=require`) or
    /// key/value string (`host=db dbname=paylater`), opening one connection now to check it.
    public convenience init(url: String, maximumConnections: Int = 10) throws(StoreError) {
        try self.init(url: url, options: PostgresOptions(maximumConnections: maximumConnections))
    }

    /// Connects with explicit options; `random` draws the retry pauses (inject a seeded one to replay a test).
    public init(
        url: String, options: PostgresOptions, random: some RandomNumberGenerator & Sendable = SystemRandomNumberGenerator()
    ) throws(StoreError) {
        let connectionString = ConnectionString(url)
        location = connectionString.redacted
        self.options = options
        self.random = Mutex(random)
        pool = try PostgresConnectionPool(
            connectionString, maximum: options.maximumConnections, waitTimeout: options.connectionWaitTimeout,
            connectTimeoutSeconds: options.connectTimeoutSeconds,
            preparedStatementsMaximum: options.preparedStatementsMaximum)
    }

    public func write<T: Sendable>(_ body: (any SQLConnection) throws -> T) throws -> T {
        try run(.write, body)
    }

    public func read<T: Sendable>(_ body: (any SQLConnection) throws -> T) throws -> T {
        try run(.read, body)
    }

    /// Runs the transaction, again after a pause when it failed in a way that retrying may fix.
    private func run<T>(_ mode: TransactionMode, _ body: (any SQLConnection) throws -> T) throws -> T {
        var attempt = 1
        while true {
            switch try pool.withConnection({ $0.transaction(mode, body) }) {
            case let .committed(value):
                return value
            case let .failed(error, retryable):
                guard retryable else { throw error }
                guard attempt < options.transactionAttemptsMaximum else {
                    retries.withLock { $0.givenUp += 1 }
                    throw error
                }
                retries.withLock { $0.byCode[Self.code(of: error), default: 0] += 1 }
                pause(after: attempt)
                attempt += 1
            }
        }
    }

    /// Retries and give-ups so far, with the pool's connections.
    public var transactionRetryStatistics: TransactionRetryStatistics {
        var statistics = TransactionRetryStatistics()
        (statistics.retriesByCode, statistics.givenUp) = retries.withLock { ($0.byCode, $0.givenUp) }
        let pool = pool.statistics
        statistics.connectionsOpen = pool.open
        statistics.connectionsOpened = pool.opened
        statistics.connectionsDropped = pool.dropped
        return statistics
    }

    /// The code a retried failure is counted under: the SQLSTATE of a conflict, "connection" for a lost one.
    private static func code(of error: any Error) -> String {
        switch error as? StoreError {
        case let .conflict(_, code, _)?: code
        case let .statementFailed(_, code, _, _)?: code
        case .cannotOpen?: "connection"
        default: "other"
        }
    }

    /// Sleeps a random time below min(minimum * 2^(attempt-1), maximum), so that retrying rivals drift apart.
    private func pause(after attempt: Int) {
        let bound = min(Self.retryDelayMinimum * (1 << min(attempt - 1, 20)), options.retryDelayMaximum)
        let (seconds, attoseconds) = bound.components
        let boundMicroseconds = max(seconds * 1_000_000 + attoseconds / 1_000_000_000_000, 1)
        let microseconds = random.withLock { generator in Int64.random(in: 0...boundMicroseconds, using: &generator) }
        usleep(UInt32(clamping: microseconds))
    }
}
