internal import CSQLite
import Dispatch
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Has the kernel write the database file's dirty pages to disk while a background checkpoint pass copies the log
/// into it, rather than all at once in the pass's closing fsync.
///
/// A pass writes some thousand pages into the file (through the page cache) and then syncs it; that sync, tens of
/// milliseconds of writes at once, shares the disk with the log's syncs that every group's callers wait for, and
/// on the API benchmark it was where the tail grew over a sustained minute (docs/BENCHMARKS.md: p99 from about 19
/// to 26 ms between the first and the last ten seconds). Asking for writeback every few milliseconds during the
/// pass (`sync_file_range` with `SYNC_FILE_RANGE_WRITE`, which starts writes and waits for none) spreads the same
/// writes over the pass. It makes nothing durable: the pass's own fsync still does, before the log may start over.
/// An optimisation only, so a file that cannot be opened is simply not nudged.
final class DatabaseWriteback: Sendable {
    let path: String
    /// How often writeback is started during a pass, in microseconds.
    private let intervalMicroseconds: UInt32
    /// The database file, opened read-only on first use (writeback works on the file's pages, whoever wrote them).
    private let file = Mutex<Int32?>(nil)
    private let queue = DispatchQueue(label: "paylater.sqlite.writeback", qos: .utility)
    private let nudges = Atomic<Int>(0)

    init(databasePath: String, interval: Duration = .milliseconds(10)) {
        path = databasePath
        let (seconds, attoseconds) = interval.components
        intervalMicroseconds = UInt32(clamping: seconds * 1_000_000 + attoseconds / 1_000_000_000_000)
    }

    deinit {
        file.withLock { if let descriptor = $0 { close(descriptor) } }
    }

    /// How many times writeback was started (tests).
    var count: Int { nudges.load(ordering: .relaxed) }

    /// Starts writeback at once and every `interval` after, on a thread of its own, until `isDone` answers true.
    func nudge(until isDone: @escaping @Sendable () -> Bool) {
        queue.async { [self] in
            startWriteback()
            while !isDone() {
                usleep(intervalMicroseconds)  // woken early by a signal: only the next writeback comes sooner
                startWriteback()
            }
        }
    }

    /// Returns once the nudging in progress, if any, has stopped (tests).
    func waitUntilIdle() { queue.sync {} }

    private func startWriteback() {
        let descriptor: Int32? = file.withLock { slot in
            if slot == nil {
                let opened = open(path, O_RDONLY | O_CLOEXEC)
                if opened >= 0 { slot = opened }
            }
            return slot
        }
        guard let descriptor, csqlite_start_writeback(descriptor) == 0 else { return }
        nudges.add(1, ordering: .relaxed)
    }
}
