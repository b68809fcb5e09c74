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
///
/// A change may be scheduled for the date (or an earlier one still open) while the run goes, after it read the
/// changes due. Each settlement of the run checks, with the merchant's row locked as `paylater merchant set-pricing`
/// locks it, that the pricing it was given is still the merchant's for its date (`SettlementError.pricingChanged`
/// otherwise, nothing made); a change that comes after that settlement finds it and is refused for the date. The run
/// then applies the merchant's changes due now, as above, and settles it for the date again at its new terms. So a
/// change accepted for a date is applied to that date's settlement: it never settles at the terms before it.
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
            try apply(change, zone: zone, currencies: currencies, into: &report, held: &held)
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
        try settleRepriced(date: date, through: cutoff, zone: zone, currencies: currencies, into: &report, held: &held)
        return report
    }

    /// Settles `change`'s merchant through the end of the day before it at the terms it has, then applies the change;
    /// holds the merchant back (`Report.heldBack`, the change left waiting) when that day cannot be settled.
    private func apply(
        _ change: (merchant: MerchantID, effectiveOn: LocalDate), zone: TimeZoneRules?, currencies: [Currency],
        into report: inout Report, held: inout Set<MerchantID>
    ) throws {
        let merchants = MerchantService(database: database, clock: clock)
        let settlements = SettlementService(database: database, clock: clock)
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
            } + run.pricingChanged.map { merchant in
                SettlementError.pricingChanged(merchant: merchant.rawValue, date: dayBefore).description
            }
        }
        if let failure = failures.first {
            held.insert(change.merchant)
            report.heldBack.append((change.merchant, "\(dayBefore), before its pricing change of \(change.effectiveOn): \(failure)"))
            return
        }
        report.repriced += try merchants.applyScheduledPricing(of: [change.merchant], through: change.effectiveOn)
    }

    /// Settles for `date` again the merchants whose pricing for it changed after the run read it
    /// (`SettlementRun.pricingChanged`: a change scheduled for the date or earlier once the changes due were read, or
    /// one made at once): their changes due now are applied as above, then they are settled at their new terms. Once:
    /// a merchant whose pricing changes yet again meanwhile is listed as failed, and a rerun of the date settles it.
    private func settleRepriced(
        date: LocalDate, through cutoff: Instant, zone: TimeZoneRules?, currencies: [Currency],
        into report: inout Report, held: inout Set<MerchantID>
    ) throws {
        let repriced = Set(report.runs.flatMap(\.run.pricingChanged)).sorted { $0.rawValue < $1.rawValue }
        guard !repriced.isEmpty else { return }
        let merchants = MerchantService(database: database, clock: clock)
        for merchant in repriced {
            for change in try merchants.scheduledPricing(merchant) where change.effectiveOn <= date && !held.contains(merchant) {
                try apply((merchant, change.effectiveOn), zone: zone, currencies: currencies, into: &report, held: &held)
            }
        }
        let settlements = SettlementService(database: database, clock: clock)
        for index in report.runs.indices {
            let currency = report.runs[index].currency
            var again = SettlementRun()
            for merchant in report.runs[index].run.pricingChanged where !held.contains(merchant) {
                guard let pricing = try? merchants.merchant(merchant).pricing.settlementPricing(currency) else {
                    again.unpriced.append(merchant)
                    continue
                }
                again.append(try settlements.settleOne(merchant, currency: currency, through: cutoff, pricing: pricing, date: date))
            }
            // The parts this run made before the change (a merchant whose lines fill several) are found made again:
            // they are this run's settlements, not an earlier run's.
            let made = Set(report.runs[index].run.settlements.map(\.id))
            again.madeEarlier.removeAll { made.contains($0.id) }
            again.failures += again.pricingChanged.map { merchant in
                (merchant, SettlementError.pricingChanged(merchant: merchant.rawValue, date: date).description)
            }
            again.pricingChanged = []
            report.runs[index].run.pricingChanged = []
            report.runs[index].run.append(again)
        }
    }
}
