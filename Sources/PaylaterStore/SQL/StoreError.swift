/// A failure of the store, carrying the engine's own code (SQLite's extended result code, PostgreSQL's SQLSTATE).
public enum StoreError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The database could not be opened or configured.
    case cannotOpen(location: String, message: String)
    /// A statement failed. `code` is the engine's code, for example `SQLITE_CONSTRAINT_UNIQUE (2067)` or `23505`.
    case statementFailed(engine: String, code: String, message: String, sql: String)
    /// Another transaction got in the way (busy, locked, serialization failure, deadlock); retrying may succeed.
    case conflict(engine: String, code: String, message: String)
    /// A stored row could not be read back into a domain value.
    case unreadableRow(String)
    /// A repository broke one of its own invariants; a bug, reported instead of writing something wrong.
    case inconsistent(String)
    /// The database was migrated by a newer build of Paylater than this one.
    case schemaNewerThanBuild(found: Int, newestKnown: Int)
    /// An applied migration's statements differ from this build's: migrations are append-only.
    case migrationEdited(version: Int, name: String)

    public var description: String {
        switch self {
        case let .cannotOpen(location, message): "cannot open the database at \(location): \(message)"
        case let .statementFailed(engine, code, message, sql): "\(engine) error \(code): \(message) (in: \(sql))"
        case let .conflict(engine, code, message): "\(engine) conflict \(code): \(message)"
        case let .unreadableRow(problem): "a stored row cannot be read: \(problem)"
        case let .inconsistent(problem): "internal inconsistency: \(problem)"
        case let .schemaNewerThanBuild(found, known):
            "the database schema is at version \(found), newer than this build knows (\(known)); upgrade Paylater"
        case let .migrationEdited(version, name):
            "migration \(version) (\(name)) differs from the one applied to this database; migrations are append-only"
        }
    }

    /// Whether the database itself cannot serve now (not reachable, shutting down or starting, out of connection
    /// slots, out of disk): nothing the request did is at fault, and the same request may succeed a little later.
    /// PostgreSQL's SQLSTATE classes 08 (connection), 53 (insufficient resources) and 57P01–57P03 (shutdown, cannot
    /// connect now); SQLite's SQLITE_IOERR, SQLITE_FULL and SQLITE_CANTOPEN (extended codes included).
    public var isUnavailable: Bool {
        switch self {
        case .cannotOpen: return true
        case let .statementFailed(engine, code, _, _), let .conflict(engine, code, _):
            if engine == "PostgreSQL" {
                return code.hasPrefix("08") || code.hasPrefix("53") || ["57P01", "57P02", "57P03"].contains(code)
            }
            // SQLite's codes read "database or disk is full (13)": the primary code is the low byte of the number.
            guard code.hasSuffix(")"), let open = code.lastIndex(of: "("),
                let number = Int32(code[code.index(after: open)..<code.index(before: code.endIndex)])
            else { return false }
            return [10, 13, 14].contains(number & 0xff)  // SQLITE_IOERR, SQLITE_FULL, SQLITE_CANTOPEN
        default: return false
        }
    }

    /// Whether running the same transaction again may succeed.
    public var isRetryable: Bool {
        if case .conflict = self { return true }
        return false
    }
}
