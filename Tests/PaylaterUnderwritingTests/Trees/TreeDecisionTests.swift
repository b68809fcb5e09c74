import Foundation
import PaylaterUnderwriting
import Testing

/// The hand-written model scores -0.5 (single-leaf tree) plus 0.1 (left of `x`), 0.2 (`c` in the bitset) or 0.3.
@Suite("Tree decisions follow LightGBM's rules")
struct TreeDecisionTests {
    static let left = -0.5 + 0.1
    static let inSet = -0.5 + 0.2
    static let notInSet = -0.5 + 0.3

    func raw(_ model: String, x: FeatureValue, c: FeatureValue = .number(1)) throws -> Double {
        let ensemble = try TreeEnsemble(lightGBMText: model, name: "hand", version: "1")
        return try ensemble.score(FeatureRow(["x": x, "c": c])).logOdds
    }

    @Test(
        "a numerical split goes left when value <= threshold; NaN takes the default side when missing is NaN",
        arguments: [
            (FeatureValue.number(2.5), left), (.number(2.4999999999999996), left), (.number(2.5000000000000004), notInSet),
            (.missing, left), (.number(-100), left),
        ])
    func numericalNaNMissing(x: FeatureValue, expected: Double) throws {
        #expect(try raw(handWrittenModel(numericalDecisionType: 10), x: x) == expected)
    }

    @Test("the zero threshold is LightGBM's float literal 1e-35f widened to double")
    func zeroThreshold() {
        #expect(lightGBMZeroThreshold == Double(Float(1e-35)))
    }

    @Test(
        "missing type Zero: NaN and values within ±1e-35 take the default side (here left, past a threshold of -0.5)",
        arguments: [
            (FeatureValue.number(0), left), (.number(-0.0), left), (.missing, left), (.number(1e-36), left),
            (.number(-1e-36), left), (.number(2e-35), notInSet), (.number(-1), left), (.number(0.2), notInSet),
        ])
    func zeroMissing(x: FeatureValue, expected: Double) throws {
        #expect(try raw(handWrittenModel(numericalDecisionType: 6, threshold: "-0.5"), x: x) == expected)
    }

    @Test(
        "missing type None: NaN is read as 0.0 and compared with the threshold",
        arguments: [("-0.5", FeatureValue.missing, notInSet), ("0.5", .missing, left), ("-0.5", .number(-1), left)])
    func noneMissing(threshold: String, x: FeatureValue, expected: Double) throws {
        // Default-left is set but must not matter: without a missing type there is no default side.
        #expect(try raw(handWrittenModel(numericalDecisionType: 2, threshold: threshold), x: x) == expected)
    }

    @Test(
        "a categorical split sends integer codes in the bitset left; NaN, negative, unseen and huge codes go right",
        arguments: [
            (FeatureValue.number(0), inSet), (.number(2), inSet), (.number(32), inSet), (.number(1), notInSet),
            (.number(33), notInSet), (.number(64), notInSet), (.number(1000), notInSet), (.number(-1), notInSet),
            (.missing, notInSet), (.number(2.9), inSet), (.number(-0.5), inSet), (.number(1e10), notInSet),
            (.category("2"), inSet), (.category("1"), notInSet), (.category("-2"), notInSet),
        ])
    func categorical(c: FeatureValue, expected: Double) throws {
        for type in [1, 9] {  // NaN goes right whatever the missing type
            #expect(try raw(handWrittenModel(categoricalDecisionType: type), x: .number(5), c: c) == expected)
        }
    }

    @Test("a category label is an error for a numerical feature, and for a categorical one unless it is an integer")
    func categoryLabels() throws {
        let model = try TreeEnsemble(lightGBMText: handWrittenModel(), name: "hand", version: "1")
        #expect(throws: ScoringError.notANumber(feature: "x", value: "high")) {
            try model.score(FeatureRow(["x": .category("high"), "c": .number(1)]))
        }
        #expect(throws: ScoringError.notANumber(feature: "c", value: "retail")) {
            try model.score(FeatureRow(["x": .number(5), "c": .category("retail")]))
        }
    }

    @Test("a single-leaf tree adds its value to every row and nothing to any contribution")
    func singleLeafTree() throws {
        let model = try TreeEnsemble(lightGBMText: handWrittenModel(), name: "hand", version: "1")
        #expect(model.trees[0] == .constant(-0.5))
        #expect(model.baselineLogOdds == -0.5 + 0.2)
        let score = try model.score(FeatureRow(["x": .number(5), "c": .number(2)]))
        // Root 0.2 → node 1 (0.25): x gets +0.05; node 1 → leaf 0.2: c gets -0.05.
        #expect(abs(score.contributions.first { $0.feature == "x" }!.logOdds - 0.05) < 1e-15)
        #expect(abs(score.contributions.first { $0.feature == "c" }!.logOdds + 0.05) < 1e-15)
        #expect(abs(score.probabilityOfBad - 1 / (1 + exp(0.3))) < 1e-15)
    }
}
