import PaylaterJSON
package import PaylaterTime

/// A value that writes its own canonical JSON: byte for byte what `CanonicalJSON`'s `JSONEncoder` writes for its
/// `Encodable` form, without the `Codable` machinery (a boxed container per value, generic metadata look-ups),
/// which cost a fifth of the single writer's time per authorization (docs/BENCHMARKS.md).
///
/// Only the documents written on every authorization conform. Each conformance is checked against `JSONEncoder`
/// on random values in `CanonicalJSONWriterTests`, so that a field added to the type but not to its `write(to:)`
/// fails there instead of silently disappearing from what is stored.
package protocol CanonicalJSONWritable: Encodable {
    func write(to json: inout CanonicalJSONWriter)
}

/// Writes canonical JSON (see `CanonicalJSON`) by hand: the caller writes each object's keys in sorted order
/// (byte order of their UTF-8, as `JSONEncoder`'s `.sortedKeys` does; debug builds assert it), values follow keys,
/// and commas are placed here.
package struct CanonicalJSONWriter {
    /// How keys are written: as the caller spells them (stored documents), or in snake_case as the HTTP API's
    /// `JSONEncoder` writes them (`.convertToSnakeCase`; the converted keys must still come in sorted order).
    package enum KeyStyle: Sendable {
        case asWritten
        case snakeCase
    }

    package private(set) var bytes: [UInt8] = []
    private let keyStyle: KeyStyle
    /// A value was just written in the current object or array, so the next key or element needs a comma.
    private var needsComma = false
    /// A number JSON cannot hold (NaN or an infinity), which `JSONEncoder` refuses too.
    package private(set) var invalidNumber: Double?
    #if DEBUG
    /// The last key of each open object, innermost last: keys must come in sorted order.
    private var lastKeys: [[UInt8]?] = []
    #endif

    package init(keys keyStyle: KeyStyle = .asWritten, capacity: Int = 512) {
        self.keyStyle = keyStyle
        bytes.reserveCapacity(capacity)
    }

    /// `value` written with keys in `keyStyle`.
    /// - Throws: `EncodingError.invalidValue` for a number JSON cannot hold, as `JSONEncoder` does.
    package static func bytes(of value: some CanonicalJSONWritable, keys keyStyle: KeyStyle = .asWritten) throws -> [UInt8] {
        try bytes(keys: keyStyle) { value.write(to: &$0) }
    }

    /// What `write` writes, with keys in `keyStyle`.
    /// - Throws: `EncodingError.invalidValue` for a number JSON cannot hold, as `JSONEncoder` does.
    package static func bytes(keys keyStyle: KeyStyle = .asWritten, _ write: (inout CanonicalJSONWriter) -> Void) throws -> [UInt8] {
        var json = CanonicalJSONWriter(keys: keyStyle)
        write(&json)
        if let invalid = json.invalidNumber {
            throw EncodingError.invalidValue(
                invalid, EncodingError.Context(codingPath: [], debugDescription: "\(invalid) is not a JSON number"))
        }
        return json.bytes
    }

    // MARK: Structure

    /// An object whose keys and values `body` writes, keys in sorted order.
    package mutating func object(_ body: (inout CanonicalJSONWriter) -> Void) {
        separate()
        bytes.append(UInt8(ascii: "{"))
        needsComma = false
        #if DEBUG
        lastKeys.append(nil)
        #endif
        body(&self)
        #if DEBUG
        lastKeys.removeLast()
        #endif
        bytes.append(UInt8(ascii: "}"))
        needsComma = true
    }

    /// An array of `elements`, each written by `element`.
    package mutating func array<C: Collection>(_ elements: C, _ element: (inout CanonicalJSONWriter, C.Element) -> Void) {
        separate()
        bytes.append(UInt8(ascii: "["))
        needsComma = false
        for value in elements { element(&self, value) }
        bytes.append(UInt8(ascii: "]"))
        needsComma = true
    }

    /// The next key of the current object; the value written next belongs to it.
    package mutating func key(_ key: String) {
        write(key: key, style: keyStyle)
    }

    /// Writes a key of data, such as a dictionary's, as it is in either key style: `JSONEncoder` converts the keys
    /// of a type's properties to snake_case, not those of a dictionary.
    package mutating func dataKey(_ key: String) {
        write(key: key, style: .asWritten)
    }

    private mutating func write(key: String, style: KeyStyle) {
        #if DEBUG
        let written = style == .snakeCase ? Self.snakeCase(key) : key
        let utf8 = Array(written.utf8)
        if let previous = lastKeys[lastKeys.count - 1] {
            assert(previous.lexicographicallyPrecedes(utf8), "canonical JSON keys out of order: \(written)")
        }
        lastKeys[lastKeys.count - 1] = utf8
        #endif
        separate()
        if !appendPlainKey(key, style: style) {
            JSONText.appendQuoted(style == .snakeCase ? Self.snakeCase(key) : key, to: &bytes)
        }
        bytes.append(UInt8(ascii: ":"))
        needsComma = false
    }

    /// Writes `key` quoted, in the key style, straight into `bytes` when it is printable ASCII without a quote or a
    /// backslash (keys are identifiers written in the code), and says whether it did; otherwise writes nothing.
    /// The API's responses have some sixty keys per authorization, each converted to snake_case: made as a string
    /// and then scanned for escapes, they were 4% of the single writer's instructions.
    private mutating func appendPlainKey(_ key: String, style: KeyStyle) -> Bool {
        var key = key
        return key.withUTF8 { utf8 in
            // ASCII, so that the snake_case conversion may go by bytes, and nothing to escape.
            guard utf8.allSatisfy({ $0 < 0x80 && !JSONText.needsEscape($0) }) else { return false }
            bytes.append(UInt8(ascii: "\""))
            if style == .snakeCase { Self.appendSnakeCase(ascii: utf8, to: &bytes) } else { bytes.append(contentsOf: utf8) }
            bytes.append(UInt8(ascii: "\""))
            return true
        }
    }

    // MARK: Values

    package mutating func string(_ text: String) {
        separate()
        JSONText.appendQuoted(text, to: &bytes)
        needsComma = true
    }

    package mutating func integer(_ value: Int64) {
        separate()
        ISO8601Text.appendPadded(value, width: 0, to: &bytes)  // digits straight into the output, no string
        needsComma = true
    }

    /// Swift's shortest round-tripping form, without a trailing ".0" (1.0 is written `1`), as `JSONEncoder` does.
    package mutating func number(_ value: Double) {
        separate()
        if !value.isFinite, invalidNumber == nil { invalidNumber = value }
        let text = value.description
        bytes.append(contentsOf: text.hasSuffix(".0") ? text.utf8.dropLast(2) : text.utf8[...])
        needsComma = true
    }

    package mutating func bool(_ value: Bool) {
        separate()
        bytes.append(contentsOf: value ? "true".utf8 : "false".utf8)
        needsComma = true
    }

    package mutating func null() {
        separate()
        bytes.append(contentsOf: "null".utf8)
        needsComma = true
    }

    package mutating func value(_ value: some CanonicalJSONWritable) { value.write(to: &self) }

    /// A value's canonical JSON written earlier (by `bytes(of:)`, with this writer's key style), as it is: for a
    /// part of a document that can be made before the rest, off the single writer.
    package mutating func encoded(_ json: [UInt8]) {
        separate()
        bytes.append(contentsOf: json)
        needsComma = true
    }

    /// An amount of money as its `Encodable` form writes it, `{"amount":1250,"currency":"CNY"}`, spelled at once:
    /// an authorization writes some fifty amounts (its decision's snapshot, the order, the response), and writing
    /// each as an object of two keyed members cost the single writer 2% of its instructions. Neither key changes
    /// in snake case, and they come in sorted order.
    package mutating func money(minorUnits: Int64, currencyCode: String) {
        separate()
        bytes.append(contentsOf: Self.amountMember)
        ISO8601Text.appendPadded(minorUnits, width: 0, to: &bytes)
        bytes.append(contentsOf: Self.currencyMember)
        needsComma = false
        string(currencyCode)
        bytes.append(UInt8(ascii: "}"))
        needsComma = true
    }

    /// An instant as its RFC 3339 text, as `Instant`'s `Encodable` form writes it, spelled straight into the output
    /// (its characters need no escape).
    package mutating func instant(_ instant: Instant) {
        separate()
        bytes.append(UInt8(ascii: "\""))
        instant.appendDescription(to: &bytes)
        bytes.append(UInt8(ascii: "\""))
        needsComma = true
    }

    private static let amountMember = Array(#"{"amount":"#.utf8)
    private static let currencyMember = Array(#","currency":"#.utf8)

    // MARK: Members: a key and its value

    package mutating func field(_ key: String, _ value: String) {
        self.key(key)
        string(value)
    }

    package mutating func field(_ key: String, _ value: Int64) {
        self.key(key)
        integer(value)
    }

    package mutating func field(_ key: String, _ value: Double) {
        self.key(key)
        number(value)
    }

    package mutating func field(_ key: String, _ value: Bool) {
        self.key(key)
        bool(value)
    }

    package mutating func field(_ key: String, _ value: some CanonicalJSONWritable) {
        self.key(key)
        value.write(to: &self)
    }

    package mutating func field(_ key: String, _ values: [String]) {
        self.key(key)
        array(values) { $0.string($1) }
    }

    package mutating func field(_ key: String, _ values: [some CanonicalJSONWritable]) {
        self.key(key)
        array(values) { $0.value($1) }
    }

    // Optional members: nothing when the value is nil, as `encodeIfPresent` leaves the key out.

    package mutating func field(_ key: String, _ value: String?) {
        if let value { field(key, value) }
    }

    package mutating func field(_ key: String, _ value: Double?) {
        if let value { field(key, value) }
    }

    package mutating func field<Value: CanonicalJSONWritable>(_ key: String, _ value: Value?) {
        if let value { field(key, value) }
    }

    /// An enum case with associated values as Swift's synthesized `Codable` writes it: `{"case":{…}}`, where the
    /// inner object holds the labelled values (`_0`, `_1`… for unlabelled ones) or is empty.
    package mutating func enumCase(_ name: String, _ values: (inout CanonicalJSONWriter) -> Void = { _ in }) {
        object { json in
            json.key(name)
            json.object(values)
        }
    }

    /// `camelCase` as `snake_case`, as `JSONEncoder.KeyEncodingStrategy.convertToSnakeCase` writes it: a word
    /// starts at an upper-case letter after a lower-case one or a digit, and at the last capital of a run that a
    /// lower-case letter follows ("planID" is "plan_id", "URLValue" is "url_value").
    static func snakeCase(_ key: String) -> String {
        var isASCII = true
        var hasUppercase = false
        for byte in key.utf8 {
            if byte >= 0x80 { isASCII = false; break }
            if (0x41...0x5A).contains(byte) { hasUppercase = true }
        }
        if isASCII, !hasUppercase { return key }  // one word ("amount", "currency"): unchanged, nothing allocated
        if isASCII {  // The common case, keys being identifiers: bytes, without Unicode property look-ups.
            var result: [UInt8] = []
            result.reserveCapacity(key.utf8.count + 4)
            var key = key
            key.withUTF8 { appendSnakeCase(ascii: $0, to: &result) }
            return String(decoding: result, as: UTF8.self)
        }
        let scalars = Array(key.unicodeScalars)
        var result = String.UnicodeScalarView()
        for (index, scalar) in scalars.enumerated() {
            let isUpper = scalar.properties.isUppercase
            if isUpper, index > 0 {
                let previous = scalars[index - 1]
                let nextIsLower = index + 1 < scalars.count && scalars[index + 1].properties.isLowercase
                if !previous.properties.isUppercase || nextIsLower { result.append("_") }
            }
            if isUpper { result.append(contentsOf: scalar.properties.lowercaseMapping.unicodeScalars) } else { result.append(scalar) }
        }
        return String(result)
    }

    /// `snakeCase` of an ASCII key, appended to `output`.
    private static func appendSnakeCase(ascii key: UnsafeBufferPointer<UInt8>, to output: inout [UInt8]) {
        for (index, byte) in key.enumerated() {
            let isUpper = (0x41...0x5A).contains(byte)
            if isUpper, index > 0 {
                let previousIsUpper = (0x41...0x5A).contains(key[index - 1])
                let nextIsLower = index + 1 < key.count && (0x61...0x7A).contains(key[index + 1])
                if !previousIsUpper || nextIsLower { output.append(UInt8(ascii: "_")) }
            }
            output.append(isUpper ? byte + 0x20 : byte)
        }
    }

    private mutating func separate() {
        if needsComma { bytes.append(UInt8(ascii: ",")) }
    }
}

/// An object with the dictionary's keys in byte order, as `JSONEncoder`'s `.sortedKeys` writes it, and as they are
/// in either key style, as `JSONEncoder` leaves them.
extension Dictionary: CanonicalJSONWritable where Key == String, Value: CanonicalJSONWritable {
    package func write(to json: inout CanonicalJSONWriter) {
        json.object { json in
            for (key, value) in sorted(by: { $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) }) {
                json.dataKey(key)
                json.value(value)
            }
        }
    }
}
