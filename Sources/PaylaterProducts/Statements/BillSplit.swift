public import PaylaterMoney
public import PaylaterTime

/// What a shopper split: a whole statement, or one purchase.
public enum SplitSubject: Hashable, Sendable, CustomStringConvertible {
    /// The statement drawn up on this date: every purchase on it not already split.
    case statement(LocalDate)
    /// One purchase, by id.
    case purchase(String)

    public var description: String {
        switch self {
        case .statement(let date): "the statement of \(date)"
        case .purchase(let id): "purchase \(id)"
        }
    }
}

/// What a monthly bill lets a shopper split into, and at what price: `monthly_bill` in the catalog.
public struct SplitOffer: Hashable, Sendable {
    /// The numbers of months offered, a subset of `ScheduleTerms.monthlySplitMonthsOffered`.
    public let months: [Int]
    /// The fee each month on the amount split, as in `ScheduleTerms.monthlySplit`.
    public let monthlyFeeRate: Rational

    public init(months: [Int], monthlyFeeRate: Rational) {
        self.months = months
        self.monthlyFeeRate = monthlyFeeRate
    }
}

/// A statement or purchase moved into monthly installments.
///
/// The rule for the first due date: a split is made at the latest on the due date of the statement its subject is
/// on, and its first installment falls due on the **next** statement's due date, then monthly on the same day (the
/// Huabei rule). The installments are `ScheduleTerms.monthlySplit`: equal principal parts (leftover minor units on
/// the first) and the same fee each month, principal × rate rounded half-even.
public struct BillSplit: Hashable, Sendable {
    /// What was split.
    public let subject: SplitSubject
    /// The day the shopper split it.
    public let splitOn: LocalDate
    /// The installments; the first is due on the next statement's due date.
    public let schedule: InstallmentSchedule

    /// The amount split.
    public var principal: Money { schedule.principal }
}

extension MonthlyStatement {
    /// Splits the whole statement (every purchase line, not the installments of earlier splits) into `months`
    /// installments, the first due on the next statement's due date.
    /// - Throws: `.splitAfterDueDate`, `.alreadySplit` when the statement is split already, `.nothingToSplit`,
    ///   `.monthsNotOffered`, or `.schedule`.
    public func split(
        months: Int, offer: SplitOffer, on date: LocalDate, cycle: BillingCycle, existing: [BillSplit]
    ) throws(StatementError) -> BillSplit {
        let subject = SplitSubject.statement(period.statementDate)
        // The due date first: past it a statement's purchases carry late fees and are no longer offered for a
        // split, and "nothing left to split" would hide the reason.
        guard date <= period.dueDate else { throw .splitAfterDueDate(requested: date, dueDate: period.dueDate) }
        guard !existing.contains(where: { $0.subject == subject }) else { throw .alreadySplit(subject) }
        let splitPurchases = Set(existing.compactMap { if case .purchase(let id) = $0.subject { id } else { nil } })
        let amounts = purchases.filter { !splitPurchases.contains($0.id) }.map(\.amount)
        let principal: Money
        do { principal = try Money.sum(of: amounts, currency: currency) } catch { throw .arithmetic(error) }
        guard principal.isPositive else { throw .nothingToSplit(statementDate: period.statementDate) }
        return try BillSplit.make(subject, principal, months, offer, date, period, cycle)
    }

    /// Splits one purchase of this statement into `months` installments, the first due on the next statement's due
    /// date; the purchase then leaves the statement.
    /// - Throws: `.unknownPurchase`, `.alreadySplit` when the purchase or its whole statement is split already,
    ///   `.splitAfterDueDate`, `.monthsNotOffered`, or `.schedule`.
    public func split(
        purchase id: String, months: Int, offer: SplitOffer, on date: LocalDate, cycle: BillingCycle,
        existing: [BillSplit]
    ) throws(StatementError) -> BillSplit {
        guard let purchase = purchases.first(where: { $0.id == id }) else { throw .unknownPurchase(id) }
        let statement = SplitSubject.statement(period.statementDate)
        guard !existing.contains(where: { $0.subject == statement }) else { throw .alreadySplit(statement) }
        return try BillSplit.splitting(purchase, months: months, offer: offer, on: date, cycle: cycle, existing: existing)
    }
}

extension BillSplit {
    /// Splits one purchase before (or after) its statement is drawn up, up to that statement's due date.
    /// - Throws: `.splitBeforePurchase`, `.alreadySplit`, `.splitAfterDueDate`, `.monthsNotOffered`, `.schedule`.
    public static func splitting(
        _ purchase: BillPurchase, months: Int, offer: SplitOffer, on date: LocalDate, cycle: BillingCycle,
        existing: [BillSplit]
    ) throws(StatementError) -> BillSplit {
        guard date >= purchase.date else { throw .splitBeforePurchase(requested: date, purchaseDate: purchase.date) }
        let subject = SplitSubject.purchase(purchase.id)
        guard !existing.contains(where: { $0.subject == subject }) else { throw .alreadySplit(subject) }
        let period = try cycle.period(containing: purchase.date)
        guard !existing.contains(where: { $0.subject == .statement(period.statementDate) }) else {
            throw .alreadySplit(.statement(period.statementDate))
        }
        return try make(subject, purchase.amount, months, offer, date, period, cycle)
    }

    /// The split's schedule: `monthlySplit` from the statement's due date, first due on the next one's.
    fileprivate static func make(
        _ subject: SplitSubject, _ principal: Money, _ months: Int, _ offer: SplitOffer, _ date: LocalDate,
        _ period: StatementPeriod, _ cycle: BillingCycle
    ) throws(StatementError) -> BillSplit {
        guard date <= period.dueDate else { throw .splitAfterDueDate(requested: date, dueDate: period.dueDate) }
        guard offer.months.contains(months) else { throw .monthsNotOffered(months, offered: offer.months) }
        let firstDueDate = try cycle.period(after: period).dueDate
        let terms = ScheduleTerms.monthlySplit(months: months, monthlyFeeRate: offer.monthlyFeeRate, firstDueDate: firstDueDate)
        let schedule: InstallmentSchedule
        do {
            schedule = try ScheduleGenerator.schedule(for: terms, principal: principal, start: period.dueDate, remainder: .first)
        } catch { throw .schedule(error) }
        return BillSplit(subject: subject, splitOn: date, schedule: schedule)
    }
}
