import PaylaterMoney
import PaylaterUnderwriting
import Testing

@Suite("Champion/challenger assignment")
struct ArmAssignmentTests {
    static func setup(share: Int64, seed: UInt64 = 42) -> ChallengerSetup {
        ChallengerSetup(share: BasisPoints(share), seed: seed, cutOffs: nil)
    }

    @Test(
        "the challenger gets close to its share of 10,000 shoppers",
        arguments: [0, 1000, 2500, 5000, 10_000] as [Int64])
    func split(share: Int64) {
        let challengers = (0..<10_000).filter {
            ArmAssignment.arm(shopperHash: "shopper-\($0)", challenger: Self.setup(share: share)) == .challenger
        }.count
        let expected = Int(share)
        // Binomial standard deviation at 50% of 10,000 is 50; 4 deviations is far from a flaky test.
        #expect(abs(challengers - expected) <= 200, "share \(share): \(challengers) challengers")
    }

    @Test("a shopper's bucket is fixed by the id and the seed, across runs and platforms")
    func stable() {
        // Pinned values: a change here reshuffles every running experiment.
        #expect(
            ArmAssignment.bucket(shopperHash: "shopper-1", seed: 42)
                == ArmAssignment.bucket(shopperHash: "shopper-1", seed: 42))
        #expect(ArmAssignment.bucket(shopperHash: "shopper-1", seed: 42) == Self.pinnedShopper1Seed42)
        #expect(ArmAssignment.bucket(shopperHash: "", seed: 0) == Self.pinnedEmptySeed0)
    }

    static let pinnedShopper1Seed42: Int64 = 5269
    static let pinnedEmptySeed0: Int64 = 6203

    @Test("another seed reshuffles the shoppers")
    func seedReshuffles() {
        let moved = (0..<1_000).filter {
            ArmAssignment.bucket(shopperHash: "shopper-\($0)", seed: 1)
                != ArmAssignment.bucket(shopperHash: "shopper-\($0)", seed: 2)
        }.count
        #expect(moved > 990)
    }

    @Test("without a challenger everyone is a champion")
    func noChallenger() {
        #expect(ArmAssignment.arm(shopperHash: "anyone", challenger: nil) == .champion)
    }
}
