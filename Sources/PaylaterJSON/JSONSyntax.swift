/// JSON text (RFC 8259) checked by its grammar, or parsed by the same grammar into `ParsedJSON`.
///
/// Two places need to know that a text is an object exactly as the RFC defines it. The webhook outbox stores an
/// event's `data` as text and sends it as is, so it must be an object every merchant's parser reads; parsing it
/// with `JSONSerialization` built a whole Foundation object tree only to throw it away, inside the single writer's
/// transaction. That check (`isObject`) allocates nothing. And the API reads request bodies and
/// the checkout terms an authorization needs with `parse`: Foundation's parser on Linux lets trailing commas
/// through (`{"a":1,}`), gives numbers as `NSNumber`s whose Objective-C type codes had to tell `1` from `1.0` and
/// `true`, and, with the check it needed after it, was about a tenth of an authorization's work on its connection
/// thread. As Foundation's parser does, both ask an escaped UTF-16 surrogate to come in a valid pair
/// (`\ud83d\ude00`), since a lone one has no Unicode meaning and parsers disagree about it. `parse` also refuses a
/// name repeated in one object, which parsers disagree about too (the first or the last wins): a request must mean
/// one thing to every reader on its way (a proxy, a log, this server).
public enum JSONSyntax {
    /// Deeper nesting is refused: no document here has it, and it bounds the scan's recursion.
    public static let depthMaximum = 512

    /// Whether `text` is a JSON object, with nothing but whitespace around it.
    public static func isObject(_ text: String) -> Bool {
        var text = text
        return text.withUTF8 { firstViolation(inObject: $0) == nil }
    }

    /// Where `bytes` stop being one JSON object with nothing but whitespace around it: the offset of the byte at
    /// which the scan failed (the length when the text ends too early), or nil when they are one. The bytes must be
    /// valid UTF-8 (inside strings only the grammar is checked).
    private static func firstViolation(inObject bytes: UnsafeBufferPointer<UInt8>) -> Int? {
        var scanner = Scanner<Checking>(bytes: bytes)
        scanner.skipWhitespace()
        guard scanner.peek == UInt8(ascii: "{"), scanner.value(depth: 0) != nil else { return scanner.index }
        scanner.skipWhitespace()
        return scanner.isAtEnd ? nil : scanner.index
    }

    /// Parses `utf8` as one JSON value (of any kind) with nothing but whitespace around it, by the same grammar
    /// as `isObject`, refusing a name repeated in one object. The bytes must be valid UTF-8 (checked by the caller).
    /// - Throws: `JSONSyntaxError` with the offset at which the text stops being JSON, or the nesting limit was
    ///   passed, or the repeated name starts.
    public static func parse(_ utf8: [UInt8]) throws(JSONSyntaxError) -> ParsedJSON {
        let parsed: Result<ParsedJSON, JSONSyntaxError> = utf8.withUnsafeBufferPointer { bytes in
            var scanner = Scanner<Building>(bytes: bytes)
            scanner.skipWhitespace()
            guard let value = scanner.value(depth: 0) else {
                return .failure(
                    JSONSyntaxError(offset: scanner.index, reason: scanner.failure, path: scanner.failurePath.reversed()))
            }
            scanner.skipWhitespace()
            return scanner.isAtEnd ? .success(value) : .failure(JSONSyntaxError(offset: scanner.index))
        }
        return try parsed.get()
    }

    /// Whether a scan builds the values it reads (`parse`) or only checks the grammar (`isObject`, which then
    /// allocates nothing: its values are all `.null`). One grammar serves both.
    private protocol ScanMode {
        static var buildsValues: Bool { get }
    }

    private enum Checking: ScanMode {
        static var buildsValues: Bool { false }
    }

    private enum Building: ScanMode {
        static var buildsValues: Bool { true }
    }

    private struct Scanner<Mode: ScanMode> {
        let bytes: UnsafeBufferPointer<UInt8>
        var index = 0
        /// Why the scan failed, when not by the grammar.
        var failure = JSONSyntaxError.Reason.grammar
        /// For a repeated name, the path to it from the innermost member out, made as the scan unwinds (so it
        /// costs nothing while the text is fine).
        var failurePath: [JSONPathComponent] = []

        var failsOnName: Bool {
            if case .duplicateName = failure { true } else { false }
        }

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

        /// One value starting at the next byte (no whitespace before it); nil where the grammar fails, at `index`.
        mutating func value(depth: Int) -> ParsedJSON? {
            guard let byte = peek else { return nil }
            switch byte {
            case UInt8(ascii: "{"), UInt8(ascii: "["):
                guard depth < depthMaximum else {
                    failure = .nestingTooDeep
                    return nil
                }
                return byte == UInt8(ascii: "{") ? object(depth: depth + 1) : array(depth: depth + 1)
            case UInt8(ascii: "\""): return string().map(ParsedJSON.string)
            case UInt8(ascii: "t"): return literal("true") ? .bool(true) : nil
            case UInt8(ascii: "f"): return literal("false") ? .bool(false) : nil
            case UInt8(ascii: "n"): return literal("null") ? .null : nil
            default: return number()
            }
        }

        mutating func object(depth: Int) -> ParsedJSON? {
            index += 1  // {
            var members: [String: ParsedJSON] = [:]
            skipWhitespace()
            if take(UInt8(ascii: "}")) { return Mode.buildsValues ? .object(members) : .null }
            repeat {
                skipWhitespace()
                let nameStart = index
                guard peek == UInt8(ascii: "\""), let key = string() else { return nil }
                skipWhitespace()
                guard take(UInt8(ascii: ":")) else { return nil }
                skipWhitespace()
                guard let member = value(depth: depth) else {
                    if failsOnName { failurePath.append(.key(key)) }
                    return nil
                }
                // A name repeated: refused where it starts (a dictionary insert tells, at no extra cost).
                if Mode.buildsValues, members.updateValue(member, forKey: key) != nil {
                    index = nameStart
                    failure = .duplicateName(key)
                    failurePath.append(.key(key))
                    return nil
                }
                skipWhitespace()
            } while take(UInt8(ascii: ","))
            guard take(UInt8(ascii: "}")) else { return nil }
            return Mode.buildsValues ? .object(members) : .null
        }

        mutating func array(depth: Int) -> ParsedJSON? {
            index += 1  // [
            var elements: [ParsedJSON] = []
            skipWhitespace()
            if take(UInt8(ascii: "]")) { return Mode.buildsValues ? .array(elements) : .null }
            var count = 0
            repeat {
                skipWhitespace()
                guard let element = value(depth: depth) else {
                    if failsOnName { failurePath.append(.index(count)) }
                    return nil
                }
                if Mode.buildsValues { elements.append(element) }
                count += 1
                skipWhitespace()
            } while take(UInt8(ascii: ","))
            guard take(UInt8(ascii: "]")) else { return nil }
            return Mode.buildsValues ? .array(elements) : .null
        }

        mutating func literal(_ word: StaticString) -> Bool {
            let count = word.utf8CodeUnitCount
            guard bytes.count - index >= count else { return false }
            for offset in 0..<count where bytes[index + offset] != word.utf8Start[offset] { return false }
            index += count
            return true
        }

        /// A string, its escapes decoded when building (empty when checking); nil where the grammar fails. Its
        /// bytes are valid UTF-8 already (checked by the caller), so only control characters and escapes need
        /// checking, and a run without escapes is taken whole.
        mutating func string() -> String? {
            index += 1  // "
            let start = index
            var decoded: [UInt8] = []  // only once an escape is met, and only when building
            var runStart = start
            while let byte = peek {
                index += 1
                switch byte {
                case UInt8(ascii: "\""):
                    guard Mode.buildsValues else { return "" }
                    let run = UnsafeBufferPointer(rebasing: bytes[runStart..<(index - 1)])
                    if runStart == start { return String(decoding: run, as: UTF8.self) }
                    decoded.append(contentsOf: run)
                    return String(decoding: decoded, as: UTF8.self)
                case 0..<0x20: return nil
                case UInt8(ascii: "\\"):
                    if Mode.buildsValues { decoded.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart..<(index - 1)])) }
                    guard escape(into: &decoded) else { return nil }
                    runStart = index
                default: continue
                }
            }
            return nil
        }

        /// The rest of an escape after its backslash, its character appended to `decoded` when building.
        mutating func escape(into decoded: inout [UInt8]) -> Bool {
            guard let byte = peek else { return false }
            index += 1
            let character: UInt8
            switch byte {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): character = byte
            case UInt8(ascii: "b"): character = 0x08
            case UInt8(ascii: "f"): character = 0x0C
            case UInt8(ascii: "n"): character = 0x0A
            case UInt8(ascii: "r"): character = 0x0D
            case UInt8(ascii: "t"): character = 0x09
            case UInt8(ascii: "u"):
                guard let unit = hexUnit() else { return false }
                let scalar: UInt32
                switch unit {
                case 0xD800...0xDBFF:  // a high surrogate: a low one must follow
                    guard take(UInt8(ascii: "\\")), take(UInt8(ascii: "u")), let low = hexUnit(), (0xDC00...0xDFFF).contains(low)
                    else { return false }
                    scalar = 0x10000 + (UInt32(unit - 0xD800) << 10 | UInt32(low - 0xDC00))
                case 0xDC00...0xDFFF: return false
                default: scalar = UInt32(unit)
                }
                if Mode.buildsValues, let scalar = Unicode.Scalar(scalar) {
                    decoded.append(contentsOf: UTF8.encode(scalar)!)
                }
                return true
            default:
                return false
            }
            if Mode.buildsValues { decoded.append(character) }
            return true
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
        mutating func number() -> ParsedJSON? {
            let start = index
            _ = take(UInt8(ascii: "-"))
            if take(UInt8(ascii: "0")) {
                // no more integer digits after a leading zero
            } else {
                guard let first = peek, (UInt8(ascii: "1")...UInt8(ascii: "9")).contains(first) else { return nil }
                skipDigits()
            }
            if take(UInt8(ascii: ".")) {
                guard skipDigits() > 0 else { return nil }
            }
            if take(UInt8(ascii: "e")) || take(UInt8(ascii: "E")) {
                if !take(UInt8(ascii: "+")) { _ = take(UInt8(ascii: "-")) }
                guard skipDigits() > 0 else { return nil }
            }
            guard Mode.buildsValues else { return .null }
            return .number(JSONNumber(text: String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self)))
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

/// Where a text stops being JSON: the offset of the byte at which the parse failed (the length when the text
/// ends too early), and why.
public struct JSONSyntaxError: Error, Equatable, Sendable {
    /// Why `parse` refused the text.
    public enum Reason: Equatable, Sendable {
        /// The text does not follow RFC 8259's grammar.
        case grammar
        /// Arrays and objects are nested deeper than `JSONSyntax.depthMaximum`.
        case nestingTooDeep
        /// An object has this name twice (after decoding escapes); `offset` is where the second one starts.
        case duplicateName(String)
    }

    public let offset: Int
    public let reason: Reason
    /// For a repeated name, the members and elements from the top down to it (ending in it); empty otherwise.
    public let path: [JSONPathComponent]

    public init(offset: Int, reason: Reason = .grammar, path: [JSONPathComponent] = []) {
        self.offset = offset
        self.reason = reason
        self.path = path
    }
}

/// One step of a path into a JSON value: an object's member or an array's element.
public enum JSONPathComponent: Equatable, Sendable {
    case key(String)
    case index(Int)
}
