import PaylaterStore

/// Bulk writes as one statement per batch: each column's values travel as one array parameter, and
/// `unnest` turns the arrays back into rows on the server. A batch of 8,000 rows is then one statement to parse,
/// plan and execute instead of 8,000 (even pipelined, each row costs the server a bind and an executor start).
extension PostgresConnection {
    func insertRows(
        into table: String, columns: [SQLColumn], rows: [[SQLValue]], suffix: String
    ) throws(StoreError) -> Int {
        guard rows.count > 1 else { return try insertRowsOneByOne(into: table, columns: columns, rows: rows, suffix: suffix) }
        let (sql, arguments) = try Self.insertStatement(into: table, columns: columns, rows: rows, suffix: suffix)
        return try withResult(sql, arguments) { Self.affectedRows($0) }
    }

    func updateRows(
        _ table: String, key: SQLColumn, columns: [SQLColumn], rows: [[SQLValue]]
    ) throws(StoreError) -> Int {
        guard rows.count > 1 else { return try updateRowsOneByOne(table, key: key, columns: columns, rows: rows) }
        let (sql, arguments) = try Self.updateStatement(table, key: key, columns: columns, rows: rows)
        return try withResult(sql, arguments) { Self.affectedRows($0) }
    }

    /// `insertRows` held back to go out with the transaction's next statement or its COMMIT, in one round trip.
    func insertRowsDeferred(
        into table: String, columns: [SQLColumn], rows: [[SQLValue]], suffix: String
    ) throws(StoreError) {
        guard !rows.isEmpty else { return }
        let (sql, arguments) = try Self.insertStatement(into: table, columns: columns, rows: rows, suffix: suffix)
        try deferStatement(sql, arguments)
    }

    /// `updateRows` held back to go out with the transaction's next statement or its COMMIT, in one round trip.
    func updateRowsDeferred(
        _ table: String, key: SQLColumn, columns: [SQLColumn], rows: [[SQLValue]]
    ) throws(StoreError) {
        guard !rows.isEmpty else { return }
        let (sql, arguments) = try Self.updateStatement(table, key: key, columns: columns, rows: rows)
        try deferStatement(sql, arguments)
    }

    /// `execute` held back to go out with the transaction's next statement or its COMMIT, in one round trip.
    func executeDeferred(_ sql: String, _ arguments: [SQLValue]) throws(StoreError) {
        try deferStatement(sql, arguments)
    }

    private static func insertStatement(
        into table: String, columns: [SQLColumn], rows: [[SQLValue]], suffix: String
    ) throws(StoreError) -> (String, [SQLValue]) {
        let sql = "INSERT INTO \(table) (\(columns.map(\.name).joined(separator: ", "))) "
            + "SELECT * FROM unnest(\(arrayParameters(columns))) \(suffix)"
        return (sql, try arrays(columns, rows))
    }

    private static func updateStatement(
        _ table: String, key: SQLColumn, columns: [SQLColumn], rows: [[SQLValue]]
    ) throws(StoreError) -> (String, [SQLValue]) {
        let all = [key] + columns
        let assignments = columns.map { "\($0.name) = source.\($0.name)" }.joined(separator: ", ")
        let sql = "UPDATE \(table) AS target SET \(assignments) "
            + "FROM unnest(\(arrayParameters(all))) AS source(\(all.map(\.name).joined(separator: ", "))) "
            + "WHERE target.\(key.name) = source.\(key.name)"
        return (sql, try arrays(all, rows))
    }

    /// `?::bigint[], ?::text[], ...`: typed array placeholders, one per column.
    private static func arrayParameters(_ columns: [SQLColumn]) -> String {
        columns.map { column in
            switch column.type {
            case .integer: "?::bigint[]"
            case .text: "?::text[]"
            case .blob: "?::bytea[]"
            }
        }.joined(separator: ", ")
    }

    /// One array literal per column, in PostgreSQL's text format.
    private static func arrays(_ columns: [SQLColumn], _ rows: [[SQLValue]]) throws(StoreError) -> [SQLValue] {
        var literals: [SQLValue] = []
        literals.reserveCapacity(columns.count)
        for (index, column) in columns.enumerated() {
            var literal = "{"
            literal.reserveCapacity(rows.count * 12)
            for (rowNumber, row) in rows.enumerated() {
                guard row.count == columns.count else {
                    throw .statementFailed(
                        engine: PostgresDatabase.engine, code: "bind",
                        message: "row \(rowNumber) has \(row.count) values for \(columns.count) columns", sql: "unnest")
                }
                if rowNumber > 0 { literal += "," }
                try appendElement(row[index], of: column, to: &literal)
            }
            literals.append(.text(literal + "}"))
        }
        return literals
    }

    /// Appends one array element: `NULL`, a number, or a double-quoted string with `\` and `"` escaped.
    private static func appendElement(_ value: SQLValue, of column: SQLColumn, to literal: inout String) throws(StoreError) {
        switch (value, column.type) {
        case (.null, _):
            literal += "NULL"
        case let (.integer(number), .integer):
            literal += String(number)
        case let (.text(text), .text):
            appendQuoted(text, to: &literal)
        case let (.blob(bytes), .blob):
            appendQuoted("\\x" + hex(bytes), to: &literal)
        default:
            throw .statementFailed(
                engine: PostgresDatabase.engine, code: "bind",
                message: "column \(column.name) holds \(column.type) values, not \(value)", sql: "unnest")
        }
    }

    /// Lower-case hexadecimal, two digits a byte: bytea's text form after `\x`.
    private static func hex(_ bytes: [UInt8]) -> String {
        let digits = Array("0123456789abcdef".unicodeScalars)
        var text = String.UnicodeScalarView()
        for byte in bytes {
            text.append(digits[Int(byte >> 4)])
            text.append(digits[Int(byte & 0x0f)])
        }
        return String(text)
    }

    private static func appendQuoted(_ text: String, to literal: inout String) {
        literal += "\""
        for character in text.unicodeScalars {
            if character == "\"" || character == "\\" { literal += "\\" }
            literal.unicodeScalars.append(character)
        }
        literal += "\""
    }
}
