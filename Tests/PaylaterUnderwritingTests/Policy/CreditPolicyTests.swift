import Foundation
import PaylaterMoney
import PaylaterUnderwriting
import Testing

@Suite("Loading the credit policy file")
struct CreditPolicyTests {
    @Test("the example policy in config/ loads, and the test fixture is the same policy")
    func examplePolicyLoads() throws {
        let example = try CreditPolicy(json: try Data(contentsOf: DecisionFixture.exampleURL))
        #expect(example.id == "cn-default")
        #expect(example.version == 4)
        #expect(example == DecisionFixture.policy)
    }

    @Test("amounts are read exactly with each currency's exponent")
    func amountsPerCurrency() throws {
        let policy = DecisionFixture.policy
        #expect(policy.currencies == [.CNY, .USD])
        #expect(policy.scoreBands.map(\.name) == ["A", "B", "C"])
        #expect(policy.scoreBands[0].initialLimit[.CNY] == Money(minorUnits: 500_000, currency: .CNY))
        #expect(policy.scoreBands[2].initialLimit[.USD] == Money(minorUnits: 12_000, currency: .USD))
        #expect(policy.affordability.maximumDebtServiceRatio == BasisPoints(4000))
        #expect(policy.cutOffs == CutOffs(approveAtOrBelow: 0.05, referAtOrBelow: 0.12))
        #expect(policy.challenger?.share == BasisPoints(1000))
        #expect(policy.challenger?.cutOffs == CutOffs(approveAtOrBelow: 0.04, referAtOrBelow: 0.10))
        #expect(policy.exposure.tighteningBands.first?.atOrAboveUtilisation == BasisPoints(9000))
    }

    @Test("a probability falls in the first band whose maximum is at or above it")
    func bands() {
        let policy = DecisionFixture.policy
        #expect(policy.band(probabilityOfBad: 0.02)?.name == "A")
        #expect(policy.band(probabilityOfBad: 0.020001)?.name == "B")
        #expect(policy.band(probabilityOfBad: 0.12)?.name == "C")
        #expect(policy.band(probabilityOfBad: 0.13) == nil)
    }

    @Test("a policy without a challenger keeps the champion's cut-offs for both arms")
    func noChallenger() {
        #expect(DecisionFixture.championOnly.challenger == nil)
        #expect(DecisionFixture.championOnly.cutOffs(for: .challenger) == DecisionFixture.championOnly.cutOffs)
    }

    @Test("a referral waits a day for review unless the policy sets its window, in whole hours from 1 to 168")
    func referralReviewWindow() throws {
        #expect(DecisionFixture.policy.referralReviewWindow == .seconds(24 * 3_600))
        #expect(CreditPolicy.referralReviewHoursDefault == 24)
        for hours in [1, 2, 168] {
            let policy = try DecisionFixture.policy([PolicyEdit(["referral_review_hours"], "\(hours)")])
            #expect(policy.referralReviewWindow == .seconds(Int64(hours) * 3_600))
        }
        // The window is part of the rules: the same version with it written out is other content, which a store that
        // decided under that version refuses until the version is raised.
        let written = try DecisionFixture.policy([PolicyEdit(["referral_review_hours"], "24")])
        #expect(written.referralReviewWindow == DecisionFixture.policy.referralReviewWindow)
        #expect(written.canonicalContent != DecisionFixture.policy.canonicalContent)
    }

    static let badFields: [(String, PolicyEdit, PolicyError)] = [
        ("a misspelt top-level key", PolicyEdit(["cooling_off"], "30"), .unknownField(path: "cooling_off")),
        (
            "a misspelt nested key", PolicyEdit(["velocity", "orders_per_devise"], #"{"hour": 1, "day": 2}"#),
            .unknownField(path: "velocity.orders_per_devise")
        ),
        (
            "a missing field", PolicyEdit(["cut_offs", "refer_at_or_below"], nil),
            .missingField(path: "cut_offs.refer_at_or_below")
        ),
        (
            "too many decimals for the currency",
            PolicyEdit(["score_bands", 1, "initial_limit", "USD"], #""300.005""#),
            .invalidField(
                path: "score_bands[1].initial_limit.USD",
                reason: "\"300.005\" has more than 2 digits after the decimal point, which is all its currency allows.")
        ),
        (
            "a currency the policy does not lend in",
            PolicyEdit(["score_bands", 0, "initial_limit", "EUR"], #""1.00""#),
            .unknownField(path: "score_bands[0].initial_limit.EUR")
        ),
        (
            "a probability above 1", PolicyEdit(["cut_offs", "approve_at_or_below"], "1.5"),
            .invalidField(path: "cut_offs.approve_at_or_below", reason: "1.5 is not a probability between 0 and 1")
        ),
        (
            "a boolean for a probability", PolicyEdit(["cut_offs", "approve_at_or_below"], "true"),
            .invalidField(path: "cut_offs.approve_at_or_below", reason: "true is not a probability between 0 and 1")
        ),
        (
            "a boolean for a number", PolicyEdit(["cooling_off_days"], "true"),
            .invalidField(path: "cooling_off_days", reason: "true is not a whole number")
        ),
        (
            "a fraction for basis points", PolicyEdit(["affordability", "max_debt_service_bps"], "40.5"),
            .invalidField(path: "affordability.max_debt_service_bps", reason: "40.5 is not a whole number")
        ),
        (
            "refer below approve", PolicyEdit(["cut_offs", "refer_at_or_below"], "0.01"),
            .invalidField(path: "cut_offs.refer_at_or_below", reason: "0.01 is below the approve cut-off 0.05")
        ),
        (
            "bands out of order", PolicyEdit(["score_bands", 1, "max_probability_of_bad"], "0.01"),
            .invalidField(
                path: "score_bands[1].max_probability_of_bad", reason: "0.01 is not above the previous band's 0.02")
        ),
        (
            "bands short of the refer cut-off", PolicyEdit(["score_bands", 2, "max_probability_of_bad"], "0.11"),
            .invalidField(path: "score_bands", reason: "the last band must reach the highest refer cut-off, 0.12")
        ),
        (
            "a text for a code shoppers are not told",
            PolicyEdit(["reason_texts", "codes", "device_velocity"], #""Too many orders""#),
            .invalidField(
                path: "reason_texts.codes.device_velocity",
                reason: "is not told to shoppers, who read reason_texts.generic instead")
        ),
        (
            "a told code without its text", PolicyEdit(["reason_texts", "codes", "cooling_off"], nil),
            .missingField(path: "reason_texts.codes.cooling_off")
        ),
        (
            "a missing-information text that is not a string", PolicyEdit(["reason_texts", "missing_feature"], "1"),
            .invalidField(path: "reason_texts.missing_feature", reason: "expected a string")
        ),
        (
            "a challenger share above 100%", PolicyEdit(["challenger", "share_bps"], "10001"),
            .invalidField(path: "challenger.share_bps", reason: "10001 is outside 0...10000")
        ),
        (
            "an exposure band at the stop",
            PolicyEdit(["exposure", "tightening_bands", 0, "at_or_above_utilisation_bps"], "10000"),
            .invalidField(
                path: "exposure.tightening_bands[0].at_or_above_utilisation_bps", reason: "10000 is outside 0...9999")
        ),
        (
            "a day limit below the hour limit", PolicyEdit(["velocity", "orders_per_address", "day"], "2"),
            .invalidField(path: "velocity.orders_per_address.day", reason: "2 is outside 3...10000")
        ),
        (
            "a currency listed twice", PolicyEdit(["currencies"], #"["CNY", "CNY"]"#),
            .invalidField(path: "currencies[1]", reason: "CNY is listed twice")
        ),
        (
            "a referral review window of no time", PolicyEdit(["referral_review_hours"], "0"),
            .invalidField(path: "referral_review_hours", reason: "0 is outside 1...168")
        ),
        (
            "a referral review window beyond a week", PolicyEdit(["referral_review_hours"], "169"),
            .invalidField(path: "referral_review_hours", reason: "169 is outside 1...168")
        ),
        (
            "a referral review window in part hours", PolicyEdit(["referral_review_hours"], "1.5"),
            .invalidField(path: "referral_review_hours", reason: "1.5 is not a whole number")
        ),
        (
            "a referral review window as text", PolicyEdit(["referral_review_hours"], #""24""#),
            .invalidField(path: "referral_review_hours", reason: "\"24\" (a string) is not a whole number")
        ),
    ]

    @Test("every error names the bad field by its path", arguments: badFields)
    func fieldErrors(_ name: String, _ edit: PolicyEdit, _ expected: PolicyError) {
        #expect(throws: expected, "\(name)") { try DecisionFixture.policy([edit]) }
    }

    @Test("text that is not JSON is refused as malformed")
    func malformed() {
        #expect {
            _ = try CreditPolicy(json: Array("{\"id\": ".utf8))
        } throws: { error in
            guard let error = error as? PolicyError, case .malformedJSON = error else { return false }
            return true
        }
    }
}
