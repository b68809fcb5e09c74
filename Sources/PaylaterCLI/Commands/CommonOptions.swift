import PaylaterApp
import PaylaterLedger
import PaylaterPostgres
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

    /// For the commands that deliver webhooks (`serve`, `eod`) and register endpoints (`serve`).
    static let webhookDestinations = OptionSpec.value(
        "webhook-destinations", "public|any",
        "Where webhooks may go: public addresses only (default), or any address, loopback and private networks included (development, with a receiver on this machine).")

    /// `--consumer ID`: the shopper a command is about.
    static let consumer = OptionSpec.value("consumer", "ID", "The shopper's consumer id.")

    /// The shopper of `--consumer`; a missing or malformed id is a usage mistake.
    static func consumer(_ arguments: ParsedArguments) throws -> ConsumerID {
        do { return try ConsumerID(try arguments.required("consumer")) } catch let error as LedgerError {
            throw UsageError("'--consumer': \(error)")
        }
    }

    static func webhookDestinations(_ arguments: ParsedArguments) throws(UsageError) -> WebhookDestinations {
        try arguments.choice("webhook-destinations", default: WebhookDestinations.publicOnly)
    }

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
        return try PaylaterRuntime.open(
            location, connections: try connections(context), preparedStatements: try preparedStatements(context),
            clock: context.clock)
    }

    /// `$PAYLATER_PG_CONNECTIONS`: the most connections one process opens to PostgreSQL (default 10). Several nodes
    /// together must stay under the server's `max_connections` (or the pooler's pool size); a node that has some
    /// open waits for one of its own when the server refuses more.
    static let connectionsVariable = "PAYLATER_PG_CONNECTIONS"

    static func connections(_ context: CommandContext) throws -> Int {
        guard let text = context.environment[connectionsVariable] else { return 10 }
        guard let value = Int(text), (1...1_000).contains(value) else {
            throw UsageError("$\(connectionsVariable) must be a whole number from 1 to 1000, not '\(text)'")
        }
        return value
    }

    /// `$PAYLATER_PG_PREPARED_STATEMENTS`: how many named prepared statements each PostgreSQL connection keeps
    /// (default 128; 0 behind pgbouncer older than 1.21 or without `max_prepared_statements`).
    static let preparedStatementsVariable = "PAYLATER_PG_PREPARED_STATEMENTS"

    static func preparedStatements(_ context: CommandContext) throws -> Int {
        guard let text = context.environment[preparedStatementsVariable] else { return PostgresOptions.preparedStatementsDefault }
        guard let value = Int(text), (0...10_000).contains(value) else {
            throw UsageError("$\(preparedStatementsVariable) must be a whole number from 0 to 10000, not '\(text)'")
        }
        return value
    }
}
