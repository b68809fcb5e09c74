import PaylaterJSON
import PaylaterMoney
import PaylaterStore
import PaylaterTime

/// A value that reads itself from a stored canonical JSON document (`CanonicalJSON`) parsed by `JSONSyntax`:
/// the value `JSONDecoder` decodes from the same text, without the `Codable` machinery, for the documents read
/// on every authorization (the checkout's terms: `JSONDecoder` was a tenth of an authorization's work on its
/// connection thread). Each conformance is checked against `JSONDecoder` in `CanonicalJSONReaderTests`.
protocol CanonicalJSONReadable: Decodable {
    init(json: CanonicalJSONObject) throws(StoreError)
}

extension CanonicalJSONReadable {
    /// Reads `document`, a stored JSON object; a document that is not one, or lacks a member, is an unreadable row.
    static func read(_ document: String) throws(StoreError) -> Self {
        try Self(json: CanonicalJSONObject.read(document, path: "\(Self.self)"))
    }
}

/// One object of a stored document, read as `JSONDecoder` reads `Decodable` members: a missing or `null` optional
/// member is nil, a missing required one or a value of the wrong type is an error, unknown members are ignored.
struct CanonicalJSONObject {
    private let members: [String: ParsedJSON]
    /// Where the object is, for errors: `CheckoutTerms.offers.0.promotion`.
    private let path: String

    init(_ members: [String: ParsedJSON], path: String) {
        self.members = members
        self.path = path
    }

    /// Reads `document`, a stored JSON object named `path` in errors; text that is not one is an unreadable row.
    static func read(_ document: String, path: String) throws(StoreError) -> CanonicalJSONObject {
        let parsed: ParsedJSON
        do {
            parsed = try JSONSyntax.parse(Array(document.utf8))
        } catch {
            throw .unreadableRow("\(path): not JSON at byte \(error.offset)")
        }
        guard case .object(let members) = parsed else { throw .unreadableRow("\(path): not a JSON object") }
        return CanonicalJSONObject(members, path: path)
    }

    /// The members' keys, `null` ones included.
    var keys: Dictionary<String, ParsedJSON>.Keys { members.keys }

    func string(_ key: String) throws(StoreError) -> String {
        guard case .string(let text) = try required(key) else { throw mistyped(key, "a string") }
        return text
    }

    func optionalString(_ key: String) throws(StoreError) -> String? {
        guard let value = present(key) else { return nil }
        guard case .string(let text) = value else { throw mistyped(key, "a string") }
        return text
    }

    func integer(_ key: String) throws(StoreError) -> Int64 {
        guard case .number(let number) = try required(key), let value = number.int64 else {
            throw mistyped(key, "a 64-bit whole number")
        }
        return value
    }

    func object(_ key: String) throws(StoreError) -> CanonicalJSONObject {
        try Self.object(try required(key), path: path + "." + key)
    }

    func optionalObject(_ key: String) throws(StoreError) -> CanonicalJSONObject? {
        guard let value = present(key) else { return nil }
        return try Self.object(value, path: path + "." + key)
    }

    /// An array whose elements `element` reads, each given its path.
    func array<Element>(
        _ key: String, _ element: (ParsedJSON, String) throws(StoreError) -> Element
    ) throws(StoreError) -> [Element] {
        guard case .array(let values) = try required(key) else { throw mistyped(key, "an array") }
        return try Self.elements(values, path: path + "." + key, element)
    }

    func optionalArray<Element>(
        _ key: String, _ element: (ParsedJSON, String) throws(StoreError) -> Element
    ) throws(StoreError) -> [Element]? {
        guard let value = present(key) else { return nil }
        guard case .array(let values) = value else { throw mistyped(key, "an array") }
        return try Self.elements(values, path: path + "." + key, element)
    }

    // MARK: Values of the platform's own types

    /// `{"amount": <minor units>, "currency": "CNY"}`, as `Money` decodes it.
    func money(_ key: String) throws(StoreError) -> Money {
        let object = try object(key)
        let code = try object.string("currency")
        guard let currency = try? Currency(code: code) else { throw mistyped(key, "an ISO 4217 currency") }
        return Money(minorUnits: try object.integer("amount"), currency: currency)
    }

    /// An ISO 8601 date, as `LocalDate` decodes it.
    func date(_ key: String) throws(StoreError) -> LocalDate {
        guard let date = try? LocalDate(iso8601: try string(key)) else { throw mistyped(key, "an ISO 8601 date") }
        return date
    }

    // MARK: Elements

    static func object(_ value: ParsedJSON, path: String) throws(StoreError) -> CanonicalJSONObject {
        guard case .object(let members) = value else { throw .unreadableRow("\(path): expected an object") }
        return CanonicalJSONObject(members, path: path)
    }

    static func string(_ value: ParsedJSON, path: String) throws(StoreError) -> String {
        guard case .string(let text) = value else { throw .unreadableRow("\(path): expected a string") }
        return text
    }

    // MARK: Helpers

    private static func elements<Element>(
        _ values: [ParsedJSON], path: String, _ element: (ParsedJSON, String) throws(StoreError) -> Element
    ) throws(StoreError) -> [Element] {
        var elements: [Element] = []
        elements.reserveCapacity(values.count)
        for (index, value) in values.enumerated() { elements.append(try element(value, "\(path).\(index)")) }
        return elements
    }

    private func present(_ key: String) -> ParsedJSON? {
        guard let value = members[key], value != .null else { return nil }
        return value
    }

    private func required(_ key: String) throws(StoreError) -> ParsedJSON {
        guard let value = present(key) else { throw .unreadableRow("\(path).\(key): missing") }
        return value
    }

    private func mistyped(_ key: String, _ expected: String) -> StoreError {
        .unreadableRow("\(path).\(key): expected \(expected)")
    }
}
