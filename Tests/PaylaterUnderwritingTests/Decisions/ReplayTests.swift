import Foundation
import PaylaterMoney
import PaylaterTime
import PaylaterUnderwriting
import Testing

@Suite("Snapshots and replay")
struct ReplayTests {
    /// A random but plausible application and context from `random`, covering every branch of the engine.
    static func randomCase(_ random: inout SplitMix64, index: Int) -> (CreditApplication, ApplicantContext) {
        func cny(_ low: Int64, _ high: Int64) -> Money {
            Money(minorUnits: random.int64(in: low...high), currency: .CNY)
        }
        let at = DecisionFixture.now.shifted(seconds: random.int64(in: 0...86_400 * 30))
        var features = FeatureRow()
        for name in ["account_age_days", "late_repayments", "return_rate", "orders_last_year", "bureau_delinquencies"]
        where random.chance(percent: 80) {
            features[name] = .number(Double(random.int64(in: 0...100)) / 100)
        }
        if random.chance(percent: 10) { features["segment"] = .category("student") }
        if random.chance(percent: 5) { features["segment"] = .missing }
        let devices = ["d1", "d2", "d3", "d4"]
        let addresses = ["a1", "a2", "a3"]
        let cards = ["c1", "c2", "c3", "c4"]
        let application = CreditApplication(
            decisionId: "dec-\(index)", shopperHash: "shopper-\(random.int(in: 0...500))",
            orderAmount: cny(100, 150_000),
            requestedProducts: random.chance(percent: 50) ? [] : [random.element(of: ["pay-in-4", "financing-12"])],
            offeredProducts: ["try-then-pay", "pay-in-4", "financing-12"], merchantId: "m-\(random.int(in: 1...9))",
            at: at,
            deviceHash: random.element(of: devices), addressHash: random.element(of: addresses),
            instrumentHash: random.element(of: cards),
            distanceFromUsualAddressKilometres: random.chance(percent: 30)
                ? nil : Double(random.int64(in: 0...8_000)) / 10,
            ageYears: random.int64(in: 16...80), isIdentityVerified: random.chance(percent: 95),
            declaredMonthlyIncome: random.chance(percent: 50) ? nil : cny(300_000, 5_000_000), features: features)
        let limit: CreditLimit =
            switch random.int(in: 0...2) {
            case 0: .none
            case 1: .active(cny(50_000, 1_000_000))
            default: .frozen(cny(50_000, 1_000_000), reason: .delinquency)
            }
        let events = (0..<random.int(in: 0...4)).map { _ in
            OrderEvent(
                at: at.shifted(seconds: -random.int64(in: 0...90_000)), deviceHash: random.element(of: devices),
                addressHash: random.element(of: addresses), instrumentHash: random.element(of: cards),
                shopperHash: "shopper-\(random.int(in: 0...5))")
        }
        let context = ApplicantContext(
            isDelinquent: random.chance(percent: 5), isOnBlockedList: random.chance(percent: 3),
            spendingCap: random.chance(percent: 30)
                ? SpendingCap(cap: cny(0, 500_000), spentInPeriod: cny(0, 300_000)) : nil,
            outstandingBalance: cny(0, 200_000), monthlyObligations: cny(0, 50_000),
            lastDeclineAt: random.chance(percent: 10) ? at.shifted(seconds: -random.int64(in: 0...86_400 * 60)) : nil,
            creditLimit: limit, availableCredit: cny(0, 1_000_000), isFirstOrder: random.chance(percent: 20),
            recentOrders: events,
            exposure: PlatformExposure(
                outstandingAndHolds: cny(0, 1_000_000_000), fundingCapacity: cny(1_000_000_000, 1_000_000_000)),
            heldAuthorizations: random.chance(percent: 30) ? cny(1, 200_000) : nil)
        return (application, context)
    }

    @Test("a context stored before held authorizations were weighed decodes with none held, as it was decided")
    func contextWithoutHeldAuthorizations() throws {
        var context = DecisionFixture.context()
        context.heldAuthorizations = DecisionFixture.cny("25.00")
        var object = try #require(try JSONSerialization.jsonObject(with: try JSONEncoder().encode(context)) as? [String: Any])
        #expect(object.removeValue(forKey: "heldAuthorizations") != nil)
        let old = try JSONDecoder().decode(ApplicantContext.self, from: try JSONSerialization.data(withJSONObject: object))
        context.heldAuthorizations = DecisionFixture.cny("0.00")
        #expect(old == context)
    }

    static let models = CreditModels(
        champion: ToyLinearModel(),
        challenger: ToyLinearModel(identity: ModelIdentity(name: "toy-challenger", version: "2"), bias: -2.5))

    @Test("a decision's snapshot, through JSON and back, replays to an equal decision (500 seeded cases)")
    func replayRoundTrip() throws {
        var random = SplitMix64(seed: 20_261_124)
        var outcomes: [String: Int] = [:]
        for index in 0..<500 {
            let (application, context) = Self.randomCase(&random, index: index)
            let decision = try DecisionEngine.decide(
                application: application, context: context, policy: DecisionFixture.policy, models: Self.models)
            let json = try decision.snapshot.jsonData()
            let stored = try DecisionSnapshot(json: json)
            #expect(stored == decision.snapshot, "case \(index)")
            #expect(try stored.jsonData() == json, "case \(index): the stored bytes are stable")
            let replayed = try DecisionEngine.replay(stored, policy: DecisionFixture.policy, models: Self.models)
            #expect(replayed == decision, "case \(index)")
            let key: String =
                switch decision.outcome {
                case .approved: "approved"
                case .declined: "declined"
                case .referred: "referred"
                }
            outcomes[key, default: 0] += 1
        }
        // The generator reaches every outcome, so the replay covers every path.
        #expect(outcomes.keys.sorted() == ["approved", "declined", "referred"], "\(outcomes)")
    }

    @Test("a snapshot's JSON has sorted keys and no personal identifiers beyond the caller's hashes")
    func snapshotJSON() throws {
        let decision = try DecisionFixture.decide()
        let text = String(decoding: try decision.snapshot.jsonData(), as: UTF8.self)
        #expect(text.hasPrefix(#"{"application":{"addressHash":"address-1","ageYears":30,"#))
        #expect(text.contains(#""features":{"pd":0.01}"#))
        #expect(text.contains(#""policyId":"cn-default","policyVersion":4"#))
    }

    @Test("a replay under another policy version is refused, not answered differently")
    func otherPolicyVersion() throws {
        let decision = try DecisionFixture.decide()
        let newer = try DecisionFixture.policy([PolicyEdit(["version"], "5"), PolicyEdit(["challenger"], nil)])
        #expect(
            throws: DecisionError.policyMismatch(
                recordedId: "cn-default", recordedVersion: 4, givenId: "cn-default", givenVersion: 5)
        ) {
            try DecisionEngine.replay(decision.snapshot, policy: newer, models: DecisionFixture.models)
        }
    }

    @Test("a replay with another model is refused")
    func otherModel() throws {
        let decision = try DecisionFixture.decide()
        let other = ToyLinearModel(identity: ModelIdentity(name: "toy-linear", version: "2"))
        #expect(throws: DecisionError.modelMismatch(recorded: ToyLinearModel().identity, given: other.identity)) {
            try DecisionEngine.replay(
                decision.snapshot, policy: DecisionFixture.championOnly, models: CreditModels(champion: other))
        }
    }
}
