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

    @Test("help lists every option with its value name")
    func help() {
        #expect(spec.help.contains("Usage: paylater bench ledger [options]"))
        #expect(spec.help.contains("--transfers N"))
        #expect(spec.help.contains("--help"))
    }
}
