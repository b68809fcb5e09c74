/// A value bound to or read from a SQL statement: the types both SQLite and PostgreSQL store natively.
public enum SQLValue: Hashable, Sendable {
    case null
    case integer(Int64)
    case text(String)
    case blob([UInt8])
}

extension SQLValue {
    /// `.null` for nil, otherwise the integer.
    public static func integer(_ value: Int64?) -> SQLValue { value.map(SQLValue.integer) ?? .null }
    /// `.null` for nil, otherwise the text.
    public static func text(_ value: String?) -> SQLValue { value.map(SQLValue.text) ?? .null }
}

/// One row of a query result, read by column position with typed accessors that fail loudly on a wrong type.
public struct SQLRow: Sendable {
    public let values: [SQLValue]

    public init(_ values: [SQLValue]) { self.values = values }

    public func int64(_ column: Int) throws(StoreError) -> Int64 {
        guard case let .integer(value) = values[column] else { throw unexpected(column, "an integer") }
        return value
    }

    public func optionalInt64(_ column: Int) throws(StoreError) -> Int64? {
        if case .null = values[column] { return nil }
        return try int64(column)
    }

    public func text(_ column: Int) throws(StoreError) -> String {
        guard case let .text(value) = values[column] else { throw unexpected(column, "text") }
        return value
    }

    public func optionalText(_ column: Int) throws(StoreError) -> String? {
        if case .null = values[column] { return nil }
        return try text(column)
    }

    public func blob(_ column: Int) throws(StoreError) -> [UInt8] {
        guard case let .blob(value) = values[column] else { throw unexpected(column, "a blob") }
        return value
    }

    private func unexpected(_ column: Int, _ expected: String) -> StoreError {
        .unreadableRow("column \(column) holds \(values[column]), expected \(expected)")
    }
}
