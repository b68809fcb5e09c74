public import PaylaterMoney
public import PaylaterTime

/// How a monthly-bill purchase was split into monthly installments (月付分期), recorded on its plan.
public struct PlanSplit: Hashable, Sendable, Codable {
    /// The day of the purchase, which decides its statement.
    public let purchaseDate: LocalDate
    /// The day the shopper split it.
    public let splitOn: LocalDate
    /// The number of monthly installments.
    public let months: Int
    /// The due date the purchase had before: its statement's due date, where the split's first period begins.
    public let statementDueDate: LocalDate
    /// The principal split.
    public let principal: Money
    /// The fees the split added, booked when it was made.
    public let fees: Money
}

extension RepaymentPlan {
    /// Whether the plan is a purchase still owed in full as one installment: nothing paid, no late fee charged,
    /// not split before. Only such a plan can be split.
    public var isUnpaidSinglePurchase: Bool {
        guard status.isOpen, billSplit == nil, installments.count == 1, let only = installments.first else { return false }
        return only.principal.isPositive && only.principalPaid.isZero && only.feePaid.isZero && only.lateFee.isZero
    }

    /// What was paid on a purchase that is otherwise a split's subject (one open installment, no late fee, not split),
    /// when anything was: such a purchase is refused for being partly paid, not for being something else.
    public var paidOnSplittablePurchase: Money? {
        guard status.isOpen, billSplit == nil, installments.count == 1, let only = installments.first,
            only.principal.isPositive, only.lateFee.isZero
        else { return nil }
        let paid = only.principalPaid.minorUnits + only.feePaid.minorUnits
        return paid > 0 ? Money(minorUnits: paid, currency: currency) : nil
    }

    /// Replaces the purchase's one installment by `split`'s schedule (`BillSplit`: equal principal parts, the same
    /// fee each month, the first due on the next statement's due date) and records the split. The principal is
    /// unchanged; the schedule's fees are added and returned so the caller books them. Fees are earned from
    /// `statementDueDate` (the plan's new start; the purchase date, the old start, is kept in `billSplit`), and an early payoff follows `rebateRule` from then on.
    /// - Throws: `.alreadySplit`, `.partlyPaid`, `.notSplittable` unless `isUnpaidSinglePurchase` with a recorded start, `.currencyMismatch`, or
    ///   `.splitPrincipalMismatch` when the split is not of the principal owed.
    public mutating func split(
        into split: BillSplit, statementDueDate: LocalDate, rebateRule: RebateRule
    ) throws(PlanError) -> Money {
        if let done = billSplit { throw .alreadySplit(on: done.splitOn) }
        if let paid = paidOnSplittablePurchase { throw .partlyPaid(planID: id, paid: paid) }
        guard isUnpaidSinglePurchase, let purchaseDate = start else { throw .notSplittable(planID: id) }
        let schedule = split.schedule
        guard schedule.principal.currency == currency else {
            throw .currencyMismatch(expected: currency, found: schedule.principal.currency)
        }
        guard schedule.principal == principalOwed else {
            throw .splitPrincipalMismatch(split: schedule.principal, owed: principalOwed)
        }
        assert(schedule.installments.allSatisfy { $0.dueDate > statementDueDate }, "a split falls due after its statement")
        var updated = self
        updated.installments = schedule.installments.map(PlanInstallment.init)
        updated.start = statementDueDate
        updated.rebateRule = rebateRule
        updated.billSplit = PlanSplit(
            purchaseDate: purchaseDate, splitOn: split.splitOn, months: schedule.installments.count, statementDueDate: statementDueDate,
            principal: schedule.principal, fees: schedule.totalFees)
        updated.assertConsistent()
        assert(updated.principalOwed == principalOwed, "a split keeps the principal")
        assert(updated.feesOwed.minorUnits == feesOwed.minorUnits + schedule.totalFees.minorUnits, "a split adds its fees")
        self = updated
        return schedule.totalFees
    }
}

extension RepaymentPlan {
    /// Splits this monthly-bill purchase (bought on `start`, owing `principalOwed`) into `months` installments by
    /// `bill`'s offer on `date`: `BillSplit.splitting` makes the schedule, `split(into:statementDueDate:rebateRule:)`
    /// applies it. Returns the fees to book.
    /// - Throws: `.alreadySplit`, `.partlyPaid`, `.notSplittable` (also when the purchase date was not recorded), or `.split` with
    ///   the bill's refusal: `.splitAfterDueDate`, `.splitBeforePurchase`, `.monthsNotOffered`, `.schedule`.
    public mutating func split(
        months: Int, bill: MonthlyBillTerms, on date: LocalDate, rebateRule: RebateRule
    ) throws(PlanError) -> Money {
        if let done = billSplit { throw .alreadySplit(on: done.splitOn) }
        if let paid = paidOnSplittablePurchase { throw .partlyPaid(planID: id, paid: paid) }
        guard isUnpaidSinglePurchase, let purchaseDate = start else { throw .notSplittable(planID: id) }
        let purchase = BillPurchase(id: id, date: purchaseDate, amount: principalOwed)
        let split: BillSplit
        let statement: StatementPeriod
        do {
            statement = try bill.cycle.period(containing: purchaseDate)
            split = try BillSplit.splitting(purchase, months: months, offer: bill.splits, on: date, cycle: bill.cycle, existing: [])
        } catch { throw .split(error) }
        return try self.split(into: split, statementDueDate: statement.dueDate, rebateRule: rebateRule)
    }
}
