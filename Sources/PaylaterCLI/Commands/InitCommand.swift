import PaylaterApp
import PaylaterLedger
import PaylaterMoney
import PaylaterStore

/// `paylater init`: creates the data directory and schema, and the platform's accounts in a currency.
enum InitCommand: Command {
    static let spec = CommandSpec(
        path: ["init"],
        summary: "Create or upgrade the store and open the platform's ledger accounts.",
        discussion: "Safe to run again: it applies only missing migrations and opens only missing accounts.",
        options: [CommonOptions.dataDirectory, CommonOptions.database, .value("currency", "CODE", "ISO 4217 currency of the platform accounts (default CNY).")])

    static func run(_ arguments: ParsedArguments, _ context: CommandContext) throws -> ExitCode {
        let currency: Currency
        do { currency = try Currency(code: arguments.value("currency") ?? "CNY") } catch { throw UsageError(error.description) }
        let runtime = try CommonOptions.open(arguments, context, create: true)
        let results = try runtime.ledger.openAccounts(ChartOfAccounts.platformAccounts(currency))
        let created = results.filter { $0 == .created }.count
        let version = try Migrator().currentVersion(of: runtime.database)
        context.console.out("Paylater is ready: \(runtime.location), schema version \(version).")
        context.console.out("Platform accounts in \(currency): \(created) opened, \(results.count - created) already open.")
        return .success
    }
}

/// `paylater version`.
enum VersionCommand: Command {
    static let spec = CommandSpec(path: ["version"], summary: "Print the version of paylater and its schema.")

    static func run(_ arguments: ParsedArguments, _ context: CommandContext) throws -> ExitCode {
        context.console.out("paylater \(PaylaterVersion.current) (schema version \(Schema.migrations.count))")
        return .success
    }
}
