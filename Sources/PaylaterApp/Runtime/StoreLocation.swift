/// Where Paylater keeps its state, chosen from the command line first, then the environment, then a default.
public enum StoreLocation: Hashable, Sendable, CustomStringConvertible {
    /// The embedded SQLite store in a data directory.
    case dataDirectory(String)
    /// A PostgreSQL database, by libpq connection URL (`postgres://user@host:port/database`).
    case postgres(url: String)

    /// The environment variable naming the data directory.
    public static let dataDirectoryVariable = "PAYLATER_DATA_DIR"
    /// The environment variable naming a PostgreSQL database.
    public static let databaseURLVariable = "PAYLATER_DATABASE_URL"
    /// The data directory when neither the flags nor the environment name a store.
    public static let defaultDataDirectory = "./paylater-data"
    /// The SQLite file inside the data directory.
    public static let databaseFileName = "paylater.sqlite"

    /// A flag beats the environment; `--database` and `--data-dir` together are a mistake; then
    /// `PAYLATER_DATABASE_URL`, then `PAYLATER_DATA_DIR`, then `./paylater-data`. Empty values count as absent.
    public static func resolve(
        databaseURLFlag: String? = nil, dataDirectoryFlag: String?, environment: [String: String]
    ) throws(StoreLocationError) -> StoreLocation {
        let databaseFlag = databaseURLFlag.flatMap { $0.isEmpty ? nil : $0 }
        let directoryFlag = dataDirectoryFlag.flatMap { $0.isEmpty ? nil : $0 }
        switch (databaseFlag, directoryFlag) {
        case (_?, _?): throw .conflictingFlags
        case let (url?, nil): return try postgres(url)
        case let (nil, directory?): return .dataDirectory(directory)
        case (nil, nil): break
        }
        if let url = environment[databaseURLVariable], !url.isEmpty { return try postgres(url) }
        if let directory = environment[dataDirectoryVariable], !directory.isEmpty { return .dataDirectory(directory) }
        return .dataDirectory(defaultDataDirectory)
    }

    private static func postgres(_ url: String) throws(StoreLocationError) -> StoreLocation {
        guard url.hasPrefix("postgres://") || url.hasPrefix("postgresql://") else { throw .notAPostgresURL(redacted(url)) }
        return .postgres(url: url)
    }

    /// The URL with any password replaced, for messages and logs.
    static func redacted(_ url: String) -> String {
        guard let scheme = url.firstRange(of: "://"), let at = url[scheme.upperBound...].firstIndex(of: "@") else { return url }
        let credentials = url[scheme.upperBound..<at]
        guard let colon = credentials.firstIndex(of: ":") else { return url }
        return String(url[..<url.index(after: colon)]) + "***" + String(url[at...])
    }

    public var description: String {
        switch self {
        case let .dataDirectory(path): "SQLite in \(path)"
        case let .postgres(url): "PostgreSQL at \(Self.redacted(url))"
        }
    }
}

/// Why the store's location could not be chosen.
public enum StoreLocationError: Error, Equatable, Sendable, CustomStringConvertible {
    case conflictingFlags
    case notAPostgresURL(String)

    public var description: String {
        switch self {
        case .conflictingFlags: "give either --database or --data-dir, not both"
        case let .notAPostgresURL(url): "'\(url)' is not a PostgreSQL URL (postgres://user@host:port/database)"
        }
    }
}
