public import PaylaterMoney
public import PaylaterTime

/// One purchase paid with the monthly bill.
public struct BillPurchase: Hashable, Sendable {
    /// The order's id, unique on a statement.
    public let id: String
    /// The day of the purchase, which decides its statement.
    public let date: LocalDate
    /// The amount, above zero.
    public let amount: Money

    public init(id: String, date: LocalDate, amount: Money) {
        self.id = id
        self.date = date
        self.amount = amount
    }
}

/// One line of a statement.
public enum StatementLine: Hashable, Sendable {
    /// A purchase of the period, owed in full on the due date (or split).
    case purchase(BillPurchase)
    /// The installment of an earlier split that falls due on this statement's due date.
    case installment(subject: SplitSubject, installment: Installment, of: Int)

    /// What the line adds to the statement: the purchase amount, or the installment's principal plus fee.
    public var amount: Money {
        switch self {
        case .purchase(let purchase): purchase.amount
        case .installment(_, let installment, _): installment.total
        }
    }
}

/// A monthly bill's statement: the period's purchases that were not split, and the installments of earlier splits
/// due on this statement's due date, all in one currency.
///
/// A purchase that has been split (by itself, before the statement) is left off; its installments appear instead
/// on the statements whose due dates they fall on. No minimum payment is offered: the statement is paid in full or
/// split (Huabei's 最低还款 is left to a later change).
public struct MonthlyStatement: Hashable, Sendable {
    /// The most lines a statement may hold.
    public static let linesMaximum = 10_000

    /// The period the statement covers.
    public let period: StatementPeriod
    /// The currency of every line.
    public let currency: Currency
    /// Purchases first (in the order given), then installments of earlier splits.
    public let lines: [StatementLine]
    /// The sum of the lines: what is owed on `period.dueDate`.
    public let total: Money

    /// The due date, where the total must be paid or the statement split.
    public var dueDate: LocalDate { period.dueDate }

    /// The purchase lines, the ones a split of the whole statement moves into installments.
    public var purchases: [BillPurchase] {
        lines.compactMap { if case .purchase(let purchase) = $0 { purchase } else { nil } }
    }

    /// Draws up the statement for `period` from the period's purchases and every split so far.
    ///
    /// Purchases split by themselves (`splits` holds a `.purchase` split for them) are left off; every installment
    /// of any split due on `period.dueDate` is added.
    /// - Throws: `.currencyMismatch`, `.purchaseOutsideCycle`, `.nonPositivePurchase`, `.duplicatePurchase`,
    ///   `.tooManyLines`, or `.arithmetic` when the total overflows.
    public init(period: StatementPeriod, currency: Currency, purchases: [BillPurchase], splits: [BillSplit] = [])
        throws(StatementError)
    {
        try Self.check(purchases, period: period, currency: currency)
        let splitPurchases = Set(splits.compactMap { if case .purchase(let id) = $0.subject { id } else { nil } })
        var lines = purchases.filter { !splitPurchases.contains($0.id) }.map(StatementLine.purchase)
        for split in splits {
            for installment in split.schedule.installments where installment.dueDate == period.dueDate {
                guard installment.total.currency == currency else {
                    throw .currencyMismatch(purchase: "\(split.subject)", found: installment.total.currency, expected: currency)
                }
                lines.append(.installment(subject: split.subject, installment: installment, of: split.schedule.installments.count))
            }
        }
        guard lines.count <= Self.linesMaximum else { throw .tooManyLines(lines.count, maximum: Self.linesMaximum) }
        do { total = try Money.sum(of: lines.map(\.amount), currency: currency) } catch { throw .arithmetic(error) }
        self.period = period
        self.currency = currency
        self.lines = lines
    }

    private static func check(_ purchases: [BillPurchase], period: StatementPeriod, currency: Currency)
        throws(StatementError)
    {
        guard purchases.count <= linesMaximum else { throw .tooManyLines(purchases.count, maximum: linesMaximum) }
        var ids: Set<String> = []
        for purchase in purchases {
            guard purchase.amount.currency == currency else {
                throw .currencyMismatch(purchase: purchase.id, found: purchase.amount.currency, expected: currency)
            }
            guard purchase.amount.isPositive else { throw .nonPositivePurchase(purchase: purchase.id, amount: purchase.amount) }
            guard period.contains(purchase.date) else {
                throw .purchaseOutsideCycle(purchase: purchase.id, date: purchase.date, period: period)
            }
            guard ids.insert(purchase.id).inserted else { throw .duplicatePurchase(purchase.id) }
        }
    }
}
