import Foundation
import PaylaterUnderwriting
import Testing

@Suite("Scoring LightGBM models exactly as LightGBM does")
struct LightGBMExactnessTests {
    @Test(
        "every fixture row gets LightGBM's raw score and probability",
        arguments: [("model.txt", "model"), ("model_zero.txt", "model_zero"), ("model_nomissing.txt", "model_nomissing")])
    func matchesLightGBM(file: String, column: String) throws {
        let model = try LightGBMFixtures.model(file)
        let rows = try LightGBMFixtures.inputs()
        let expectedRaw = try LightGBMFixtures.expected("raw_" + column)
        let expectedProbability = try LightGBMFixtures.expected("probability_" + column)
        #expect(rows.count == expectedRaw.count)
        var maxRawDifference = 0.0
        var maxProbabilityDifference = 0.0
        for (index, row) in rows.enumerated() {
            let score = try model.score(row)
            let rawDifference = abs(score.logOdds - expectedRaw[index])
            let probabilityDifference = abs(score.probabilityOfBad - expectedProbability[index])
            #expect(rawDifference <= 1e-9, "row \(index): raw \(score.logOdds), LightGBM \(expectedRaw[index])")
            #expect(probabilityDifference <= 1e-9, "row \(index): probability \(score.probabilityOfBad)")
            maxRawDifference = max(maxRawDifference, rawDifference)
            maxProbabilityDifference = max(maxProbabilityDifference, probabilityDifference)
        }
        print("\(file): \(rows.count) rows, max |raw - LightGBM| = \(maxRawDifference), max |p - LightGBM| = \(maxProbabilityDifference)")
    }

    /// LightGBM wrote no single-leaf tree here; the hand-written model in `TreeDecisionTests` covers those.
    @Test("the fixtures exercise every missing-value type, categorical splits and infinite thresholds")
    func fixturesCoverTheRules() throws {
        var missingTypes = Set<DecisionType.MissingType>()
        var categorical = false
        for file in ["model.txt", "model_zero.txt", "model_nomissing.txt"] {
            for tree in try LightGBMFixtures.model(file).trees {
                for raw in tree.decisionType {
                    let type = try #require(DecisionType(rawValue: raw))
                    if type.isCategorical { categorical = true } else { missingTypes.insert(type.missingType) }
                }
            }
        }
        #expect(missingTypes == [.none, .zero, .nan])
        #expect(categorical)
        #expect(try LightGBMFixtures.model("model.txt").trees.contains { $0.threshold.contains(.infinity) })
        #expect(try LightGBMFixtures.model("model.txt").trees.count == 500)
    }

    @Test("Saabas contributions plus the baseline add up to the raw score")
    func saabasAdditivity() throws {
        let model = try LightGBMFixtures.model("model.txt")
        for row in try LightGBMFixtures.inputs() {
            let score = try model.score(row)
            let total = score.contributions.reduce(model.baselineLogOdds) { $0 + $1.logOdds }
            #expect(abs(total - score.logOdds) <= 1e-9)
            #expect(Set(score.contributions.map(\.feature)) == Set(model.featureNames))
        }
    }

    @Test("the raw-score fast path agrees with full scoring")
    func rawScoreFastPath() throws {
        let model = try LightGBMFixtures.model("model.txt")
        for row in try LightGBMFixtures.inputs().prefix(50) {
            let values = try model.featureValues(row)
            let raw = model.rawScore(values)
            #expect(raw == (try model.score(row)).logOdds)
        }
    }
}
