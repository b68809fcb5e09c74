import Foundation
import PaylaterTime
import PaylaterUnderwriting

/// The committed fixture files of the scorecard tests (written by tools/scorecard_fixtures.py and
/// tools/scorecard_benchmark.py), found next to this source file.
enum ScorecardFixtures {
    static let directory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures").appendingPathComponent("scorecard")

    static func text(_ name: String) throws -> String {
        try String(contentsOf: directory.appendingPathComponent(name), encoding: .utf8)
    }

    static func table(_ name: String) throws -> CSVTable {
        try CSVTable(parsing: text(name))
    }

    static func json(_ name: String) throws -> [String: Any] {
        let data = try Data(contentsOf: directory.appendingPathComponent(name))
        return try JSONSerialization.jsonObject(with: data) as? [String: Any] ?? [:]
    }

    /// A table holding `rows` of `table`, in order.
    static func subset(_ table: CSVTable, where include: (Int) -> Bool) throws -> CSVTable {
        try CSVTable(parsing: CSVTable.render(header: table.header, rows: table.rows.indices.filter(include).map { table.rows[$0] }))
    }

    /// Seeded applicants: `age` (numeric, 3% missing), `income` (numeric), `housing` (own/rent/free and a rare
    /// "boat"), `noise` (unrelated to the outcome), and `status` bad/good; older, richer owners are safer.
    static func synthetic(seed: UInt64, rows: Int = 1_000) -> CSVTable {
        var random = SplitMix64(seed: seed)
        var cells: [[String]] = []
        for _ in 0..<rows {
            let age = random.int(in: 18...75)
            let income = random.int(in: 10...120) * 100
            let housing = random.chance(percent: 1) ? "boat" : random.element(of: ["own", "own", "rent", "free"])
            let noise = random.int(in: 0...9)
            var logOdds = 1.5 - 0.04 * Double(age) - 0.0002 * Double(income)
            logOdds += housing == "own" ? -0.5 : (housing == "free" ? 0.6 : 0.2)
            let bad = Double(random.next() % 1_000_000) / 1_000_000 < 1 / (1 + exp(-logOdds))
            let ageCell = random.chance(percent: 3) ? "" : "\(age)"
            cells.append([ageCell, "\(income)", housing, "\(noise)", bad ? "bad" : "good"])
        }
        return try! CSVTable(parsing: CSVTable.render(header: ["age", "income", "housing", "noise", "status"], rows: cells))
    }
}
