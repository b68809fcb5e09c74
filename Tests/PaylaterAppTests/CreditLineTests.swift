import PaylaterApp
import PaylaterLedger
import PaylaterMoney
import PaylaterStore
import PaylaterTestSupport
import PaylaterTime
import Testing

/// A credit line of 1,000.00 CNY for consumer c1 on a fresh store.
struct CreditLineFixture {
    let store: TestStore
    let service: CreditLineService
    let consumer: ConsumerID

    init(_ kind: StoreKind) throws {
        store = try TestStore(kind)
        service = CreditLineService(database: store.database, clock: store.clock)
        consumer = try ConsumerID("c1")
        try service.open(consumer, .CNY)
        _ = try service.setFundingCapacity(try cny("1000000.00"), changeID: try TransferID("capacity-1"))
        _ = try service.setLimit(consumer, to: try cny("1000.00"), changeID: try TransferID("limit-1"))
    }
}

@Suite("Credit lines")
struct CreditLineTests {
    @Test("limit = available + held + used, through a hold, a partial capture and a repayment", arguments: StoreKind.available)
    func accounting(kind: StoreKind) throws {
        let fixture = try CreditLineFixture(kind)
        let (service, consumer) = (fixture.service, fixture.consumer)
        var line = try service.placeHold(consumer, holdID: try TransferID("h1"), amount: try cny("300.00"), timeout: .seconds(3600))
        #expect((line.available, line.held, line.used) == (try cny("700.00"), try cny("300.00"), try cny("0.00")))
        line = try service.captureHold(consumer, holdID: try TransferID("h1"), amount: try cny("250.00"), captureID: try TransferID("c1"), currency: .CNY)
        #expect((line.available, line.held, line.used) == (try cny("750.00"), try cny("0.00"), try cny("250.00")))
        line = try service.restore(consumer, amount: try cny("100.00"), restoreID: try TransferID("r1"))
        #expect((line.limit, line.available, line.used) == (try cny("1000.00"), try cny("850.00"), try cny("150.00")))
    }

    @Test("a hold beyond the available credit is declined with what is available", arguments: StoreKind.available)
    func declined(kind: StoreKind) throws {
        let fixture = try CreditLineFixture(kind)
        let (service, consumer) = (fixture.service, fixture.consumer)
        _ = try service.placeHold(consumer, holdID: try TransferID("h1"), amount: try cny("900.00"), timeout: .seconds(60))
        #expect(throws: CreditLineError.insufficientCredit(available: try cny("100.00"), requested: try cny("100.01"))) {
            try service.placeHold(consumer, holdID: try TransferID("h2"), amount: try cny("100.01"), timeout: .seconds(60))
        }
    }

    @Test("an expired hold gives its credit back", arguments: StoreKind.available)
    func expiredHoldReleases(kind: StoreKind) throws {
        let fixture = try CreditLineFixture(kind)
        let (store, service, consumer) = (fixture.store, fixture.service, fixture.consumer)
        _ = try service.placeHold(consumer, holdID: try TransferID("h1"), amount: try cny("900.00"), timeout: .seconds(60))
        store.clock.advance(by: .seconds(61))
        let line = try service.placeHold(consumer, holdID: try TransferID("h2"), amount: try cny("1000.00"), timeout: .seconds(60))
        #expect(line.available == (try cny("0.00")))
    }

    @Test("a released hold gives its credit back; releasing twice is a clear error", arguments: StoreKind.available)
    func release(kind: StoreKind) throws {
        let fixture = try CreditLineFixture(kind)
        let (service, consumer) = (fixture.service, fixture.consumer)
        _ = try service.placeHold(consumer, holdID: try TransferID("h1"), amount: try cny("400.00"), timeout: .seconds(60))
        let line = try service.releaseHold(consumer, holdID: try TransferID("h1"), releaseID: try TransferID("v1"), currency: .CNY)
        #expect(line.available == (try cny("1000.00")))
        #expect(throws: CreditLineError.rejected(.pendingTransferAlreadyVoided(try TransferID("h1")))) {
            try service.releaseHold(consumer, holdID: try TransferID("h1"), releaseID: try TransferID("v2"), currency: .CNY)
        }
    }

    @Test("changing a limit is idempotent per change id", arguments: StoreKind.available)
    func limitChangeIdempotent(kind: StoreKind) throws {
        let fixture = try CreditLineFixture(kind)
        let (service, consumer) = (fixture.service, fixture.consumer)
        let id = try TransferID("limit-2")
        _ = try service.setLimit(consumer, to: try cny("1500.00"), changeID: id)
        let again = try service.setLimit(consumer, to: try cny("1500.00"), changeID: id)
        #expect(again.limit == (try cny("1500.00")))
        let lowered = try service.setLimit(consumer, to: try cny("200.00"), changeID: try TransferID("limit-3"))
        #expect(lowered.limit == (try cny("200.00")))
    }

    @Test("a limit below what is held and used is refused", arguments: StoreKind.available)
    func limitBelowCommitted(kind: StoreKind) throws {
        let fixture = try CreditLineFixture(kind)
        let (service, consumer) = (fixture.service, fixture.consumer)
        _ = try service.placeHold(consumer, holdID: try TransferID("h1"), amount: try cny("600.00"), timeout: .seconds(60))
        #expect(throws: CreditLineError.limitBelowCommitted(committed: try cny("600.00"), requestedLimit: try cny("500.00"))) {
            try service.setLimit(consumer, to: try cny("500.00"), changeID: try TransferID("limit-2"))
        }
        #expect(throws: CreditLineError.negativeLimit(try cny("-1.00"))) {
            try service.setLimit(consumer, to: try cny("-1.00"), changeID: try TransferID("limit-3"))
        }
    }

    @Test("a consumer without a credit line gets a clear error", arguments: StoreKind.available)
    func noCreditLine(kind: StoreKind) throws {
        let fixture = try CreditLineFixture(kind)
        let service = fixture.service
        let stranger = try ConsumerID("nobody")
        #expect(throws: CreditLineError.noCreditLine(stranger, .CNY)) { try service.creditLine(stranger, .CNY) }
    }
}

@Suite("Credit holds under concurrency")
struct ConcurrentHoldTests {
    /// Many threads, and a second connection standing in for a second process, race holds on one line.
    @Test("concurrent holds on one credit line never exceed the limit", arguments: StoreKind.available, [false, true])
    func neverExceedLimit(kind: StoreKind, twoConnections: Bool) throws {
        let store = try TestStore(kind)
        let consumer = try ConsumerID("racer")
        let first = CreditLineService(database: store.database, clock: store.clock)
        let second = twoConnections ? CreditLineService(database: try store.reopen(), clock: store.clock) : first
        try first.open(consumer, .CNY)
        _ = try first.setFundingCapacity(try cny("1000000.00"), changeID: try TransferID("capacity"))
        _ = try first.setLimit(consumer, to: try cny("1000.00"), changeID: try TransferID("limit"))
        let holds = concurrently(200) { index in
            let service = index.isMultiple(of: 2) ? first : second
            let amount = Money(minorUnits: Int64(1_000 + (index * 7_919) % 9_000), currency: .CNY)
            _ = try service.placeHold(
                consumer, holdID: try TransferID("hold-\(index)"), amount: amount, timeout: .seconds(600))
            return amount.minorUnits
        }
        // Declined once the limit was reached.
        #expect(holds.unexpectedFailures { if case .insufficientCredit? = $0 as? CreditLineError { true } else { false } } == [])
        let line = try first.creditLine(consumer, .CNY)
        #expect(line.held.minorUnits == holds.successes().reduce(0, +))
        #expect(line.held.minorUnits <= 100_000)
        #expect(line.held.minorUnits > 90_000, "the line should be nearly used up by 200 holds of 10-100 CNY")
        #expect(try LedgerService(database: store.database, clock: store.clock).verify().firstViolation == nil)
    }

    @Test("holds of many shoppers at once never exceed the platform's funding capacity", arguments: StoreKind.available)
    func neverExceedCapacity(kind: StoreKind) throws {
        let store = try TestStore(kind)
        let service = CreditLineService(database: store.database, clock: store.clock)
        let shoppers = try (0..<8).map { try ConsumerID("shopper-\($0)") }
        for shopper in shoppers {
            try service.open(shopper, .CNY)
            _ = try service.setLimit(shopper, to: try cny("1000.00"), changeID: try TransferID("limit-\(shopper)"))
        }
        _ = try service.setFundingCapacity(try cny("2000.00"), changeID: try TransferID("capacity"))
        let holds = concurrently(160) { index in
            let amount = Money(minorUnits: Int64(5_000 + (index * 7_919) % 5_000), currency: .CNY)
            _ = try service.placeHold(
                shoppers[index % shoppers.count], holdID: try TransferID("hold-\(index)"), amount: amount,
                timeout: .seconds(600))
            return amount.minorUnits
        }
        // Declined once the capacity or the shopper's limit was reached.
        #expect(holds.unexpectedFailures {
            switch $0 as? CreditLineError {
            case .platformCapacityReached?, .insufficientCredit?: true
            default: false
            }
        } == [])
        let exposure = try service.platformExposure(.CNY)
        #expect(exposure.held.minorUnits == holds.successes().reduce(0, +))
        #expect(exposure.capacity == (try cny("2000.00")))
        #expect(exposure.held.minorUnits <= 200_000 && exposure.held.minorUnits > 190_000)
        #expect(throws: CreditLineError.capacityBelowCommitted(committed: exposure.committed, requestedCapacity: try cny("100.00"))) {
            try service.setFundingCapacity(try cny("100.00"), changeID: try TransferID("capacity-down"))
        }
        #expect(try LedgerService(database: store.database, clock: store.clock).verify().firstViolation == nil)
    }
}
