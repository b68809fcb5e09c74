/// A comma-separated file read into memory: a header row and data rows of equal width (RFC 4180).
///
/// Quoted fields may hold commas, doubled quotes (`""`) and line breaks; lines end in LF or CRLF; a final line
/// break is optional; a UTF-8 byte-order mark at the start is ignored. Every row must have as many cells as the
/// header. Errors carry the 1-based line number where the bad row starts, so an operator can open the file there.
public struct CSVTable: Sendable, Hashable {
    /// The column names, in file order.
    public let header: [String]
    /// The data rows, each as wide as `header`.
    public let rows: [[String]]
    /// The line on which each row starts (1-based; the header is line 1), for error messages about a row.
    public let lineNumbers: [Int]

    /// Parses `text`.
    /// - Throws: `CSVError` naming the line of the first problem.
    public init(parsing text: String) throws(CSVError) {
        var parser = CSVParser(text: text)
        guard let header = try parser.nextRecord() else { throw .empty }
        guard header.cells.allSatisfy({ !$0.isEmpty }) else { throw .emptyColumnName(line: header.line) }
        var seen = Set<String>()
        for name in header.cells where !seen.insert(name).inserted {
            throw .duplicateColumn(name: name, line: header.line)
        }
        var rows: [[String]] = []
        var lineNumbers: [Int] = []
        while let record = try parser.nextRecord() {
            if record.cells == [""] { continue }  // a blank line, such as a trailing one
            guard record.cells.count == header.cells.count else {
                throw .wrongWidth(line: record.line, expected: header.cells.count, found: record.cells.count)
            }
            rows.append(record.cells)
            lineNumbers.append(record.line)
        }
        self.header = header.cells
        self.rows = rows
        self.lineNumbers = lineNumbers
    }

    /// The index of the column called `name`.
    /// - Throws: `CSVError.missingColumn` when the header has no such column.
    public func columnIndex(_ name: String) throws(CSVError) -> Int {
        guard let index = header.firstIndex(of: name) else { throw .missingColumn(name) }
        return index
    }

    /// Writes rows as CSV text with a header, quoting only the cells that need it; lines end in LF.
    public static func render(header: [String], rows: [[String]]) -> String {
        var output = ""
        for row in [header] + rows {
            output += row.map(quotedIfNeeded).joined(separator: ",")
            output += "\n"
        }
        return output
    }

    private static func quotedIfNeeded(_ cell: String) -> String {
        guard cell.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return cell }
        return "\"" + cell.replacingAll("\"", with: "\"\"") + "\""
    }
}

/// Why a CSV file could not be read.
public enum CSVError: Error, Sendable, Hashable, CustomStringConvertible {
    case empty
    case emptyColumnName(line: Int)
    case duplicateColumn(name: String, line: Int)
    case wrongWidth(line: Int, expected: Int, found: Int)
    case unterminatedQuote(line: Int)
    case textAfterClosingQuote(line: Int)
    case quoteInsideUnquotedField(line: Int)
    case missingColumn(String)

    public var description: String {
        switch self {
        case .empty: "the file is empty: a header row is required"
        case .emptyColumnName(let line): "line \(line): a column name is empty"
        case .duplicateColumn(let name, let line): "line \(line): the column \"\(name)\" appears twice"
        case .wrongWidth(let line, let expected, let found): "line \(line): expected \(expected) fields, found \(found)"
        case .unterminatedQuote(let line): "line \(line): a quoted field is never closed"
        case .textAfterClosingQuote(let line): "line \(line): text follows a closing quote"
        case .quoteInsideUnquotedField(let line): "line \(line): a quote inside an unquoted field"
        case .missingColumn(let name): "the header has no column \"\(name)\""
        }
    }
}

/// Splits CSV text into records, tracking line numbers; works on Unicode scalars so that any UTF-8 passes through.
private struct CSVParser {
    struct Record {
        var cells: [String]
        var line: Int
    }

    private let scalars: [Unicode.Scalar]
    private var position = 0
    private var line = 1

    init(text: String) {
        var scalars = Array(text.unicodeScalars)
        if scalars.first == "\u{FEFF}" { scalars.removeFirst() }
        self.scalars = scalars
    }

    mutating func nextRecord() throws(CSVError) -> Record? {
        guard position < scalars.count else { return nil }
        let startLine = line
        var cells: [String] = []
        while true {
            let (cell, ended) = try nextCell(recordLine: startLine)
            cells.append(cell)
            if ended { return Record(cells: cells, line: startLine) }
        }
    }

    /// One cell; `ended` is true when the record ends after it (line break or end of text).
    private mutating func nextCell(recordLine: Int) throws(CSVError) -> (String, ended: Bool) {
        var cell = String.UnicodeScalarView()
        if position < scalars.count, scalars[position] == "\"" {
            position += 1
            while true {
                guard position < scalars.count else { throw .unterminatedQuote(line: recordLine) }
                let scalar = scalars[position]
                position += 1
                if scalar == "\"" {
                    if position < scalars.count, scalars[position] == "\"" {
                        cell.append("\"")
                        position += 1
                    } else {
                        break
                    }
                } else {
                    if scalar == "\n" { line += 1 }
                    cell.append(scalar)
                }
            }
            guard let ended = consumeSeparator() else { throw .textAfterClosingQuote(line: line) }
            return (String(cell), ended)
        }
        while position < scalars.count {
            let scalar = scalars[position]
            if scalar == "," || scalar == "\n" || (scalar == "\r" && peek(1) == "\n") { break }
            if scalar == "\"" { throw .quoteInsideUnquotedField(line: line) }
            cell.append(scalar)
            position += 1
        }
        guard let ended = consumeSeparator() else { throw .quoteInsideUnquotedField(line: line) }
        return (String(cell), ended)
    }

    /// Consumes a comma (false), a line break or the end (true); nil when something else follows.
    private mutating func consumeSeparator() -> Bool? {
        guard position < scalars.count else { return true }
        switch scalars[position] {
        case ",":
            position += 1
            return false
        case "\n":
            position += 1
            line += 1
            return true
        case "\r" where peek(1) == "\n":
            position += 2
            line += 1
            return true
        default:
            return nil
        }
    }

    private func peek(_ offset: Int) -> Unicode.Scalar? {
        position + offset < scalars.count ? scalars[position + offset] : nil
    }
}

extension String {
    fileprivate func replacingAll(_ target: Character, with replacement: String) -> String {
        var result = ""
        for character in self { if character == target { result += replacement } else { result.append(character) } }
        return result
    }
}
