import Foundation
import PaylaterCLI
import Testing

@Suite("paylater apr")
struct AprCommandTests {
    /// Regulation Z Appendix J example (c)(1)(i): $5,000 advanced on 1978-01-10, 24 monthly payments of $230.
    static let regulationZ: String = {
        let payments = (0..<24).map { month -> String in
            let total = 1 + month
            let year = 1978 + total / 12
            let monthOfYear = total % 12 + 1
            return #"{"date":"\#(year)-\#(monthOfYear < 10 ? "0" : "")\#(monthOfYear)-10","amount":"230.00"}"#
        }
        return #"{"currency":"USD","advances":[{"date":"1978-01-10","amount":"5000.00"}],"payments":[\#(payments.joined(separator: ","))]}"#
    }()

    @Test("the Regulation Z example prints 9.6857% with four decimals, in text and JSON")
    func regulationZExample() throws {
        let scratch = ScratchDirectory()
        let file = scratch.file("schedule.json", Self.regulationZ)
        let text = CLIRun(["apr", "--method", "us-regz", file])
        #expect(text.exitCode == 0, "\(text.errorOutput)")
        #expect(text.output == "APR 9.6857% (us-regz)")
        let json = CLIRun(["apr", file, "--method", "us-regz", "--json"])
        #expect(json.exitCode == 0)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.output.utf8)) as? [String: Any])
        #expect(object["apr"] as? String == "9.6857")
        #expect(object["method"] as? String == "us-regz")
    }

    @Test("bad files and bad arguments exit 2 with a message that names the problem", arguments: [
        (#"{"currency":"USD","advances":[],"payments":[]}"#, "advance"),
        (#"{"currency":"XXQ","advances":[{"date":"2026-01-01","amount":"1.00"}],"payments":[{"date":"2026-02-01","amount":"2.00"}]}"#, "XXQ"),
        (#"{"currency":"USD","advances":[{"date":"2026-02-30","amount":"1.00"}],"payments":[{"date":"2026-03-01","amount":"2.00"}]}"#, "advances[0].date"),
        (#"{"currency":"USD","advances":[{"date":"2026-01-01","amount":"1.005"}],"payments":[{"date":"2026-02-01","amount":"2.00"}]}"#, "decimal"),
        (#"{"currency":"USD","advances":[{"date":"2026-01-01","amount":5}],"payments":[]}"#, "advances[0].amount"),
        (#"{"currency":"USD","advances":[{"date":"2026-01-01","amount":"100.00"}],"payments":[{"date":"2026-02-01","amount":"50.00"}]}"#, "less than the advances"),
        ("not json", "JSON"),
    ])
    func badFiles(contents: String, mentions: String) {
        let scratch = ScratchDirectory()
        let run = CLIRun(["apr", "--method", "eu", scratch.file("bad.json", contents)])
        #expect(run.exitCode == 2)
        #expect(run.errorOutput.localizedCaseInsensitiveContains(mentions), "\(run.errorOutput)")
    }

    @Test("a key the file does not have is refused with its path, exit 2, rather than left out of the rate", arguments: [
        (#"{"currency":"USD","advances":[{"date":"2026-01-01","amount":"100.00"}],"payments":[{"date":"2026-02-01","amount":"150.00"}],"x":1}"#, "'x' is not a known field"),
        (#"{"currency":"USD","advances":[{"date":"2026-01-01","amount":"100.00"}],"payments":[{"date":"2026-02-01","amount":"150.00"}],"fees":[{"date":"2026-01-01","amount":"20.00"}]}"#, "'fees' is not a known field"),
        (#"{"currency":"USD","advances":[{"date":"2026-01-01","amount":"100.00"}],"payments":[{"date":"2026-02-01","amount":"150.00","fee":"1"}]}"#, "'payments[0].fee' is not a known field"),
    ])
    func unknownKeys(contents: String, mentions: String) {
        let scratch = ScratchDirectory()
        let file = scratch.file("unknown.json", contents)
        let run = CLIRun(["apr", "--method", "eu", file])
        #expect(run.exitCode == 2)
        #expect(run.output.isEmpty)
        #expect(run.errorOutput.contains("\(file): \(mentions)"), "\(run.errorOutput)")
    }

    @Test("a rate too large to show exits 2 with a message, in text and JSON, rather than crashing")
    func rateTooLarge() {
        let scratch = ScratchDirectory()
        let file = scratch.file("short.json", #"{"currency":"CNY","advances":[{"date":"2026-01-01","amount":"100.00"}],"payments":[{"date":"2026-01-02","amount":"105.00"}]}"#)
        for extra in [[], ["--json"]] {
            let run = CLIRun(["apr", "--method", "cn-irr", file] + extra)
            #expect(run.exitCode == 2)
            #expect(run.errorOutput.contains("too large to be an annual percentage rate"), "\(run.errorOutput)")
        }
    }

    @Test("a missing file, a missing FILE argument and an unknown method are usage errors")
    func usage() {
        #expect(CLIRun(["apr", "--method", "eu", "/nonexistent/schedule.json"]).exitCode == 2)
        #expect(CLIRun(["apr", "--method", "eu"]).errorOutput.contains("FILE is required"))
        let scratch = ScratchDirectory()
        let unknown = CLIRun(["apr", "--method", "apr-of-mars", scratch.file("s.json", Self.regulationZ)])
        #expect(unknown.exitCode == 2)
        #expect(unknown.errorOutput.contains("us-regz"))
    }
}

@Suite("paylater quote")
struct QuoteCommandTests {
    @Test("a catalog file whose top level is not an object is refused saying so, with no empty path, exit 2")
    func topLevelNotAnObject() {
        let scratch = ScratchDirectory()
        let file = scratch.file("array.json", "[]")
        let quote = CLIRun(["quote", "--product", "pay-in-4", "--amount", "100.00", "--currency", "CNY", "--date", "2026-11-24", "--catalog", file])
        #expect(quote.exitCode == 2)
        #expect(quote.errorOutput == "error: \(file): expected an object at the top level", "\(quote.errorOutput)")
    }

    @Test("a quote prints the schedule, the total cost and the three APRs; a bad request exits 2 naming it")
    func quote() {
        let run = CLIRun(["quote", "--product", "monthly-split-6", "--amount", "3000.00", "--currency", "CNY", "--date", "2026-11-24"])
        #expect(run.exitCode == 0, "\(run.errorOutput)")
        #expect(run.output.contains("2027-05-24"))
        #expect(run.output.contains("total cost 90.00 CNY; total repaid 3090.00 CNY"))
        #expect(run.output.contains("APR 10.2136% (us-regz)"))
        let unknown = CLIRun(["quote", "--product", "nope", "--amount", "1.00", "--currency", "CNY", "--date", "2026-11-24"])
        #expect(unknown.exitCode == 2)
        #expect(unknown.errorOutput.contains("nope"))
        #expect(
            unknown.errorOutput.contains("in the built-in catalog (--catalog FILE for another); it has try-then-pay, pay-in-4"),
            "an unknown product's error says which catalog was read and what it has: \(unknown.errorOutput)")
        let tooManyDecimals = CLIRun(["quote", "--product", "pay-in-4", "--amount", "199.001", "--currency", "CNY", "--date", "2026-11-24"])
        #expect(tooManyDecimals.exitCode == 2)
    }
}
