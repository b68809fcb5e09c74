/// Monotonic bins for a numeric feature (the rules are on `ScorecardTrainingOptions`).
enum NumericBinning {
    /// The bins of `values` (nil = missing) labelled by `isBad`, ordered by value, the missing bin last.
    static func bins(values: [Double?], isBad: [Bool], options: ScorecardTrainingOptions) -> [BinDraft] {
        let minimumRows = Int((options.minimumBinShare * Double(values.count)).rounded(.up))
        var present: [(value: Double, isBad: Bool)] = []
        var missing = BinTally()
        for (value, bad) in zip(values, isBad) {
            if let value { present.append((value, bad)) } else { missing.add(isBad: bad) }
        }
        guard !present.isEmpty else {
            return [BinDraft(match: .missing, tally: missing)]
        }
        present.sort { $0.value < $1.value }
        let cuts = quantileCuts(sortedValues: present.map(\.value), binCount: options.preBinCount)
        var preBins = [BinTally](repeating: BinTally(), count: cuts.count + 1)
        for row in present { preBins[binIndex(of: row.value, upperBounds: cuts)].add(isBad: row.isBad) }
        let candidates = [true, false].map { increasing in
            var merged = monotonic(preBins.enumerated().map { Block(lastPreBin: $0.offset, tally: $0.element) },
                                   increasing: increasing)
            merged = largeEnough(merged, minimumRows: minimumRows, minimumClassCount: options.minimumBinClassCount)
            var drafts = merged.enumerated().map { index, block in
                BinDraft(
                    match: .range(lower: index == 0 ? nil : cuts[merged[index - 1].lastPreBin],
                                  upper: index == merged.count - 1 ? nil : cuts[block.lastPreBin]),
                    tally: block.tally)
            }
            attachMissing(missing, to: &drafts, minimumRows: minimumRows)
            let iv = WeightOfEvidence(tallies: drafts.map(\.tally), smoothing: options.woeSmoothing).informationValue
            return (drafts, iv)
        }
        // Increasing wins ties so that the choice is deterministic.
        return candidates[1].1 > candidates[0].1 ? candidates[1].0 : candidates[0].0
    }

    /// Consecutive pre-bins merged into one, remembered by the last pre-bin (whose cut is the block's upper bound).
    struct Block {
        var lastPreBin: Int
        var tally: BinTally
    }

    /// Pool-adjacent-violators: merges neighbours until the bad rate never falls (or never rises) with the value.
    static func monotonic(_ blocks: [Block], increasing: Bool) -> [Block] {
        var stack: [Block] = []
        for block in blocks {
            stack.append(block)
            while stack.count >= 2 {
                let last = stack[stack.count - 1]
                let previous = stack[stack.count - 2]
                let violates = increasing
                    ? previous.tally.hasHigherBadRate(than: last.tally) : last.tally.hasHigherBadRate(than: previous.tally)
                guard violates else { break }
                stack.removeLast(2)
                stack.append(Block(lastPreBin: last.lastPreBin, tally: previous.tally + last.tally))
            }
        }
        return stack
    }

    /// Merges the smallest too-small block into the neighbour of nearer bad rate until none is too small; merging
    /// neighbours of a monotonic sequence keeps it monotonic.
    static func largeEnough(_ blocks: [Block], minimumRows: Int, minimumClassCount: Int) -> [Block] {
        var blocks = blocks
        func tooSmall(_ block: Block) -> Bool {
            block.tally.count < minimumRows || block.tally.goods < minimumClassCount
                || block.tally.bads < minimumClassCount
        }
        while blocks.count > 1 {
            var smallest: Int?
            for index in blocks.indices where tooSmall(blocks[index]) {
                if smallest == nil || blocks[index].tally.count < blocks[smallest!].tally.count { smallest = index }
            }
            guard let index = smallest else { break }
            let neighbour: Int
            if index == 0 {
                neighbour = 1
            } else if index == blocks.count - 1 {
                neighbour = index - 1
            } else {
                let rate = blocks[index].tally.badRate
                let left = abs(blocks[index - 1].tally.badRate - rate)
                let right = abs(blocks[index + 1].tally.badRate - rate)
                neighbour = left <= right ? index - 1 : index + 1
            }
            let first = min(index, neighbour)
            blocks[first] = Block(lastPreBin: blocks[first + 1].lastPreBin, tally: blocks[first].tally + blocks[first + 1].tally)
            blocks.remove(at: first + 1)
        }
        return blocks
    }
}
