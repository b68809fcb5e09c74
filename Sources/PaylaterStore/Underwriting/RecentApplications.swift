public import PaylaterTime
import Synchronization

/// The application events of the velocity rules' lookback, indexed in memory by device, address and instrument
/// hash, for stores whose writers take turns (SQLite).
///
/// Why: the hashes are random, so each of the three indexes the table had on them took a random B-tree page for
/// every application, about a fifth of the pages the single writer wrote to the log per authorization (see
/// docs/BENCHMARKS.md). The table stays the record: an application's row is inserted in its decision's own
/// transaction and commits with it or not at all; on SQLite it is appended by `seq` and no longer indexed by hash.
/// This is an index of that table, derived from it and never written to directly.
///
/// How it stays exact: it holds committed rows only, every one numbered up to `through`. A write transaction on
/// SQLite excludes every other writer, in this process or another, so rows commit in `seq` order and any row
/// committed later numbers above `through` (the purge never deletes the newest row, so numbers are not reused).
/// `events(...)` inside a write transaction therefore answers from memory for the rows up to `through` and from the
/// table for the rows after it: those committed since the last `catchUp` and the transaction's own, a short
/// range at the table's end read by its primary key. That is what the hash indexes would have answered. Rows a
/// transaction rolled back are never read by `catchUp`, which reads committed rows on a read connection.
public final class RecentApplications: Sendable {
    /// How far back `events(...)` may look: events older than this before the latest `catchUp` are dropped.
    public let lookback: Duration

    /// How much older than the lookback an event is still kept and looked for. An event's time is read when its
    /// request starts, before it waits for the writer, so times are not quite in `seq` order.
    static let slack = Duration.seconds(3_600)

    /// Rows read per query when catching up or loading.
    static let chunk = 1_000

    private let index = Mutex(Index())
    /// Held by the caller loading the index the first time; the others wait for it (see `catchUp`).
    private let firstLoad = Mutex(())
    /// Set once the first load has ended; only then does a caller catch up.
    private let isLoaded = Atomic<Bool>(false)
    /// Set while one caller catches up, so that others go on without waiting (the table answers for what the
    /// index has not read yet).
    private let catchingUp = Atomic<Bool>(false)

    public init(lookback: Duration) {
        self.lookback = lookback
    }

    /// How many events the index holds, and the last `seq` it has read (nil until it has loaded).
    public var statistics: (events: Int, through: Int64?) {
        index.withLock { ($0.count, $0.through) }
    }

    /// Reads the events committed since the last call into the index, and drops those older than the lookback
    /// before `now`. The first call loads the lookback's events (reading the table backwards from its end). Call
    /// it on a read connection, before the write transaction that will ask `events(...)`. When another caller is
    /// catching up already, it returns at once; but every caller waits for the first load, since until it has
    /// ended a write transaction could only ask the whole table, which has no index on the hashes (a week of
    /// events scanned inside the single writer, for every request that arrived during the load).
    public func catchUp(reading connection: any SQLConnection, at now: Instant) throws(StoreError) {
        let repository = UnderwritingRepository(connection)
        let horizon = now.advanced(by: .zero - lookback - Self.slack)
        guard isLoaded.load(ordering: .acquiring) else {
            try firstLoad.withLock { _ throws(StoreError) in
                guard !isLoaded.load(ordering: .acquiring) else { return }
                let loaded = try Self.load(repository, notBefore: horizon)
                // A chunk at a time, so that a writer asking meanwhile waits for one chunk, not for all: what is
                // not held yet is after `through`, where the table answers.
                for start in stride(from: 0, to: loaded.events.count, by: Self.chunk) {
                    index.withLock { $0.append(loaded.events[start..<min(start + Self.chunk, loaded.events.count)]) }
                }
                index.withLock { $0.finishLoading(through: loaded.through, droppingBefore: horizon) }
                isLoaded.store(true, ordering: .releasing)
            }
            return
        }
        guard catchingUp.compareExchange(expected: false, desired: true, ordering: .acquiring).exchanged else { return }
        defer { catchingUp.store(false, ordering: .releasing) }
        guard var through = index.withLock({ $0.through }) else {
            preconditionFailure("the velocity index is marked loaded without a last seq")
        }
        while true {
            let rows = try repository.applicationEvents(after: through, limit: Self.chunk)
            guard let last = rows.last else { break }
            index.withLock { $0.append(rows) }
            through = last.seq
            if rows.count < Self.chunk { break }
        }
        index.withLock { $0.drop(before: horizon) }
    }

    /// The applications after `since` that share the device, the address or the instrument, in `seq` order, as
    /// `connection`'s transaction sees them (its own uncommitted rows included).
    public func events(
        deviceHash: String, addressHash: String, instrumentHash: String, since: Instant, in connection: any SQLConnection
    ) throws(StoreError) -> [ApplicationEventRecord] {
        let (held, through) = index.withLock { index -> ([ApplicationEventRecord], Int64?) in
            // Asked further back than the events held reach (a longer window than `lookback`), or not loaded yet
            // (no catch-up has finished): the table alone answers, reading all of it.
            if let droppedBefore = index.droppedBefore, since < droppedBefore { return ([], nil) }
            return (index.events(sharing: [deviceHash, addressHash, instrumentHash], since: since), index.through)
        }
        return held + (try UnderwritingRepository(connection).recentEvents(
            deviceHash: deviceHash, addressHash: addressHash, instrumentHash: instrumentHash, since: since,
            after: through ?? 0))
    }

    /// The events from the table's end back to the first older than `horizon`, oldest first, and the last `seq`.
    private static func load(_ repository: UnderwritingRepository, notBefore horizon: Instant) throws(StoreError)
        -> (events: [NumberedApplicationEvent], through: Int64)
    {
        var newestFirst: [NumberedApplicationEvent] = []
        var before: Int64?
        while true {
            let rows = try repository.applicationEvents(before: before, limit: chunk)
            newestFirst += rows
            guard let oldest = rows.last, rows.count == chunk, oldest.event.at >= horizon else { break }
            before = oldest.seq
        }
        return (newestFirst.reversed(), newestFirst.first?.seq ?? 0)
    }
}

/// The events held, in `seq` order, and the `seq`s of the events with each device, address and instrument hash.
///
/// Grown in small steps, because it grows under the lock the writer takes to ask it: events are kept in chunks of a
/// fixed capacity (appending never copies those before), and each kind of hash is spread over `shards`
/// dictionaries by its last two characters (a dictionary that outgrows its capacity rehashes every key it holds:
/// one of a day's events, hundreds of thousands, took tens of milliseconds and stalled the writer behind it).
private struct Index {
    static let chunkCapacity = 4_096
    static let shards = 256

    /// The last `seq` read; nil until loaded.
    private(set) var through: Int64?
    /// Events older than this may have been dropped (the latest horizon given to `drop`).
    private(set) var droppedBefore: Instant?
    /// Ascending by `seq`; of the first chunk, the first `start` were dropped.
    private var chunks: [[NumberedApplicationEvent]] = []
    private var start = 0
    /// By kind (device, address, instrument), then by shard: the `seq`s of each hash's events, ascending.
    private var byHash: [[[String: [Int64]]]] = Array(repeating: Array(repeating: [:], count: shards), count: 3)

    var count: Int { chunks.reduce(0) { $0 + $1.count } - start }

    /// Ends the first load: `through` is the last `seq` the table had (0 when it had none).
    mutating func finishLoading(through: Int64, droppingBefore horizon: Instant) {
        self.through = max(self.through ?? through, through)
        drop(before: horizon)
    }

    /// Adds rows read in `seq` order; rows at or below `through` were read already.
    mutating func append(_ rows: some Collection<NumberedApplicationEvent>) {
        for row in rows where row.seq > (through ?? .min) {
            if chunks.isEmpty || chunks[chunks.count - 1].count == Self.chunkCapacity {
                chunks.append([])
                chunks[chunks.count - 1].reserveCapacity(Self.chunkCapacity)
            }
            chunks[chunks.count - 1].append(row)
            for (kind, hash) in Self.hashes(row.event).enumerated() {
                byHash[kind][Self.shard(hash)][hash, default: []].append(row.seq)
            }
            through = row.seq
        }
    }

    /// Drops events from the oldest on while they are older than `horizon`.
    mutating func drop(before horizon: Instant) {
        droppedBefore = max(droppedBefore ?? horizon, horizon)
        while let first = chunks.first, start < first.count, first[start].event.at < horizon {
            // An event dropped is its hashes' oldest, so it is first in each list.
            for (kind, hash) in Self.hashes(first[start].event).enumerated() {
                let shard = Self.shard(hash)
                if byHash[kind][shard][hash]?.count == 1 {
                    byHash[kind][shard][hash] = nil
                } else {
                    byHash[kind][shard][hash]?.removeFirst()
                }
            }
            start += 1
            if start == first.count {
                chunks.removeFirst()
                start = 0
            }
        }
    }

    /// The events after `since` with `hashes[0]` as device, `hashes[1]` as address or `hashes[2]` as instrument.
    func events(sharing hashes: [String], since: Instant) -> [ApplicationEventRecord] {
        var seqs = Set<Int64>()
        for (kind, hash) in hashes.enumerated() { seqs.formUnion(byHash[kind][Self.shard(hash)][hash] ?? []) }
        return seqs.sorted().compactMap { seq in
            let event = self.event(seq)
            return event.at > since ? event : nil
        }
    }

    /// The event of a `seq` held (binary search over the chunks, then within one).
    private func event(_ seq: Int64) -> ApplicationEventRecord {
        var low = 0
        var high = chunks.count - 1
        while low < high {
            let middle = (low + high + 1) / 2
            if chunks[middle][0].seq <= seq { low = middle } else { high = middle - 1 }
        }
        let chunk = chunks[low]
        var (first, last) = (0, chunk.count - 1)
        while first < last {
            let middle = (first + last) / 2
            if chunk[middle].seq < seq { first = middle + 1 } else { last = middle }
        }
        assert(chunk[first].seq == seq, "seq \(seq) indexed but not held")
        return chunk[first].event
    }

    private static func hashes(_ event: ApplicationEventRecord) -> [String] {
        [event.deviceHash, event.addressHash, event.instrumentHash]
    }

    /// A hash's shard: its last two bytes (hashes are hex digits, so all 256 shards are used).
    private static func shard(_ hash: String) -> Int {
        var utf8 = hash.utf8.reversed().makeIterator()
        let last = Int(utf8.next() ?? 0)
        let previous = Int(utf8.next() ?? 0)
        return (previous << 4 ^ last) & (shards - 1)
    }
}
