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
/// at the disk's sync rate. Concurrent `write` calls are therefore committed together: callers queue their bodies;
/// the first caller to find nobody committing becomes the *leader*, takes up to `groupMaximum` queued bodies
/// (its own first), and runs them one after another inside ONE `BEGIN IMMEDIATE` transaction, then COMMITs once.
/// Only after that COMMIT returns does any caller of the group get its result.
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
/// - With durability `full`, COMMIT writes the WAL without syncing it; the leader hands the writer on, then syncs
///   the WAL (`WALSync`) and only then wakes the group's callers, so the next group runs during the sync and no
///   caller hears of a commit that is not on disk. If that sync fails, every caller of the group gets the error
///   (what reached the disk is unknown, so the operations' own idempotent ids decide a retry, as after a crash).
/// - A lone caller is its own leader and commits at once: no timer, no waiting for company. Bodies queue only
///   while a group is committing, which is exactly when waiting costs nothing extra.
/// - The leader leads one group, then hands the lead to the oldest waiting caller (or drops it when nobody waits),
///   so no caller's latency grows with others' load beyond the group it waited behind.
///
/// Bodies run on the leader's thread, not their caller's; they only use the connection they are given (the
/// `Database` contract). A body must not call `write` again (neither before group commit, where the writer lock
/// is not reentrant, nor now): such a nested call is caught and stops the process instead of deadlocking.
public final class SQLiteDatabase: Database, ReportsGroupCommit {
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
    private let leaderThread = Atomic<UInt>(0)
    private let statistics = Mutex(GroupCommitStatistics())
    /// Syncs the WAL after each group's COMMIT, outside the writer (durability `full` only).
    private let walSync: WALSync?

    /// Opens (creating if needed) the database file at `path`.
    public convenience init(path: String, durability: SQLiteDurability = .full) throws(StoreError) {
        try self.init(path: path, durability: durability, walSyncer: { fdatasync($0) })
    }

    /// `walSyncer` syncs the WAL's file descriptor (tests inject failures).
    init(path: String, durability: SQLiteDurability, walSyncer: @escaping WALSync.Syncer) throws(StoreError) {
        self.path = path
        self.durability = durability
        walSync = durability == .full ? WALSync(databasePath: path, syncer: walSyncer) : nil
        writer = Mutex(try SQLiteConnection(path: path, durability: durability, isWriter: true, syncsOwnCommits: walSync != nil))
        readers = Mutex([])
    }

    /// How many groups and bodies were committed so far, and how long the writer was held (tests, benchmarks and
    /// `/metrics`).
    public var groupCommitStatistics: GroupCommitStatistics { statistics.withLock { $0 } }

    /// Callers waiting for their group (tests use it to line bodies up in one group).
    var queuedWriteCount: Int { queue.withLock { $0.waiting.count } }

    public func write<T: Sendable>(_ body: (any SQLConnection) throws -> T) throws -> T {
        precondition(
            leaderThread.load(ordering: .relaxed) != Self.currentThread,
            "SQLiteDatabase.write called from inside a write body: nested writes are not supported")
        return try withoutActuallyEscaping(body) { body in
            var result: T?
            let pending = PendingWrite { connection in result = try body(connection) }
            let leads = queue.withLock { queue in
                queue.waiting.append(pending)
                if queue.isLeading { return false }
                queue.isLeading = true
                return true
            }
            if !leads {
                pending.wake.wait()
                if !pending.isFinished { commitNextGroup() }  // promoted to leader
            } else {
                commitNextGroup()
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

    /// Run by the leader: commits the oldest queued bodies (the leader's own first) as one group, wakes their
    /// callers, and passes the lead to the oldest caller still waiting.
    private func commitNextGroup() {
        let group = queue.withLock { queue in
            let count = min(queue.waiting.count, Self.groupMaximum)
            let group = Array(queue.waiting.prefix(count))
            queue.waiting.removeFirst(count)
            return group
        }
        leaderThread.store(Self.currentThread, ordering: .relaxed)
        let held = ContinuousClock.now
        let (transactions, rerun) = writer.withLock { connection in Self.run(group, on: connection) }
        let writerHeld = held.duration(to: .now)
        leaderThread.store(0, ordering: .relaxed)
        let next = queue.withLock { queue -> PendingWrite? in
            guard let next = queue.waiting.first else {
                queue.isLeading = false
                return nil
            }
            return next
        }
        next?.wake.signal()
        // The next group runs while this one's commit is made durable; nobody of this group hears of it before.
        var synced = false
        if let walSync, group.contains(where: { $0.failure == nil }) {
            do {
                try walSync.sync()
                synced = true
            } catch {
                for pending in group where pending.failure == nil { pending.fail(error) }
            }
        }
        statistics.withLock { statistics in
            statistics.groups += 1
            statistics.bodies += group.count
            statistics.transactions += transactions
            if rerun { statistics.rerunWithSavepoints += 1 }
            statistics.largestGroup = max(statistics.largestGroup, group.count)
            statistics.writerHeld += writerHeld
            if synced { statistics.walSyncs += 1 }
        }
        for pending in group.dropFirst() {
            pending.isFinished = true
            pending.wake.signal()
        }
        group[0].isFinished = true
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

/// Callers waiting for a group, and whether some caller is leading one.
private struct WriteQueue: Sendable {
    var waiting: [PendingWrite] = []
    var isLeading = false
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
    var isFinished = false
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
