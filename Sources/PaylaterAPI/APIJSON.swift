import Foundation
import PaylaterApp
import PaylaterHTTP
import PaylaterMoney
import PaylaterTime

/// How the API writes JSON: snake_case keys, sorted, amounts as `{"amount": <minor units>, "currency": "CNY"}`.
enum APIJSON {
    static func response(_ value: some Encodable, status: Int = 200) throws -> HTTPResponse {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.keyEncodingStrategy = .convertToSnakeCase
        return HTTPResponse(status: status, headers: ["Content-Type": "application/json"], body: Array(try encoder.encode(value)))
    }

    /// A value that writes itself (`CanonicalJSONWritable`): the same bytes as the encoder above, several times faster.
    static func response(_ value: some CanonicalJSONWritable, status: Int = 200) throws -> HTTPResponse {
        HTTPResponse(
            status: status, headers: ["Content-Type": "application/json"],
            body: try CanonicalJSONWriter.bytes(of: value, keys: .snakeCase))
    }

    /// An amount as the API writes it: `{"amount": <minor units>, "currency": "CNY"}`.
    static func money(_ amount: Money) -> JSONValue {
        .object(["amount": .integer(amount.minorUnits), "currency": .string(amount.currency.code)])
    }
}

extension JSONObjectReader {
    /// An amount: `{"amount": 12345, "currency": "CNY"}` in minor units of a known currency.
    func money(_ key: String) throws(HTTPProblem) -> Money {
        let object = try object(key)
        try object.rejectUnknownKeys(allowed: ["amount", "currency"])
        let currency = try object.currency(code: try object.string("currency", maxBytes: 3), key: "currency")
        return Money(minorUnits: try object.integer("amount"), currency: currency)
    }

    /// An ISO 4217 currency code such as "CNY", if present.
    func optionalCurrency(_ key: String) throws(HTTPProblem) -> Currency? {
        try optionalString(key, maxBytes: 3).map { code throws(HTTPProblem) in try currency(code: code, key: key) }
    }

    private func currency(code: String, key: String) throws(HTTPProblem) -> Currency {
        do { return try Currency(code: code) } catch {
            throw .validation(field: pointer(key), detail: "\"\(code)\" is not an ISO 4217 currency")
        }
    }

    func optionalMoney(_ key: String) throws(HTTPProblem) -> Money? {
        contains(key) ? try money(key) : nil
    }

    /// A whole number within `range`.
    func integer(_ key: String, in range: ClosedRange<Int64>) throws(HTTPProblem) -> Int64 {
        let value = try integer(key)
        guard range.contains(value) else {
            throw .validation(field: pointer(key), detail: "must be between \(range.lowerBound) and \(range.upperBound)")
        }
        return value
    }
}
