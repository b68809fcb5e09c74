import Foundation
import PaylaterApp
import PaylaterLedger
import PaylaterMoney
import PaylaterProducts
import PaylaterTestSupport
import PaylaterTime
import Testing

@Suite("paylater collections")
struct CollectionsCommandTests {
    @Test("a debtor's standing, then contacts weighed: allowed is exit 0, refused exit 1 with its reasons, both in the history; mistakes exit 2")
    func contacts() throws {
        let scratch = ScratchDirectory()
        let dir = ["--data-dir", scratch.path]
        let call = ["collections", "contact", "--consumer", "c1", "--plan", "p1", "--channel", "call", "--number", "+86-139", "--by", "ana"]
        let missing = CLIRun(call + ["--id", "a0", "--at", "2026-06-10T10:00:00+08:00"] + dir)
        #expect(CLIRun(["init"] + dir).exitCode == 0)
        #expect(CLIRun(call + ["--id", "a0", "--at", "2026-06-10T10:00:00+08:00"] + dir).exitCode == 1, "\(missing.errorOutput)")
        let standing = CLIRun([
            "collections", "standing", "--consumer", "c1", "--jurisdiction", "CN", "--time-zone", "Asia/Shanghai",
            "--opt-out", "text", "--unreachable", "--by", "ops-ana",
        ] + dir)
        #expect(standing.exitCode == 0, "\(standing.errorOutput)")
        #expect(standing.output.contains("debtor c1: CN, Asia/Shanghai") && standing.output.contains("unreachable; opted out of text"), "\(standing.output)")
        let made = CLIRun(call + ["--id", "a1", "--at", "2026-06-10T10:00:00+08:00", "--conversation"] + dir)
        #expect(made.exitCode == 0 && made.output.contains("allowed: call a1 recorded as made"), "\(made.output) \(made.errorOutput)")
        let late = CLIRun(call + ["--id", "a2", "--at", "2026-06-10T22:30:00+08:00"] + dir)
        #expect(late.exitCode == 1 && late.output.contains("outside the contact hours"), "\(late.output)")
        let text = CLIRun([
            "collections", "contact", "--consumer", "c1", "--plan", "p1", "--channel", "text", "--by", "ana", "--id", "a3",
            "--at", "2026-06-10T11:00:00+08:00",
        ] + dir)
        #expect(text.exitCode == 1 && text.output.contains("opted out of text"), "\(text.output)")
        let unnumbered = CLIRun([
            "collections", "contact", "--consumer", "c1", "--plan", "p1", "--channel", "call", "--by", "ana", "--id", "a5",
            "--at", "2026-06-10T11:00:00+08:00",
        ] + dir)
        #expect(unnumbered.exitCode == 1 && unnumbered.output.contains("the number to be called must be given"), "\(unnumbered.output)")
        let history = CLIRun(["collections", "history", "--consumer", "c1"] + dir)
        #expect(history.exitCode == 0)
        #expect(history.output.contains("made, conversation  by ana  (a1)") && history.output.contains("refused  by ana  (a2)"), "\(history.output)")
        #expect(CLIRun(call + ["--id", "a4", "--channel", "pigeon"] + dir).exitCode == 2)
        #expect(CLIRun(["collections", "standing", "--consumer", "c1", "--jurisdiction", "FR", "--time-zone", "UTC", "--by", "x"] + dir).exitCode == 2)
        #expect(CLIRun(["collections", "standing", "--consumer", "c1", "--jurisdiction", "US", "--time-zone", "Mars/Olympus", "--by", "x"] + dir).exitCode == 2)
        let nine = Array(repeating: "UTC", count: 9).joined(separator: ",")
        #expect(CLIRun(["collections", "standing", "--consumer", "c1", "--jurisdiction", "US", "--time-zone", nine, "--by", "x"] + dir).exitCode == 2)
    }

    @Test("the queue lists the plans past due on the date with their days and band, then each band's count")
    func queue() throws {
        let scratch = ScratchDirectory()
        let (runtime, clock, _) = try DecisionCommandTests.storeWithDecisions(scratch)
        let servicing = ServicingService(database: runtime.database, clock: clock)
        let start = try LocalDate(iso8601: "2027-03-01")
        for (consumer, plan) in [("s1", "p-a"), ("s1", "p-b")] {
            _ = try servicing.openPlan(NewPlan(
                consumer: try ConsumerID(consumer), merchant: try MerchantID("m1"), plan: try PlanID(plan), productID: "pay-in-4",
                schedule: try ScheduleGenerator.schedule(
                    for: .payIn4(intervalDays: 14), principal: try cny("400.00"), start: start, remainder: .first)))
        }
        _ = try servicing.pay(consumer: try ConsumerID("s1"), plan: try PlanID("p-b"), amount: try cny("100.00"), operationID: "pay-1")
        let run = CLIRun(["collections", "queue", "--date", "2027-04-05", "--data-dir", scratch.path])
        #expect(run.exitCode == 0, "\(run.errorOutput)")
        #expect(run.output == """
            35 days  31-60  s1  p-a  owes 400.00 CNY  merchant m1
            21 days  1-30  s1  p-b  owes 300.00 CNY  merchant m1
            1-30: 1, 31-60: 1
            """, "\(run.output)")
        #expect(CLIRun(["collections", "queue", "--date", "2027-03-01", "--data-dir", scratch.path]).output.contains("no plans past due"))
        #expect(CLIRun(["collections", "queue", "--date", "tomorrow", "--data-dir", scratch.path]).exitCode == 2)
    }
}
