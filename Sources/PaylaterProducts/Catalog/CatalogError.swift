public import PaylaterMoney

/// Why a catalog could not be loaded or a quote could not be made; field errors name the field by its JSON path.
public enum CatalogError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The data is not a JSON object.
    case malformedJSON(String)
    /// A field is missing: `products[1].minimum`.
    case missingField(path: String)
    /// A key the catalog does not know, usually a typo: `products[0].monthly_fee`.
    case unknownField(path: String)
    /// A field is present but its value is wrong; `reason` says why.
    case invalidField(path: String, reason: String)
    /// No product has this id.
    case unknownProduct(String)
    /// The product is not offered in this currency.
    case currencyNotOffered(product: String, currency: Currency, offered: [Currency])
    /// The amount is below the product's minimum or above its maximum.
    case amountOutOfRange(product: String, amount: Money, minimum: Money, maximum: Money)
    /// The product's APR by the cap's method is above the cap of the catalog's jurisdiction; both in percent.
    case aprAboveCap(product: String, apr: String, cap: String, method: APRMethod)
    /// Splits were asked of a product that is not a monthly bill.
    case notAMonthlyBill(String)
    /// The schedule could not be made.
    case schedule(product: String, ScheduleError)
    /// A monthly bill's statement or split could not be made.
    case statement(product: String, StatementError)
    /// The quote's cash flows could not be priced (an advance of nothing once checkout payments are deducted).
    case cashFlows(product: String, CashFlowScheduleError)
    /// The APR could not be computed.
    case apr(product: String, APRError)

    /// The JSON path of the bad field, for the field errors: `products[2].monthly_fee_rate`.
    public var fieldPath: String? {
        switch self {
        case .missingField(let path), .unknownField(let path), .invalidField(let path, _): path
        default: nil
        }
    }

    public var description: String {
        switch self {
        case .malformedJSON(let reason): "not valid JSON: \(reason)"
        case .missingField(let path): "\(path) is missing"
        case .unknownField(let path): "\(path) is not a known field"
        case let .invalidField(path, reason): path.isEmpty ? "\(reason) at the top level" : "\(path): \(reason)"
        case .unknownProduct(let id): "there is no product \"\(id)\" in the catalog"
        case let .currencyNotOffered(product, currency, offered):
            "\(product) is not offered in \(currency.code); it is offered in \(offered.map(\.code).joined(separator: ", "))"
        case let .amountOutOfRange(product, amount, minimum, maximum):
            "\(product) lends from \(minimum.decimalString) to \(maximum.decimalString) \(amount.currency.code), not \(amount.decimalString)"
        case let .aprAboveCap(product, apr, cap, method):
            "\(product): the APR \(apr)% (\(method.rawValue)) is above the cap of \(cap)%"
        case .notAMonthlyBill(let id): "\(id) is not a monthly bill, so it offers no splits"
        case let .schedule(product, error): "\(product): \(error.description)"
        case let .statement(product, error): "\(product): \(error.description)"
        case let .cashFlows(product, error): "\(product): \(error.description)"
        case let .apr(product, error): "\(product): \(error.description)"
        }
    }
}
