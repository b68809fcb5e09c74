/// A usage mistake on the command line: printed with a pointer to `--help`, exit code 2.
public struct UsageError: Error, Equatable, Sendable, CustomStringConvertible {
    public let message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

/// The options given to one command, checked against its spec.
public struct ParsedArguments: Sendable {
    private let values: [String: String]
    private let flags: Set<String>
    /// The positional words, in the order the spec names them.
    public let positionals: [String]

    /// Parses `arguments` (the words after the command's path) against `spec`. Accepts `--name value`,
    /// `--name=value`, flags and the spec's positional words (anywhere among the options); rejects unknown
    /// options, repeated options, missing values, and missing or extra words. `--help` needs no positional words.
    public init(_ arguments: [String], spec: CommandSpec) throws(UsageError) {
        var values: [String: String] = [:]
        var flags: Set<String> = []
        var positionals: [String] = []
        var index = 0
        while index < arguments.count {
            let word = arguments[index]
            index += 1
            guard word.hasPrefix("--"), word.count > 2 else {
                guard positionals.count < spec.positionals.count else { throw UsageError("unexpected argument '\(word)'") }
                positionals.append(word)
                continue
            }
            var name = String(word.dropFirst(2))
            var inlineValue: String?
            if let equals = name.firstIndex(of: "=") {
                inlineValue = String(name[name.index(after: equals)...])
                name = String(name[..<equals])
            }
            guard let option = spec.options.first(where: { $0.name == name }) else {
                throw UsageError("unknown option '--\(name)'")
            }
            guard values[name] == nil, !flags.contains(name) else { throw UsageError("'--\(name)' is given twice") }
            guard option.valueName != nil else {
                if inlineValue != nil { throw UsageError("'--\(name)' takes no value") }
                flags.insert(name)
                continue
            }
            if let inlineValue {
                values[name] = inlineValue
            } else if index < arguments.count, !arguments[index].hasPrefix("--") {
                values[name] = arguments[index]
                index += 1
            } else {
                throw UsageError("'--\(name)' needs a value")
            }
        }
        if !flags.contains("help"), positionals.count < spec.positionals.count {
            throw UsageError("\(spec.positionals[positionals.count].name) is required")
        }
        self.values = values
        self.flags = flags
        self.positionals = positionals
    }

    public func flag(_ name: String) -> Bool { flags.contains(name) }

    public func value(_ name: String) -> String? { values[name] }

    /// The value of a required option.
    public func required(_ name: String) throws(UsageError) -> String {
        guard let value = values[name] else { throw UsageError("'--\(name)' is required") }
        return value
    }

    /// An integer option within `range`, or `defaultValue` when it is absent.
    public func integer(_ name: String, in range: ClosedRange<Int>, default defaultValue: Int) throws(UsageError) -> Int {
        try integer(name, in: range) ?? defaultValue
    }

    /// An integer option within `range`, or nil when it is absent.
    public func integer(_ name: String, in range: ClosedRange<Int>) throws(UsageError) -> Int? {
        guard let text = values[name] else { return nil }
        guard let number = Int(text), range.contains(number) else {
            throw UsageError("'--\(name)' must be a whole number from \(range.lowerBound) to \(range.upperBound), not '\(text)'")
        }
        return number
    }

    /// An option whose value must be one of an enumeration's raw values.
    public func choice<T: RawRepresentable & CaseIterable>(
        _ name: String, default defaultValue: T
    ) throws(UsageError) -> T where T.RawValue == String {
        guard values[name] != nil else { return defaultValue }
        return try choice(name)
    }

    /// A required option whose value must be one of an enumeration's raw values.
    public func choice<T: RawRepresentable & CaseIterable>(_ name: String) throws(UsageError) -> T where T.RawValue == String {
        let text = try required(name)
        guard let choice = T(rawValue: text) else {
            let allowed = T.allCases.map(\.rawValue).joined(separator: ", ")
            throw UsageError("'--\(name)' must be one of \(allowed), not '\(text)'")
        }
        return choice
    }
}
