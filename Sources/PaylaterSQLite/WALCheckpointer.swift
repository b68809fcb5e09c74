import Dispatch
import PaylaterStore
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Keeps the write-ahead log short without stalling the writer for a whole checkpoint.
///
/// SQLite's automatic checkpoint runs on the connection that committed, after its commit: it copies every page in
/// the log into the database file and syncs that file, so the single writer (and every caller queued behind it)
/// waits for the copy and the sync, tens of milliseconds on the API benchmark and its slowest one percent of
/// answers. Here a background thread with its own connection does that copy (a passive checkpoint, which never
/// waits for the writer or readers) while the writer goes on committing; the frames committed during a pass are
/// copied by the next one. The log can only start over (overwritten from its beginning by the next transaction)
/// once *every* frame has been copied, which a background pass chasing a busy writer rarely reaches, so when the
/// frames not yet copied are few the writer copies that short rest itself, between two groups.
///
/// The writer tells the checkpointer the log's length after each group (`afterCommit`), which answers what to do.
/// A log that still reaches `writerCopiesAt` (passes too slow for the writes) is copied by the writer whatever the
/// rest: the old automatic checkpoint's bound. A reader on an old snapshot keeps any checkpoint from copying past it
/// and the log from starting over; nothing here can change that.
final class WALCheckpointer: Sendable {
    /// When to checkpoint, in log frames (one frame: one page).
    struct Policy: Sendable {
        /// A background pass starts once the log has this many frames not yet copied.
        var backgroundFrom = 1_000
        /// The writer finishes a log at least this long once at most `restMaximum` frames are left to copy.
        var finishFrom = 16_000
        /// Every caller queued behind the writer waits for its pass, so the rest is kept short: 256 frames (2 MiB
        /// with 8 KiB pages) gave the API benchmark 1.2-2.4 ms lower p99 than 512 in six alternating 10 s pairs (over
        /// 60 s, where every build's p99 is 32-44 ms, one run each: 32.4 and 40.7 against 43.9 ms).
        var restMaximum = 256
        /// The writer copies a log this long itself, however much is left.
        var writerCopiesAt = 40_000
    }

    /// What the writer does after a commit.
    enum Step: Equatable {
        case nothing
        /// Start a background pass (`copyInBackground()`).
        case copyInBackground
        /// Checkpoint on the writer's connection now.
        case copyOnWriter
    }

    private struct State {
        /// A background pass is running.
        var copying = false
        /// Frames of the current log known to be copied (by the latest pass).
        var copied = 0
        /// The log's length at the writer's latest pass. When a reader kept the log from starting over, the writer
        /// waits for `backgroundFrom` more frames before another pass, instead of copying after every group.
        var writerPassedAt = 0
        var backgroundPasses = 0
        var writerPasses = 0
        var failures = 0
    }

    let policy: Policy
    private let state = Mutex(State())
    /// The background pass's connection, opened on its first pass.
    private let connection = Mutex<SQLiteConnection?>(nil)
    private let open: @Sendable () throws(StoreError) -> SQLiteConnection
    private let queue = DispatchQueue(label: "paylater.sqlite.checkpointer", qos: .utility)
    /// Spreads the database file's writes over each background pass (nil: left to the pass's closing sync).
    let writeback: DatabaseWriteback?

    /// `open` opens the connection background passes use; `writeback`, if any, runs during each of them.
    init(
        policy: Policy = Policy(), writeback: DatabaseWriteback? = nil,
        open: @escaping @Sendable () throws(StoreError) -> SQLiteConnection
    ) {
        self.policy = policy
        self.writeback = writeback
        self.open = open
    }

    /// What to do now that a commit left `frames` frames in the log.
    func afterCommit(frames: Int) -> Step {
        state.withLock { state in
            // The log started over. (A commit adds few frames next to these lengths. One so large that the new log
            // is at once longer than what was copied of the old would be taken for the old log; the next pass's
            // count puts that right. Either way only when to copy is at stake, never what is kept.)
            if frames < state.copied || frames < state.writerPassedAt {
                state.copied = 0
                state.writerPassedAt = 0
            }
            guard !state.copying else { return .nothing }
            let rest = frames - state.copied
            let writerMayPass = state.writerPassedAt == 0 || frames >= state.writerPassedAt + policy.backgroundFrom
            if writerMayPass,
                frames >= policy.writerCopiesAt || (frames >= policy.finishFrom && rest <= policy.restMaximum)
            {
                state.writerPassedAt = frames
                return .copyOnWriter
            }
            guard rest >= policy.backgroundFrom || (frames >= policy.finishFrom && rest > policy.restMaximum) else {
                return .nothing
            }
            state.copying = true
            return .copyInBackground
        }
    }

    /// Starts a background pass; the writer calls it when `afterCommit` answered `copyInBackground`.
    func copyInBackground() {
        writeback?.nudge { [self] in state.withLock { !$0.copying } }
        queue.async { [self] in
            passEnded(by: .background, Result { () throws(StoreError) in try passConnection().checkpoint() })
        }
    }

    /// Returns once the background pass in progress or decided on, if any, has ended (tests). A pass is decided on
    /// in `afterCommit`, under the writer, but queued only after the group's callers were woken, so a caller that
    /// waited for the queue alone could return before that pass even started.
    func waitForBackgroundPass() {
        while true {
            queue.sync {}
            guard state.withLock({ $0.copying }) else { return }
            usleep(100)
        }
    }

    /// Copies the rest on the writer's own connection (between groups: no transaction open).
    func copyOnWriter(_ writer: SQLiteConnection) {
        passEnded(by: .writer, Result { () throws(StoreError) in try writer.checkpoint() })
    }

    /// Who ran a pass.
    enum Runner {
        case background
        case writer
    }

    /// Records a pass: what it copied says how much of the log is left (tests call it directly to step the policy).
    func passEnded(by runner: Runner, _ result: Result<(logFrames: Int, copiedFrames: Int), StoreError>) {
        state.withLock { state in
            switch runner {
            case .background:
                state.copying = false
                state.backgroundPasses += 1
            case .writer:
                state.writerPasses += 1
            }
            switch result {
            case let .success(pass): state.copied = pass.copiedFrames
            case .failure: state.failures += 1
            }
        }
    }

    /// Passes so far, by who ran them, and failed ones (a failed pass only leaves the log longer; `/metrics`).
    var passes: (background: Int, writer: Int, failed: Int) {
        state.withLock { ($0.backgroundPasses, $0.writerPasses, $0.failures) }
    }

    private func passConnection() throws(StoreError) -> SQLiteConnection {
        if let existing = connection.withLock({ $0 }) { return existing }
        let opened = try open()
        connection.withLock { $0 = opened }
        return opened
    }
}
