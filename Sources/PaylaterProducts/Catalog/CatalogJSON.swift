import Foundation
import PaylaterJSON
import PaylaterMoney

/// One JSON object of the catalog being read, with its path for error messages; every read names the field.
struct CatalogJSONObject {
    let fields: [String: Any]
    let path: String

    init(_ value: Any?, path: String) throws(CatalogError) {
        guard let fields = value as? [String: Any] else { throw .invalidField(path: path, reason: "expected an object") }
        self.fields = fields
        self.path = path
    }

    /// `products[0].months` for key "months" in the object at `products[0]`.
    func path(_ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }

    /// Rejects any key not in `allowed`, naming the first in sorted order.
    func rejectUnknownKeys(allowed: Set<String>) throws(CatalogError) {
        if let unknown = fields.keys.sorted().first(where: { !allowed.contains($0) }) {
            throw .unknownField(path: path(unknown))
        }
    }

    func value(_ key: String) throws(CatalogError) -> Any {
        guard let value = fields[key], !(value is NSNull) else { throw .missingField(path: path(key)) }
        return value
    }

    func string(_ key: String) throws(CatalogError) -> String {
        guard let text = try value(key) as? String else { throw .invalidField(path: path(key), reason: "expected a string") }
        guard !text.isEmpty, text.utf8.count <= ProductCatalog.textLengthMaximum else {
            throw .invalidField(path: path(key), reason: "expected 1 to \(ProductCatalog.textLengthMaximum) characters")
        }
        return text
    }

    func integer(_ key: String) throws(CatalogError) -> Int {
        try Self.integer(try value(key), path: path(key))
    }

    /// A JSON value read as a whole number, such as one item of an array; `path` names it in errors.
    static func integer(_ raw: Any, path: String) throws(CatalogError) -> Int {
        // JSONSerialization gives NSNumber; booleans and fractions are not integers.
        guard let number = raw as? NSNumber, !JSONValueName.isBoolean(number),
            let integer = Int(exactly: number.doubleValue), abs(integer) <= 1_000_000
        else { throw .invalidField(path: path, reason: "\(JSONValueName.of(raw)) is not a whole number") }
        return integer
    }

    /// A rate such as "0.005" or "0.5%", at least zero.
    func rate(_ key: String) throws(CatalogError) -> Rational {
        let text = try string(key)
        let rate: Rational
        do { rate = try Rational(parsing: text) } catch { throw .invalidField(path: path(key), reason: "\"\(text)\" is not a rate") }
        guard !rate.isNegative else { throw .invalidField(path: path(key), reason: "\"\(text)\" is negative") }
        return rate
    }

    func array(_ key: String) throws(CatalogError) -> [Any] {
        guard let items = try value(key) as? [Any] else { throw .invalidField(path: path(key), reason: "expected an array") }
        return items
    }
}

/// Typed, range-checked reads shared by the products and `late_fees`.
extension CatalogJSONObject {
    /// Whether `key` is given a value other than `null`.
    func isPresent(_ key: String) -> Bool {
        guard let value = fields[key] else { return false }
        return !(value is NSNull)
    }

    /// A whole number inside `allowed`.
    func integer(_ key: String, in allowed: ClosedRange<Int>) throws(CatalogError) -> Int {
        let number = try integer(key)
        guard allowed.contains(number) else {
            throw .invalidField(path: path(key), reason: "\(number) is outside \(allowed.lowerBound)...\(allowed.upperBound)")
        }
        return number
    }

    /// An ISO 4217 code such as "CNY".
    func currency(_ key: String) throws(CatalogError) -> Currency {
        let code = try string(key)
        do { return try Currency(code: code) } catch { throw .invalidField(path: path(key), reason: error.description) }
    }

    /// A decimal amount such as "5.00" read in `currency`: not negative (above zero when `positive`), in the
    /// currency's precision, and no larger than the largest principal a schedule takes.
    func money(_ key: String, _ currency: Currency, positive: Bool) throws(CatalogError) -> Money {
        let text = try string(key)
        let amount: Money
        do { amount = try Money(parsing: text, currency: currency) } catch {
            throw .invalidField(path: path(key), reason: "\(error.description) (\(currency.code))")
        }
        if positive {
            guard amount.isPositive else { throw .invalidField(path: path(key), reason: "\(text) is not above zero") }
        } else {
            guard !amount.isNegative else { throw .invalidField(path: path(key), reason: "\(text) is negative") }
        }
        guard amount.minorUnits <= ScheduleGenerator.principalMinorUnitsMaximum else {
            throw .invalidField(path: path(key), reason: "\(text) is too large")
        }
        return amount
    }
}
