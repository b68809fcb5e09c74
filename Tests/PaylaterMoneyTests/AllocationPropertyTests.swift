import PaylaterTime
import PaylaterMoney
import Testing

/// One random allocation, fully determined by `seed` so that a failure replays with `AllocationCase(seed:)`.
struct AllocationCase: CustomStringConvertible {
    let seed: UInt64
    let amount: Money
    let weights: [Int64]
    let placement: RemainderPlacement

    /// Builds the case that `seed` names: edge and random amounts, equal, small and huge weights.
    init(seed: UInt64) {
        var random = SplitMix64(seed: seed)
        self.seed = seed
        amount = Money(minorUnits: Self.amount(&random), currency: random.element(of: [.CNY, .JPY, .KWD]))
        weights = Self.weights(&random)
        placement = random.chance(percent: 50) ? .first : .last
    }

    private static func amount(_ random: inout SplitMix64) -> Int64 {
        if random.chance(percent: 10) { return random.element(of: [.min, .min + 1, .max, 0, 1, -1]) }
        if random.chance(percent: 50) { return random.int64(in: -10_000...10_000) }
        return random.int64(in: .min ... .max)
    }

    /// Non-negative weights with a positive sum that stays within `Int64`, so exact shares can be checked on 128
    /// bits.
    private static func weights(_ random: inout SplitMix64) -> [Int64] {
        let count = random.chance(percent: 10) ? random.int(in: 1...200) : random.int(in: 1...12)
        let largest: Int64 =
            switch random.int(in: 0...2) {
            case 0: 1
            case 1: 10
            default: Int64.max / Int64(count)
            }
        var weights = (0..<count).map { _ in random.int64(in: 0...largest) }
        if weights.allSatisfy({ $0 == 0 }) { weights[random.int(in: 0...(count - 1))] = 1 }
        return weights
    }

    /// The parts, or nil when the allocation threw.
    func parts() -> [Money]? {
        try? amount.allocate(byWeights: weights, remainder: placement)
    }

    var description: String { "AllocationCase(seed: \(seed)) = \(amount) by \(weights) \(placement)" }

    /// Runs `check` on `count` cases derived from `masterSeed` and describes the first case it rejects, with the
    /// seed that replays it; nil when every case passes.
    ///
    /// `check` returns nil for a case that keeps the property, or what went wrong.
    static func firstFailure(
        from masterSeed: UInt64, count: Int, _ check: (AllocationCase, [Money]) throws -> String?
    ) rethrows -> String? {
        var seeds = SplitMix64(seed: masterSeed)
        for _ in 0..<count {
            let example = AllocationCase(seed: seeds.next())
            guard let parts = example.parts() else { return "\(example) threw" }
            if let problem = try check(example, parts) { return "\(example) gave \(parts): \(problem)" }
        }
        return nil
    }
}

@Suite("Allocation properties")
struct AllocationPropertyTests {
    static let masterSeeds: [UInt64] = [0x5EED, 42, 20_240_601]
    static let casesPerSeed = 1_500

    @Test("parts always add up exactly to the whole", arguments: masterSeeds)
    func partsSumToWhole(masterSeed: UInt64) {
        let failure = AllocationCase.firstFailure(from: masterSeed, count: Self.casesPerSeed) { example, parts in
            let total = parts.reduce(Int128(0)) { $0 + Int128($1.minorUnits) }
            if parts.count != example.weights.count { return "\(parts.count) parts" }
            if parts.contains(where: { $0.currency != example.amount.currency }) { return "a part changed currency" }
            return total == Int128(example.amount.minorUnits) ? nil : "the parts total \(total)"
        }
        #expect(failure == nil, "master seed \(masterSeed)")
    }

    @Test("each part is within one minor unit of its exact share", arguments: masterSeeds)
    func partsNearExactShare(masterSeed: UInt64) {
        let failure = AllocationCase.firstFailure(from: masterSeed, count: Self.casesPerSeed) { example, parts in
            let weightSum = example.weights.reduce(Int128(0)) { $0 + Int128($1) }
            for (part, weight) in zip(parts, example.weights) {
                // |part − amount × weight / sum| < 1, multiplied through by sum.
                let error = Int128(part.minorUnits) * weightSum - Int128(example.amount.minorUnits) * Int128(weight)
                if error.magnitude >= weightSum.magnitude { return "part \(part) for weight \(weight)" }
            }
            return nil
        }
        #expect(failure == nil, "master seed \(masterSeed)")
    }

    @Test("a zero weight always gets zero", arguments: masterSeeds)
    func zeroWeightGetsZero(masterSeed: UInt64) {
        let failure = AllocationCase.firstFailure(from: masterSeed, count: Self.casesPerSeed) { example, parts in
            let index = example.weights.indices.first { example.weights[$0] == 0 && !parts[$0].isZero }
            return index.map { "the zero weight at position \($0) got \(parts[$0])" }
        }
        #expect(failure == nil, "master seed \(masterSeed)")
    }

    @Test("the same input always gives the same parts", arguments: masterSeeds)
    func deterministic(masterSeed: UInt64) {
        let failure = AllocationCase.firstFailure(from: masterSeed, count: Self.casesPerSeed) { example, parts in
            let again = AllocationCase(seed: example.seed).parts()
            return again == parts ? nil : "a second run gave \(String(describing: again))"
        }
        #expect(failure == nil, "master seed \(masterSeed)")
    }

    @Test("a negative amount splits into the negated parts of its magnitude", arguments: masterSeeds)
    func negativeIsMirror(masterSeed: UInt64) throws {
        let failure = try AllocationCase.firstFailure(from: masterSeed, count: Self.casesPerSeed) { example, parts in
            guard example.amount.minorUnits != .min else { return nil }  // Its negation does not exist.
            let mirror = try example.amount.negated().allocate(byWeights: example.weights, remainder: example.placement)
            let negatedParts = try parts.map { try $0.negated() }
            return mirror == negatedParts ? nil : "the negated amount gave \(mirror)"
        }
        #expect(failure == nil, "master seed \(masterSeed)")
    }

    @Test("leftover units go to the largest remainders, ties in placement order", arguments: masterSeeds)
    func leftoversFollowRemainders(masterSeed: UInt64) {
        let failure = AllocationCase.firstFailure(from: masterSeed, count: Self.casesPerSeed) { example, parts in
            Self.leftoverOrderViolation(example, parts)
        }
        #expect(failure == nil, "master seed \(masterSeed)")
    }

    /// Describes how the rounded-up parts break the largest-remainder order, or nil when they keep it.
    private static func leftoverOrderViolation(_ example: AllocationCase, _ parts: [Money]) -> String? {
        let whole = UInt128(example.amount.minorUnits.magnitude)
        let weightSum = example.weights.reduce(UInt128(0)) { $0 + UInt128($1) }
        // (remainder, position) of every part, split by whether it received a leftover unit.
        var roundedUp: [(remainder: UInt128, position: Int)] = []
        var roundedDown: [(remainder: UInt128, position: Int)] = []
        for (position, (part, weight)) in zip(parts, example.weights).enumerated() {
            let exact = whole * UInt128(weight)
            let entry = (remainder: exact % weightSum, position: position)
            if UInt128(part.minorUnits.magnitude) > exact / weightSum {
                roundedUp.append(entry)
            } else {
                roundedDown.append(entry)
            }
        }
        guard let weakestUp = roundedUp.map(\.remainder).min(), let strongestDown = roundedDown.map(\.remainder).max()
        else { return nil }
        if weakestUp < strongestDown { return "remainder \(strongestDown) lost to \(weakestUp)" }
        guard weakestUp == strongestDown else { return nil }
        let upPositions = roundedUp.filter { $0.remainder == weakestUp }.map(\.position)
        let downPositions = roundedDown.filter { $0.remainder == weakestUp }.map(\.position)
        guard let firstUp = upPositions.min(), let lastUp = upPositions.max(), let firstDown = downPositions.min(),
            let lastDown = downPositions.max()
        else { return nil }
        let inOrder = example.placement == .first ? lastUp < firstDown : firstUp > lastDown
        return inOrder ? nil : "tied remainders \(weakestUp) were not broken in \(example.placement) order"
    }
}
