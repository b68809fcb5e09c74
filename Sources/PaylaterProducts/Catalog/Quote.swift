public import PaylaterMoney
public import PaylaterTime

/// What a product costs for one amount on one day: the schedule, the total cost, and its APR by every method.
public struct Quote: Sendable {
    /// The product quoted.
    public let product: CatalogProduct
    /// The purchase amount.
    public let amount: Money
    /// The day of the purchase: the advance, and the start of the schedule.
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

extension ProductCatalog {
    /// Quotes `productID` for `amount` bought on `date`.
    /// - Throws: `.unknownProduct`, `.currencyNotOffered`, `.amountOutOfRange`, `.aprAboveCap` when the APR by
    ///   the jurisdiction cap's method is above the cap, or `.schedule` / `.apr` when the arithmetic fails.
    public func quote(productID: String, amount: Money, date: LocalDate) throws(CatalogError) -> Quote {
        let product = try product(id: productID)
        guard let limits = product.limits[amount.currency] else {
            throw .currencyNotOffered(product: product.id, currency: amount.currency, offered: product.currencies)
        }
        guard limits.minimum.minorUnits <= amount.minorUnits, amount.minorUnits <= limits.maximum.minorUnits else {
            throw .amountOutOfRange(product: product.id, amount: amount, minimum: limits.minimum, maximum: limits.maximum)
        }
        let schedule: InstallmentSchedule
        do {
            schedule = try ScheduleGenerator.schedule(for: product.terms, principal: amount, start: date, remainder: .first)
        } catch { throw .schedule(product: product.id, error) }
        let aprs = try Self.aprs(schedule, advancedOn: date, product: product.id)
        if let cap = applicableCap {
            guard let apr = aprs.first(where: { $0.method == cap.method }) else { preconditionFailure("every method is quoted") }
            // Both as Double: the APR is a floating-point rate, and the cap's fraction is exact to far below 1e-10.
            let capFraction = Double(cap.aprPercent.numerator) / Double(cap.aprPercent.denominator) / 100
            if apr.annualRate > capFraction {
                throw .aprAboveCap(
                    product: product.id, apr: apr.percentString(decimals: 4), cap: cap.aprPercentText, method: cap.method)
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
