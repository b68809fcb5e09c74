@testable import PaylaterStore
import PaylaterTestSupport
import PaylaterTime
import Testing

/// Migration 18 keeps referred checkouts in a queue of their own; those referred before it join the queue.
@Suite("Migration 18: referrals awaiting review")
struct ReferralsAwaitingReviewTests {
    @Test("checkouts referred before the migration await review, at their decision's time; other outcomes do not",
          arguments: StoreKind.available)
    func referralsCarriedOver(kind: StoreKind) throws {
        let store = try TestStore(kind, migrations: Array(Schema.migrations.prefix(17)))
        let made = Instant(nanosecondsSinceUnixEpoch: 50_000_000_000)
        try store.database.write { connection in
            let repository = CheckoutRepository(connection)
            for (id, state) in [("chk_b", "referred"), ("chk_a", "referred"), ("chk_c", "declined"), ("chk_d", "referred")] {
                try repository.insert(
                    CheckoutRecord(
                        merchantID: "m1", id: id, consumerID: "c-\(id)", document: "{}",
                        outcome: CheckoutOutcomeRecord(state: state, orderID: nil, reasons: "[]")),
                    at: made)
            }
            // The decisions of two of the referrals; the third has none stored and takes its checkout's time.
            for (id, seconds) in [("chk_a", 300), ("chk_b", 200)] as [(String, Int64)] {
                try connection.execute(
                    """
                    INSERT INTO credit_decisions
                        (consumer_id, id, outcome, currency, approved_amount, policy, model, arm, decision, created_at)
                    VALUES (?, ?, 'referred', 'CNY', NULL, 'policy@1', NULL, 'champion', '{}', ?)
                    """,
                    [.text("c-\(id)"), .text(id), .integer(seconds * 1_000_000_000)])
            }
        }
        #expect(try Migrator(migrations: Array(Schema.migrations.prefix(18))).migrate(store.database, at: store.clock.now()) == [18])
        let queue = try store.database.read { try ReferralRepository($0).awaitingReview(limit: 10) }
        #expect(queue.map(\.checkoutID) == ["chk_d", "chk_b", "chk_a"])
        #expect(queue.map(\.referredAt.nanosecondsSinceUnixEpoch) == [50_000_000_000, 200_000_000_000, 300_000_000_000])
        #expect(queue.allSatisfy { $0.merchantID == "m1" && $0.consumerID == "c-\($0.checkoutID)" && $0.review == nil })
        let due = try store.database.read {
            try ReferralRepository($0).awaitingReview(limit: 10, referredBy: Instant(nanosecondsSinceUnixEpoch: 200_000_000_000))
        }
        #expect(due.map(\.checkoutID) == ["chk_d", "chk_b"])
    }

    @Test("a review is recorded once, with its verdict, reviewer, note and outcome", arguments: StoreKind.available)
    func reviewRecordedOnce(kind: StoreKind) throws {
        let store = try TestStore(kind)
        let now = store.clock.now()
        let review = ReferralReviewRecord(verdict: "declined", reviewedBy: "ana", note: "no", outcome: "declined", at: now)
        try store.database.write { connection in
            let repository = CheckoutRepository(connection)
            try repository.insert(
                MerchantRecord(id: "m1", name: "Acme", apiKeyHash: "h", discountRateBasisPoints: 250, fixedFees: "{}"), at: now)
            try repository.insert(
                CheckoutRecord(
                    merchantID: "m1", id: "chk_1", consumerID: "c1", document: "{}",
                    outcome: CheckoutOutcomeRecord(state: "referred", orderID: nil, reasons: "[]")),
                at: now)
            let referrals = ReferralRepository(connection)
            try referrals.insert(ReferralRecord(checkoutID: "chk_1", merchantID: "m1", consumerID: "c1", referredAt: now))
            #expect(try referrals.recordReview(checkoutID: "chk_1", merchantID: "m1", review))
            #expect(try !referrals.recordReview(checkoutID: "chk_1", merchantID: "m1", review))
        }
        let stored = try store.database.read { try ReferralRepository($0).referral(checkoutID: "chk_1") }
        #expect(stored?.review == review)
        #expect(try store.database.read { try ReferralRepository($0).awaitingReview(limit: 10) }.isEmpty)
    }
}
