import Foundation
import PaylaterTime
import PaylaterUnderwriting
import Testing

@Suite("Binning features by weight of evidence")
struct BinningTests {
    /// Options that keep every bin and every feature, so the tables below are exactly what the rules say.
    static var keepEverything: ScorecardTrainingOptions {
        var options = ScorecardTrainingOptions()
        options.minimumInformationValue = 0
        options.minimumRows = 1
        return options
    }

    static func housingTable() throws -> CSVTable {
        // own: 8 good, 2 bad; rent: 3 good, 3 bad; free: 1 good, 3 bad.
        let cells = Array(repeating: ["own", "good"], count: 8) + Array(repeating: ["own", "bad"], count: 2)
            + Array(repeating: ["rent", "good"], count: 3) + Array(repeating: ["rent", "bad"], count: 3)
            + [["free", "good"]] + Array(repeating: ["free", "bad"], count: 3)
        return try CSVTable(parsing: CSVTable.render(header: ["housing", "status"], rows: cells))
    }

    @Test("WOE is ln(%bad/%good) with 0.5 added to each bin's goods and bads; IV sums (%bad − %good)·WOE")
    func handComputedWoeTable() throws {
        let card = try Scorecard.train(table: Self.housingTable(), target: "status", bad: "bad", options: Self.keepEverything)
        let housing = try #require(card.features.first)
        #expect(housing.bins.map(\.match) == [.categories(["free"]), .categories(["own"]), .categories(["rent"])])
        #expect(housing.bins.map(\.goods) == [1, 8, 3])
        #expect(housing.bins.map(\.bads) == [3, 2, 3])
        // 8 bads and 12 goods, plus 0.5 in each of 3 bins: 9.5 and 13.5.
        let expected = [log((3.5 / 9.5) / (1.5 / 13.5)), log((2.5 / 9.5) / (8.5 / 13.5)), log((3.5 / 9.5) / (3.5 / 13.5))]
        for (bin, woe) in zip(housing.bins, expected) { #expect(abs(bin.woe - woe) < 1e-12) }
        #expect(abs(housing.bins[0].woe - 1.1986957472250923) < 1e-12)
        #expect(abs(housing.bins[1].woe - -0.8723775447842272) < 1e-12)
        #expect(abs(housing.informationValue - (0.30843633261932196 + 0.31970171231858624 + 0.03835922351446737)) < 1e-12)
        #expect(housing.coefficient > 0, "with WOE = ln(%bad/%good) a predictive feature gets a positive weight")
        // Every category was common enough, so there is no other bin: an unseen one scores the neutral WOE 0.
        #expect(try card.binIndex(feature: 0, value: .category("boat")) == nil)
        let unseen = try card.score(FeatureRow(["housing": .category("boat")]))
        #expect(unseen.logOdds == card.intercept)
    }

    @Test("numeric bins cover (lower, upper] with inclusive upper bounds at values that occur")
    func numericBoundaries() throws {
        // Bad rate rises with the value: 10 → 1 of 10 bad, 20 → 3 of 10, 30 → 6 of 10.
        var cells: [[String]] = []
        for (value, bads) in [(10, 1), (20, 3), (30, 6)] {
            for index in 0..<10 { cells.append(["\(value)", index < bads ? "bad" : "good"]) }
        }
        let table = try CSVTable(parsing: CSVTable.render(header: ["x", "status"], rows: cells))
        let card = try Scorecard.train(table: table, target: "status", bad: "bad", options: Self.keepEverything)
        let bins = try #require(card.features.first?.bins)
        #expect(bins.map(\.match) == [.range(lower: nil, upper: 10), .range(lower: 10, upper: 20), .range(lower: 20, upper: nil)])
        #expect(bins.map(\.bads) == [1, 3, 6])
        #expect(try card.binIndex(feature: 0, value: .number(20)) == 1)
        #expect(try card.binIndex(feature: 0, value: .number(20.5)) == 2)
        #expect(try card.binIndex(feature: 0, value: .number(-1_000)) == 0)
    }

    @Test("adjacent bins merge until the bad rate is monotonic and each bin is large enough", arguments: [1, 2, 3, 4, 5] as [UInt64])
    func monotonicBins(seed: UInt64) throws {
        var random = SplitMix64(seed: seed)
        var cells: [[String]] = []
        let rows = 2_000
        for _ in 0..<rows {
            let x = random.int(in: 0...999)
            // A wavy, non-monotonic risk so that merging has work to do.
            // Odd seeds rise with x, even seeds fall.
            let trend = seed % 2 == 1 ? Double(x) / 1_000 : 1 - Double(x) / 1_000
            let risk = 0.1 + 0.3 * trend + 0.15 * sin(Double(x) / 60)
            let bad = Double(random.next() % 1_000_000) / 1_000_000 < risk
            cells.append(["\(x)", bad ? "bad" : "good"])
        }
        let table = try CSVTable(parsing: CSVTable.render(header: ["x", "status"], rows: cells))
        let card = try Scorecard.train(table: table, target: "status", bad: "bad", options: Self.keepEverything)
        let bins = try #require(card.features.first?.bins)
        let rates = bins.map(\.badRate)
        let rising = zip(rates, rates.dropFirst()).allSatisfy { $0 <= $1 }
        let falling = zip(rates, rates.dropFirst()).allSatisfy { $0 >= $1 }
        #expect(seed % 2 == 1 ? rising : falling, "seed \(seed): bad rates \(rates)")
        #expect(bins.count >= 2)
        for bin in bins {
            #expect(Double(bin.count) >= 0.05 * Double(rows), "seed \(seed): a bin of \(bin.count) rows")
            #expect(bin.goods >= 1 && bin.bads >= 1)
        }
        #expect(bins.reduce(0) { $0 + $1.count } == rows)
    }

    @Test("rare categories share the other bin; missing values get their own bin when common enough")
    func otherAndMissingBins() throws {
        let table = ScorecardFixtures.synthetic(seed: 7)
        let card = try Scorecard.train(table: table, target: "status", bad: "bad", options: Self.keepEverything)
        let housing = try #require(card.features.first { $0.name == "housing" })
        #expect(housing.bins.map(\.match) == [.categories(["free"]), .categories(["own"]), .categories(["rent"]), .other])
        // About 3% of ages are missing, under the 5% minimum: they join the bin of nearest bad rate.
        let age = try #require(card.features.first { $0.name == "age" })
        #expect(age.bins.filter(\.includesMissing).count == 1)
        #expect(!age.bins.contains { $0.match == .missing })
        // With a 1% minimum they are numerous enough for a bin of their own, the last one.
        var options = Self.keepEverything
        options.minimumBinShare = 0.01
        let fine = try Scorecard.train(table: table, target: "status", bad: "bad", options: options)
        let fineAge = try #require(fine.features.first { $0.name == "age" })
        #expect(fineAge.bins.last?.match == .missing)
        #expect(fineAge.bins.filter(\.includesMissing).count == 1)
    }

    @Test("a feature below the minimum information value is left out of the model")
    func weakFeaturesDropped() throws {
        let card = try Scorecard.train(table: ScorecardFixtures.synthetic(seed: 7), target: "status", bad: "bad")
        #expect(!card.featureNames.contains("noise"))
        #expect(Set(card.featureNames).isSuperset(of: ["age", "income"]))
        for feature in card.features { #expect(feature.informationValue >= 0.02) }
    }
}
