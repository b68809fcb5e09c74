/// One regression tree of a gradient-boosted ensemble, in LightGBM's own array layout.
///
/// Internal nodes are numbered 0..<n (the root is 0) and leaves 0...n; a child entry `c >= 0` names internal node
/// `c`, a negative entry names leaf `~c`. Keeping LightGBM's layout (rather than a node graph) lets the imported
/// numbers be compared one for one with the text file they came from, and makes the JSON artifact a plain copy.
public struct DecisionTree: Sendable, Hashable, Codable {
    /// The feature index (into the ensemble's `featureNames`) each internal node splits on.
    public var splitFeature: [Int]
    /// Numerical nodes: go left when `value <= threshold` (which may be ±infinity). Categorical nodes: the index of the node's bitset in
    /// `catBoundaries`, stored as a whole number.
    public var threshold: [Double]
    /// LightGBM's decision bits per node; see `DecisionType`.
    public var decisionType: [UInt8]
    public var leftChild: [Int]
    public var rightChild: [Int]
    /// Each leaf's output, with the learning rate (and for the first tree the initial score) already folded in.
    public var leafValue: [Double]
    /// The output the tree would give if it stopped at each internal node; used for path attributions only.
    public var internalValue: [Double]
    /// Categorical bitset `k` is `catThreshold[catBoundaries[k]..<catBoundaries[k + 1]]`; empty when the tree
    /// has no categorical split.
    public var catBoundaries: [Int]
    /// 32-bit words of the category bitsets: category `c` goes left when bit `c % 32` of word `c / 32` is set.
    public var catThreshold: [UInt32]

    public init(
        splitFeature: [Int], threshold: [Double], decisionType: [UInt8], leftChild: [Int], rightChild: [Int],
        leafValue: [Double], internalValue: [Double], catBoundaries: [Int] = [], catThreshold: [UInt32] = []
    ) {
        self.splitFeature = splitFeature
        self.threshold = threshold
        self.decisionType = decisionType
        self.leftChild = leftChild
        self.rightChild = rightChild
        self.leafValue = leafValue
        self.internalValue = internalValue
        self.catBoundaries = catBoundaries
        self.catThreshold = catThreshold
    }

    /// A tree that is a single leaf (LightGBM writes these when no split gains anything).
    public static func constant(_ value: Double) -> DecisionTree {
        DecisionTree(
            splitFeature: [], threshold: [], decisionType: [], leftChild: [], rightChild: [], leafValue: [value],
            internalValue: [])
    }

    /// The number of internal (splitting) nodes.
    public var internalNodeCount: Int { leafValue.count - 1 }

    /// The value at the root: the first internal value, or the only leaf's value.
    public var rootValue: Double { internalValue.first ?? leafValue[0] }

    enum CodingKeys: String, CodingKey {
        case splitFeature = "split_feature"
        case threshold
        case decisionType = "decision_type"
        case leftChild = "left_child"
        case rightChild = "right_child"
        case leafValue = "leaf_value"
        case internalValue = "internal_value"
        case catBoundaries = "cat_boundaries"
        case catThreshold = "cat_threshold"
    }
}

/// LightGBM's per-node decision bits (`tree.h`): bit 0 categorical, bit 1 default-left, bits 2–3 the missing type.
public struct DecisionType: Sendable, Hashable {
    /// How a numerical split recognises a missing value.
    public enum MissingType: UInt8, Sendable {
        /// No missing values at training: NaN is read as 0.0 and compared like any number.
        case none = 0
        /// Zero means missing (`zero_as_missing`): NaN and values within ±`kZeroThreshold` take the default side.
        case zero = 1
        /// NaN means missing: NaN takes the default side.
        case nan = 2
    }

    public let rawValue: UInt8

    /// Nil when the bits are not a decision LightGBM can write (missing type 3, or bits above the fourth).
    public init?(rawValue: UInt8) {
        guard rawValue < 16, (rawValue >> 2) & 3 != 3 else { return nil }
        self.rawValue = rawValue
    }

    public var isCategorical: Bool { rawValue & 1 != 0 }
    public var defaultLeft: Bool { rawValue & 2 != 0 }
    public var missingType: MissingType { MissingType(rawValue: (rawValue >> 2) & 3) ?? .none }
}

/// LightGBM's `kZeroThreshold`: the float literal `1e-35f` widened to double, which is what its C++ compares
/// against. Inputs this close to zero are read as exactly zero, and Zero-missing splits treat them as missing.
/// Written as the literal (equal to `Double(Float(1e-35))`) so the constant needs no lazy initialisation.
public let lightGBMZeroThreshold = 1.0000000180025095e-35

extension DecisionTree {
    /// Why the tree cannot be evaluated, or nil when it is well formed: array lengths agree, every child index is
    /// in range, every node is reached exactly once from the root (so evaluation always ends at a leaf), feature
    /// indices are below `featureCount`, values are finite and categorical nodes name an existing bitset.
    func problem(featureCount: Int) -> String? {
        let n = internalNodeCount
        guard n >= 0 else { return "a tree needs at least one leaf" }
        let lengths = [
            ("split_feature", splitFeature.count), ("threshold", threshold.count),
            ("decision_type", decisionType.count), ("left_child", leftChild.count),
            ("right_child", rightChild.count), ("internal_value", internalValue.count),
        ]
        for (name, count) in lengths where count != n {
            return "\(name) has \(count) entries, expected \(n) for \(n + 1) leaves"
        }
        // Thresholds may be ±infinity (LightGBM writes `inf` when a split separates only missing values).
        guard leafValue.allSatisfy(\.isFinite), internalValue.allSatisfy(\.isFinite), !threshold.contains(where: \.isNaN)
        else { return "a leaf or internal value is not finite, or a threshold is NaN" }
        if let problem = categoricalProblem() { return problem }
        for node in 0..<n {
            guard (0..<featureCount).contains(splitFeature[node]) else {
                return "node \(node) splits on feature \(splitFeature[node]), but the model has \(featureCount)"
            }
            guard DecisionType(rawValue: decisionType[node]) != nil else {
                return "node \(node) has the unknown decision type \(decisionType[node])"
            }
        }
        return shapeProblem()
    }

    private func categoricalProblem() -> String? {
        if catBoundaries.isEmpty {
            guard catThreshold.isEmpty else { return "cat_threshold is given without cat_boundaries" }
        } else {
            guard catBoundaries.first == 0, catBoundaries.last == catThreshold.count,
                zip(catBoundaries, catBoundaries.dropFirst()).allSatisfy({ $0 <= $1 })
            else { return "cat_boundaries must rise from 0 to the length of cat_threshold" }
        }
        for node in 0..<internalNodeCount where decisionType[node] & 1 != 0 {
            let index = threshold[node]
            guard index >= 0, index == index.rounded(), index < Double(max(catBoundaries.count - 1, 0)) else {
                return "categorical node \(node) names bitset \(index), but the tree has \(max(catBoundaries.count - 1, 0))"
            }
        }
        return nil
    }

    private func shapeProblem() -> String? {
        let n = internalNodeCount
        guard n > 0 else { return nil }
        var seenNodes = [Bool](repeating: false, count: n)
        var seenLeaves = [Bool](repeating: false, count: n + 1)
        var stack = [0]
        seenNodes[0] = true
        while let node = stack.popLast() {
            for child in [leftChild[node], rightChild[node]] {
                if child >= 0 {
                    guard child < n, !seenNodes[child] else { return "node \(node) has a bad or repeated child \(child)" }
                    seenNodes[child] = true
                    stack.append(child)
                } else {
                    guard ~child <= n, !seenLeaves[~child] else { return "node \(node) has a bad or repeated leaf \(~child)" }
                    seenLeaves[~child] = true
                }
            }
        }
        guard seenNodes.allSatisfy({ $0 }), seenLeaves.allSatisfy({ $0 }) else {
            return "some nodes or leaves cannot be reached from the root"
        }
        return nil
    }
}
