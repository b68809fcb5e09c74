public import PaylaterStore
import Dispatch
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Paylater's embedded store: one SQLite file in write-ahead-log mode.
///
/// One writer connection serialises writes inside this process (and `BEGIN IMMEDIATE` with a busy timeout
/// serialises them across processes); readers use a small pool of their own connections and see a snapshot, so
/// reads never wait for writes.
///
/// ## Group commit
///
/// With `synchronous = FULL` every COMMIT waits for one WAL fsync, so one transaction per commit would cap writes
/// at the disk's sync rate. Concurrent `write` calls are therefore committed together: callers queue their bodies
/// and wait; one *writer thread* takes up to `groupMaximum` queued bodies, oldest first, and runs them one after
/// another inside ONE `BEGIN IMMEDIATE` transaction, then COMMITs once. Only after that COMMIT returns does any
/// caller of the group get its result.
///
/// - A body sees its own writes and those of the bodies before it in the group (they run serially on one
///   connection), exactly as if their transactions had committed one after another in that order.
/// - Bodies first run without savepoints: nearly all succeed, and a savepoint copies every page a body changes
///   into its journal (a sixth of the writer's time on the API benchmark). If one throws, the whole transaction
///   is rolled back and the group runs again with each body in its own SAVEPOINT: the thrower is rolled back to
///   it (its writes vanish; earlier bodies' stay) and its caller gets its error; the others commit. So the
///   bodies before a thrower run twice, which the `Database` contract allows (a body may run more than once).
/// - If SQLite rolls the whole transaction back on its own (an I/O error, a full disk), the bodies already run in
///   that transaction get that error; the remaining ones go on in a new transaction.
/// - If BEGIN or COMMIT fails, every body of that transaction gets the error: nothing of it is acknowledged.
/// - With durability `full`, COMMIT writes the WAL without syncing it; the writer thread hands the group to its
///   first caller, which syncs the WAL (`WALSync`) and only then wakes the others, so the next group runs during
///   the sync and no caller hears of a commit that is not on disk. If that sync fails, every caller of the group
///   gets the error (what reached the disk is unknown, so the operations' own idempotent ids decide a retry, as
///   after a crash).
/// - A lone caller's body is committed at once: no timer, no waiting for company. Bodies queue only while a group
///   is committing, which is exactly when waiting costs nothing extra.
/// - The writer thread commits groups back to back while bodies are queued. An earlier design let the first
///   caller lead and hand the lead to the next waiting caller after each group; the writer then stood idle until
///   that caller's thread was scheduled, measured as several percent of its time on two busy cores. The writer
///   thread is started when a body is queued, and exits after `writerIdleTimeout` without any.
///
/// Bodies run on the writer thread, not their caller's; they only use the connection they are given (the
/// `Database` contract). A body must not call `write` again (neither before group commit, where the writer lock
/// is not reentrant, nor now): such a nested call is caught and stops the process instead of deadlocking.
public final class SQLiteDatabase: Database, ReportsGroupCommit, ShowsCommitsBeforeDurable {
    /// The most reader connections kept open.
    private static let readerMaximum = 8
    /// The most transaction bodies committed together.
    public static let groupMaximum = 64

    public let path: String
    public let durability: SQLiteDurability
    public var dialect: any SQLDialect { SQLiteDialect() }
    private let writer: Mutex<SQLiteConnection>
    private let readers: Mutex<[SQLiteConnection]>
    private let queue = Mutex(WriteQueue())
    /// The thread running a group's bodies (0 when none), to catch a body calling `write`.
    private let writerThread = Atomic<UInt>(0)
    /// Runs the writer thread; serial, so a new writer starts only after an exiting one has returned.
    private let writerQueue = DispatchQueue(label: "paylater.sqlite.writer")
    /// Signalled when a body is queued for an idle writer thread.
    private let work = DispatchSemaphore(value: 0)
    /// How long an idle writer thread waits for more bodies before it exits.
    private static let writerIdleTimeout = DispatchTimeInterval.milliseconds(100)
    private let statistics = Mutex(GroupCommitStatistics())
    /// Syncs the WAL after each group's COMMIT, outside the writer (durability `full` only).
    private let walSync: WALSync?
    /// Copies the WAL into the database file, mostly off the writer thread.
    private let checkpointer: WALCheckpointer
    /// Which groups' commits readers may see and which are durable (see `waitForVisibleCommitsToBeDurable`).
    private let commitDurability = CommitDurability()

    /// Opens (creating if needed) the database file at `path`.
    public convenience init(path: String, durability: SQLiteDurability = .full) throws(StoreError) {
        try self.init(path: path, durability: durability, walSyncer: { fdatasync($0) })
    }

    /// `walSyncer` syncs the WAL's file descriptor (tests inject failures); `checkpoints` says when to copy the
    /// WAL into the database file (tests make it small).
    init(
        path: String, durability: SQLiteDurability, walSyncer: @escaping WALSync.Syncer,
        checkpoints: WALCheckpointer.Policy = WALCheckpointer.Policy()
    ) throws(StoreError) {
        self.path = path
        self.durability = durability
        walSync = durability == .full ? WALSync(databasePath: path, syncer: walSyncer) : nil
        let connection = try SQLiteConnection(path: path, durability: durability, isWriter: true, syncsOwnCommits: walSync != nil)
        connection.countWALFrames()
        writer = Mutex(connection)
        readers = Mutex([])
        let writeback = DatabaseWriteback(databasePath: path)
        checkpointer = WALCheckpointer(policy: checkpoints, writeback: writeback) { () throws(StoreError) in
            try SQLiteConnection(path: path, durability: durability, isWriter: false)
        }
    }

    /// Returns once every group whose COMMIT had begun by now is durable: with durability `full` a group's commit
    /// is visible to readers from its COMMIT, while its WAL sync runs after it (`WALSync`), and a power cut in
    /// between would take back what a reader saw. Immediate when nothing is waiting for a sync, and always with
    /// durability `normal` (which promises nothing across a power cut).
    public func waitForVisibleCommitsToBeDurable() {
        commitDurability.waitForVisibleCommits()
    }

    /// How many groups and bodies were committed so far, and how long the writer was held (tests, benchmarks and
    /// `/metrics`).
    public var groupCommitStatistics: GroupCommitStatistics {
        var current = statistics.withLock { $0 }
        (current.backgroundCheckpoints, current.writerCheckpoints, current.failedCheckpoints) = checkpointer.passes
        current.databaseWritebacks = checkpointer.writeback?.count ?? 0
        return current
    }

    /// Returns once the background checkpoint in progress, if any, has ended (tests).
    func waitForBackgroundCheckpoint() { checkpointer.waitForBackgroundPass() }

    /// How many times writeback of the database file was started during background passes (tests).
    var databaseWritebacks: Int {
        checkpointer.writeback?.waitUntilIdle()
        return checkpointer.writeback?.count ?? 0
    }

    /// Callers waiting for their group (tests use it to line bodies up in one group).
    var queuedWriteCount: Int { queue.withLock { $0.waiting.count } }

    public func write<T: Sendable>(_ body: (any SQLConnection) throws -> T) throws -> T {
        precondition(
            writerThread.load(ordering: .relaxed) != Self.currentThread,
            "SQLiteDatabase.write called from inside a write body: nested writes are not supported")
        return try withoutActuallyEscaping(body) { body in
            var result: T?
            let pending = PendingWrite { connection in result = try body(connection) }
            let start = queue.withLock { queue -> WriterStart in
                queue.waiting.append(pending)
                if !queue.writerRunning {
                    queue.writerRunning = true
                    return .spawn
                }
                if queue.writerIdle {
                    queue.writerIdle = false
                    return .signal
                }
                return .none
            }
            switch start {
            case .spawn: startWriter()
            case .signal: work.signal()
            case .none: break
            }
            pending.wake.wait()
            if let group = pending.groupToSync {
                pending.groupToSync = nil  // the group holds this caller: let go of it, or neither is ever freed
                syncAndWake(group)
            }
            pending.run = nil
            if let failure = pending.failure { throw failure }
            guard let result else { preconditionFailure("a write body finished without a result or an error") }
            return result
        }
    }

    public func read<T: Sendable>(_ body: (any SQLConnection) throws -> T) throws -> T {
        let connection = try readers.withLock { $0.popLast() }
            ?? SQLiteConnection(path: path, durability: durability, isWriter: false)
        defer {
            readers.withLock { pool in
                if pool.count < Self.readerMaximum { pool.append(connection) }
            }
        }
        return try connection.transaction(immediate: false, body)
    }

    // MARK: - Group commit

    /// Starts the writer thread (on this database's serial queue, so a writer that is just exiting finishes first).
    private func startWriter() {
        let database = WeakDatabase(self)
        writerQueue.async { [work] in Self.writerLoop(database, work: work) }
    }

    /// The writer thread: commits queued groups back to back, so the writer never waits for a woken caller to be
    /// scheduled; when nothing is queued it waits `writerIdleTimeout` for more, then exits. It holds the database
    /// only while committing, so an unused database is freed as usual.
    private static func writerLoop(_ database: WeakDatabase, work: DispatchSemaphore) {
        while true {
            // Each step takes the database afresh, so none is held while waiting.
            guard let committed = database.value?.commitNextGroup() else { return }
            if committed { continue }
            if work.wait(timeout: .now() + writerIdleTimeout) == .success { continue }
            guard let exits = database.value?.exitIfStillIdle(), !exits else { return }
        }
    }

    /// After an idle wait: the writer exits unless a caller queued a body meanwhile (and signalled `work`).
    private func exitIfStillIdle() -> Bool {
        queue.withLock { queue in
            guard queue.writerIdle, queue.waiting.isEmpty else { return false }
            queue.writerRunning = false
            queue.writerIdle = false
            return true
        }
    }

    /// Commits the oldest queued bodies as one group and hands it on to be made durable; false (and the writer
    /// marked idle) when nothing is queued.
    private func commitNextGroup() -> Bool {
        let group = queue.withLock { queue -> [PendingWrite] in
            let count = min(queue.waiting.count, Self.groupMaximum)
            guard count > 0 else {
                queue.writerIdle = true
                return []
            }
            let group = Array(queue.waiting.prefix(count))
            queue.waiting.removeFirst(count)
            return group
        }
        guard !group.isEmpty else { return false }
        writerThread.store(Self.currentThread, ordering: .relaxed)
        let held = ContinuousClock.now
        // Numbered before COMMIT can make it visible, and counted committed once COMMIT has returned (its frames
        // written, whether it succeeded or not), so that a sync started after that covers it.
        let number = walSync == nil ? nil : commitDurability.willCommit()
        let (transactions, rerun, checkpoint) = writer.withLock { connection in
            let (transactions, rerun) = Self.run(group, on: connection)
            return (transactions, rerun, checkpointer.afterCommit(frames: connection.walFrames))
        }
        let madeVisible = group.contains { $0.failure == nil }
        if let number { commitDurability.committed(number, madeVisible: madeVisible) }
        let writerHeld = held.duration(to: .now)
        writerThread.store(0, ordering: .relaxed)
        statistics.withLock { statistics in
            statistics.groups += 1
            statistics.bodies += group.count
            statistics.transactions += transactions
            if rerun { statistics.rerunWithSavepoints += 1 }
            statistics.largestGroup = max(statistics.largestGroup, group.count)
            statistics.writerHeld += writerHeld
        }
        if walSync != nil, madeVisible {
            // The group's first caller syncs the WAL and wakes the others, while this thread commits the next group.
            group[0].groupToSync = group
            group[0].wake.signal()
        } else {
            for pending in group { pending.wake.signal() }
        }
        switch checkpoint {
        case .nothing: break
        case .copyInBackground: checkpointer.copyInBackground()
        case .copyOnWriter:
            // After the group is on its way: only the next group waits for this (short) copy.
            let copying = ContinuousClock.now
            writer.withLock { checkpointer.copyOnWriter($0) }
            let copied = copying.duration(to: .now)
            statistics.withLock { $0.writerHeld += copied }
        }
        return true
    }

    /// Run by a group's first caller: syncs the WAL, which makes the group's commit durable, then wakes the rest.
    /// If the sync fails, every caller of the group gets the error.
    private func syncAndWake(_ group: [PendingWrite]) {
        guard let walSync else { preconditionFailure("a group handed over for a sync without a WAL to sync") }
        let covered = commitDurability.syncStarting()
        do {
            try walSync.sync()
            statistics.withLock { $0.walSyncs += 1 }
        } catch {
            for pending in group where pending.failure == nil { pending.fail(error) }
        }
        // A failed sync releases waiting readers too: nothing better is coming for those commits (their callers
        // were told of the failure).
        commitDurability.synced(through: covered)
        for pending in group.dropFirst() { pending.wake.signal() }
    }

    /// Runs `group`'s bodies in as few transactions as possible; records each body's error, if any, in its
    /// `failure`. Returns how many transactions were committed or attempted.
    ///
    /// First all in one transaction without savepoints; if a body throws, that attempt is rolled back and the
    /// group runs again with savepoints (`runWithSavepoints`).
    private static func run(_ group: [PendingWrite], on connection: SQLiteConnection) -> (transactions: Int, rerun: Bool) {
        guard group.count > 1 else { return (runWithSavepoints(group, on: connection), false) }
        do {
            try connection.execute("BEGIN IMMEDIATE", [])
        } catch {
            for pending in group { pending.fail(error) }
            return (1, false)
        }
        for pending in group {
            do {
                try pending.runBody(connection)
            } catch {
                if connection.isInTransaction { try? connection.executeScript("ROLLBACK") }
                return (1 + runWithSavepoints(group, on: connection), true)
            }
        }
        do {
            try connection.execute("COMMIT", [])
        } catch {
            if connection.isInTransaction { try? connection.executeScript("ROLLBACK") }
            for pending in group { pending.fail(error) }
        }
        return (1, false)
    }

    /// Runs `group`'s bodies in as few transactions as possible (one, unless SQLite aborts one on its own), each
    /// in its own savepoint when there are several; returns how many transactions were committed or attempted.
    private static func runWithSavepoints(_ group: [PendingWrite], on connection: SQLiteConnection) -> Int {
        var index = 0
        var transactions = 0
        let savepoints = group.count > 1
        while index < group.count {
            transactions += 1
            do {
                try connection.execute("BEGIN IMMEDIATE", [])
            } catch {
                for pending in group[index...] { pending.fail(error) }
                return transactions
            }
            var members: [PendingWrite] = []
            var aborted = false
            while index < group.count, !aborted {
                let pending = group[index]
                index += 1
                if let error = runMember(pending, on: connection, savepoint: savepoints) {
                    // The transaction is gone or unusable: nothing that ran in it is committed.
                    if connection.isInTransaction { try? connection.executeScript("ROLLBACK") }
                    for member in members {
                        member.fail(StoreError.conflict(
                            engine: "SQLite", code: "group rolled back",
                            message: "the transaction this write was grouped into was rolled back: \(error)"))
                    }
                    members = []
                    aborted = true
                } else if pending.failure == nil {
                    members.append(pending)
                }
            }
            if aborted { continue }
            do {
                try connection.execute("COMMIT", [])
            } catch {
                if connection.isInTransaction { try? connection.executeScript("ROLLBACK") }
                for member in members { member.fail(error) }
            }
        }
        return transactions
    }

    /// Runs one body, inside its own savepoint when `savepoint`; a body that throws is rolled back to it and keeps
    /// its error in `failure`. Returns an error when the enclosing transaction can no longer be committed.
    private static func runMember(_ pending: PendingWrite, on connection: SQLiteConnection, savepoint: Bool) -> (any Error)? {
        do {
            // Prepared once per connection (like BEGIN, RELEASE and COMMIT): parsing them on every body cost more
            // than a small body's own statements.
            if savepoint { try connection.execute("SAVEPOINT paylater_group_member", []) }
        } catch {
            pending.fail(error)
            return error
        }
        do {
            try pending.runBody(connection)
        } catch {
            pending.fail(error)
            guard savepoint, connection.isInTransaction else { return error }
            do {
                try connection.executeScript("ROLLBACK TO paylater_group_member; RELEASE paylater_group_member")
                return nil
            } catch let rollback {
                return rollback
            }
        }
        do {
            if savepoint { try connection.execute("RELEASE paylater_group_member", []) }
            return nil
        } catch {
            pending.fail(error)
            return error
        }
    }

    private static var currentThread: UInt {
        #if canImport(Glibc)
        UInt(pthread_self())
        #else
        UInt(bitPattern: pthread_self())
        #endif
    }
}

/// Callers waiting for a group, and the writer thread's state.
private struct WriteQueue: Sendable {
    var waiting: [PendingWrite] = []
    /// A writer thread exists (committing, or idle until its timeout).
    var writerRunning = false
    /// The writer thread waits on `work` for a caller to queue a body.
    var writerIdle = false
}

/// The writer thread's reference to its database, which must not keep an unused database alive.
private final class WeakDatabase: @unchecked Sendable {
    weak var value: SQLiteDatabase?

    init(_ value: SQLiteDatabase) { self.value = value }
}

/// What a caller that queued a body must do for the writer thread.
private enum WriterStart {
    case spawn
    case signal
    case none
}

/// One caller's transaction body while it waits to be committed.
///
/// Hand-offs are ordered by the queue's mutex (caller → leader) and by `wake` (leader → caller): the leader sets
/// `failure` and `isFinished` before signalling, the caller reads them after waking, so the class is
/// `@unchecked Sendable`. `run` is a non-escaping body made escapable for the duration of `write`; it is dropped
/// (set to nil) once run, before the caller returns.
private final class PendingWrite: @unchecked Sendable {
    var run: ((SQLiteConnection) throws -> Void)?
    var failure: (any Error)?
    /// Set on a group's first caller when it is woken to sync the WAL for its whole group.
    var groupToSync: [PendingWrite]?
    let wake = DispatchSemaphore(value: 0)

    init(_ run: @escaping (SQLiteConnection) throws -> Void) {
        self.run = run
    }

    /// Runs the body; it stays set until its caller returns, since a group that meets a throwing body runs again.
    func runBody(_ connection: SQLiteConnection) throws {
        guard let body = run else { return }
        try body(connection)
    }

    func fail(_ error: any Error) {
        run = nil
        failure = error
    }
}
