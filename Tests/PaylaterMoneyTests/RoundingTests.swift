import PaylaterTime
import PaylaterMoney
import Testing

/// One exact quotient and what every rule rounds it to.
struct RoundingVector: Sendable, CustomTestStringConvertible {
    let numerator: Int128
    let denominator: Int128
    let expected: [RoundingRule: Int64]

    /// `expected` lists the answers in the order halfEven, halfUp, halfDown, up, down, ceiling, floor.
    init(_ numerator: Int128, _ denominator: Int128, _ expected: [Int64]) {
        precondition(expected.count == RoundingRule.allCases.count)
        self.numerator = numerator
        self.denominator = denominator
        let order: [RoundingRule] = [.halfEven, .halfUp, .halfDown, .up, .down, .ceiling, .floor]
        self.expected = Dictionary(uniqueKeysWithValues: zip(order, expected))
    }

    var testDescription: String { "\(numerator)/\(denominator)" }
}

@Suite("Rounding")
struct RoundingTests {
    //                                      halfEven halfUp halfDown up down ceiling floor
    static let vectors: [RoundingVector] = [
        RoundingVector(5, 2, [2, 3, 2, 3, 2, 3, 2]),  // 2.5
        RoundingVector(7, 2, [4, 4, 3, 4, 3, 4, 3]),  // 3.5
        RoundingVector(-5, 2, [-2, -3, -2, -3, -2, -2, -3]),  // -2.5
        RoundingVector(-7, 2, [-4, -4, -3, -4, -3, -3, -4]),  // -3.5
        RoundingVector(1, 2, [0, 1, 0, 1, 0, 1, 0]),  // 0.5
        RoundingVector(-1, 2, [0, -1, 0, -1, 0, 0, -1]),  // -0.5
        RoundingVector(5, 4, [1, 1, 1, 2, 1, 2, 1]),  // 1.25
        RoundingVector(7, 4, [2, 2, 2, 2, 1, 2, 1]),  // 1.75
        RoundingVector(-5, 4, [-1, -1, -1, -2, -1, -1, -2]),  // -1.25
        RoundingVector(-7, 4, [-2, -2, -2, -2, -1, -1, -2]),  // -1.75
        RoundingVector(1, 3, [0, 0, 0, 1, 0, 1, 0]),  // 0.333…
        RoundingVector(-2, 3, [-1, -1, -1, -1, 0, 0, -1]),  // -0.666…
        RoundingVector(6, 3, [2, 2, 2, 2, 2, 2, 2]),  // exact
        RoundingVector(-6, 3, [-2, -2, -2, -2, -2, -2, -2]),  // exact
        RoundingVector(0, 7, [0, 0, 0, 0, 0, 0, 0]),
        RoundingVector(5, -2, [-2, -3, -2, -3, -2, -2, -3]),  // a negative denominator: -2.5
        RoundingVector(
            Int128(Int64.max) * 2 - 1, 2,
            [.max - 1, .max, .max - 1, .max, .max - 1, .max, .max - 1]),  // Int64.max - 0.5
        RoundingVector(
            Int128(Int64.min) * 2 + 1, 2,
            [.min, .min, .min + 1, .min, .min + 1, .min + 1, .min]),  // Int64.min + 0.5
    ]

    @Test("each rule rounds halves and non-halves as specified", arguments: vectors, RoundingRule.allCases)
    func knownAnswers(vector: RoundingVector, rule: RoundingRule) throws {
        let result = try divide(vector.numerator, by: vector.denominator, rounding: rule)
        #expect(result == vector.expected[rule])
    }

    @Test("dividing by zero throws", arguments: RoundingRule.allCases)
    func divisionByZero(rule: RoundingRule) {
        #expect(throws: MoneyError.divisionByZero) { try divide(1, by: 0, rounding: rule) }
    }

    @Test("a rounded quotient beyond 64 bits throws overflow", arguments: RoundingRule.allCases)
    func overflow(rule: RoundingRule) {
        let cases: [(Int128, Int128)] = [
            (Int128(Int64.max) + 1, 1), (Int128(Int64.min) - 1, 1), (Int128.max, 1), (Int128.min, 1), (Int128.min, -1),
        ]
        for (numerator, denominator) in cases {
            expectOverflow("\(numerator)/\(denominator)") { try divide(numerator, by: denominator, rounding: rule) }
        }
    }

    @Test("a rule is stored by its name")
    func codableByName() throws {
        #expect(RoundingRule.halfEven.rawValue == "halfEven")
        #expect(RoundingRule(rawValue: "floor") == .floor)
        #expect(RoundingRule.allCases.map(\.description) == RoundingRule.allCases.map(\.rawValue))
    }

    @Test("halfEven is the default for amounts")
    func halfEvenIsDefault() throws {
        #expect(try Money.units(5).divided(by: 2) == Money.units(2))
        #expect(try Money.units(7).divided(by: 2) == Money.units(4))
    }

    @Test(
        "every rule lands on the floor or the ceiling, and half rules land on the nearest",
        arguments: [7, 8] as [UInt64])
    func roundingBrackets(seed: UInt64) throws {
        var random = SplitMix64(seed: seed)
        for _ in 0..<2_000 {
            // A product of an amount and a rate's numerator over a denominator at least that numerator, so that the
            // quotient always fits in 64 bits.
            let scale = random.chance(percent: 50) ? random.int64(in: 1...10) : random.int64(in: 1 ... .max)
            let numerator = Int128(random.int64(in: (.min + 1) ... .max)) * Int128(random.int64(in: -scale...scale))
            let denominator = Int128(scale) + Int128(random.int64(in: 0...1_000))
            let floor = try divide(numerator, by: denominator, rounding: .floor)
            let ceiling = try divide(numerator, by: denominator, rounding: .ceiling)
            let isExact = numerator % denominator == 0
            #expect(Int128(ceiling) - Int128(floor) == (isExact ? 0 : 1), "seed \(seed): \(numerator)/\(denominator)")
            for rule in RoundingRule.allCases {
                let result = try divide(numerator, by: denominator, rounding: rule)
                #expect(result == floor || result == ceiling, "seed \(seed): \(rule) \(numerator)/\(denominator)")
                if [.halfEven, .halfUp, .halfDown].contains(rule) {
                    let distance = (Int128(result) * denominator - numerator).magnitude
                    #expect(distance * 2 <= denominator.magnitude, "seed \(seed): \(rule) \(numerator)/\(denominator)")
                }
            }
        }
    }
}
