public import PaylaterMoney
public import PaylaterProducts
public import PaylaterTime

/// One purchase on a monthly-bill statement: a plan made by a capture, owed in full on the due date.
public struct BillStatementLine: Codable, Hashable, Sendable {
    public let planID: String
    /// The checkout order the purchase belongs to, if it came from checkout.
    public let orderID: String?
    /// The day of the purchase, which decides its statement.
    public let purchaseDate: LocalDate
    /// The purchase's principal (less any merchant refund).
    public let amount: Money
    /// What is still owed on it, late fees included.
    public let owed: Money
}

/// A shopper's monthly-bill statement (月付账单): their purchases of one product in one currency made in one
/// billing period, due together on the statement's due date. A purchase whose due date was extended, or deferred
/// by a return pause, is on the statement of its new due date instead: a bill of its own, or with the purchases
/// due that day.
///
/// Purchases that were split into installments are not lines: they are listed in `splitPlanIDs` and their
/// installments are paid per plan (they are not drawn onto later statements). Purchases refunded in full leave the
/// statement.
public struct BillStatement: Codable, Hashable, Sendable {
    public let productID: String
    public let currency: Currency
    /// The day the statement is drawn up; purchases before it (from the previous statement date) are on it. With a
    /// purchase moved onto it from another period, the later of their statement dates.
    public let statementDate: LocalDate
    /// The day the statement must be paid, or split, at the latest.
    public let dueDate: LocalDate
    /// The purchases, oldest first.
    public let lines: [BillStatementLine]
    /// The sum of the lines' amounts.
    public let total: Money
    /// What is still owed on the lines.
    public let owed: Money
    /// Purchases of the period split into installments, now owed on their own plans.
    public let splitPlanIDs: [String]

    /// `splitPlanIds`, which snake case writes `split_plan_ids` (the default would be `split_plan_i_ds`).
    private enum CodingKeys: String, CodingKey {
        case productID, currency, statementDate, dueDate, lines, total, owed, splitPlanIDs = "splitPlanIds"
    }

    /// Whether nothing is owed on the statement's lines any more.
    public var isSettled: Bool { owed.isZero }
}

/// What paying a statement did: one payment per plan, oldest purchase first.
public struct StatementPaymentReceipt: Codable, Hashable, Sendable {
    public let operationID: String
    public let productID: String
    public let dueDate: LocalDate
    public let amount: Money
    /// The payment of each plan the amount reached, in the order paid.
    public let payments: [PaymentReceipt]
    /// Paid beyond what the statement owed; kept on the shopper's credit balance.
    public let overpayment: Money
    /// What the statement still owes after the payment.
    public let owedAfter: Money
}

/// What splitting a statement did: one split per purchase.
public struct StatementSplitReceipt: Codable, Hashable, Sendable {
    public let operationID: String
    public let productID: String
    public let dueDate: LocalDate
    public let months: Int
    /// Each purchase's split, oldest purchase first.
    public let splits: [SplitReceipt]
    /// The principal split, all purchases together.
    public let principal: Money
    /// The fees booked, all purchases together.
    public let fees: Money
}

/// Why a statement request was refused; nothing was changed when one is thrown.
public enum StatementServiceError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The shopper has no monthly-bill purchase due on this date.
    case statementNotFound(dueDate: LocalDate)
    /// Several statements fall due on this date (different products or currencies): name the product and currency.
    case ambiguousStatement(dueDate: LocalDate, statements: [String])
    /// Nothing is owed on the statement any more.
    case statementSettled(dueDate: LocalDate)
    /// The plan's product is not a monthly bill (or no longer in the catalog), so it cannot be split.
    case notAMonthlyBill(planID: String, productID: String)
    case notPositive(Money)
    /// The monthly bill's rules refused the request (already split, after the due date, months not offered...).
    case statement(StatementError)

    public var description: String {
        switch self {
        case let .statementNotFound(date): "no monthly-bill statement falls due on \(date)"
        case let .ambiguousStatement(date, statements):
            "several statements fall due on \(date) (\(statements.joined(separator: ", "))): name the product and currency"
        case let .statementSettled(date): "the statement due on \(date) is settled"
        case let .notAMonthlyBill(plan, product): "plan \(plan) is on product \(product), which is not a monthly bill"
        case let .notPositive(amount): "the amount must be positive, not \(amount)"
        case let .statement(error): error.description
        }
    }
}
