import Foundation

/// Which values of a feature fall into a bin.
public enum BinMatch: Sendable, Hashable {
    /// Numbers in `(lower, upper]`; a nil bound is unbounded.
    case range(lower: Double?, upper: Double?)
    /// These category labels.
    case categories([String])
    /// Categories too rare to stand alone at training, and categories never seen.
    case other
    /// Only missing values.
    case missing
}

/// Goods and bads counted in one bin.
struct BinTally: Sendable, Hashable {
    var goods = 0
    var bads = 0

    var count: Int { goods + bads }

    mutating func add(isBad: Bool) {
        if isBad { bads += 1 } else { goods += 1 }
    }

    static func + (left: BinTally, right: BinTally) -> BinTally {
        BinTally(goods: left.goods + right.goods, bads: left.bads + right.bads)
    }

    var badRate: Double { count == 0 ? 0 : Double(bads) / Double(count) }

    /// Whether this bin's bad rate exceeds `other`'s, compared exactly by cross-multiplication.
    func hasHigherBadRate(than other: BinTally) -> Bool {
        bads * other.count > other.bads * count
    }
}

/// A bin before it gets its weight of evidence: what it matches, whether missing values join it, and its counts.
struct BinDraft: Sendable, Hashable {
    var match: BinMatch
    var includesMissing = false
    var tally: BinTally
}

/// Weights of evidence and information value of one feature's bins.
struct WeightOfEvidence: Sendable, Hashable {
    var woes: [Double]
    var informationValue: Double

    /// `woe = ln(pBad / pGood)` with `pBad = (bads + s) / (totalBads + s·k)` and likewise for goods, over `k` bins
    /// with smoothing `s`; `IV = Σ (pBad − pGood) · woe`. The smoothed shares still sum to 1 in each class.
    init(tallies: [BinTally], smoothing: Double) {
        let binCount = Double(tallies.count)
        let totalBads = Double(tallies.reduce(0) { $0 + $1.bads }) + smoothing * binCount
        let totalGoods = Double(tallies.reduce(0) { $0 + $1.goods }) + smoothing * binCount
        var woes: [Double] = []
        var informationValue = 0.0
        for tally in tallies {
            let badShare = (Double(tally.bads) + smoothing) / totalBads
            let goodShare = (Double(tally.goods) + smoothing) / totalGoods
            let woe = (badShare > 0 && goodShare > 0) ? log(badShare / goodShare) : 0
            woes.append(woe)
            informationValue += (badShare - goodShare) * woe
        }
        self.woes = woes
        self.informationValue = informationValue
    }
}

/// Puts a small missing tally in the bin of nearest bad rate, or gives it its own bin when large enough (the rule
/// shared by numeric and categorical features).
func attachMissing(_ missing: BinTally, to drafts: inout [BinDraft], minimumRows: Int) {
    guard missing.count > 0 else { return }
    if missing.count >= minimumRows || drafts.isEmpty {
        drafts.append(BinDraft(match: .missing, tally: missing))
        return
    }
    var nearest = 0
    for index in drafts.indices
    where abs(drafts[index].tally.badRate - missing.badRate) < abs(drafts[nearest].tally.badRate - missing.badRate) {
        nearest = index
    }
    drafts[nearest].includesMissing = true
    drafts[nearest].tally = drafts[nearest].tally + missing
}

/// Quantile cut points of sorted values, each an occurring value and an inclusive upper bound, strictly increasing,
/// never the largest value (the last bin is unbounded above). With few distinct values, one bin per value.
func quantileCuts(sortedValues values: [Double], binCount: Int) -> [Double] {
    precondition(binCount >= 1 && !values.isEmpty)
    let count = values.count
    var cuts: [Double] = []
    var distinct: [Double] = []
    for value in values where value != distinct.last {
        distinct.append(value)
        if distinct.count > binCount { break }
    }
    if distinct.count <= binCount { return Array(distinct.dropLast()) }
    for quantile in 1..<max(binCount, 1) {
        let index = (quantile * count + binCount - 1) / binCount - 1
        let cut = values[max(0, min(count - 1, index))]
        if cut < values[count - 1], cut > (cuts.last ?? -.infinity) { cuts.append(cut) }
    }
    return cuts
}

/// The index of the `(lower, upper]` bin holding `value`, given the inclusive upper bounds of all but the last bin.
@inline(__always)
func binIndex(of value: Double, upperBounds: [Double]) -> Int {
    var low = 0
    var high = upperBounds.count
    while low < high {
        let middle = (low + high) / 2
        if value <= upperBounds[middle] { high = middle } else { low = middle + 1 }
    }
    return low
}
