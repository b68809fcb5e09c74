/// Which column holds the outcome and which of its values are bad and good.
public struct BinaryTarget: Sendable, Hashable, Codable {
    public var column: String
    public var bad: String
    /// The good values; nil means every non-empty value other than `bad`.
    public var good: [String]?

    public init(column: String, bad: String, good: [String]? = nil) {
        self.column = column
        self.bad = bad
        self.good = good
    }

    /// Reads every row's outcome: true for bad.
    /// - Throws: `TargetError` for a missing column, an empty cell or an unknown value (with its line), or a
    ///   column without bads or without goods (nothing to learn from).
    public func labels(in table: CSVTable) throws(TargetError) -> [Bool] {
        guard let index = table.header.firstIndex(of: column) else { throw .missingColumn(column) }
        let goods = good.map(Set.init)
        var labels: [Bool] = []
        labels.reserveCapacity(table.rows.count)
        for (row, line) in zip(table.rows, table.lineNumbers) {
            let cell = row[index]
            if cell.isEmpty { throw .emptyCell(line: line) }
            if cell == bad {
                labels.append(true)
            } else if goods == nil || goods!.contains(cell) {
                labels.append(false)
            } else {
                throw .unexpectedValue(line: line, value: cell)
            }
        }
        guard labels.contains(true) else { throw .noBads }
        guard labels.contains(false) else { throw .noGoods }
        return labels
    }
}

/// Why a target column cannot label the rows.
public enum TargetError: Error, Sendable, Hashable, CustomStringConvertible {
    case missingColumn(String)
    case emptyCell(line: Int)
    case unexpectedValue(line: Int, value: String)
    case noBads
    case noGoods

    public var description: String {
        switch self {
        case .missingColumn(let name): "the header has no target column \"\(name)\""
        case .emptyCell(let line): "line \(line): the target is empty"
        case .unexpectedValue(let line, let value): "line \(line): the target \"\(value)\" is neither bad nor good"
        case .noBads: "the target has no bad rows"
        case .noGoods: "the target has no good rows"
        }
    }
}
