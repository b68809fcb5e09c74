public import PaylaterMoney
public import PaylaterTime

/// What a product costs for one amount on one day: the schedule, the total cost, and its APR by every method.
public struct Quote: Sendable {
    /// The product quoted.
    public let product: CatalogProduct
    /// The purchase amount.
    public let amount: Money
    /// The day of the advance and the start of the schedule: the purchase date, or for a monthly bill's split the
    /// statement's due date (see `SplitQuote`).
    public let date: LocalDate
    /// The installments, with leftover minor units on the first.
    public let schedule: InstallmentSchedule
    /// Every fee and all interest: the schedule's total less the amount.
    public let totalCost: Money
    /// The APR by us-regz, eu and cn-irr, in that order.
    public let aprs: [APRResult]

    /// The APR by `method`.
    public func apr(_ method: APRMethod) -> APRResult {
        guard let result = aprs.first(where: { $0.method == method }) else { preconditionFailure("every method is quoted") }
        return result
    }
}

/// One split a monthly bill offers for a purchase, priced as a loan of the purchase from its statement's due date.
public struct SplitQuote: Sendable {
    /// The number of monthly installments.
    public let months: Int
    /// The statement the purchase is on; the split replaces paying it on `statement.dueDate`.
    public let statement: StatementPeriod
    /// The split's schedule (the first installment on the next statement's due date) and its APRs. Its `date` is
    /// the statement's due date: the day the shopper would otherwise pay, so the free period does not dilute the
    /// APR of the split.
    public let quote: Quote
}

extension ProductCatalog {
    /// Quotes `productID` for `amount` bought on `date`. For a monthly bill this is paying the statement in full:
    /// one installment due on the statement's due date, at no cost and 0% APR; `quoteSplits` gives the splits.
    /// - Throws: `.unknownProduct`, `.currencyNotOffered`, `.amountOutOfRange`, `.aprAboveCap` when the APR by
    ///   the jurisdiction cap's method is above the cap, or `.schedule` / `.statement` / `.apr` when the
    ///   arithmetic fails.
    public func quote(productID: String, amount: Money, date: LocalDate) throws(CatalogError) -> Quote {
        let product = try product(id: productID)
        try Self.checkLimits(product, amount)
        return try quote(product, amount, date)
    }

    /// The quote of one capture of an order: `quote(productID:amount:date:)`, except that a partial capture below
    /// the product's minimum is still priced, since the order as a whole met the limits at checkout and a partial
    /// shipment may be small. It is checked against the cap like any quote: the fees of a small principal round to
    /// a larger share of it, so its APR can be above the order's.
    /// - Throws: `CatalogError` as `quote` does, other than `.amountOutOfRange` below the minimum; a capture of fewer
    ///   minor units than the plan has installments is `.schedule(_, .principalTooSmallToSplit)`.
    public func captureQuote(productID: String, amount: Money, date: LocalDate) throws(CatalogError) -> Quote {
        let product = try product(id: productID)
        try Self.checkLimits(product, amount, belowMinimum: true)
        return try quote(product, amount, date)
    }

    private func quote(_ product: CatalogProduct, _ amount: Money, _ date: LocalDate) throws(CatalogError) -> Quote {
        let schedule: InstallmentSchedule
        switch product.offer {
        case .schedule(let terms):
            do {
                schedule = try ScheduleGenerator.schedule(for: terms, principal: amount, start: date, remainder: .first)
            } catch { throw .schedule(product: product.id, error) }
        case .monthlyBill(let bill):
            schedule = try Self.payInFull(product.id, bill, amount, date)
        }
        return try priced(product, label: product.id, amount: amount, advancedOn: date, schedule)
    }

    /// Quotes every split a monthly bill offers for `amount` bought on `date`, in catalog order: each as its own
    /// schedule (`BillSplit`'s: the first installment on the next statement's due date), priced as an advance of
    /// the amount on the purchase's statement due date, and checked against the cap.
    /// - Throws: `.notAMonthlyBill` for another kind of product, otherwise as `quote`.
    public func quoteSplits(productID: String, amount: Money, date: LocalDate) throws(CatalogError) -> [SplitQuote] {
        let product = try product(id: productID)
        guard let bill = product.monthlyBill else { throw .notAMonthlyBill(product.id) }
        try Self.checkLimits(product, amount)
        let purchase = BillPurchase(id: "quote", date: date, amount: amount)
        var quotes: [SplitQuote] = []
        for months in bill.splits.months {
            let split: BillSplit
            let statement: StatementPeriod
            do {
                statement = try bill.cycle.period(containing: date)
                split = try BillSplit.splitting(
                    purchase, months: months, offer: bill.splits, on: date, cycle: bill.cycle, existing: [])
            } catch { throw .statement(product: product.id, error) }
            let quote = try priced(
                product, label: "\(product.id) (\(months)-month split)", amount: amount, advancedOn: statement.dueDate,
                split.schedule)
            quotes.append(SplitQuote(months: months, statement: statement, quote: quote))
        }
        return quotes
    }

    /// Refuses a currency the product does not lend in, and an amount outside its limits (`belowMinimum`: only
    /// above the maximum).
    private static func checkLimits(
        _ product: CatalogProduct, _ amount: Money, belowMinimum: Bool = false
    ) throws(CatalogError) {
        guard let limits = product.limits[amount.currency] else {
            throw .currencyNotOffered(product: product.id, currency: amount.currency, offered: product.currencies)
        }
        guard belowMinimum || limits.minimum.minorUnits <= amount.minorUnits, amount.minorUnits <= limits.maximum.minorUnits
        else {
            throw .amountOutOfRange(product: product.id, amount: amount, minimum: limits.minimum, maximum: limits.maximum)
        }
    }

    /// A monthly bill paid in full: the amount, without fee, due on the due date of the statement it lands on.
    private static func payInFull(_ product: String, _ bill: MonthlyBillTerms, _ amount: Money, _ date: LocalDate)
        throws(CatalogError) -> InstallmentSchedule
    {
        let statement: StatementPeriod
        do { statement = try bill.cycle.period(containing: date) } catch { throw .statement(product: product, error) }
        do {
            let installment = try Installment(
                number: 1, dueDate: statement.dueDate, principal: amount, fee: .zero(amount.currency))
            return try InstallmentSchedule(installments: [installment])
        } catch { throw .schedule(product: product, error) }
    }

    /// The quote of `schedule` for `amount` advanced on `date`, refused when its APR is above the cap; `label`
    /// names the product (and the split) in errors.
    private func priced(
        _ product: CatalogProduct, label: String, amount: Money, advancedOn date: LocalDate, _ schedule: InstallmentSchedule
    ) throws(CatalogError) -> Quote {
        let aprs = try Self.aprs(schedule, advancedOn: date, product: label)
        if let cap = applicableCap {
            guard let apr = aprs.first(where: { $0.method == cap.method }) else { preconditionFailure("every method is quoted") }
            // Both as Double: the APR is a floating-point rate, and the cap's fraction is exact to far below 1e-10.
            let capFraction = Double(cap.aprPercent.numerator) / Double(cap.aprPercent.denominator) / 100
            if apr.annualRate > capFraction {
                throw .aprAboveCap(
                    product: label, apr: apr.percentString(decimals: 4), cap: cap.aprPercentText, method: cap.method)
            }
        }
        return Quote(
            product: product, amount: amount, date: date, schedule: schedule, totalCost: schedule.totalFees, aprs: aprs)
    }

    /// The APRs of the amount advanced on `date` and repaid by the schedule. A schedule without fees costs nothing,
    /// so its APR is 0 by every method, without calling the solver.
    ///
    /// A payment due on the advance date itself (pay-in-4's first installment, paid at checkout) is not credit: it
    /// reduces the advance, so the cash flows are advance = amount − those payments, and the later installments.
    static func aprs(_ schedule: InstallmentSchedule, advancedOn date: LocalDate, product: String) throws(CatalogError)
        -> [APRResult]
    {
        if schedule.totalFees.isZero {
            return APRMethod.allCases.map {
                APRResult(
                    method: $0, annualRate: 0, periodicRate: 0, period: .months(1), simpleAnnualRate: $0 == .cnIRR ? 0 : nil)
            }
        }
        let paidAtCheckout = schedule.installments.filter { $0.dueDate <= date }.reduce(Int64(0)) { $0 + $1.total.minorUnits }
        let later = schedule.installments.filter { $0.dueDate > date }.map { ($0.dueDate, $0.total) }
        let advance = Money(minorUnits: schedule.principal.minorUnits - paidAtCheckout, currency: schedule.principal.currency)
        let flows: CashFlowSchedule
        do {
            flows = try CashFlowSchedule(currency: advance.currency, advances: [(date, advance)], payments: later)
        } catch { throw .cashFlows(product: product, error) }
        var results: [APRResult] = []
        for method in APRMethod.allCases {
            do { results.append(try APRCalculator.apr(flows, method: method)) } catch { throw .apr(product: product, error) }
        }
        return results
    }
}
