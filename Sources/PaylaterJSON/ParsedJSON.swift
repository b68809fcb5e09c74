/// A JSON value as parsed from text (`JSONSyntax.parse`), for readers that check each value's type themselves:
/// a number keeps the text it was written as, so that a reader can refuse `1.0` or `1e3` where it wants an integer
/// and say which digits did not fit, instead of meeting a floating-point value that has forgotten both.
public indirect enum ParsedJSON: Sendable, Equatable {
    case null
    case bool(Bool)
    case string(String)
    case number(JSONNumber)
    case array([ParsedJSON])
    /// Members by key (`JSONSyntax.parse` refuses a key that repeats).
    case object([String: ParsedJSON])

    /// The JSON kind, for messages: "a string", "a number", "null"…
    public var kind: String {
        switch self {
        case .null: "null"
        case .bool: "a boolean"
        case .string: "a string"
        case .number: "a number"
        case .array: "an array"
        case .object: "an object"
        }
    }
}

/// A JSON number as written (`-12`, `3.5`, `1e3`): valid number grammar, whatever its magnitude.
public struct JSONNumber: Sendable, Equatable, CustomStringConvertible {
    /// The number's text, exactly as written.
    public let text: String

    /// `text` must follow JSON's number grammar (as `JSONSyntax.parse` makes them).
    public init(text: String) {
        self.text = text
    }

    /// Written without a fraction or an exponent (`1.0` and `1e3` are not): read from the text, so that the two
    /// can never disagree.
    public var isWhole: Bool {
        !text.utf8.contains { $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: "e") || $0 == UInt8(ascii: "E") }
    }

    /// The value when the number is whole and fits in `Int64`; nil otherwise.
    public var int64: Int64? { isWhole ? Int64(text) : nil }

    /// The nearest `Double` (an infinity when the magnitude is beyond it, as `strtod` gives).
    public var double: Double { Double(text) ?? .nan }

    public var description: String { text }
}
