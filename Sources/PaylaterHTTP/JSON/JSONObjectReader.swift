import Foundation
import PaylaterJSON

/// One JSON object of a request body, read strictly: every accessor checks the type and throws a validation
/// problem naming the field's JSON pointer (`/items/0/amount`).
///
/// Follows the catalog reader's rules: `null` counts as missing, booleans and fractions are not integers (`1.0`
/// included), strings are non-empty and bounded, and unknown keys are reported first in sorted order.
public struct JSONObjectReader: Sendable {
    let fields: [String: ParsedJSON]
    /// The JSON pointer of this object; empty for the top-level object.
    public let pointer: String

    /// Most bytes a string field may hold unless the caller says otherwise.
    public static let stringBytesMaximumDefault = 4_096

    /// Reads a request body: the `Content-Type` must be `application/json` (415 otherwise; 400 when given twice), then as
    /// `init(body:)`.
    public init(request: HTTPRequest) throws(HTTPProblem) {
        let contentType = try request.headers.onlyValue(for: "Content-Type")
        let mediaType = contentType?.split(separator: ";", maxSplits: 1).first.map {
            String($0.trimmingOptionalWhitespace()).asciiLowercased
        }
        guard mediaType == "application/json" else {
            throw .unsupportedMediaType(expected: "application/json", received: contentType)
        }
        try self.init(body: request.body)
    }

    /// Reads `body` as UTF-8 JSON whose top level is an object.
    public init(body: [UInt8]) throws(HTTPProblem) {
        guard String(validating: body, as: UTF8.self) != nil else {
            throw .invalidUTF8(field: "body", detail: "The request body is not valid UTF-8.")
        }
        let parsed: ParsedJSON
        do {
            parsed = try JSONSyntax.parse(body)
        } catch {
            throw Self.unreadable(error)
        }
        guard case .object(let fields) = parsed else {
            throw .validation(field: "", detail: "The request body must be a JSON object.")
        }
        self.init(fields: fields, pointer: "")
    }

    /// The problem of a body the parser refused: not JSON, nested past its limit, or a name given twice (pointed
    /// at: a repeated name is read differently by different parsers, so the body is not read at all).
    static func unreadable(_ error: JSONSyntaxError) -> HTTPProblem {
        switch error.reason {
        case .grammar:
            return .malformedJSON(
                detail: "The request body is not valid JSON (RFC 8259) at byte \(error.offset).", position: error.offset)
        case .nestingTooDeep:
            return .malformedJSON(
                detail: "The request body has arrays or objects nested more than \(JSONSyntax.depthMaximum) levels deep"
                    + " (at byte \(error.offset)), more than the server reads.",
                position: error.offset)
        case .duplicateName(let name):
            let pointer = error.path.map { component in
                switch component {
                case .key(let key): "/" + escapedPointerToken(key)
                case .index(let index): "/\(index)"
                }
            }.joined()
            return .malformedJSON(
                detail: "The request body names \"\(HTTPProblem.excerpt(name))\" twice in one object (at byte \(error.offset)); each name may"
                    + " appear once.",
                position: error.offset, field: HTTPProblem.excerpt(pointer))
        }
    }

    init(fields: [String: ParsedJSON], pointer: String) {
        self.fields = fields
        self.pointer = pointer
    }

    /// The keys present, `null` ones included.
    public var keys: [String] { fields.keys.sorted() }

    /// The JSON pointer of `key` in this object (RFC 6901: `~` becomes `~0`, `/` becomes `~1`).
    public func pointer(_ key: String) -> String {
        pointer + "/" + Self.escapedPointerToken(key)
    }

    /// `key` as a JSON pointer's reference token. Keys are read on every request (a nested object's reader carries
    /// its pointer), and Foundation's `replacingOccurrences` cost some 10,000 instructions even when there was
    /// nothing to replace, so it runs only for a key that has something to escape.
    static func escapedPointerToken(_ key: String) -> String {
        guard key.utf8.contains(where: { $0 == UInt8(ascii: "~") || $0 == UInt8(ascii: "/") }) else { return key }
        return key.replacingOccurrences(of: "~", with: "~0").replacingOccurrences(of: "/", with: "~1")
    }

    /// Throws a validation problem for the first key not in `allowed`, in sorted order.
    public func rejectUnknownKeys(allowed: Set<String>) throws(HTTPProblem) {
        // Sorted only when one is unknown (every request's body is checked; sorting its keys each time cost more
        // than the check).
        guard fields.keys.contains(where: { !allowed.contains($0) }) else { return }
        if let unknown = fields.keys.sorted().first(where: { !allowed.contains($0) }) {
            throw .validation(
                field: HTTPProblem.excerpt(pointer(unknown)), detail: "Unknown field \"\(HTTPProblem.excerpt(unknown))\".")
        }
    }

    /// Whether `key` is present and not `null`.
    public func contains(_ key: String) -> Bool { present(key) != nil }

    // MARK: Strings

    /// A required non-empty string of at most `maxBytes` UTF-8 bytes.
    public func string(_ key: String, maxBytes: Int = stringBytesMaximumDefault) throws(HTTPProblem) -> String {
        try stringValue(try required(key), key: key, maxBytes: maxBytes)
    }

    /// As `string(_:maxBytes:)`, or `nil` when missing or `null`.
    public func optionalString(_ key: String, maxBytes: Int = stringBytesMaximumDefault) throws(HTTPProblem) -> String? {
        guard let raw = present(key) else { return nil }
        return try stringValue(raw, key: key, maxBytes: maxBytes)
    }

    private func stringValue(_ raw: ParsedJSON, key: String, maxBytes: Int) throws(HTTPProblem) -> String {
        guard case .string(let text) = raw else { throw mistyped(key, expected: "a string") }
        guard !text.isEmpty, text.utf8.count <= maxBytes else {
            throw .validation(field: pointer(key), detail: "Expected 1 to \(maxBytes) bytes of text.")
        }
        return text
    }

    // MARK: Integers

    /// A required whole number that fits in `Int64`, written without a fraction or exponent (`1.0` and `1e3` are
    /// refused, like `1.5` and `true`).
    public func integer(_ key: String) throws(HTTPProblem) -> Int64 {
        try integerValue(try required(key), key: key)
    }

    /// As `integer(_:)`, or `nil` when missing or `null`.
    public func optionalInteger(_ key: String) throws(HTTPProblem) -> Int64? {
        guard let raw = present(key) else { return nil }
        return try integerValue(raw, key: key)
    }

    private func integerValue(_ raw: ParsedJSON, key: String) throws(HTTPProblem) -> Int64 {
        guard case .number(let number) = raw else { throw mistyped(key, expected: "an integer") }
        guard number.isWhole else {
            throw .validation(field: pointer(key), detail: "Expected a whole number, got \(HTTPProblem.excerpt(number.description)).")
        }
        guard let integer = number.int64 else {
            throw .validation(field: pointer(key), detail: "\(HTTPProblem.excerpt(number.description)) does not fit in a 64-bit integer.")
        }
        return integer
    }

    /// A finite number with or without a fraction (for model inputs and other measurements, never money), or
    /// `nil` when missing or `null`.
    public func optionalNumber(_ key: String) throws(HTTPProblem) -> Double? {
        guard let raw = present(key) else { return nil }
        guard case .number(let number) = raw else { throw mistyped(key, expected: "a number") }
        let value = number.double
        guard value.isFinite else {
            throw .validation(field: pointer(key), detail: "\(HTTPProblem.excerpt(number.description)) is beyond a 64-bit floating-point number.")
        }
        return value
    }

    // MARK: Booleans

    /// A required `true` or `false`.
    public func bool(_ key: String) throws(HTTPProblem) -> Bool {
        try boolValue(try required(key), key: key)
    }

    /// As `bool(_:)`, or `nil` when missing or `null`.
    public func optionalBool(_ key: String) throws(HTTPProblem) -> Bool? {
        guard let raw = present(key) else { return nil }
        return try boolValue(raw, key: key)
    }

    private func boolValue(_ raw: ParsedJSON, key: String) throws(HTTPProblem) -> Bool {
        guard case .bool(let value) = raw else { throw mistyped(key, expected: "true or false") }
        return value
    }

    // MARK: Objects and arrays

    /// A required nested object.
    public func object(_ key: String) throws(HTTPProblem) -> JSONObjectReader {
        try objectValue(try required(key), pointer: pointer(key))
    }

    /// As `object(_:)`, or `nil` when missing or `null`.
    public func optionalObject(_ key: String) throws(HTTPProblem) -> JSONObjectReader? {
        guard let raw = present(key) else { return nil }
        return try objectValue(raw, pointer: pointer(key))
    }

    /// A required array whose items are all objects, with at most `maxCount` items.
    public func objects(_ key: String, maxCount: Int = 1_000) throws(HTTPProblem) -> [JSONObjectReader] {
        guard case .array(let items) = try required(key) else { throw mistyped(key, expected: "an array") }
        guard items.count <= maxCount else {
            throw .validation(field: pointer(key), detail: "Expected at most \(maxCount) items, got \(items.count).")
        }
        var readers: [JSONObjectReader] = []
        readers.reserveCapacity(items.count)
        for (index, item) in items.enumerated() {
            readers.append(try objectValue(item, pointer: pointer(key) + "/\(index)"))
        }
        return readers
    }

    private func objectValue(_ raw: ParsedJSON, pointer: String) throws(HTTPProblem) -> JSONObjectReader {
        guard case .object(let fields) = raw else {
            throw .validation(field: pointer, detail: "Expected an object, got \(raw.kind).")
        }
        return JSONObjectReader(fields: fields, pointer: pointer)
    }

    // MARK: Helpers

    private func present(_ key: String) -> ParsedJSON? {
        guard let value = fields[key], value != .null else { return nil }
        return value
    }

    private func required(_ key: String) throws(HTTPProblem) -> ParsedJSON {
        guard let value = present(key) else {
            throw .validation(field: pointer(key), detail: "Field \"\(key)\" is required.")
        }
        return value
    }

    private func mistyped(_ key: String, expected: String) -> HTTPProblem {
        .validation(field: pointer(key), detail: "Expected \(expected), got \((fields[key] ?? .null).kind).")
    }
}
