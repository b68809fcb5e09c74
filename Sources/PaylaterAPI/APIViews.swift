import PaylaterApp
import PaylaterMoney
import PaylaterProducts
import PaylaterTime
import PaylaterUnderwriting

/// An order as merchants and shoppers see it: the authoritative state, so a merchant can always poll instead of
/// trusting a webhook.
struct OrderView: Encodable {
    let id: String
    let state: String
    let merchantReference: String
    let productId: String
    let authorized: Money
    let captured: Money
    let refunded: Money
    let remainingAuthorization: Money
    let authorizedAt: Instant
    let expiresAt: Instant
    let captures: [OrderCapture]
    let refunds: [OrderRefund]
    /// The merchant-funded promotion the order was authorized with, if any.
    let promotion: PromotionGrant?
    /// The confirmed delivery, if any (try-then-pay counts its due date from it).
    let delivery: OrderDelivery?

    init(_ order: Order, at now: Instant) {
        id = order.id
        state = order.state(at: now).rawValue
        merchantReference = order.merchantReference
        productId = order.productID
        authorized = order.authorized
        captured = order.captured
        refunded = order.refunded
        remainingAuthorization = order.remainingAuthorization(at: now)
        authorizedAt = order.authorizedAt
        expiresAt = order.expiresAt
        captures = order.captures
        refunds = order.refunds
        promotion = order.promotion
        delivery = order.delivery
    }
}

/// The answer to an authorization: the decision and, on approval, the order.
struct AuthorizationView: Encodable {
    let decision: String
    let decisionId: String
    let reasons: [String]
    let order: OrderView?
}

/// A plan as the shopper sees it.
struct PlanView: Encodable {
    struct InstallmentView: Encodable {
        let number: Int
        let dueDate: LocalDate
        let principal: Money
        let fee: Money
        let lateFee: Money
        let paid: Money
        let owed: Money
    }

    /// A reported return: due dates inside it wait for its end, and no late fee is charged while it lasts.
    struct ReturnPauseView: Encodable {
        let reportedOn: LocalDate
        let endsOn: LocalDate
    }

    let id: String
    let merchantId: String
    let productId: String
    let status: String
    let owed: Money
    let installments: [InstallmentView]
    /// A monthly-bill purchase split into installments: the statement it left, when and into how many months.
    struct SplitView: Encodable {
        let statementDueDate: LocalDate
        let splitOn: LocalDate
        let months: Int
    }

    /// Absent when no return was reported.
    let returnPause: ReturnPauseView?
    /// Absent unless the plan is a split monthly-bill purchase.
    let split: SplitView?

    init(_ serviced: ServicedPlan) {
        let plan = serviced.plan
        id = plan.id
        merchantId = serviced.merchantID
        productId = serviced.productID
        status =
            switch plan.status {
            case .active: "active"
            case .paidOff: "paid_off"
            case .closedByRefund: "closed_by_refund"
            }
        owed = plan.owed
        returnPause = plan.returnPause.map { ReturnPauseView(reportedOn: $0.reportedOn, endsOn: $0.endsOn) }
        split = plan.billSplit.map { SplitView(statementDueDate: $0.statementDueDate, splitOn: $0.splitOn, months: $0.months) }
        installments = plan.installments.map {
            InstallmentView(
                number: $0.number, dueDate: plan.effectiveDueDate(of: $0), principal: $0.principal, fee: $0.fee,
                lateFee: $0.lateFee,
                paid: Money(
                    minorUnits: $0.principalPaid.minorUnits + $0.feePaid.minorUnits + $0.lateFeePaid.minorUnits,
                    currency: plan.currency),
                owed: $0.owed)
        }
    }
}

/// What paying a plan off today would take (`GET /v1/me/plans/{id}/payoff-quote`).
struct PayoffQuoteView: Encodable {
    let planId: String
    let date: LocalDate
    let amount: Money
    let principal: Money
    let fees: Money
    let lateFees: Money
    let rebate: Money
    let feesReturned: Money
    let remainingScheduled: Money

    init(plan: String, _ quote: PayoffQuote) {
        planId = plan
        date = quote.date
        amount = quote.amount
        principal = quote.outstandingPrincipal
        fees = quote.feesEarned
        lateFees = quote.lateFees
        rebate = quote.rebate
        feesReturned = quote.feesReturned
        remainingScheduled = quote.remainingScheduled
    }
}

// The authorization's answer is rendered under the single writer (it is stored with its idempotency key in the
// same transaction), so it is written by hand rather than through `Codable`: the same bytes, checked in
// `APIViewJSONTests`. Keys are written in camelCase and converted as the API's encoder converts them.

extension OrderView: CanonicalJSONWritable {
    package func write(to json: inout CanonicalJSONWriter) {
        json.object { json in
            json.field("authorized", authorized)
            json.field("authorizedAt", authorizedAt)
            json.field("captured", captured)
            json.field("captures", captures)
            json.field("delivery", delivery)
            json.field("expiresAt", expiresAt)
            json.field("id", id)
            json.field("merchantReference", merchantReference)
            json.field("productId", productId)
            json.field("promotion", promotion)
            json.field("refunded", refunded)
            json.field("refunds", refunds)
            json.field("remainingAuthorization", remainingAuthorization)
            json.field("state", state)
        }
    }
}

extension AuthorizationView: CanonicalJSONWritable {
    package func write(to json: inout CanonicalJSONWriter) {
        json.object { json in
            json.field("decision", decision)
            json.field("decisionId", decisionId)
            json.field("order", order)
            json.field("reasons", reasons)
        }
    }
}

/// A credit decision as its shopper may see it: the outcome, the order it was for and the reasons in the words the
/// shopper is told (adverse-action notices, China's transparency rules), never the operator's detail, the score, the
/// model or the arm.
struct ShopperDecisionView: Encodable {
    let id: String
    let decidedAt: Instant
    let outcome: String
    let amount: Money
    let merchantId: String
    let reasons: [String]
    /// For an approval: what was approved and the shopper's limit after it.
    let approvedAmount: Money?
    let limit: Money?

    init(_ decision: CreditDecision) {
        let application = decision.snapshot.application
        id = decision.id
        decidedAt = application.at
        amount = application.orderAmount
        merchantId = application.merchantId
        reasons = decision.shopperReasons
        outcome = decision.outcome.name
        if case let .approved(limit, approvedAmount, _) = decision.outcome {
            (self.approvedAmount, self.limit) = (approvedAmount, limit)
        } else {
            (approvedAmount, limit) = (nil, nil)
        }
    }
}
