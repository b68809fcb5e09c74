import Foundation
import PaylaterUnderwriting
import Testing

@Suite("L2-penalised logistic regression by Newton–Raphson")
struct LogisticRegressionTests {
    @Test("coefficients equal scikit-learn's LogisticRegression(C=0.5, lbfgs) within 1e-6")
    func matchesScikitLearn() throws {
        let table = try ScorecardFixtures.table("logistic.csv")
        let expected = try ScorecardFixtures.json("logistic_expected.json")
        let rows = table.rows.map { $0.dropLast().map { Double($0)! } }
        let isBad = table.rows.map { $0.last == "1" }
        let fit = try LogisticRegression.fit(rows: rows, isBad: isBad, l2Penalty: try #require(expected["l2_penalty"] as? Double))
        let coefficients = try #require(expected["coefficients"] as? [Double])
        #expect(abs(fit.intercept - (try #require(expected["intercept"] as? Double))) < 1e-6)
        for (mine, theirs) in zip(fit.coefficients, coefficients) { #expect(abs(mine - theirs) < 1e-6) }
        #expect(fit.iterations < 20, "Newton–Raphson converges in a handful of steps")
    }

    @Test("the same data gives the same bits")
    func deterministic() throws {
        let table = try ScorecardFixtures.table("logistic.csv")
        let rows = table.rows.map { $0.dropLast().map { Double($0)! } }
        let isBad = table.rows.map { $0.last == "1" }
        let first = try LogisticRegression.fit(rows: rows, isBad: isBad, l2Penalty: 1)
        let second = try LogisticRegression.fit(rows: rows, isBad: isBad, l2Penalty: 1)
        #expect(first == second)
    }

    @Test("stopping before convergence is an error that says how far it got")
    func notConverged() {
        #expect(throws: LogisticRegressionError.self) {
            try LogisticRegression.fit(rows: [[0], [1], [2], [3]], isBad: [false, true, false, true], l2Penalty: 1, maximumIterations: 0)
        }
    }

    @Test("duplicated inputs without a penalty are collinear")
    func singular() {
        #expect(throws: LogisticRegressionError.singular) {
            try LogisticRegression.fit(rows: [[0, 0], [1, 1], [2, 2], [3, 3]], isBad: [false, true, false, true], l2Penalty: 0)
        }
    }
}
