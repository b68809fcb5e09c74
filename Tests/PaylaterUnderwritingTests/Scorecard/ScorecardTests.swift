import Foundation
import PaylaterUnderwriting
import Testing

@Suite("Scoring with a scorecard")
struct ScorecardScoringTests {
    /// age: (-inf, 25] woe 0.5 (40 rows), (25, +inf) woe −0.3 (60 rows), no missing bin;
    /// housing: own woe −0.2 (50 rows), other 0.4 (30 rows), missing 0.1 (20 rows).
    static let handMade: Scorecard = {
        let scaling = ScorecardScaling()
        func bin(_ match: BinMatch, _ woe: Double, _ coefficient: Double, goods: Int, bads: Int) -> ScorecardBin {
            ScorecardBin(match: match, includesMissing: false, woe: woe, points: -scaling.factor * coefficient * woe, goods: goods, bads: bads)
        }
        return Scorecard(
            identity: ModelIdentity(name: "hand", version: "1"), target: BinaryTarget(column: "status", bad: "bad"),
            scaling: scaling, intercept: -2,
            features: [
                ScorecardFeature(name: "age", kind: .numeric, coefficient: 1, informationValue: 0.1, bins: [
                    bin(.range(lower: nil, upper: 25), 0.5, 1, goods: 30, bads: 10),
                    bin(.range(lower: 25, upper: nil), -0.3, 1, goods: 55, bads: 5),
                ]),
                ScorecardFeature(name: "housing", kind: .categorical, coefficient: 0.8, informationValue: 0.1, bins: [
                    bin(.categories(["own"]), -0.2, 0.8, goods: 45, bads: 5),
                    bin(.other, 0.4, 0.8, goods: 20, bads: 10),
                    bin(.missing, 0.1, 0.8, goods: 15, bads: 5),
                ]),
            ])
    }()

    @Test("probability = logistic(intercept + Σ coefficient·woe); an upper bound is inclusive")
    func logOddsAndProbability() throws {
        let young = try Self.handMade.score(FeatureRow(["age": .number(25), "housing": .category("own")]))
        #expect(abs(young.logOdds - (-2 + 0.5 - 0.8 * 0.2)) < 1e-12)
        #expect(young.probabilityOfBad == logistic(young.logOdds))
        let older = try Self.handMade.score(FeatureRow(["age": .number(25.01), "housing": .category("own")]))
        #expect(abs(older.logOdds - (-2 - 0.3 - 0.8 * 0.2)) < 1e-12)
    }

    @Test("points = offset − factor·log-odds, equal to base points plus the bins' points")
    func points() throws {
        let card = Self.handMade
        let score = try card.score(FeatureRow(["age": .number(40), "housing": .category("own")]))
        let factor = 20 / log(2.0)
        #expect(abs(try #require(score.points) - (600 - factor * log(50) - factor * score.logOdds)) < 1e-9)
        #expect(abs(try #require(score.points) - (card.basePoints + card.features[0].bins[1].points + card.features[1].bins[0].points)) < 1e-9)
    }

    @Test("an applicant at the base odds scores the base score; doubling the good odds adds the PDO")
    func scalingKnownAnswer() throws {
        let atBase = Scorecard(
            identity: ModelIdentity(name: "flat", version: "1"), target: BinaryTarget(column: "y", bad: "1"),
            scaling: ScorecardScaling(), intercept: -log(50), features: [])
        let doubled = Scorecard(
            identity: ModelIdentity(name: "flat", version: "1"), target: BinaryTarget(column: "y", bad: "1"),
            scaling: ScorecardScaling(), intercept: -log(100), features: [])
        let base = try #require(try atBase.score(FeatureRow()).points)
        let better = try #require(try doubled.score(FeatureRow()).points)
        #expect(abs(base - 600) < 1e-9)
        #expect(abs(better - 620) < 1e-9)
    }

    @Test("an unseen category scores in the other bin; a missing value in the missing bin")
    func unseenAndMissingCategories() throws {
        let card = Self.handMade
        #expect(try card.binIndex(feature: 1, value: .category("castle")) == 1)
        #expect(try card.binIndex(feature: 1, value: .missing) == 2)
        #expect(try card.binIndex(feature: 1, value: .number(3)) == 1, "a number read as a category label")
    }

    @Test("a missing value with no missing bin scores the neutral weight of evidence 0 and 0 points")
    func missingWithoutBin() throws {
        let card = Self.handMade
        let score = try card.score(FeatureRow(["housing": .category("own")]))
        #expect(abs(score.logOdds - (-2 - 0.8 * 0.2)) < 1e-12)
        #expect(abs(try #require(score.points) - (card.basePoints + card.features[1].bins[0].points)) < 1e-9)
    }

    @Test("a category where a number is needed is refused")
    func notANumber() {
        #expect(throws: ScoringError.notANumber(feature: "age", value: "old")) {
            try Self.handMade.score(FeatureRow(["age": .category("old")]))
        }
    }

    @Test("contributions are coefficient·(woe − the training average woe): positive is riskier than typical")
    func contributions() throws {
        let score = try Self.handMade.score(FeatureRow(["age": .number(20), "housing": .category("castle")]))
        let ageAverage = (40 * 0.5 + 60 * -0.3) / 100
        let housingAverage = (50 * -0.2 + 30 * 0.4 + 20 * 0.1) / 100
        let byName = Dictionary(uniqueKeysWithValues: score.contributions.map { ($0.feature, $0.logOdds) })
        #expect(abs(try #require(byName["age"]) - (0.5 - ageAverage)) < 1e-12)
        #expect(abs(try #require(byName["housing"]) - 0.8 * (0.4 - housingAverage)) < 1e-12)
        // age: 0.5 − 0.08 = 0.42; housing: 0.8 · (0.4 − 0.04) = 0.288; largest first.
        #expect(score.contributions.map(\.feature) == ["age", "housing"])
    }
}

@Suite("The scorecard JSON document")
struct ScorecardDocumentTests {
    @Test("a round-tripped scorecard scores every row identically and re-encodes to the same bytes")
    func roundTrip() throws {
        let table = ScorecardFixtures.synthetic(seed: 11)
        let card = try Scorecard.train(table: table, target: "status", bad: "bad")
        let bytes = try card.jsonData()
        let loaded = try Scorecard(json: bytes)
        #expect(loaded == card)
        #expect(try loaded.jsonData() == bytes)
        for row in table.featureRows(excluding: ["status"]) {
            let original = try card.score(row)
            let reloaded = try loaded.score(row)
            #expect(original == reloaded)
        }
    }

    @Test("the document names its format, scaling, target and bins in readable keys")
    func documentShape() throws {
        let card = try Scorecard.train(table: ScorecardFixtures.synthetic(seed: 11), target: "status", bad: "bad")
        let object = try JSONSerialization.jsonObject(with: card.jsonData()) as? [String: Any]
        let document = try #require(object)
        #expect(document["format"] as? String == "paylater-scorecard")
        #expect(document["format_version"] as? Int == 1)
        #expect(document["scaling"] as? [String: Double] == ["base_score": 600, "base_odds": 50, "pdo": 20])
        let features = try #require(document["features"] as? [[String: Any]])
        let age = try #require(features.first { $0["name"] as? String == "age" })
        #expect(age["kind"] as? String == "numeric")
        let bins = try #require(age["bins"] as? [[String: Any]])
        let firstRange = try #require(bins.first?["range"] as? [String: Any])
        #expect(firstRange["lower"] is NSNull)
        #expect(bins.first?["bad_rate"] is Double)
        let text = String(decoding: try card.jsonData(), as: UTF8.self)
        #expect(text.contains("\"information_value\""))
    }

    @Test("a document of another format is refused")
    func wrongFormat() throws {
        let card = try Scorecard.train(table: ScorecardFixtures.synthetic(seed: 11), target: "status", bad: "bad")
        let text = String(decoding: try card.jsonData(), as: UTF8.self).replacingOccurrences(of: "paylater-scorecard", with: "other")
        #expect(throws: DecodingError.self) { try Scorecard(json: Data(text.utf8)) }
    }
}

@Suite("Training a scorecard refuses bad input")
struct ScorecardTrainingErrorTests {
    static func table(_ text: String) throws -> CSVTable { try CSVTable(parsing: text) }

    @Test("the target column must exist")
    func missingTarget() throws {
        #expect(throws: ScorecardTrainingError.target(.missingColumn("status"))) {
            try Scorecard.train(table: Self.table("x,y\n1,bad\n"), target: "status", bad: "bad")
        }
    }

    @Test("an empty target cell is refused with its line")
    func emptyTarget() throws {
        #expect(throws: ScorecardTrainingError.target(.emptyCell(line: 3))) {
            try Scorecard.train(table: Self.table("x,status\n1,bad\n2,\n"), target: "status", bad: "bad")
        }
    }

    @Test("a target value that is neither bad nor good is refused with its line")
    func unexpectedTarget() throws {
        #expect(throws: ScorecardTrainingError.target(.unexpectedValue(line: 4, value: "maybe"))) {
            try Scorecard.train(table: Self.table("x,status\n1,bad\n2,good\n3,maybe\n"), target: "status", bad: "bad", good: ["good"])
        }
    }

    @Test("a target with no bads or no goods teaches nothing")
    func oneClass() throws {
        #expect(throws: ScorecardTrainingError.target(.noBads)) {
            try Scorecard.train(table: Self.table("x,status\n1,good\n2,good\n"), target: "status", bad: "bad")
        }
        #expect(throws: ScorecardTrainingError.target(.noGoods)) {
            try Scorecard.train(table: Self.table("x,status\n1,bad\n2,bad\n"), target: "status", bad: "bad")
        }
    }

    @Test("an excluded or categorical column the table does not have is refused, never ignored")
    func unknownNamedColumns() throws {
        let table = try Self.table("x,fold,status\n1,1,bad\n2,2,good\n")
        var options = ScorecardTrainingOptions()
        options.excludedColumns = ["folds"]
        #expect(throws: ScorecardTrainingError.unknownExcludedColumn("folds")) {
            try Scorecard.train(table: table, target: "status", bad: "bad", options: options)
        }
        options.excludedColumns = ["fold"]
        options.categoricalColumns = ["nocol"]
        #expect(throws: ScorecardTrainingError.unknownCategoricalColumn("nocol")) {
            try Scorecard.train(table: table, target: "status", bad: "bad", options: options)
        }
    }

    @Test("too few rows are refused")
    func tooFewRows() throws {
        #expect(throws: ScorecardTrainingError.tooFewRows(found: 2, minimum: 30)) {
            try Scorecard.train(table: Self.table("x,status\n1,bad\n2,good\n"), target: "status", bad: "bad")
        }
    }

    @Test("no feature with enough information value is an error naming each feature's value")
    func noUsableFeature() throws {
        let cells = (0..<100).map { ["\($0 % 2)", $0 % 4 < 2 ? "bad" : "good"] }
        let table = try CSVTable(parsing: CSVTable.render(header: ["x", "status"], rows: cells))
        #expect(throws: ScorecardTrainingError.self) { try Scorecard.train(table: table, target: "status", bad: "bad") }
        do {
            _ = try Scorecard.train(table: table, target: "status", bad: "bad")
        } catch {
            guard case .noUsableFeature(let values) = error else {
                Issue.record("unexpected \(error)")
                return
            }
            #expect(values.keys.sorted() == ["x"])
        }
    }
}
