/// Portable SQL with `?` placeholders rewritten into PostgreSQL's numbered `$1, $2, ...` form.
///
/// The scan skips `'...'` string literals (with `''` and, in `E'...'` strings, backslash escapes), `"..."` quoted
/// identifiers, `-- ...` line comments and nested `/* ... */` block comments, so a `?` inside them stays as it is.
/// Dollar-quoted strings (`$$...$$`) and PostgreSQL's `?`-operators (`jsonb ? key`) are not understood: Paylater's
/// portable SQL uses neither.
struct RewrittenSQL: Sendable {
    /// The statement text to send, with numbered parameters.
    let text: String
    /// How many parameters the statement takes: the number of `?` outside literals, identifiers and comments.
    let parameterCount: Int

    init(portable sql: String) {
        var scanner = PlaceholderScanner(Array(sql.utf8))
        let (bytes, count) = scanner.rewrite()
        text = String(decoding: bytes, as: UTF8.self)
        parameterCount = count
    }
}

/// The state machine behind `RewrittenSQL`, over UTF-8 bytes (every byte it looks for is ASCII).
private struct PlaceholderScanner {
    private let input: [UInt8]
    private var output: [UInt8] = []
    private var position = 0
    private var parameterCount = 0

    init(_ input: [UInt8]) {
        self.input = input
        output.reserveCapacity(input.count + 16)
    }

    mutating func rewrite() -> (bytes: [UInt8], parameterCount: Int) {
        while position < input.count {
            let byte = input[position]
            switch byte {
            case UInt8(ascii: "?"):
                parameterCount += 1
                output.append(UInt8(ascii: "$"))
                output.append(contentsOf: String(parameterCount).utf8)
                position += 1
            case UInt8(ascii: "'"):
                copyQuoted(closing: byte, backslashEscapes: startsEscapeString())
            case UInt8(ascii: "\""):
                copyQuoted(closing: byte, backslashEscapes: false)
            case UInt8(ascii: "-") where next == UInt8(ascii: "-"):
                copyLineComment()
            case UInt8(ascii: "/") where next == UInt8(ascii: "*"):
                copyBlockComment()
            default:
                output.append(byte)
                position += 1
            }
        }
        return (output, parameterCount)
    }

    private var next: UInt8? { position + 1 < input.count ? input[position + 1] : nil }

    /// Whether the quote at `position` opens an `E'...'` string: an `E` right before it that does not end a longer
    /// identifier.
    private func startsEscapeString() -> Bool {
        guard position >= 1, input[position - 1] | 0x20 == UInt8(ascii: "e") else { return false }
        guard position >= 2 else { return true }
        let before = input[position - 2]
        let isIdentifierByte = before == UInt8(ascii: "_") || before >= 0x80
            || (before | 0x20 >= UInt8(ascii: "a") && before | 0x20 <= UInt8(ascii: "z"))
            || (before >= UInt8(ascii: "0") && before <= UInt8(ascii: "9"))
        return !isIdentifierByte
    }

    /// Copies a quoted literal or identifier up to and including its closing quote (a doubled quote continues it).
    private mutating func copyQuoted(closing quote: UInt8, backslashEscapes: Bool) {
        output.append(input[position])
        position += 1
        while position < input.count {
            let byte = input[position]
            output.append(byte)
            position += 1
            if backslashEscapes && byte == UInt8(ascii: "\\") && position < input.count {
                output.append(input[position])
                position += 1
            } else if byte == quote {
                guard position < input.count, input[position] == quote else { return }
                output.append(quote)
                position += 1
            }
        }
    }

    private mutating func copyLineComment() {
        while position < input.count {
            let byte = input[position]
            output.append(byte)
            position += 1
            if byte == UInt8(ascii: "\n") { return }
        }
    }

    /// Copies a block comment; PostgreSQL's nest.
    private mutating func copyBlockComment() {
        var depth = 0
        while position < input.count {
            if input[position] == UInt8(ascii: "/") && next == UInt8(ascii: "*") {
                depth += 1
                output.append(contentsOf: [UInt8(ascii: "/"), UInt8(ascii: "*")])
                position += 2
            } else if input[position] == UInt8(ascii: "*") && next == UInt8(ascii: "/") {
                depth -= 1
                output.append(contentsOf: [UInt8(ascii: "*"), UInt8(ascii: "/")])
                position += 2
                if depth == 0 { return }
            } else {
                output.append(input[position])
                position += 1
            }
        }
    }
}
