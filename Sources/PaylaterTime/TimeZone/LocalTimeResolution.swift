/// What a local wall-clock time means in a time zone: one instant, none (a DST gap) or two (a DST overlap).
public enum LocalTimeResolution: Hashable, Sendable {
    /// The wall time happens exactly once.
    case unique(Instant)
    /// The wall time does not exist because the clocks jumped forward over it (e.g. 02:30 on the spring-forward
    /// night in New York). `before` reads the wall time with the offset after the jump, giving an instant before
    /// the transition whose wall clock shows the time moved back by the gap length (01:30 EST); `after` reads it
    /// with the offset before the jump, giving an instant after the transition whose wall clock shows the time
    /// moved forward by the gap length (03:30 EDT). Always `before < after`.
    case skipped(before: Instant, after: Instant)
    /// The wall time happens twice because the clocks were set back (e.g. 01:30 on the fall-back night in New
    /// York): first at `earlier` (01:30 EDT), then at `later` (01:30 EST).
    case repeated(earlier: Instant, later: Instant)

    /// How to pick one instant from a gap or an overlap.
    public struct Policy: Hashable, Sendable {
        /// What to do with a wall time that a forward jump skipped.
        public enum Gap: Hashable, Sendable {
            /// Move the wall time forward by the gap length (`skipped.after`): 02:30 becomes 03:30 EDT.
            case shiftForward
            /// Move the wall time back by the gap length (`skipped.before`): 02:30 becomes 01:30 EST.
            case shiftBackward
        }

        /// Which of two instants to take for a wall time that happens twice.
        public enum Overlap: Hashable, Sendable {
            /// The first occurrence (`repeated.earlier`), still on the offset from before the change.
            case earlier
            /// The second occurrence (`repeated.later`), on the offset after the change.
            case later
        }

        /// The rule for skipped wall times.
        public var gap: Gap
        /// The rule for repeated wall times.
        public var overlap: Overlap

        /// A policy; the defaults are those of `standard`.
        public init(gap: Gap = .shiftForward, overlap: Overlap = .earlier) {
            self.gap = gap
            self.overlap = overlap
        }

        /// The default: a skipped time moves forward by the gap length, a repeated time takes the earlier instant.
        /// This matches java.time and RFC 5545 (iCalendar), so a reminder set for 02:30 still fires, once.
        public static let standard = Policy()
    }

    /// The single instant `policy` picks.
    public func instant(policy: Policy = .standard) -> Instant {
        switch self {
        case let .unique(instant):
            return instant
        case let .skipped(before, after):
            return policy.gap == .shiftForward ? after : before
        case let .repeated(earlier, later):
            return policy.overlap == .earlier ? earlier : later
        }
    }
}
