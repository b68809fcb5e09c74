import PaylaterApp

/// `paylater demo`: the ledger demo, run against the data directory.
enum DemoCommand: Command {
    static let spec = CommandSpec(
        path: ["demo"],
        summary: "Walk one pay-in-4 purchase through the ledger and verify it.",
        discussion: "Creates the store if needed. Every id is fixed, so a second run changes nothing.",
        options: CommonOptions.store)

    static func run(_ arguments: ParsedArguments, _ context: CommandContext) throws -> ExitCode {
        let runtime = try CommonOptions.open(arguments, context, create: true)
        context.console.out("Paylater ledger demo (\(runtime.location))")
        let story = try LedgerDemo(runtime: runtime).run()
        story.forEach(context.console.out)
        return story.last?.hasPrefix("Ledger verified") == true ? .success : .failure
    }
}
