/// A libpq connection string, either a URI (`postgres://user:secret@host:5432/db?sslmode=require`) or key/value
/// conninfo (`host=db user=app password=secret`), and the same string safe to print.
struct ConnectionString: Sendable {
    let value: String

    init(_ value: String) { self.value = value }

    /// The string with any password removed, for errors and logs.
    var redacted: String {
        if value.hasPrefix("postgres://") || value.hasPrefix("postgresql://") { return Self.redactedURI(value) }
        return Self.redactedKeyValue(value) ?? "(a connection string that could not be parsed)"
    }

    /// Drops `:password` from the user info and `password=` from the query. The user info ends at the first `@`
    /// before any `/`, as libpq reads it.
    private static func redactedURI(_ uri: String) -> String {
        guard let colon = uri.firstIndex(of: ":") else { return uri }
        let authority = uri.index(colon, offsetBy: 3)
        var result = String(uri[..<authority])
        var rest = uri[authority...]
        if let end = rest.firstIndex(where: { $0 == "@" || $0 == "/" }), rest[end] == "@" {
            let userInfo = rest[..<end]
            result += userInfo.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)[0]
            rest = rest[end...]
        }
        guard let question = rest.firstIndex(of: "?") else { return result + rest }
        result += rest[...question]
        let kept = rest[rest.index(after: question)...].split(separator: "&", omittingEmptySubsequences: false)
            .filter { !$0.lowercased().hasPrefix("password=") }
        result += kept.joined(separator: "&")
        if result.hasSuffix("?") { result.removeLast() }
        return result
    }

    /// Rebuilds `key=value` pairs without `password`; nil when the string does not parse.
    private static func redactedKeyValue(_ conninfo: String) -> String? {
        var pairs: [(key: Substring, value: Substring)] = []
        var rest = conninfo[...]
        while true {
            rest = rest.drop(while: \.isWhitespace)
            if rest.isEmpty { break }
            guard let equals = rest.firstIndex(of: "=") else { return nil }
            let key = rest[..<equals].trimmingTrailingWhitespace()
            guard !key.isEmpty, !key.contains(where: \.isWhitespace) else { return nil }
            rest = rest[rest.index(after: equals)...].drop(while: \.isWhitespace)
            guard let (value, remainder) = splitValue(rest) else { return nil }
            pairs.append((key, value))
            rest = remainder
        }
        return pairs.filter { $0.key != "password" }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
    }

    /// One value, quoted (`'...'`, backslash escapes) or bare (up to whitespace), and what follows it.
    private static func splitValue(_ text: Substring) -> (value: Substring, remainder: Substring)? {
        var index = text.startIndex
        let quoted = text.first == "'"
        if quoted { index = text.index(after: index) }
        while index < text.endIndex {
            let character = text[index]
            if character == "\\" {
                index = text.index(after: index)
                guard index < text.endIndex else { return nil }
            } else if quoted && character == "'" {
                let end = text.index(after: index)
                return (text[..<end], text[end...])
            } else if !quoted && character.isWhitespace {
                return (text[..<index], text[index...])
            }
            index = text.index(after: index)
        }
        return quoted ? nil : (text, text[text.endIndex...])
    }
}

extension Substring {
    fileprivate func trimmingTrailingWhitespace() -> Substring {
        var end = endIndex
        while end > startIndex, self[index(before: end)].isWhitespace { end = index(before: end) }
        return self[..<end]
    }
}
