/// An option a command accepts: `--name VALUE`, or a flag `--name` when it takes no value.
public struct OptionSpec: Sendable {
    public let name: String
    /// The placeholder shown in help for the value, or nil for a flag.
    public let valueName: String?
    public let help: String

    public static func value(_ name: String, _ valueName: String, _ help: String) -> OptionSpec {
        OptionSpec(name: name, valueName: valueName, help: help)
    }

    public static func flag(_ name: String, _ help: String) -> OptionSpec {
        OptionSpec(name: name, valueName: nil, help: help)
    }
}

/// A word a command takes by position, such as the FILE of `paylater apr --method eu FILE`.
public struct PositionalSpec: Sendable {
    public let name: String
    public let help: String

    public init(_ name: String, _ help: String) {
        self.name = name
        self.help = help
    }
}

/// What a command looks like from the command line: its words, options and help text.
public struct CommandSpec: Sendable {
    /// The words after `paylater`, such as `["ledger", "verify"]`.
    public let path: [String]
    public let summary: String
    /// Longer help: what it does, what it prints, its exit codes.
    public let discussion: String
    public let options: [OptionSpec]
    /// Required words after the options, in order.
    public let positionals: [PositionalSpec]

    public init(
        path: [String], summary: String, discussion: String = "", options: [OptionSpec] = [],
        positionals: [PositionalSpec] = []
    ) {
        self.path = path
        self.summary = summary
        self.discussion = discussion
        self.options = options + [.flag("help", "Show this help.")]
        self.positionals = positionals
    }

    /// The help text `--help` prints.
    public var help: String {
        let words = positionals.map { " " + $0.name }.joined()
        var lines = ["Usage: paylater \(path.joined(separator: " "))\(options.count > 1 ? " [options]" : "")\(words)", "", summary]
        if !discussion.isEmpty { lines += ["", discussion] }
        if !positionals.isEmpty {
            lines += ["", "Arguments:"]
            let width = positionals.map(\.name.count).max() ?? 0
            for positional in positionals { lines.append("  " + positional.name.padding(to: width) + "  " + positional.help) }
        }
        lines += ["", "Options:"]
        let labels = options.map { option in "--\(option.name)" + (option.valueName.map { " \($0)" } ?? "") }
        let width = labels.map(\.count).max() ?? 0
        for (label, option) in zip(labels, options) {
            lines.append("  " + label.padding(to: width) + "  " + option.help)
        }
        return lines.joined(separator: "\n")
    }
}

extension String {
    fileprivate func padding(to width: Int) -> String {
        count >= width ? self : self + String(repeating: " ", count: width - count)
    }
}
