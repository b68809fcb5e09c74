import Dispatch
import Foundation
@testable import PaylaterSQLite
import PaylaterStore
import PaylaterTestSupport
import Synchronization
import Testing

/// The embedded store's group commit: concurrent `write` calls share one SQLite transaction and one WAL sync, each
/// body inside its own savepoint.
@Suite("SQLite group commit")
struct GroupCommitTests {
    /// A fresh store (durability full, as production) with a scratch table, and a deferred foreign key that a body
    /// can violate to make the group's COMMIT fail.
    static func store() throws -> (TestStore, SQLiteDatabase) {
        let store = try TestStore(.sqlite, durability: .full)
        let database = try #require(store.database as? SQLiteDatabase)
        try database.write { connection in
            try connection.executeScript("""
                CREATE TABLE gc_rows (id TEXT PRIMARY KEY, writer INTEGER NOT NULL);
                CREATE TABLE gc_parents (id TEXT PRIMARY KEY);
                CREATE TABLE gc_children (id TEXT PRIMARY KEY,
                    parent TEXT NOT NULL REFERENCES gc_parents (id) DEFERRABLE INITIALLY DEFERRED);
                """)
        }
        return (store, database)
    }

    static func insert(_ id: String, writer: Int = 0, _ connection: any SQLConnection) throws {
        try connection.execute("INSERT INTO gc_rows (id, writer) VALUES (?, ?)", [.text(id), .integer(Int64(writer))])
    }

    static func rows(_ database: any Database) throws -> Set<String> {
        try database.read { connection in
            Set(try connection.query("SELECT id FROM gc_rows", []).map { try $0.text(0) })
        }
    }

    /// Runs `body` on a new thread; `wait()` on the returned group joins it.
    static func spawn(_ body: @escaping @Sendable () -> Void) -> DispatchGroup {
        let group = DispatchGroup()
        group.enter()
        let thread = Thread {
            body()
            group.leave()
        }
        thread.start()
        return group
    }

    /// Holds the writer with a body that waits for `release`, so that the calls made meanwhile queue up and are
    /// committed as one group, in the order they were queued.
    static func blockWriter(_ database: SQLiteDatabase) -> (release: DispatchSemaphore, done: DispatchGroup) {
        let release = DispatchSemaphore(value: 0)
        let entered = DispatchSemaphore(value: 0)
        let done = spawn {
            _ = try? database.write { connection in
                entered.signal()
                release.wait()
                try Self.insert("blocker", connection)
            }
        }
        entered.wait()
        return (release, done)
    }

    /// Starts `body` on a new thread as one `write` and waits until it is queued behind the others.
    static func queue(
        _ database: SQLiteDatabase, _ body: @escaping @Sendable (any SQLConnection) throws -> String
    ) -> (DispatchGroup, Outcome) {
        let result = Outcome()
        let before = database.queuedWriteCount
        let group = spawn {
            let outcome = Result { try database.write(body) }
            result.value.withLock { $0 = outcome }
        }
        while database.queuedWriteCount == before { usleep(1_000) }
        return (group, result)
    }

    struct Injected: Error, Equatable {}

    /// What one queued `write` returned or threw.
    final class Outcome: Sendable {
        let value = Mutex<Result<String, any Error>?>(nil)

        func get() throws -> String? { try value.withLock { try $0?.get() } }
    }

    @Test("many threads writing at once: every write commits exactly once, is visible on return, and writes are grouped")
    func concurrentWriters() throws {
        let (store, database) = try Self.store()
        defer { withExtendedLifetime(store) {} }
        let before = database.groupCommitStatistics
        let threads = 16
        let perThread = 150
        let invisible = Atomic<Int>(0)
        let groups = (0..<threads).map { writer in
            Self.spawn {
                for index in 0..<perThread {
                    let id = "w\(writer)-\(index)"
                    do {
                        let returned = try database.write { connection in
                            try Self.insert(id, writer: writer, connection)
                            return id
                        }
                        // Acknowledged, so another connection must see it now.
                        let seen = try database.read { connection in
                            try connection.query("SELECT COUNT(*) FROM gc_rows WHERE id = ?", [.text(returned)])[0].int64(0)
                        }
                        if seen != 1 { invisible.add(1, ordering: .relaxed) }
                    } catch {
                        invisible.add(1, ordering: .relaxed)
                    }
                }
            }
        }
        for group in groups { group.wait() }
        #expect(invisible.load(ordering: .relaxed) == 0)
        let rows = try Self.rows(database)
        #expect(rows.count == threads * perThread)
        let statistics = database.groupCommitStatistics
        #expect(statistics.bodies - before.bodies == threads * perThread)
        #expect(statistics.largestGroup > 1, "16 writers never shared a commit: \(statistics)")
        #expect(statistics.largestGroup <= SQLiteDatabase.groupMaximum)
        #expect(statistics.groups - before.groups < threads * perThread)
        #expect(statistics.walSyncs - before.walSyncs == statistics.groups - before.groups, "one WAL sync per group")
    }

    @Test("the time the writer is held is counted: at least what the bodies took, at most the time they were waited for")
    func writerHeld() throws {
        let (store, database) = try Self.store()
        defer { withExtendedLifetime(store) {} }
        let before = database.groupCommitStatistics.writerHeld
        let started = ContinuousClock.now
        for index in 0..<3 {
            try database.write { connection in
                try Self.insert("held-\(index)", writer: 0, connection)
                Thread.sleep(forTimeInterval: 0.02)
            }
        }
        let elapsed = started.duration(to: .now)
        let held = database.groupCommitStatistics.writerHeld - before
        #expect(held >= .milliseconds(60))
        #expect(held <= elapsed)
    }

    /// A durable database in a fresh directory whose WAL syncs go through `syncer`.
    static func database(syncer: @escaping WALSync.Syncer) throws -> (URL, SQLiteDatabase) {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("gc-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let database = try SQLiteDatabase(
            path: directory.appendingPathComponent("paylater.sqlite").path, durability: .full, walSyncer: syncer)
        try database.write { connection in
            try connection.executeScript("CREATE TABLE gc_rows (id TEXT PRIMARY KEY, writer INTEGER NOT NULL)")
        }
        return (directory, database)
    }

    @Test("a group's callers return only after its WAL sync, and the next group commits during that sync")
    func syncAfterTheWriter() throws {
        let release = DispatchSemaphore(value: 0)
        let syncing = DispatchSemaphore(value: 0)
        let calls = Atomic<Int>(0)
        let (directory, database) = try Self.database { descriptor in
            // The third sync (after the schema's and the PRAGMA's) stalls until released.
            if calls.add(1, ordering: .relaxed).newValue == 3 {
                syncing.signal()
                release.wait()
            }
            return fdatasync(descriptor)
        }
        defer { try? FileManager.default.removeItem(at: directory) }
        // COMMIT itself does not sync (NORMAL); the database syncs the WAL after it.
        let synchronous = try database.write { connection in try connection.query("PRAGMA synchronous", [])[0].int64(0) }
        #expect(synchronous == 1)
        let firstReturned = Atomic<Bool>(false)
        let first = Self.spawn {
            try? database.write { connection in try Self.insert("first", connection) }
            firstReturned.store(true, ordering: .releasing)
        }
        syncing.wait()
        // The first group is committed but not yet synced: its caller waits, while a second group commits.
        let second = Self.spawn { try? database.write { connection in try Self.insert("second", connection) } }
        let secondReturned = second.wait(timeout: .now() + 10) == .success
        #expect(secondReturned, "the second group waited for the first one's sync")
        let returnedEarly = firstReturned.load(ordering: .acquiring)
        #expect(!returnedEarly)
        #expect(try Self.rows(database) == ["first", "second"])
        release.signal()
        first.wait()
        second.wait()
        let returned = firstReturned.load(ordering: .acquiring)
        #expect(returned)
        #expect(database.groupCommitStatistics.walSyncs == 4)
    }

    /// A commit is readable from its COMMIT, while its WAL sync runs after it; whoever answers from a read waits
    /// for that sync, so that what it says cannot be taken back by a power cut.
    @Test("a commit readable during its WAL sync is waited for by waitForVisibleCommitsToBeDurable, until the sync ends")
    func readersWaitForTheSync() throws {
        let release = DispatchSemaphore(value: 0)
        let syncing = DispatchSemaphore(value: 0)
        let stall = Atomic<Bool>(false)
        let (directory, database) = try Self.database { descriptor in
            if stall.exchange(false, ordering: .relaxed) {
                syncing.signal()
                release.wait()
            }
            return fdatasync(descriptor)
        }
        defer { try? FileManager.default.removeItem(at: directory) }
        // Nothing is waiting for a sync: no wait.
        database.waitForVisibleCommitsToBeDurable()
        stall.store(true, ordering: .relaxed)
        let writer = Self.spawn { try? database.write { connection in try Self.insert("unsynced", connection) } }
        syncing.wait()
        #expect(try Self.rows(database) == ["unsynced"], "readable before its sync has ended")
        let waited = Atomic<Bool>(false)
        let reader = Self.spawn {
            database.waitForVisibleCommitsToBeDurable()
            waited.store(true, ordering: .releasing)
        }
        let returnedEarly = reader.wait(timeout: .now() + 0.3) == .success || waited.load(ordering: .acquiring)
        #expect(!returnedEarly, "returned while the commit it could see was not yet durable")
        release.signal()
        let returned = reader.wait(timeout: .now() + 10) == .success
        #expect(returned)
        writer.wait()
        // Synced now: no wait.
        database.waitForVisibleCommitsToBeDurable()
    }

    @Test("a group whose bodies all failed committed nothing: no one waits for a sync that will not come")
    func failedGroupsAreNotWaitedFor() throws {
        let (directory, database) = try Self.database { fdatasync($0) }
        defer { try? FileManager.default.removeItem(at: directory) }
        struct Refused: Error {}
        #expect(throws: Refused.self) {
            try database.write { connection in
                try Self.insert("rolled back", connection)
                throw Refused()
            }
        }
        let waiter = Self.spawn { database.waitForVisibleCommitsToBeDurable() }
        let returned = waiter.wait(timeout: .now() + 10) == .success
        #expect(returned)
        #expect(try Self.rows(database).isEmpty)
    }

    @Test("when the WAL sync fails, every caller of that group gets the error")
    func failedSync() throws {
        let failing = Atomic<Bool>(false)
        let (directory, database) = try Self.database { descriptor in
            failing.load(ordering: .relaxed) ? -1 : fdatasync(descriptor)
        }
        defer { try? FileManager.default.removeItem(at: directory) }
        failing.store(true, ordering: .relaxed)
        #expect {
            try database.write { connection in try Self.insert("unsynced", connection) }
        } throws: { error in
            if case .statementFailed(_, "fdatasync", _, _)? = error as? StoreError { true } else { false }
        }
        failing.store(false, ordering: .relaxed)
        try database.write { connection in try Self.insert("synced", connection) }
        #expect(try Self.rows(database).contains("synced"))
    }

    @Test("a body that throws is rolled back alone; later bodies see earlier ones' writes but not its rows")
    func throwingBodyRollsBackAlone() throws {
        let (store, database) = try Self.store()
        defer { withExtendedLifetime(store) {} }
        let (release, blocker) = Self.blockWriter(database)
        let firstRuns = Atomic<Int>(0)
        let (first, firstResult) = Self.queue(database) { connection in
            firstRuns.add(1, ordering: .relaxed)
            try Self.insert("first", connection)
            return "first"
        }
        let (failing, failingResult) = Self.queue(database) { connection in
            try Self.insert("failing", connection)
            throw Injected()
        }
        let (last, lastResult) = Self.queue(database) { connection in
            try Self.insert("last", connection)
            let seen = try connection.query("SELECT id FROM gc_rows ORDER BY id", []).map { try $0.text(0) }
            return seen.joined(separator: ",")
        }
        let before = database.groupCommitStatistics
        release.signal()
        for group in [blocker, first, failing, last] { group.wait() }

        #expect(try firstResult.get() == "first")
        #expect(throws: Injected.self) { try failingResult.get() }
        // The last body ran after the failing one's rollback: it sees the blocker's, the first's and its own row.
        #expect(try lastResult.get() == "blocker,first,last")
        #expect(try Self.rows(database) == ["blocker", "first", "last"])
        let statistics = database.groupCommitStatistics
        // The blocker's group, then one group of the three queued bodies.
        #expect(statistics.groups == before.groups + 2, "the three queued bodies were not committed together")
        #expect(statistics.largestGroup >= 3)
        // The group first ran without savepoints; the throw rolled that back and it ran again with them, so the
        // body before the thrower ran twice and committed once.
        #expect(statistics.rerunWithSavepoints == before.rerunWithSavepoints + 1)
        #expect(firstRuns.load(ordering: .relaxed) == 2)
    }

    @Test("many writers, some of whose bodies throw: each other write applies exactly once, each thrower not at all")
    func concurrentWritersWithThrowers() throws {
        let (store, database) = try Self.store()
        defer { withExtendedLifetime(store) {} }
        try database.write { connection in
            try connection.executeScript("CREATE TABLE gc_counter (n INTEGER NOT NULL); INSERT INTO gc_counter VALUES (0);")
        }
        let threads = 12
        let perThread = 100
        let wrongOutcomes = Atomic<Int>(0)
        let groups = (0..<threads).map { writer in
            Self.spawn {
                for index in 0..<perThread {
                    let id = "w\(writer)-\(index)"
                    let refused = (writer * perThread + index) % 7 == 0
                    do {
                        let returned = try database.write { connection in
                            // Read-modify-write of one shared row: a body applied twice would count twice.
                            try connection.execute("UPDATE gc_counter SET n = n + 1", [])
                            try Self.insert(id, writer: writer, connection)
                            if refused { throw Injected() }
                            return id
                        }
                        if refused || returned != id { wrongOutcomes.add(1, ordering: .relaxed) }
                    } catch is Injected {
                        if !refused { wrongOutcomes.add(1, ordering: .relaxed) }
                    } catch {
                        wrongOutcomes.add(1, ordering: .relaxed)
                    }
                }
            }
        }
        for group in groups { group.wait() }
        #expect(wrongOutcomes.load(ordering: .relaxed) == 0)
        let expected = Set((0..<threads).flatMap { writer in
            (0..<perThread).filter { (writer * perThread + $0) % 7 != 0 }.map { "w\(writer)-\($0)" }
        })
        #expect(try Self.rows(database) == expected)
        let counted = try database.read { connection in try connection.query("SELECT n FROM gc_counter", [])[0].int64(0) }
        #expect(counted == Int64(expected.count))
        let statistics = database.groupCommitStatistics
        #expect(statistics.largestGroup > 1, "the writers never shared a group: \(statistics)")
        #expect(statistics.rerunWithSavepoints > 0, "no group met a thrower: \(statistics)")
    }

    @Test("a group whose bodies all succeed runs each of them once, in one attempt")
    func cleanGroupRunsOnce() throws {
        let (store, database) = try Self.store()
        defer { withExtendedLifetime(store) {} }
        let (release, blocker) = Self.blockWriter(database)
        let runs = Atomic<Int>(0)
        let queued = (0..<4).map { index in
            Self.queue(database) { connection in
                runs.add(1, ordering: .relaxed)
                try Self.insert("clean-\(index)", connection)
                return "clean-\(index)"
            }
        }
        let before = database.groupCommitStatistics
        release.signal()
        blocker.wait()
        for (group, _) in queued { group.wait() }
        for (index, (_, outcome)) in queued.enumerated() { #expect(try outcome.get() == "clean-\(index)") }
        let statistics = database.groupCommitStatistics
        #expect(statistics.groups == before.groups + 2)
        #expect(statistics.rerunWithSavepoints == before.rerunWithSavepoints)
        #expect(runs.load(ordering: .relaxed) == 4)
        #expect(try Self.rows(database) == ["blocker", "clean-0", "clean-1", "clean-2", "clean-3"])
    }

    @Test("when the group's COMMIT fails, every body of the group gets the error and nothing of it is kept")
    func failedCommitFailsTheWholeGroup() throws {
        let (store, database) = try Self.store()
        defer { withExtendedLifetime(store) {} }
        let (release, blocker) = Self.blockWriter(database)
        let (good, goodResult) = Self.queue(database) { connection in
            try Self.insert("good", connection)
            return "good"
        }
        // Violates a deferred foreign key: the body itself succeeds, the COMMIT refuses.
        let (dangling, danglingResult) = Self.queue(database) { connection in
            try connection.execute("INSERT INTO gc_children (id, parent) VALUES ('orphan', 'missing')", [])
            return "dangling"
        }
        let (also, alsoResult) = Self.queue(database) { connection in
            try Self.insert("also", connection)
            return "also"
        }
        release.signal()
        for group in [blocker, good, dangling, also] { group.wait() }

        for result in [goodResult, danglingResult, alsoResult] {
            #expect(throws: StoreError.self) { try result.get() }
        }
        #expect(try Self.rows(database) == ["blocker"])
        #expect(try database.read { try $0.query("SELECT COUNT(*) FROM gc_children", [])[0].int64(0) } == 0)
        // The connection is usable afterwards.
        #expect(try database.write { connection in try Self.insert("after", connection); return 1 } == 1)
        #expect(try Self.rows(database) == ["blocker", "after"])
    }

    @Test("a lone writer commits at once, in a group of one")
    func loneWriter() throws {
        let (store, database) = try Self.store()
        defer { withExtendedLifetime(store) {} }
        let before = database.groupCommitStatistics
        for index in 0..<20 {
            try database.write { connection in try Self.insert("solo-\(index)", connection) }
        }
        let after = database.groupCommitStatistics
        #expect(after.groups - before.groups == 20)
        #expect(after.bodies - before.bodies == 20)
        #expect(throws: Injected.self) {
            try database.write { connection in
                try Self.insert("solo-failing", connection)
                throw Injected()
            }
        }
        #expect(try Self.rows(database).count == 20)
    }

    @Test("the writer thread exits when idle and a later write starts another; it does not keep the database alive")
    func writerThreadComesAndGoes() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("gc-writer-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        weak var released: SQLiteDatabase?
        do {
            let database = try SQLiteDatabase(path: directory.appendingPathComponent("store.sqlite").path, durability: .full)
            released = database
            try database.write { connection in try connection.executeScript("CREATE TABLE gc_rows (id TEXT PRIMARY KEY, writer INTEGER NOT NULL)") }
            try database.write { connection in try Self.insert("before", connection) }
            usleep(300_000)  // past the writer's idle timeout: it has exited
            try database.write { connection in try Self.insert("after", connection) }
            #expect(try Self.rows(database) == ["before", "after"])
        }
        let deadline = ContinuousClock.now.advanced(by: .seconds(5))
        while released != nil, ContinuousClock.now < deadline { usleep(10_000) }
        #expect(released == nil, "an idle writer thread kept the database open")
    }

    @Test("SIGKILL of a server under concurrent writes loses no acknowledged write")
    func killUnderLoad() throws {
        let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        let testBinary = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        let binary = ProcessInfo.processInfo.environment["PAYLATER_BINARY"]
            ?? testBinary.deletingLastPathComponent().appendingPathComponent("paylater").path
        try #require(FileManager.default.isExecutableFile(atPath: binary), "build paylater first: \(binary)")
        let store = try TestStore(.sqlite, durability: .full)

        let create = Process()
        create.executableURL = URL(fileURLWithPath: binary)
        create.arguments = ["merchant", "create", "--name", "crash"] + store.arguments
        let createOutput = Pipe()
        create.standardOutput = createOutput
        try create.run()
        let created = String(decoding: createOutput.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        create.waitUntilExit()
        let key = try #require(created.split(separator: "\n").first { $0.hasPrefix("api key") }?.split(separator: " ").last)

        let server = Process()
        server.executableURL = URL(fileURLWithPath: binary)
        server.arguments = [
            "serve", "--port", "0", "--threads", "16",
            "--policy", repository.appendingPathComponent("config/policy.example.json").path,
            "--model", repository.appendingPathComponent("config/model.example.json").path,
        ] + store.arguments
        let serverOutput = Pipe()
        server.standardOutput = serverOutput
        server.standardError = FileHandle.nullDevice
        try server.run()
        var banner = ""
        while !banner.contains("\n") {
            let chunk = serverOutput.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            banner += String(decoding: chunk, as: UTF8.self)
        }
        let port = try #require(banner.split(separator: ":").last.flatMap { UInt16(String($0).trimmingCharacters(in: .whitespacesAndNewlines)) })

        let acknowledged = Mutex<[String]>([])
        let stop = Atomic<Bool>(false)
        let clients = (0..<12).map { client in
            Self.spawn {
                let http = HTTPTestClient(port: port, timeoutSeconds: 5)
                var index = 0
                while !stop.load(ordering: .relaxed) {
                    index += 1
                    let reference = "c\(client)-\(index)"
                    let body = #"{"merchant_reference":"\#(reference)","shopper_reference":"s-\#(reference)","total":{"amount":10000,"currency":"CNY"},"lines":[{"name":"x","quantity":1,"unit_price":{"amount":10000,"currency":"CNY"}}]}"#
                    guard let response = try? http.send(
                        "POST", "/v1/checkouts",
                        headers: [("Authorization", "Bearer \(key)"), ("Idempotency-Key", reference), ("Content-Type", "application/json")],
                        text: body)
                    else { continue }
                    if response.status == 201, let id = response.bodyText.firstMatch(of: /"id":"([^"]+)"/)?.1 {
                        acknowledged.withLock { $0.append(String(id)) }
                    }
                }
            }
        }
        let deadline = ContinuousClock.now.advanced(by: .seconds(60))
        while acknowledged.withLock({ $0.count }) < 300, ContinuousClock.now < deadline { usleep(2_000) }
        kill(server.processIdentifier, SIGKILL)
        server.waitUntilExit()
        stop.store(true, ordering: .relaxed)
        for client in clients { client.wait() }
        #expect(server.terminationReason == .uncaughtSignal)

        let ids = acknowledged.withLock { $0 }
        #expect(ids.count >= 300)
        let reopened = try store.reopen()
        let found = try reopened.read { connection in
            Set(try connection.query("SELECT id FROM checkouts", []).map { try $0.text(0) })
        }
        let lost = ids.filter { !found.contains($0) }
        #expect(lost.isEmpty, "\(lost.count) of \(ids.count) acknowledged checkouts are missing after SIGKILL")
    }
}
