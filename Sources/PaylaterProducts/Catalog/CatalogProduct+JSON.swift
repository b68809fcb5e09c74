import PaylaterMoney

extension CatalogProduct {
    /// The keys every product has.
    private static let commonKeys: Set<String> = ["id", "kind", "currencies", "minimum", "maximum"]
    /// The keys each kind adds to the common ones.
    private static let keysByKind: [String: Set<String>] = [
        "try_then_pay": ["due_after_days"], "pay_in_4": ["interval_days"],
        "monthly_split": ["months", "monthly_fee_rate"], "financing": ["method", "months", "monthly_rate"],
        "monthly_bill": ["statement_day", "due_day", "split_months", "monthly_fee_rate"],
    ]
    /// The most currencies one product may be offered in.
    static let currenciesMaximum = 50

    /// Reads one product of the catalog and checks it.
    init(json object: CatalogJSONObject) throws(CatalogError) {
        id = try object.string("id")
        kind = try object.string("kind")
        // Unknown keys first, so a misspelt field is reported as unknown rather than the real one as missing.
        guard let keys = Self.keysByKind[kind] else {
            throw .invalidField(
                path: object.path("kind"), reason: "\"\(kind)\" is not one of try_then_pay, pay_in_4, monthly_split, financing, monthly_bill")
        }
        try object.rejectUnknownKeys(allowed: Self.commonKeys.union(keys))
        switch kind {
        case "try_then_pay":
            offer = .schedule(
                .tryThenPay(dueAfterDays: try object.integer("due_after_days", in: ScheduleTerms.tryThenPayDueAfterDaysAllowed)))
        case "pay_in_4":
            let interval =
                object.fields["interval_days"] == nil
                ? 14 : try object.integer("interval_days", in: ScheduleTerms.payIn4IntervalDaysAllowed)
            offer = .schedule(.payIn4(intervalDays: interval))
        case "monthly_split":
            let months = try object.integer("months")
            guard ScheduleTerms.monthlySplitMonthsOffered.contains(months) else {
                throw .invalidField(
                    path: object.path("months"), reason: "\(months) is not one of \(ScheduleTerms.monthlySplitMonthsOffered)")
            }
            offer = .schedule(.monthlySplit(months: months, monthlyFeeRate: try Self.monthlyRate(object, "monthly_fee_rate")))
        case "financing":
            offer = .schedule(try Self.financingTerms(object))
        case "monthly_bill":
            offer = .monthlyBill(try Self.monthlyBillTerms(object))
        default:
            preconditionFailure("keysByKind lists every kind")
        }
        currencies = try Self.currencies(object)
        limits = try Self.limits(object, currencies: currencies)
    }

    private static func financingTerms(_ object: CatalogJSONObject) throws(CatalogError) -> ScheduleTerms {
        let method = try object.string("method")
        guard method == "equal_installments" || method == "equal_principal" else {
            throw .invalidField(
                path: object.path("method"), reason: "\"\(method)\" is not one of equal_installments, equal_principal")
        }
        let months = try object.integer("months")
        let allowed = ScheduleTerms.financingMonthsAllowed
        guard allowed.contains(months) else {
            throw .invalidField(
                path: object.path("months"), reason: "\(months) is outside \(allowed.lowerBound)...\(allowed.upperBound)")
        }
        let rate = try monthlyRate(object, "monthly_rate")
        return method == "equal_installments"
            ? .financingEqualInstallments(months: months, monthlyRate: rate)
            : .financingEqualPrincipal(months: months, monthlyRate: rate)
    }

    /// `statement_day` (1...28 or "last"), `due_day` (1...28), `split_months` (distinct values of 3, 6, 12) and
    /// `monthly_fee_rate`.
    private static func monthlyBillTerms(_ object: CatalogJSONObject) throws(CatalogError) -> MonthlyBillTerms {
        let statementDay: StatementDay
        if let text = try object.value("statement_day") as? String {
            guard text == "last" else {
                throw .invalidField(path: object.path("statement_day"), reason: "\"\(text)\" is neither a day nor \"last\"")
            }
            statementDay = .lastDayOfMonth
        } else {
            statementDay = .day(try object.integer("statement_day", in: StatementDay.daysAllowed))
        }
        let dueDay = try object.integer("due_day", in: StatementDay.daysAllowed)
        let cycle: BillingCycle
        do { cycle = try BillingCycle(statementDay: statementDay, dueDay: dueDay) } catch {
            throw .invalidField(path: object.path("due_day"), reason: error.description)
        }
        let offered = ScheduleTerms.monthlySplitMonthsOffered
        let items = try object.array("split_months")
        guard (1...offered.count).contains(items.count) else {
            throw .invalidField(path: object.path("split_months"), reason: "expected 1 to \(offered.count) numbers of months")
        }
        var months: [Int] = []
        for (index, item) in items.enumerated() {
            let path = object.path("split_months") + "[\(index)]"
            let count = try CatalogJSONObject.integer(item, path: path)
            guard offered.contains(count) else { throw .invalidField(path: path, reason: "\(count) is not one of \(offered)") }
            guard !months.contains(count) else { throw .invalidField(path: path, reason: "\(count) is listed twice") }
            months.append(count)
        }
        let rate = try monthlyRate(object, "monthly_fee_rate")
        return MonthlyBillTerms(cycle: cycle, splits: SplitOffer(months: months, monthlyFeeRate: rate))
    }

    private static func monthlyRate(_ object: CatalogJSONObject, _ key: String) throws(CatalogError) -> Rational {
        let rate = try object.rate(key)
        guard rate <= ScheduleTerms.monthlyRateMaximum else {
            throw .invalidField(path: object.path(key), reason: "\(try object.string(key)) is above the maximum of 10% a month")
        }
        return rate
    }

    private static func currencies(_ object: CatalogJSONObject) throws(CatalogError) -> [Currency] {
        let items = try object.array("currencies")
        guard (1...currenciesMaximum).contains(items.count) else {
            throw .invalidField(path: object.path("currencies"), reason: "expected 1 to \(currenciesMaximum) currencies")
        }
        var currencies: [Currency] = []
        for (index, item) in items.enumerated() {
            let path = object.path("currencies") + "[\(index)]"
            guard let code = item as? String else { throw .invalidField(path: path, reason: "expected a string") }
            let currency: Currency
            do { currency = try Currency(code: code) } catch { throw .invalidField(path: path, reason: error.description) }
            guard !currencies.contains(currency) else { throw .invalidField(path: path, reason: "\(code) is listed twice") }
            currencies.append(currency)
        }
        return currencies
    }

    /// `minimum` and `maximum` read in each currency: positive, in the currency's precision, minimum ≤ maximum.
    private static func limits(_ object: CatalogJSONObject, currencies: [Currency]) throws(CatalogError)
        -> [Currency: AmountLimits]
    {
        var limits: [Currency: AmountLimits] = [:]
        for currency in currencies {
            let minimum = try object.money("minimum", currency, positive: true)
            let maximum = try object.money("maximum", currency, positive: true)
            guard minimum.minorUnits <= maximum.minorUnits else {
                throw .invalidField(
                    path: object.path("minimum"),
                    reason: "\(try object.string("minimum")) is above the maximum \(try object.string("maximum"))")
            }
            limits[currency] = AmountLimits(minimum: minimum, maximum: maximum)
        }
        return limits
    }
}
