import PaylaterApp
import PaylaterLedger
import PaylaterMoney
import PaylaterProducts
import PaylaterStore
import PaylaterTestSupport
import Foundation
import PaylaterTime
import Testing

@Suite("Merchant settlement")
struct SettlementTests {
    /// 123.40 × 2.5% = 3.085 → 3.08 (half-even: 308.5 minor units to the even 308) + 0.30 = 3.38;
    /// 200.60 × 2.5% = 5.015 → 5.02 (501.5 to the even 502) + 0.30 = 5.32.
    @Test("a day with two captures and a partial refund pays captures − refunds − discount and empties the payable", arguments: StoreKind.available)
    func oneDay(kind: StoreKind) throws {
        let fixture = try SettlementFixture(kind)
        try fixture.capture("m1", plan: "p1", "123.40", at: "2027-03-01T10:00:00Z")
        try fixture.capture("m1", plan: "p2", "200.60", at: "2027-03-01T11:00:00Z")
        try fixture.refund(plan: "p1", "50.00", at: "2027-03-01T15:00:00Z")

        let settlement = try fixture.settle("m1", through: "2027-03-02T00:00:00Z", at: "2027-03-02T01:00:00Z", id: "s1")
        #expect(settlement.lines.map(\.kind) == [.capture, .capture, .refund])
        #expect(settlement.lines.map(\.amount) == [try cny("123.40"), try cny("200.60"), try cny("-50.00")])
        #expect(settlement.lines.map(\.discount) == [try cny("3.38"), try cny("5.32"), try cny("0.00")])
        #expect(settlement.gross == (try cny("324.00")))
        #expect(settlement.refunds == (try cny("50.00")))
        #expect(settlement.discount == (try cny("8.70")))
        #expect(settlement.payout == (try cny("265.30")))
        #expect(settlement.carriedOver.isZero && settlement.broughtForward.isZero)
        #expect(try fixture.payable("m1") == 0)
        #expect(try fixture.platform(.merchantDiscountIncome) == 870)
        #expect(try fixture.ledger.verify().firstViolation == nil)
        let payout = try #require(try fixture.ledger.transfer(try TransferID("settlement:m1:CNY:1:payout")))
        #expect(payout.request.code == TransferType.merchantSettlement.code && payout.request.reference == "s1")
        #expect(try fixture.settlements.settlement(merchant: try MerchantID("m1"), id: "s1") == settlement)
        let listed = try fixture.settlements.settlements(merchant: try MerchantID("m1"), limit: 10)
        #expect(listed.map(\.id) == ["s1"] && listed.map(\.payout) == [settlement.payout])
        #expect(listed.map(\.lineCount) == [3] && listed.allSatisfy(\.lines.isEmpty), "a list counts the lines without reading them")
    }

    @Test("the fixed fee is per order: the order's second capture (its plan <order>-p2) pays the rate only, a plan of its own pays both", arguments: StoreKind.available)
    func fixedFeeOncePerOrder(kind: StoreKind) throws {
        let fixture = try SettlementFixture(kind)
        try fixture.capture("m1", plan: Order.capturePlanID(order: "ord_1", number: 1), "100.00", at: "2027-03-01T10:00:00Z")
        try fixture.capture("m1", plan: Order.capturePlanID(order: "ord_1", number: 2), "100.00", at: "2027-03-01T11:00:00Z")
        try fixture.capture("m1", plan: "p9", "100.00", at: "2027-03-01T12:00:00Z")
        let settlement = try fixture.settle("m1", through: "2027-03-02T00:00:00Z", at: "2027-03-02T01:00:00Z", id: "s1")
        // 100.00 × 2.5% = 2.50, plus 0.30 on the order's first capture and on the plan of its own.
        #expect(settlement.lines.map(\.discount) == [try cny("2.80"), try cny("2.50"), try cny("2.80")])
        #expect(settlement.payout == (try cny("291.90")))
    }

    @Test("settlements page back with before=<last id>: each once, newest first; an unknown cursor is refused", arguments: StoreKind.available)
    func settlementPages(kind: StoreKind) throws {
        let fixture = try SettlementFixture(kind)
        for day in 1...3 {
            try fixture.capture("m1", plan: "p\(day)", "100.00", at: "2027-03-0\(day)T10:00:00Z")
            _ = try fixture.settle("m1", through: "2027-03-0\(day + 1)T00:00:00Z", at: "2027-03-0\(day + 1)T01:00:00Z", id: "s\(day)")
        }
        let merchant = try MerchantID("m1")
        #expect(try fixture.settlements.settlements(merchant: merchant, limit: 10).map(\.id) == ["s3", "s2", "s1"])
        #expect(try fixture.settlements.settlements(merchant: merchant, limit: 2).map(\.id) == ["s3", "s2"])
        #expect(try fixture.settlements.settlements(merchant: merchant, limit: 2, before: "s2").map(\.id) == ["s1"])
        #expect(try fixture.settlements.settlements(merchant: merchant, limit: 2, before: "s1").isEmpty)
        #expect(throws: SettlementError.settlementNotFound(merchant: "m1", id: "nope")) {
            try fixture.settlements.settlements(merchant: merchant, limit: 2, before: "nope")
        }
    }

    @Test("a capture's plan says which capture of its order it was; other plans say nothing")
    func captureNumbers() throws {
        #expect(Order.capturePlanID(order: "ord_1", number: 2) == "ord_1-p2")
        let numbers = ["ord_1-p1", "ord_1-p12", "ord-p2x-p3", "p1", "ord_1-p", "ord_1-p0", "ord_1-px", "-p4", "ord_1-p007"]
            .map(Order.captureNumber)
        #expect(numbers == [1, 12, 3, nil, nil, nil, nil, 4, nil])
        #expect(["ord_1-p12", "ord-p2x-p3", "ord_1-p007"].map(Order.orderID) == ["ord_1", "ord-p2x", nil])
        #expect(ChartOfAccounts.planID(of: ChartOfAccounts.plan(try PlanID("ord_1-p2"), .planReceivable, .CNY)) == (try PlanID("ord_1-p2")))
        #expect(ChartOfAccounts.planID(of: ChartOfAccounts.platform(.platformCash, .CNY)) == nil)
    }

    @Test("a retry returns the same settlement and posts nothing; the same id with other inputs is refused", arguments: StoreKind.available)
    func idempotent(kind: StoreKind) throws {
        let fixture = try SettlementFixture(kind)
        try fixture.capture("m1", plan: "p1", "123.40", at: "2027-03-01T10:00:00Z")
        let first = try fixture.settle("m1", through: "2027-03-02T00:00:00Z", at: "2027-03-02T01:00:00Z", id: "s1")
        let cash = try fixture.platform(.platformCash)
        let again = try fixture.settle("m1", through: "2027-03-02T00:00:00Z", at: "2027-03-02T05:00:00Z", id: "s1")
        #expect(again == first)
        #expect(try fixture.platform(.platformCash) == cash)
        #expect(throws: SettlementError.settlementReused("s1")) {
            try fixture.settle("m1", through: "2027-03-02T01:00:00Z", at: "2027-03-02T05:00:00Z", id: "s1")
        }
        #expect(throws: SettlementError.invalidSettlementID("bad id")) {
            try fixture.settle("m1", through: "2027-03-02T01:00:00Z", at: "2027-03-02T05:00:00Z", id: "bad id")
        }
        #expect(try fixture.settlements.settlements(merchant: try MerchantID("m1"), limit: 10).count == 1)
    }

    @Test("refunds beyond captures pay nothing and carry the debt, which the next settlement nets", arguments: StoreKind.available)
    func carryOver(kind: StoreKind) throws {
        let fixture = try SettlementFixture(kind)
        try fixture.capture("m1", plan: "p1", "123.40", at: "2027-03-01T10:00:00Z")
        let day1 = try fixture.settle("m1", through: "2027-03-02T00:00:00Z", at: "2027-03-02T01:00:00Z", id: "d1")
        #expect(day1.payout == (try cny("120.02")))

        try fixture.refund(plan: "p1", "100.00", at: "2027-03-02T10:00:00Z")
        let day2 = try fixture.settle("m1", through: "2027-03-03T00:00:00Z", at: "2027-03-03T01:00:00Z", id: "d2")
        #expect(day2.lines.map(\.kind) == [.refund])
        #expect(day2.payout == (try cny("0.00")))
        #expect(day2.carriedOver == (try cny("-100.00")))
        #expect(try fixture.payable("m1") == -10_000)

        try fixture.capture("m1", plan: "p2", "200.60", at: "2027-03-03T10:00:00Z")
        let day3 = try fixture.settle("m1", through: "2027-03-04T00:00:00Z", at: "2027-03-04T01:00:00Z", id: "d3")
        #expect(day3.broughtForward == (try cny("-100.00")))
        #expect(day3.lines.map(\.kind) == [.capture])
        #expect(day3.payout == (try cny("95.28")))  // 200.60 − 5.32 − 100.00
        #expect(day3.carriedOver == (try cny("0.00")))
        #expect(try fixture.payable("m1") == 0)
        #expect(try fixture.ledger.verify().firstViolation == nil)
        #expect(try fixture.settlements.settlements(merchant: try MerchantID("m1"), limit: 2).map(\.id) == ["d3", "d2"])
    }

    @Test("transfers after the cutoff wait for the next settlement", arguments: StoreKind.available)
    func cutoff(kind: StoreKind) throws {
        let fixture = try SettlementFixture(kind)
        try fixture.capture("m1", plan: "p1", "123.40", at: "2027-03-01T10:00:00Z")
        try fixture.capture("m1", plan: "p2", "200.60", at: "2027-03-02T00:00:01Z")
        let day1 = try fixture.settle("m1", through: "2027-03-02T00:00:00Z", at: "2027-03-02T01:00:00Z", id: "d1")
        #expect(day1.lines.map(\.amount) == [try cny("123.40")])
        #expect(try fixture.payable("m1") == 20_060)

        let day2 = try fixture.settle("m1", through: "2027-03-03T00:00:00Z", at: "2027-03-03T01:00:00Z", id: "d2")
        #expect(day2.lines.map(\.amount) == [try cny("200.60")])
        #expect(day2.positionFrom == day1.positionTo)
        #expect(day2.payout == (try cny("195.28")))
        #expect(try fixture.payable("m1") == 0)
        #expect(throws: SettlementError.cutoffBeforePrevious(
            cutoff: try Instant(iso8601: "2027-03-02T12:00:00Z"), previous: try Instant(iso8601: "2027-03-03T00:00:00Z"))) {
            try fixture.settle("m1", through: "2027-03-02T12:00:00Z", at: "2027-03-03T02:00:00Z", id: "d3")
        }
        #expect(throws: SettlementError.self) {
            try fixture.settle("m1", through: "2027-03-04T00:00:00Z", at: "2027-03-03T02:00:00Z", id: "d4")
        }
    }

    @Test("settling one merchant leaves another's payable alone; the batch settles every priced merchant with lines once and records nothing for one with none", arguments: StoreKind.available)
    func merchantsApart(kind: StoreKind) throws {
        let fixture = try SettlementFixture(kind)
        try fixture.capture("m1", plan: "p1", "123.40", at: "2027-03-01T10:00:00Z")
        try fixture.capture("m2", plan: "p2", "200.60", at: "2027-03-01T11:00:00Z")
        try fixture.capture("m3", plan: "p3", "10.00", at: "2027-03-01T12:00:00Z")
        _ = try fixture.settle("m1", through: "2027-03-02T00:00:00Z", at: "2027-03-02T01:00:00Z", id: "m1-early")
        #expect(try fixture.payable("m1") == 0)
        #expect(try fixture.payable("m2") == 20_060)
        #expect(try fixture.settlements.settlements(merchant: try MerchantID("m2"), limit: 10).isEmpty)

        let date = try LocalDate(iso8601: "2027-03-01")
        let cutoff = try Instant(iso8601: "2027-03-02T00:00:00Z")
        let pricing = fixture.pricing
        let run = try fixture.settlements.settleAll(
            currency: .CNY, through: cutoff, pricing: { $0.rawValue == "m3" ? nil : pricing }, date: date, pageSize: 1)
        #expect(run.settlements.map(\.id) == ["m2-2027-03-01-CNY"])
        #expect(run.settlements.map(\.payout) == [try cny("195.28")])
        #expect(run.nothingToSettle == [try MerchantID("m1")], "m1-early settled its day")
        #expect(run.unpriced == [try MerchantID("m3")])
        #expect(run.failures.isEmpty)
        let cash = try fixture.platform(.platformCash)
        let rerun = try fixture.settlements.settleAll(
            currency: .CNY, through: cutoff, pricing: { $0.rawValue == "m3" ? nil : pricing }, date: date)
        #expect(rerun.settlements == [] && rerun.madeEarlier == run.settlements, "a rerun makes nothing and says what it found")
        #expect(rerun.nothingToSettle == [try MerchantID("m1")])
        #expect(try fixture.platform(.platformCash) == cash)
        #expect(try fixture.payable("m3") == 1_000)
        #expect(try fixture.ledger.verify().firstViolation == nil)
    }

    /// 10,004 lines on one day: a capture and 10,003 corrections of 1.00 (adjustments, no discount).
    @Test("the end of day settles every line through the cutoff: a day beyond one settlement's 10,000 lines gets a second settlement for the date (<id>-2), and a rerun makes none", arguments: StoreKind.available)
    func moreLinesThanOneSettlementHolds(kind: StoreKind) throws {
        let fixture = try SettlementFixture(kind)
        try fixture.capture("m1", plan: "p1", "100.00", at: "2027-03-01T10:00:00Z")
        let corrections = SettlementService.linesMaximum + 3
        try fixture.corrections("m1", count: corrections)
        try fixture.capture("m1", plan: "p2", "50.00", at: "2027-03-02T00:00:01Z")
        try fixture.at("2027-03-02T01:00:00Z")
        let (date, cutoff, pricing) = (try LocalDate(iso8601: "2027-03-01"), try Instant(iso8601: "2027-03-02T00:00:00Z"), fixture.pricing)
        let run = try fixture.settlements.settleAll(currency: .CNY, through: cutoff, pricing: { _ in pricing }, date: date)
        #expect(run.settlements.map(\.id) == ["m1-2027-03-01-CNY", "m1-2027-03-01-CNY-2"])
        #expect(run.settlements.map(\.lines.count) == [SettlementService.linesMaximum, 4])
        #expect(run.merchantsSettled == 1 && run.leftOver.isEmpty && run.failures.isEmpty)
        let paid = run.settlements.reduce(Int64(0)) { $0 + $1.payout.minorUnits }
        #expect(paid == 10_000 - 280 + Int64(corrections) * 100, "the day's capture less its discount, and every correction")
        #expect(try fixture.payable("m1") == 5_000, "only the capture after the cutoff waits")

        let cash = try fixture.platform(.platformCash)
        let rerun = try fixture.settlements.settleAll(currency: .CNY, through: cutoff, pricing: { _ in pricing }, date: date)
        #expect(rerun.settlements.isEmpty && rerun.madeEarlier == run.settlements)
        #expect(try fixture.platform(.platformCash) == cash)
        #expect(try fixture.ledger.verify().firstViolation == nil)
    }

    @Test("the end of day records no settlement for a merchant with no line since its previous one (nothing happened, nothing owed anew), in debt or not; a rerun says the same, and the next line's settlement brings the debt forward", arguments: StoreKind.available)
    func nothingToSettleRecordsNothing(kind: StoreKind) throws {
        let fixture = try SettlementFixture(kind)
        let (merchant, pricing) = (try MerchantID("m1"), fixture.pricing)
        func endOfDay(_ day: Int) throws -> SettlementRun {
            try fixture.at("2027-03-0\(day + 1)T01:00:00Z")
            return try fixture.settlements.settleAll(
                currency: .CNY, through: try Instant(iso8601: "2027-03-0\(day + 1)T00:00:00Z"), pricing: { _ in pricing },
                date: try LocalDate(iso8601: "2027-03-0\(day)"))
        }
        try fixture.capture("m1", plan: "p1", "100.00", at: "2027-03-01T10:00:00Z")
        #expect(try endOfDay(1).settlements.map(\.payout) == [try cny("97.20")])
        try fixture.refund(plan: "p1", "100.00", at: "2027-03-02T10:00:00Z")
        #expect(try endOfDay(2).settlements.map(\.carriedOver) == [try cny("-100.00")])

        let idle = try endOfDay(3)
        #expect(idle.settlements.isEmpty && idle.madeEarlier.isEmpty && idle.failures.isEmpty)
        #expect(idle.nothingToSettle == [merchant])
        #expect(try endOfDay(3).nothingToSettle == [merchant], "a rerun finds nothing either")
        #expect(try fixture.settlements.settlements(merchant: merchant, limit: 10).map(\.id) == ["m1-2027-03-02-CNY", "m1-2027-03-01-CNY"])
        #expect(try fixture.payable("m1") == -10_000, "the debt stays, carried by the 03-02 settlement")

        try fixture.capture("m1", plan: "p2", "200.00", at: "2027-03-04T10:00:00Z")
        let next = try endOfDay(4).settlements
        #expect(next.map(\.broughtForward) == [try cny("-100.00")])
        #expect(next.map(\.payout) == [try cny("94.70")])  // 200.00 − 5.30 − 100.00
        #expect(try fixture.payable("m1") == 0)
    }

    @Test("a missed day run after a later one finds the merchant settled further and fails nothing", arguments: StoreKind.available)
    func missedDayAfterALaterOne(kind: StoreKind) throws {
        let fixture = try SettlementFixture(kind)
        try fixture.capture("m1", plan: "p1", "100.00", at: "2027-03-01T10:00:00Z")
        try fixture.at("2027-03-04T01:00:00Z")
        let pricing = fixture.pricing
        let later = try fixture.settlements.settleAll(
            currency: .CNY, through: try Instant(iso8601: "2027-03-04T00:00:00Z"), pricing: { _ in pricing },
            date: try LocalDate(iso8601: "2027-03-03"))
        #expect(later.settlements.count == 1)
        let missed = try fixture.settlements.settleAll(
            currency: .CNY, through: try Instant(iso8601: "2027-03-02T00:00:00Z"), pricing: { _ in pricing },
            date: try LocalDate(iso8601: "2027-03-01"))
        #expect(missed.failures.isEmpty && missed.settlements.isEmpty)
        #expect(missed.settledLater == [try MerchantID("m1")])
    }

    @Test("two workers settling one merchant's day at once record it once and both answer with it", arguments: StoreKind.available)
    func settlingAtOnce(kind: StoreKind) throws {
        let fixture = try SettlementFixture(kind)
        try fixture.capture("m1", plan: "p1", "100.00", at: "2027-03-01T10:00:00Z")
        try fixture.at("2027-03-02T01:00:00Z")
        let (settlements, pricing) = (fixture.settlements, fixture.pricing)
        let cutoff = try Instant(iso8601: "2027-03-02T00:00:00Z")
        let outcomes = concurrently(4) { _ in
            try settlements.settle(merchant: try MerchantID("m1"), currency: .CNY, through: cutoff, pricing: pricing, settlementID: "m1-day")
        }
        #expect(outcomes.unexpectedFailures().isEmpty)
        #expect(Set(outcomes.successes()).count == 1)
        #expect(try fixture.settlements.settlements(merchant: try MerchantID("m1"), limit: 10).count == 1)
        #expect(try fixture.payable("m1") == 0)
        #expect(try fixture.ledger.verify().firstViolation == nil)
    }

    @Test("the CSV report parses back and its totals match the settlement", arguments: StoreKind.available)
    func report(kind: StoreKind) throws {
        let fixture = try SettlementFixture(kind)
        try fixture.capture("m1", plan: "p1", "123.40", at: "2027-03-01T10:00:00Z")
        try fixture.capture("m1", plan: "p2", "200.60", at: "2027-03-01T11:00:00Z")
        try fixture.refund(plan: "p1", "50.00", at: "2027-03-01T15:00:00Z")
        let settlement = try fixture.settle("m1", through: "2027-03-02T00:00:00Z", at: "2027-03-02T01:00:00Z", id: "s1")
        let rows = CSVReader.rows(SettlementReport.csv(try fixture.settlements.statement(merchant: try MerchantID("m1"), id: "s1")))
        #expect(rows.first == [
            "line", "transfer_id", "kind", "amount", "discount", "net", "order_id", "plan_id", "currency", "merchant_reference",
            "capture_id", "refund_id", "at",
        ])
        // Plans not opened by a checkout capture belong to no order.
        #expect(rows[1] == [
            "1", "plan:p1:v1:principal", "capture", "123.40", "3.38", "120.02", "", "p1", "CNY", "", "", "", "2027-03-01T10:00:00Z",
        ])
        #expect(rows[3][2...] == ["refund", "-50.00", "0.00", "-50.00", "", "p1", "CNY", "", "", "", "2027-03-01T15:00:00Z"])
        let lines = rows.dropFirst().filter { Int($0[0]) != nil }
        #expect(lines.count == settlement.lines.count)
        let summary = Dictionary(uniqueKeysWithValues: rows.dropFirst(lines.count + 1).map { ($0[0], $0) })
        func amount(_ text: String) throws -> Int64 { try Money(parsing: text, currency: .CNY).minorUnits }
        let netSum = try lines.reduce(Int64(0)) { $0 + (try amount($1[5])) }
        #expect(try amount(try #require(summary["total"])[5]) == netSum)
        #expect(try #require(summary["total"])[4] == "8.70")
        #expect(try #require(summary["payout"])[5] == settlement.payout.decimalString)
        #expect(try netSum + amount(try #require(summary["brought_forward"])[5])
            == amount(try #require(summary["payout"])[5]) + amount(try #require(summary["carried_over"])[5]))
    }

    @Test("CSV fields with commas, quotes or line breaks are quoted and read back unchanged")
    func quoting() {
        let names = ["Acme, Inc.", "Say \"hi\"", "two\nlines", "plain"]
        let text = names.map(SettlementReport.field).joined(separator: ",") + "\r\n"
        #expect(SettlementReport.field("plain") == "plain")
        #expect(SettlementReport.field("Acme, Inc.") == "\"Acme, Inc.\"")
        #expect(CSVReader.rows(text) == [names])
    }

    @Test("pricing is 0...10,000 bp with a fixed fee that is not negative and in the currency")
    func pricing() throws {
        #expect(throws: SettlementError.self) { try MerchantPricing(discountRate: BasisPoints(10_001), fixedFeePerOrder: try cny("0"), currency: .CNY) }
        #expect(throws: SettlementError.self) { try MerchantPricing(discountRate: BasisPoints(-1), fixedFeePerOrder: try cny("0"), currency: .CNY) }
        #expect(throws: SettlementError.self) { try MerchantPricing(discountRate: BasisPoints(100), fixedFeePerOrder: try cny("-0.01"), currency: .CNY) }
        #expect(throws: SettlementError.self) {
            try MerchantPricing(discountRate: BasisPoints(100), fixedFeePerOrder: Money(minorUnits: 30, currency: .USD), currency: .CNY)
        }
        let pricing = try MerchantPricing(discountRate: BasisPoints(250), fixedFeePerOrder: try cny("0.30"), currency: .CNY)
        #expect(try pricing.discount(onCapture: try cny("123.40")) == (try cny("3.38")))
        #expect(try pricing.discount(onCapture: try cny("200.60")) == (try cny("5.32")))
        #expect(try pricing.discount(onCapture: try cny("0.20")) == (try cny("0.20")))  // capped at the order
    }
}

@Suite("Merchant settlement lines")
struct SettlementLineTests {
    @Test("a promotion subsidy is taken as posted; any other movement is an adjustment with its sign and no discount", arguments: StoreKind.available)
    func otherMovements(kind: StoreKind) throws {
        let fixture = try SettlementFixture(kind)
        try fixture.capture("m1", plan: "p1", "123.40", at: "2027-03-01T10:00:00Z")
        let payable = ChartOfAccounts.merchant(try MerchantID("m1"), .merchantPayable, .CNY)
        let promotion = ChartOfAccounts.platform(.promotionCost, .CNY)
        let results = try fixture.ledger.submit([
            TransferRequest(
                id: try TransferID("subsidy-1"), kind: .posted(debit: payable, credit: promotion, amount: try cny("2.00")),
                code: TransferType.promotionSubsidy.code),
            TransferRequest(
                id: try TransferID("correction-1"), kind: .posted(debit: promotion, credit: payable, amount: try cny("5.00")),
                code: TransferType.correction.code),
        ])
        #expect(results == [.created, .created])
        let settlement = try fixture.settle("m1", through: "2027-03-02T00:00:00Z", at: "2027-03-02T01:00:00Z", id: "s1")
        #expect(settlement.lines.map(\.kind) == [.capture, .promotionSubsidy, .adjustment])
        #expect(settlement.lines.map(\.net) == [try cny("120.02"), try cny("-2.00"), try cny("5.00")])
        #expect((settlement.subsidies.minorUnits, settlement.adjustments.minorUnits) == (200, 500))
        #expect(settlement.payout == (try cny("123.02")))
        #expect(try fixture.payable("m1") == 0)
        #expect(try fixture.ledger.verify().firstViolation == nil)
    }

    @Test("a settlement that pays tells the merchant settlement.paid; one that leaves a debt, settlement.carried_over with the same figures; one that closes at zero, nothing", arguments: StoreKind.available)
    func settlementEvents(kind: StoreKind) throws {
        let fixture = try SettlementFixture(kind)
        let merchant = try MerchantID("m1")
        let webhooks = WebhookService(database: fixture.store.database, clock: fixture.store.clock)
        func events() throws -> [(type: WebhookEventType, stream: String, data: [String: Any])] {
            try webhooks.events(merchant: merchant).reversed().map { event in
                let data = try JSONSerialization.jsonObject(with: Data(event.data.utf8)) as? [String: Any]
                return (event.type, event.orderID, try #require(data))
            }
        }
        func amount(_ value: Any?) -> Int64? { ((value as? [String: Any])?["amount"] as? NSNumber)?.int64Value }

        try fixture.capture("m1", plan: "p1", "100.00", at: "2027-03-01T10:00:00Z")
        _ = try fixture.settle("m1", through: "2027-03-02T00:00:00Z", at: "2027-03-02T01:00:00Z", id: "d1")
        try fixture.refund(plan: "p1", "100.00", at: "2027-03-02T10:00:00Z")
        let debt = try fixture.settle("m1", through: "2027-03-03T00:00:00Z", at: "2027-03-03T01:00:00Z", id: "d2")
        #expect(debt.payout.isZero)
        #expect(debt.carriedOver == (try cny("-100.00")))

        let afterDebt = try events()
        #expect(afterDebt.map(\.type) == [.settlementPaid, .settlementCarriedOver])
        #expect(afterDebt.map(\.stream) == ["settlements:CNY", "settlements:CNY"])
        let carried = try #require(afterDebt.last).data
        #expect(carried["settlement_id"] as? String == "d2")
        #expect(carried["currency"] as? String == "CNY")
        #expect(amount(carried["carried_over"]) == -10_000)
        #expect(amount(carried["refunds"]) == 10_000)
        #expect(amount(carried["payout"]) == 0)
        #expect(amount(carried["brought_forward"]) == 0)
        #expect(Set(carried.keys) == Set(try #require(afterDebt.first).data.keys), "the same figures as settlement.paid")

        // A capture that exactly clears the debt after the discount closes at zero: no payout and no debt to tell of.
        try fixture.capture("m1", plan: "p2", "102.87", at: "2027-03-03T10:00:00Z")  // 102.87 − (2.57 + 0.30) = 100.00
        let even = try fixture.settle("m1", through: "2027-03-04T00:00:00Z", at: "2027-03-04T01:00:00Z", id: "d3")
        #expect(even.payout.isZero && even.carriedOver.isZero)
        #expect(try events().count == 2)

        // A settlement asked for by id with nothing to settle repeats no debt.
        try fixture.refund(plan: "p2", "102.87", at: "2027-03-04T10:00:00Z")
        _ = try fixture.settle("m1", through: "2027-03-05T00:00:00Z", at: "2027-03-05T01:00:00Z", id: "d4")
        let empty = try fixture.settle("m1", through: "2027-03-06T00:00:00Z", at: "2027-03-06T01:00:00Z", id: "d5")
        #expect(empty.lines.isEmpty)
        #expect(empty.carriedOver == (try cny("-102.87")))
        #expect(try events().map(\.type) == [.settlementPaid, .settlementCarriedOver, .settlementCarriedOver])
    }

    @Test("a merchant's balance is its payable now and its latest settlement: a debt shows below zero, the lines since add to it, and a merchant with no payable has no balance", arguments: StoreKind.available)
    func merchantBalance(kind: StoreKind) throws {
        let fixture = try SettlementFixture(kind)
        let merchant = try MerchantID("m1")
        #expect(try fixture.settlements.balances(merchant: merchant).isEmpty)

        try fixture.capture("m1", plan: "p1", "100.00", at: "2027-03-01T10:00:00Z")
        let first = try #require(try Self.onlyBalance(fixture, merchant))
        #expect(first.currency == .CNY)
        #expect(first.balance == (try cny("100.00")))
        #expect(first.latestSettlement == nil && first.carriedOver.isZero)
        #expect(first.sinceLatestSettlement == (try cny("100.00")))

        _ = try fixture.settle("m1", through: "2027-03-02T00:00:00Z", at: "2027-03-02T01:00:00Z", id: "d1")
        try fixture.refund(plan: "p1", "100.00", at: "2027-03-02T10:00:00Z")
        _ = try fixture.settle("m1", through: "2027-03-03T00:00:00Z", at: "2027-03-03T01:00:00Z", id: "d2")
        try fixture.capture("m1", plan: "p2", "40.00", at: "2027-03-03T10:00:00Z")

        let owing = try #require(try Self.onlyBalance(fixture, merchant))
        #expect(owing.balance == (try cny("-60.00")), "the 100.00 debt less the 40.00 captured since")
        #expect(owing.carriedOver == (try cny("-100.00")))
        #expect(owing.sinceLatestSettlement == (try cny("40.00")))
        #expect(owing.latestSettlement?.id == "d2")
        #expect(owing.balance.minorUnits == (try fixture.payable("m1")))
        #expect(try fixture.settlements.balances(merchant: try MerchantID("m2")).isEmpty)
    }

    /// Review r7: the end of day's rerun of a date compared the stored settlement's pricing with the merchant's new
    /// one and failed the merchant, so parts an interrupted run had not made were never made.
    @Test("an end of day rerun after the merchant's pricing changed finds the date's settlement made at its own pricing, and fails nothing; a settlement asked for by id with other pricing is still refused", arguments: StoreKind.available)
    func rerunAfterPricingChange(kind: StoreKind) throws {
        let fixture = try SettlementFixture(kind)
        try fixture.capture("m1", plan: "p1", "123.40", at: "2027-03-01T10:00:00Z")
        let date = try LocalDate(iso8601: "2027-03-01")
        let cutoff = try Instant(iso8601: "2027-03-02T00:00:00Z")
        try fixture.at("2027-03-02T01:00:00Z")
        let old = fixture.pricing
        let run = try fixture.settlements.settleAll(currency: .CNY, through: cutoff, pricing: { _ in old }, date: date)
        #expect(run.settlements.count == 1 && run.failures.isEmpty)
        let new = try MerchantPricing(discountRate: BasisPoints(100), fixedFeePerOrder: .zero(.CNY), currency: .CNY)
        let rerun = try fixture.settlements.settleAll(currency: .CNY, through: cutoff, pricing: { _ in new }, date: date)
        #expect(rerun.failures.isEmpty, "\(rerun.failures)")
        #expect(rerun.madeEarlier == run.settlements)
        #expect(rerun.madeEarlier.first?.discountRate == old.discountRate, "made at the pricing of its day")
        let id = try #require(run.settlements.first?.id)
        #expect(throws: SettlementError.settlementReused(id)) {
            try fixture.settlements.settle(
                merchant: try MerchantID("m1"), currency: .CNY, through: cutoff, pricing: new, settlementID: id)
        }
    }

    /// The merchant's one balance, or nil when it has none or several.
    private static func onlyBalance(_ fixture: SettlementFixture, _ merchant: MerchantID) throws -> MerchantBalance? {
        let balances = try fixture.settlements.balances(merchant: merchant)
        return balances.count == 1 ? balances[0] : nil
    }
}
