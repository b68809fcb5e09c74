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
        case let error as CreditBalanceError: return creditBalance(error)
        case let error as StatementServiceError: return statement(error)
        case let error as UnderwritingError: return underwriting(error)
        case CreditLineError.rejected(.overflowsTotals): return amountTooLarge
        case let error as CreditLineError: return refused("credit-unavailable", "Credit is not available", error, 409)
        case let error as LedgerError: return .validation(field: "/", detail: error.description)
        case let error as DeliveryError:
            return refused("delivery", "The delivery cannot be recorded", error, field: "/delivered_on")
        case let error as SettlementError:
            if case .settlementNotFound = error { return .notFound(detail: error.description) }
            return refused("settlement", "Settlement request refused", error)
        case let error as WebhookError:
            if case .eventNotFound = error { return .notFound(detail: error.description) }
            return refused("webhook", "Webhook request refused", error)
        case StoreError.conflict:
            return .conflict(
                detail: "another request changed the same data at the same time; retry with the same Idempotency-Key")
        default:
            return nil
        }
    }

    /// A problem of type `<prefix><slug>` whose detail is the error's own description.
    private static func refused(
        _ slug: String, _ title: String, _ error: any CustomStringConvertible, _ status: Int = 422, field: String? = nil
    ) -> HTTPProblem {
        HTTPProblem(type: HTTPProblem.typePrefix + slug, title: title, status: status, detail: error.description, field: field)
    }

    private static func underwriting(_ error: UnderwritingError) -> HTTPProblem {
        switch error {
        case .spendingCapCurrency:
            refused(
                "spending-cap-currency", "The spending cap is not in the shopper's currency", error,
                field: "/spending_cap/currency")
        case .invalidSpendingCap: .validation(field: "/spending_cap/amount", detail: error.description)
        default: refused("underwriting", "Underwriting refused the request", error)
        }
    }

    private static func checkout(_ error: CheckoutError) -> HTTPProblem {
        switch error {
        case let .invalidField(field, reason): .validation(field: field, detail: reason)
        case let .totalMismatch(total, sum, difference):
            HTTPProblem(
                type: HTTPProblem.typePrefix + "total-mismatch", title: "The total is not the sum of the lines",
                status: 422, detail: error.description, field: "/total",
                extensions: [
                    "difference": APIJSON.money(difference), "lines_sum": APIJSON.money(sum),
                    "total": APIJSON.money(total),
                ])
        case .noProductOffered: refused("no-product", "No product is offered for this amount", error, field: "/total")
        case .productNotOffered: refused("product-not-offered", "Product not offered", error, field: "/product_id")
        case .checkoutNotFound, .orderNotFound, .merchantNotFound: .notFound(detail: error.description)
        case .checkoutClosed: .conflict(detail: error.description)
        case let .order(orderError): order(orderError)
        case .creditUnavailable: refused("credit-unavailable", "Credit is not available", error, 409)
        case .captureTooSmall, .captureNotPriced:
            refused("order-amount", "The amount is not allowed", error, field: "/amount")
        }
    }

    private static func order(_ error: OrderError) -> HTTPProblem {
        switch error {
        case .currencyMismatch, .notPositive, .exceedsAuthorization, .exceedsCaptured, .extensionTooLong:
            refused("order-amount", "The amount is not allowed", error, field: "/amount")
        case .invalidState: refused("order-state", "The order's state does not allow this", error, 409)
        case let .idReused(operation, _, _, _):
            refused("idempotency-mismatch", "Id reused for another amount", error, field: "/\(operation)_id")
        }
    }

    /// A ledger total that would overflow: only an absurd amount from the client gets there, so it is the client's
    /// mistake to fix, not a conflict to retry, and the internal account is not named.
    private static let amountTooLarge = HTTPProblem.validation(
        field: "/amount", detail: "the amount is too large for the books to take; check it")

    private static func servicing(_ error: ServicingError) -> HTTPProblem {
        switch error {
        case .planNotFound: .notFound(detail: error.description)
        case .plan(.payment(.exceedsOverpaymentLimit)): .validation(field: "/amount", detail: error.description)
        case .ledgerRejected(.overflowsTotals): amountTooLarge
        case .operationReused: refused("idempotency-mismatch", "Operation id reused", error)
        case .plan(.payoffAmountMismatch):
            refused("plan-rule", "The plan's rules refuse this", error, field: "/amount")
        case .plan(.dueDateExtension(let refusal)):
            refused("plan-rule", "The plan's rules refuse this", error, field: extensionField(refusal))
        case .plan, .invalidOperationID, .invalidIdentifier, .planExistsWithDifferentTerms:
            refused("plan-rule", "The plan's rules refuse this", error)
        case .ledgerRejected: refused("ledger-rejected", "The ledger refused the posting", error, 409)
        }
    }

    /// The request field a refused due-date extension is about: the installment, or the days asked for.
    private static func extensionField(_ error: DueDateExtensionError) -> String? {
        switch error {
        case .noSuchInstallment, .nothingDue: "/installment"
        case .daysOutOfRange, .reachesNextInstallment, .newDueDateInPast: "/days"
        case .alreadyExtended, .maximumDaysOutOfRange, .negativeFee, .currencyMismatch, .dateOutOfRange, .schedule: nil
        }
    }

    private static func creditBalance(_ error: CreditBalanceError) -> HTTPProblem {
        switch error {
        case .amountNotPositive: .validation(field: "/amount", detail: error.description)
        case .exceedsBalance:
            refused("credit-balance", "The credit balance does not cover this payout", error, field: "/amount")
        case .operationReused: refused("idempotency-mismatch", "Operation id reused", error)
        }
    }

    private static func statement(_ error: StatementServiceError) -> HTTPProblem {
        switch error {
        case .statementNotFound: .notFound(detail: error.description)
        case .ambiguousStatement:
            HTTPProblem(
                type: HTTPProblem.typePrefix + "ambiguous-statement", title: "Several statements fall due that day",
                status: 409, detail: error.description + "; name the product and currency", field: "product")
        case .statementSettled, .notAMonthlyBill, .notPositive, .statement:
            refused("statement-rule", "The statement's rules refuse this", error)
        }
    }
}
