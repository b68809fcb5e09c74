/// Header fields in the order received or set, with case-insensitive lookup by name.
public struct HTTPHeaders: Sendable, Equatable, Sequence, ExpressibleByDictionaryLiteral {
    /// Each field as sent: name with its original case, and value.
    public private(set) var fields: [(name: String, value: String)]

    public init() { fields = [] }

    public init(_ fields: [(name: String, value: String)]) { self.fields = fields }

    public init(dictionaryLiteral elements: (String, String)...) {
        fields = elements.map { (name: $0.0, value: $0.1) }
    }

    /// The first value of the field called `name`, ignoring case.
    public subscript(name: String) -> String? {
        fields.first { $0.name.caseInsensitiveEquals(name) }?.value
    }

    /// Every value of the field called `name`, ignoring case, in order.
    public func values(for name: String) -> [String] {
        fields.filter { $0.name.caseInsensitiveEquals(name) }.map(\.value)
    }

    /// The value of the field called `name`, for a field read from one line only: `nil` when it is missing, and a
    /// 400 `malformed-request` naming it when it is given more than once, since a proxy that reads another of the
    /// lines than this server would disagree with it (about who is calling, or which operation this is).
    public func onlyValue(for name: String) throws(HTTPProblem) -> String? {
        let all = values(for: name)
        guard all.count <= 1 else {
            throw .malformedRequest(detail: "\(name) is given \(all.count) times; give it once.", field: name)
        }
        return all.first
    }

    /// Adds a field, keeping any already there with the same name.
    public mutating func add(name: String, value: String) { fields.append((name: name, value: value)) }

    /// Sets the only value of the field called `name`, removing the others.
    public mutating func replaceOrAdd(name: String, value: String) {
        remove(name: name)
        add(name: name, value: value)
    }

    /// Removes every field called `name`, ignoring case.
    public mutating func remove(name: String) { fields.removeAll { $0.name.caseInsensitiveEquals(name) } }

    public func makeIterator() -> IndexingIterator<[(name: String, value: String)]> { fields.makeIterator() }

    public static func == (left: HTTPHeaders, right: HTTPHeaders) -> Bool {
        left.fields.count == right.fields.count
            && zip(left.fields, right.fields).allSatisfy { $0.name == $1.name && $0.value == $1.value }
    }
}

extension String {
    /// ASCII case-insensitive comparison, which is what header names, media types and auth schemes need.
    public func caseInsensitiveEquals(_ other: String) -> Bool {
        utf8.count == other.utf8.count && zip(utf8, other.utf8).allSatisfy { asciiLower($0) == asciiLower($1) }
    }

    var asciiLowercased: String { String(decoding: utf8.map(asciiLower), as: UTF8.self) }
}

extension Substring {
    /// Without the optional whitespace around it (spaces and tabs, RFC 9110 §5.6.3): how a header value, or a part
    /// of one, is read. Byte by byte rather than Foundation's `trimmingCharacters(in:)`, which bridged every merchant
    /// request's `Authorization` and `Content-Type` through `NSString` (4% of a connection thread's instructions).
    public func trimmingOptionalWhitespace() -> Substring {
        let text = self
        let isWhitespace = { (byte: UInt8) in byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") }
        guard let start = text.utf8.firstIndex(where: { !isWhitespace($0) }),
            let last = text.utf8.lastIndex(where: { !isWhitespace($0) })
        else { return text[text.endIndex...] }
        return Substring(text.utf8[start...last])
    }
}

private func asciiLower(_ byte: UInt8) -> UInt8 { (65...90).contains(byte) ? byte + 32 : byte }
