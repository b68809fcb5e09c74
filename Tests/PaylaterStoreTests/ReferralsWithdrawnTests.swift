@testable import PaylaterStore
import PaylaterTestSupport
import PaylaterTime
import Testing

/// Migration 19 lets a referral be withdrawn by its merchant (verdict `withdrawn`, outcome `cancelled`), keeping
/// the referrals and reviews already made.
@Suite("Migration 19: referrals withdrawn")
struct ReferralsWithdrawnTests {
    @Test("referrals and their reviews survive the migration; a withdrawal is then accepted, and a made-up verdict still refused",
          arguments: StoreKind.available)
    func withdrawalAllowed(kind: StoreKind) throws {
        let store = try TestStore(kind, migrations: Array(Schema.migrations.prefix(18)))
        let made = Instant(nanosecondsSinceUnixEpoch: 50_000_000_000)
        let declined = ReferralReviewRecord(verdict: "declined", reviewedBy: "ana", note: "no", outcome: "declined", at: made)
        try store.database.write { connection in
            let repository = CheckoutRepository(connection)
            let referrals = ReferralRepository(connection)
            for id in ["chk_a", "chk_b", "chk_c"] {
                try repository.insert(
                    CheckoutRecord(
                        merchantID: "m1", id: id, consumerID: "c-\(id)", document: "{}",
                        outcome: CheckoutOutcomeRecord(state: "referred", orderID: nil, reasons: "[]")),
                    at: made)
                try referrals.insert(ReferralRecord(checkoutID: id, merchantID: "m1", consumerID: "c-\(id)", referredAt: made))
            }
            #expect(try referrals.recordReview(checkoutID: "chk_a", merchantID: "m1", declined))
        }
        let withdrawn = ReferralReviewRecord(verdict: "withdrawn", reviewedBy: nil, note: nil, outcome: "cancelled", at: made)
        let forgotten = ReferralReviewRecord(verdict: "forgotten", reviewedBy: nil, note: nil, outcome: "cancelled", at: made)
        func review(_ checkoutID: String, _ review: ReferralReviewRecord) throws -> Bool {
            try store.database.write { try ReferralRepository($0).recordReview(checkoutID: checkoutID, merchantID: "m1", review) }
        }
        #expect(throws: StoreError.self, "before the migration the table refuses a withdrawal") { try review("chk_b", withdrawn) }
        #expect(try Migrator(migrations: Array(Schema.migrations.prefix(19))).migrate(store.database, at: store.clock.now()) == [19])
        #expect(try store.database.read { try ReferralRepository($0).referral(checkoutID: "chk_a") }?.review == declined)
        #expect(try review("chk_b", withdrawn))
        #expect(try store.database.read { try ReferralRepository($0).referral(checkoutID: "chk_b") }?.review == withdrawn)
        #expect(throws: StoreError.self) { try review("chk_c", forgotten) }
        let queue = try store.database.read { try ReferralRepository($0).awaitingReview(limit: 10) }
        #expect(queue.map(\.checkoutID) == ["chk_c"])
    }
}
