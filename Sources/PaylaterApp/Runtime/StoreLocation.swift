/// Where Paylater keeps its state, chosen from the command line first, then the environment, then a default.
public enum StoreLocation: Hashable, Sendable, CustomStringConvertible {
    /// The embedded SQLite store in a data directory.
    case dataDirectory(String)

    /// The environment variable naming the data directory.
    public static let dataDirectoryVariable = "PAYLATER_DATA_DIR"
    /// The data directory when neither the flag nor the environment names one.
    public static let defaultDataDirectory = "./paylater-data"
    /// The SQLite file inside the data directory.
    public static let databaseFileName = "paylater.sqlite"

    /// `--data-dir`, then `PAYLATER_DATA_DIR`, then `./paylater-data`. Empty values count as absent.
    public static func resolve(dataDirectoryFlag: String?, environment: [String: String]) -> StoreLocation {
        if let flag = dataDirectoryFlag, !flag.isEmpty { return .dataDirectory(flag) }
        if let variable = environment[dataDirectoryVariable], !variable.isEmpty { return .dataDirectory(variable) }
        return .dataDirectory(defaultDataDirectory)
    }

    public var description: String {
        switch self {
        case let .dataDirectory(path): "SQLite in \(path)"
        }
    }
}
