@testable import PaylaterApp
import PaylaterLedger
import PaylaterMoney
import PaylaterStore
import PaylaterTestSupport
import PaylaterTime
import Testing

/// A merchant's key is checked on nearly every API request; a merchant found is remembered for
/// `AuthenticatedMerchants.timeToLive`, a key not found never.
@Suite("Merchant authentication")
struct MerchantAuthenticationTests {
    static func rename(_ merchant: MerchantProfile, to name: String, in store: TestStore) throws {
        try store.database.write { connection in
            try connection.execute("UPDATE merchants SET name = ? WHERE id = ?", [.text(name), .text(merchant.id.rawValue)])
        }
    }

    @Test("a merchant found is reused for the time to live, then read again", arguments: StoreKind.available)
    func rememberedForTimeToLive(kind: StoreKind) throws {
        let store = try TestStore(kind)
        let merchants = MerchantService(database: store.database, clock: store.clock)
        let created = try merchants.create(name: "Acme", pricing: MerchantPricingTerms(discountRate: BasisPoints(250)))
        #expect(try merchants.authenticate(apiKey: created.apiKey)?.name == "Acme")

        try Self.rename(created.merchant, to: "Acme Renamed", in: store)  // behind the service's back
        store.clock.advance(by: AuthenticatedMerchants.timeToLive - .nanoseconds(1))
        #expect(try merchants.authenticate(apiKey: created.apiKey)?.name == "Acme")
        store.clock.advance(by: .nanoseconds(1))
        #expect(try merchants.authenticate(apiKey: created.apiKey)?.name == "Acme Renamed")
        // A copy of the service (as each request holds one) shares what was remembered.
        let copy = merchants
        try Self.rename(created.merchant, to: "Acme Again", in: store)
        #expect(try copy.authenticate(apiKey: created.apiKey)?.name == "Acme Renamed")
    }

    @Test("a rotated key: the new one works, the old one stops at once in this process and after the time to live in another",
          arguments: StoreKind.available)
    func rotation(kind: StoreKind) throws {
        let store = try TestStore(kind)
        let merchants = MerchantService(database: store.database, clock: store.clock)
        let other = MerchantService(database: store.database, clock: store.clock)  // another server process
        let created = try merchants.create(name: "Acme", pricing: MerchantPricingTerms(discountRate: BasisPoints(250)))
        let bystander = try merchants.create(name: "Other", pricing: MerchantPricingTerms(discountRate: BasisPoints(250)))
        #expect(try merchants.authenticate(apiKey: created.apiKey)?.id == created.merchant.id)
        #expect(try other.authenticate(apiKey: created.apiKey)?.id == created.merchant.id)
        #expect(try merchants.authenticate(apiKey: bystander.apiKey) != nil)

        let rotated = try merchants.rotateKey(created.merchant.id)
        #expect(rotated.hasPrefix("plk_") && rotated != created.apiKey)
        #expect(try merchants.authenticate(apiKey: created.apiKey) == nil)
        #expect(try merchants.authenticate(apiKey: rotated)?.id == created.merchant.id)
        #expect(try other.authenticate(apiKey: created.apiKey) != nil, "remembered for up to the time to live")
        store.clock.advance(by: AuthenticatedMerchants.timeToLive)
        #expect(try other.authenticate(apiKey: created.apiKey) == nil)
        #expect(try other.authenticate(apiKey: rotated)?.id == created.merchant.id)
        #expect(try merchants.authenticate(apiKey: bystander.apiKey)?.id == bystander.merchant.id)
        #expect(throws: CheckoutError.merchantNotFound("m_nobody")) { try merchants.rotateKey(try MerchantID("m_nobody")) }
    }

    @Test("new pricing replaces the old, is seen at once in this process, and returns what it replaced; an unknown merchant is refused",
          arguments: StoreKind.available)
    func pricingChange(kind: StoreKind) throws {
        let store = try TestStore(kind)
        let merchants = MerchantService(database: store.database, clock: store.clock)
        let created = try merchants.create(
            name: "Acme", pricing: MerchantPricingTerms(discountRate: BasisPoints(250), fixedFees: [.CNY: try cny("0.30")]))
        #expect(try merchants.authenticate(apiKey: created.apiKey)?.pricing.discountRate == BasisPoints(250))

        let terms = MerchantPricingTerms(discountRate: BasisPoints(180))
        let before = try merchants.setPricing(created.merchant.id, to: terms)
        #expect(before == created.merchant.pricing)
        #expect(try merchants.merchant(created.merchant.id).pricing == terms)
        #expect(try merchants.authenticate(apiKey: created.apiKey)?.pricing == terms, "not the remembered old terms")
        let settlement = try merchants.merchant(created.merchant.id).pricing.settlementPricing(.CNY)
        #expect(settlement.discountRate == BasisPoints(180) && settlement.fixedFeePerOrder.isZero)
        #expect(throws: CheckoutError.merchantNotFound("m_nobody")) {
            try merchants.setPricing(try MerchantID("m_nobody"), to: terms)
        }
    }

    @Test("a pricing change keeps what it does not name: the rate, and the fixed fees of other currencies unless cleared")
    func pricingChangeKeepsTheRest() throws {
        let terms = MerchantPricingTerms(discountRate: BasisPoints(250), fixedFees: [.CNY: try cny("0.30"), .USD: try Money(parsing: "0.25", currency: .USD)])
        #expect(terms.applying(MerchantPricingChange(discountRate: BasisPoints(180))) == MerchantPricingTerms(
            discountRate: BasisPoints(180), fixedFees: [.CNY: try cny("0.30"), .USD: try Money(parsing: "0.25", currency: .USD)]))
        #expect(terms.applying(MerchantPricingChange(fixedFees: [.CNY: try cny("0.10")])) == MerchantPricingTerms(
            discountRate: BasisPoints(250), fixedFees: [.CNY: try cny("0.10"), .USD: try Money(parsing: "0.25", currency: .USD)]))
        #expect(terms.applying(MerchantPricingChange(fixedFees: [.USD: .zero(.USD)])) == MerchantPricingTerms(
            discountRate: BasisPoints(250), fixedFees: [.CNY: try cny("0.30")]), "a zero fee removes the currency's")
        #expect(terms.applying(MerchantPricingChange(fixedFees: [.CNY: try cny("0.10")], clearsOtherFixedFees: true))
            == MerchantPricingTerms(discountRate: BasisPoints(250), fixedFees: [.CNY: try cny("0.10")]))
        #expect(terms.applying(.replacing(with: MerchantPricingTerms(discountRate: BasisPoints(99)))) == MerchantPricingTerms(
            discountRate: BasisPoints(99)))
    }

    @Test("a change scheduled for a date waits for the end of day to reach it; a change at once drops those due, not later ones",
          arguments: StoreKind.available)
    func scheduledPricing(kind: StoreKind) throws {
        let store = try TestStore(kind)
        store.clock.set(to: try Instant(iso8601: "2027-03-10T09:00:00Z"))
        let merchants = MerchantService(database: store.database, clock: store.clock)
        let created = try merchants.create(name: "Acme", pricing: MerchantPricingTerms(discountRate: BasisPoints(250)))
        let id = created.merchant.id
        func day(_ text: String) throws -> LocalDate { try LocalDate(iso8601: text) }

        let april = try merchants.changePricing(id, MerchantPricingChange(discountRate: BasisPoints(200)), effectiveOn: try day("2027-04-01"))
        #expect(april.before == created.merchant.pricing && april.after.discountRate == BasisPoints(200))
        // A later change builds on the terms its date would have: April's.
        let may = try merchants.changePricing(
            id, MerchantPricingChange(fixedFees: [.CNY: try cny("0.30")]), effectiveOn: try day("2027-05-01"))
        #expect(may.before == april.after)
        #expect(may.after == MerchantPricingTerms(discountRate: BasisPoints(200), fixedFees: [.CNY: try cny("0.30")]))
        #expect(try merchants.merchant(id).pricing == created.merchant.pricing, "nothing in effect yet")
        #expect(try merchants.scheduledPricing(id).map(\.effectiveOn) == [try day("2027-04-01"), try day("2027-05-01")])

        #expect(try merchants.applyScheduledPricing(of: [id], through: try day("2027-03-31")).isEmpty)
        #expect(try merchants.applyScheduledPricing(of: [id], through: try day("2027-04-01")) == [id])
        #expect(try merchants.merchant(id).pricing == april.after)
        #expect(try merchants.applyScheduledPricing(of: [id], through: try day("2027-04-01")).isEmpty, "a rerun finds nothing")

        // On May 2, May's change is due but no end of day has applied it; a change at once builds on it and drops it.
        store.clock.set(to: try Instant(iso8601: "2027-05-02T09:00:00Z"))
        _ = try merchants.changePricing(id, MerchantPricingChange(fixedFees: [.CNY: try cny("0.50")]), effectiveOn: try day("2027-06-01"))
        let now = try merchants.changePricing(id, MerchantPricingChange(discountRate: BasisPoints(150)))
        #expect(now.before == may.after)
        #expect(try merchants.merchant(id).pricing == MerchantPricingTerms(discountRate: BasisPoints(150), fixedFees: [.CNY: try cny("0.30")]))
        #expect(try merchants.scheduledPricing(id).map(\.effectiveOn) == [try day("2027-06-01")], "June's is kept")
        #expect(now.later.map(\.effectiveOn) == [try day("2027-06-01")], "and reported: it takes over from its date")

        #expect(throws: CheckoutError.invalidField(
            field: "effective_on", reason: "2027-04-30 is past in every time zone (it is 2027-05-02 in UTC)")) {
            try merchants.changePricing(id, MerchantPricingChange(discountRate: BasisPoints(1)), effectiveOn: try day("2027-04-30"))
        }
        #expect(try merchants.merchant(id).pricing.discountRate == BasisPoints(150), "the refused change changed nothing")
    }

    /// Review r9: west of UTC, a change at once built on (and dropped) a change scheduled for today in UTC, which is
    /// still tomorrow there, and so priced the local day's unsettled lines at tomorrow's terms.
    @Test("a change at once leaves a change scheduled for today in UTC alone: its date has not come everywhere", arguments: StoreKind.available)
    func changeAtOnceKeepsToday(kind: StoreKind) throws {
        let store = try TestStore(kind)
        store.clock.set(to: try Instant(iso8601: "2027-03-10T01:00:00Z"))  // 2027-03-09 17:00 in Los Angeles
        let merchants = MerchantService(database: store.database, clock: store.clock)
        let id = try merchants.create(name: "Acme", pricing: MerchantPricingTerms(discountRate: BasisPoints(250))).merchant.id
        _ = try merchants.changePricing(
            id, MerchantPricingChange(discountRate: BasisPoints(200)), effectiveOn: try LocalDate(iso8601: "2027-03-10"))
        let now = try merchants.changePricing(id, MerchantPricingChange(fixedFees: [.CNY: try cny("0.10")]))
        #expect(now.before.discountRate == BasisPoints(250) && now.after.discountRate == BasisPoints(250))
        #expect(now.later.map(\.effectiveOn) == [try LocalDate(iso8601: "2027-03-10")])
        #expect(try merchants.scheduledPricing(id).count == 1)
    }

    @Test("changes made at once are each applied to the other's result: none is lost", arguments: StoreKind.available)
    func concurrentPricingChanges(kind: StoreKind) throws {
        let store = try TestStore(kind)
        let merchants = MerchantService(database: store.database, clock: store.clock)
        let created = try merchants.create(name: "Acme", pricing: MerchantPricingTerms(discountRate: BasisPoints(250)))
        let currencies: [Currency] = [.CNY, .USD, .EUR, .GBP, .JPY, .HKD]
        let results = concurrently(currencies.count) { index in
            try merchants.changePricing(
                created.merchant.id,
                MerchantPricingChange(fixedFees: [currencies[index]: Money(minorUnits: 7, currency: currencies[index])]))
        }
        let changes = try results.map { try $0.get() }
        #expect(try merchants.merchant(created.merchant.id).pricing.fixedFees.count == currencies.count)
        // Serialised: the "before" of each is the "after" of another, or the pricing it was created with.
        let befores = Set(changes.map(\.before))
        #expect(befores.count == currencies.count)
        #expect(befores.subtracting(changes.map(\.after)) == [created.merchant.pricing])
    }

    @Test("a key not found is looked up again: a merchant made after a failed attempt authenticates at once",
          arguments: StoreKind.available)
    func missesNotRemembered(kind: StoreKind) throws {
        let store = try TestStore(kind)
        let service = MerchantService(database: store.database, clock: store.clock)
        let apiKey = "plk_" + String(repeating: "k", count: 43)
        #expect(try service.authenticate(apiKey: apiKey) == nil)
        try store.database.write { connection in
            try CheckoutRepository(connection).insert(
                MerchantRecord(
                    id: "m_late", name: "Late", apiKeyHash: MerchantService.hash(apiKey), discountRateBasisPoints: 100,
                    fixedFees: "{}"),
                at: store.clock.now())
        }
        #expect(try service.authenticate(apiKey: apiKey)?.id.rawValue == "m_late")
        #expect(try service.authenticate(apiKey: apiKey + "x") == nil)
    }

    @Test("a full table forgets the expired keys first, then all, and always keeps the newest")
    func bounded() throws {
        let cache = AuthenticatedMerchants()
        let merchant = MerchantProfile(
            id: try MerchantID("m1"), name: "M", pricing: MerchantPricingTerms(discountRate: BasisPoints(0)),
            checkoutConfirmation: .merchant)
        let start = Instant(secondsSinceUnixEpoch: 1_790_000_000)
        cache.remember(merchant, keyHash: "old", at: start)
        let later = start.advanced(by: AuthenticatedMerchants.timeToLive)
        for index in 1..<AuthenticatedMerchants.capacity { cache.remember(merchant, keyHash: "k\(index)", at: later) }
        cache.remember(merchant, keyHash: "new", at: later)  // full: "old" has expired and goes
        #expect(cache.merchant(keyHash: "k1", at: later) != nil && cache.merchant(keyHash: "new", at: later) != nil)
        cache.remember(merchant, keyHash: "newest", at: later)  // full of live keys: all go
        #expect(cache.merchant(keyHash: "k1", at: later) == nil)
        #expect(cache.merchant(keyHash: "newest", at: later) != nil)
        #expect(cache.merchant(keyHash: "newest", at: start.advanced(by: .seconds(1_000))) == nil)
    }
}
