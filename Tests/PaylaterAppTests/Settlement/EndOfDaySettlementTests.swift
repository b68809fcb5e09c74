import PaylaterApp
import PaylaterLedger
import PaylaterMoney
import PaylaterProducts
import PaylaterStore
import PaylaterTestSupport
import PaylaterTime
import Synchronization
import Testing

/// Review r10: the end of day's settlement after missed days, a scheduled pricing change taking effect in between.
@Suite("End of day settlement around scheduled pricing changes")
struct EndOfDaySettlementTests {
    private func date(_ text: String) throws -> LocalDate { try LocalDate(iso8601: text) }

    /// `merchant`'s settlement `id`'s discount rate and line count, nil when there is none.
    private func settled(_ fixture: SettlementFixture, _ merchant: MerchantID, _ id: String) -> (Int64, Int)? {
        guard let settlement = try? fixture.settlements.settlement(merchant: merchant, id: id) else { return nil }
        return (settlement.discountRate.rawValue, settlement.lines.count)
    }

    @Test("each missed day is settled at the terms it had in the catalog's calendar, east and west of UTC",
          arguments: [("Asia/Shanghai", "2027-03-01T15:30:00Z", "2027-03-01T16:30:00Z"),
                      ("Pacific/Honolulu", "2027-03-02T09:30:00Z", "2027-03-02T10:30:00Z")])
    func zones(zoneName: String, before: String, after: String) throws {
        let fixture = try SettlementFixture(.sqlite)
        let zone = try TimeZoneDatabase.system.rules(for: zoneName)
        let merchants = MerchantService(database: fixture.store.database, clock: fixture.store.clock)
        let merchant = try merchants.create(name: "Shop", pricing: MerchantPricingTerms(discountRate: BasisPoints(250))).merchant.id
        _ = try merchants.changePricing(merchant, MerchantPricingChange(discountRate: BasisPoints(100)), effectiveOn: try date("2027-03-02"))
        try fixture.capture(merchant.rawValue, plan: "p1", "100.00", at: before)
        try fixture.capture(merchant.rawValue, plan: "p2", "100.00", at: after)
        try fixture.at("2027-03-05T00:00:00Z")
        let report = try EndOfDaySettlement(database: fixture.store.database, clock: fixture.store.clock)
            .run(date: try date("2027-03-02"), zone: zone, currencies: [.CNY])
        #expect(report.heldBack.isEmpty)
        let dayBefore = settled(fixture, merchant, "\(merchant)-2027-03-01-CNY")
        #expect(dayBefore?.0 == 250 && dayBefore?.1 == 1, "\(String(describing: dayBefore))")
        let day = settled(fixture, merchant, "\(merchant)-2027-03-02-CNY")
        #expect(day?.0 == 100 && day?.1 == 1, "\(String(describing: day))")
    }

    @Test("two end-of-day runs at once, a later date's and a missed date's, settle each day once at the terms it had",
          arguments: StoreKind.available)
    func concurrentRuns(kind: StoreKind) throws {
        let fixture = try SettlementFixture(kind)
        let merchants = MerchantService(database: fixture.store.database, clock: fixture.store.clock)
        var ids: [MerchantID] = []
        for index in 0..<6 {
            let id = try merchants.create(name: "Shop \(index)", pricing: MerchantPricingTerms(discountRate: BasisPoints(250))).merchant.id
            _ = try merchants.changePricing(id, MerchantPricingChange(discountRate: BasisPoints(100)), effectiveOn: try date("2027-03-03"))
            _ = try merchants.changePricing(id, MerchantPricingChange(discountRate: BasisPoints(50)), effectiveOn: try date("2027-03-04"))
            ids.append(id)
        }
        for day in 1...4 {
            for (index, id) in ids.enumerated() {
                try fixture.capture(id.rawValue, plan: "p\(index)-\(day)", "100.00", at: "2027-03-0\(day)T1\(index):00:00Z")
            }
        }
        try fixture.at("2027-03-06T00:00:00Z")
        let runner = EndOfDaySettlement(database: fixture.store.database, clock: fixture.store.clock)
        let dates = [try date("2027-03-04"), try date("2027-03-04"), try date("2027-03-02"), try date("2027-03-03")]
        let results = concurrently(dates.count) { worker in
            try runner.run(date: dates[worker], zone: nil, currencies: [.CNY])
        }
        for result in results {
            let report = try result.get()
            #expect(report.heldBack.isEmpty)
            for (_, run) in report.runs { #expect(run.failures.isEmpty, "\(run.failures)") }
        }
        for id in ids {
            let expected: [(String, Int64, Int)] = [("2027-03-02", 250, 2), ("2027-03-03", 100, 1), ("2027-03-04", 50, 1)]
            for (day, rate, lines) in expected {
                let found = settled(fixture, id, "\(id)-\(day)-CNY")
                #expect(found?.0 == rate && found?.1 == lines, "\(id) \(day): \(String(describing: found))")
            }
            #expect(try merchants.merchant(id).pricing.discountRate == BasisPoints(50))
        }
    }

    @Test("a merchant owed in CNY and USD, with a fixed fee in CNY only until its change, is settled in each at the terms each day had")
    func currencies() throws {
        let fixture = try SettlementFixture(.sqlite)
        let usd = { (text: String) throws -> Money in try Money(parsing: text, currency: .USD) }
        let credit = CreditLineService(database: fixture.store.database, clock: fixture.store.clock)
        let shopper = try ConsumerID("c2")
        try credit.open(shopper, .USD)
        _ = try credit.setFundingCapacity(try usd("1000000.00"), changeID: try TransferID("capacity-usd"))
        _ = try credit.setLimit(shopper, to: try usd("10000.00"), changeID: try TransferID("limit-usd"))
        let merchants = MerchantService(database: fixture.store.database, clock: fixture.store.clock)
        let merchant = try merchants.create(
            name: "Shop", pricing: MerchantPricingTerms(discountRate: BasisPoints(250), fixedFees: [.CNY: try cny("0.30")])).merchant.id
        _ = try merchants.changePricing(
            merchant, MerchantPricingChange(discountRate: BasisPoints(100), fixedFees: [.USD: try usd("0.20")]),
            effectiveOn: try date("2027-03-03"))
        for day in ["2027-03-02", "2027-03-03"] {
            try fixture.capture(merchant.rawValue, plan: "cny-\(day)", "100.00", at: "\(day)T10:00:00Z")
            try fixture.at("\(day)T11:00:00Z")
            let schedule = try ScheduleGenerator.schedule(
                for: .payIn4(intervalDays: 14), principal: try usd("100.00"), start: try date(day), remainder: .first)
            _ = try fixture.servicing.openPlan(NewPlan(
                consumer: shopper, merchant: merchant, plan: try PlanID("usd-\(day)"), productID: "pay-in-4", schedule: schedule))
        }
        try fixture.at("2027-03-05T00:00:00Z")
        let report = try EndOfDaySettlement(database: fixture.store.database, clock: fixture.store.clock)
            .run(date: try date("2027-03-03"), zone: nil, currencies: [.CNY, .USD])
        #expect(report.heldBack.isEmpty)
        for (id, rate, fee) in [
            ("2027-03-02-CNY", 250, "0.30"), ("2027-03-02-USD", 250, "0.00"), ("2027-03-03-CNY", 100, "0.30"),
            ("2027-03-03-USD", 100, "0.20"),
        ] {
            let settlement = try fixture.settlements.settlement(merchant: merchant, id: "\(merchant)-\(id)")
            #expect(settlement.discountRate == BasisPoints(Int64(rate)) && settlement.fixedFeePerOrder.decimalString == fee
                && settlement.lines.count == 1, "\(id): \(settlement.discountRate) \(settlement.fixedFeePerOrder)")
        }
    }

    @Test("a run stopped between a day's settlement at the old terms and the change, then rerun, settles each day once at its terms")
    func rerunAfterStop() throws {
        let fixture = try SettlementFixture(.sqlite)
        let merchants = MerchantService(database: fixture.store.database, clock: fixture.store.clock)
        let merchant = try merchants.create(name: "Shop", pricing: MerchantPricingTerms(discountRate: BasisPoints(250))).merchant.id
        for (day, rate) in [("2027-03-02", 100), ("2027-03-03", 50)] {
            _ = try merchants.changePricing(merchant, MerchantPricingChange(discountRate: BasisPoints(Int64(rate))), effectiveOn: try date(day))
        }
        for day in 1...3 { try fixture.capture(merchant.rawValue, plan: "p\(day)", "100.00", at: "2027-03-0\(day)T10:00:00Z") }
        try fixture.at("2027-03-05T00:00:00Z")
        // The second change's write fails, as a process killed there leaves it: 03-01 and 03-02 settled, 100 bp set.
        let stopping = StoppingDatabase(fixture.store.database, onWrite: 2, of: "UPDATE merchants SET discount_rate_bp")
        #expect(throws: StoreError.self) {
            try EndOfDaySettlement(database: stopping, clock: fixture.store.clock)
                .run(date: try date("2027-03-03"), zone: nil, currencies: [.CNY])
        }
        #expect(try merchants.merchant(merchant).pricing.discountRate == BasisPoints(100))
        let rerun = try EndOfDaySettlement(database: fixture.store.database, clock: fixture.store.clock)
            .run(date: try date("2027-03-03"), zone: nil, currencies: [.CNY])
        #expect(rerun.beforeChanges.isEmpty && rerun.heldBack.isEmpty)
        for (day, rate) in [("2027-03-01", Int64(250)), ("2027-03-02", 100), ("2027-03-03", 50)] {
            let found = settled(fixture, merchant, "\(merchant)-\(day)-CNY")
            #expect(found?.0 == rate && found?.1 == 1, "\(day): \(String(describing: found))")
        }
        #expect(try fixture.payable(merchant.rawValue) == 0)
    }

    @Test("a change scheduled for the date while its end of day runs is applied to the date's settlement, not a day late",
          arguments: StoreKind.available)
    func changeScheduledDuringRun(kind: StoreKind) throws {
        let fixture = try SettlementFixture(kind)
        let merchants = MerchantService(database: fixture.store.database, clock: fixture.store.clock)
        let merchant = try merchants.create(name: "Shop", pricing: MerchantPricingTerms(discountRate: BasisPoints(250))).merchant.id
        for day in 1...2 { try fixture.capture(merchant.rawValue, plan: "p\(day)", "100.00", at: "2027-03-0\(day)T10:00:00Z") }
        try fixture.at("2027-03-03T00:30:00Z")
        // The operator's change for 03-02 lands once the run has read the changes due, before it settles the merchant:
        // no settlement dated 03-02 exists yet, so it is accepted.
        let scheduled = Mutex<Result<MerchantPricingChangeResult, any Error>?>(nil)
        let racing = AfterReadDatabase(fixture.store.database, reading: "FROM merchant_pricing_changes WHERE effective_on") {
            let result = Result {
                try merchants.changePricing(merchant, MerchantPricingChange(discountRate: BasisPoints(100)), effectiveOn: try date("2027-03-02"))
            }
            scheduled.withLock { $0 = result }
        }
        let report = try EndOfDaySettlement(database: racing, clock: fixture.store.clock)
            .run(date: try date("2027-03-02"), zone: nil, currencies: [.CNY])
        _ = try #require(scheduled.withLock { $0 }).get()
        #expect(report.heldBack.isEmpty)
        for (_, run) in report.runs { #expect(run.failures.isEmpty, "\(run.failures)") }
        for (day, rate) in [("2027-03-01", Int64(250)), ("2027-03-02", 100)] {
            let found = settled(fixture, merchant, "\(merchant)-\(day)-CNY")
            #expect(found?.0 == rate && found?.1 == 1, "\(day): \(String(describing: found))")
        }
        #expect(try merchants.merchant(merchant).pricing.discountRate == BasisPoints(100))
        #expect(try merchants.scheduledPricing(merchant).isEmpty)
    }

    @Test("changes for the date made while its end of day runs are each refused, or applied to the date's settlement",
          arguments: StoreKind.available)
    func changesDuringRun(kind: StoreKind) throws {
        let fixture = try SettlementFixture(kind)
        let merchants = MerchantService(database: fixture.store.database, clock: fixture.store.clock)
        let ids = try (0..<12).map { index in
            try merchants.create(name: "Shop \(index)", pricing: MerchantPricingTerms(discountRate: BasisPoints(250))).merchant.id
        }
        for day in 1...2 {
            for (index, id) in ids.enumerated() {
                try fixture.capture(id.rawValue, plan: "p\(index)-\(day)", "100.00", at: "2027-03-0\(day)T10:\(10 + index):00Z")
            }
        }
        try fixture.at("2027-03-03T00:30:00Z")
        let runner = EndOfDaySettlement(database: fixture.store.database, clock: fixture.store.clock)
        let accepted = Mutex<Set<MerchantID>>([])
        let results = concurrently(2) { worker in
            if worker == 0 {
                let report = try runner.run(date: try date("2027-03-02"), zone: nil, currencies: [.CNY])
                #expect(report.heldBack.isEmpty)
                for (_, run) in report.runs { #expect(run.failures.isEmpty, "\(run.failures)") }
                return
            }
            // From the last merchant the run settles back, so some changes come before it, some after.
            for id in ids.reversed() {
                do {
                    _ = try merchants.changePricing(id, MerchantPricingChange(discountRate: BasisPoints(100)), effectiveOn: try date("2027-03-02"))
                    accepted.withLock { _ = $0.insert(id) }
                } catch CheckoutError.invalidField(field: "effective_on", reason: _) {
                    // Refused: the run settled the merchant for the date first.
                }
            }
        }
        for result in results { try result.get() }
        for id in ids {
            let wasAccepted = accepted.withLock { $0.contains(id) }
            let found = settled(fixture, id, "\(id)-2027-03-02-CNY")
            let expected: (Int64, Int) = wasAccepted ? (100, 1) : (250, 2)
            #expect(found?.0 == expected.0 && found?.1 == expected.1, "\(id), accepted \(wasAccepted): \(String(describing: found))")
        }
    }

    @Test("a change at once made while the end of day runs, before it settles the merchant, prices that settlement",
          arguments: StoreKind.available)
    func changeAtOnceDuringRun(kind: StoreKind) throws {
        let fixture = try SettlementFixture(kind)
        let merchants = MerchantService(database: fixture.store.database, clock: fixture.store.clock)
        let merchant = try merchants.create(name: "Shop", pricing: MerchantPricingTerms(discountRate: BasisPoints(250))).merchant.id
        try fixture.capture(merchant.rawValue, plan: "p1", "100.00", at: "2027-03-02T10:00:00Z")
        try fixture.at("2027-03-03T00:30:00Z")
        // Lands once the run has read every merchant's pricing.
        let racing = AfterReadDatabase(fixture.store.database, reading: "FROM merchants ORDER BY") {
            _ = try? merchants.changePricing(merchant, MerchantPricingChange(discountRate: BasisPoints(100)))
        }
        let report = try EndOfDaySettlement(database: racing, clock: fixture.store.clock)
            .run(date: try date("2027-03-02"), zone: nil, currencies: [.CNY])
        for (_, run) in report.runs { #expect(run.failures.isEmpty, "\(run.failures)") }
        #expect(try merchants.merchant(merchant).pricing.discountRate == BasisPoints(100))
        let found = settled(fixture, merchant, "\(merchant)-2027-03-02-CNY")
        #expect(found?.0 == 100 && found?.1 == 1, "\(String(describing: found))")
    }

    /// 10,004 lines on the date: its settlement has two parts. The change lands between them.
    @Test("a change at once made between two parts of a merchant's settlement for the date: the report counts the first part once, as made by this run",
          arguments: StoreKind.available)
    func changeAtOnceBetweenParts(kind: StoreKind) throws {
        let fixture = try SettlementFixture(kind)
        let merchants = MerchantService(database: fixture.store.database, clock: fixture.store.clock)
        let merchant = try merchants.create(name: "Shop", pricing: MerchantPricingTerms(discountRate: BasisPoints(250))).merchant.id
        try fixture.capture(merchant.rawValue, plan: "p1", "100.00", at: "2027-03-02T10:00:00Z")
        try fixture.corrections(merchant.rawValue, count: SettlementService.linesMaximum + 3)
        try fixture.at("2027-03-03T00:30:00Z")
        // Lands once the run has made the first part.
        let racing = AfterReadDatabase(fixture.store.database, reading: "INSERT INTO settlements", writes: true) {
            _ = try? merchants.changePricing(merchant, MerchantPricingChange(discountRate: BasisPoints(100)))
        }
        let report = try EndOfDaySettlement(database: racing, clock: fixture.store.clock)
            .run(date: try date("2027-03-02"), zone: nil, currencies: [.CNY])
        let run = try #require(report.runs.first?.run)
        let first = "\(merchant)-2027-03-02-CNY"
        #expect(run.settlements.map(\.id) == [first, first + "-2"])
        #expect(run.madeEarlier.map(\.id).isEmpty, "made by this run, not an earlier one")
        #expect(run.failures.isEmpty && run.pricingChanged.isEmpty && run.leftOver.isEmpty, "\(run.failures)")
        #expect(settled(fixture, merchant, first)?.0 == 250)
        #expect(settled(fixture, merchant, first + "-2")?.0 == 100, "the next settlement prices at the new terms")
    }

    @Test("a change for a day before a due change's, scheduled while the run settles that day, holds the merchant back; the rerun settles each day at its terms",
          arguments: StoreKind.available)
    func earlierChangeDuringCatchUp(kind: StoreKind) throws {
        let fixture = try SettlementFixture(kind)
        let shanghai = try TimeZoneDatabase.system.rules(for: "Asia/Shanghai")
        let merchants = MerchantService(database: fixture.store.database, clock: fixture.store.clock)
        let merchant = try merchants.create(name: "Shop", pricing: MerchantPricingTerms(discountRate: BasisPoints(250))).merchant.id
        _ = try merchants.changePricing(merchant, MerchantPricingChange(discountRate: BasisPoints(50)), effectiveOn: try date("2027-03-03"))
        for day in 1...3 { try fixture.capture(merchant.rawValue, plan: "p\(day)", "100.00", at: "2027-03-0\(day)T10:00:00Z") }
        // 03-03 has ended in Shanghai; 03-02 is still open in UTC, and no settlement is dated 03-02 or later.
        try fixture.at("2027-03-03T17:00:00Z")
        let racing = AfterReadDatabase(fixture.store.database, reading: "FROM merchant_pricing_changes WHERE effective_on") {
            _ = try? merchants.changePricing(merchant, MerchantPricingChange(discountRate: BasisPoints(100)), effectiveOn: try date("2027-03-02"))
        }
        let first = try EndOfDaySettlement(database: racing, clock: fixture.store.clock)
            .run(date: try date("2027-03-03"), zone: shanghai, currencies: [.CNY])
        #expect(first.heldBack.map(\.merchant) == [merchant])
        #expect(try merchants.scheduledPricing(merchant).map(\.effectiveOn) == [try date("2027-03-02"), try date("2027-03-03")])
        let rerun = try EndOfDaySettlement(database: fixture.store.database, clock: fixture.store.clock)
            .run(date: try date("2027-03-03"), zone: shanghai, currencies: [.CNY])
        #expect(rerun.heldBack.isEmpty)
        for (day, rate) in [("2027-03-01", Int64(250)), ("2027-03-02", 100), ("2027-03-03", 50)] {
            let found = settled(fixture, merchant, "\(merchant)-\(day)-CNY")
            #expect(found?.0 == rate && found?.1 == 1, "\(day): \(String(describing: found))")
        }
    }

    @Test("applying N merchants' due changes one at a time reads each merchant's changes, not every merchant's N times")
    func changesReadLinearly() throws {
        let store = try TestStore(.sqlite)
        store.clock.set(to: try Instant(iso8601: "2027-03-01T08:00:00Z"))
        let merchants = MerchantService(database: store.database, clock: store.clock)
        let count = 200
        for index in 0..<count {
            let id = try merchants.create(name: "Shop \(index)", pricing: MerchantPricingTerms(discountRate: BasisPoints(250))).merchant.id
            _ = try merchants.changePricing(id, MerchantPricingChange(discountRate: BasisPoints(100)), effectiveOn: try date("2027-03-02"))
        }
        store.clock.set(to: try Instant(iso8601: "2027-03-04T00:00:00Z"))
        let counting = RowCountingDatabase(store.database, table: "merchant_pricing_changes")
        let report = try EndOfDaySettlement(database: counting, clock: store.clock)
            .run(date: try date("2027-03-02"), zone: nil, currencies: [.CNY])
        #expect(report.merchantsRepriced == count)
        // The changes due read once, then each merchant's again under its lock: 2N rows. Reading every merchant's
        // changes due for each one applied reads N(N+1)/2 more (20,100 here; a 10,000-merchant repricing took minutes).
        let read = counting.rows.withLock { $0 }
        #expect(read <= 3 * count, "\(read) rows of merchant_pricing_changes read for \(count) changes")
    }
}

/// A store that counts the rows its queries of `table` return, in reads and writes.
private final class RowCountingDatabase: Database {
    let base: any Database
    let table: String
    let rows = Mutex(0)

    init(_ base: any Database, table: String) {
        self.base = base
        self.table = table
    }

    var dialect: any SQLDialect { base.dialect }

    func write<T: Sendable>(_ body: (any SQLConnection) throws -> T) throws -> T {
        try base.write { connection in try body(RowCountingConnection(connection, self)) }
    }

    func read<T: Sendable>(_ body: (any SQLConnection) throws -> T) throws -> T {
        try base.read { connection in try body(RowCountingConnection(connection, self)) }
    }
}

private final class RowCountingConnection: ForwardingConnection {
    let database: RowCountingDatabase

    init(_ base: any SQLConnection, _ database: RowCountingDatabase) {
        self.database = database
        super.init(base)
    }

    override func query(_ sql: String, _ arguments: [SQLValue]) throws(StoreError) -> [SQLRow] {
        let found = try base.query(sql, arguments)
        if sql.contains(database.table) { database.rows.withLock { $0 += found.count } }
        return found
    }
}

/// A store whose `n`th write transaction sending a statement that starts with `prefix` fails there (rolled back).
private final class StoppingDatabase: Database {
    let base: any Database
    let prefix: String
    let remaining: Mutex<Int>

    init(_ base: any Database, onWrite n: Int, of prefix: String) {
        self.base = base
        self.prefix = prefix
        remaining = Mutex(n)
    }

    var dialect: any SQLDialect { base.dialect }

    func write<T: Sendable>(_ body: (any SQLConnection) throws -> T) throws -> T {
        try base.write { connection in try body(StoppingConnection(connection, self)) }
    }

    func read<T: Sendable>(_ body: (any SQLConnection) throws -> T) throws -> T { try base.read(body) }
}

private final class StoppingConnection: ForwardingConnection {
    let database: StoppingDatabase

    init(_ base: any SQLConnection, _ database: StoppingDatabase) {
        self.database = database
        super.init(base)
    }

    override func executeBatch(_ sql: String, _ rows: [[SQLValue]]) throws(StoreError) -> Int {
        if sql.hasPrefix(database.prefix), database.remaining.withLock({ $0 -= 1; return $0 == 0 }) {
            throw StoreError.inconsistent("stopped")
        }
        return try base.executeBatch(sql, rows)
    }
}

/// A store that runs `hook` once, after the first read transaction (or write transaction, with `writes`) whose
/// queries include `reading` has ended: a write of another process landing between a reader's read (or a writer's
/// commit) and what it does next.
private final class AfterReadDatabase: Database {
    let base: any Database
    let reading: String
    let writes: Bool
    let hook: @Sendable () -> Void
    let fired = Mutex(false)

    init(_ base: any Database, reading: String, writes: Bool = false, hook: @escaping @Sendable () -> Void) {
        self.base = base
        self.reading = reading
        self.writes = writes
        self.hook = hook
    }

    var dialect: any SQLDialect { base.dialect }

    func write<T: Sendable>(_ body: (any SQLConnection) throws -> T) throws -> T {
        guard writes else { return try base.write(body) }
        var matched = false
        let result = try base.write { connection in try watched(connection, body, matched: &matched) }
        ended(matched)
        return result
    }

    func read<T: Sendable>(_ body: (any SQLConnection) throws -> T) throws -> T {
        var matched = false
        let result = try base.read { connection in try watched(connection, body, matched: &matched) }
        ended(matched)
        return result
    }

    private func watched<T>(
        _ connection: any SQLConnection, _ body: (any SQLConnection) throws -> T, matched: inout Bool
    ) throws -> T {
        let watching = WatchingConnection(connection, reading: reading)
        defer { matched = watching.matched }
        return try body(watching)
    }

    /// A transaction ended: runs the hook if it is the first to have included `reading`.
    private func ended(_ matched: Bool) {
        if matched, fired.withLock({ fired in defer { fired = true }; return !fired }) { hook() }
    }
}

/// A connection that notes whether a query (or a statement) included `reading`.
private final class WatchingConnection: ForwardingConnection {
    let reading: String
    private(set) var matched = false

    init(_ base: any SQLConnection, reading: String) {
        self.reading = reading
        super.init(base)
    }

    override func query(_ sql: String, _ arguments: [SQLValue]) throws(StoreError) -> [SQLRow] {
        if sql.contains(reading) { matched = true }
        return try base.query(sql, arguments)
    }

    override func execute(_ sql: String, _ arguments: [SQLValue]) throws(StoreError) {
        if sql.contains(reading) { matched = true }
        try base.execute(sql, arguments)
    }
}
