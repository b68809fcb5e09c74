import Foundation
import PaylaterJSON

/// One JSON object of a request body, read strictly: every accessor checks the type and throws a validation
/// problem naming the field's JSON pointer (`/items/0/amount`).
///
/// Follows the catalog reader's rules: `null` counts as missing, booleans and fractions are not integers (`1.0`
/// included), strings are non-empty and bounded, and unknown keys are reported first in sorted order.
public struct JSONObjectReader: @unchecked Sendable {  // Holds JSONSerialization's immutable Foundation values.
    let fields: [String: Any]
    /// The JSON pointer of this object; empty for the top-level object.
    public let pointer: String

    /// Most bytes a string field may hold unless the caller says otherwise.
    public static let stringBytesMaximumDefault = 4_096

    /// Reads a request body: the `Content-Type` must be `application/json` (415 otherwise), then as
    /// `init(body:)`.
    public init(request: HTTPRequest) throws(HTTPProblem) {
        let contentType = request.headers["Content-Type"]
        let mediaType = contentType?.split(separator: ";", maxSplits: 1).first.map {
            String($0).trimmingCharacters(in: .whitespaces).asciiLowercased
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
        let parsed: Any
        do {
            parsed = try JSONSerialization.jsonObject(with: Data(body), options: [.fragmentsAllowed])
        } catch {
            throw Self.malformed(error)
        }
        guard let fields = parsed as? [String: Any] else {
            throw .validation(field: "", detail: "The request body must be a JSON object.")
        }
        // Foundation's parser on Linux lets some malformed JSON through (a trailing comma: `{"a":1,}`), which a
        // client must hear about rather than have guessed.
        if let position = JSONSyntax.firstViolation(inObject: body) {
            throw .malformedJSON(detail: "The request body is not valid JSON (RFC 8259) at byte \(position).", position: position)
        }
        self.init(fields: fields, pointer: "")
    }

    init(fields: [String: Any], pointer: String) {
        self.fields = fields
        self.pointer = pointer
    }

    /// The keys present, `null` ones included.
    public var keys: [String] { fields.keys.sorted() }

    /// The JSON pointer of `key` in this object (RFC 6901: `~` becomes `~0`, `/` becomes `~1`).
    public func pointer(_ key: String) -> String {
        pointer + "/" + key.replacingOccurrences(of: "~", with: "~0").replacingOccurrences(of: "/", with: "~1")
    }

    /// Throws a validation problem for the first key not in `allowed`, in sorted order.
    public func rejectUnknownKeys(allowed: Set<String>) throws(HTTPProblem) {
        if let unknown = fields.keys.sorted().first(where: { !allowed.contains($0) }) {
            throw .validation(field: pointer(unknown), detail: "Unknown field \"\(unknown)\".")
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

    private func stringValue(_ raw: Any, key: String, maxBytes: Int) throws(HTTPProblem) -> String {
        guard let text = raw as? String else { throw mistyped(key, expected: "a string") }
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

    private func integerValue(_ raw: Any, key: String) throws(HTTPProblem) -> Int64 {
        // JSONSerialization gives NSNumber for booleans and numbers alike; the Objective-C type code tells them
        // apart: "c" is a boolean, "d" a number written with a fraction or exponent, "Q" one above Int64.max. Whole
        // numbers outside Int64 (Int64.min included) arrive as NSDecimalNumber: its text decides.
        guard let number = raw as? NSNumber else { throw mistyped(key, expected: "an integer") }
        if raw is NSDecimalNumber {
            guard let integer = Int64(number.stringValue) else {
                throw .validation(field: pointer(key), detail: "\(number.stringValue) is not a 64-bit whole number.")
            }
            return integer
        }
        switch String(cString: number.objCType) {
        case "c": throw mistyped(key, expected: "an integer")
        case "d", "f": throw .validation(field: pointer(key), detail: "Expected a whole number, got \(number).")
        case "Q": throw .validation(field: pointer(key), detail: "\(number) does not fit in a 64-bit integer.")
        default: return number.int64Value
        }
    }

    /// A finite number with or without a fraction (for model inputs and other measurements, never money), or
    /// `nil` when missing or `null`.
    public func optionalNumber(_ key: String) throws(HTTPProblem) -> Double? {
        guard let raw = present(key) else { return nil }
        guard let number = raw as? NSNumber, String(cString: number.objCType) != "c", number.doubleValue.isFinite else {
            throw mistyped(key, expected: "a number")
        }
        return number.doubleValue
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

    private func boolValue(_ raw: Any, key: String) throws(HTTPProblem) -> Bool {
        guard let number = raw as? NSNumber, !(raw is NSDecimalNumber), String(cString: number.objCType) == "c" else {
            throw mistyped(key, expected: "true or false")
        }
        return number.boolValue
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
        guard let items = try required(key) as? [Any] else { throw mistyped(key, expected: "an array") }
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

    private func objectValue(_ raw: Any, pointer: String) throws(HTTPProblem) -> JSONObjectReader {
        guard let fields = raw as? [String: Any] else {
            throw .validation(field: pointer, detail: "Expected an object, got \(Self.kind(of: raw)).")
        }
        return JSONObjectReader(fields: fields, pointer: pointer)
    }

    // MARK: Helpers

    private func present(_ key: String) -> Any? {
        guard let value = fields[key], !(value is NSNull) else { return nil }
        return value
    }

    private func required(_ key: String) throws(HTTPProblem) -> Any {
        guard let value = present(key) else {
            throw .validation(field: pointer(key), detail: "Field \"\(key)\" is required.")
        }
        return value
    }

    private func mistyped(_ key: String, expected: String) -> HTTPProblem {
        .validation(field: pointer(key), detail: "Expected \(expected), got \(Self.kind(of: fields[key] as Any)).")
    }

    /// The JSON kind of a parsed value, for messages.
    static func kind(of value: Any) -> String {
        switch value {
        case is String: return "a string"
        case is [Any]: return "an array"
        case is [String: Any]: return "an object"
        case is NSNull: return "null"
        case let number as NSNumber: return String(cString: number.objCType) == "c" ? "a boolean" : "a number"
        default: return "an unknown value"
        }
    }

    /// The malformed-json problem for a parser error, with the character position when the message has one.
    static func malformed(_ error: any Error) -> HTTPProblem {
        let nsError = error as NSError
        let message = nsError.userInfo[NSDebugDescriptionErrorKey] as? String ?? "The body is not valid JSON."
        var position: Int?
        if let range = message.range(of: "character ") {
            position = Int(message[range.upperBound...].prefix { $0.isNumber })
        }
        return .malformedJSON(detail: message, position: position)
    }
}
