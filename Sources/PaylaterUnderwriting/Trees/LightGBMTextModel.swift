/// A binary LightGBM model read from the text format that `Booster.save_model` writes.
///
/// Only what scoring needs is kept: feature names, the sigmoid parameter and each tree's arrays. Numbers are read
/// with `Double(String)`, which rounds correctly, and LightGBM prints thresholds and leaf values with 17 significant
/// digits, so every imported double is bit-identical to the one LightGBM holds in memory.
struct LightGBMTextModel: Sendable {
    var featureNames: [String]
    var sigmoid: Double
    var trees: [DecisionTree]

    /// Versions whose tree blocks share the layout read here.
    static let supportedVersions: Set<String> = ["v2", "v3", "v4"]

    init(parsing text: String) throws(LightGBMImportError) {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map { line in
            line.hasSuffix("\r") ? String(line.dropLast()) : String(line)
        }
        guard let end = lines.firstIndex(of: "end of trees") else {
            throw .truncated(line: lines.last == "" ? max(lines.count - 1, 1) : lines.count)
        }
        guard lines.first == "tree" else { throw .notATreeModel(line: 1) }
        var cursor = 1
        let header = Section(lines: lines, from: &cursor, end: end, startLine: 1)
        let featureNames = try Self.readHeader(header)
        self.featureNames = featureNames
        self.sigmoid = try Self.readObjective(header)
        var trees: [DecisionTree] = []
        var categorical: [Bool?] = Array(repeating: nil, count: featureNames.count)
        while cursor < end {
            let startLine = cursor + 1
            guard lines[cursor] == "Tree=\(trees.count)" else {
                throw .malformedValue(key: "Tree", value: lines[cursor], line: startLine)
            }
            cursor += 1
            let block = Section(lines: lines, from: &cursor, end: end, startLine: startLine)
            let tree = try Self.readTree(block, index: trees.count, featureCount: featureNames.count)
            for (feature, type) in zip(tree.splitFeature, tree.decisionType) {
                guard categorical[feature] == nil || categorical[feature] == (type & 1 != 0) else {
                    throw .inconsistentModel(
                        "tree \(trees.count) splits on \(featureNames[feature]) both as a number and a category",
                        line: startLine)
                }
                categorical[feature] = type & 1 != 0
            }
            trees.append(tree)
        }
        self.trees = trees
    }

    /// Checks the header and returns the feature names.
    private static func readHeader(_ header: Section) throws(LightGBMImportError) -> [String] {
        let (version, versionLine) = try header.value("version")
        guard supportedVersions.contains(version) else { throw .unsupportedVersion(version, line: versionLine) }
        for key in ["num_class", "num_tree_per_iteration"] {
            let classes = try header.integer(key)
            guard classes == 1 else { throw .multiclass(numClass: classes, line: try header.value(key).line) }
        }
        if let line = header.lineOf("average_output") {
            throw .unsupportedFeature("averaged output (random forest mode)", line: line)
        }
        let (names, namesLine) = try header.value("feature_names")
        let featureNames = names.split(separator: " ").map(String.init)
        let maxIndex = try header.integer("max_feature_idx")
        guard featureNames.count == maxIndex + 1, Set(featureNames).count == featureNames.count else {
            throw .wrongCount(key: "feature_names", expected: maxIndex + 1, found: featureNames.count, line: namesLine)
        }
        return featureNames
    }

    /// Accepts `binary` (with an optional `sigmoid:`) and returns the sigmoid parameter.
    private static func readObjective(_ header: Section) throws(LightGBMImportError) -> Double {
        let (objective, line) = try header.value("objective")
        let words = objective.split(separator: " ")
        guard words.first == "binary" else { throw .unsupportedObjective(objective, line: line) }
        var sigmoid = 1.0
        for word in words.dropFirst() where word.hasPrefix("sigmoid:") {
            guard let value = Double(word.dropFirst("sigmoid:".count)), value.isFinite, value > 0 else {
                throw .malformedValue(key: "objective", value: objective, line: line)
            }
            sigmoid = value
        }
        return sigmoid
    }

    private static func readTree(_ block: Section, index: Int, featureCount: Int) throws(LightGBMImportError)
        -> DecisionTree
    {
        if let line = block.lineOf("is_linear"), try block.integer("is_linear") != 0 {
            throw .unsupportedFeature("linear trees (is_linear=1)", line: line)
        }
        let leafCount = try block.integer("num_leaves")
        guard leafCount >= 1 else {
            throw .malformedValue(key: "num_leaves", value: "\(leafCount)", line: try block.value("num_leaves").line)
        }
        let leafValues: [Double] = try block.list("leaf_value", count: leafCount)
        guard leafCount > 1 else { return .constant(leafValues[0]) }
        let n = leafCount - 1
        let catCount = try block.integer("num_cat")
        var tree = DecisionTree(
            splitFeature: try block.list("split_feature", count: n),
            threshold: try block.list("threshold", count: n),
            decisionType: try block.list("decision_type", count: n),
            leftChild: try block.list("left_child", count: n),
            rightChild: try block.list("right_child", count: n),
            leafValue: leafValues,
            internalValue: try block.list("internal_value", count: n))
        if catCount > 0 {
            tree.catBoundaries = try block.list("cat_boundaries", count: catCount + 1)
            let wordCount = tree.catBoundaries.last ?? 0
            tree.catThreshold = try block.list("cat_threshold", count: wordCount)
        }
        if let problem = tree.problem(featureCount: featureCount) {
            throw .invalidTree(index: index, problem: problem, line: block.startLine)
        }
        return tree
    }
}

/// The `key=value` lines of the header or of one `Tree=` block, with the line each came from.
private struct Section {
    let startLine: Int
    private var entries: [String: (value: String, line: Int)] = [:]

    /// Reads from `cursor` up to the next `Tree=` line or `end`, leaving `cursor` there. Blank lines and lines
    /// without `=` are skipped, as LightGBM's own reader does.
    init(lines: [String], from cursor: inout Int, end: Int, startLine: Int) {
        self.startLine = startLine
        while cursor < end, !lines[cursor].hasPrefix("Tree=") {
            if let equals = lines[cursor].firstIndex(of: "=") {
                let key = String(lines[cursor][..<equals])
                entries[key] = (String(lines[cursor][lines[cursor].index(after: equals)...]), cursor + 1)
            }
            cursor += 1
        }
    }

    func lineOf(_ key: String) -> Int? { entries[key]?.line }

    func value(_ key: String) throws(LightGBMImportError) -> (value: String, line: Int) {
        guard let entry = entries[key] else { throw .missingKey(key, line: startLine) }
        return entry
    }

    func integer(_ key: String) throws(LightGBMImportError) -> Int {
        let (text, line) = try value(key)
        guard let number = Int(text) else { throw .malformedValue(key: key, value: text, line: line) }
        return number
    }

    /// A space-separated list of exactly `count` numbers.
    func list<Number: LosslessStringConvertible>(_ key: String, count: Int) throws(LightGBMImportError) -> [Number] {
        let (text, line) = try value(key)
        var numbers: [Number] = []
        for word in text.split(separator: " ") {
            guard let number = Number(String(word)) else {
                throw .malformedValue(key: key, value: String(word), line: line)
            }
            numbers.append(number)
        }
        guard numbers.count == count else { throw .wrongCount(key: key, expected: count, found: numbers.count, line: line) }
        return numbers
    }
}
