import Foundation
import PaylaterApp
import PaylaterLedger
import PaylaterMoney
import PaylaterProducts
import PaylaterTestSupport
import PaylaterTime
import Testing

@Suite("paylater eod")
struct EndOfDayCommandTests {
    /// A store in `scratch` with funding capacity and consumer c1's 1,000.00 CNY line, its clock at `time`.
    private func storeWithShopper(_ scratch: ScratchDirectory, at time: String) throws -> (PaylaterRuntime, ConsumerID) {
        let runtime = try PaylaterRuntime.open(.dataDirectory(scratch.path), clock: ManualClock(try Instant(iso8601: time)))
        let consumer = try ConsumerID("c1")
        try runtime.creditLines.open(consumer, .CNY)
        _ = try runtime.creditLines.setFundingCapacity(try cny("100000.00"), changeID: try TransferID("capacity-1"))
        _ = try runtime.creditLines.setLimit(consumer, to: try cny("1000.00"), changeID: try TransferID("limit-1"))
        return (runtime, consumer)
    }

    /// A store in `scratch` where consumer c1 bought 400.00 CNY on pay in 4 on 2026-09-01 (first part due that day)
    /// under a 10.00 late fee after 2 days of grace, opened through the app services as the checkout would.
    private func storeWithOverduePlan(_ scratch: ScratchDirectory) throws {
        let (runtime, consumer) = try storeWithShopper(scratch, at: "2026-09-01T10:00:00Z")
        let schedule = try ScheduleGenerator.schedule(
            for: .payIn4(intervalDays: 14), principal: try cny("400.00"), start: try LocalDate(iso8601: "2026-09-01"),
            remainder: .first)
        let policy = try LateFeePolicy(first: LateFeeAmount(fixed: try cny("10.00")), graceDays: 2)
        _ = try ServicingService(database: runtime.database, clock: runtime.clock).openPlan(NewPlan(
            consumer: consumer, merchant: try MerchantID("m1"), plan: try PlanID("p1"), productID: "pay-in-4",
            schedule: schedule, lateFeePolicy: policy))
    }

    @Test("eod charges the late fees due on the date and prints the summary; a rerun for the date charges nothing more")
    func chargesOnce() throws {
        let scratch = ScratchDirectory()
        try storeWithOverduePlan(scratch)
        let first = CLIRun(["eod", "--date", "2026-09-04", "--data-dir", scratch.path])
        #expect(first.exitCode == 0, "\(first.errorOutput)")
        #expect(first.output.contains("end of day 2026-09-04"))
        #expect(first.output.contains("plans examined: 1"))
        #expect(first.output.contains("plans charged: 1"))
        #expect(first.output.contains("late fees charged: 10.00 CNY"))

        let rerun = CLIRun(["eod", "--date", "2026-09-04", "--data-dir", scratch.path])
        #expect(rerun.exitCode == 0)
        #expect(rerun.output.contains("plans charged: 0"))
        #expect(rerun.output.contains("plans already done for 2026-09-04: 1"))
        #expect(rerun.output.contains("late fees charged: none"))

        let receivable = CLIRun(["ledger", "account", "--id", "plan:p1:fee-receivable:CNY", "--data-dir", scratch.path])
        #expect(receivable.output.contains("balance: 10.00 (debit balance)"), "\(receivable.output)")
        #expect(CLIRun(["ledger", "verify", "--data-dir", scratch.path]).exitCode == 0)
    }

    @Test("eod's settlement line counts the settlements it made and their merchants, and the next day a merchant with nothing to settle")
    func settlementSummary() throws {
        let scratch = ScratchDirectory()
        let (runtime, consumer) = try storeWithShopper(scratch, at: "2026-09-01T02:00:00Z")
        let merchant = try MerchantService(database: runtime.database, clock: runtime.clock)
            .create(name: "Shop", pricing: MerchantPricingTerms(discountRate: BasisPoints(250))).merchant.id
        let schedule = try ScheduleGenerator.schedule(
            for: .payIn4(intervalDays: 14), principal: try cny("400.00"), start: try LocalDate(iso8601: "2026-09-01"),
            remainder: .first)
        _ = try ServicingService(database: runtime.database, clock: runtime.clock).openPlan(NewPlan(
            consumer: consumer, merchant: merchant, plan: try PlanID("p1"), productID: "pay-in-4", schedule: schedule))
        let first = CLIRun(["eod", "--date", "2026-09-01", "--data-dir", scratch.path])
        #expect(first.exitCode == 0, "\(first.errorOutput)")
        #expect(first.output.contains("CNY: 1 settled for 1 merchant, paid 390.00, 0 settled by an earlier run"), "\(first.output)")
        let next = CLIRun(["eod", "--date", "2026-09-02", "--data-dir", scratch.path])
        #expect(next.output.contains("CNY: 0 settled for 0 merchants, paid 0.00, 0 settled by an earlier run for the date, 1 with nothing to settle"), "\(next.output)")
    }

    @Test("a pricing change scheduled for a date prices that date's settlement and later ones; the day before keeps the old terms")
    func scheduledPricing() throws {
        let scratch = ScratchDirectory()
        let (runtime, consumer) = try storeWithShopper(scratch, at: "2026-09-01T02:00:00Z")
        let merchants = MerchantService(database: runtime.database, clock: runtime.clock)
        let merchant = try merchants.create(name: "Shop", pricing: MerchantPricingTerms(discountRate: BasisPoints(250))).merchant.id
        _ = try merchants.changePricing(
            merchant, MerchantPricingChange(discountRate: BasisPoints(100)), effectiveOn: try LocalDate(iso8601: "2026-09-02"))
        let servicing = ServicingService(database: runtime.database, clock: runtime.clock)
        let clock = try #require(runtime.clock as? ManualClock)
        func capture(_ plan: String, on date: String) throws {
            clock.set(to: try Instant(iso8601: "\(date)T02:00:00Z"))
            let schedule = try ScheduleGenerator.schedule(
                for: .payIn4(intervalDays: 14), principal: try cny("400.00"), start: try LocalDate(iso8601: date),
                remainder: .first)
            _ = try servicing.openPlan(NewPlan(
                consumer: consumer, merchant: merchant, plan: try PlanID(plan), productID: "pay-in-4", schedule: schedule))
        }
        try capture("p1", on: "2026-09-01")
        try capture("p2", on: "2026-09-02")
        let first = CLIRun(["eod", "--date", "2026-09-01", "--data-dir", scratch.path])
        #expect(first.output.contains("CNY: 1 settled for 1 merchant, paid 390.00"), "250 bp: \(first.output)")
        #expect(try merchants.merchant(merchant).pricing.discountRate == BasisPoints(250), "not yet in effect")
        let second = CLIRun(["eod", "--date", "2026-09-02", "--data-dir", scratch.path])
        #expect(second.output.contains("merchants repriced from a scheduled change: 1"), "\(second.output)")
        #expect(second.output.contains("CNY: 1 settled for 1 merchant, paid 396.00"), "100 bp: \(second.output)")
        #expect(try merchants.merchant(merchant).pricing.discountRate == BasisPoints(100))
        #expect(try merchants.scheduledPricing(merchant).isEmpty)
        // A date the end of day has settled the merchant for is closed to changes: they would start a day late.
        let closed = CLIRun([
            "merchant", "set-pricing", "--merchant", merchant.rawValue, "--discount-bp", "50", "--effective", "2026-09-02",
            "--data-dir", scratch.path,
        ], at: try Instant(iso8601: "2026-09-03T01:00:00Z"))
        #expect(closed.exitCode == 2, "\(closed.output)")
        #expect(closed.errorOutput.contains("has settled \(merchant) for 2026-09-02 already"), "\(closed.errorOutput)")
        // A rerun of either date changes nothing: the settlements are made, and the change has been applied.
        #expect(CLIRun(["eod", "--date", "2026-09-01", "--data-dir", scratch.path]).exitCode == 0)
        let rerun = CLIRun(["eod", "--date", "2026-09-02", "--data-dir", scratch.path])
        #expect(rerun.exitCode == 0 && !rerun.output.contains("repriced"), "\(rerun.output)")
    }

    /// A store whose merchant prices at 250 bp, with changes scheduled to 100 bp from 2026-09-02 and to 50 bp from
    /// 2026-09-03, and a 300.00 CNY capture on each of 2026-09-01, -02 and -03 (02:00 UTC).
    private func storeWithScheduledPricing(_ scratch: ScratchDirectory) throws -> (MerchantService, MerchantID) {
        let (runtime, consumer) = try storeWithShopper(scratch, at: "2026-09-01T01:00:00Z")
        let merchants = MerchantService(database: runtime.database, clock: runtime.clock)
        let merchant = try merchants.create(name: "Shop", pricing: MerchantPricingTerms(discountRate: BasisPoints(250))).merchant.id
        for (date, rate) in [("2026-09-02", 100), ("2026-09-03", 50)] {
            _ = try merchants.changePricing(
                merchant, MerchantPricingChange(discountRate: BasisPoints(Int64(rate))), effectiveOn: try LocalDate(iso8601: date))
        }
        let servicing = ServicingService(database: runtime.database, clock: runtime.clock)
        let clock = try #require(runtime.clock as? ManualClock)
        for (index, date) in ["2026-09-01", "2026-09-02", "2026-09-03"].enumerated() {
            clock.set(to: try Instant(iso8601: "\(date)T02:00:00Z"))
            let schedule = try ScheduleGenerator.schedule(
                for: .payIn4(intervalDays: 14), principal: try cny("300.00"), start: try LocalDate(iso8601: date),
                remainder: .first)
            _ = try servicing.openPlan(NewPlan(
                consumer: consumer, merchant: merchant, plan: try PlanID("p\(index + 1)"), productID: "pay-in-4",
                schedule: schedule))
        }
        return (merchants, merchant)
    }

    @Test("an end of day run after missed days settles each missed day at the pricing it had before a scheduled change takes effect")
    func scheduledPricingAfterMissedDays() throws {
        let scratch = ScratchDirectory()
        let (merchants, merchant) = try storeWithScheduledPricing(scratch)
        // The ends of day of 09-01 and 09-02 never ran; 09-03's runs first.
        let run = CLIRun(["eod", "--date", "2026-09-03", "--data-dir", scratch.path])
        #expect(run.exitCode == 0, "\(run.output)\(run.errorOutput)")
        #expect(run.output.contains("merchants repriced from a scheduled change: 1\n"), "one merchant, two changes: \(run.output)")
        #expect(run.output.contains(
            "settled before a pricing change took effect: \(merchant)-2026-09-01-CNY (\(merchant), 250 bp, paid 292.50 CNY)"),
            "09-01's capture at 250 bp: \(run.output)")
        #expect(run.output.contains(
            "settled before a pricing change took effect: \(merchant)-2026-09-02-CNY (\(merchant), 100 bp, paid 297.00 CNY)"),
            "09-02's at 100 bp: \(run.output)")
        #expect(run.output.contains("CNY: 1 settled for 1 merchant, paid 298.50"), "09-03's alone, at 50 bp: \(run.output)")
        #expect(try merchants.merchant(merchant).pricing.discountRate == BasisPoints(50))
        #expect(try merchants.scheduledPricing(merchant).isEmpty)
        // The missed days' own runs, late, find their settlements made; a rerun of 09-03 makes nothing new.
        let late = CLIRun(["eod", "--date", "2026-09-01", "--data-dir", scratch.path])
        #expect(late.output.contains("CNY: 0 settled for 0 merchants, paid 0.00, 1 settled by an earlier run for the date"), "\(late.output)")
        let rerun = CLIRun(["eod", "--date", "2026-09-03", "--data-dir", scratch.path])
        #expect(rerun.exitCode == 0 && !rerun.output.contains("settled before"), "\(rerun.output)")
        #expect(rerun.output.contains("CNY: 0 settled for 0 merchants, paid 0.00, 1 settled by an earlier run for the date"), "\(rerun.output)")
        #expect(CLIRun(["ledger", "verify", "--data-dir", scratch.path]).exitCode == 0)
    }

    @Test("the settlement stage counts the merchants a scheduled change repriced: one with two changes due is one")
    func repricedCountsMerchants() throws {
        let scratch = ScratchDirectory()
        _ = try storeWithScheduledPricing(scratch)
        let run = CLIRun(["eod", "--date", "2026-09-03", "--data-dir", scratch.path])
        #expect(run.exitCode == 0, "\(run.output)\(run.errorOutput)")
        #expect(run.output.contains("merchants repriced from a scheduled change: 1\n"), "one merchant: \(run.output)")
    }

    /// Review r10: the day before's id taken through another cutoff held the merchant back on every later date, for
    /// good (only a change at once released it, and then priced that day's lines at the new terms).
    @Test("the day before a scheduled change settled under its id through another cutoff counts as settled: the run goes on")
    func scheduledPricingDayBeforeSettledThroughAnotherCutoff() throws {
        let scratch = ScratchDirectory()
        let (merchants, merchant) = try storeWithScheduledPricing(scratch)
        // 09-01's end-of-day id taken by a settlement through 12:00 UTC, which covers 09-01's capture (02:00 UTC).
        let settlements = SettlementService(database: merchants.database, clock: ManualClock(try Instant(iso8601: "2026-09-04T00:00:00Z")))
        _ = try settlements.settle(
            merchant: merchant, currency: .CNY, through: try Instant(iso8601: "2026-09-01T12:00:00Z"),
            pricing: try MerchantPricingTerms(discountRate: BasisPoints(250)).settlementPricing(.CNY),
            settlementID: "\(merchant)-2026-09-01-CNY")
        let run = CLIRun(["eod", "--date", "2026-09-03", "--data-dir", scratch.path])
        #expect(run.exitCode == 0, "\(run.output)")
        #expect(!run.output.contains("not settled"), "\(run.output)")
        #expect(!run.output.contains("\(merchant)-2026-09-01-CNY ("), "09-01 is settled already: \(run.output)")
        #expect(run.output.contains(
            "settled before a pricing change took effect: \(merchant)-2026-09-02-CNY (\(merchant), 100 bp, paid 297.00 CNY)"), "\(run.output)")
        #expect(run.output.contains("CNY: 1 settled for 1 merchant, paid 298.50"), "\(run.output)")
        #expect(try merchants.merchant(merchant).pricing.discountRate == BasisPoints(50))
        #expect(try merchants.scheduledPricing(merchant).isEmpty)
    }

    @Test("an end of day of the day before run with another catalog's time zone counts as that day's: the next dates settle at their terms")
    func scheduledPricingAfterAnotherZone() throws {
        let scratch = ScratchDirectory()
        let (_, merchant) = try storeWithScheduledPricing(scratch)
        // 09-01's run given a catalog without a time_zone (UTC): 09-01's id ends at 09-02T00:00Z, not 16:00Z the day before.
        let catalog = try String(contentsOfFile: "config/catalog.example.json", encoding: .utf8)
        let utc = scratch.file("utc.json", catalog.replacingOccurrences(of: #""time_zone": "Asia/Shanghai","#, with: ""))
        let other = CLIRun(["eod", "--date", "2026-09-01", "--catalog", utc, "--data-dir", scratch.path])
        #expect(other.exitCode == 0 && other.output.contains("CNY: 1 settled for 1 merchant, paid 292.50"), "\(other.output)\(other.errorOutput)")
        let run = CLIRun(["eod", "--date", "2026-09-03", "--data-dir", scratch.path])
        #expect(run.exitCode == 0, "\(run.output)")
        #expect(run.output.contains("\(merchant)-2026-09-02-CNY (\(merchant), 100 bp, paid 297.00 CNY)"), "\(run.output)")
        #expect(run.output.contains("CNY: 1 settled for 1 merchant, paid 298.50"), "\(run.output)")
    }

    /// Review r11: the catch-up takes a settlement under the day before's id, through another cutoff, as that day's;
    /// that day's own end of day, rerun with the usual catalog, must agree rather than fail on it for good.
    @Test("the day before's own end of day, rerun with the usual catalog after another zone's run settled it, finds it made")
    func dayBeforeRerunAfterAnotherZone() throws {
        let scratch = ScratchDirectory()
        _ = try storeWithScheduledPricing(scratch)
        let catalog = try String(contentsOfFile: "config/catalog.example.json", encoding: .utf8)
        let utc = scratch.file("utc.json", catalog.replacingOccurrences(of: #""time_zone": "Asia/Shanghai","#, with: ""))
        #expect(CLIRun(["eod", "--date", "2026-09-01", "--catalog", utc, "--data-dir", scratch.path]).exitCode == 0)
        let later = CLIRun(["eod", "--date", "2026-09-03", "--data-dir", scratch.path])
        #expect(later.exitCode == 0, "\(later.output)")
        let rerun = CLIRun(["eod", "--date", "2026-09-01", "--data-dir", scratch.path])
        #expect(rerun.exitCode == 0, "\(rerun.output)\(rerun.errorOutput)")
        #expect(rerun.output.contains("CNY: 0 settled for 0 merchants, paid 0.00, 1 settled by an earlier run for the date"), "\(rerun.output)")
    }

    @Test("eod settles a currency the catalog does not sell in when merchants are owed in it (a product dropped, or a narrower --catalog)")
    func settlesCurrenciesBeyondTheCatalog() throws {
        let scratch = ScratchDirectory()
        let (runtime, consumer) = try storeWithShopper(scratch, at: "2026-09-01T02:00:00Z")
        try runtime.creditLines.open(consumer, .EUR)
        _ = try runtime.creditLines.setFundingCapacity(try Money(parsing: "100000.00", currency: .EUR), changeID: try TransferID("capacity-eur"))
        _ = try runtime.creditLines.setLimit(consumer, to: try Money(parsing: "1000.00", currency: .EUR), changeID: try TransferID("limit-eur"))
        let merchant = try MerchantService(database: runtime.database, clock: runtime.clock)
            .create(name: "Shop", pricing: MerchantPricingTerms(discountRate: BasisPoints(250))).merchant.id
        let schedule = try ScheduleGenerator.schedule(
            for: .payIn4(intervalDays: 14), principal: try Money(parsing: "400.00", currency: .EUR),
            start: try LocalDate(iso8601: "2026-09-01"), remainder: .first)
        _ = try ServicingService(database: runtime.database, clock: runtime.clock).openPlan(NewPlan(
            consumer: consumer, merchant: merchant, plan: try PlanID("p1"), productID: "pay-in-4", schedule: schedule))
        let run = CLIRun(["eod", "--date", "2026-09-01", "--data-dir", scratch.path])
        #expect(run.exitCode == 0, "\(run.errorOutput)")
        #expect(run.output.contains("EUR: 1 settled for 1 merchant, paid 390.00"), "\(run.output)")
    }

    @Test("eod charges a monthly bill's statement one fee, shared by its purchases (the catalog names the monthly bill)")
    func statementIsOneBill() throws {
        let scratch = ScratchDirectory()
        let (runtime, consumer) = try storeWithShopper(scratch, at: "2026-08-20T10:00:00Z")
        let policy = try LateFeePolicy(first: LateFeeAmount(fixed: try cny("10.00")))
        // Two August purchases on config/catalog.example.json's monthly bill: its September 1 statement, due on the 10th.
        for (plan, day) in [("p1", "2026-08-05"), ("p2", "2026-08-06")] {
            let schedule = try InstallmentSchedule(installments: [
                try Installment(number: 1, dueDate: try LocalDate(iso8601: "2026-09-10"), principal: try cny("50.00"), fee: try cny("0.00"))
            ])
            _ = try ServicingService(database: runtime.database, clock: runtime.clock).openPlan(NewPlan(
                consumer: consumer, merchant: try MerchantID("m1"), plan: try PlanID(plan), productID: "monthly-bill",
                schedule: schedule, lateFeePolicy: policy, start: try LocalDate(iso8601: day)))
        }
        let run = CLIRun(["eod", "--date", "2026-09-11", "--data-dir", scratch.path])
        #expect(run.exitCode == 0, "\(run.errorOutput)")
        #expect(run.output.contains("plans charged: 2"), "\(run.output)")
        #expect(run.output.contains("late fees charged: 10.00 CNY"), "\(run.output)")
        let receivable = CLIRun(["ledger", "account", "--id", "plan:p2:fee-receivable:CNY", "--data-dir", scratch.path])
        #expect(receivable.output.contains("balance: 5.00 (debit balance)"), "\(receivable.output)")
    }

    @Test("DATE is a date of the catalog's time_zone: over at 16:00 UTC in Shanghai, refused a minute before, naming the zone")
    func dateInTheCatalogsZone() throws {
        let scratch = ScratchDirectory()
        try storeWithOverduePlan(scratch)
        // The example catalog's calendar is Shanghai's.
        let catalog = try String(contentsOfFile: "config/catalog.example.json", encoding: .utf8)
        #expect(catalog.contains(#""time_zone": "Asia/Shanghai""#))
        let path = scratch.file("catalog.json", catalog)
        func run(at instant: String) throws -> CLIRun {
            CLIRun(["eod", "--date", "2026-09-04", "--catalog", path, "--data-dir", scratch.path], at: try Instant(iso8601: instant))
        }
        let early = try run(at: "2026-09-04T15:59:00Z")
        #expect(early.exitCode == 2)
        #expect(early.errorOutput.contains("2026-09-04 has not ended yet in Asia/Shanghai (it ends at 2026-09-04T16:00:00Z"), "\(early.errorOutput)")
        let over = try run(at: "2026-09-04T16:00:00Z")
        #expect(over.exitCode == 0, "\(over.errorOutput)")
        #expect(over.output.contains("late fees charged: 10.00 CNY"), "\(over.output)")
        // An unknown zone, and a tzdata file that is no place's calendar ("localtime" is whatever the host is set to).
        for name in ["Asia/Atlantis", "localtime"] {
            let unknown = scratch.file("unknown.json", catalog.replacingOccurrences(of: "Asia/Shanghai", with: name))
            let refused = CLIRun(["eod", "--date", "2026-09-04", "--catalog", unknown, "--data-dir", scratch.path])
            #expect(refused.exitCode == 2 && refused.errorOutput.contains("time_zone:"), "\(name): \(refused.errorOutput)")
            #expect(refused.errorOutput.contains("There is no time zone named \"\(name)\""), "\(refused.errorOutput)")
        }
    }

    @Test("within the grace period nothing is charged")
    func graceDays() throws {
        let scratch = ScratchDirectory()
        try storeWithOverduePlan(scratch)
        let run = CLIRun(["eod", "--date", "2026-09-03", "--data-dir", scratch.path])
        #expect(run.output.contains("plans examined: 1"))
        #expect(run.output.contains("plans charged: 0"))
        #expect(run.output.contains("plans with nothing due: 1"), "the lines add up to the plans examined: \(run.output)")
    }

    @Test("a date not yet over in UTC is refused before any stage runs, with exit code 2, and nothing is charged", arguments: [
        "2026-09-21", "2026-09-22", "9999-12-31",
    ])
    func unendedDate(date: String) throws {
        // CLIRun's clock reads 2026-09-21T14:13:20Z: the 21st has not ended.
        let scratch = ScratchDirectory()
        try storeWithOverduePlan(scratch)
        let run = CLIRun(["eod", "--date", date, "--data-dir", scratch.path])
        #expect(run.exitCode == 2)
        #expect(run.errorOutput.contains("'--date': \(date) has not ended yet"), "\(run.errorOutput)")
        #expect(!run.output.contains("late fees:"), "\(run.output)")
        let receivable = CLIRun(["ledger", "account", "--id", "plan:p1:fee-receivable:CNY", "--data-dir", scratch.path])
        #expect(!receivable.output.contains("10.00"), "\(receivable.output)")
        let ended = CLIRun(["eod", "--date", "2026-09-20", "--data-dir", scratch.path])
        #expect(ended.exitCode == 0 && ended.output.contains("plans charged: 1"), "\(ended.output)")
    }

    @Test("a missing or bad policy or catalog file is refused before any stage runs: no late fee is charged", arguments: [
        ["--policy", "/nonexistent/policy.json"], ["--catalog", "/nonexistent/catalog.json"],
    ])
    func badConfigurationChargesNothing(option: [String]) throws {
        let scratch = ScratchDirectory()
        try storeWithOverduePlan(scratch)
        let run = CLIRun(["eod", "--date", "2026-09-04", "--data-dir", scratch.path] + option)
        #expect(run.exitCode == 2, "\(run.output) \(run.errorOutput)")
        #expect(!run.output.contains("late fees:"), "\(run.output)")
        let receivable = CLIRun(["ledger", "account", "--id", "plan:p1:fee-receivable:CNY", "--data-dir", scratch.path])
        #expect(!receivable.output.contains("10.00"), "\(receivable.output)")
    }

    @Test("a relative file that is not there is named with the directory it was looked for in; an absolute one as given")
    func missingRelativeFileSaysWhere() throws {
        let scratch = ScratchDirectory()
        try storeWithOverduePlan(scratch)
        let relative = CLIRun(["eod", "--date", "2026-09-04", "--policy", "no/such/policy.json", "--data-dir", scratch.path])
        #expect(relative.exitCode == 2)
        #expect(relative.errorOutput.contains(
            "cannot read no/such/policy.json (no such file under \(FileManager.default.currentDirectoryPath)"), "\(relative.errorOutput)")
        let absolute = CLIRun(["eod", "--date", "2026-09-04", "--policy", "/nonexistent/policy.json", "--data-dir", scratch.path])
        #expect(absolute.errorOutput.contains("cannot read /nonexistent/policy.json") && !absolute.errorOutput.contains("no such file under"),
                "\(absolute.errorOutput)")
    }

    @Test("a missing or malformed date, or a missing store, is a usage error")
    func usage() {
        let scratch = ScratchDirectory()
        #expect(CLIRun(["eod", "--data-dir", scratch.path]).exitCode == 2)
        #expect(CLIRun(["eod", "--date", "2026-13-01", "--data-dir", scratch.path]).exitCode == 2)
        let missing = CLIRun(["eod", "--date", "2026-09-04", "--data-dir", scratch.path + "/missing"])
        #expect(missing.exitCode == 2)
        #expect(missing.errorOutput.contains("run 'paylater init' first"))
        #expect(CLIRun(["eod", "--help"]).output.hasPrefix("Usage: paylater eod"))
    }
}
