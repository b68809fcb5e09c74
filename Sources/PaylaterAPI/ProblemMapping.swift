import PaylaterApp
import PaylaterHTTP
import PaylaterLedger
import PaylaterMoney
import PaylaterProducts
import PaylaterStore
import PaylaterUnderwriting

/// Turns the application's typed errors into problem documents with a stable `type` per error. Anything not
/// listed here is a server fault (500) — a client mistake never is.
enum ProblemMapping {
    static func problem(for error: any Error) -> HTTPProblem? {
        switch error {
        case let problem as HTTPProblem: return problem
        case let error as CheckoutError: return checkout(error)
        case let error as ServicingError: return servicing(error)
        case let error as UnderwritingError:
            return HTTPProblem(type: HTTPProblem.typePrefix + "underwriting", title: "Underwriting refused the request", status: 422, detail: error.description)
        case let error as CreditLineError:
            return HTTPProblem(type: HTTPProblem.typePrefix + "credit-unavailable", title: "Credit is not available", status: 409, detail: error.description)
        case let error as LedgerError:
            return .validation(field: "/", detail: error.description)
        case let error as StatementServiceError:
            switch error {
            case .statementNotFound: return .notFound(detail: error.description)
            case .ambiguousStatement:
                return HTTPProblem(
                    type: HTTPProblem.typePrefix + "ambiguous-statement", title: "Several statements fall due that day",
                    status: 409, detail: error.description + "; name the product and currency", field: "product")
            case .statementSettled, .notAMonthlyBill, .notPositive, .statement:
                return HTTPProblem(
                    type: HTTPProblem.typePrefix + "statement-rule", title: "The statement's rules refuse this", status: 422,
                    detail: error.description)
            }
        case let error as DeliveryError:
            return HTTPProblem(
                type: HTTPProblem.typePrefix + "delivery", title: "The delivery cannot be recorded", status: 422,
                detail: error.description, field: "/delivered_on")
        case let error as SettlementError:
            if case .settlementNotFound = error { return .notFound(detail: error.description) }
            return HTTPProblem(type: HTTPProblem.typePrefix + "settlement", title: "Settlement request refused", status: 422, detail: error.description)
        case let error as WebhookError:
            if case .eventNotFound = error { return .notFound(detail: error.description) }
            return HTTPProblem(type: HTTPProblem.typePrefix + "webhook", title: "Webhook request refused", status: 422, detail: error.description)
        case StoreError.conflict:
            return .conflict(detail: "another request changed the same data at the same time; retry with the same Idempotency-Key")
        default:
            return nil
        }
    }

    private static func checkout(_ error: CheckoutError) -> HTTPProblem {
        switch error {
        case let .invalidField(field, reason): .validation(field: field, detail: reason)
        case let .totalMismatch(total, sum, difference):
            HTTPProblem(
                type: HTTPProblem.typePrefix + "total-mismatch", title: "The total is not the sum of the lines", status: 422,
                detail: error.description, field: "/total",
                extensions: [
                    "difference": .object(["amount": .integer(difference.minorUnits), "currency": .string(difference.currency.code)]),
                    "lines_sum": .object(["amount": .integer(sum.minorUnits), "currency": .string(sum.currency.code)]),
                    "total": .object(["amount": .integer(total.minorUnits), "currency": .string(total.currency.code)]),
                ])
        case .noProductOffered:
            HTTPProblem(type: HTTPProblem.typePrefix + "no-product", title: "No product is offered for this amount", status: 422, detail: error.description, field: "/total")
        case .productNotOffered:
            HTTPProblem(type: HTTPProblem.typePrefix + "product-not-offered", title: "Product not offered", status: 422, detail: error.description, field: "/product_id")
        case .checkoutNotFound, .orderNotFound, .merchantNotFound: .notFound(detail: error.description)
        case .checkoutClosed: .conflict(detail: error.description)
        case let .order(orderError): order(orderError)
        case .creditUnavailable:
            HTTPProblem(type: HTTPProblem.typePrefix + "credit-unavailable", title: "Credit is not available", status: 409, detail: error.description)
        }
    }

    private static func order(_ error: OrderError) -> HTTPProblem {
        switch error {
        case .currencyMismatch, .notPositive, .exceedsAuthorization, .exceedsCaptured, .extensionTooLong:
            HTTPProblem(type: HTTPProblem.typePrefix + "order-amount", title: "The amount is not allowed", status: 422, detail: error.description, field: "/amount")
        case .invalidState:
            HTTPProblem(type: HTTPProblem.typePrefix + "order-state", title: "The order's state does not allow this", status: 409, detail: error.description)
        }
    }

    private static func servicing(_ error: ServicingError) -> HTTPProblem {
        switch error {
        case .planNotFound: .notFound(detail: error.description)
        case .operationReused:
            HTTPProblem(type: HTTPProblem.typePrefix + "idempotency-mismatch", title: "Operation id reused", status: 422, detail: error.description)
        case .plan, .invalidOperationID, .invalidIdentifier, .planExistsWithDifferentTerms:
            HTTPProblem(type: HTTPProblem.typePrefix + "plan-rule", title: "The plan's rules refuse this", status: 422, detail: error.description)
        case .ledgerRejected:
            HTTPProblem(type: HTTPProblem.typePrefix + "ledger-rejected", title: "The ledger refused the posting", status: 409, detail: error.description)
        }
    }
}
