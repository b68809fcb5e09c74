/// JSON strings as Paylater writes them: one escaper for the hand-written canonical JSON (stored documents,
/// responses) and the HTTP layer's `JSONValue` (problem documents, the access log), so that both write a string
/// alike, and as `JSONEncoder` does.
public enum JSONText {
    /// Appends `text` quoted, with the escapes `JSONEncoder` writes: `\"`, `\\`, `\b`, `\f`, `\n`, `\r`, `\t`, and
    /// `\u00xx` (lower-case hex) for the other control characters; everything else as it is, slashes and non-ASCII
    /// included. Each run of bytes that needs no escape is copied at once: nearly every string written (ids, names,
    /// codes) has none, and appending byte by byte was the single writer's hottest loop. Inlinable: it is called
    /// for every key and string of every document the writer makes, from other modules.
    @inlinable
    public static func appendQuoted(_ text: String, to output: inout [UInt8]) {
        output.append(UInt8(ascii: "\""))
        var text = text
        text.withUTF8 { utf8 in
            var runStart = 0
            for index in utf8.indices {
                let byte = utf8[index]
                guard needsEscape(byte) else { continue }
                output.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart..<index]))
                appendEscape(of: byte, to: &output)
                runStart = index + 1
            }
            output.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart...]))
        }
        output.append(UInt8(ascii: "\""))
    }

    /// Whether `byte` is written escaped: a quote, a backslash or a control character.
    @inlinable
    public static func needsEscape(_ byte: UInt8) -> Bool {
        byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\")
    }

    /// The escape of a quote, a backslash or a control character.
    @usableFromInline
    static func appendEscape(of byte: UInt8, to output: inout [UInt8]) {
        let backslash = UInt8(ascii: "\\")
        switch byte {
        case UInt8(ascii: "\""): output += [backslash, UInt8(ascii: "\"")]
        case UInt8(ascii: "\\"): output += [backslash, backslash]
        case 0x08: output += [backslash, UInt8(ascii: "b")]
        case 0x0C: output += [backslash, UInt8(ascii: "f")]
        case 0x0A: output += [backslash, UInt8(ascii: "n")]
        case 0x0D: output += [backslash, UInt8(ascii: "r")]
        case 0x09: output += [backslash, UInt8(ascii: "t")]
        default:
            output += [backslash, UInt8(ascii: "u"), UInt8(ascii: "0"), UInt8(ascii: "0")]
            output.append(hexDigits[Int(byte >> 4)])
            output.append(hexDigits[Int(byte & 0x0F)])
        }
    }

    private static let hexDigits = Array("0123456789abcdef".utf8)
}
