import Dispatch
import Synchronization

/// Group numbers of the commits readers may see and of those made durable, and the readers waiting between them.
///
/// The writer numbers a group before its COMMIT (from then on a reader may see it) and marks it committed when
/// COMMIT returns (its frames are in the WAL); a sync covers every group committed before it started. A reader
/// that must not tell anyone about a commit that a power cut could take back waits until every group numbered by
/// the time it asks is covered.
final class CommitDurability: Sendable {
    private struct State {
        /// The last group numbered (its COMMIT begun).
        var numbered: UInt64 = 0
        /// The last group whose COMMIT returned; groups commit in number order on the one writer.
        var committed: UInt64 = 0
        /// Every group up to this one is durable (or its sync failed), or committed nothing.
        var durable: UInt64 = 0
        /// Groups past `durable` that committed nothing (every body failed): no sync follows them, and none is
        /// needed, so they count as durable as soon as the groups before them are.
        var empty: Set<UInt64> = []
        var waiting: [(through: UInt64, wake: DispatchSemaphore)] = []

        /// Moves `durable` past the empty groups that follow it; returns the waiters it releases.
        mutating func advance(to covered: UInt64) -> [DispatchSemaphore] {
            durable = max(durable, covered)
            empty = empty.filter { $0 > durable }
            while empty.remove(durable + 1) != nil { durable += 1 }
            let ready = waiting.filter { $0.through <= durable }
            waiting.removeAll { $0.through <= durable }
            return ready.map(\.wake)
        }
    }

    private let state = Mutex(State())

    /// Numbers the group about to COMMIT.
    func willCommit() -> UInt64 {
        state.withLock { state in
            state.numbered += 1
            return state.numbered
        }
    }

    /// Group `number`'s COMMIT has returned; `madeVisible` is false when every body of the group failed, so that
    /// it committed nothing and no sync will follow it.
    func committed(_ number: UInt64, madeVisible: Bool) {
        let woken = state.withLock { state -> [DispatchSemaphore] in
            state.committed = max(state.committed, number)
            guard !madeVisible else { return [] }
            state.empty.insert(number)
            return state.advance(to: state.durable)
        }
        for wake in woken { wake.signal() }
    }

    /// A sync is about to start: it covers every group committed so far, which this returns.
    func syncStarting() -> UInt64 {
        state.withLock { $0.committed }
    }

    /// A sync that started when `covered` was the last committed group has ended.
    func synced(through covered: UInt64) {
        let woken = state.withLock { $0.advance(to: covered) }
        for wake in woken { wake.signal() }
    }

    /// Returns once every group numbered by now is durable.
    func waitForVisibleCommits() {
        let wake = state.withLock { state -> DispatchSemaphore? in
            guard state.numbered > state.durable else { return nil }
            let wake = DispatchSemaphore(value: 0)
            state.waiting.append((state.numbered, wake))
            return wake
        }
        wake?.wait()
    }
}
