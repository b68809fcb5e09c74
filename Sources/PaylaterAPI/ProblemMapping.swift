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
        case let error as CreditLineError: return refused(.creditUnavailable, error)
        case let error as LedgerError: return .validation(field: "/", detail: error.description)
        case let error as DeliveryError:
            return refused(.delivery, error, field: "/delivered_on")
        case let error as SettlementError:
            if case .settlementNotFound = error { return notFound(error) }
            return refused(.settlement, error)
        case let error as WebhookError:
            switch error {
            case .eventNotFound, .endpointNotFound: return notFound(error)
            case .invalidURL: return refused(.webhook, error, field: "/url")
            case .tooManyEndpoints, .noActiveEndpoint: return refused(.webhook, error)
            }
        case let error as StoreError where error.isUnavailable: return storeUnavailable
        case StoreError.conflict:
            var problem = HTTPProblem.conflict(
                detail: "another request changed the same data at the same time; retry with the same Idempotency-Key")
            problem.headers.replaceOrAdd(name: "Retry-After", value: "1")
            return problem
        default:
            return nil
        }
    }

    /// A 404 whose detail names what was asked for. The ids in it come from the path, as long as the caller made
    /// them, so the detail is cut as a quotation is, with room for the words around them and two ids of a
    /// resource that exists (a shopper's and a plan's).
    private static func notFound(_ error: any CustomStringConvertible) -> HTTPProblem {
        .notFound(detail: HTTPProblem.excerpt(error.description, maximum: 3 * HTTPProblem.excerptCharactersMaximum))
    }

    /// A problem of `type` whose detail is the error's own description.
    private static func refused(
        _ type: APIProblemType, _ error: any CustomStringConvertible, field: String? = nil
    ) -> HTTPProblem {
        HTTPProblem(type, detail: error.description, field: field)
    }

    private static func underwriting(_ error: UnderwritingError) -> HTTPProblem {
        switch error {
        case .spendingCapCurrency, .spendingCapNotLent:
            refused(.spendingCapCurrency, error, field: "/spending_cap/currency")
        case .invalidSpendingCap: .validation(field: "/spending_cap/amount", detail: error.description)
        default: refused(.underwriting, error)
        }
    }

    private static func checkout(_ error: CheckoutError) -> HTTPProblem {
        switch error {
        case let .invalidField(field, reason): .validation(field: field, detail: reason)
        case let .totalMismatch(total, sum, difference):
            HTTPProblem(
                .totalMismatch, detail: error.description, field: "/total",
                extensions: [
                    "difference": APIJSON.money(difference), "lines_sum": APIJSON.money(sum),
                    "total": APIJSON.money(total),
                ])
        case .noProductOffered: refused(.noProduct, error, field: "/total")
        case .productNotOffered: refused(.productNotOffered, error, field: "/product_id")
        case .checkoutNotFound, .orderNotFound, .merchantNotFound: notFound(error)
        case .checkoutClosed: refused(.checkoutDecided, error)
        case .checkoutCancelled, .checkoutExpired, .checkoutNotCancellable, .checkoutNotOpen, .madeBeforeShopperConfirmation:
            refused(.checkoutState, error)
        case .shopperConfirmationRequired: refused(.shopperConfirmation, error)
        case .shopperConfirmedAnotherProduct: refused(.shopperConfirmation, error, field: "/product_id")
        case let .order(orderError): order(orderError)
        case .creditUnavailable: refused(.creditUnavailable, error)
        case .captureTooSmall, .captureNotPriced: refused(.orderAmount, error, field: "/amount")
        }
    }

    private static func order(_ error: OrderError) -> HTTPProblem {
        switch error {
        case .currencyMismatch, .notPositive, .exceedsAuthorization, .exceedsCaptured:
            refused(.orderAmount, error, field: "/amount")
        case .extensionTooLong: .validation(field: "/days", detail: error.description)
        case .invalidState, .restReleased: refused(.orderState, error)
        case let .idReused(operation, _, _, _): refused(.idempotencyMismatch, error, field: "/\(operation)_id")
        }
    }

    /// The database cannot serve now (restarting, out of connections or disk): the request was not at fault and
    /// changed nothing, so it is a 503 to retry, not a server fault. Its cause is the operator's to see, in the
    /// database's own log and the store's errors, not the client's.
    static let storeUnavailable = HTTPProblem(
        .unavailable, detail: "the store cannot serve requests right now; retry after Retry-After seconds",
        headers: ["Retry-After": "1"])

    /// A ledger total that would overflow: only an absurd amount from the client gets there, so it is the client's
    /// mistake to fix, not a conflict to retry, and the internal account is not named.
    private static let amountTooLarge = HTTPProblem.validation(
        field: "/amount", detail: "the amount is too large for the books to take; check it")

    private static func servicing(_ error: ServicingError) -> HTTPProblem {
        switch error {
        case .planNotFound: notFound(error)
        case .operationReused: refused(.idempotencyMismatch, error)
        case .plan(.payment(.exceedsOverpaymentLimit)): .validation(field: "/amount", detail: error.description)
        case .ledgerRejected(.overflowsTotals): amountTooLarge
        case .plan(.payoffAmountMismatch), .plan(.notPositive), .plan(.currencyMismatch), .plan(.payment(.notPositive)),
            .plan(.payment(.currencyMismatch)):
            refused(.planRule, error, field: "/amount")
        case .plan(.dueDateExtension(let refusal)): refused(.planRule, error, field: extensionField(refusal))
        case .plan, .invalidOperationID, .invalidIdentifier, .planExistsWithDifferentTerms:
            refused(.planRule, error)
        case .ledgerRejected: refused(.ledgerRejected, error)
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
        case .exceedsBalance: refused(.creditBalance, error, field: "/amount")
        case .operationReused: refused(.idempotencyMismatch, error)
        }
    }

    private static func statement(_ error: StatementServiceError) -> HTTPProblem {
        switch error {
        case .statementNotFound: notFound(error)
        case .ambiguousStatement:
            refused(.ambiguousStatement, error, field: "/product_id")
        case .notPositive: refused(.statementRule, error, field: "/amount")
        case .statementSettled, .notAMonthlyBill, .statement:
            refused(.statementRule, error)
        }
    }
}

/// The problem types the API adds to the HTTP layer's own (`HTTPProblemType`). Each has one status and one title;
/// `ProblemTypeDocumentationTests` keeps every one listed in docs/API.md and the OpenAPI document.
enum APIProblemType: String, CaseIterable, Sendable {
    case idempotencyKeyRequired = "idempotency-key-required"
    case idempotencyInFlight = "idempotency-in-flight"
    case idempotencyMismatch = "idempotency-mismatch"
    case totalMismatch = "total-mismatch"
    case noProduct = "no-product"
    case productNotOffered = "product-not-offered"
    case orderAmount = "order-amount"
    case orderState = "order-state"
    case checkoutDecided = "checkout-decided"
    case checkoutState = "checkout-state"
    case shopperConfirmation = "shopper-confirmation"
    case creditUnavailable = "credit-unavailable"
    case underwriting
    case spendingCapCurrency = "spending-cap-currency"
    case creditBalance = "credit-balance"
    case planRule = "plan-rule"
    case ledgerRejected = "ledger-rejected"
    case statementRule = "statement-rule"
    case ambiguousStatement = "ambiguous-statement"
    case delivery
    case settlement
    case webhook
    case unavailable

    /// The HTTP status every problem of this type has.
    var status: Int {
        switch self {
        case .idempotencyKeyRequired: 400
        case .idempotencyInFlight, .orderState, .checkoutDecided, .checkoutState, .shopperConfirmation,
            .creditUnavailable, .ledgerRejected, .ambiguousStatement: 409
        case .idempotencyMismatch, .totalMismatch, .noProduct, .productNotOffered, .orderAmount, .underwriting,
            .spendingCapCurrency, .creditBalance, .planRule, .statementRule, .delivery, .settlement, .webhook:
            422
        case .unavailable: 503
        }
    }

    /// The title every problem of this type has.
    var title: String {
        switch self {
        case .idempotencyKeyRequired: "Idempotency-Key required"
        case .idempotencyInFlight: "A request with this key is in progress"
        case .idempotencyMismatch: "Idempotency-Key or operation id reused with another request"
        case .totalMismatch: "The total is not the sum of the lines"
        case .noProduct: "No product is offered for this amount"
        case .productNotOffered: "Product not offered"
        case .orderAmount: "The amount is not allowed"
        case .orderState: "The order's state does not allow this"
        case .checkoutDecided: "The checkout was decided for another request"
        case .checkoutState: "The checkout's state does not allow this"
        case .shopperConfirmation: "The checkout needs its shopper's confirmation for this product"
        case .creditUnavailable: "Credit is not available"
        case .underwriting: "Underwriting refused the request"
        case .spendingCapCurrency: "The spending cap is not in the shopper's currency"
        case .creditBalance: "The credit balance does not cover this payout"
        case .planRule: "The plan's rules refuse this"
        case .ledgerRejected: "The ledger refused the posting"
        case .statementRule: "The statement's rules refuse this"
        case .ambiguousStatement: "Several statements fall due that day"
        case .delivery: "The delivery cannot be recorded"
        case .settlement: "Settlement request refused"
        case .webhook: "Webhook request refused"
        case .unavailable: "The store is unavailable"
        }
    }
}

extension HTTPProblem {
    /// A problem of one of the API's types, with that type's title and status.
    init(
        _ type: APIProblemType, detail: String?, field: String? = nil, extensions: [String: JSONValue] = [:],
        headers: HTTPHeaders = [:]
    ) {
        self.init(
            type: HTTPProblem.typePrefix + type.rawValue, title: type.title, status: type.status, detail: detail,
            field: field, extensions: extensions, headers: headers)
    }
}
