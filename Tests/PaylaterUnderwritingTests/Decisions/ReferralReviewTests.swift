import PaylaterMoney
import PaylaterTime
@testable import PaylaterUnderwriting
import Testing

/// A referred application decided again with a person's verdict (`CreditApplication.review`).
@Suite("Referral reviews")
struct ReferralReviewTests {
    let generic = DecisionFixture.policy.reasonTexts.generic
    /// The referral was made ten minutes before the review.
    let referredAt = DecisionFixture.now.shifted(seconds: -600)

    /// A far shipping address: the application the tests review, referred at checkout.
    func referred(amount: String = "500.00", pd: Double? = 0.01) -> CreditApplication {
        var application = DecisionFixture.application(amount: amount, pd: pd)
        application.distanceFromUsualAddressKilometres = 900
        return application
    }

    func reviewing(_ application: CreditApplication, _ verdict: ReferralReview.Verdict) -> CreditApplication {
        var review = application
        review.decisionId = "dec-1:review"
        review.review = ReferralReview(referredDecisionId: "dec-1", referredAt: referredAt, verdict: verdict)
        return review
    }

    let approve = ReferralReview.Verdict.approved(by: "risk-ana", note: "called the shopper: moving house")

    @Test("an approval clears the referral: approved with the band's first limit, and no reasons of its own")
    func approvalClears() throws {
        #expect(try DecisionFixture.decide(referred()).outcome == .referred)
        let decision = try DecisionFixture.decide(reviewing(referred(), approve))
        #expect(decision.isApproved)
        #expect(decision.reasons.isEmpty)
        #expect(decision.limitChange != nil)
        #expect(decision.band == "A")
    }

    @Test("an approval clears a score in the review band too")
    func approvalClearsReviewBand() throws {
        let application = DecisionFixture.application(pd: 0.08)
        #expect(try DecisionFixture.decide(application).codes.first == .scoreInReviewBand)
        #expect(try DecisionFixture.decide(reviewing(application, approve)).isApproved)
    }

    @Test("an approval is still declined by the rules that decline, as they stand at the review")
    func approvalMeetsDeclineRules() throws {
        var blocked = DecisionFixture.context()
        blocked.isOnBlockedList = true
        var decision = try DecisionFixture.decide(reviewing(referred(), approve), blocked)
        #expect(decision.outcome == .declined && decision.codes == [.blockedList])

        var frozen = DecisionFixture.context()
        frozen.creditLimit = .frozen(DecisionFixture.cny("5000.00"), reason: .delinquency)
        decision = try DecisionFixture.decide(reviewing(referred(), approve), frozen)
        #expect(decision.outcome == .declined && decision.codes == [.limitFrozen])

        var capped = DecisionFixture.context()
        capped.spendingCap = SpendingCap(cap: DecisionFixture.cny("600.00"), spentInPeriod: DecisionFixture.cny("200.00"))
        decision = try DecisionFixture.decide(reviewing(referred(), approve), capped)
        #expect(decision.outcome == .declined && decision.codes == [.overSpendingCap])

        var stopped = DecisionFixture.context()
        stopped.exposure = PlatformExposure(
            outstandingAndHolds: DecisionFixture.cny("10000000.00"), fundingCapacity: DecisionFixture.cny("10000000.00"))
        decision = try DecisionFixture.decide(reviewing(referred(), approve), stopped)
        #expect(decision.outcome == .declined && decision.codes == [.platformCapacityReached])

        decision = try DecisionFixture.decide(reviewing(referred(pd: 0.2), approve))
        #expect(decision.outcome == .declined && decision.codes.first == .scoreBelowCutOff)
        #expect(!decision.codes.contains(.shippingAddressFar))
    }

    @Test("an approval without a score stays referred: there is no band to take a limit and products from")
    func approvalWithoutScore() throws {
        let application = reviewing(DecisionFixture.application(features: ["return_rate": .category("high")]), approve)
        let decision = try DecisionFixture.decide(application)
        #expect(decision.outcome == .referred)
        #expect(decision.codes == [.modelCouldNotScore])
    }

    @Test("a reviewer's decline declines before any rule, saying who and why to the operator only")
    func reviewerDeclines() throws {
        let decision = try DecisionFixture.decide(
            reviewing(referred(), .declined(by: "risk-bo", note: "address is a parcel locker abroad")))
        #expect(decision.outcome == .declined)
        #expect(decision.codes == [.declinedOnReview])
        #expect(decision.reasons[0].shopperMessage == generic)
        #expect(decision.reasons[0].operatorDetail.contains("risk-bo: address is a parcel locker abroad"))
        #expect(decision.model == nil && decision.probabilityOfBad == nil)
        #expect(!decision.startsCoolingOff)
    }

    @Test("a referral nobody reviewed in time is declined as expired")
    func expired() throws {
        let decision = try DecisionFixture.decide(reviewing(referred(), .expired(windowSeconds: 86_400)))
        #expect(decision.outcome == .declined && decision.codes == [.referralExpired])
        #expect(decision.reasons[0].operatorDetail.contains("within 24 h"))
        #expect(decision.reasons[0].shopperMessage == generic)
    }

    @Test("the referred order's own velocity event is not counted again; other orders are")
    func ownVelocityEventNotCounted() throws {
        var context = DecisionFixture.context()
        // Two other orders on the device in the hour: with this one, three, the most allowed.
        context.recentOrders = [-1_200, -1_800].map {
            OrderEvent(
                at: DecisionFixture.now.shifted(seconds: $0), deviceHash: "device-1", addressHash: "x", instrumentHash: "x",
                shopperHash: "shopper-1")
        }
        context.recentOrders.append(
            OrderEvent(at: referredAt, deviceHash: "device-1", addressHash: "address-1", instrumentHash: "card-1", shopperHash: "shopper-1"))
        #expect(try DecisionFixture.decide(reviewing(referred(), approve), context).isApproved)
        // Another order at the same instant from another shopper is another order.
        context.recentOrders.append(
            OrderEvent(at: referredAt, deviceHash: "device-1", addressHash: "x", instrumentHash: "x", shopperHash: "shopper-2"))
        let decision = try DecisionFixture.decide(reviewing(referred(), approve), context)
        #expect(decision.outcome == .declined && decision.codes == [.deviceVelocity])
    }

    @Test("a review replays from its snapshot, the verdict included")
    func replays() throws {
        for verdict in [approve, .declined(by: "a", note: "b"), .expired(windowSeconds: 3_600)] {
            let decision = try DecisionFixture.decide(reviewing(referred(), verdict))
            let replayed = try DecisionEngine.replay(
                decision.snapshot, policy: DecisionFixture.championOnly, models: DecisionFixture.models)
            #expect(replayed == decision)
        }
    }
}
