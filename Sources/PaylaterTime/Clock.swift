#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A source of the current instant. Domain code takes a `Clock` as an argument instead of reading the system time,
/// so that tests and the simulator can control "now".
///
/// This protocol shadows the standard library's `_Concurrency.Clock` in any file that imports `PaylaterTime`, so
/// `any Clock` and `some Clock` there mean this protocol; write `_Concurrency.Clock` for the other one.
public protocol Clock: Sendable {
    /// The current instant.
    func now() -> Instant
}

extension Clock {
    /// Today's date on the wall calendar of `zone`, e.g. a consumer's local date for due-date checks.
    public func today(in zone: TimeZoneRules) -> LocalDate {
        zone.localDate(at: now())
    }
}

/// The operating system's real-time clock (`clock_gettime(CLOCK_REALTIME)`), in UTC.
public struct SystemClock: Clock {
    /// The system clock; it holds no state, so every value reads the same time.
    public init() {}

    public func now() -> Instant {
        var time = timespec()
        let result = clock_gettime(CLOCK_REALTIME, &time)
        precondition(result == 0, "clock_gettime(CLOCK_REALTIME) failed")
        let instant = Instant(secondsSinceUnixEpoch: Int64(time.tv_sec), nanosecond: Int64(time.tv_nsec))
        guard let instant else { preconditionFailure("the system time is outside the representable range") }
        return instant
    }
}
