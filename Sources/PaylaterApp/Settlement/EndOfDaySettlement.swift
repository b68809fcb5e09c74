public import PaylaterLedger
public import PaylaterMoney
public import PaylaterStore
public import PaylaterTime

/// The end of day's merchant settlement for one business date: every merchant settled through the end of the date,
/// each day's lines at the pricing in effect on that day.
///
/// A pricing change scheduled for a date takes effect at that date's end of day, before it settles. When the end
/// of day of the date before never ran (a missed day, or a later date run first), a later date's run would settle
/// that day's lines at the new terms. So the changes due are taken in date order: before each, its merchant is
/// settled through the end of the day before it at the terms it had, as that day's end of day would have settled
/// it (the same settlement ids: that day's own run, if it comes, finds them made); then the change is applied. On
/// the usual path, where the day before was settled, this finds that day's settlements made and adds nothing.
public struct EndOfDaySettlement: Sendable {
    public let database: any Database
    public let clock: any Clock

    public init(database: any Database, clock: any Clock) {
        self.database = database
        self.clock = clock
    }

    /// What one run did.
    public struct Report: Sendable {
        /// Merchants whose pricing a scheduled change set, in the order the changes were applied.
        public var repriced: [MerchantID] = []
        /// Settlements of a day before a scheduled change, made at the terms that day had (its end of day had not).
        public var beforeChanges: [Settlement] = []
        /// Merchants left unsettled for the date because a day before one of their changes could not be settled;
        /// the change stays scheduled, so a rerun settles that day at the old terms first.
        public var heldBack: [(merchant: MerchantID, error: String)] = []
        /// The date's settlement in each currency, in currency code order.
        public var runs: [(currency: Currency, run: SettlementRun)] = []

        /// How many merchants `repriced` names (a merchant with several changes due is repriced by each).
        public var merchantsRepriced: Int { Set(repriced).count }
    }

    /// The end of `date` in `zone` (UTC when nil), the settlement's cutoff: the start of the next day there (after a
    /// gap at midnight, the first instant of that day); nil past the calendar's end.
    public static func end(of date: LocalDate, zone: TimeZoneRules?) -> Instant? {
        guard let next = try? date.adding(days: 1), let midnight = try? LocalTime(hour: 0, minute: 0) else { return nil }
        return zone?.startOfDay(next) ?? Instant(utc: LocalDateTime(date: next, time: midnight))
    }

    /// Settles every merchant with a payable in each of `currencies` through the end of `date` in `zone`, after the
    /// pricing changes scheduled through `date` (and the days before them, see above).
    /// - Throws: `SettlementError.noEnd` for a date without an end in the calendar; store errors (rerun the date).
    public func run(date: LocalDate, zone: TimeZoneRules?, currencies: [Currency]) throws -> Report {
        guard let cutoff = Self.end(of: date, zone: zone) else { throw SettlementError.noEnd(date) }
        let merchants = MerchantService(database: database, clock: clock)
        let settlements = SettlementService(database: database, clock: clock)
        var report = Report()
        var held: Set<MerchantID> = []
        for change in try merchants.scheduledPricingDue(through: date) where !held.contains(change.merchant) {
            let dayBefore = try change.effectiveOn.adding(days: -1)
            guard let dayBeforeEnds = Self.end(of: dayBefore, zone: zone) else { throw SettlementError.noEnd(dayBefore) }
            let terms = try merchants.merchant(change.merchant).pricing
            var failures: [String] = []
            for currency in currencies {
                guard let pricing = try? terms.settlementPricing(currency) else { continue }
                let run = try settlements.settleOne(
                    change.merchant, currency: currency, through: dayBeforeEnds, pricing: pricing, date: dayBefore)
                report.beforeChanges += run.settlements
                failures += run.failures.map(\.error) + run.leftOver.map { _ in
                    "\(dayBefore) has more lines than one run settles; rerun the date"
                }
            }
            if let failure = failures.first {
                held.insert(change.merchant)
                report.heldBack.append((change.merchant, "\(dayBefore), before its pricing change of \(change.effectiveOn): \(failure)"))
                continue
            }
            report.repriced += try merchants.applyScheduledPricing(of: [change.merchant], through: change.effectiveOn)
        }
        let pricing = Dictionary(uniqueKeysWithValues: try merchants.merchants().map { ($0.id, $0.pricing) })
        for currency in currencies {
            var run = try settlements.settleAll(
                currency: currency, through: cutoff,
                pricing: { merchant in held.contains(merchant) ? nil : try? pricing[merchant]?.settlementPricing(currency) },
                date: date)
            // A merchant held back is not unpriced: it is listed in `heldBack`.
            run.unpriced.removeAll { held.contains($0) }
            report.runs.append((currency, run))
        }
        return report
    }
}
