internal import CPostgres
import PaylaterStore

/// Statement arguments laid out the way `PQexecParams` and `PQsendQueryPrepared` take them.
///
/// The type rule: integers and text are sent in text format with type 0, so the server infers each parameter's
/// type from where it appears (`WHERE seq = $1` makes it a bigint, `VALUES ($1)` takes the column's type); blobs
/// are sent in binary format typed `bytea`, because binary data needs a declared type. NULL is sent untyped.
/// Where the server cannot infer a type (`SELECT ?`, `? IS NULL`, `? + ?`) it reports SQLSTATE 42P18 or reads the
/// parameter as text; write `CAST(? AS BIGINT)` or `CAST(? AS TEXT)` there, which SQLite accepts too.
struct PostgresParameters {
    /// The type of a binary-format blob parameter.
    static let byteaType: Oid = PostgresType.bytea
    /// The largest single argument libpq can send (its lengths are 32-bit).
    static let argumentBytesMaximum = Int(Int32.max)

    let count: Int32
    private(set) var types: [Oid] = []
    private var formats: [Int32] = []
    private var lengths: [Int32] = []
    /// Every non-NULL argument's bytes, text NUL-terminated, one after the other, plus a final NUL so that an
    /// empty blob still has an address (a NULL address would mean SQL NULL).
    private var storage: [UInt8] = []
    /// Each argument's offset into `storage`, or nil for NULL.
    private var offsets: [Int?] = []

    /// Lays out `arguments`; `types` overrides the inferred type of each (a batch declares its types once).
    init(_ arguments: [SQLValue], types declared: [Oid]? = nil, sql: String) throws(StoreError) {
        precondition(declared == nil || declared?.count == arguments.count)
        count = Int32(arguments.count)
        types.reserveCapacity(arguments.count)
        formats.reserveCapacity(arguments.count)
        lengths.reserveCapacity(arguments.count)
        offsets.reserveCapacity(arguments.count)
        for argument in arguments { try append(argument, sql: sql) }
        storage.append(0)
        if let declared { types = declared }
    }

    private mutating func append(_ argument: SQLValue, sql: String) throws(StoreError) {
        switch argument {
        case .null:
            add(type: 0, format: 0, length: 0, offset: nil)
        case let .integer(value):
            let offset = storage.count
            storage.append(contentsOf: String(value).utf8)
            storage.append(0)
            add(type: 0, format: 0, length: 0, offset: offset)
        case let .text(value):
            let offset = storage.count
            storage.append(contentsOf: value.utf8)
            guard !storage[offset...].contains(0) else {
                throw .statementFailed(
                    engine: PostgresDatabase.engine, code: "22021",
                    message: "a text argument contains a NUL character, which PostgreSQL text cannot hold", sql: sql)
            }
            try Self.checkSize(storage.count - offset, sql: sql)
            storage.append(0)
            add(type: 0, format: 0, length: 0, offset: offset)
        case let .blob(bytes):
            try Self.checkSize(bytes.count, sql: sql)
            let offset = storage.count
            storage.append(contentsOf: bytes)
            add(type: Self.byteaType, format: 1, length: Int32(bytes.count), offset: offset)
        }
    }

    private mutating func add(type: Oid, format: Int32, length: Int32, offset: Int?) {
        types.append(type)
        formats.append(format)
        lengths.append(length)
        offsets.append(offset)
    }

    private static func checkSize(_ bytes: Int, sql: String) throws(StoreError) {
        guard bytes < argumentBytesMaximum else {
            throw .statementFailed(
                engine: PostgresDatabase.engine, code: "54000", message: "an argument of \(bytes) bytes is too large",
                sql: sql)
        }
    }

    /// The types a batch is prepared with: bytea where any row has a blob in that position, otherwise inferred.
    static func batchTypes(_ rows: [[SQLValue]], parameterCount: Int) -> [Oid] {
        var types = [Oid](repeating: 0, count: parameterCount)
        for row in rows {
            for (index, value) in row.enumerated() where index < parameterCount {
                if case .blob = value { types[index] = byteaType }
            }
        }
        return types
    }

    /// Calls `body` with the count, types, values, lengths and formats arrays, valid only during the call.
    func withUnsafeArguments<R>(
        _ body: (
            _ count: Int32, _ types: UnsafePointer<Oid>?, _ values: UnsafePointer<UnsafePointer<CChar>?>?,
            _ lengths: UnsafePointer<Int32>?, _ formats: UnsafePointer<Int32>?
        ) -> R
    ) -> R {
        storage.withUnsafeBytes { bytes in
            let base = bytes.baseAddress!
            let values = offsets.map { offset in offset.map { (base + $0).assumingMemoryBound(to: CChar.self) } }
            return values.withUnsafeBufferPointer { values in
                types.withUnsafeBufferPointer { types in
                    lengths.withUnsafeBufferPointer { lengths in
                        formats.withUnsafeBufferPointer { formats in
                            body(count, types.baseAddress, values.baseAddress, lengths.baseAddress, formats.baseAddress)
                        }
                    }
                }
            }
        }
    }
}
