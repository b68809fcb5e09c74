import Foundation
import PaylaterApp
import PaylaterLedger
import PaylaterMoney
import PaylaterProducts
import PaylaterStore
import PaylaterTestSupport
import PaylaterTime
import Testing

/// Several `paylater eod` processes on one store, as several batch nodes would run them.
@Suite("End-of-day workers on one store")
struct EndOfDayWorkersTests {
    static let planCount = 60
    static let date = "2026-11-20"

    /// 60 pay-in-4 plans of 100.00 CNY from 2026-10-01, each owing four installments by the date, with a late fee of
    /// 10.00 per installment: 40.00 per plan once the day has run.
    static func overduePlans(_ store: TestStore) throws {
        let credit = CreditLineService(database: store.database, clock: store.clock)
        let servicing = ServicingService(database: store.database, clock: store.clock)
        _ = try credit.setFundingCapacity(try cny("1000000.00"), changeID: try TransferID("capacity"))
        let policy = try LateFeePolicy(first: LateFeeAmount(fixed: try cny("10.00")))
        for index in 0..<planCount {
            let consumer = try ConsumerID("c\(index % 20)")
            if index < 20 {
                try credit.open(consumer, .CNY)
                _ = try credit.setLimit(consumer, to: try cny("5000.00"), changeID: try TransferID("limit-\(index)"))
            }
            let schedule = try ScheduleGenerator.schedule(
                for: .payIn4(intervalDays: 14), principal: try cny("100.00"), start: try LocalDate(iso8601: "2026-10-01"),
                remainder: .first)
            _ = try servicing.openPlan(NewPlan(
                consumer: consumer, merchant: try MerchantID("m1"), plan: try PlanID("p\(index)"), productID: "pay-in-4",
                schedule: schedule, lateFeePolicy: policy))
        }
    }

    static func lateFeeIncome(_ store: TestStore) throws -> Int64 {
        let ledger = LedgerService(database: store.database, clock: store.clock)
        return try ledger.account(ChartOfAccounts.platform(.lateFeeIncome, .CNY))?.balance.postedCreditBalance ?? 0
    }

    static func charged(_ output: String) -> Int {
        output.split(separator: "\n").first { $0.contains("plans charged:") }
            .flatMap { Int($0.split(separator: ":").last!.trimmingCharacters(in: .whitespaces)) } ?? -1
    }

    @Test("two workers at once charge every plan exactly once, and a rerun charges nothing", arguments: StoreKind.available)
    func twoWorkers(kind: StoreKind) throws {
        let store = try TestStore(kind)
        try Self.overduePlans(store)
        let arguments = ["eod", "--date", Self.date] + store.arguments
        let workers = try [PaylaterProcess(arguments), PaylaterProcess(arguments)]
        let results = workers.map { $0.finish() }
        for result in results { #expect(result.status == 0, "\(result.output)") }
        #expect(results.map { Self.charged($0.output) }.reduce(0, +) == Self.planCount, "\(results.map(\.output))")
        #expect(try Self.lateFeeIncome(store) == Int64(Self.planCount) * 4_000)
        let rerun = try CrashSafetyTests.run(arguments)
        #expect(Self.charged(rerun.output) == 0, "\(rerun.output)")
        #expect(try Self.lateFeeIncome(store) == Int64(Self.planCount) * 4_000)
        #expect(try CrashSafetyTests.run(["ledger", "verify"] + store.arguments).status == 0)
    }

    @Test("two workers for different dates at once each finish every plan: a plan the other date's worker held is waited for at the end, not left uncharged", arguments: StoreKind.available)
    func workersForDifferentDates(kind: StoreKind) throws {
        let store = try TestStore(kind)
        try Self.overduePlans(store)
        let dates = [Self.date, "2026-11-25"]
        let workers = try dates.map { try PaylaterProcess(["eod", "--date", $0] + store.arguments) }
        for result in workers.map({ $0.finish() }) {
            #expect(result.status == 0, "\(result.output)")
            #expect(result.output.contains("plans skipped (another worker had them): 0"), "\(result.output)")
        }
        // A rerun of either date finds nothing left to charge on any plan: each was charged, or had nothing due
        // that day (a plan with nothing to change is not written, so it is not recorded as done either).
        for date in dates {
            let rerun = try CrashSafetyTests.run(["eod", "--date", date] + store.arguments)
            #expect(Self.charged(rerun.output) == 0, "\(rerun.output)")
            #expect(rerun.output.contains("plans examined: \(Self.planCount)"), "\(rerun.output)")
        }
        #expect(try Self.lateFeeIncome(store) == Int64(Self.planCount) * 4_000)
    }

    @Test("a worker killed mid-run leaves whole plans; the next run finishes them exactly once", arguments: StoreKind.available)
    func killedWorker(kind: StoreKind) throws {
        let store = try TestStore(kind)
        try Self.overduePlans(store)
        let arguments = ["eod", "--date", Self.date] + store.arguments
        let victim = Process()
        victim.executableURL = CrashSafetyTests.binary
        victim.arguments = arguments
        let pipe = Pipe()
        victim.standardOutput = pipe
        victim.standardError = FileHandle.nullDevice
        try victim.run()
        var seen = ""
        while !seen.contains("late fees:") {
            let chunk = pipe.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            seen += String(decoding: chunk, as: UTF8.self)
        }
        usleep(20_000)  // into the late-fee stage
        kill(victim.processIdentifier, SIGKILL)
        victim.waitUntilExit()
        #expect(victim.terminationReason == .uncaughtSignal, "the worker finished before it could be killed")
        let partial = try Self.lateFeeIncome(store)
        print("killed worker had charged \(partial / 4_000) of \(Self.planCount) plans")
        #expect(partial % 4_000 == 0, "a plan's late fees are charged whole or not at all")
        let rerun = try CrashSafetyTests.run(arguments)
        #expect(rerun.status == 0, "\(rerun.output)")
        #expect(try Self.lateFeeIncome(store) == Int64(Self.planCount) * 4_000)
        #expect(try CrashSafetyTests.run(["ledger", "verify"] + store.arguments).status == 0)
    }

    @Test("an end of day for a date not yet over is refused whole with exit code 2: no late fee, no settlement")
    func futureDateIsIncomplete() throws {
        let store = try TestStore(.sqlite)
        try Self.overduePlans(store)
        let merchant = try MerchantService(database: store.database, clock: store.clock)
            .create(name: "Acme", pricing: MerchantPricingTerms(discountRate: BasisPoints(250))).merchant
        let credit = CreditLineService(database: store.database, clock: store.clock)
        try credit.open(try ConsumerID("cx"), .CNY)
        _ = try credit.setLimit(try ConsumerID("cx"), to: try cny("500.00"), changeID: try TransferID("limit-cx"))
        let schedule = try ScheduleGenerator.schedule(
            for: .payIn4(intervalDays: 14), principal: try cny("100.00"), start: try LocalDate(iso8601: "2026-10-01"),
            remainder: .first)
        _ = try ServicingService(database: store.database, clock: store.clock).openPlan(NewPlan(
            consumer: try ConsumerID("cx"), merchant: merchant.id, plan: try PlanID("px"), productID: "pay-in-4",
            schedule: schedule))
        let run = try CrashSafetyTests.run(["eod", "--date", "2099-01-01"] + store.arguments)
        #expect(run.status == 2, "\(run.output)")
        #expect(run.output.contains("2099-01-01 has not ended yet"), "\(run.output)")
        #expect(!run.output.contains("late fees:") && !run.output.contains("settlement:"), "\(run.output)")
        #expect(try Self.lateFeeIncome(store) == 0)
    }
}
