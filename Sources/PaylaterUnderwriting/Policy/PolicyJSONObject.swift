import Foundation
import PaylaterJSON
import PaylaterMoney

/// One JSON object of the policy being read, with its path for error messages; every read names the field.
///
/// The same strict reading as the product catalog's: unknown keys refused, `null` read as missing, booleans never
/// taken for numbers.
struct PolicyJSONObject {
    /// The longest string accepted in any field, in bytes (reason texts are sentences, so longer than ids).
    static let textLengthMaximum = 300

    let fields: [String: Any]
    let path: String

    init(_ value: Any?, path: String) throws(PolicyError) {
        guard let fields = value as? [String: Any] else {
            throw .invalidField(path: path, reason: "expected an object")
        }
        self.fields = fields
        self.path = path
    }

    /// `cut_offs.approve_at_or_below` for key "approve_at_or_below" in the object at `cut_offs`.
    func path(_ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }

    /// Rejects any key not in `allowed`, naming the first in sorted order.
    func rejectUnknownKeys(allowed: Set<String>) throws(PolicyError) {
        if let unknown = fields.keys.sorted().first(where: { !allowed.contains($0) }) {
            throw .unknownField(path: path(unknown))
        }
    }

    func has(_ key: String) -> Bool {
        guard let value = fields[key] else { return false }
        return !(value is NSNull)
    }

    func value(_ key: String) throws(PolicyError) -> Any {
        guard let value = fields[key], !(value is NSNull) else { throw .missingField(path: path(key)) }
        return value
    }

    func object(_ key: String) throws(PolicyError) -> PolicyJSONObject {
        try PolicyJSONObject(try value(key), path: path(key))
    }

    func string(_ key: String) throws(PolicyError) -> String {
        try Self.text(try value(key), path: path(key))
    }

    static func text(_ value: Any, path: String) throws(PolicyError) -> String {
        guard let text = value as? String else { throw .invalidField(path: path, reason: "expected a string") }
        guard !text.isEmpty, text.utf8.count <= textLengthMaximum else {
            throw .invalidField(path: path, reason: "expected 1 to \(textLengthMaximum) characters")
        }
        return text
    }

    /// A whole number within `range`.
    func integer(_ key: String, in range: ClosedRange<Int64>) throws(PolicyError) -> Int64 {
        let raw = try value(key)
        // JSONSerialization gives NSNumber; booleans and fractions are not integers. 2^53 keeps doubles exact.
        guard let number = raw as? NSNumber, !JSONValueName.isBoolean(number),
            let integer = Int64(exactly: number.doubleValue), abs(integer) <= 1 << 53
        else { throw .invalidField(path: path(key), reason: "\(JSONValueName.of(raw)) is not a whole number") }
        guard range.contains(integer) else {
            throw .invalidField(
                path: path(key), reason: "\(integer) is outside \(range.lowerBound)...\(range.upperBound)")
        }
        return integer
    }

    /// Basis points within `range`.
    func basisPoints(_ key: String, in range: ClosedRange<Int64>) throws(PolicyError) -> BasisPoints {
        BasisPoints(try integer(key, in: range))
    }

    /// A probability in [0, 1] written as a JSON number, such as 0.05.
    func probability(_ key: String) throws(PolicyError) -> Double {
        let raw = try value(key)
        guard let number = raw as? NSNumber, !JSONValueName.isBoolean(number), number.doubleValue.isFinite,
            (0...1).contains(number.doubleValue)
        else { throw .invalidField(path: path(key), reason: "\(JSONValueName.of(raw)) is not a probability between 0 and 1") }
        return number.doubleValue
    }

    func array(_ key: String, count: ClosedRange<Int>) throws(PolicyError) -> [Any] {
        guard let items = try value(key) as? [Any] else {
            throw .invalidField(path: path(key), reason: "expected an array")
        }
        guard count.contains(items.count) else {
            throw .invalidField(path: path(key), reason: "expected \(count.lowerBound) to \(count.upperBound) items")
        }
        return items
    }

    /// An amount per currency, `{"CNY": "3000.00", "USD": "400.00"}`: exactly the policy's currencies, each a
    /// decimal string read with that currency's exponent (so "1.5" is refused for JPY), at least zero.
    func amounts(_ key: String, currencies: [Currency]) throws(PolicyError) -> [Currency: Money] {
        let object = try object(key)
        try object.rejectUnknownKeys(allowed: Set(currencies.map(\.code)))
        var amounts: [Currency: Money] = [:]
        for currency in currencies {
            let text = try object.string(currency.code)
            let amount: Money
            do { amount = try Money(parsing: text, currency: currency) } catch {
                throw .invalidField(path: object.path(currency.code), reason: error.description)
            }
            guard !amount.isNegative else {
                throw .invalidField(path: object.path(currency.code), reason: "\(text) is negative")
            }
            amounts[currency] = amount
        }
        return amounts
    }
}
