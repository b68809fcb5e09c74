/// Whether a text is one JSON object (RFC 8259), checked by its grammar without building any value.
///
/// Two places need to know that a text is an object exactly as the RFC defines it. The webhook outbox stores an
/// event's `data` as text and sends it as is, so it must be an object every merchant's parser reads; parsing it
/// with `JSONSerialization` built a whole Foundation object tree only to throw it away, inside the single writer's
/// transaction. And the API must answer malformed JSON with a problem, while Foundation's parser on Linux lets
/// trailing commas through (`{"a":1,}`). This scan allocates nothing. As Foundation's parser does, it asks an escaped
/// UTF-16 surrogate to come in a valid pair (`\ud83d\ude00`), since a lone one has no Unicode meaning and parsers
/// disagree about it.
public enum JSONSyntax {
    /// Deeper nesting is refused: no document here has it, and it bounds the scan's recursion.
    public static let depthMaximum = 512

    /// Whether `text` is a JSON object, with nothing but whitespace around it.
    public static func isObject(_ text: String) -> Bool {
        var text = text
        return text.withUTF8 { firstViolation(inObject: $0) == nil }
    }

    /// Where `utf8` stops being one JSON object with nothing but whitespace around it: the offset of the byte
    /// at which the scan failed (the length when the text ends too early), or nil when it is one. The bytes must be
    /// valid UTF-8 (checked by the caller: inside strings only the grammar is checked).
    public static func firstViolation(inObject utf8: [UInt8]) -> Int? {
        utf8.withUnsafeBufferPointer { firstViolation(inObject: $0) }
    }

    private static func firstViolation(inObject bytes: UnsafeBufferPointer<UInt8>) -> Int? {
        var scanner = Scanner(bytes: bytes)
        scanner.skipWhitespace()
        guard scanner.peek == UInt8(ascii: "{"), scanner.value(depth: 0) else { return scanner.index }
        scanner.skipWhitespace()
        return scanner.isAtEnd ? nil : scanner.index
    }

    private struct Scanner {
        let bytes: UnsafeBufferPointer<UInt8>
        var index = 0

        init(bytes: UnsafeBufferPointer<UInt8>) { self.bytes = bytes }

        var isAtEnd: Bool { index == bytes.count }
        var peek: UInt8? { index < bytes.count ? bytes[index] : nil }

        mutating func skipWhitespace() {
            while let byte = peek, byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09 { index += 1 }
        }

        /// Consumes `byte` if it comes next.
        mutating func take(_ byte: UInt8) -> Bool {
            guard peek == byte else { return false }
            index += 1
            return true
        }

        /// One value starting at the next byte (no whitespace before it).
        mutating func value(depth: Int) -> Bool {
            guard let byte = peek else { return false }
            switch byte {
            case UInt8(ascii: "{"): return depth < depthMaximum && object(depth: depth + 1)
            case UInt8(ascii: "["): return depth < depthMaximum && array(depth: depth + 1)
            case UInt8(ascii: "\""): return string()
            case UInt8(ascii: "t"): return literal("true")
            case UInt8(ascii: "f"): return literal("false")
            case UInt8(ascii: "n"): return literal("null")
            default: return number()
            }
        }

        mutating func object(depth: Int) -> Bool {
            index += 1  // {
            skipWhitespace()
            if take(UInt8(ascii: "}")) { return true }
            repeat {
                skipWhitespace()
                guard peek == UInt8(ascii: "\""), string() else { return false }
                skipWhitespace()
                guard take(UInt8(ascii: ":")) else { return false }
                skipWhitespace()
                guard value(depth: depth) else { return false }
                skipWhitespace()
            } while take(UInt8(ascii: ","))
            return take(UInt8(ascii: "}"))
        }

        mutating func array(depth: Int) -> Bool {
            index += 1  // [
            skipWhitespace()
            if take(UInt8(ascii: "]")) { return true }
            repeat {
                skipWhitespace()
                guard value(depth: depth) else { return false }
                skipWhitespace()
            } while take(UInt8(ascii: ","))
            return take(UInt8(ascii: "]"))
        }

        mutating func literal(_ word: StaticString) -> Bool {
            let count = word.utf8CodeUnitCount
            guard bytes.count - index >= count else { return false }
            for offset in 0..<count where bytes[index + offset] != word.utf8Start[offset] { return false }
            index += count
            return true
        }

        /// A string; its bytes are valid UTF-8 already (they come from a Swift `String`), so only control
        /// characters and escapes need checking.
        mutating func string() -> Bool {
            index += 1  // "
            while let byte = peek {
                index += 1
                switch byte {
                case UInt8(ascii: "\""): return true
                case 0..<0x20: return false
                case UInt8(ascii: "\\"): guard escape() else { return false }
                default: continue
                }
            }
            return false
        }

        /// The rest of an escape after its backslash.
        mutating func escape() -> Bool {
            guard let byte = peek else { return false }
            index += 1
            switch byte {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"), UInt8(ascii: "b"), UInt8(ascii: "f"),
                UInt8(ascii: "n"), UInt8(ascii: "r"), UInt8(ascii: "t"):
                return true
            case UInt8(ascii: "u"):
                guard let unit = hexUnit() else { return false }
                switch unit {
                case 0xD800...0xDBFF:  // a high surrogate: a low one must follow
                    guard take(UInt8(ascii: "\\")), take(UInt8(ascii: "u")), let low = hexUnit() else { return false }
                    return (0xDC00...0xDFFF).contains(low)
                case 0xDC00...0xDFFF: return false
                default: return true
                }
            default:
                return false
            }
        }

        /// Four hex digits.
        mutating func hexUnit() -> UInt16? {
            guard bytes.count - index >= 4 else { return nil }
            var unit: UInt16 = 0
            for _ in 0..<4 {
                let byte = bytes[index]
                let digit: UInt8
                switch byte {
                case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
                case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
                case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
                default: return nil
                }
                unit = unit << 4 | UInt16(digit)
                index += 1
            }
            return unit
        }

        /// `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`
        mutating func number() -> Bool {
            _ = take(UInt8(ascii: "-"))
            if take(UInt8(ascii: "0")) {
                // no more integer digits after a leading zero
            } else {
                guard let first = peek, (UInt8(ascii: "1")...UInt8(ascii: "9")).contains(first) else { return false }
                skipDigits()
            }
            if take(UInt8(ascii: ".")) {
                guard skipDigits() > 0 else { return false }
            }
            if take(UInt8(ascii: "e")) || take(UInt8(ascii: "E")) {
                if !take(UInt8(ascii: "+")) { _ = take(UInt8(ascii: "-")) }
                guard skipDigits() > 0 else { return false }
            }
            return true
        }

        /// Consumes decimal digits; returns how many.
        @discardableResult
        mutating func skipDigits() -> Int {
            let start = index
            while let byte = peek, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) { index += 1 }
            return index - start
        }
    }
}
