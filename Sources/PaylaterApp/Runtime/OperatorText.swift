/// Text an operator writes into an audit record (a reason, a note, their own name), which later readers see in logs
/// and terminals: some visible text, on one line, shown as written. No control characters, no line or paragraph
/// separators (U+2028, U+2029: line breaks to most readers of a log) and no format characters (zero-width spaces,
/// bidirectional overrides that show a name reversed).
enum OperatorText {
    /// Whether `text` is such text of at most `maximum` bytes.
    static func isAcceptable(_ text: String, maximum: Int) -> Bool {
        let refused: Set<Unicode.GeneralCategory> = [.control, .format, .lineSeparator, .paragraphSeparator]
        return text.unicodeScalars.contains(where: { !$0.properties.isWhitespace }) && text.utf8.count <= maximum
            && !text.unicodeScalars.contains(where: { refused.contains($0.properties.generalCategory) })
    }

    /// What `isAcceptable` expects, for an error message.
    static func expectation(maximum: Int) -> String {
        "1 to \(maximum) bytes of visible text, without control, format or line-separator characters"
    }
}
