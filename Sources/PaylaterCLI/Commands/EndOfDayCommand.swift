import PaylaterApp
import PaylaterMoney
import PaylaterProducts
import PaylaterStore
import PaylaterTime
import PaylaterUnderwriting

/// `paylater eod --date 2027-03-04`: the end-of-day run for one business date, stage by stage.
enum EndOfDayCommand: Command {
    static let spec = CommandSpec(
        path: ["eod"],
        summary: "Run the end of day for a business date: late fees, limit reviews, merchant settlement, expired authorizations, webhooks.",
        discussion: """
            Five stages, each printing what it did. Late fees: charges the fees due on DATE on every overdue plan \
            opened with a late-fee policy, one transaction per plan (several workers may run at once; each plan is \
            taken with SKIP LOCKED on PostgreSQL); the purchases on one statement of a monthly bill (--catalog) are \
            one bill, charged once and shared among them; each plan's run that changes it is recorded for DATE (a \
            plan with nothing due is only read), so a rerun charges nothing more. Limit reviews: every shopper with plans, by the policy's rules (freeze while delinquent, \
            unfreeze when current, decrease on deterioration, increase after on-time cycles), each change logged \
            with its reason. Settlement: settles every merchant through the end of DATE in each currency of the \
            catalog (--catalog) and any other the ledger has moved money in, at the merchant's pricing, in as many settlements for DATE as its lines need \
            (10,000 lines each: <merchant>-<DATE>-<CCY>, then -2, -3, ...); a payout posts to the ledger and raises \
            settlement.paid, a settlement that leaves the merchant owing raises settlement.carried_over. \
            Authorizations: records the orders whose authorization ran out (order.expired, with the amount released), \
            and declines the referred checkouts nobody reviewed within the policy's referral_review_hours (24 unless \
            it says otherwise; checkout.declined; decided under \
            --policy and --model, which should be the server's; without --model they are left to the server's \
            worker, and the stage is incomplete when some are due). \
            Webhooks: delivers the events due now. DATE is a date of the catalog's time_zone (UTC without one); run \
            it after DATE has ended there: a DATE not yet over is refused before any stage runs, so no late fee is \
            charged and no limit changed ahead of time. Exit codes: 0 success, 1 a stage failed or refused some work \
            (the rest stays done; rerun to finish), 2 a usage mistake (a DATE not yet over among them) or no store.
            """,
        options: [
            .value("date", "DATE", "The business date, ISO 8601: 2027-03-04."),
            .value("policy", "FILE", "Credit policy JSON for limit reviews and referrals (default config/policy.example.json)."),
            .value("model", "FILE", "Credit model JSON the server decides with, to decline the referrals nobody reviewed in time (default none: left to the server)."),
            .value("catalog", "FILE", "Product catalog JSON, for its monthly bills, currencies and time zone (default config/catalog.example.json)."),
            CommonOptions.webhookDestinations,
        ] + CommonOptions.store)

    /// One job of the end-of-day run, given the store and the date, returning the lines of its summary. The stages
    /// run in order; settlement and webhook delivery join the run by being added to `stages`.
    struct Stage: Sendable {
        let name: String
        /// The summary lines, and whether the stage had to refuse or leave some of its work (exit 1).
        let run: @Sendable (PaylaterRuntime, LocalDate, Configuration) throws -> (lines: [String], incomplete: Bool)
    }

    /// The files the stages need, read and checked before the first stage runs: a bad or missing file found by a
    /// later stage used to stop the run after late fees were already charged.
    struct Configuration: Sendable {
        let policy: CreditPolicy
        let policyPath: String
        /// The model the server decides with (`--model`): an expired referral's decision names it, though a decline
        /// by expiry is decided before any score. Nil without the option: the end of day ran without a model before
        /// referrals expired, so a run that names none still charges, settles and delivers.
        let model: (any CreditModel)?
        /// The product catalog: its monthly bills' statements are charged late fees as one bill each.
        let catalog: ProductCatalog
        /// The catalog's calendar (`time_zone`), nil for UTC: DATE is a date of it.
        let zone: TimeZoneRules?
        /// Where the webhooks stage may deliver.
        let webhookDestinations: WebhookDestinations
        /// The currencies the catalog sells in, in code order.
        var currencies: [Currency] { Set(catalog.products.flatMap(\.currencies)).sorted { $0.code < $1.code } }

        init(_ arguments: ParsedArguments) throws {
            policyPath = arguments.value("policy") ?? "config/policy.example.json"
            policy = try ServeCommand.readPolicy(policyPath)
            model = try arguments.value("model").map { try ModelFiles.model($0) }
            (catalog, zone) = try QuoteCommand.readCatalogAndZone(arguments.value("catalog") ?? "config/catalog.example.json")
            webhookDestinations = try CommonOptions.webhookDestinations(arguments)
        }
    }

    static let stages: [Stage] = [lateFees, limitReviews, settlement, authorizations, webhooks]

    /// Limit reviews: every shopper with plans, in each currency of the catalog, by the policy's rules
    /// (freeze while delinquent, unfreeze when current, decrease on deterioration, increase after on-time cycles).
    static let limitReviews = Stage(name: "limit reviews") { runtime, date, configuration in
        let policy = configuration.policy
        let service = LimitReviewService(database: runtime.database, clock: runtime.clock, policy: policy)
        var lines: [String] = []
        for currency in configuration.currencies where policy.currencies.contains(currency) {
            let changes = try service.reviewAll(currency: currency, on: date)
            var counts: [String: Int] = [:]
            for change in changes.values { counts[change.reason.name, default: 0] += 1 }
            let summary = counts.keys.sorted().map { "\($0) \(counts[$0]!)" }.joined(separator: ", ")
            lines.append("\(currency.code): \(changes.count) changed\(summary.isEmpty ? "" : " (\(summary))")")
        }
        return (lines, false)
    }

    static func run(_ arguments: ParsedArguments, _ context: CommandContext) throws -> ExitCode {
        let dateText = try arguments.required("date")
        let date: LocalDate
        do { date = try LocalDate(iso8601: dateText) } catch { throw UsageError("'--date': \(error.description)") }
        let configuration = try Configuration(arguments)
        try refuseUnended(date, zone: configuration.zone, now: context.clock.now())
        let runtime = try CommonOptions.open(arguments, context)
        context.console.out("end of day \(date)")
        var incomplete = false
        for stage in stages {
            context.console.out("\(stage.name):")
            let result = try stage.run(runtime, date, configuration)
            result.lines.forEach { context.console.out("  " + $0) }
            incomplete = incomplete || result.incomplete
        }
        return incomplete ? .failure : .success
    }

    /// Refuses a business date that has not ended at `now` in the catalog's calendar: every stage would act ahead of
    /// time (late fees charged before a shopper is late, limits frozen, for good, since the run is recorded for the
    /// date).
    static func refuseUnended(_ date: LocalDate, zone: TimeZoneRules?, now: Instant) throws {
        let ending = EndOfDaySettlement.end(of: date, zone: zone)
        guard let ending, ending <= now else {
            let ends = ending.map { "it ends at \($0)" } ?? "it never ends in the calendar"
            let calendar = zone.map { "in \($0.identifier)" } ?? "in UTC"
            throw UsageError(
                "'--date': \(date) has not ended yet \(calendar) (\(ends); now is \(now)); run the end of day after the date")
        }
    }

    /// Late fees: `ServicingService.runEndOfDay(on:)`, a monthly bill's statement charged as one bill.
    static let lateFees = Stage(name: "late fees") { runtime, date, configuration in
        let servicing = ServicingService(
            database: runtime.database, clock: runtime.clock, zone: configuration.zone, catalog: configuration.catalog)
        let report = try servicing.runEndOfDay(on: date)
        return (summary(report), false)
    }

    /// Settlement: every merchant with a payable is settled through the end of DATE (in the catalog's calendar), in
    /// every currency the catalog sells in and any other the ledger has moved money in, at its own pricing; pricing
    /// changes scheduled for DATE or earlier take effect first, each after the day before it is settled at the terms
    /// it had (`EndOfDaySettlement`). A payout posts to the ledger and raises `settlement.paid`, a debt left
    /// `settlement.carried_over`.
    static let settlement = Stage(name: "settlement") { runtime, date, configuration in
        let service = SettlementService(database: runtime.database, clock: runtime.clock)
        // The catalog's currencies and any other the ledger has moved money in (merchants are owed there too).
        let currencies = Set(configuration.currencies).union(try service.currencies()).sorted { $0.code < $1.code }
        let report = try EndOfDaySettlement(database: runtime.database, clock: runtime.clock)
            .run(date: date, zone: configuration.zone, currencies: currencies)
        var lines = beforeChangesSummary(report)
        var incomplete = !report.heldBack.isEmpty
        for (currency, run) in report.runs {
            lines += settlementSummary(run, currency: currency)
            incomplete = incomplete || !run.failures.isEmpty || !run.leftOver.isEmpty
        }
        return (lines, incomplete)
    }

    /// The settlement stage's lines about scheduled pricing changes: the merchants repriced, the days before a change
    /// settled first at the terms they had, and the merchants held back (not settled for the date).
    static func beforeChangesSummary(_ report: EndOfDaySettlement.Report) -> [String] {
        var lines: [String] = []
        if !report.repriced.isEmpty { lines.append("merchants repriced from a scheduled change: \(report.merchantsRepriced)") }
        for settlement in report.beforeChanges {
            lines.append(
                "settled before a pricing change took effect: \(settlement.id) (\(settlement.merchantID), "
                    + "\(settlement.discountRate.rawValue) bp"
                    + (settlement.fixedFeePerOrder.isZero ? "" : " + \(settlement.fixedFeePerOrder) an order")
                    + ", paid \(settlement.payout))")
        }
        for (merchant, error) in report.heldBack {
            lines.append("not settled, its scheduled pricing left waiting: \(merchant): \(error)")
        }
        return lines
    }

    /// Authorizations: records those that ran out, and declines the referrals nobody reviewed in time (the server's
    /// worker does both continuously), so their `order.expired` and `checkout.declined` events go out with the
    /// webhooks stage.
    static let authorizations = Stage(name: "authorizations") { runtime, _, configuration in
        let expiry = AuthorizationExpiry(database: runtime.database, clock: runtime.clock)
        var expired = 0
        // Passes of 100 until one comes back short, at most 100 passes a run (the next run or the server does the rest).
        for _ in 0..<100 {
            let pass = try expiry.expireDue().count
            expired += pass
            if pass < AuthorizationExpiry.passLimit { break }
        }
        let (referrals, incomplete) = try expireReferrals(runtime, configuration)
        return (["orders expired: \(expired)", referrals], incomplete)
    }

    /// Declines the referrals nobody reviewed in time, decided under the server's policy and model. Without a
    /// model (`--model`) they are left to the server's worker: the stage is incomplete when some are due.
    static func expireReferrals(_ runtime: PaylaterRuntime, _ configuration: Configuration) throws -> (String, Bool) {
        guard let model = configuration.model else {
            let queue = ReferralQueue(database: runtime.database, reviewWindow: configuration.policy.referralReviewWindow)
            let oldest = try queue.awaitingReview(limit: 1).first
            guard let oldest, oldest.expiresAt <= runtime.clock.now() else { return ("referrals expired unreviewed: 0", false) }
            return ("referrals expired unreviewed: none; some are due: give --model, the server's, to decline them", true)
        }
        let checkout = try ReferralReviewCommand.checkoutService(
            runtime, policy: configuration.policy, policyPath: configuration.policyPath, model: model,
            catalog: configuration.catalog, zone: configuration.zone)
        var referrals = 0
        for _ in 0..<100 {
            let pass: Int
            do { pass = try checkout.expireReferrals(limit: 100).count } catch let ReferralError.expiryIncomplete(expired, failed) {
                let reasons = failed.keys.sorted().map { "\($0): \(PrintableText.escaped(failed[$0] ?? ""))" }
                return ("referrals expired unreviewed: \(referrals + expired.count); not decided: " + reasons.joined(separator: "; "), true)
            }
            referrals += pass
            if pass < 100 { break }
        }
        return ("referrals expired unreviewed: \(referrals)", false)
    }

    /// Webhooks: delivers what is due now (the server's worker does this continuously; the batch makes sure the
    /// day's events leave even when no server runs).
    static let webhooks = Stage(name: "webhooks") { runtime, _, configuration in
        // Rounds until nothing more is due now, so an order's queued events all leave in one run (at most 100
        // rounds of 100; the next run or the server's worker does the rest).
        let report = try WebhookDispatcher(
            database: runtime.database, clock: runtime.clock,
            transport: HTTPWebhookTransport(destinations: configuration.webhookDestinations)
        ).deliverAllDue()
        let (claimed, delivered, retrying, dead) = (report.claimed, report.delivered.count, report.retrying, report.dead)
        return (["claimed \(claimed), delivered \(delivered), retrying \(retrying), dead \(dead)"], false)
    }

    /// The settlement stage's lines for one currency: what this run made (settlements and merchants: a merchant
    /// with more lines than one settlement holds has several), what it found made, and what it could not do.
    static func settlementSummary(_ run: SettlementRun, currency: Currency) -> [String] {
        let paid = run.settlements.reduce(Int64(0)) { $0 + $1.payout.minorUnits }
        let merchants = run.merchantsSettled
        var lines = [
            "\(currency.code): \(run.settlements.count) settled for \(merchants) merchant\(merchants == 1 ? "" : "s"), "
                + "paid \(Money(minorUnits: paid, currency: currency).decimalString), "
                + "\(run.madeEarlier.count) settled by an earlier run for the date, "
                + "\(run.nothingToSettle.count) with nothing to settle, "
                + "\(run.unpriced.count) without pricing, \(run.settledLater.count) settled by a later run, "
                + "\(run.failures.count) failed"
        ]
        for failure in run.failures { lines.append("  \(failure.merchant): \(failure.error)") }
        for merchant in run.leftOver {
            lines.append(
                "  \(merchant): lines through the cutoff left after \(SettlementService.partsPerRunMaximum) settlements; rerun the date")
        }
        return lines
    }

    /// The late-fee stage's lines: the counts, then the fees by currency code (or "none").
    static func summary(_ report: EndOfDayReport) -> [String] {
        let fees = report.lateFees.values.sorted { $0.currency.code < $1.currency.code }
            .map { "\($0.decimalString) \($0.currency.code)" }
        return [
            "plans examined: \(report.plansExamined)",
            "plans charged: \(report.plansCharged)",
            "plans with nothing due: \(report.plansWithNothingDue)",
            "plans already done for \(report.date): \(report.plansAlreadyDone)",
            "plans skipped (another worker had them): \(report.plansSkipped)",
            "late fees charged: \(fees.isEmpty ? "none" : fees.joined(separator: ", "))",
        ]
    }
}
