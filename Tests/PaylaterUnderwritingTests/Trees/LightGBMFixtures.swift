import Foundation
import PaylaterUnderwriting

/// The files `tools/lightgbm_fixture.py` writes: models saved by LightGBM, rows to score, and LightGBM's answers.
enum LightGBMFixtures {
    static let directory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures").appendingPathComponent("lightgbm")

    static func text(_ name: String) throws -> String {
        try String(contentsOf: directory.appendingPathComponent(name), encoding: .utf8)
    }

    static func model(_ name: String) throws -> TreeEnsemble {
        try TreeEnsemble(lightGBMText: try text(name), name: name, version: "fixture")
    }

    /// The input rows, keyed by column name, without the `id` column.
    static func inputs() throws -> [FeatureRow] {
        try CSVTable(parsing: try text("inputs.csv")).featureRows(excluding: ["id"])
    }

    /// One column of `expected.csv` as doubles (written with `repr`, so exact).
    static func expected(_ column: String) throws -> [Double] {
        let table = try CSVTable(parsing: try text("expected.csv"))
        let index = try table.columnIndex(column)
        return table.rows.map { Double($0[index]) ?? .nan }
    }
}

/// A two-feature model written by hand (`x` numerical, `c` categorical) for rules the fixtures may not reach:
/// a single-leaf tree worth -0.5, then a tree splitting `x <= threshold` (left: leaf 0.1) and, on the right,
/// `c` in {0, 2, 32} (left: leaf 0.2, right: leaf 0.3).
func handWrittenModel(
    numericalDecisionType: Int = 10, threshold: String = "2.5", categoricalDecisionType: Int = 9,
    header: [String: String] = [:], treeOverrides: [String: String] = [:]
) -> String {
    var headerLines = [
        ("version", "v4"), ("num_class", "1"), ("num_tree_per_iteration", "1"), ("label_index", "0"),
        ("max_feature_idx", "1"), ("objective", "binary sigmoid:1"), ("feature_names", "x c"),
        ("feature_infos", "[0:10] 0:1:2"),
    ]
    headerLines = headerLines.map { ($0.0, header[$0.0] ?? $0.1) }
    var tree = [
        ("num_leaves", "3"), ("num_cat", "1"), ("split_feature", "0 1"), ("split_gain", "1 1"),
        ("threshold", "\(threshold) 0"), ("decision_type", "\(numericalDecisionType) \(categoricalDecisionType)"),
        ("left_child", "-1 -2"), ("right_child", "1 -3"), ("leaf_value", "0.1 0.2 0.3"), ("leaf_weight", "1 1 1"),
        ("leaf_count", "1 1 1"), ("internal_value", "0.2 0.25"), ("internal_weight", "3 2"),
        ("internal_count", "3 2"), ("cat_boundaries", "0 2"), ("cat_threshold", "5 1"), ("is_linear", "0"),
        ("shrinkage", "0.05"),
    ]
    tree = tree.map { ($0.0, treeOverrides[$0.0] ?? $0.1) }
    let constant = [
        "num_leaves=1", "num_cat=0", "split_feature=", "split_gain=", "threshold=", "decision_type=", "left_child=",
        "right_child=", "leaf_value=-0.5", "leaf_weight=", "leaf_count=", "internal_value=", "internal_weight=",
        "internal_count=", "is_linear=0", "shrinkage=1",
    ]
    let lines =
        ["tree"] + headerLines.map { "\($0.0)=\($0.1)" } + ["", "Tree=0"] + constant + ["", "", "Tree=1"]
        + tree.map { "\($0.0)=\($0.1)" } + ["", "", "end of trees", "", "feature_importances:", "x=1", "c=1", ""]
    return lines.joined(separator: "\n")
}

/// The 1-based line of the first line of `text` that starts with `prefix`, at or after line `after`.
func lineNumber(of prefix: String, in text: String, after: Int = 1) -> Int? {
    let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
    return lines.indices.first { $0 + 1 >= after && lines[$0].hasPrefix(prefix) }.map { $0 + 1 }
}
