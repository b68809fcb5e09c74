import Foundation
@testable import PaylaterApp
import PaylaterCrypto
import PaylaterLedger
import PaylaterMoney
import PaylaterProducts
import PaylaterStore
import PaylaterTestSupport
import PaylaterTime
import PaylaterUnderwriting
import Synchronization
import Testing

/// A model whose probability of bad falls with account age: 0.02 for an old account, 0.5 for a new one.
struct AccountAgeModel: CreditModel {
    let identity = ModelIdentity(name: "account-age", version: "1")
    let featureNames = ["account_age_days"]

    func score(_ features: FeatureRow) throws(ScoringError) -> ModelScore {
        guard case let .number(days) = features["account_age_days"] else {
            return ModelScore(probabilityOfBad: 0.5, logOdds: 0, contributions: [])
        }
        let logOdds = -4 * min(days, 365) / 365
        return ModelScore(
            probabilityOfBad: logistic(logOdds), logOdds: logOdds,
            contributions: [FeatureContribution(feature: "account_age_days", logOdds: logOdds + 2)])
    }
}

/// The example policy of config/, a credit line store with funding capacity, and the service.
struct UnderwritingFixture {
    let store: TestStore
    let service: UnderwritingService
    let credit: CreditLineService
    let consumer: ConsumerID

    static let policyURL = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("config/policy.example.json")

    static let policy: CreditPolicy = {
        do { return try CreditPolicy(json: try Data(contentsOf: policyURL)) } catch { preconditionFailure("\(error)") }
    }()

    /// The example policy with `edits` made to its top-level fields.
    static func policy(_ edits: [String: Any]) throws -> CreditPolicy {
        let root = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: policyURL)) as? [String: Any])
        return try CreditPolicy(json: JSONSerialization.data(withJSONObject: root.merging(edits) { $1 }))
    }

    init(_ kind: StoreKind, capacity: String = "1000000.00", consumer: String = "c1", policy: CreditPolicy = Self.policy) throws {
        store = try TestStore(kind)
        store.clock.set(to: try Instant(iso8601: "2027-03-01T10:00:00Z"))
        credit = CreditLineService(database: store.database, clock: store.clock)
        _ = try credit.setFundingCapacity(try cny(capacity), changeID: try TransferID("capacity"))
        service = try UnderwritingService(
            database: store.database, clock: store.clock, policy: policy,
            models: CreditModels(champion: AccountAgeModel()))
        self.consumer = try ConsumerID(consumer)
    }

    func request(_ id: String, amount: String, accountAgeDays: Double = 400, device: String = "device-1") throws -> DecisionRequest {
        DecisionRequest(
            decisionID: id, consumer: consumer, merchantID: "m1", orderAmount: try cny(amount),
            requestedProducts: ["pay-in-4"], offeredProducts: ["pay-in-4", "try-then-pay"], deviceID: device,
            shippingAddress: "1 Long Street, Hangzhou", paymentInstrument: "card-4242", ageYears: 30,
            isIdentityVerified: true, features: FeatureRow(["account_age_days": .number(accountAgeDays)]))
    }

    /// Opens the shopper's pay-in-4 plan `id` of `principal`, starting 2027-03-01 (the fixture's first day).
    func openPayIn4Plan(_ id: String, principal: String, lateFees: LateFeePolicy? = nil) throws {
        let schedule = try ScheduleGenerator.schedule(
            for: .payIn4(intervalDays: 14), principal: try cny(principal), start: try LocalDate(iso8601: "2027-03-01"),
            remainder: .first)
        _ = try ServicingService(database: store.database, clock: store.clock).openPlan(NewPlan(
            consumer: consumer, merchant: try MerchantID("m1"), plan: try PlanID(id), productID: "pay-in-4",
            schedule: schedule, lateFeePolicy: lateFees))
    }

    /// Stores `count` paid-off plans of the shopper with `document`, each opened a second after the one before,
    /// from now on: newer than every plan opened so far.
    func addPaidOffPlans(_ count: Int, document: String) throws {
        let now = store.clock.now()
        try store.database.write { connection in
            let plans = PlanRepository(connection)
            for index in 0..<count {
                try plans.insert(
                    PlanRecord(
                        consumerID: consumer.rawValue, planID: "p-paid-\(index)", merchantID: "m1", productID: "pay-in-4",
                        currency: "CNY", status: "paid_off", oldestUnpaidDueDate: nil, document: document, version: 1),
                    at: now.advanced(by: .seconds(Int64(index))))
            }
        }
    }
}

@Suite("Credit decisions at checkout")
struct UnderwritingServiceTests {
    @Test("a first approval sets the band's initial limit in the ledger, logs why, and replays to the same decision", arguments: StoreKind.available)
    func firstApproval(kind: StoreKind) throws {
        let fixture = try UnderwritingFixture(kind)
        let decision = try fixture.service.decide(try fixture.request("d-1", amount: "300.00"))
        guard case let .approved(limit, approved, products) = decision.outcome else {
            Issue.record("expected an approval, got \(decision.outcome)")
            return
        }
        #expect(limit == (try cny("5000.00")))
        #expect(approved == (try cny("300.00")))
        #expect(products == ["pay-in-4", "try-then-pay"])
        #expect(try fixture.credit.creditLine(fixture.consumer, .CNY).limit == (try cny("5000.00")))
        let history = try fixture.service.limitHistory(consumer: fixture.consumer)
        #expect(history.map(\.reason) == [.initial(band: "A")])
        #expect(try fixture.service.decide(try fixture.request("d-1", amount: "300.00")) == decision)
        #expect(throws: UnderwritingError.decisionIDReused("d-1")) {
            try fixture.service.decide(try fixture.request("d-1", amount: "301.00"))
        }
        let replay = try fixture.service.replay(consumer: fixture.consumer, id: "d-1")
        #expect(replay.matches)
    }

    @Test(
        "a decision id and a shopper id of the longest kinds still get their first limit, under one hashed transfer name",
        arguments: StoreKind.available)
    func longestIDsName(kind: StoreKind) throws {
        let consumer = String(repeating: "s", count: ConsumerID.lengthMaximum)
        let fixture = try UnderwritingFixture(kind, consumer: consumer)
        let decisionID = "d:" + String(repeating: "9", count: 62)
        let decision = try fixture.service.decide(try fixture.request(decisionID, amount: "300.00"))
        guard case .approved = decision.outcome else {
            Issue.record("expected an approval, got \(decision.outcome)")
            return
        }
        #expect(try fixture.credit.creditLine(fixture.consumer, .CNY).limit == (try cny("5000.00")))

        let longForm = "limit/\(decisionID):\(consumer)"
        #expect(longForm.utf8.count > TransferID.lengthMaximum, "the plain name would not fit")
        let named = try LimitChangeWriter.limitTransferID(consumer: fixture.consumer, decisionID: decisionID, at: fixture.store.clock.now())
        #expect(named.rawValue == "limit/" + SHA256.hash(longForm).hex)
        #expect(!named.rawValue.contains(":"), "no plain name (which always has a ':') can equal it")
        let transfer = try fixture.store.database.read { try LedgerRepository($0).transfer(named) }
        #expect(transfer?.amount == (try cny("5000.00")), "the first limit, posted under the hashed name")

        // A retry finds the decision it made, and the limit is granted once.
        #expect(try fixture.service.decide(try fixture.request(decisionID, amount: "300.00")) == decision)
        #expect(try fixture.credit.creditLine(fixture.consumer, .CNY).limit == (try cny("5000.00")))
        #expect(try fixture.service.limitHistory(consumer: fixture.consumer).count == 1)
    }

    /// The application's part of the stored document is written when the decision is prepared, before the write
    /// transaction, and spliced in there: the whole must still be the decision's canonical JSON, byte for byte.
    @Test("the stored decision is the decision's canonical JSON, its application written before the transaction", arguments: StoreKind.available)
    func storedDocument(kind: StoreKind) throws {
        let fixture = try UnderwritingFixture(kind)
        for (id, amount) in [("d-1", "300.00"), ("d-2", "999999.00")] {
            let decision = try fixture.service.decide(try fixture.request(id, amount: amount))
            let stored = try fixture.store.database.read { connection in
                try UnderwritingRepository(connection).decision(consumerID: fixture.consumer.rawValue, decisionID: id)
            }
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
            #expect(stored?.document == String(decoding: try encoder.encode(decision), as: UTF8.self))
        }
    }

    @Test("the stored snapshot holds hashes, never the raw device, address or card", arguments: StoreKind.available)
    func noPersonalIdentifiers(kind: StoreKind) throws {
        let fixture = try UnderwritingFixture(kind)
        let decision = try fixture.service.decide(try fixture.request("d-1", amount: "300.00"))
        let document = String(decoding: try decision.snapshot.jsonData(), as: UTF8.self)
        for raw in ["device-1", "Long Street", "card-4242", "\"c1\""] {
            #expect(!document.contains(raw))
        }
        #expect(decision.snapshot.application.deviceHash.count == 64)
    }

    @Test(
        """
        a fourth order from one device within the hour is declined for velocity, by the service that saw the first \
        three and by a new one (a restart) that finds them in the table; a day later the device is clear again
        """, arguments: StoreKind.available)
    func deviceVelocity(kind: StoreKind) throws {
        let fixture = try UnderwritingFixture(kind)
        for number in 1...3 {
            let decision = try fixture.service.decide(try fixture.request("d-\(number)", amount: "10.00"))
            guard case .approved = decision.outcome else {
                Issue.record("order \(number): expected an approval, got \(decision.outcome) \(decision.reasons)")
                return
            }
            fixture.store.clock.advance(by: .seconds(60))
        }
        let fourth = try fixture.service.decide(try fixture.request("d-4", amount: "10.00"))
        #expect(fourth.outcome == .declined)
        #expect(fourth.reasons.contains { $0.code == .deviceVelocity })
        #expect(fourth.snapshot.context.recentOrders.count == 3)
        let restarted = try UnderwritingService(
            database: fixture.store.database, clock: fixture.store.clock, policy: UnderwritingFixture.policy,
            models: CreditModels(champion: AccountAgeModel()))
        let fifth = try restarted.decide(try fixture.request("d-5", amount: "10.00"))
        #expect(fifth.outcome == .declined)
        #expect(fifth.snapshot.context.recentOrders.count == 4)  // the three approved and the declined
        fixture.store.clock.advance(by: .seconds(86_400))
        let later = try restarted.decide(try fixture.request("d-6", amount: "10.00", device: "device-2"))
        #expect(later.snapshot.context.recentOrders.isEmpty)
    }

    @Test("velocity events are kept a week, then deleted oldest first in bounded passes; decisions keep their snapshots", arguments: StoreKind.available)
    func applicationEventRetention(kind: StoreKind) throws {
        let fixture = try UnderwritingFixture(kind)
        let start = fixture.store.clock.now()
        func events() throws -> Int64 {
            try fixture.store.database.read { connection in
                try connection.query("SELECT COUNT(*) FROM application_events", [])[0].int64(0)
            }
        }
        // Three applications a day apart, on days 0, 1 and 2.
        for day in 0..<3 {
            fixture.store.clock.set(to: try start.adding(.seconds(Int64(day) * 86_400)))
            _ = try fixture.service.decide(try fixture.request("d-\(day)", amount: "10.00", device: "device-\(day)"))
        }
        #expect(try events() == 3)
        // Seven days after the first: nothing is older than a week yet.
        fixture.store.clock.set(to: try start.adding(UnderwritingService.applicationEventRetention))
        #expect(try fixture.service.purgeExpiredApplicationEvents() == 0)
        // A week and a day after the first: the first two are older than a week, but a pass looks at one at a time.
        fixture.store.clock.set(to: try start.adding(UnderwritingService.applicationEventRetention + .seconds(86_401)))
        #expect(try fixture.service.purgeExpiredApplicationEvents(limit: 1) == 1)
        #expect(try fixture.service.purgeExpiredApplicationEvents(limit: 1) == 1)
        #expect(try fixture.service.purgeExpiredApplicationEvents(limit: 1) == 0)
        #expect(try events() == 1)
        // The decisions themselves, with their snapshots of the application, stay.
        let decisions = try fixture.store.database.read { connection in
            try connection.query("SELECT COUNT(*) FROM credit_decisions", [])[0].int64(0)
        }
        #expect(decisions == 3)
    }

    @Test("a pass looks only at the oldest events: an old event behind a younger one waits for it", arguments: StoreKind.available)
    func purgeLooksAtTheOldestRows(kind: StoreKind) throws {
        let store = try TestStore(kind)
        let cutoff = try Instant(iso8601: "2027-03-03T00:00:00Z")
        try store.database.write { connection in
            let repository = UnderwritingRepository(connection)
            // Inserted in this order: a young one first (a clock behind the others), then two old ones, then a young
            // one (the newest row is never purged: see the next test).
            for at in ["2027-03-09T00:00:00Z", "2027-03-01T00:00:00Z", "2027-03-02T00:00:00Z", "2027-03-10T00:00:00Z"] {
                try repository.record(
                    ApplicationEventRecord(
                        at: try Instant(iso8601: at), shopperHash: "s", deviceHash: "d", addressHash: "a", instrumentHash: "i"))
            }
        }
        let purged = try store.database.write { connection in
            (try UnderwritingRepository(connection).purgeApplicationEvents(before: cutoff, limit: 1),
             try UnderwritingRepository(connection).purgeApplicationEvents(before: cutoff, limit: 3))
        }
        #expect(purged.0 == 0)  // the oldest row by insertion is young: nothing else is read
        #expect(purged.1 == 2)  // looking at three rows finds the two old ones
        let left = try store.database.read { connection in
            try UnderwritingRepository(connection).recentEvents(deviceHash: "d", addressHash: "a", instrumentHash: "i", since: cutoff)
        }
        #expect(left.map(\.at) == [try Instant(iso8601: "2027-03-09T00:00:00Z"), try Instant(iso8601: "2027-03-10T00:00:00Z")])
    }

    @Test("the newest event is never purged, however old, so a new event always numbers above every earlier one", arguments: StoreKind.available)
    func purgeKeepsTheNewestRow(kind: StoreKind) throws {
        let store = try TestStore(kind)
        let old = try Instant(iso8601: "2027-03-01T00:00:00Z")
        let record = { (connection: any SQLConnection) throws in
            try UnderwritingRepository(connection).record(
                ApplicationEventRecord(at: old, shopperHash: "s", deviceHash: "d", addressHash: "a", instrumentHash: "i"))
        }
        try store.database.write { connection in for _ in 0..<3 { try record(connection) } }
        let purged = try store.database.write { connection in
            try UnderwritingRepository(connection).purgeApplicationEvents(before: try old.adding(.seconds(1)), limit: 10)
        }
        #expect(purged == 2)
        try store.database.write { connection in try record(connection) }
        let numbers = try store.database.read { connection in
            try UnderwritingRepository(connection).applicationEvents(after: 0, limit: 10).map(\.seq)
        }
        #expect(numbers == [3, 4])
    }

    @Test("a new account is declined with the model's reason in plain words, and cools off", arguments: StoreKind.available)
    func declineWithReasons(kind: StoreKind) throws {
        let fixture = try UnderwritingFixture(kind)
        let decision = try fixture.service.decide(try fixture.request("d-1", amount: "100.00", accountAgeDays: 0))
        #expect(decision.outcome == .declined)
        #expect(decision.reasons.map(\.code).contains(.scoreBelowCutOff))
        #expect(decision.probabilityOfBad == 0.5, "a decline by the score records the score")
        #expect(decision.reasons.contains { $0.shopperMessage == "Your account on the platform is new" })
        fixture.store.clock.advance(by: .seconds(86_400))
        let again = try fixture.service.decide(try fixture.request("d-2", amount: "100.00"))
        #expect(again.outcome == .declined)
        #expect(again.reasons.first?.code == .coolingOff)
    }

    @Test("the cooling-off runs from the decline that started it: trying again inside it does not extend it", arguments: StoreKind.available)
    func coolingOffEnds(kind: StoreKind) throws {
        let fixture = try UnderwritingFixture(kind)
        #expect(try fixture.service.decide(try fixture.request("d-1", amount: "100.00", accountAgeDays: 0)).outcome == .declined)
        fixture.store.clock.advance(by: .seconds(29 * 86_400))
        let retried = try fixture.service.decide(try fixture.request("d-2", amount: "100.00"))
        #expect(retried.reasons.first?.code == .coolingOff)
        fixture.store.clock.advance(by: .seconds(86_400))
        let after = try fixture.service.decide(try fixture.request("d-3", amount: "100.00"))
        #expect(after.reasons.map(\.code) == [], "30 days after the decline, not after the retry")
        #expect(after.outcome != .declined)
    }

    @Test("a decline for the shopper's own cap or the available credit starts no cooling-off: a smaller order goes through at once",
          arguments: StoreKind.available)
    func limitDeclinesDoNotCoolOff(kind: StoreKind) throws {
        let fixture = try UnderwritingFixture(kind)
        try fixture.service.setSpendingCap(try cny("500.00"), consumer: fixture.consumer)
        let capped = try fixture.service.decide(try fixture.request("d-1", amount: "500.01"))
        #expect(capped.reasons.map(\.code) == [.overSpendingCap] && !capped.startsCoolingOff)
        let within = try fixture.service.decide(try fixture.request("d-2", amount: "300.00", device: "device-2"))
        #expect(within.outcome != .declined, "\(within.reasons.map(\.code))")

        let limit = try fixture.credit.creditLine(fixture.consumer, .CNY).limit.minorUnits
        try fixture.service.setSpendingCap(try cny("100000.00"), consumer: fixture.consumer)
        // With an income declared high enough that only the limit stands in the way.
        var request = try fixture.request(
            "d-3", amount: Money(minorUnits: limit + 100, currency: .CNY).decimalString, device: "device-3")
        request.applicant.declaredMonthlyIncome = try cny("1000000.00")
        let above = try fixture.service.decide(request)
        #expect(above.reasons.map(\.code).contains(.overAvailableCredit) && !above.startsCoolingOff, "\(above.reasons.map(\.code))")
        fixture.store.clock.advance(by: .seconds(7_200))  // past the hourly velocity window, well inside a cooling-off
        let smaller = try fixture.service.decide(try fixture.request("d-4", amount: "100.00", device: "device-4"))
        #expect(smaller.outcome != .declined, "\(smaller.reasons.map { "\($0.code) \($0.operatorDetail)" })")
    }

    @Test("the shopper's own spending cap is always honoured", arguments: StoreKind.available)
    func spendingCap(kind: StoreKind) throws {
        let fixture = try UnderwritingFixture(kind)
        try fixture.service.setSpendingCap(try cny("500.00"), consumer: fixture.consumer)
        #expect(try fixture.service.spendingCap(consumer: fixture.consumer) == (try cny("500.00")))
        _ = try fixture.service.decide(try fixture.request("d-1", amount: "300.00"))
        let over = try fixture.service.decide(try fixture.request("d-2", amount: "200.01", device: "device-2"))
        #expect(over.outcome == .declined)
        #expect(over.reasons.map(\.code) == [.overSpendingCap])
        #expect(throws: UnderwritingError.invalidSpendingCap(try cny("0.00"))) {
            try fixture.service.setSpendingCap(try cny("0.00"), consumer: fixture.consumer)
        }
    }

    @Test("a delinquent shopper is declined and the limit is frozen, with the freeze logged", arguments: StoreKind.available)
    func delinquencyFreezes(kind: StoreKind) throws {
        let fixture = try UnderwritingFixture(kind)
        _ = try fixture.service.decide(try fixture.request("d-1", amount: "300.00"))
        try fixture.openPayIn4Plan("p1", principal: "300.00")
        fixture.store.clock.advance(by: .seconds(3 * 86_400))
        let decision = try fixture.service.decide(try fixture.request("d-2", amount: "50.00"))
        #expect(decision.outcome == .declined)
        #expect(decision.reasons.first?.code == .delinquentOnPlatform)
        #expect(try fixture.service.limitHistory(consumer: fixture.consumer).map(\.reason) == [.initial(band: "A"), .freeze(.delinquency)])
    }

    @Test(
        "an overdue plan counts however many newer plans the shopper has paid off (more than a page of 500)",
        arguments: StoreKind.available)
    func delinquencyBehindManyPaidOffPlans(kind: StoreKind) throws {
        let fixture = try UnderwritingFixture(kind)
        _ = try fixture.service.decide(try fixture.request("d-1", amount: "300.00"))
        try fixture.openPayIn4Plan("p-overdue", principal: "300.00")
        fixture.store.clock.advance(by: .seconds(3 * 86_400))
        try fixture.addPaidOffPlans(501, document: "{}")
        let decision = try fixture.service.decide(try fixture.request("d-2", amount: "50.00"))
        #expect(decision.outcome == .declined)
        #expect(decision.reasons.first?.code == .delinquentOnPlatform)
    }

    @Test("a first limit leaves the shopper's profile unwritten; a freeze writes it", arguments: StoreKind.available)
    func profileWrittenOnlyWhenTheFreezeChanges(kind: StoreKind) throws {
        let fixture = try UnderwritingFixture(kind)
        func storedFreeze() throws -> Int64? {
            try fixture.store.database.read { connection in
                try connection.query(
                    "SELECT limit_frozen FROM shopper_profiles WHERE consumer_id = ?", [.text(fixture.consumer.rawValue)]
                ).first?.int64(0)
            }
        }
        _ = try fixture.service.decide(try fixture.request("d-1", amount: "300.00"))
        #expect(try storedFreeze() == nil)
        try fixture.openPayIn4Plan("p1", principal: "300.00")
        fixture.store.clock.advance(by: .seconds(3 * 86_400))
        _ = try fixture.service.decide(try fixture.request("d-2", amount: "50.00"))
        #expect(try storedFreeze() == 1)
    }

    /// Review r11: decisions record a policy's id and version only, so rules edited without raising the version were
    /// applied and replayed under a name that no longer said what they were.
    @Test("a store refuses a policy whose rules changed under an id and version it has decided under; a new layout or a new version is fine",
          arguments: StoreKind.available)
    func policyVersionReused(kind: StoreKind) throws {
        let fixture = try UnderwritingFixture(kind)
        let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("config/policy.example.json")
        var json = try #require(try JSONSerialization.jsonObject(with: try Data(contentsOf: path)) as? [String: Any])
        func service(_ object: [String: Any], options: JSONSerialization.WritingOptions = []) throws -> UnderwritingService {
            let policy = try CreditPolicy(json: try JSONSerialization.data(withJSONObject: object, options: options))
            return try UnderwritingService(
                database: fixture.store.database, clock: fixture.store.clock, policy: policy,
                models: CreditModels(champion: AccountAgeModel()))
        }
        // The same rules laid out otherwise (the fixture's service remembered the file as it is).
        _ = try service(json, options: [.prettyPrinted, .sortedKeys])
        json["cooling_off_days"] = ((json["cooling_off_days"] as? Int) ?? 0) + 1
        #expect(throws: UnderwritingError.policyVersionReused(id: "cn-default", version: 4)) { try service(json) }
        json["version"] = 5
        _ = try service(json)
        #expect(throws: UnderwritingError.policyVersionReused(id: "cn-default", version: 5)) {
            json["cooling_off_days"] = 0
            return try service(json)
        }
    }

    @Test("a blocked shopper is knocked out without a model score", arguments: StoreKind.available)
    func blocked(kind: StoreKind) throws {
        let fixture = try UnderwritingFixture(kind)
        _ = try ShopperStanding(database: fixture.store.database, clock: fixture.store.clock)
            .block(fixture.consumer, reason: "card testing from one device", by: "risk-ops")
        let decision = try fixture.service.decide(try fixture.request("d-1", amount: "300.00"))
        #expect(decision.outcome == .declined)
        #expect(decision.probabilityOfBad == nil)
        #expect(decision.reasons.first?.shopperMessage == "We couldn't approve this order right now")
    }

    @Test("when outstanding plus holds reach the funding capacity, approvals stop", arguments: StoreKind.available)
    func capacityStops(kind: StoreKind) throws {
        let fixture = try UnderwritingFixture(kind, capacity: "1000.00")
        let other = try ConsumerID("c2")
        try fixture.credit.open(other, .CNY)
        _ = try fixture.credit.setLimit(other, to: try cny("1000.00"), changeID: try TransferID("limit-c2"))
        _ = try fixture.credit.placeHold(other, holdID: try TransferID("h-c2"), amount: try cny("1000.00"), timeout: .seconds(3600))
        let decision = try fixture.service.decide(try fixture.request("d-1", amount: "100.00"))
        #expect(decision.outcome == .declined)
        #expect(decision.reasons.map(\.code).contains(.platformCapacityReached))
    }
}

@Suite("Limit reviews")
struct LimitReviewTests {
    /// An approved shopper (limit 5,000.00) with a pay-in-4 plan of 400.00 from 2027-03-01.
    static func shopperWithPlan(_ kind: StoreKind) throws -> (UnderwritingFixture, ServicingService, LimitReviewService) {
        let fixture = try UnderwritingFixture(kind)
        _ = try fixture.service.decide(try fixture.request("d-1", amount: "400.00"))
        try fixture.openPayIn4Plan("p1", principal: "400.00", lateFees: try LateFeePolicy(first: LateFeeAmount(fixed: try cny("10.00"))))
        let servicing = ServicingService(database: fixture.store.database, clock: fixture.store.clock)
        return (fixture, servicing, LimitReviewService(database: fixture.store.database, clock: fixture.store.clock, policy: UnderwritingFixture.policy))
    }

    @Test("a review with nothing to change only reads: no write transaction; a review that freezes writes once", arguments: StoreKind.available)
    func reviewWritesOnlyChanges(kind: StoreKind) throws {
        let (fixture, _, _) = try Self.shopperWithPlan(kind)
        let counting = CountingDatabase(fixture.store.database)
        let reviews = LimitReviewService(database: counting, clock: fixture.store.clock, policy: UnderwritingFixture.policy)
        // On the first installment's due date the shopper is not late: nothing to change.
        #expect(try reviews.review(consumer: fixture.consumer, currency: .CNY, on: try LocalDate(iso8601: "2027-03-01")) == nil)
        #expect(counting.writes.load(ordering: .relaxed) == 0)
        #expect(counting.reads.load(ordering: .relaxed) == 1)
        // Four days later, unpaid: delinquent, so frozen, in one write.
        let frozen = try reviews.review(consumer: fixture.consumer, currency: .CNY, on: try LocalDate(iso8601: "2027-03-05"))
        #expect(frozen?.reason == .freeze(.delinquency))
        #expect(counting.writes.load(ordering: .relaxed) == 1)
        #expect(try reviews.review(consumer: fixture.consumer, currency: .CNY, on: try LocalDate(iso8601: "2027-03-05")) == nil)
        #expect(counting.writes.load(ordering: .relaxed) == 1, "frozen already: nothing more to write")
    }

    @Test("a shopper's latest model estimate above the policy's threshold lowers the limit by its step", arguments: StoreKind.available)
    func deteriorationLowersTheLimit(kind: StoreKind) throws {
        let (fixture, _, reviews) = try Self.shopperWithPlan(kind)
        // A later application scored at a probability of bad of 0.5 (the policy lowers limits above 0.15).
        fixture.store.clock.advance(by: .seconds(3_600))
        let declined = try fixture.service.decide(try fixture.request("d-2", amount: "100.00", accountAgeDays: 0, device: "device-2"))
        #expect(declined.probabilityOfBad == 0.5)
        // Reviewed on the first installment's due date: not yet late.
        let change = try reviews.review(consumer: fixture.consumer, currency: .CNY, on: try LocalDate(iso8601: "2027-03-01"))
        #expect(change?.reason == .decrease(probabilityOfBad: 0.5), "\(String(describing: change))")
        #expect(change?.to == .active(try cny("3500.00")))
    }

    @Test("the end of day reviews the shoppers with a line in the currency: none where nobody has one, without writing")
    func reviewAllGoesThroughLines() throws {
        let (fixture, _, reviews) = try Self.shopperWithPlan(.sqlite)
        let database = try #require(fixture.store.database as? any ReportsGroupCommit)
        let day = try LocalDate(iso8601: "2027-03-02")
        let before = database.groupCommitStatistics.bodies
        #expect(try reviews.reviewAll(currency: .USD, on: day).isEmpty)
        #expect(database.groupCommitStatistics.bodies == before, "no write for a currency without lines")
        let changes = try reviews.reviewAll(currency: .CNY, on: day)
        #expect(Set(changes.keys).isSubset(of: [fixture.consumer]))
        #expect(database.groupCommitStatistics.bodies == before + 1, "one review, of the one shopper with a CNY line")
    }

    @Test("three on-time cycles raise the limit by the policy's step, logged with the count", arguments: StoreKind.available)
    func increase(kind: StoreKind) throws {
        let (fixture, servicing, reviews) = try Self.shopperWithPlan(kind)
        for (index, due) in ["2027-03-01", "2027-03-15", "2027-03-29"].enumerated() {
            fixture.store.clock.set(to: try Instant(iso8601: "\(due)T12:00:00Z"))
            _ = try servicing.pay(consumer: fixture.consumer, plan: try PlanID("p1"), amount: try cny("100.00"), operationID: "pay-\(index)")
        }
        #expect(try reviews.review(consumer: fixture.consumer, currency: .CNY, on: try LocalDate(iso8601: "2027-03-20")) == nil)
        let change = try reviews.review(consumer: fixture.consumer, currency: .CNY, on: try LocalDate(iso8601: "2027-03-30"))
        #expect(change?.to == .active(try cny("6000.00")))
        #expect(change?.reason == .increase(onTimeCycles: 3))
        #expect(try fixture.credit.creditLine(fixture.consumer, .CNY).limit == (try cny("6000.00")))
        // The streak starts again after a change.
        #expect(try reviews.review(consumer: fixture.consumer, currency: .CNY, on: try LocalDate(iso8601: "2027-03-31")) == nil)
    }

    @Test("installments of several plans due on one day are one cycle: splitting a basket earns no increase")
    func oneCyclePerDueDate() throws {
        func plan(_ id: String) throws -> RepaymentPlan {
            let schedule = try ScheduleGenerator.schedule(
                for: .payIn4(intervalDays: 14), principal: try cny("200.00"), start: try LocalDate(iso8601: "2027-03-01"),
                remainder: .first)
            var plan = RepaymentPlan(id: id, schedule: schedule)
            _ = try plan.pay(try cny("50.00"), on: try LocalDate(iso8601: "2027-03-01"))
            return plan
        }
        let plans = try ["p1", "p2", "p3"].map(plan)
        let day = try LocalDate(iso8601: "2027-03-02")
        #expect(LimitReviewService.onTimeStreak(plans, since: .minimum, before: day) == 1)
        // One plan late on a day the others were paid: that day is late.
        var late = plans
        _ = try late[0].assessLateFees(on: try LocalDate(iso8601: "2027-03-16"), policy: try LateFeePolicy(first: LateFeeAmount(fixed: try cny("10.00"))))
        for index in 1..<3 { _ = try late[index].pay(try cny("50.00"), on: try LocalDate(iso8601: "2027-03-15")) }
        #expect(LimitReviewService.onTimeStreak(late, since: .minimum, before: try LocalDate(iso8601: "2027-03-17")) == 0)
    }

    @Test("an installment paid after its due date and grace is late though no end of day charged it a fee; within the grace it is on time")
    func latePaymentWithoutAFee() throws {
        let schedule = try ScheduleGenerator.schedule(
            for: .payIn4(intervalDays: 14), principal: try cny("200.00"), start: try LocalDate(iso8601: "2027-03-01"),
            remainder: .first)
        let policy = try LateFeePolicy(first: LateFeeAmount(fixed: try cny("10.00")), graceDays: 2)
        var plan = RepaymentPlan(id: "p1", schedule: schedule, lateFeePolicy: policy)
        // Due 03-01, 03-15, 03-29: paid on the day, on the last day of grace (03-17), and 12 days late (04-10).
        _ = try plan.pay(try cny("50.00"), on: try LocalDate(iso8601: "2027-03-01"))
        _ = try plan.pay(try cny("50.00"), on: try LocalDate(iso8601: "2027-03-17"))
        #expect(plan.installments[1].settledOn == (try LocalDate(iso8601: "2027-03-17")))
        #expect(LimitReviewService.onTimeStreak([plan], since: .minimum, before: try LocalDate(iso8601: "2027-03-20")) == 2)
        _ = try plan.pay(try cny("50.00"), on: try LocalDate(iso8601: "2027-04-10"))
        #expect(plan.installments[2].lateFee.isZero, "no end of day ran: no fee was charged")
        #expect(LimitReviewService.onTimeStreak([plan], since: .minimum, before: try LocalDate(iso8601: "2027-04-11")) == 0)
    }

    @Test("reviews of one shopper at once (overlapping end-of-day runs) freeze the limit once and log it once", arguments: StoreKind.available)
    func reviewsAtOnce(kind: StoreKind) throws {
        let (fixture, _, reviews) = try Self.shopperWithPlan(kind)
        fixture.store.clock.set(to: try Instant(iso8601: "2027-03-05T12:00:00Z"))
        let (consumer, date) = (fixture.consumer, try LocalDate(iso8601: "2027-03-05"))
        let outcomes = concurrently(6) { _ in try reviews.review(consumer: consumer, currency: .CNY, on: date) }
        #expect(outcomes.unexpectedFailures().isEmpty)
        #expect(outcomes.successes().compactMap { $0 }.map(\.reason) == [.freeze(.delinquency)])
        let logged = try fixture.store.database.read { try UnderwritingRepository($0).limitChanges(consumerID: consumer.rawValue) }
        #expect(logged.filter { $0.reason == "freeze" }.count == 1, "\(logged.map(\.reason))")
    }

    @Test("a missed installment freezes the limit; paying it unfreezes; a worse score lowers it", arguments: StoreKind.available)
    func freezeUnfreezeDecrease(kind: StoreKind) throws {
        let (fixture, servicing, reviews) = try Self.shopperWithPlan(kind)
        fixture.store.clock.set(to: try Instant(iso8601: "2027-03-05T12:00:00Z"))
        let frozen = try reviews.review(consumer: fixture.consumer, currency: .CNY, on: try LocalDate(iso8601: "2027-03-05"))
        #expect(frozen?.reason == .freeze(.delinquency))
        _ = try servicing.pay(consumer: fixture.consumer, plan: try PlanID("p1"), amount: try cny("100.00"), operationID: "pay-late")
        let unfrozen = try reviews.review(consumer: fixture.consumer, currency: .CNY, on: try LocalDate(iso8601: "2027-03-05"))
        #expect(unfrozen?.reason == .unfreeze)
        // A new application scores badly (a new account): the next review lowers the limit by 30%, to whole yuan.
        _ = try fixture.service.decide(try fixture.request("d-2", amount: "10.00", accountAgeDays: 0, device: "device-9"))
        let lowered = try reviews.review(consumer: fixture.consumer, currency: .CNY, on: try LocalDate(iso8601: "2027-03-06"))
        #expect(lowered?.to == .active(try cny("3500.00")))
        #expect(try fixture.service.limitHistory(consumer: fixture.consumer).map(\.reason).count == 4)
        #expect(try LedgerService(database: fixture.store.database, clock: fixture.store.clock).verify().firstViolation == nil)
    }

    @Test("a review sees an overdue plan however many newer plans the shopper has paid off", arguments: StoreKind.available)
    func overdueBehindManyPaidOffPlans(kind: StoreKind) throws {
        let (fixture, servicing, reviews) = try Self.shopperWithPlan(kind)
        try fixture.openPayIn4Plan("p-paid", principal: "100.00")
        _ = try servicing.pay(consumer: fixture.consumer, plan: try PlanID("p-paid"), amount: try cny("100.00"), operationID: "pay-off")
        let paidOff = try fixture.store.database.read { connection in
            try PlanRepository(connection).plan(consumerID: fixture.consumer.rawValue, planID: "p-paid")
        }
        #expect(paidOff?.status == "paid_off")
        fixture.store.clock.set(to: try Instant(iso8601: "2027-03-05T12:00:00Z"))
        try fixture.addPaidOffPlans(501, document: try #require(paidOff).document)
        let frozen = try reviews.review(consumer: fixture.consumer, currency: .CNY, on: try LocalDate(iso8601: "2027-03-05"))
        #expect(frozen?.reason == .freeze(.delinquency))
    }
}
