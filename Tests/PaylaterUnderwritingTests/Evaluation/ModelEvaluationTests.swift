import Foundation
import PaylaterUnderwriting
import Testing

@Suite("Evaluating predicted probabilities")
struct ModelEvaluationTests {
    // Riskiest first: bad, good, bad, bad, good, good, bad, good.
    static let probabilities = [0.9, 0.8, 0.7, 0.6, 0.5, 0.4, 0.3, 0.2]
    static let isBad = [true, false, true, true, false, false, true, false]

    @Test("AUC counts the bad–good pairs in the right order: 11 of 16; Gini is 2·AUC − 1")
    func aucByHand() throws {
        let evaluation = try ModelEvaluation(probabilities: Self.probabilities, isBad: Self.isBad)
        #expect(abs(evaluation.auc - 11.0 / 16) < 1e-12)
        #expect(abs(evaluation.gini - (2 * 11.0 / 16 - 1)) < 1e-12)
    }

    @Test("tied probabilities count one half")
    func aucTies() {
        #expect(ModelEvaluation.areaUnderCurve(probabilities: [0.5, 0.5, 0.5], isBad: [true, false, false]) == 0.5)
        #expect(ModelEvaluation.areaUnderCurve(probabilities: [0.4, 0.5, 0.5], isBad: [false, true, false]) == 0.75)
    }

    @Test("AUC equals scikit-learn's roc_auc_score on 200 rows with ties")
    func aucMatchesScikitLearn() throws {
        let table = try ScorecardFixtures.table("auc.csv")
        let expected = try #require(try ScorecardFixtures.json("auc_expected.json")["auc"] as? Double)
        let auc = ModelEvaluation.areaUnderCurve(
            probabilities: table.rows.map { Double($0[0])! }, isBad: table.rows.map { $0[1] == "1" })
        #expect(abs(auc - expected) < 1e-12)
    }

    @Test("KS is the largest gap between cumulative bad and good shares: 3/4 − 1/4 after the fourth row")
    func ksByHand() throws {
        let evaluation = try ModelEvaluation(probabilities: Self.probabilities, isBad: Self.isBad)
        #expect(abs(evaluation.ks - 0.5) < 1e-12)
    }

    @Test("calibration bands split the rows by predicted probability, safest first")
    func calibration() throws {
        let evaluation = try ModelEvaluation(probabilities: Self.probabilities, isBad: Self.isBad, bandCount: 4)
        #expect(evaluation.calibration.map(\.count) == [2, 2, 2, 2])
        #expect(evaluation.calibration.map(\.bads) == [1, 0, 2, 1])
        #expect(abs(evaluation.calibration[0].meanPredicted - 0.25) < 1e-12)
        #expect(evaluation.calibration[3].observedBadRate == 0.5)
        // Brier: mean of (p − y)².
        let brier = zip(Self.probabilities, Self.isBad).map { ($0 - ($1 ? 1 : 0)) * ($0 - ($1 ? 1 : 0)) }.reduce(0, +) / 8
        #expect(abs(evaluation.brier - brier) < 1e-12)
    }

    @Test("outcomes of one class, mismatched lengths and impossible probabilities are refused")
    func refused() {
        #expect(throws: EvaluationError.noBads) { try ModelEvaluation(probabilities: [0.1, 0.2], isBad: [false, false]) }
        #expect(throws: EvaluationError.lengthMismatch(probabilities: 1, labels: 2)) {
            try ModelEvaluation(probabilities: [0.1], isBad: [false, true])
        }
        #expect(throws: EvaluationError.probabilityOutOfRange(row: 1, value: 1.5)) {
            try ModelEvaluation(probabilities: [0.1, 1.5], isBad: [false, true])
        }
    }
}

@Suite("Population stability")
struct PopulationStabilityTests {
    @Test("PSI over the expected quintiles: shares 40/20/10/10/20% against 20% each give 0.4·ln 2")
    func psiByHand() throws {
        let expected = (1...10).map(Double.init)
        let actual: [Double] = [1, 1, 1, 1, 3, 3, 5, 7, 9, 10]
        let psi = try PopulationStability(expected: expected, actual: actual, binCount: 5)
        #expect(psi.bins.map(\.upper) == [2, 4, 6, 8, nil])
        #expect(psi.bins.map(\.actualCount) == [4, 2, 1, 1, 2])
        #expect(abs(psi.index - 0.4 * log(2.0)) < 1e-12)
    }

    @Test("an empty bin counts as half a row so the index stays finite")
    func emptyBin() throws {
        let psi = try PopulationStability(expected: (1...10).map(Double.init), actual: [1, 1, 2, 2, 3, 4, 5, 6, 7, 8], binCount: 5)
        #expect(psi.bins.last?.actualCount == 0)
        #expect(psi.bins.last?.actualShare == 0.05)
        let last = (0.05 - 0.2) * log(0.05 / 0.2)
        let terms = (0.4 - 0.2) * log(2.0) + last  // 4, 2, 2, 2, 0 rows
        #expect(abs(psi.index - terms) < 1e-12)
    }

    @Test("identical distributions are perfectly stable")
    func identical() throws {
        let scores = (0..<100).map { Double($0) / 100 }
        #expect(try PopulationStability(expected: scores, actual: scores).index == 0)
    }
}

@Suite("The evaluation report")
struct EvaluationReportTests {
    @Test("a scorecard's report has discrimination, calibration, feature IVs and stability, as text and JSON")
    func report() throws {
        let training = ScorecardFixtures.synthetic(seed: 21)
        let holdout = ScorecardFixtures.synthetic(seed: 22)
        let card = try Scorecard.train(table: training, target: "status", bad: "bad")
        let reference = try training.featureRows(excluding: ["status"]).map { try card.score($0).probabilityOfBad }
        let report = try EvaluationReport.evaluate(
            model: card, table: holdout, target: card.target, referenceProbabilities: reference)
        #expect(report.evaluation.auc > 0.6)
        #expect(report.features.map(\.feature) == card.featureNames)
        #expect(try #require(report.stability).index < 0.1, "two samples of one population are stable")
        let text = report.text()
        #expect(text.contains("AUC "))
        #expect(text.contains("Population stability index"))
        let lines = text.split(separator: "\n")
        let header = try #require(lines.first { $0.hasPrefix("band") })
        let firstBand = try #require(lines.first { $0.hasPrefix("1 ") })
        #expect(header.count == firstBand.count, "columns are aligned")
        let json = try JSONSerialization.jsonObject(with: report.jsonData()) as? [String: Any]
        #expect(json?["evaluation"] != nil)
        print(text)
    }

    @Test("a row that cannot be scored is reported with its line")
    func scoringErrorLine() throws {
        let card = try Scorecard.train(table: ScorecardFixtures.synthetic(seed: 21), target: "status", bad: "bad")
        let table = try CSVTable(parsing: "age,income,housing,noise,status\n30,5000,own,1,good\nold,5000,own,1,bad\n")
        #expect(throws: EvaluationError.scoring(line: 3, .notANumber(feature: "age", value: "old"))) {
            try EvaluationReport.evaluate(model: card, table: table, target: card.target)
        }
    }
}
