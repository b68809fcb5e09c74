import Foundation
import PaylaterApp
import PaylaterCLI
import PaylaterLedger
import PaylaterStore
import PaylaterTestSupport
import PaylaterTime
import Testing

/// Runs `paylater` in process with a recording console.
struct CLIRun {
    let exitCode: Int32
    let output: String
    let errorOutput: String

    /// Runs `paylater` in-process with its clock at `now` (by default 2026-09-21T14:13:20Z).
    init(_ arguments: [String], environment: [String: String] = [:], at now: Instant = Instant(secondsSinceUnixEpoch: 1_790_000_000)) {
        let console = RecordingConsole()
        exitCode = PaylaterCLI.run(arguments, environment: environment, console: console, clock: ManualClock(now))
        output = console.output
        errorOutput = console.errorOutput
    }
}

final class ScratchDirectory: Sendable {
    let path: String
    init() {
        path = FileManager.default.temporaryDirectory.appendingPathComponent("paylater-cli-\(UUID().uuidString)").path
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }
    func file(_ name: String, _ contents: String) -> String {
        let file = path + "/" + name
        precondition(FileManager.default.createFile(atPath: file, contents: Data(contents.utf8)), "cannot write \(file)")
        return file
    }
    deinit { try? FileManager.default.removeItem(atPath: path) }
}

@Suite("paylater commands")
struct CommandTests {
    @Test("paylater with no command lists the commands; an unknown one exits 2")
    func topLevel() {
        let help = CLIRun([])
        #expect(help.exitCode == 0)
        #expect(help.output.contains("ledger verify"))
        #expect(help.output.contains("bench ledger"))
        let unknown = CLIRun(["frobnicate"])
        #expect(unknown.exitCode == 2)
        #expect(unknown.errorOutput.contains("unknown command 'frobnicate'"))
    }

    @Test("every command answers --help")
    func everyCommandHasHelp() {
        for path in [["init"], ["demo"], ["ledger", "verify"], ["ledger", "account"], ["ledger", "import"],
                     ["ledger", "expire-holds"], ["bench", "ledger"], ["version"]] {
            let run = CLIRun(path + ["--help"])
            #expect(run.exitCode == 0, "\(path)")
            #expect(run.output.hasPrefix("Usage: paylater \(path.joined(separator: " "))"), "\(path)")
        }
    }

    @Test("version names the build and the schema")
    func version() {
        let run = CLIRun(["version"])
        #expect(run.exitCode == 0)
        #expect(run.output == "paylater \(PaylaterVersion.current) (schema version \(Schema.migrations.count))")
    }

    @Test("--version prints what version prints and exits 0, as --version does for most command-line tools")
    func versionOption() {
        let run = CLIRun(["--version"])
        #expect(run.exitCode == 0, "\(run.errorOutput)")
        #expect(run.output == CLIRun(["version"]).output)
        #expect(run.errorOutput.isEmpty)
    }

    @Test("an unknown option before any command, or a group without its command, is a usage error that says so")
    func unknownTopLevelOption() {
        let unknown = CLIRun(["--bogus"])
        #expect(unknown.exitCode == 2)
        #expect(unknown.errorOutput.hasPrefix("error: unknown option '--bogus'"), "\(unknown.errorOutput)")
        let group = CLIRun(["ledger"])
        #expect(group.exitCode == 2)
        #expect(group.errorOutput.hasPrefix("error: 'paylater ledger' needs a command"), "\(group.errorOutput)")
        #expect(group.errorOutput.contains("ledger verify"))
    }

    @Test("init creates the store in the directory from the environment, and is safe to repeat")
    func initUsesEnvironment() throws {
        let scratch = ScratchDirectory()
        let environment = ["PAYLATER_DATA_DIR": scratch.path + "/data"]
        let first = CLIRun(["init"], environment: environment)
        #expect(first.exitCode == 0)
        #expect(first.output.contains("14 opened"))
        #expect(FileManager.default.fileExists(atPath: scratch.path + "/data/paylater.sqlite"))
        let again = CLIRun(["init"], environment: environment)
        #expect(again.output.contains("0 opened, 14 already open"))
        #expect(CLIRun(["init", "--currency", "XYZ"], environment: environment).exitCode == 2)
    }

    @Test("ledger verify refuses a directory without a store instead of creating one")
    func verifyWithoutStore() {
        let scratch = ScratchDirectory()
        let run = CLIRun(["ledger", "verify", "--data-dir", scratch.path + "/missing"])
        #expect(run.exitCode == 2)
        #expect(run.errorOutput.contains("run 'paylater init' first"))
        #expect(!FileManager.default.fileExists(atPath: scratch.path + "/missing"))
    }

    @Test("ledger verify exits 1 and names the first violation")
    func verifyFindsViolation() throws {
        let scratch = ScratchDirectory()
        #expect(CLIRun(["demo", "--data-dir", scratch.path]).exitCode == 0)
        #expect(CLIRun(["ledger", "verify", "--data-dir", scratch.path]).exitCode == 0)
        let runtime = try PaylaterRuntime.open(.dataDirectory(scratch.path))
        try runtime.database.write {
            try $0.execute("UPDATE ledger_accounts SET debits_posted = debits_posted + 1 WHERE id = 'platform:cash:CNY'", [])
        }
        let run = CLIRun(["ledger", "verify", "--data-dir", scratch.path])
        #expect(run.exitCode == 1)
        #expect(run.errorOutput.contains("account platform:cash:CNY: stored totals"))
    }

    @Test("a malformed journal line is reported with its line number and nothing is applied")
    func importRejectsMalformedLine() {
        let scratch = ScratchDirectory()
        let journal = scratch.file("j.jsonl", """
            {"op":"open","id":"a","currency":"CNY","code":1}
            {"op":"open","id":"b","currency":"CNY","code":1}
            {"op":"transfer","id":"t1","kind":"posted","debit":"a","credit":"b","amount":"1.005","currency":"CNY","code":1}
            """)
        let run = CLIRun(["ledger", "import", "--file", journal, "--data-dir", scratch.path])
        #expect(run.exitCode == 2)
        #expect(run.errorOutput.contains("line 3"))
        #expect(run.errorOutput.contains("decimal"))
        #expect(!FileManager.default.fileExists(atPath: scratch.path + "/paylater.sqlite"))
    }

    @Test("a misspelt field in a journal line is refused with its line and name, and nothing is applied", arguments: [
        #"{"op":"transfer","id":"h1","kind":"pending","debit":"a","credit":"b","amount":"1.00","currency":"CNY","code":1,"timeout_secs":5}"#,
        #"{"op":"transfer","id":"t1","kind":"posted","debit":"a","credit":"b","amount":"1.00","currency":"CNY","code":1,"link":true}"#,
        #"{"op":"open","id":"c","currency":"CNY","code":1,"flag":["debits_must_not_exceed_credits"]}"#,
    ])
    func importRefusesUnknownFields(line: String) throws {
        let scratch = ScratchDirectory()
        #expect(CLIRun(["init", "--data-dir", scratch.path]).exitCode == 0)
        let journal = scratch.file("j.jsonl", """
            {"op":"open","id":"a","currency":"CNY","code":1}
            {"op":"open","id":"b","currency":"CNY","code":1}
            \(line)
            """)
        let run = CLIRun(["ledger", "import", "--file", journal, "--data-dir", scratch.path])
        #expect(run.exitCode == 2, "\(run.output)")
        #expect(run.errorOutput.contains("line 3: unknown field"), "\(run.errorOutput)")
        #expect(CLIRun(["ledger", "account", "--id", "a", "--data-dir", scratch.path]).exitCode != 0, "nothing applied")
    }

    @Test("import reports rejected transfers and exits 1, keeping the ones that were valid")
    func importReportsRejections() throws {
        let scratch = ScratchDirectory()
        #expect(CLIRun(["init", "--data-dir", scratch.path]).exitCode == 0)
        let journal = scratch.file("j.jsonl", """
            {"op":"open","id":"a","currency":"CNY","code":1,"flags":["debits_must_not_exceed_credits"]}
            {"op":"open","id":"b","currency":"CNY","code":1}
            {"op":"transfer","id":"t1","kind":"posted","debit":"b","credit":"a","amount":"5.00","currency":"CNY","code":1}
            {"op":"transfer","id":"t2","kind":"posted","debit":"a","credit":"b","amount":"6.00","currency":"CNY","code":1}
            """)
        let run = CLIRun(["ledger", "import", "--file", journal, "--data-dir", scratch.path])
        #expect(run.exitCode == 1)
        #expect(run.output.contains("3 created, 0 exist, 1 rejected"))
        #expect(run.errorOutput.contains("transfer t2: account a would have more debits than credits"))
        let account = CLIRun(["ledger", "account", "--id", "a", "--data-dir", scratch.path])
        #expect(account.output.contains("credits: posted 5.00, pending 0.00"))
    }
}

@Suite("paylater ledger account")
struct LedgerAccountCommandTests {
    @Test("an account shows its totals and its balance on its normal side")
    func normalSide() {
        let scratch = ScratchDirectory()
        #expect(CLIRun(["demo", "--data-dir", scratch.path]).exitCode == 0)
        let available = CLIRun(["ledger", "account", "--id", "consumer:c-demo:credit-available:CNY", "--data-dir", scratch.path])
        #expect(available.output.contains("balance: 1550.75 (credit balance)"), "\(available.output)")
        let receivable = CLIRun(["ledger", "account", "--id", "plan:p-demo:receivable:CNY", "--data-dir", scratch.path])
        #expect(receivable.output.contains("balance: 449.25 (debit balance)"), "\(receivable.output)")
        #expect(CLIRun(["ledger", "account", "--id", "nobody", "--data-dir", scratch.path]).exitCode == 1)
        #expect(CLIRun(["ledger", "account", "--id", "bad id!", "--data-dir", scratch.path]).exitCode == 2)
    }

    @Test("a balance against the account's normal side is labelled with the side it stands on: a payable the merchant owes is a debit balance, cash paid out beyond what came in a credit balance")
    func balanceAgainstItsNormalSide() throws {
        let scratch = ScratchDirectory()
        #expect(CLIRun(["init", "--data-dir", scratch.path]).exitCode == 0)
        let journal = scratch.file("j.jsonl", """
            {"op":"open","id":"merchant:m1:payable:CNY","currency":"CNY","code":2000}
            {"op":"open","id":"platform:cash:CNY","currency":"CNY","code":1000}
            {"op":"transfer","id":"t1","kind":"posted","debit":"merchant:m1:payable:CNY","credit":"platform:cash:CNY","amount":"8.87","currency":"CNY","code":1}
            """)
        #expect(CLIRun(["ledger", "import", "--file", journal, "--data-dir", scratch.path]).exitCode == 0)
        let payable = CLIRun(["ledger", "account", "--id", "merchant:m1:payable:CNY", "--data-dir", scratch.path])
        #expect(payable.output.contains("balance: 8.87 (debit balance, against the account's normal credit side)"), "\(payable.output)")
        let cash = CLIRun(["ledger", "account", "--id", "platform:cash:CNY", "--data-dir", scratch.path])
        #expect(cash.output.contains("balance: 8.87 (credit balance, against the account's normal debit side)"), "\(cash.output)")
    }
}

@Suite("paylater merchant create")
struct MerchantCreateCommandTests {
    @Test("a blank, too long or control-character name is a usage mistake (exit 2) naming --name, before any store is made", arguments: [
        "", "   ", String(repeating: "x", count: 201), "Evil\nName", "Tab\tName",
    ])
    func badNames(name: String) {
        let scratch = ScratchDirectory()
        let run = CLIRun(["merchant", "create", "--name", name, "--data-dir", scratch.path])
        #expect(run.exitCode == 2, "\(run.output) \(run.errorOutput)")
        #expect(run.errorOutput.contains("'--name'"), "\(run.errorOutput)")
        #expect(!FileManager.default.fileExists(atPath: scratch.path + "/paylater.sqlite"))
    }

    @Test("a name in any script is kept as given, less the spaces around it")
    func unicodeName() {
        let scratch = ScratchDirectory()
        let run = CLIRun(["merchant", "create", "--name", "  抖音小店 Ünïcode  ", "--data-dir", scratch.path])
        #expect(run.exitCode == 0, "\(run.errorOutput)")
        #expect(run.output.contains("api key  plk_"))
    }
}

@Suite("paylater merchant set-checkout-confirmation")
struct MerchantCheckoutConfirmationCommandTests {
    @Test("a merchant made with shopper confirmation says so; the rule is set and printed before and after; mistakes exit 2, an unknown merchant 1")
    func setsTheRule() throws {
        let scratch = ScratchDirectory()
        let created = CLIRun([
            "merchant", "create", "--name", "Stall 7", "--checkout-confirmation", "shopper", "--data-dir", scratch.path,
        ])
        #expect(created.exitCode == 0 && created.output.contains("checkouts confirmed by the shopper"), "\(created.errorOutput)")
        let id = try #require(created.output.split(separator: "\n").first?.split(separator: " ").last.map(String.init))
        let set = CLIRun([
            "merchant", "set-checkout-confirmation", "--merchant", id, "--checkout-confirmation", "merchant",
            "--data-dir", scratch.path,
        ])
        #expect(set.exitCode == 0, "\(set.errorOutput)")
        #expect(set.output.contains("checkouts confirmed by: shopper before, merchant now"), "\(set.output)")
        let wrong = CLIRun([
            "merchant", "set-checkout-confirmation", "--merchant", id, "--checkout-confirmation", "nobody", "--data-dir", scratch.path,
        ])
        #expect(wrong.exitCode == 2 && wrong.errorOutput.contains("merchant, shopper"), "\(wrong.errorOutput)")
        #expect(CLIRun(["merchant", "set-checkout-confirmation", "--merchant", id, "--data-dir", scratch.path]).exitCode == 2)
        let missing = CLIRun([
            "merchant", "set-checkout-confirmation", "--merchant", "m_nobody", "--checkout-confirmation", "shopper",
            "--data-dir", scratch.path,
        ])
        #expect(missing.exitCode == 1, "\(missing.errorOutput)")
        let badCreate = CLIRun([
            "merchant", "create", "--name", "X", "--checkout-confirmation", "anyone", "--data-dir", scratch.path,
        ])
        #expect(badCreate.exitCode == 2)
    }

    @Test("merchant list and show print each merchant's pricing, scheduled changes and confirmation rule")
    func listAndShow() throws {
        let scratch = ScratchDirectory()
        #expect(CLIRun(["init", "--data-dir", scratch.path]).exitCode == 0)
        #expect(CLIRun(["merchant", "list", "--data-dir", scratch.path]).output.contains("no merchants"))
        let created = CLIRun([
            "merchant", "create", "--name", "Stall 7", "--discount-bp", "300", "--fixed-fee", "0.30 CNY",
            "--checkout-confirmation", "shopper", "--data-dir", scratch.path,
        ])
        let id = try #require(created.output.split(separator: "\n").first?.split(separator: " ").last.map(String.init))
        let list = CLIRun(["merchant", "list", "--data-dir", scratch.path])
        #expect(list.exitCode == 0, "\(list.errorOutput)")
        #expect(list.output.split(separator: "\n") == ["\(id)  300 bp + 0.30 CNY per order  checkouts confirmed by shopper  Stall 7"])
        let future = try LocalDate(year: 2099, month: 1, day: 1)
        #expect(CLIRun([
            "merchant", "set-pricing", "--merchant", id, "--discount-bp", "200", "--effective", future.description,
            "--data-dir", scratch.path,
        ]).exitCode == 0)
        #expect(CLIRun(["merchant", "list", "--data-dir", scratch.path]).output.contains("per order +  checkouts"))
        let show = CLIRun(["merchant", "show", "--merchant", id, "--data-dir", scratch.path])
        #expect(show.exitCode == 0, "\(show.errorOutput)")
        #expect(show.output.contains("pricing  300 bp + 0.30 CNY per order\n  from 2099-01-01 200 bp + 0.30 CNY per order\n"), "\(show.output)")
        #expect(show.output.contains("name     Stall 7") && show.output.contains("checkouts confirmed by shopper"))
        #expect(CLIRun(["merchant", "show", "--merchant", "m_nobody", "--data-dir", scratch.path]).exitCode == 1)
    }
}

@Suite("paylater merchant rotate-key")
struct MerchantRotateKeyCommandTests {
    @Test("prints the merchant and a new key; an unknown merchant is exit 1, a missing --merchant exit 2")
    func rotates() throws {
        let scratch = ScratchDirectory()
        let created = CLIRun(["merchant", "create", "--name", "Acme", "--data-dir", scratch.path])
        let id = try #require(created.output.split(separator: "\n").first?.split(separator: " ").last.map(String.init))
        let oldKey = try #require(created.output.split(separator: "\n").last?.split(separator: " ").last.map(String.init))
        let run = CLIRun(["merchant", "rotate-key", "--merchant", id, "--data-dir", scratch.path])
        #expect(run.exitCode == 0, "\(run.errorOutput)")
        let lines = run.output.split(separator: "\n").map(String.init)
        #expect(lines.first == "merchant \(id)")
        let newKey = try #require(lines.last?.split(separator: " ").last.map(String.init))
        #expect(lines.last?.hasPrefix("api key  plk_") == true && newKey != oldKey)
        let missing = CLIRun(["merchant", "rotate-key", "--merchant", "m_nobody", "--data-dir", scratch.path])
        #expect(missing.exitCode == 1 && missing.errorOutput.contains("merchant m_nobody does not exist"), "\(missing.errorOutput)")
        #expect(CLIRun(["merchant", "rotate-key", "--data-dir", scratch.path]).exitCode == 2)
    }
}

@Suite("paylater merchant set-pricing")
struct MerchantSetPricingCommandTests {
    @Test("changes what it is given and keeps the rest, printing the pricing before and after; an unknown merchant is exit 1; nothing to change or a bad fee exit 2")
    func setsPricing() throws {
        let scratch = ScratchDirectory()
        let created = CLIRun(["merchant", "create", "--name", "Acme", "--fixed-fee", "0.30 CNY", "--data-dir", scratch.path])
        let id = try #require(created.output.split(separator: "\n").first?.split(separator: " ").last.map(String.init))
        func setPricing(_ options: [String]) -> CLIRun {
            CLIRun(["merchant", "set-pricing", "--merchant", id] + options + ["--data-dir", scratch.path])
        }
        let run = setPricing(["--discount-bp", "180"])
        #expect(run.exitCode == 0, "\(run.errorOutput)")
        #expect(run.output.split(separator: "\n").map(String.init) == [
            "merchant \(id)", "before   250 bp + 0.30 CNY per order", "now      180 bp + 0.30 CNY per order",
        ], "\(run.output)")
        // Another currency's fee is added; CNY's is kept.
        #expect(setPricing(["--fixed-fee", "0.25 USD"]).output.contains(
            "now      180 bp + 0.30 CNY per order + 0.25 USD per order"))
        #expect(setPricing(["--discount-bp", "200", "--fixed-fee", "0.10 CNY,0 USD"]).output.contains(
            "before   180 bp + 0.30 CNY per order + 0.25 USD per order\nnow      200 bp + 0.10 CNY per order"))
        #expect(setPricing(["--clear-fixed-fees"]).output.split(separator: "\n").last == "now      200 bp")
        let missing = CLIRun(["merchant", "set-pricing", "--merchant", "m_nobody", "--discount-bp", "1", "--data-dir", scratch.path])
        #expect(missing.exitCode == 1 && missing.errorOutput.contains("merchant m_nobody does not exist"), "\(missing.errorOutput)")
        let nothing = setPricing([])
        #expect(nothing.exitCode == 2 && nothing.errorOutput.contains("nothing to change"), "\(nothing.errorOutput)")
        for bad in [
            ["--discount-bp", "10001"], ["--fixed-fee", "-1 CNY"], ["--fixed-fee", "0.10 CNY,0.20 CNY"], ["--fixed-fee", "0.10 CNY,"],
        ] {
            #expect(setPricing(bad).exitCode == 2, "\(bad)")
        }
        #expect(setPricing(["--discount-bp", "1"]).output.contains("before   200 bp\n"), "the refused runs changed nothing")
        // Scheduled: "before" is what the date would have had; nothing changes now.
        let scheduled = setPricing(["--discount-bp", "90", "--effective", "2099-01-01"])
        #expect(scheduled.output.hasSuffix("before   1 bp\nfrom 2099-01-01 90 bp"), "\(scheduled.output)")
        #expect(setPricing(["--fixed-fee", "0.05 CNY"]).output.contains("before   1 bp\n"), "the scheduled change is not in effect")
        #expect(setPricing(["--discount-bp", "2"]).output.hasSuffix(
            "then from 2099-01-01 90 bp (scheduled before; set it again to change it)"), "a later change is shown")
        let past = setPricing(["--discount-bp", "90", "--effective", "2000-01-01"])
        #expect(past.exitCode == 2 && past.errorOutput.contains("2000-01-01 is past in every time zone"), "\(past.errorOutput)")
        #expect(setPricing(["--discount-bp", "90", "--effective", "soon"]).exitCode == 2)
        // Each refusal says what is wrong with the entry.
        #expect(setPricing(["--fixed-fee", "0.5 JPY"]).errorOutput.contains("no minor unit"))
        #expect(setPricing(["--fixed-fee", "0.10 CNY,"]).errorOutput.contains("an entry is empty"))
    }
}

@Suite("paylater capacity set and consumer token refuse bad input in words that fit")
struct OperatorInputTests {
    @Test("the PostgreSQL pool's size and prepared statements come from the environment; a bad value is a usage mistake naming it", arguments: [
        ("PAYLATER_PG_CONNECTIONS", "0"), ("PAYLATER_PG_CONNECTIONS", "many"), ("PAYLATER_PG_PREPARED_STATEMENTS", "-1"),
    ])
    func poolEnvironment(variable: String, value: String) {
        let scratch = ScratchDirectory()
        let run = CLIRun(["init", "--data-dir", scratch.path], environment: [variable: value])
        #expect(run.exitCode == 2, "\(run.output) \(run.errorOutput)")
        #expect(run.errorOutput.contains("$\(variable) must be a whole number"), "\(run.errorOutput)")
        #expect(CLIRun(["init", "--data-dir", scratch.path], environment: ["PAYLATER_PG_CONNECTIONS": "20"]).exitCode == 0)
    }

    @Test("serve with a host that is not an IP address is a usage mistake naming --host, before any store is made", arguments: [
        "999.1.1.1", "example.invalid", "localhost", "",
    ])
    func badHost(host: String) {
        let scratch = ScratchDirectory()
        let run = CLIRun(["serve", "--port", "0", "--host", host, "--data-dir", scratch.path])
        #expect(run.exitCode == 2, "\(run.output) \(run.errorOutput)")
        #expect(run.errorOutput.contains("'--host': '\(host)' is not an IPv4 or IPv6 address"), "\(run.errorOutput)")
        #expect(!FileManager.default.fileExists(atPath: scratch.path + "/paylater.sqlite"))
    }

    @Test("a negative capacity is a usage mistake about the capacity, not a limit, and makes no store")
    func negativeCapacity() {
        let scratch = ScratchDirectory()
        let run = CLIRun(["capacity", "set", "--amount", "-5", "--currency", "CNY", "--data-dir", scratch.path])
        #expect(run.exitCode == 2)
        #expect(run.errorOutput.contains("'--amount': a funding capacity cannot be negative"), "\(run.errorOutput)")
        #expect(!FileManager.default.fileExists(atPath: scratch.path + "/paylater.sqlite"))
    }

    @Test("a shopper id's refusal names the characters a party id may hold, which exclude ':'", arguments: [
        ("a b", "letters, digits and . _ - /"), ("a:b", "separates the parts of account ids"),
    ])
    func consumerIDs(id: String, says: String) {
        let scratch = ScratchDirectory()
        #expect(CLIRun(["init", "--data-dir", scratch.path]).exitCode == 0)
        let run = CLIRun(["consumer", "token", "--consumer", id, "--data-dir", scratch.path])
        #expect(run.exitCode == 2)
        #expect(run.errorOutput.contains(says), "\(run.errorOutput)")
        #expect(!run.errorOutput.contains(": . _"), "':' is not allowed in a party id: \(run.errorOutput)")
    }
}
