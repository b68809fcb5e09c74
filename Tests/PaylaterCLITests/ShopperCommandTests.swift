import Foundation
import PaylaterApp
import PaylaterLedger
import PaylaterMoney
import PaylaterProducts
import PaylaterTestSupport
import PaylaterTime
import Testing

@Suite("paylater shopper show")
struct ShopperCommandTests {
    @Test("shopper show prints the standing, the credit line, each open plan with what is owed and the days past due, and the limit's history")
    func show() throws {
        let scratch = ScratchDirectory()
        let (runtime, clock, underwriting) = try DecisionCommandTests.storeWithDecisions(scratch)
        let consumer = try ConsumerID("s1")
        try underwriting.setSpendingCap(try cny("2000.00"), consumer: consumer)
        // 400.00 on pay in 4 from 2027-03-01, the first 100.00 due that day and unpaid; a second plan paid off.
        let servicing = ServicingService(database: runtime.database, clock: clock)
        let start = try LocalDate(iso8601: "2027-03-01")
        for (plan, amount) in [("p-late", "400.00"), ("p-paid", "40.00")] {
            _ = try servicing.openPlan(NewPlan(
                consumer: consumer, merchant: try MerchantID("m1"), plan: try PlanID(plan), productID: "pay-in-4",
                schedule: try ScheduleGenerator.schedule(
                    for: .payIn4(intervalDays: 14), principal: try cny(amount), start: start, remainder: .first)))
        }
        _ = try servicing.pay(consumer: consumer, plan: try PlanID("p-paid"), amount: try cny("40.00"), operationID: "pay-1")

        let run = CLIRun(["shopper", "show", "--consumer", "s1", "--data-dir", scratch.path], at: try Instant(iso8601: "2027-03-05T10:00:00Z"))
        #expect(run.exitCode == 0, "\(run.errorOutput)")
        let expected = """
            shopper s1 on 2027-03-05
              standing: not blocked, limit not frozen, own spending cap 2000.00 CNY a month
              credit line CNY: limit 5000.00, held 0.00, used 400.00, available 4600.00
              open plans: 1
                p-late  pay-in-4  merchant m1  owes 400.00 CNY (principal 400.00, fees 0.00, late fees 0.00)  next due 2027-03-15  4 days past due
              closed plans: 1 (paid off 1, closed by refund 0)
              limit changes, oldest first:
                2027-03-01T10:00:00Z  initial (band A)  none to 5000.00 CNY
            """
        #expect(run.output == expected, "\(run.output)")

        let nobody = CLIRun(["shopper", "show", "--consumer", "s9", "--data-dir", scratch.path])
        #expect(nobody.exitCode == 1 && nobody.errorOutput.contains("knows nothing of shopper s9"), "\(nobody.errorOutput)")
        #expect(CLIRun(["shopper", "show", "--data-dir", scratch.path]).exitCode == 2, "--consumer is required")
    }

    /// A shopper may set their spending cap before their first purchase (`PUT /v1/me/spending-cap`, in a currency
    /// the platform lends in); support then sees it, rather than a shopper the store knows nothing of.
    @Test("shopper show shows a shopper whose only trace is the spending cap they set")
    func showsAShopperWithOnlyASpendingCap() throws {
        let scratch = ScratchDirectory()
        let (_, _, underwriting) = try DecisionCommandTests.storeWithDecisions(scratch)
        try underwriting.setSpendingCap(try cny("150.00"), consumer: try ConsumerID("s-new"))
        let run = CLIRun(["shopper", "show", "--consumer", "s-new", "--data-dir", scratch.path], at: try Instant(iso8601: "2027-03-05T10:00:00Z"))
        #expect(run.exitCode == 0, "\(run.errorOutput)")
        #expect(run.output.contains("  standing: not blocked, limit not frozen, own spending cap 150.00 CNY a month"), "\(run.output)")
    }

    @Test("shopper block and unblock log who and why, shopper show says so, and a second block changes nothing")
    func blockAndUnblock() throws {
        let scratch = ScratchDirectory()
        try DecisionCommandTests.storeWithDecisions(scratch)
        let at = try Instant(iso8601: "2027-03-02T09:00:00Z")
        func run(_ words: [String], at time: Instant = at) -> CLIRun {
            CLIRun(["shopper"] + words + ["--consumer", "s1", "--data-dir", scratch.path], at: time)
        }
        let block = run(["block", "--reason", "card testing from one device", "--by", "risk-ops"])
        #expect(block.exitCode == 0 && block.output == "shopper s1 blocked at 2027-03-02T09:00:00Z by risk-ops", "\(block.output)\(block.errorOutput)")
        let again = run(["block", "--reason", "again", "--by", "someone"])
        #expect(again.exitCode == 0, "\(again.errorOutput)")
        #expect(again.output == "shopper s1 was already blocked since 2027-03-02T09:00:00Z, by risk-ops: card testing from one device; nothing changed")
        let shown = run(["show"])
        #expect(shown.output.contains(
            "  standing: BLOCKED (since 2027-03-02T09:00:00Z, by risk-ops: card testing from one device), limit not frozen"), "\(shown.output)")
        #expect(shown.output.hasSuffix("  blocked list, oldest first:\n    2027-03-02T09:00:00Z  blocked by risk-ops: card testing from one device"), "\(shown.output)")
        let unblock = run(["unblock", "--reason", "cleared", "--by", "risk-lead"], at: try Instant(iso8601: "2027-03-03T09:00:00Z"))
        #expect(unblock.output == "shopper s1 unblocked at 2027-03-03T09:00:00Z by risk-lead", "\(unblock.output)")
        #expect(run(["show"]).output.contains("  standing: not blocked, "))
        #expect(run(["block", "--reason", "", "--by", "ops"]).exitCode == 2, "an empty reason")
        #expect(run(["block", "--by", "ops"]).exitCode == 2, "--reason is required")
    }

    @Test("blocking a shopper the store knows nothing of blocks them ahead of any application, and says so (a mistyped id?)")
    func blockUnknownShopper() throws {
        let scratch = ScratchDirectory()
        try DecisionCommandTests.storeWithDecisions(scratch)
        let unknown = CLIRun(["shopper", "block", "--consumer", "s-typo", "--reason", "fraud ring", "--by", "ops", "--data-dir", scratch.path])
        #expect(unknown.exitCode == 0, "\(unknown.errorOutput)")
        #expect(unknown.output.hasSuffix(
            "note: the store has no credit line, plan or decision of shopper s-typo: blocked ahead of any application (check the id)"),
            "\(unknown.output)")
        let known = CLIRun(["shopper", "block", "--consumer", "s1", "--reason", "fraud ring", "--by", "ops", "--data-dir", scratch.path])
        #expect(known.exitCode == 0 && !known.output.contains("note:"), "\(known.output)")
    }
}
