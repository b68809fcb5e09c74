public import PaylaterTime

/// The `paylater` command line: finds the command named by the first words, parses its options and runs it.
public enum PaylaterCLI {
    static let commands: [any Command.Type] = [
        InitCommand.self,
        DemoCommand.self,
        LedgerVerifyCommand.self,
        LedgerAccountCommand.self,
        LedgerImportCommand.self,
        LedgerExpireHoldsCommand.self,
        BenchLedgerCommand.self,
        BenchDecisionsCommand.self,
        AprCommand.self,
        QuoteCommand.self,
        EndOfDayCommand.self,
        ServeCommand.self,
        MerchantCreateCommand.self,
        MerchantListCommand.self,
        MerchantShowCommand.self,
        MerchantRotateKeyCommand.self,
        MerchantSetPricingCommand.self,
        MerchantSetCheckoutConfirmationCommand.self,
        ConsumerTokenCommand.self,
        CapacitySetCommand.self,
        ModelTrainCommand.self,
        ModelImportLightGBMCommand.self,
        ModelScoreCommand.self,
        ModelEvaluateCommand.self,
        DecisionListCommand.self,
        DecisionShowCommand.self,
        DecisionReplayCommand.self,
        ShopperShowCommand.self,
        ShopperBlockCommand.self,
        ShopperUnblockCommand.self,
        ReferralListCommand.self,
        ReferralApproveCommand.self,
        ReferralDeclineCommand.self,
        CollectionsStandingCommand.self,
        CollectionsContactCommand.self,
        CollectionsHistoryCommand.self,
        CollectionsQueueCommand.self,
        VersionCommand.self,
    ]

    /// Runs `paylater` with `arguments` (without the program name) and returns the exit code.
    public static func run(
        _ arguments: [String], environment: [String: String], console: any Console = StandardConsole(),
        clock: any Clock = SystemClock()
    ) -> Int32 {
        let context = CommandContext(console: console, environment: environment, clock: clock)
        // `paylater --version` is what most command-line tools answer; it is the `version` command.
        let arguments = arguments == ["--version"] ? VersionCommand.spec.path : arguments
        guard let command = command(for: arguments) else {
            return help(for: arguments, console).rawValue
        }
        let rest = Array(arguments.dropFirst(command.spec.path.count))
        do {
            let parsed = try ParsedArguments(rest, spec: command.spec)
            if parsed.flag("help") {
                console.out(command.spec.help)
                return ExitCode.success.rawValue
            }
            return try command.run(parsed, context).rawValue
        } catch let error as UsageError {
            console.error("error: \(error)")
            console.error("Run 'paylater \(command.spec.path.joined(separator: " ")) --help' for usage.")
            return ExitCode.usage.rawValue
        } catch let error as InputError {
            console.error("error: \(error)")
            return ExitCode.usage.rawValue
        } catch {
            console.error("error: \(error)")
            return ExitCode.failure.rawValue
        }
    }

    /// The command whose path is the longest prefix of `arguments`.
    private static func command(for arguments: [String]) -> (any Command.Type)? {
        commands
            .filter { arguments.starts(with: $0.spec.path) }
            .max { $0.spec.path.count < $1.spec.path.count }
    }

    /// Help for `paylater`, or for a group such as `paylater ledger`, or an error for an unknown command.
    private static func help(for arguments: [String], _ console: any Console) -> ExitCode {
        let words = arguments.prefix { !$0.hasPrefix("-") }
        let wantsHelp = arguments.isEmpty || arguments.contains("--help") || arguments.contains("-h")
        let matching = commands.filter { $0.spec.path.starts(with: words) }
        guard !matching.isEmpty else {
            console.error("error: unknown command '\(words.joined(separator: " "))'")
            console.error("Run 'paylater --help' for the list of commands.")
            return .usage
        }
        let title = (["paylater"] + words).joined(separator: " ")
        var lines = ["Usage: \(title) <command> [options]", ""]
        if words.isEmpty {
            lines += ["Paylater: an open-source buy-now-pay-later platform.", ""]
        }
        lines.append("Commands:")
        let width = matching.map { $0.spec.path.joined(separator: " ").count }.max() ?? 0
        for command in matching {
            let name = command.spec.path.joined(separator: " ")
            lines.append("  " + name + String(repeating: " ", count: width - name.count) + "  " + command.spec.summary)
        }
        lines += ["", "Run 'paylater <command> --help' for a command's options."]
        if wantsHelp {
            console.out(lines.joined(separator: "\n"))
            return .success
        }
        if let option = arguments.first(where: { $0.hasPrefix("-") }) {
            console.error("error: unknown option '\(option)'")
        } else {
            console.error("error: '\(title)' needs a command")
        }
        lines.forEach(console.error)
        return .usage
    }
}
