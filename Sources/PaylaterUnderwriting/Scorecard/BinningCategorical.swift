/// Bins for a categorical feature: one per common category (sorted by label), an "other" bin pooling the rare
/// ones, and missing values by the shared rule (the rules are on `ScorecardTrainingOptions`).
enum CategoricalBinning {
    static func bins(labels: [String?], isBad: [Bool], options: ScorecardTrainingOptions) -> [BinDraft] {
        let minimumRows = Int((options.minimumBinShare * Double(labels.count)).rounded(.up))
        var tallies: [String: BinTally] = [:]
        var missing = BinTally()
        for (label, bad) in zip(labels, isBad) {
            if let label { tallies[label, default: BinTally()].add(isBad: bad) } else { missing.add(isBad: bad) }
        }
        var drafts: [BinDraft] = []
        var other = BinTally()
        for label in tallies.keys.sorted() {
            let tally = tallies[label]!
            if tally.count >= minimumRows {
                drafts.append(BinDraft(match: .categories([label]), tally: tally))
            } else {
                other = other + tally
            }
        }
        if other.count > 0 { drafts.append(BinDraft(match: .other, tally: other)) }
        attachMissing(missing, to: &drafts, minimumRows: minimumRows)
        return drafts
    }
}
