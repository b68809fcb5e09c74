@testable import PaylaterApp
import PaylaterMoney
import PaylaterStore
import PaylaterTestSupport
import PaylaterTime
import Testing

/// Review r9: the end of day's `applyScheduledPricing` reads the changes due without the merchant's row lock, so a
/// change at once committed meanwhile (which builds on the due change and drops it) is overwritten by the due
/// change's whole pricing: the change at once is lost.
@Suite("Scheduled pricing applied while a change at once is made")
struct ScheduledPricingRaceTests {
    @Test("an end of day applying a due change and a change at once: the change at once is never lost", arguments: StoreKind.available)
    func applyAgainstChangeAtOnce(kind: StoreKind) throws {
        let store = try TestStore(kind)
        store.clock.set(to: try Instant(iso8601: "2027-03-10T09:00:00Z"))
        let merchants = MerchantService(database: store.database, clock: store.clock)
        // Due yesterday (UTC), so a change at once builds on it and drops it, whichever of the two goes first (one
        // scheduled for today takes over from today by design, and is not folded into a change at once).
        let due = try LocalDate(iso8601: "2027-03-09")
        var lost = 0
        for round in 0..<30 {
            let id = try merchants.create(name: "Acme \(round)", pricing: MerchantPricingTerms(discountRate: BasisPoints(250))).merchant.id
            _ = try merchants.changePricing(id, MerchantPricingChange(discountRate: BasisPoints(200)), effectiveOn: due)
            let results = concurrently(2) { worker in
                if worker == 0 {
                    _ = try merchants.applyScheduledPricing(of: [id], through: due)
                } else {
                    _ = try merchants.changePricing(id, MerchantPricingChange(fixedFees: [.CNY: try cny("0.10")]))
                }
            }
            for result in results { try result.get() }
            let pricing = try merchants.merchant(id).pricing
            if pricing != MerchantPricingTerms(discountRate: BasisPoints(200), fixedFees: [.CNY: try cny("0.10")]) { lost += 1 }
        }
        #expect(lost == 0, "the change at once was lost in \(lost) of 30 rounds")
    }
}
