import PaylaterMoney
import PaylaterTime
import PaylaterUnderwriting
import Testing

@Suite("Managing credit limits")
struct LimitManagerTests {
    let rules = DecisionFixture.policy.limits
    let now = DecisionFixture.now
    let cny = DecisionFixture.cny

    @Test(
        "a shopper without a limit gets the initial limit of the score band, logged with the band",
        arguments: [(0.01, "A", "5000.00"), (0.02, "A", "5000.00"), (0.03, "B", "2000.00"), (0.12, "C", "800.00")])
    func initial(probability: Double, band: String, limit: String) throws {
        let change = try LimitManager.initial(
            .none, probabilityOfBad: probability, currency: .CNY, policy: DecisionFixture.policy, at: now)
        #expect(change == LimitChange(from: .none, to: .active(cny(limit)), reason: .initial(band: band), at: now))
    }

    @Test("no initial limit when the shopper has one or the probability is in no band")
    func noInitial() throws {
        #expect(
            try LimitManager.initial(
                .active(cny("10.00")), probabilityOfBad: 0.01, currency: .CNY, policy: DecisionFixture.policy, at: now)
                == nil)
        #expect(
            try LimitManager.initial(
                .none, probabilityOfBad: 0.5, currency: .CNY, policy: DecisionFixture.policy, at: now) == nil)
    }

    @Test(
        "after 3 on-time cycles the limit rises 20%, rounded down to a whole yuan, never above the maximum",
        arguments: [
            ("1000.00", 3, "1200.00"), ("1234.56", 3, "1481.00"), ("999.99", 5, "1199.00"),
            ("18000.00", 3, "20000.00"), ("1000.00", 2, nil), ("20000.00", 3, nil),
        ] as [(String, Int64, String?)])
    func increase(from: String, cycles: Int64, to: String?) throws {
        let change = try LimitManager.increase(.active(cny(from)), onTimeCycles: cycles, rules: rules, at: now)
        #expect(change?.to == to.map { .active(cny($0)) })
        if to != nil { #expect(change?.reason == .increase(onTimeCycles: cycles)) }
    }

    @Test(
        "a probability of bad above 0.15 lowers the limit 30%, rounded down; exactly 0.15 does not",
        arguments: [
            (0.16, "1000.00", "700.00"), (0.5, "1234.56", "864.00"), (0.15, "1000.00", nil), (0.2, "1.00", "0.00"),
        ]
            as [(Double, String, String?)])
    func decrease(probability: Double, from: String, to: String?) throws {
        let change = try LimitManager.decrease(.active(cny(from)), probabilityOfBad: probability, rules: rules, at: now)
        #expect(change?.to == to.map { .active(cny($0)) })
        if to != nil { #expect(change?.reason == .decrease(probabilityOfBad: probability)) }
    }

    @Test("delinquency freezes an active limit and unfreezing restores it; each change says why")
    func freezeAndUnfreeze() throws {
        let frozen = try #require(LimitManager.freeze(.active(cny("800.00")), at: now))
        #expect(
            frozen
                == LimitChange(
                    from: .active(cny("800.00")), to: .frozen(cny("800.00"), reason: .delinquency),
                    reason: .freeze(.delinquency), at: now))
        let restored = try #require(LimitManager.unfreeze(frozen.to, at: now))
        #expect(restored.to == .active(cny("800.00")))
        #expect(restored.reason == .unfreeze)
        #expect(LimitManager.freeze(.none, at: now) == nil)
        #expect(LimitManager.freeze(frozen.to, at: now) == nil)
        #expect(LimitManager.unfreeze(.active(cny("1.00")), at: now) == nil)
    }

    @Test(
        "a review applies the first rule that fits: freeze, unfreeze, decrease, increase",
        arguments: [
            (true, 9, 0.01, "freeze"), (false, 9, 0.9, "decrease"), (false, 3, 0.01, "increase"),
            (false, 0, 0.01, "none"),
        ] as [(Bool, Int64, Double, String)])
    func review(delinquent: Bool, cycles: Int64, probability: Double, expected: String) throws {
        let standing = LimitStanding(isDelinquent: delinquent, onTimeCycles: cycles, probabilityOfBad: probability)
        let change = try LimitManager.review(.active(cny("1000.00")), standing: standing, rules: rules, at: now)
        let kind: String =
            switch change?.reason {
            case .freeze: "freeze"
            case .decrease: "decrease"
            case .increase: "increase"
            case nil: "none"
            default: "other"
            }
        #expect(kind == expected)
        let thawed = try LimitManager.review(
            .frozen(cny("1.00"), reason: .delinquency),
            standing: LimitStanding(isDelinquent: false, onTimeCycles: 0, probabilityOfBad: 0.9),
            rules: rules, at: now)
        #expect(thawed?.reason == .unfreeze)
    }
}
