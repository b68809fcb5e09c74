public import PaylaterStore
public import Synchronization

/// Counts the read and write transactions that reach a database, and the waits for visible commits to be durable:
/// for tests that say how many transactions an operation takes.
public final class CountingDatabase: Database, ShowsCommitsBeforeDurable {
    public let base: any Database
    public let reads = Atomic<Int>(0)
    public let writes = Atomic<Int>(0)
    public let durabilityWaits = Atomic<Int>(0)

    public init(_ base: any Database) { self.base = base }

    public func waitForVisibleCommitsToBeDurable() {
        durabilityWaits.add(1, ordering: .relaxed)
        (base as? any ShowsCommitsBeforeDurable)?.waitForVisibleCommitsToBeDurable()
    }

    public var dialect: any SQLDialect { base.dialect }

    public func write<T: Sendable>(_ body: (any SQLConnection) throws -> T) throws -> T {
        writes.add(1, ordering: .relaxed)
        return try base.write(body)
    }

    public func read<T: Sendable>(_ body: (any SQLConnection) throws -> T) throws -> T {
        reads.add(1, ordering: .relaxed)
        return try base.read(body)
    }
}
