import Dispatch
import Glibc
import PaylaterStore
import Synchronization

/// A bounded pool of connections to one database: opened lazily up to `maximum`, handed to one caller at a time,
/// and dropped instead of reused when broken or left in an unknown state.
final class PostgresConnectionPool: Sendable {
    /// How many connections the pool has opened and dropped, and how many are open now.
    struct Statistics: Equatable, Sendable {
        var open = 0
        var opened = 0
        var dropped = 0
    }

    let maximum: Int
    private let connectionString: ConnectionString
    private let waitTimeout: Duration
    private let connectTimeoutSeconds: Int
    private let preparedStatementsMaximum: Int
    /// One permit per connection that may be in use.
    private let permits: DispatchSemaphore
    private let state: Mutex<(idle: [PostgresConnection], statistics: Statistics)>

    init(
        _ connectionString: ConnectionString, maximum: Int, waitTimeout: Duration, connectTimeoutSeconds: Int,
        preparedStatementsMaximum: Int = PostgresOptions.preparedStatementsDefault
    ) throws(StoreError) {
        precondition(maximum >= 1, "a pool needs at least one connection")
        self.connectionString = connectionString
        self.maximum = maximum
        self.waitTimeout = waitTimeout
        self.connectTimeoutSeconds = connectTimeoutSeconds
        self.preparedStatementsMaximum = preparedStatementsMaximum
        permits = DispatchSemaphore(value: maximum)
        // One connection up front, so that a wrong URL or an unreachable server fails here, not at the first use.
        let first = try PostgresConnection(
            connectionString, connectTimeoutSeconds: connectTimeoutSeconds,
            preparedStatementsMaximum: preparedStatementsMaximum)
        state = Mutex(([first], Statistics(open: 1, opened: 1)))
    }

    var statistics: Statistics { state.withLock { $0.statistics } }

    /// Runs `body` with a connection of its own, waiting up to the wait timeout for one to become free.
    func withConnection<T>(_ body: (PostgresConnection) -> T) throws(StoreError) -> T {
        guard permits.wait(timeout: .now() + Self.dispatchInterval(waitTimeout)) == .success else {
            throw .cannotOpen(
                location: connectionString.redacted,
                message: "no connection became free within \(waitTimeout): all \(maximum) are in use "
                    + "(raise the maximum number of connections or shorten the transactions)")
        }
        defer { permits.signal() }
        let connection = try checkOut()
        let result = body(connection)
        checkIn(connection)
        return result
    }

    private func checkOut() throws(StoreError) -> PostgresConnection {
        if let idle = state.withLock({ $0.idle.popLast() }) { return idle }
        // Connecting takes a round trip or more; it happens outside the lock, under this caller's permit.
        let connection: PostgresConnection
        do {
            connection = try PostgresConnection(
                connectionString, connectTimeoutSeconds: connectTimeoutSeconds,
                preparedStatementsMaximum: preparedStatementsMaximum)
        } catch {
            // The server refused one more (its connection slots are taken, say) while this pool has connections of
            // its own in use: wait for one of them rather than fail the request.
            if let returned = waitForIdle() { return returned }
            throw error
        }
        state.withLock { state in
            state.statistics.open += 1
            state.statistics.opened += 1
        }
        return connection
    }

    /// An idle connection once another caller returns one, within the wait timeout; nil at once when the pool has
    /// no connection open (none will come back).
    private func waitForIdle() -> PostgresConnection? {
        let deadline = ContinuousClock.now.advanced(by: waitTimeout)
        while ContinuousClock.now < deadline {
            let (idle, open) = state.withLock { ($0.idle.popLast(), $0.statistics.open) }
            if let idle { return idle }
            guard open > 0 else { return nil }
            usleep(2_000)
        }
        return nil
    }

    /// Keeps a reusable connection and drops any other. A connection the server closed also drops the idle ones:
    /// after a restart or failover they are most likely dead too, and a retry should not spend its attempts on
    /// them. Dropped connections close when their last reference goes, after the lock is released.
    private func checkIn(_ connection: PostgresConnection) {
        let reusable = connection.isReusable
        let broken = connection.isBroken
        let dropped: [PostgresConnection] = state.withLock { state in
            if reusable {
                state.idle.append(connection)
                return []
            }
            var dropped = [connection]
            if broken {
                dropped += state.idle
                state.idle.removeAll()
            }
            state.statistics.open -= dropped.count
            state.statistics.dropped += dropped.count
            assert(state.idle.count <= state.statistics.open && state.statistics.open <= maximum)
            return dropped
        }
        withExtendedLifetime(dropped) {}  // PQfinish runs here, outside the lock
    }

    private static func dispatchInterval(_ duration: Duration) -> DispatchTimeInterval {
        let (seconds, attoseconds) = duration.components
        let capped = min(max(seconds, 0), 86_400 * 365)
        return .nanoseconds(Int(capped) * 1_000_000_000 + Int(attoseconds / 1_000_000_000))
    }
}
