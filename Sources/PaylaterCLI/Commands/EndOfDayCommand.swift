import PaylaterApp
import PaylaterMoney
import PaylaterTime

/// `paylater eod --date 2027-03-04`: the end-of-day run for one business date, stage by stage.
enum EndOfDayCommand: Command {
    static let spec = CommandSpec(
        path: ["eod"],
        summary: "Run the end of day for a business date: charge the late fees due.",
        discussion: """
            Charges the late fees due on DATE on every overdue plan opened with a late-fee policy, one transaction \
            per plan, and prints what each stage did: plans examined, plans charged, plans a previous run for DATE \
            had already handled, and late fees by currency. Each plan's run is recorded for DATE, so running it \
            again charges nothing more. Plans without a late-fee policy are examined but never charged.
            Exit codes: 0 success, 1 a failed stage (the stages before it stay done; rerun to finish), 2 a usage \
            mistake or no store.
            """,
        options: [.value("date", "DATE", "The business date, ISO 8601: 2027-03-04.")] + CommonOptions.store)

    /// One job of the end-of-day run, given the store and the date, returning the lines of its summary. The stages
    /// run in order; settlement and webhook delivery join the run by being added to `stages`.
    struct Stage: Sendable {
        let name: String
        let run: @Sendable (PaylaterRuntime, LocalDate) throws -> [String]
    }

    static let stages: [Stage] = [lateFees]

    static func run(_ arguments: ParsedArguments, _ context: CommandContext) throws -> ExitCode {
        let dateText = try arguments.required("date")
        let date: LocalDate
        do { date = try LocalDate(iso8601: dateText) } catch { throw UsageError("'--date': \(error.description)") }
        let runtime = try CommonOptions.open(arguments, context)
        context.console.out("end of day \(date)")
        for stage in stages {
            context.console.out("\(stage.name):")
            try stage.run(runtime, date).forEach { context.console.out("  " + $0) }
        }
        return .success
    }

    /// Late fees: `ServicingService.runEndOfDay(on:)`.
    static let lateFees = Stage(name: "late fees") { runtime, date in
        let report = try ServicingService(database: runtime.database, clock: runtime.clock).runEndOfDay(on: date)
        return summary(report)
    }

    /// The late-fee stage's lines: the counts, then the fees by currency code (or "none").
    static func summary(_ report: EndOfDayReport) -> [String] {
        let fees = report.lateFees.values.sorted { $0.currency.code < $1.currency.code }
            .map { "\($0.decimalString) \($0.currency.code)" }
        return [
            "plans examined: \(report.plansExamined)",
            "plans charged: \(report.plansCharged)",
            "plans already done for \(report.date): \(report.plansAlreadyDone)",
            "late fees charged: \(fees.isEmpty ? "none" : fees.joined(separator: ", "))",
        ]
    }
}
