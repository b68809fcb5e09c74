// Local wall-clock time → instant, across DST gaps and overlaps.
extension TimeZoneRules {
    /// The instant or instants at which this zone's wall clock reads `local`.
    ///
    /// Precondition: the result is representable, which holds for every date in `Instant.supportedLocalDates`
    /// (1678...2261). Use `resolve(validating:)` for dates from outside the program.
    public func resolve(_ local: LocalDateTime) -> LocalTimeResolution {
        do {
            return try resolve(validating: local)
        } catch {
            preconditionFailure(error.description)
        }
    }

    /// The instant or instants at which this zone's wall clock reads `local`; throws `TimeError.overflow` if one
    /// of them is outside the range of `Instant`.
    public func resolve(validating local: LocalDateTime) throws(TimeError) -> LocalTimeResolution {
        let nanosecond = Int64(local.time.nanosecond)
        func instant(_ seconds: Int64) throws(TimeError) -> Instant {
            guard let instant = Instant(secondsSinceUnixEpoch: seconds, nanosecond: nanosecond) else {
                throw .overflow(operation: "The instant of \(local) in \(identifier)")
            }
            return instant
        }
        switch resolveSeconds(wallClock: local.secondsSinceEpochAsUTC) {
        case let .unique(seconds):
            return .unique(try instant(seconds))
        case let .repeated(earlier, later):
            return .repeated(earlier: try instant(earlier), later: try instant(later))
        case let .skipped(before, after, _):
            return .skipped(before: try instant(before), after: try instant(after))
        }
    }

    /// The single instant for `local` under `policy`; by default a skipped wall time moves forward by the gap
    /// length and a repeated one takes the earlier instant (see `LocalTimeResolution.Policy.standard`).
    ///
    /// Precondition: as for `resolve(_:)`.
    public func instant(
        for local: LocalDateTime, policy: LocalTimeResolution.Policy = .standard
    ) -> Instant {
        resolve(local).instant(policy: policy)
    }

    /// The first instant of `date` in this zone: local midnight, or the end of the DST gap when midnight is
    /// skipped. Use it for "due by the end of the day": the deadline is `startOfDay(dueDate + 1 day)`.
    ///
    /// Precondition: `date` is in `Instant.supportedLocalDates`.
    public func startOfDay(_ date: LocalDate) -> Instant {
        precondition(Instant.supportedLocalDates.contains(date), "\(date) is outside Instant.supportedLocalDates")
        let midnight = LocalDateTime(date: date, time: .midnight)
        switch resolveSeconds(wallClock: midnight.secondsSinceEpochAsUTC) {
        case let .unique(seconds), let .repeated(seconds, _), let .skipped(_, _, seconds):
            return Instant(secondsSinceUnixEpoch: seconds)
        }
    }

    /// `resolveSeconds` results, in whole seconds since the epoch.
    enum ResolvedSeconds: Hashable {
        case unique(Int64)
        case repeated(earlier: Int64, later: Int64)
        /// `transition` is the instant of the jump: `before < transition <= after`.
        case skipped(before: Int64, after: Int64, transition: Int64)
    }

    /// Offsets never exceed 26 hours, so every instant that could show `wallClock` lies within this distance of it.
    private static let resolutionWindowSeconds: Int64 = 2 * CivilCalendar.secondsPerDay

    /// Resolves a wall-clock second (counted as if it were UTC) to instants in this zone.
    ///
    /// Every instant `t` with wall clock `w` satisfies `t = w − offset(t)`, and `offset(t)` is one of the offsets in
    /// effect within ±26 h of `w`: the one at the window's start or one that a transition in the window switches
    /// to. Trying each candidate offset and keeping those that agree with themselves finds all of them.
    func resolveSeconds(wallClock wall: Int64) -> ResolvedSeconds {
        let window = (wall - Self.resolutionWindowSeconds)...(wall + Self.resolutionWindowSeconds)
        let transitions = transitionTimes(in: window)
        var candidateOffsets = [offsetSeconds(atSecond: window.lowerBound)]
        for time in transitions {
            let offset = offsetSeconds(atSecond: time)
            if !candidateOffsets.contains(offset) { candidateOffsets.append(offset) }
        }
        let instants = candidateOffsets.map { wall - $0 }.filter { offsetSeconds(atSecond: $0) == wall - $0 }.sorted()
        if let earliest = instants.first, let latest = instants.last {
            return earliest == latest ? .unique(earliest) : .repeated(earlier: earliest, later: latest)
        }
        for time in transitions {
            let offsetBefore = offsetSeconds(atSecond: time - 1)
            let offsetAfter = offsetSeconds(atSecond: time)
            if offsetAfter > offsetBefore, time + offsetBefore <= wall, wall < time + offsetAfter {
                return .skipped(before: wall - offsetAfter, after: wall - offsetBefore, transition: time)
            }
        }
        assertionFailure("no instant and no gap for wall clock \(wall) in \(identifier)")
        return .unique(wall - offsetSeconds(atSecond: wall))
    }
}
