import Foundation
import Testing

/// README's command table and each command's `--help` describe the commands as they are: every command has a row,
/// every row names its command's options, and every option's placeholder is what one shell word holds.
@Suite("The commands are documented as they are")
struct CommandDocumentationTests {
    static let readme = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("README.md")

    /// Options every store command takes, described once below the table.
    static let describedBelowTheTable: Set<String> = ["--data-dir", "--database", "--help"]

    /// The commands `paylater --help` lists, such as `ledger verify`.
    static func commands() -> [String] {
        let help = CLIRun(["--help"]).output.split(separator: "\n").map(String.init)
        let start = (help.firstIndex(of: "Commands:") ?? help.endIndex) + 1
        return help[min(start, help.endIndex)...].prefix { $0.hasPrefix("  ") }.compactMap { line in
            line.trimmingCharacters(in: .whitespaces).components(separatedBy: "  ").first
        }
    }

    /// Each option line of a command's help as (name, placeholder words): `--fixed-fee AMOUNT` → ("--fixed-fee", ["AMOUNT"]).
    static func options(_ command: String) -> [(name: String, placeholder: [String])] {
        let help = CLIRun(command.split(separator: " ").map(String.init) + ["--help"]).output
        return help.split(separator: "\n").filter { $0.hasPrefix("  --") }.map { line in
            let words = line.trimmingCharacters(in: .whitespaces).components(separatedBy: "  ")[0].split(separator: " ").map(String.init)
            return (words[0], Array(words.dropFirst()))
        }
    }

    /// README's table row for each command, by the command's words (`| \`paylater eod --date …\` | … |`).
    static func readmeRows() throws -> [String: String] {
        let text = try String(contentsOf: readme, encoding: .utf8)
        var rows: [String: String] = [:]
        for line in text.split(separator: "\n") where line.hasPrefix("| `paylater ") {
            let code = line.dropFirst("| `paylater ".count).prefix { $0 != "`" }
            let words = code.split(separator: " ").prefix { !$0.hasPrefix("-") && $0.allSatisfy { $0.isLowercase || $0 == "-" } }
            rows[words.joined(separator: " ")] = String(line)
        }
        return rows
    }

    /// Whether `text` has `option` as a whole name (`--seed` but not `--seeds`).
    static func names(_ text: String, _ option: String) -> Bool {
        var rest = Substring(text)
        while let range = rest.range(of: option) {
            let next = rest[range.upperBound...].first
            if next.map({ !($0.isLowercase || $0 == "-") }) ?? true { return true }
            rest = rest[range.upperBound...]
        }
        return false
    }

    @Test("README's command table has a row for every command, naming each of its options")
    func readmeTable() throws {
        let rows = try Self.readmeRows()
        let commands = Self.commands()
        #expect(commands.count >= 20)
        for command in commands {
            guard let row = rows[command] else {
                Issue.record("README's command table has no row for 'paylater \(command)'")
                continue
            }
            for option in Self.options(command) where !Self.describedBelowTheTable.contains(option.name) {
                #expect(Self.names(row, option.name), "README's row for \(command) names \(option.name)")
            }
        }
    }

    @Test("every option's placeholder in --help is one shell word (a value with a space is shown quoted)")
    func placeholdersAreOneWord() {
        for command in Self.commands() {
            for option in Self.options(command) where option.placeholder.count > 1 {
                let shown = option.placeholder.joined(separator: " ")
                #expect(shown.hasPrefix("'") && shown.hasSuffix("'"), "paylater \(command) --help shows \(option.name) \(shown)")
            }
        }
    }
}
