internal import CPostgres
import PaylaterStore

/// The built-in type OIDs Paylater reads (they are fixed in PostgreSQL's catalog, `pg_type.dat`).
enum PostgresType {
    static let bool: Oid = 16
    static let bytea: Oid = 17
    static let name: Oid = 19
    static let int8: Oid = 20
    static let int2: Oid = 21
    static let int4: Oid = 23
    static let text: Oid = 25
    static let oid: Oid = 26
    static let float4: Oid = 700
    static let float8: Oid = 701
    static let unknown: Oid = 705
    static let bpchar: Oid = 1042
    static let varchar: Oid = 1043
    static let numeric: Oid = 1700
    static let void: Oid = 2278
}

/// Turns the rows of a text-format `PGresult` into `SQLRow`s, by each column's type OID (`PQftype`).
///
/// int2, int4, int8 and oid read as integers; numeric too when its value is integral and fits Int64 (`SUM` of a
/// bigint column is numeric); text, varchar, bpchar and name as text; bytea as a blob; bool as 0 or 1; `void` (what
/// `SELECT pg_advisory_xact_lock(...)` returns) as NULL. Anything else, floating point included, is refused.
struct PostgresResultDecoder {
    private enum Column {
        case integer, numeric, text, bytea, boolean, void
        case unsupported(Oid)
    }

    private let result: OpaquePointer
    private let columns: [Column]
    let rowCount: Int32

    init(_ result: OpaquePointer) {
        self.result = result
        rowCount = PQntuples(result)
        columns = (0..<PQnfields(result)).map { column in
            switch PQftype(result, column) {
            case PostgresType.int2, PostgresType.int4, PostgresType.int8, PostgresType.oid: .integer
            case PostgresType.numeric: .numeric
            case PostgresType.text, PostgresType.varchar, PostgresType.bpchar, PostgresType.name, PostgresType.unknown:
                .text
            case PostgresType.bytea: .bytea
            case PostgresType.bool: .boolean
            case PostgresType.void: .void
            case let other: .unsupported(other)
            }
        }
    }

    /// Every row.
    func rows() throws(StoreError) -> [SQLRow] {
        var rows: [SQLRow] = []
        rows.reserveCapacity(Int(rowCount))
        for index in 0..<rowCount { rows.append(try row(index)) }
        return rows
    }

    func row(_ row: Int32) throws(StoreError) -> SQLRow {
        var values: [SQLValue] = []
        values.reserveCapacity(columns.count)
        for (offset, kind) in columns.enumerated() {
            let column = Int32(offset)
            if case let .unsupported(type) = kind { throw unsupported(column, type) }
            if PQgetisnull(result, row, column) != 0 {
                values.append(.null)
                continue
            }
            let bytes = UnsafeRawBufferPointer(
                start: PQgetvalue(result, row, column), count: Int(PQgetlength(result, row, column)))
            values.append(try decode(bytes, as: kind, column: column))
        }
        return SQLRow(values)
    }

    private func decode(_ bytes: UnsafeRawBufferPointer, as kind: Column, column: Int32) throws(StoreError) -> SQLValue {
        switch kind {
        case .integer:
            guard let value = PostgresText.integer(bytes) else { throw unreadable(column, bytes, "an integer") }
            return .integer(value)
        case .numeric:
            guard let value = PostgresText.integralNumeric(bytes) else {
                throw unreadable(column, bytes, "an integral numeric that fits a 64-bit integer")
            }
            return .integer(value)
        case .text:
            return .text(String(decoding: bytes, as: UTF8.self))
        case .bytea:
            guard let value = PostgresText.bytea(bytes) else { throw unreadable(column, bytes, "bytea") }
            return .blob(value)
        case .boolean:
            switch bytes.first {
            case UInt8(ascii: "t"): return .integer(1)
            case UInt8(ascii: "f"): return .integer(0)
            default: throw unreadable(column, bytes, "a boolean")
            }
        case .void:
            return .null
        case let .unsupported(type):
            throw unsupported(column, type)
        }
    }

    private func columnName(_ column: Int32) -> String {
        PQfname(result, column).map { String(cString: $0) } ?? "?"
    }

    private func unsupported(_ column: Int32, _ type: Oid) -> StoreError {
        let kind = type == PostgresType.float4 || type == PostgresType.float8 ? " (floating point)" : ""
        return .unreadableRow(
            "column \(column) (\(columnName(column))) has PostgreSQL type OID \(type)\(kind), which Paylater does not read")
    }

    private func unreadable(_ column: Int32, _ bytes: UnsafeRawBufferPointer, _ expected: String) -> StoreError {
        let text = String(decoding: bytes.prefix(64), as: UTF8.self)
        return .unreadableRow("column \(column) (\(columnName(column))) holds '\(text)', expected \(expected)")
    }
}

/// Parsers for PostgreSQL's text output formats.
enum PostgresText {
    /// A decimal integer (`-42`), or nil when it is not one or overflows Int64.
    static func integer(_ bytes: UnsafeRawBufferPointer) -> Int64? {
        integer(bytes[...])
    }

    /// A numeric's text (`123`, `-7`, `120.00`) as Int64 when the value is integral and fits; `NaN`, `Infinity`,
    /// a nonzero fraction or an overflow give nil.
    static func integralNumeric(_ bytes: UnsafeRawBufferPointer) -> Int64? {
        guard let point = bytes.firstIndex(of: UInt8(ascii: ".")) else { return integer(bytes[...]) }
        let fraction = bytes[(point + 1)...]
        guard fraction.allSatisfy({ $0 == UInt8(ascii: "0") }) else { return nil }
        return integer(bytes[..<point])
    }

    private static func integer(_ bytes: Slice<UnsafeRawBufferPointer>) -> Int64? {
        var digits = bytes[...]
        let negative = digits.first == UInt8(ascii: "-")
        if negative || digits.first == UInt8(ascii: "+") { digits = digits.dropFirst() }
        guard !digits.isEmpty, digits.count <= 19 else { return nil }
        // Accumulate negatively so that Int64.min, whose magnitude has no positive Int64, parses too.
        var value: Int64 = 0
        for byte in digits {
            guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return nil }
            let (shifted, overflowMultiply) = value.multipliedReportingOverflow(by: 10)
            let (next, overflowSubtract) = shifted.subtractingReportingOverflow(Int64(byte - UInt8(ascii: "0")))
            if overflowMultiply || overflowSubtract { return nil }
            value = next
        }
        if negative { return value }
        return value == .min ? nil : -value
    }

    /// bytea output in hex format (`\x0a1b`, PostgreSQL's default) or the older escape format (`a\001\\`).
    static func bytea(_ bytes: UnsafeRawBufferPointer) -> [UInt8]? {
        if bytes.count >= 2, bytes[0] == UInt8(ascii: "\\"), bytes[1] == UInt8(ascii: "x") {
            return hex(bytes[2...])
        }
        return escaped(bytes)
    }

    private static func hex(_ digits: Slice<UnsafeRawBufferPointer>) -> [UInt8]? {
        guard digits.count % 2 == 0 else { return nil }
        var result: [UInt8] = []
        result.reserveCapacity(digits.count / 2)
        var index = digits.startIndex
        while index < digits.endIndex {
            guard let high = nibble(digits[index]), let low = nibble(digits[index + 1]) else { return nil }
            result.append(high << 4 | low)
            index += 2
        }
        return result
    }

    private static func nibble(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }

    private static func escaped(_ bytes: UnsafeRawBufferPointer) -> [UInt8]? {
        var result: [UInt8] = []
        result.reserveCapacity(bytes.count)
        var index = 0
        while index < bytes.count {
            guard bytes[index] == UInt8(ascii: "\\") else {
                result.append(bytes[index])
                index += 1
                continue
            }
            if index + 1 < bytes.count, bytes[index + 1] == UInt8(ascii: "\\") {
                result.append(UInt8(ascii: "\\"))
                index += 2
                continue
            }
            guard index + 3 < bytes.count else { return nil }
            var value: UInt16 = 0
            for digit in bytes[(index + 1)...(index + 3)] {
                guard digit >= UInt8(ascii: "0"), digit <= UInt8(ascii: "7") else { return nil }
                value = value * 8 + UInt16(digit - UInt8(ascii: "0"))
            }
            guard value <= 0xFF else { return nil }
            result.append(UInt8(value))
            index += 4
        }
        return result
    }
}
