import Foundation
import PaylaterSQLite
import PaylaterStore
import PaylaterTestSupport
import PaylaterTime
import Testing

/// `RecentApplications` must answer inside a write transaction exactly what the table's hash indexes answered:
/// every check compares it with `UnderwritingRepository.recentEvents` (the table's own query) on the same
/// connection at the same moment.
@Suite("Recent applications: the velocity rules' lookback indexed in memory")
struct RecentApplicationsTests {
    static let lookback = Duration.seconds(86_400)

    /// An application's three hashes and the start of the window asked about.
    struct Probe {
        let device: String
        let address: String
        let instrument: String
        let since: Instant
    }

    /// Small pools of hashes, so that applications share them often.
    static func probe(_ random: inout SplitMix64, at now: Instant) -> Probe {
        Probe(
            device: "device-\(random.int(in: 0...5))", address: "address-\(random.int(in: 0...5))",
            instrument: "instrument-\(random.int(in: 0...5))", since: now.advanced(by: .zero - lookback))
    }

    /// An application about `now` (a few minutes either way: times are read before the writer, not in order).
    static func event(_ random: inout SplitMix64, at now: Instant) -> ApplicationEventRecord {
        let probe = probe(&random, at: now)
        return ApplicationEventRecord(
            at: now.advanced(by: .seconds(random.int64(in: -300...300))), shopperHash: "shopper-\(random.int(in: 0...9))",
            deviceHash: probe.device, addressHash: probe.address, instrumentHash: probe.instrument)
    }

    /// What the index answers and what the table answers, on `connection`.
    static func answers(_ recent: RecentApplications, _ probe: Probe, _ connection: any SQLConnection) throws
        -> (index: [ApplicationEventRecord], table: [ApplicationEventRecord])
    {
        let index = try recent.events(
            deviceHash: probe.device, addressHash: probe.address, instrumentHash: probe.instrument, since: probe.since,
            in: connection)
        let table = try UnderwritingRepository(connection).recentEvents(
            deviceHash: probe.device, addressHash: probe.address, instrumentHash: probe.instrument, since: probe.since)
        return (index, table)
    }

    struct RolledBack: Error {}

    @Test(
        """
        inside a write it answers as the table does: committed events, the transaction's own, none rolled back, \
        another connection's since the last catch-up, none older than the lookback, none purged
        """)
    func agreesWithTheTable() throws {
        let store = try TestStore(.sqlite)
        // Another handle on the same file, as another process would have.
        let other = try SQLiteDatabase(path: store.location + "/paylater.sqlite", durability: .normal)
        let recent = RecentApplications(lookback: Self.lookback)
        var random = SplitMix64(seed: 20_261_206)
        var now = store.clock.now()
        var (checks, found) = (0, 0)
        func check(_ connection: any SQLConnection) throws {
            for _ in 0..<3 {
                let (index, table) = try Self.answers(recent, Self.probe(&random, at: now), connection)
                #expect(index == table)
                checks += 1
                found += table.count
            }
        }
        func record(_ connection: any SQLConnection) throws {
            try UnderwritingRepository(connection).record(Self.event(&random, at: now))
        }
        for _ in 0..<400 {
            // 400 steps of up to 20 minutes: about three days, so events age out of the lookback.
            now = now.advanced(by: .seconds(random.int64(in: 0...1_200)))
            switch random.int(in: 0...9) {
            case 0, 1:
                try store.database.read { connection in try recent.catchUp(reading: connection, at: now) }
            case 2:
                try other.write { connection in for _ in 0..<random.int(in: 1...3) { try record(connection) } }
            case 3:
                do {
                    try store.database.write { connection in
                        try record(connection)
                        try check(connection)
                        throw RolledBack()
                    }
                } catch is RolledBack {}
            case 4:
                _ = try store.database.write { connection in
                    try UnderwritingRepository(connection).purgeApplicationEvents(
                        before: now.advanced(by: .seconds(-2 * 86_400)), limit: 5)
                }
            default:
                try store.database.write { connection in
                    for _ in 0..<random.int(in: 1...3) {
                        try check(connection)
                        try record(connection)
                    }
                    try check(connection)
                }
            }
        }
        #expect(checks > 600)
        #expect(found > 1_000, "the pools are small, so most checks find events")
        // Every committed event within the lookback and its slack is held after a last catch-up.
        try store.database.read { connection in try recent.catchUp(reading: connection, at: now) }
        let horizon = now.advanced(by: .zero - Self.lookback - .seconds(3_600))
        let committed = try store.database.read { connection in
            try UnderwritingRepository(connection).applicationEvents(after: 0, limit: 100_000)
        }
        #expect(recent.statistics.through == committed.last?.seq)
        let firstKept = committed.firstIndex { $0.event.at >= horizon } ?? committed.count
        #expect(recent.statistics.events == committed.count - firstKept)
    }

    /// Until the first load has ended, a write transaction could only ask the whole table (no index on the
    /// hashes): so no caller returns from `catchUp` before it has.
    @Test("callers arriving during the first load wait for it: none returns before the index holds the table's events")
    func everyCallerWaitsForTheFirstLoad() throws {
        let store = try TestStore(.sqlite)
        let now = store.clock.now()
        var random = SplitMix64(seed: 11)
        try store.database.write { connection in
            for _ in 0..<20_000 { try UnderwritingRepository(connection).record(Self.event(&random, at: now)) }
        }
        let recent = RecentApplications(lookback: Self.lookback)
        let seen = concurrently(8) { _ in
            try store.database.read { connection in try recent.catchUp(reading: connection, at: now) }
            return recent.statistics.through
        }
        #expect(seen.unexpectedFailures() == [])
        #expect(seen.successes() == Array(repeating: 20_000, count: 8))
        #expect(recent.statistics.events == 20_000)
    }

    @Test("the first catch-up loads the lookback's events, reading back from the table's end in chunks")
    func loadsTheLookback() throws {
        let store = try TestStore(.sqlite)
        let start = store.clock.now()
        var random = SplitMix64(seed: 7)
        // 2,600 events a minute apart: about 43 hours, more than two chunks of a thousand.
        try store.database.write { connection in
            for minute in 0..<2_600 {
                var event = Self.event(&random, at: start.advanced(by: .seconds(Int64(minute) * 60)))
                event.at = start.advanced(by: .seconds(Int64(minute) * 60))
                try UnderwritingRepository(connection).record(event)
            }
        }
        let now = start.advanced(by: .seconds(2_600 * 60))
        let recent = RecentApplications(lookback: Self.lookback)
        #expect(recent.statistics.through == nil)
        try store.database.read { connection in try recent.catchUp(reading: connection, at: now) }
        // Kept: the events of the last 25 hours (the lookback and an hour's slack), 1,500 minutes.
        #expect(recent.statistics.events == 1_500)
        #expect(recent.statistics.through == 2_600)
        try store.database.write { connection in
            for _ in 0..<50 {
                let (index, table) = try Self.answers(recent, Self.probe(&random, at: now), connection)
                #expect(index == table)
                #expect(!table.isEmpty)
            }
        }
    }

    @Test("over days of events, held in many chunks: caught up every six hours, old ones dropped, every answer the table's")
    func manyChunksOverDays() throws {
        let store = try TestStore(.sqlite)
        let recent = RecentApplications(lookback: Self.lookback)
        var random = SplitMix64(seed: 11)
        var now = store.clock.now()
        var written = 0
        for _ in 0..<16 {
            // Six hours of events, one every ten seconds: 2,160 at a time, 34,560 over four days.
            try store.database.write { connection in
                for _ in 0..<2_160 {
                    now = now.advanced(by: .seconds(10))
                    var event = Self.event(&random, at: now)
                    event.at = now
                    try UnderwritingRepository(connection).record(event)
                    written += 1
                }
            }
            try store.database.read { connection in try recent.catchUp(reading: connection, at: now) }
            // Held: the last 25 hours (the lookback and an hour's slack), both ends included: 9,001 events once a
            // day has passed.
            #expect(recent.statistics.events == min(written, 9_001))
            #expect(recent.statistics.through == Int64(written))
            try store.database.write { connection in
                for _ in 0..<6 {
                    let (index, table) = try Self.answers(recent, Self.probe(&random, at: now), connection)
                    #expect(index == table)
                    #expect(!table.isEmpty)
                }
                // Asked two days back, further than the events held reach: the table answers (each day, from the
                // second on: the whole table is read twice).
                guard written % (4 * 2_160) == 0 else { return }
                let probe = Self.probe(&random, at: now)
                let longer = Probe(
                    device: probe.device, address: probe.address, instrument: probe.instrument,
                    since: now.advanced(by: .seconds(-2 * 86_400)))
                let (index, table) = try Self.answers(recent, longer, connection)
                #expect(index == table)
            }
        }
    }

    @Test("an empty table loads as empty, and the events that come after are read")
    func loadsAnEmptyTable() throws {
        let store = try TestStore(.sqlite)
        let now = store.clock.now()
        let recent = RecentApplications(lookback: Self.lookback)
        try store.database.read { connection in try recent.catchUp(reading: connection, at: now) }
        #expect(recent.statistics.events == 0)
        #expect(recent.statistics.through == 0)
        let event = ApplicationEventRecord(at: now, shopperHash: "s", deviceHash: "d", addressHash: "a", instrumentHash: "i")
        try store.database.write { connection in try UnderwritingRepository(connection).record(event) }
        try store.database.read { connection in try recent.catchUp(reading: connection, at: now) }
        #expect(recent.statistics.events == 1)
        let found = try store.database.write { connection in
            try recent.events(deviceHash: "x", addressHash: "a", instrumentHash: "y", since: now.advanced(by: .seconds(-1)), in: connection)
        }
        #expect(found == [event])
    }

    @Test("before any catch-up, the table alone answers")
    func answersBeforeLoading() throws {
        let store = try TestStore(.sqlite)
        let now = store.clock.now()
        let event = ApplicationEventRecord(at: now, shopperHash: "s", deviceHash: "d", addressHash: "a", instrumentHash: "i")
        try store.database.write { connection in try UnderwritingRepository(connection).record(event) }
        let recent = RecentApplications(lookback: Self.lookback)
        let found = try store.database.write { connection in
            try recent.events(deviceHash: "d", addressHash: "-", instrumentHash: "-", since: now.advanced(by: .seconds(-1)), in: connection)
        }
        #expect(found == [event])
        #expect(recent.statistics.through == nil)
    }

    @Test("concurrent catch-ups and group-committed writers: every answer matches the table")
    func concurrentWriters() throws {
        let store = try TestStore(.sqlite)
        let recent = RecentApplications(lookback: Self.lookback)
        let now = store.clock.now()
        let mismatches = concurrently(8) { worker in
            var random = SplitMix64(seed: UInt64(worker))
            var mismatches = 0
            for _ in 0..<60 {
                try store.database.read { connection in try recent.catchUp(reading: connection, at: now) }
                let probe = Self.probe(&random, at: now)
                let event = Self.event(&random, at: now)
                try store.database.write { connection in
                    let (index, table) = try Self.answers(recent, probe, connection)
                    if index != table { mismatches += 1 }
                    try UnderwritingRepository(connection).record(event)
                }
            }
            return mismatches
        }
        #expect(mismatches.unexpectedFailures() == [])
        #expect(mismatches.successes() == Array(repeating: 0, count: 8))
        try store.database.read { connection in try recent.catchUp(reading: connection, at: now) }
        #expect(recent.statistics.events == 480)
    }

    @Test("SQLite's table has no hash indexes; PostgreSQL's keeps its three", arguments: StoreKind.available)
    func indexes(kind: StoreKind) throws {
        let store = try TestStore(kind)
        let sql =
            kind == .sqlite
            ? "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'application_events' ORDER BY name"
            : "SELECT indexname FROM pg_indexes WHERE tablename = 'application_events' AND indexname <> 'application_events_pkey' ORDER BY indexname"
        let names = try store.database.read { connection in try connection.query(sql, []).map { try $0.text(0) } }
        #expect(
            names == (kind == .sqlite
                ? [] : ["application_events_address", "application_events_device", "application_events_instrument"]))
    }
}
