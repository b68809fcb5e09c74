public import PaylaterStore

/// A connection that passes every call to `base`: tests subclass it to watch or interfere with the calls they care
/// about, and inherit the rest.
open class ForwardingConnection: SQLConnection {
    public let base: any SQLConnection

    public init(_ base: any SQLConnection) { self.base = base }

    open var dialect: any SQLDialect { base.dialect }

    open func execute(_ sql: String, _ arguments: [SQLValue]) throws(StoreError) { try base.execute(sql, arguments) }
    open func executeBatch(_ sql: String, _ rows: [[SQLValue]]) throws(StoreError) -> Int { try base.executeBatch(sql, rows) }
    open func insertRows(into table: String, columns: [SQLColumn], rows: [[SQLValue]], suffix: String) throws(StoreError) -> Int {
        try base.insertRows(into: table, columns: columns, rows: rows, suffix: suffix)
    }
    open func updateRows(_ table: String, key: SQLColumn, columns: [SQLColumn], rows: [[SQLValue]]) throws(StoreError) -> Int {
        try base.updateRows(table, key: key, columns: columns, rows: rows)
    }
    open func insertRowsDeferred(into table: String, columns: [SQLColumn], rows: [[SQLValue]], suffix: String) throws(StoreError) {
        try base.insertRowsDeferred(into: table, columns: columns, rows: rows, suffix: suffix)
    }
    open func updateRowsDeferred(_ table: String, key: SQLColumn, columns: [SQLColumn], rows: [[SQLValue]]) throws(StoreError) {
        try base.updateRowsDeferred(table, key: key, columns: columns, rows: rows)
    }
    open func executeDeferred(_ sql: String, _ arguments: [SQLValue]) throws(StoreError) {
        try base.executeDeferred(sql, arguments)
    }
    open func insertReturningKey(_ sql: String, _ arguments: [SQLValue], key: String) throws(StoreError) -> Int64? {
        try base.insertReturningKey(sql, arguments, key: key)
    }
    open func query(_ sql: String, _ arguments: [SQLValue]) throws(StoreError) -> [SQLRow] { try base.query(sql, arguments) }
    open func queryBatch(_ queries: [(sql: String, arguments: [SQLValue])]) throws(StoreError) -> [[SQLRow]] {
        try base.queryBatch(queries)
    }
    open func forEachRow(_ sql: String, _ arguments: [SQLValue], _ body: (SQLRow) throws -> Void) throws {
        try base.forEachRow(sql, arguments, body)
    }
    open func executeScript(_ sql: String) throws(StoreError) { try base.executeScript(sql) }
}
