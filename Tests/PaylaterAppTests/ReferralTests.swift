import Foundation
@testable import PaylaterApp
import PaylaterLedger
import PaylaterMoney
import PaylaterProducts
import PaylaterStore
import PaylaterTestSupport
import PaylaterTime
import PaylaterUnderwriting
import Testing

/// Referred checkouts: the queue, a reviewer's approval or decline, and expiry.
@Suite("Referral review")
struct ReferralTests {
    static let approve = ReferralReview.Verdict.approved(by: "risk-ana", note: "called the shopper: moving house")
    static let decline = ReferralReview.Verdict.declined(by: "risk-bo", note: "parcel locker abroad")
    /// The review window of the example policy, which sets none: the default, a day.
    static let dayWindow = Duration.seconds(24 * 3_600)

    /// A new shopper's checkout of 400.00 shipped 900 km from their usual address: referred.
    func referredCheckout(_ fixture: CheckoutFixture, shopper: String = "c1") throws -> Checkout {
        let session = try fixture.newCheckout("400.00", shopper: shopper)
        guard case .referred = try fixture.authorize(session.id, device: "device-\(shopper)", distance: 900) else {
            throw TestStoreError("the checkout was not referred")
        }
        return session
    }

    func applicationEvents(_ fixture: CheckoutFixture) throws -> Int64 {
        try fixture.store.database.read { connection in
            try connection.query("SELECT COUNT(*) FROM application_events", []).first?.int64(0) ?? 0
        }
    }

    @Test("a referral waits in the queue; an approval holds the credit and makes the order as an authorization would",
          arguments: StoreKind.available)
    func approval(kind: StoreKind) throws {
        let fixture = try CheckoutFixture(kind)
        let session = try referredCheckout(fixture)
        let queue = try fixture.referralQueue.awaitingReview()
        #expect(queue.map(\.checkoutID) == [session.id])
        #expect(queue.first?.amount == (try cny("400.00")) && queue.first?.productID == "pay-in-4")
        #expect(queue.first?.decision.reasons.map(\.code) == [.shippingAddressFar])
        #expect(queue.first?.expiresAt == fixture.store.clock.now().advanced(by: Self.dayWindow))
        #expect(try fixture.credit.creditLine(try ConsumerID("c1"), .CNY).held.isZero)
        let events = try applicationEvents(fixture)

        fixture.store.clock.advance(by: .seconds(600))
        let reviewed = try fixture.checkout.reviewReferral(checkoutID: session.id, Self.approve)
        guard case let .approved(order, _) = reviewed.outcome else {
            Issue.record("expected an approval, got \(reviewed.outcome)")
            return
        }
        #expect(reviewed.isNew && reviewed.decision.id == session.id + ":review")
        let amount = try cny("400.00")
        #expect(order.checkoutID == session.id && order.authorized == amount && order.state == .authorized)
        let line = try fixture.credit.creditLine(try ConsumerID("c1"), .CNY)
        #expect(line.held == (try cny("400.00")) && line.limit.isPositive)
        #expect(try fixture.events(order.id).map(\.type) == [.orderAuthorized])
        #expect(try fixture.checkout.checkout(merchant: fixture.merchant.id, id: session.id).state == .authorized)
        #expect(try fixture.checkout.checkout(merchant: fixture.merchant.id, id: session.id).orderID == order.id)
        #expect(try fixture.referralQueue.awaitingReview().isEmpty)
        // The merchant's retry of the authorization answers the order; the order's velocity event is not counted twice.
        #expect(
            try fixture.authorize(session.id, device: "device-c1", distance: 900)
                == .approved(order, decisionID: session.id + ":review"), "the review decided it")
        #expect(try applicationEvents(fixture) == events)
        // The order goes on like any other.
        let captured = try fixture.checkout.capture(merchant: fixture.merchant.id, orderID: order.id, amount: nil, captureID: "cap-1")
        #expect(captured.state == .captured)
    }

    @Test("the same review again returns the first; another verdict, note or reviewer is refused", arguments: StoreKind.available)
    func retries(kind: StoreKind) throws {
        let fixture = try CheckoutFixture(kind)
        let session = try referredCheckout(fixture)
        let first = try fixture.checkout.reviewReferral(checkoutID: session.id, Self.approve)
        let again = try fixture.checkout.reviewReferral(checkoutID: session.id, Self.approve)
        #expect(!again.isNew && again.outcome == first.outcome && again.decision == first.decision)
        for other in [Self.decline, .approved(by: "risk-ana", note: "another note"), .approved(by: "someone", note: "x")] {
            #expect(throws: ReferralError.alreadyReviewed(checkoutID: session.id, verdict: "approved", by: "risk-ana")) {
                try fixture.checkout.reviewReferral(checkoutID: session.id, other)
            }
        }
        #expect(try fixture.credit.creditLine(try ConsumerID("c1"), .CNY).held == (try cny("400.00")))
    }

    @Test("a reviewer's decline declines the checkout and tells the merchant, holding nothing", arguments: StoreKind.available)
    func reviewerDeclines(kind: StoreKind) throws {
        let fixture = try CheckoutFixture(kind)
        let session = try referredCheckout(fixture)
        let reviewed = try fixture.checkout.reviewReferral(checkoutID: session.id, Self.decline)
        guard case let .declined(decisionID, reasons) = reviewed.outcome else {
            Issue.record("expected a decline, got \(reviewed.outcome)")
            return
        }
        #expect(decisionID == session.id + ":review")
        #expect(reasons == [UnderwritingFixture.policy.reasonTexts.generic])
        #expect(reviewed.decision.reasons.map(\.code) == [.declinedOnReview])
        let state = try fixture.checkout.checkout(merchant: fixture.merchant.id, id: session.id)
        #expect(state.state == .declined && state.orderID == nil && state.reasons == reasons)
        let events = try fixture.events(session.id)
        #expect(events.map(\.type) == [.checkoutDeclined])
        #expect(events.first?.data.contains("\"declined_by\":\"review\"") == true)
        #expect(events.first?.data.contains("\"checkout_id\":\"\(session.id)\"") == true)
        #expect(try fixture.authorize(session.id, device: "device-c1", distance: 900) == .declined(decisionID: session.id + ":review", reasons: reasons))
        #expect(try fixture.referralQueue.awaitingReview().isEmpty)
        #expect(try fixture.credit.creditLine(try ConsumerID("c1"), .CNY).held.isZero)
    }

    @Test("an approval is declined by what changed since the referral: the shopper blocked meanwhile", arguments: StoreKind.available)
    func approvalOfBlockedShopper(kind: StoreKind) throws {
        let fixture = try CheckoutFixture(kind)
        let session = try referredCheckout(fixture)
        _ = try ShopperStanding(database: fixture.store.database, clock: fixture.store.clock)
            .block(try ConsumerID("c1"), reason: "fraud ring", by: "risk-bo")
        let reviewed = try fixture.checkout.reviewReferral(checkoutID: session.id, Self.approve)
        #expect(reviewed.decision.outcome == .declined)
        #expect(reviewed.decision.reasons.map(\.code) == [.blockedList])
        #expect(try fixture.checkout.checkout(merchant: fixture.merchant.id, id: session.id).state == .declined)
        #expect(try fixture.events(session.id).map(\.type) == [.checkoutDeclined])
        #expect(try fixture.credit.creditLine(try ConsumerID("c1"), .CNY).held.isZero)
    }

    @Test("a referral not reviewed within the window is declined as expired; a reviewer then finds it reviewed",
          arguments: StoreKind.available)
    func expiry(kind: StoreKind) throws {
        let fixture = try CheckoutFixture(kind)
        let session = try referredCheckout(fixture)
        fixture.store.clock.advance(by: Self.dayWindow - .seconds(1))
        #expect(try fixture.checkout.expireReferrals() == [])
        fixture.store.clock.advance(by: .seconds(1))
        #expect(try fixture.checkout.expireReferrals() == [session.id])
        #expect(try fixture.checkout.expireReferrals() == [])
        #expect(try fixture.checkout.checkout(merchant: fixture.merchant.id, id: session.id).state == .declined)
        let events = try fixture.events(session.id)
        #expect(events.map(\.type) == [.checkoutDeclined])
        #expect(events.first?.data.contains("\"declined_by\":\"expiry\"") == true)
        #expect(throws: ReferralError.alreadyReviewed(checkoutID: session.id, verdict: "expired", by: nil)) {
            try fixture.checkout.reviewReferral(checkoutID: session.id, Self.approve)
        }
    }

    @Test("a policy's review window of 2 hours: the referral says so and expires at 2 hours, not before; the expiry replays",
          arguments: StoreKind.available)
    func policyWindow(kind: StoreKind) throws {
        let fixture = try CheckoutFixture(kind, policy: try UnderwritingFixture.policy(["referral_review_hours": 2]))
        let session = try referredCheckout(fixture)
        let expiresAt = fixture.store.clock.now().advanced(by: .seconds(2 * 3_600))
        #expect(try fixture.checkout.checkout(merchant: fixture.merchant.id, id: session.id).referralExpiresAt == expiresAt)
        #expect(try fixture.referralQueue.awaitingReview().first?.expiresAt == expiresAt)
        fixture.store.clock.advance(by: .seconds(2 * 3_600 - 1))
        #expect(try fixture.checkout.expireReferrals() == [])
        fixture.store.clock.advance(by: .seconds(1))
        #expect(try fixture.checkout.expireReferrals() == [session.id])
        let review = try fixture.checkout.underwriting.decision(consumer: try ConsumerID("c1"), id: session.id + ":review")
        #expect(review.snapshot.application.review?.verdict == .expired(windowSeconds: 2 * 3_600))
        #expect(review.reasons.map(\.operatorDetail).first?.hasSuffix("was not reviewed within 2 h") == true, "\(review.reasons)")
        #expect(try fixture.checkout.underwriting.replay(consumer: try ConsumerID("c1"), id: review.id).matches, "replays from its window")
    }

    @Test("a referral past its window is not approved or declined by a reviewer, though the expiry pass has not run yet: nothing is held, it expires",
          arguments: StoreKind.available)
    func reviewAfterWindow(kind: StoreKind) throws {
        let fixture = try CheckoutFixture(kind)
        let session = try referredCheckout(fixture)
        let expiresAt = fixture.store.clock.now().advanced(by: Self.dayWindow)
        fixture.store.clock.advance(by: Self.dayWindow)
        for verdict in [Self.approve, Self.decline] {
            #expect(throws: ReferralError.reviewWindowPassed(checkoutID: session.id, expiredAt: expiresAt)) {
                try fixture.checkout.reviewReferral(checkoutID: session.id, verdict)
            }
        }
        #expect(try fixture.credit.creditLine(try ConsumerID("c1"), .CNY).held.isZero)
        #expect(try fixture.checkout.checkout(merchant: fixture.merchant.id, id: session.id).state == .referred)
        #expect(try fixture.events(session.id).isEmpty)
        #expect(try fixture.checkout.expireReferrals() == [session.id])
        #expect(try fixture.checkout.checkout(merchant: fixture.merchant.id, id: session.id).state == .declined)
    }

    @Test("a referral that can no longer be decided (a currency the policy stopped lending in) does not keep the others from expiring",
          arguments: StoreKind.available)
    func expiryPastAFailure(kind: StoreKind) throws {
        let fixture = try CheckoutFixture(kind)
        let dollars = try Money(parsing: "250.00", currency: .USD)
        _ = try fixture.credit.setFundingCapacity(try Money(parsing: "100000.00", currency: .USD), changeID: try TransferID("capacity-usd"))
        let inDollars = try fixture.checkout.createCheckout(
            merchant: fixture.merchant.id,
            NewCheckout(
                merchantReference: "order-usd", consumerID: "u1",
                lines: [CheckoutLine(name: "Jacket", quantity: 1, unitPrice: dollars, taxRate: BasisPoints(0))], total: dollars))
        guard case .referred = try fixture.authorize(inDollars.id, device: "device-u1", distance: 900) else {
            throw TestStoreError("the checkout in USD was not referred")
        }
        fixture.store.clock.advance(by: .seconds(60))
        let inYuan = try referredCheckout(fixture)
        // Version 5 of the policy lends in CNY only.
        let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("config/policy.example.json")
        let text = try String(contentsOf: path, encoding: .utf8)
            .replacingOccurrences(of: #", "USD": "[0-9.]+""#, with: "", options: .regularExpression)
            .replacingOccurrences(of: #""currencies": ["CNY", "USD"]"#, with: #""currencies": ["CNY"]"#)
            .replacingOccurrences(of: #""version": 4"#, with: #""version": 5"#)
        let underwriting = try UnderwritingService(
            database: fixture.store.database, clock: fixture.store.clock, policy: try CreditPolicy(json: Data(text.utf8)),
            models: CreditModels(champion: AccountAgeModel()))
        let checkout = CheckoutService(
            database: fixture.store.database, clock: fixture.store.clock, catalog: .standard, underwriting: underwriting,
            servicing: fixture.servicing)
        fixture.store.clock.advance(by: Self.dayWindow)
        let failure = ReferralError.expiryIncomplete(expired: [inYuan.id], failed: [inDollars.id: "the policy does not lend in USD"])
        #expect(throws: failure) { try checkout.expireReferrals() }
        #expect(try fixture.checkout.checkout(merchant: fixture.merchant.id, id: inYuan.id).state == .declined)
        #expect(try fixture.checkout.checkout(merchant: fixture.merchant.id, id: inDollars.id).state == .referred)
        #expect(try fixture.referralQueue.awaitingReview().map(\.checkoutID) == [inDollars.id])
    }

    @Test("what cannot be reviewed is refused and changes nothing: a checkout not referred, an empty or unprintable name or note",
          arguments: StoreKind.available)
    func refusals(kind: StoreKind) throws {
        let fixture = try CheckoutFixture(kind)
        let approved = try fixture.newCheckout("400.00")
        _ = try fixture.authorize(approved.id)
        #expect(throws: ReferralError.notReferred(checkoutID: approved.id)) {
            try fixture.checkout.reviewReferral(checkoutID: approved.id, Self.approve)
        }
        #expect(throws: ReferralError.notReferred(checkoutID: "chk_none")) {
            try fixture.checkout.reviewReferral(checkoutID: "chk_none", Self.decline)
        }
        let session = try referredCheckout(fixture, shopper: "c2")
        for verdict in [
            ReferralReview.Verdict.approved(by: " ", note: "ok"), .approved(by: "ana", note: ""),
            .declined(by: "ana\u{202E}", note: "x"), .declined(by: "ana", note: "line\nbreak"),
            .declined(by: "ana", note: String(repeating: "x", count: CheckoutService.reviewNoteLengthMaximum + 1)),
        ] {
            #expect(throws: ReferralError.self) { try fixture.checkout.reviewReferral(checkoutID: session.id, verdict) }
        }
        #expect(try fixture.referralQueue.awaitingReview().map(\.checkoutID) == [session.id])
    }

    @Test("an approval on review and the same new shopper's checkout at once grant the first limit once", arguments: StoreKind.available)
    func firstLimitOnce(kind: StoreKind) throws {
        let fixture = try CheckoutFixture(kind)
        let referred = try referredCheckout(fixture)
        let other = try fixture.newCheckout("100.00")
        let outcomes = concurrently(2) { index in
            if index == 0 {
                _ = try fixture.checkout.reviewReferral(checkoutID: referred.id, Self.approve)
            } else {
                _ = try fixture.authorize(other.id, device: "device-c1")
            }
        }
        #expect(outcomes.unexpectedFailures { _ in false }.isEmpty)
        let line = try fixture.credit.creditLine(try ConsumerID("c1"), .CNY)
        #expect(line.limit == (try cny("5000.00")), "the band's first limit, once: \(line.limit)")
        #expect(line.held == (try cny("500.00")))
    }

    @Test("two reviewers at once: one review is recorded, the other finds it", arguments: StoreKind.available)
    func reviewersAtOnce(kind: StoreKind) throws {
        let fixture = try CheckoutFixture(kind)
        // Three: a fourth order on the fixture's one shipping address and card within the hour would be declined.
        let sessions = try (0..<3).map { try referredCheckout(fixture, shopper: "c\($0)") }
        let verdicts = [Self.approve, Self.decline]
        let outcomes = concurrently(6) { index in
            try fixture.checkout.reviewReferral(checkoutID: sessions[index / 2].id, verdicts[index % 2])
        }
        #expect(outcomes.unexpectedFailures { $0 is ReferralError }.isEmpty)
        for (index, session) in sessions.enumerated() {
            let pair = Array(outcomes[(2 * index)...(2 * index + 1)]).successes()
            #expect(pair.count == 1, "one of the two reviews of \(session.id) wins")
            let consumer = try ConsumerID("c\(index)")
            let held = try fixture.credit.creditLine(consumer, .CNY).held
            let state = try fixture.checkout.checkout(merchant: fixture.merchant.id, id: session.id).state
            let expected = state == .authorized ? try cny("400.00") : Money(minorUnits: 0, currency: .CNY)
            #expect(state != .referred && held == expected)
        }
        #expect(try fixture.referralQueue.awaitingReview().isEmpty)
    }

    /// A model by another name than the referral's: the example model, say, where the server decides with its own.
    struct OtherModel: CreditModel {
        let identity = ModelIdentity(name: "example", version: "1")
        let featureNames = ["account_age_days"]
        func score(_ features: FeatureRow) throws(ScoringError) -> ModelScore { try AccountAgeModel().score(features) }
    }

    @Test("a reviewer's verdict under another model than the referral's is refused and changes nothing; an expiry is not checked",
          arguments: StoreKind.available)
    func otherModel(kind: StoreKind) throws {
        let fixture = try CheckoutFixture(kind)
        let session = try referredCheckout(fixture)
        let underwriting = try UnderwritingService(
            database: fixture.store.database, clock: fixture.store.clock, policy: UnderwritingFixture.policy,
            models: CreditModels(champion: OtherModel()))
        let checkout = CheckoutService(
            database: fixture.store.database, clock: fixture.store.clock, catalog: .standard, underwriting: underwriting,
            servicing: fixture.servicing)
        for verdict in [Self.approve, Self.decline] {
            let error = #expect(throws: ReferralError.self) { try checkout.reviewReferral(checkoutID: session.id, verdict) }
            guard case .otherPolicyOrModel(_, let referred, let given)? = error else {
                Issue.record("expected otherPolicyOrModel, got \(String(describing: error))")
                continue
            }
            #expect(referred.contains("model account-age") && given.contains("model example"), "\(referred) / \(given)")
        }
        #expect(try fixture.referralQueue.awaitingReview().map(\.checkoutID) == [session.id])
        #expect(try fixture.credit.creditLine(try ConsumerID("c1"), .CNY).held.isZero)
        fixture.store.clock.advance(by: Self.dayWindow)
        #expect(try checkout.expireReferrals() == [session.id])
    }
}

extension CheckoutFixture {
    /// The referrals awaiting review, with the fixture's policy's window.
    var referralQueue: ReferralQueue { ReferralQueue(database: store.database, reviewWindow: checkout.referralReviewWindow) }
}
