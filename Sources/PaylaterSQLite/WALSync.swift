import PaylaterStore
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Makes a group's commit durable after the writer is free again.
///
/// With `synchronous = FULL`, SQLite syncs the write-ahead log inside COMMIT, so the writer is held for the length
/// of an fdatasync and the next group cannot start. Instead the writer connection commits with
/// `synchronous = NORMAL` (the WAL is written, not synced; checkpoints still sync the log before copying it and the
/// database after), hands the writer to the next group, and only then syncs the WAL file itself with one
/// `fdatasync` before any caller of the group is told its commit succeeded. A sync covers every frame written
/// before it, so a group is acknowledged only once its own frames, and any it read from earlier groups, are on
/// disk: what `synchronous = FULL` promises, with the next group's bodies running during the sync.
final class WALSync: Sendable {
    /// `fdatasync` by default; tests inject failures.
    typealias Syncer = @Sendable (Int32) -> Int32

    let path: String
    private let syncer: Syncer
    /// The open WAL file and its inode, opened on first use and reopened if the file was replaced.
    private let file = Mutex<(descriptor: Int32, inode: UInt64)?>(nil)
    private let syncs = Atomic<Int>(0)

    init(databasePath: String, syncer: @escaping Syncer = { fdatasync($0) }) {
        path = databasePath + "-wal"
        self.syncer = syncer
    }

    deinit {
        file.withLock { if let open = $0 { close(open.descriptor) } }
    }

    /// How many syncs succeeded so far.
    var count: Int { syncs.load(ordering: .relaxed) }

    /// Syncs everything written to the WAL so far; throws when the data may not be on disk.
    func sync() throws(StoreError) {
        let descriptor = try openFile()
        guard syncer(descriptor) == 0 else {
            throw .statementFailed(
                engine: "SQLite", code: "fdatasync", message: "syncing the write-ahead log failed (errno \(errno))",
                sql: "COMMIT")
        }
        syncs.add(1, ordering: .relaxed)
    }

    private func openFile() throws(StoreError) -> Int32 {
        var status = stat()
        let found = stat(path, &status) == 0
        let result: Int32? = file.withLock { slot in
            if let current = slot, found, current.inode == UInt64(status.st_ino) { return current.descriptor }
            if let stale = slot { close(stale.descriptor) }
            slot = nil
            guard found else { return nil }
            let descriptor = open(path, O_RDONLY | O_CLOEXEC)
            guard descriptor >= 0 else { return nil }
            slot = (descriptor, UInt64(status.st_ino))
            return descriptor
        }
        guard let result else {
            throw .statementFailed(
                engine: "SQLite", code: "open", message: "the write-ahead log \(path) cannot be opened (errno \(errno))",
                sql: "COMMIT")
        }
        return result
    }
}
