import PaylaterCLI
import Testing

@Suite("Argument parsing")
struct ArgumentParsingTests {
    let spec = CommandSpec(
        path: ["bench", "ledger"], summary: "test",
        options: [.value("transfers", "N", "count"), .value("mode", "M", "mode"), .flag("json", "json output")])

    @Test("values come as --name value or --name=value, flags stand alone")
    func forms() throws {
        let parsed = try ParsedArguments(["--transfers", "10", "--mode=fast", "--json"], spec: spec)
        #expect(parsed.value("transfers") == "10")
        #expect(parsed.value("mode") == "fast")
        #expect(parsed.flag("json"))
        #expect(!parsed.flag("help"))
    }

    @Test("mistakes are usage errors that say what is wrong", arguments: [
        (["--nope"], "unknown option '--nope'"),
        (["--transfers"], "'--transfers' needs a value"),
        (["--transfers", "--json"], "'--transfers' needs a value"),
        (["--json", "--json"], "'--json' is given twice"),
        (["--json=yes"], "'--json' takes no value"),
        (["stray"], "unexpected argument 'stray'"),
    ])
    func mistakes(arguments: [String], message: String) {
        #expect(throws: UsageError(message)) { try ParsedArguments(arguments, spec: spec) }
    }

    @Test("integers are checked against their range")
    func integers() throws {
        let parsed = try ParsedArguments(["--transfers", "0"], spec: spec)
        #expect(throws: UsageError("'--transfers' must be a whole number from 1 to 100, not '0'")) {
            try parsed.integer("transfers", in: 1...100, default: 5)
        }
        #expect(try ParsedArguments([], spec: spec).integer("transfers", in: 1...100, default: 5) == 5)
        #expect(throws: UsageError.self) { try ParsedArguments(["--transfers", "1e3"], spec: spec).integer("transfers", in: 1...10_000, default: 5) }
    }

    @Test("positional words are taken in order among the options; missing or extra ones are usage errors")
    func positionals() throws {
        let spec = CommandSpec(
            path: ["apr"], summary: "test", options: [.value("method", "M", "method")],
            positionals: [PositionalSpec("FILE", "the schedule")])
        let parsed = try ParsedArguments(["--method", "eu", "schedule.json"], spec: spec)
        #expect(parsed.positionals == ["schedule.json"])
        #expect(parsed.value("method") == "eu")
        #expect(try ParsedArguments(["schedule.json", "--method=eu"], spec: spec).positionals == ["schedule.json"])
        #expect(throws: UsageError("FILE is required")) { try ParsedArguments(["--method", "eu"], spec: spec) }
        #expect(throws: UsageError("unexpected argument 'extra'")) { try ParsedArguments(["a", "extra"], spec: spec) }
        #expect(try ParsedArguments(["--help"], spec: spec).flag("help"))
        #expect(spec.help.contains("Usage: paylater apr [options] FILE"))
    }

    @Test("help lists every option with its value name")
    func help() {
        #expect(spec.help.contains("Usage: paylater bench ledger [options]"))
        #expect(spec.help.contains("--transfers N"))
        #expect(spec.help.contains("--help"))
    }
}
