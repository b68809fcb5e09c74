import PaylaterMoney
import PaylaterProducts
import PaylaterTime
import Testing

/// A monthly-bill statement's purchases share one bill's late fees and one cap, on what refunds left of all of them:
/// a refund of one purchase keeps the bill within that cap, taking the excess off the refunded purchase first.
@Suite("Refunding a purchase on a monthly-bill statement")
struct StatementRefundTests {
    /// Purchases due 2024-03-15 under the Afterpay-like policy (10.00, then 7.00 a week later, at most 25%).
    static func statement(_ amounts: [String]) throws -> [RepaymentPlan] {
        let policy = try LateFeeFixture.afterpay()
        return try amounts.enumerated().map { index, amount in
            let schedule = try ScheduleGenerator.schedule(
                for: .tryThenPay(dueAfterDays: 14), principal: Fixture.money(amount), start: Fixture.date("2024-03-01"),
                remainder: .first)
            return RepaymentPlan(
                id: "p\(index)", schedule: schedule, lateFeePolicy: policy, start: Fixture.date("2024-03-01"))
        }
    }

    static func units(_ lines: [RepaymentPlan], _ amount: KeyPath<RepaymentPlan, Money>) -> Int64 {
        lines.reduce(0) { $0 + $1[keyPath: amount].minorUnits }
    }

    /// The bill's cap on what refunds left of its purchases.
    static func cap(_ lines: [RepaymentPlan]) throws -> Int64 {
        let left = units(lines, \.principalAfterRefunds)
        guard left > 0 else { return 0 }
        return try #require(try LateFeeFixture.afterpay().orderCap(for: Money(minorUnits: left, currency: .USD))).minorUnits
    }

    /// Review r7: 100.00 and 4.00 charged 10.00 + 7.00; a refund of 96.00 of the first left 17.00 of late fees on an
    /// 8.00 statement, whose cap is 2.00.
    @Test("a part refund leaves the bill's late fees within the cap on what is left, the refunded purchase's share first")
    func partRefund() throws {
        var lines = try Self.statement(["100.00", "4.00"])
        _ = try RepaymentPlan.assessStatementLateFees(&lines, on: Fixture.date("2024-03-16"))
        _ = try RepaymentPlan.assessStatementLateFees(&lines, on: Fixture.date("2024-03-23"))
        #expect(Self.units(lines, \.lateFeesCharged) == 1_700)
        let before = lines[1].lateFeesCharged
        let (refund, waivers) = try RepaymentPlan.refundStatementPurchase(
            Fixture.money("96.00"), of: "p0", on: Fixture.date("2024-03-24"), statement: &lines)
        #expect(Self.units(lines, \.lateFeesCharged) == 200, "25% of the 8.00 left")
        // The 15.00 beyond the cap come off the refunded purchase, whose share is large enough; p1 keeps its own.
        #expect(refund.lateFeesWaived == Fixture.money("15.00") && refund.statementExcess.isZero && waivers.isEmpty)
        #expect(lines[1].lateFeesCharged == before)
    }

    /// Review r7: a purchase paid down before the fee carries little weight, so the 4.00 one takes 8.00 of a 10.00
    /// fee; a full refund of the other left 8.00 on a 4.00 statement (cap 1.00).
    @Test("a full refund of one purchase leaves the others' late fees within the cap on what is left of them")
    func fullRefundOfOther() throws {
        var lines = try Self.statement(["100.00", "4.00"])
        _ = try lines[0].pay(Fixture.money("99.00"), on: Fixture.date("2024-03-10"))
        _ = try RepaymentPlan.assessStatementLateFees(&lines, on: Fixture.date("2024-03-16"))
        #expect(lines[1].lateFeesCharged == Fixture.money("8.00"))
        let (refund, waivers) = try RepaymentPlan.refundStatementPurchase(
            Fixture.money("100.00"), of: "p0", on: Fixture.date("2024-03-17"), statement: &lines)
        #expect(refund.lateFeesWaived == Fixture.money("2.00") && lines[0].lateFeesCharged.isZero)
        #expect(lines[0].status == .closedByRefund(on: Fixture.date("2024-03-17")))
        #expect(waivers.map(\.planID) == ["p1"])
        #expect(waivers.map(\.waived) == [Fixture.money("7.00")] && waivers.map(\.returned) == [Fixture.money("0.00")])
        #expect(lines[1].lateFeesCharged == Fixture.money("1.00"), "25% of 4.00")
        #expect(lines[1].owed == Fixture.money("5.00"))
    }

    /// Review r6: a 0.01 refund capped a purchase's share on the purchase alone and waived most of it.
    @Test("a part refund the bill's cap still allows takes nothing off")
    func withinCap() throws {
        var lines = try Self.statement(["100.00", "4.00"])
        _ = try RepaymentPlan.assessStatementLateFees(&lines, on: Fixture.date("2024-03-16"))
        let before = lines
        let (refund, waivers) = try RepaymentPlan.refundStatementPurchase(
            Fixture.money("0.01"), of: "p1", on: Fixture.date("2024-03-17"), statement: &lines)
        #expect(refund.lateFeesWaived.isZero && refund.statementExcess.isZero && waivers.isEmpty)
        #expect(lines.map(\.lateFeesCharged) == before.map(\.lateFeesCharged))
    }

    @Test("late fees the other purchase had paid come back to the shopper, and a purchase left owing nothing is paid off")
    func paidFeesReturned() throws {
        var lines = try Self.statement(["100.00", "4.00"])
        _ = try lines[0].pay(Fixture.money("99.00"), on: Fixture.date("2024-03-10"))
        _ = try RepaymentPlan.assessStatementLateFees(&lines, on: Fixture.date("2024-03-16"))
        // p1 pays its 4.00 and its 8.00 share; p0 is then refunded in full.
        _ = try lines[1].pay(Fixture.money("12.00"), on: Fixture.date("2024-03-17"))
        #expect(lines[1].status == .paidOff(on: Fixture.date("2024-03-17")))
        let (_, waivers) = try RepaymentPlan.refundStatementPurchase(
            Fixture.money("100.00"), of: "p0", on: Fixture.date("2024-03-18"), statement: &lines)
        #expect(waivers.map(\.planID) == ["p1"])
        #expect(waivers.map(\.waived) == [Fixture.money("7.00")] && waivers.map(\.returned) == [Fixture.money("7.00")])
        #expect(lines[1].lateFeesCharged == Fixture.money("1.00") && lines[1].owed.isZero)
        #expect(lines[1].status == .paidOff(on: Fixture.date("2024-03-17")), "still paid off, on the day it was")

        // Unpaid late fees only: taking them off leaves nothing owed, and the purchase is paid off that day.
        var unpaid = try Self.statement(["100.00", "4.00"])
        _ = try unpaid[0].pay(Fixture.money("99.00"), on: Fixture.date("2024-03-10"))
        _ = try RepaymentPlan.assessStatementLateFees(&unpaid, on: Fixture.date("2024-03-16"))
        // Its 4.00 first, then 1.00 of its 8.00 of late fees.
        let principalFirst = try PaymentWaterfall(steps: [.pastDuePrincipal, .pastDueFees, .currentInstallments])
        _ = try unpaid[1].pay(Fixture.money("5.00"), on: Fixture.date("2024-03-17"), waterfall: principalFirst)
        _ = try RepaymentPlan.refundStatementPurchase(
            Fixture.money("100.00"), of: "p0", on: Fixture.date("2024-03-18"), statement: &unpaid)
        #expect(unpaid[1].owed.isZero)
        #expect(unpaid[1].status == .paidOff(on: Fixture.date("2024-03-18")))
    }

    @Test("a purchase on another bill (its due date extended) is not touched")
    func otherBillUntouched() throws {
        var lines = try Self.statement(["100.00", "4.00", "50.00"])
        _ = try lines[2].extendDueDate(
            installment: 1, by: 10, rule: try DueDateExtension(fee: Fixture.money("0.00")),
            today: Fixture.date("2024-03-10"))
        _ = try RepaymentPlan.assessStatementLateFees(&lines, on: Fixture.date("2024-03-27"))
        let other = lines[2]
        #expect(other.lateFeesCharged.isPositive)
        _ = try RepaymentPlan.refundStatementPurchase(
            Fixture.money("100.00"), of: "p0", on: Fixture.date("2024-03-28"), statement: &lines)
        #expect(lines[2] == other)
    }

    @Test("a purchase moved off its bill by an extension leaves each bill capped on its own purchases")
    func billsCappedAfterAMove() throws {
        var lines = try Self.statement(["100.00", "4.00"])
        _ = try lines[0].pay(Fixture.money("99.00"), on: Fixture.date("2024-03-10"))
        _ = try RepaymentPlan.assessStatementLateFees(&lines, on: Fixture.date("2024-03-16"))
        #expect(lines.map(\.lateFeesCharged) == [Fixture.money("2.00"), Fixture.money("8.00")])
        #expect(try RepaymentPlan.capStatementBills(&lines, on: Fixture.date("2024-03-16")).isEmpty, "one bill, within its cap")
        _ = try lines[0].extendDueDate(
            installment: 1, by: 5, rule: try DueDateExtension(fee: Fixture.money("0.00")), today: Fixture.date("2024-03-17"))
        let waivers = try RepaymentPlan.capStatementBills(&lines, on: Fixture.date("2024-03-17"))
        #expect(waivers.map(\.planID) == ["p1"] && waivers.map(\.waived) == [Fixture.money("7.00")])
        #expect(lines.map(\.lateFeesCharged) == [Fixture.money("2.00"), Fixture.money("1.00")], "p1: 25% of 4.00")
    }

    @Test("seeded: a refund leaves the bill at the least of what it carried and its cap on what is left", arguments: 0..<40)
    func seeded(seed: UInt64) throws {
        var random = SplitMix64(seed: seed)
        let count = Int.random(in: 1...4, using: &random)
        var lines = try Self.statement((0..<count).map { _ in
            "\(Int.random(in: 1...300, using: &random)).\(Int.random(in: 10...99, using: &random))"
        })
        for index in lines.indices where Bool.random(using: &random) {
            let part = Int64.random(in: 1...lines[index].principalAfterRefunds.minorUnits, using: &random)
            _ = try lines[index].pay(Money(minorUnits: part, currency: .USD), on: Fixture.date("2024-03-10"))
        }
        _ = try RepaymentPlan.assessStatementLateFees(&lines, on: Fixture.date("2024-03-16"))
        _ = try RepaymentPlan.assessStatementLateFees(&lines, on: Fixture.date("2024-03-23"))
        let target = Int.random(in: 0..<count, using: &random)
        let amount = Int64.random(in: 1...lines[target].principalAfterRefunds.minorUnits, using: &random)
        let before = lines
        let (refund, waivers) = try RepaymentPlan.refundStatementPurchase(
            Money(minorUnits: amount, currency: .USD), of: "p\(target)", on: Fixture.date("2024-03-24"), statement: &lines)

        // A purchase refunded in full gives up its whole share; otherwise only the excess over the cap comes off.
        let kept = Self.units(before, \.lateFeesCharged)
            - (lines[target].principalAfterRefunds.isZero ? before[target].lateFeesCharged.minorUnits : 0)
        #expect(Self.units(lines, \.lateFeesCharged) == min(kept, try Self.cap(lines)))
        let takenOff = refund.lateFeesWaived.minorUnits + waivers.reduce(0) { $0 + $1.waived.minorUnits }
        #expect(Self.units(before, \.lateFeesCharged) - Self.units(lines, \.lateFeesCharged) == takenOff)
        #expect(waivers.reduce(0) { $0 + $1.waived.minorUnits } == refund.statementExcess.minorUnits)
        for (old, new) in zip(before, lines) where old.id != "p\(target)" {
            #expect(new.lateFeesCharged.minorUnits <= old.lateFeesCharged.minorUnits)
            #expect(new.principalAfterRefunds == old.principalAfterRefunds && new.installments[0].lateFeeStages == old.installments[0].lateFeeStages)
        }
    }
}
