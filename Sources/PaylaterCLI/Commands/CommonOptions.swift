import PaylaterApp
import PaylaterSQLite

/// Options several commands share, so they read the same everywhere.
enum CommonOptions {
    static let dataDirectory = OptionSpec.value(
        "data-dir", "DIR",
        "Data directory (default: $\(StoreLocation.dataDirectoryVariable), then \(StoreLocation.defaultDataDirectory)).")

    static let database = OptionSpec.value(
        "database", "URL",
        "PostgreSQL database, postgres://user@host:port/db (default: $\(StoreLocation.databaseURLVariable)).")

    /// Both store options, for every command that opens the store.
    static let store = [dataDirectory, database]

    static func location(_ arguments: ParsedArguments, _ context: CommandContext) throws -> StoreLocation {
        do {
            return try StoreLocation.resolve(
                databaseURLFlag: arguments.value("database"), dataDirectoryFlag: arguments.value("data-dir"),
                environment: context.environment)
        } catch {
            throw UsageError(error.description)
        }
    }

    /// Opens the store, creating it when `create` is true; otherwise fails when there is none yet, so a typo in a
    /// path does not silently make an empty ledger.
    static func open(_ arguments: ParsedArguments, _ context: CommandContext, create: Bool = false) throws -> PaylaterRuntime {
        let location = try location(arguments, context)
        if !create, !PaylaterRuntime.exists(location) {
            throw InputError("no Paylater store found (\(location)); run 'paylater init' first")
        }
        return try PaylaterRuntime.open(location, clock: context.clock)
    }
}
