import Synchronization

/// A clock that only moves when told to, for tests and the simulator. Thread-safe.
///
/// Time never runs backwards: `advance(by:)` with a negative duration and `set(to:)` with an earlier instant are
/// programming errors and stop the process with a precondition failure, as does moving past `Instant.maximum`.
public final class ManualClock: Clock {
    private let current: Mutex<Instant>

    /// A clock that reads `start` until moved.
    public init(_ start: Instant) {
        current = Mutex(start)
    }

    public func now() -> Instant {
        current.withLock { $0 }
    }

    /// Moves the clock forward by `duration`. Precondition: `duration` is not negative.
    public func advance(by duration: Duration) {
        precondition(duration >= .zero, "ManualClock cannot go backwards (advance by \(duration))")
        current.withLock { instant in
            instant = instant.advanced(by: duration)
        }
    }

    /// Moves the clock to `instant`. Precondition: `instant` is not earlier than `now()`.
    public func set(to instant: Instant) {
        current.withLock { current in
            precondition(instant >= current, "ManualClock cannot go backwards from \(current) to \(instant)")
            current = instant
        }
    }
}
