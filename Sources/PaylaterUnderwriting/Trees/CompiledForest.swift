/// Every tree of an ensemble flattened into shared arrays (structure of arrays), for fast scoring.
///
/// Node and leaf indices are global across trees, so one walk reads a handful of contiguous arrays instead of
/// chasing per-tree objects: 500 trees score in microseconds. Built only from trees that passed
/// `DecisionTree.problem(featureCount:)`, so every walk ends at a leaf.
struct CompiledForest: Sendable {
    /// Per tree: the global index of its root node, or `~leaf` for a single-leaf tree.
    private var roots: [Int32] = []
    private var feature: [Int32] = []
    private var threshold: [Double] = []
    private var decision: [UInt8] = []
    /// Children as global node indices, or `~leaf` with a global leaf index.
    private var left: [Int32] = []
    private var right: [Int32] = []
    private var nodeValue: [Double] = []
    /// Categorical nodes: where their bitset starts in `bits`, and how many words it has.
    private var bitsStart: [Int32] = []
    private var bitsCount: [Int32] = []
    private var bits: [UInt32] = []
    private var leafValue: [Double] = []

    init(trees: [DecisionTree]) {
        for tree in trees {
            let nodeBase = Int32(feature.count)
            let leafBase = Int32(leafValue.count)
            let bitsBase = Int32(bits.count)
            func global(_ child: Int) -> Int32 { child >= 0 ? nodeBase + Int32(child) : ~(leafBase + Int32(~child)) }
            roots.append(tree.internalNodeCount > 0 ? nodeBase : ~leafBase)
            for node in 0..<tree.internalNodeCount {
                feature.append(Int32(tree.splitFeature[node]))
                threshold.append(tree.threshold[node])
                decision.append(tree.decisionType[node])
                left.append(global(tree.leftChild[node]))
                right.append(global(tree.rightChild[node]))
                nodeValue.append(tree.internalValue[node])
                if tree.decisionType[node] & 1 != 0 {
                    let set = Int(tree.threshold[node])
                    bitsStart.append(bitsBase + Int32(tree.catBoundaries[set]))
                    bitsCount.append(Int32(tree.catBoundaries[set + 1] - tree.catBoundaries[set]))
                } else {
                    bitsStart.append(0)
                    bitsCount.append(0)
                }
            }
            leafValue += tree.leafValue
            bits += tree.catThreshold
        }
    }

    /// The raw score: leaf values summed tree by tree in file order, as LightGBM adds them.
    /// - Parameter values: one value per feature, NaN for missing, already normalised by `lightGBMInput`.
    func rawScore(_ values: UnsafeBufferPointer<Double>) -> Double {
        withWalker { walker in
            var sum = 0.0
            for root in walker.roots {
                var node = root
                while node >= 0 { node = walker.next(Int(node), values) }
                sum += walker.leafValue[Int(~node)]
            }
            return sum
        }
    }

    /// The raw score and each feature's Saabas attribution: along every path, the feature split on gets the value
    /// of the child taken minus the value of the node. The attributions plus `baseline` add up to the raw score.
    func rawScoreAndAttributions(_ values: UnsafeBufferPointer<Double>) -> (raw: Double, attributions: [Double]) {
        var attributions = [Double](repeating: 0, count: values.count)
        let sum = attributions.withUnsafeMutableBufferPointer { attributions in
            withWalker { walker in
                var sum = 0.0
                for root in walker.roots {
                    var node = root
                    while node >= 0 {
                        let parent = Int(node)
                        node = walker.next(parent, values)
                        let childValue = node >= 0 ? walker.nodeValue[Int(node)] : walker.leafValue[Int(~node)]
                        attributions[Int(walker.feature[parent])] += childValue - walker.nodeValue[parent]
                    }
                    sum += walker.leafValue[Int(~node)]
                }
                return sum
            }
        }
        return (sum, attributions)
    }

    /// The sum of every tree's root value: the score a row gets before any split looks at it.
    var baseline: Double {
        roots.reduce(0.0) { $0 + ($1 >= 0 ? nodeValue[Int($1)] : leafValue[Int(~$1)]) }
    }

    /// Lends the arrays as buffer pointers for one walk, so the inner loop pays no per-access array overhead
    /// (which dominates in debug builds).
    private func withWalker<Result>(_ body: (Walker) -> Result) -> Result {
        roots.withUnsafeBufferPointer { roots in
            feature.withUnsafeBufferPointer { feature in
                threshold.withUnsafeBufferPointer { threshold in
                    decision.withUnsafeBufferPointer { decision in
                        left.withUnsafeBufferPointer { left in
                            right.withUnsafeBufferPointer { right in
                                nodeValue.withUnsafeBufferPointer { nodeValue in
                                    bitsStart.withUnsafeBufferPointer { bitsStart in
                                        bitsCount.withUnsafeBufferPointer { bitsCount in
                                            bits.withUnsafeBufferPointer { bits in
                                                leafValue.withUnsafeBufferPointer { leafValue in
                                                    body(
                                                        Walker(
                                                            roots: roots, feature: feature, threshold: threshold,
                                                            decision: decision, left: left, right: right,
                                                            nodeValue: nodeValue, bitsStart: bitsStart,
                                                            bitsCount: bitsCount, bits: bits, leafValue: leafValue))
                                                }
                                            }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}

/// The forest's arrays borrowed for the length of one walk; never stored.
private struct Walker {
    let roots: UnsafeBufferPointer<Int32>
    let feature: UnsafeBufferPointer<Int32>
    let threshold: UnsafeBufferPointer<Double>
    let decision: UnsafeBufferPointer<UInt8>
    let left: UnsafeBufferPointer<Int32>
    let right: UnsafeBufferPointer<Int32>
    let nodeValue: UnsafeBufferPointer<Double>
    let bitsStart: UnsafeBufferPointer<Int32>
    let bitsCount: UnsafeBufferPointer<Int32>
    let bits: UnsafeBufferPointer<UInt32>
    let leafValue: UnsafeBufferPointer<Double>

    /// The child LightGBM's `Tree::Decision` picks at `node` (see `tree.h`).
    @inline(__always)
    func next(_ node: Int, _ values: UnsafeBufferPointer<Double>) -> Int32 {
        let type = decision[node]
        let value = values[Int(feature[node])]
        if type & 1 != 0 { return categoricalNext(node, value) }
        let missingType = (type >> 2) & 3
        let isMissing =
            missingType == 2 ? value.isNaN
            : missingType == 1 ? (value.isNaN || (value >= -lightGBMZeroThreshold && value <= lightGBMZeroThreshold))
            : false
        if isMissing { return type & 2 != 0 ? left[node] : right[node] }
        // Missing type None reads NaN as 0.0 (and Zero never gets here with NaN).
        let number = value.isNaN ? 0.0 : value
        return number <= threshold[node] ? left[node] : right[node]
    }

    /// Categories are non-negative integers: the value is truncated toward zero as C++'s `static_cast<int>` does;
    /// NaN, negative codes and codes outside `Int32` (which x86 converts to `INT_MIN`) go right, as do codes past the
    /// end of the bitset.
    @inline(__always)
    func categoricalNext(_ node: Int, _ value: Double) -> Int32 {
        guard value > -2_147_483_649.0, value < 2_147_483_648.0 else { return right[node] }  // also NaN
        let category = Int(value.rounded(.towardZero))
        guard category >= 0 else { return right[node] }
        let word = category / 32
        guard word < Int(bitsCount[node]) else { return right[node] }
        let set = bits[Int(bitsStart[node]) + word] >> UInt32(category % 32) & 1 != 0
        return set ? left[node] : right[node]
    }
}

/// A feature value as LightGBM's predictor sees it: values within ±`kZeroThreshold` (including -0.0) become
/// exactly 0.0, because its dense-row reader drops them as zeros; NaN stays NaN.
@inline(__always)
func lightGBMInput(_ value: Double) -> Double {
    abs(value) <= lightGBMZeroThreshold ? 0.0 : value
}
