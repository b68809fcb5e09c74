/// One input to a credit model: a number, a category, or nothing known.
///
/// Missing is a value of its own, not zero: models treat it explicitly (a scorecard's missing bin, a tree's
/// default direction).
public enum FeatureValue: Sendable, Hashable {
    case number(Double)
    case category(String)
    case missing

    /// Reads one CSV cell: empty is missing, a finite decimal number (exponents such as `1e-05` allowed, as
    /// pandas writes them) is a number, anything else is a category. "NaN" and "inf" are categories, never
    /// numbers, so they cannot leak into arithmetic.
    public init(cell: String) {
        if cell.isEmpty {
            self = .missing
        } else if let number = Double(cell), number.isFinite, cell.first != "+",
            !cell.contains(where: { $0.isLetter && $0 != "e" && $0 != "E" })
        {
            self = .number(number)
        } else {
            self = .category(cell)
        }
    }

    /// The value as a category label: numbers print without a fraction when whole, so the cell "3" and the
    /// number 3 name the same category.
    public var categoryLabel: String? {
        switch self {
        case .category(let label): label
        case .number(let number):
            if number == number.rounded(), abs(number) < 1e15 { String(Int64(number)) } else { "\(number)" }
        case .missing: nil
        }
    }
}

/// The named inputs of one applicant or one CSV row; a name with no value reads as `.missing`.
public struct FeatureRow: Sendable, Hashable {
    private var values: [String: FeatureValue]

    public init(_ values: [String: FeatureValue] = [:]) {
        self.values = values
    }

    public subscript(name: String) -> FeatureValue {
        get { values[name] ?? .missing }
        set { values[name] = newValue }
    }

    /// The names that have a value, sorted (for snapshots that must be byte-identical on replay).
    public var names: [String] { values.keys.sorted() }
}

extension CSVTable {
    /// Every row as features, keyed by column name, leaving out `excluding` (such as the target column).
    public func featureRows(excluding excluded: Set<String> = []) -> [FeatureRow] {
        rows.map { row in
            var features = FeatureRow()
            for (name, cell) in zip(header, row) where !excluded.contains(name) {
                features[name] = FeatureValue(cell: cell)
            }
            return features
        }
    }
}
