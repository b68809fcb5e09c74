import Dispatch
import Foundation
@testable import PaylaterSQLite
import PaylaterStore
import PaylaterTestSupport
import Synchronization
import Testing

/// The write-ahead log is copied into the database file mostly in the background; the writer copies only the short
/// rest that lets the log start over, or a log that grew too long.
@Suite("SQLite WAL checkpoints")
struct WALCheckpointerTests {
    static let small = WALCheckpointer.Policy(backgroundFrom: 10, finishFrom: 40, restMaximum: 5, writerCopiesAt: 100)

    static func checkpointer() -> WALCheckpointer {
        WALCheckpointer(policy: small) { () throws(StoreError) in
            throw .cannotOpen(location: "test", message: "the policy tests run no pass")
        }
    }

    static func copied(_ frames: Int) -> Result<(logFrames: Int, copiedFrames: Int), StoreError> {
        .success((frames, frames))
    }

    @Test("a short log is left alone; a longer one is copied in the background, one pass at a time")
    func backgroundFirst() {
        let checkpointer = Self.checkpointer()
        #expect(checkpointer.afterCommit(frames: 9) == .nothing)
        #expect(checkpointer.afterCommit(frames: 10) == .copyInBackground)
        #expect(checkpointer.afterCommit(frames: 30) == .nothing)  // the pass is still running
        checkpointer.passEnded(by: .background, Self.copied(25))
        #expect(checkpointer.afterCommit(frames: 30) == .nothing)  // 5 left: too few for a pass, log too short to finish
        #expect(checkpointer.afterCommit(frames: 35) == .copyInBackground)
        #expect(checkpointer.passes.background == 1)
        #expect(checkpointer.passes.writer == 0)
    }

    @Test("the writer finishes a long log only once few frames are left to copy")
    func writerFinishesTheRest() {
        let checkpointer = Self.checkpointer()
        #expect(checkpointer.afterCommit(frames: 45) == .copyInBackground)
        checkpointer.passEnded(by: .background, Self.copied(30))
        // 15 left of a log long enough to finish: another background pass, not the writer.
        #expect(checkpointer.afterCommit(frames: 45) == .copyInBackground)
        checkpointer.passEnded(by: .background, Self.copied(45))
        #expect(checkpointer.afterCommit(frames: 48) == .copyOnWriter)
        checkpointer.passEnded(by: .writer, Self.copied(48))
        // The log started over: counting begins again.
        #expect(checkpointer.afterCommit(frames: 3) == .nothing)
        #expect(checkpointer.passes.writer == 1)
    }

    @Test("a log the background cannot keep short is copied by the writer; a log that could not start over waits")
    func writerBound() {
        let checkpointer = Self.checkpointer()
        #expect(checkpointer.afterCommit(frames: 100) == .copyOnWriter)
        checkpointer.passEnded(by: .writer, .success((100, 100)))
        // A reader kept the log from starting over: no writer pass after every group.
        #expect(checkpointer.afterCommit(frames: 102) == .nothing)
        #expect(checkpointer.afterCommit(frames: 109) == .copyInBackground)
        checkpointer.passEnded(by: .background, Self.copied(109))
        #expect(checkpointer.afterCommit(frames: 109) == .nothing)
        #expect(checkpointer.afterCommit(frames: 110) == .copyOnWriter)
    }

    @Test("a failed pass is counted and only leaves the log longer")
    func failedPass() {
        let checkpointer = Self.checkpointer()
        #expect(checkpointer.afterCommit(frames: 20) == .copyInBackground)
        checkpointer.passEnded(by: .background, .failure(.conflict(engine: "SQLite", code: "busy", message: "test")))
        #expect(checkpointer.passes.failed == 1)
        #expect(checkpointer.afterCommit(frames: 21) == .copyInBackground)
    }

    /// Writes `rows` transactions of a quarter page each under `policy` (waiting for each background pass to end
    /// before the next write when `waitingForPasses`), then checks every row is there after reopening. Returns the
    /// checkpoint counts, the WAL file's size before closing and how often the database file's writeback was started.
    static func write(
        rows: Int, policy: WALCheckpointer.Policy, waitingForPasses: Bool
    ) throws -> (statistics: GroupCommitStatistics, walBytes: Int, writebacks: Int) {
        try withTemporaryDirectory("ckpt") { directory in
            let path = directory.appendingPathComponent("paylater.sqlite").path
            var database: SQLiteDatabase? = try SQLiteDatabase(
                path: path, durability: .full, walSyncer: { fdatasync($0) }, checkpoints: policy)
            try database?.write { connection in
                try connection.executeScript("CREATE TABLE rows (id INTEGER PRIMARY KEY, payload TEXT NOT NULL)")
            }
            let payload = String(repeating: "x", count: 4_000)
            for id in 0..<rows {
                try database?.write { connection in
                    try connection.execute("INSERT INTO rows (id, payload) VALUES (?, ?)", [.integer(Int64(id)), .text(payload)])
                }
                if waitingForPasses { database?.waitForBackgroundCheckpoint() }
            }
            database?.waitForBackgroundCheckpoint()
            let statistics = try #require(database?.groupCommitStatistics)
            let writebacks = try #require(database?.databaseWritebacks)
            let walBytes = try #require(try FileManager.default.attributesOfItem(atPath: path + "-wal")[.size] as? Int)
            database = nil
            let reopened = try SQLiteDatabase(path: path)
            let (count, integrity) = try reopened.read { connection in
                (try connection.query("SELECT COUNT(*) FROM rows", [])[0].int64(0),
                 try connection.query("PRAGMA integrity_check", [])[0].text(0))
            }
            #expect(count == Int64(rows))
            #expect(integrity == "ok")
            return (statistics, walBytes, writebacks)
        }
    }

    /// A frame: a page and its 24-byte header.
    static let frameBytes = SQLiteConnection.pageSize + 24

    @Test("background passes that keep up copy the whole log, which then starts over by itself; nothing is lost")
    func backgroundKeepsUp() throws {
        let policy = WALCheckpointer.Policy(backgroundFrom: 8, finishFrom: 32, restMaximum: 8, writerCopiesAt: 64)
        let (statistics, walBytes, writebacks) = try Self.write(rows: 600, policy: policy, waitingForPasses: true)
        #expect(statistics.backgroundCheckpoints > 0)
        #expect(statistics.failedCheckpoints == 0)
        #expect(writebacks >= statistics.backgroundCheckpoints, "writeback of the database file starts with every pass")
        // Without checkpoints the log would hold a frame or more per row; started over, a pass's worth and a bit.
        #expect(walBytes < (policy.backgroundFrom + 8) * Self.frameBytes)
    }

    @Test("with no background pass, the writer copies the log at its bound and it starts over; nothing is lost")
    func writerBoundsTheLog() throws {
        let policy = WALCheckpointer.Policy(
            backgroundFrom: .max / 2, finishFrom: .max / 2, restMaximum: 0, writerCopiesAt: 64)
        let (statistics, walBytes, _) = try Self.write(rows: 600, policy: policy, waitingForPasses: false)
        #expect(statistics.backgroundCheckpoints == 0)
        #expect(statistics.writerCheckpoints > 0)
        #expect(statistics.failedCheckpoints == 0)
        #expect(walBytes < (policy.writerCopiesAt + 8) * Self.frameBytes)
    }
}

@Suite("Database file writeback during checkpoints")
struct DatabaseWritebackTests {
    @Test("starts writeback at once and then every interval until told to stop")
    func nudgesUntilDone() throws {
        try withTemporaryDirectory("wb") { directory in
            let path = directory.appendingPathComponent("file").path
            #expect(FileManager.default.createFile(atPath: path, contents: Data(repeating: 7, count: 65_536)))
            let writeback = DatabaseWriteback(databasePath: path, interval: .milliseconds(1))
            let asked = Atomic<Int>(0)
            writeback.nudge { asked.add(1, ordering: .relaxed).newValue > 3 }
            writeback.waitUntilIdle()
            #expect(writeback.count == 4)
            writeback.nudge { true }
            writeback.waitUntilIdle()
            #expect(writeback.count == 5, "once even when the pass is already over")
        }
    }

    @Test("a file that cannot be opened is not nudged, and nothing fails")
    func missingFile() {
        let writeback = DatabaseWriteback(databasePath: "/nonexistent-\(UUID().uuidString)/paylater.sqlite")
        writeback.nudge { true }
        writeback.waitUntilIdle()
        #expect(writeback.count == 0)
    }
}
