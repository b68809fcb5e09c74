import Foundation
@testable import PaylaterApp
import PaylaterLedger
import PaylaterMoney
import PaylaterProducts
import PaylaterStore
import PaylaterTestSupport
import PaylaterTime
import Testing

/// Consumer c1 with a 2,000.00 CNY line splits 1,200.00 over 6 months at 0.5% a month (200.00 + 6.00 due on the
/// 1st from 2027-04-01), captured on 2027-03-01 under the given rebate rule.
struct PayoffFixture {
    let store: TestStore
    let credit: CreditLineService
    let servicing: ServicingService
    let ledger: LedgerService
    let consumer: ConsumerID
    let plan: PlanID

    init(_ kind: StoreKind, rule: RebateRule, lateFees: LateFeePolicy? = nil) throws {
        store = try TestStore(kind)
        store.clock.set(to: try Instant(iso8601: "2027-03-01T10:00:00Z"))
        credit = CreditLineService(database: store.database, clock: store.clock)
        servicing = ServicingService(database: store.database, clock: store.clock)
        ledger = LedgerService(database: store.database, clock: store.clock)
        consumer = try ConsumerID("c1")
        plan = try PlanID("split-1")
        try credit.open(consumer, .CNY)
        _ = try credit.setFundingCapacity(try cny("1000000.00"), changeID: try TransferID("capacity-1"))
        _ = try credit.setLimit(consumer, to: try cny("2000.00"), changeID: try TransferID("limit-1"))
        let schedule = try ScheduleGenerator.schedule(
            for: .monthlySplit(months: 6, monthlyFeeRate: try Rational(parsing: "0.005")), principal: try cny("1200.00"),
            start: try LocalDate(iso8601: "2027-03-01"), remainder: .first)
        _ = try servicing.openPlan(NewPlan(
            consumer: consumer, merchant: try MerchantID("m1"), plan: plan, productID: "monthly-split-6", schedule: schedule,
            lateFeePolicy: lateFees, rebateRule: rule))
    }

    func at(_ iso8601: String) throws { store.clock.set(to: try Instant(iso8601: iso8601)) }

    /// Debits less credits: positive for receivables and cash, negative for income.
    func balance(_ id: AccountID) throws -> Int64 {
        guard let account = try ledger.account(id) else { return 0 }
        return account.balance.debitsPosted - account.balance.creditsPosted
    }

    /// The receivables equal what the plan owes, the limit in use equals its principal, and the ledger is sound.
    func expectLedgerMatchesPlan() throws {
        let plan = try servicing.plan(consumer: consumer, plan: self.plan).plan
        #expect(try balance(ChartOfAccounts.plan(self.plan, .planReceivable, .CNY)) == plan.principalOwed.minorUnits)
        #expect(
            try balance(ChartOfAccounts.plan(self.plan, .planFeeReceivable, .CNY))
                == plan.feesOwed.minorUnits + plan.lateFeesOwed.minorUnits)
        #expect(try credit.creditLine(consumer, .CNY).used.minorUnits == plan.principalOwed.minorUnits)
        #expect(try balance(ChartOfAccounts.platform(.platformExposureUsed, .CNY)) == -plan.principalOwed.minorUnits)
        #expect(try ledger.verify().firstViolation == nil)
    }
}

@Suite("Paying a plan off early through servicing")
struct ServicingPayoffTests {
    struct Example: Sendable, CustomTestStringConvertible {
        let name: String
        let rule: RebateRule
        let amount: String
        let rebate: String
        var testDescription: String { name }
    }

    static let halfPercent: Rational = {
        do { return try Rational(1, 200) } catch { preconditionFailure("a valid rate") }
    }()

    /// Paid off on 2027-03-16, halfway through the first period.
    static let examples: [Example] = [
        Example(name: "no rebate: every scheduled fee is paid", rule: .none, amount: "1236.00", rebate: "0.00"),
        Example(name: "Huabei rule: the first period's fee is paid, five are waived", rule: .unearnedFees, amount: "1206.00", rebate: "30.00"),
        // 1,200.00 × 0.5% × 12 × 15/365 = 2.958… → 2.96.
        Example(
            name: "actuarial: 15 days of interest on the balance", rule: .actuarialInterest(monthlyRate: halfPercent),
            amount: "1202.96", rebate: "33.04"),
    ]

    static var cases: [(StoreKind, Example)] { StoreKind.available.flatMap { kind in examples.map { (kind, $0) } } }

    @Test("a payoff pays the quote, posts the rebate out of income, settles the plan and gives the limit back", arguments: cases)
    func payOff(kind: StoreKind, example: Example) throws {
        let fixture = try PayoffFixture(kind, rule: example.rule)
        let (servicing, consumer, plan) = (fixture.servicing, fixture.consumer, fixture.plan)
        try fixture.at("2027-03-16T10:00:00Z")
        let quote = try servicing.payoffQuote(consumer: consumer, plan: plan, on: try LocalDate(iso8601: "2027-03-16"))
        #expect(quote.amount == (try cny(example.amount)))
        #expect(quote.rebate == (try cny(example.rebate)))

        let receipt = try servicing.payOff(consumer: consumer, plan: plan, amount: quote.amount, operationID: "payoff-1")
        #expect(receipt.principal == (try cny("1200.00")))
        #expect(receipt.rebate == quote.rebate)
        #expect(receipt.status == .paidOff(on: try LocalDate(iso8601: "2027-03-16")))
        #expect(try fixture.balance(ChartOfAccounts.platform(.platformCash, .CNY)) == quote.amount.minorUnits)
        // Fee income keeps only what was earned: the 36.00 booked at capture less the rebate.
        #expect(try fixture.balance(ChartOfAccounts.platform(.feeIncome, .CNY)) == -(3_600 - quote.rebate.minorUnits))
        #expect(try fixture.credit.creditLine(consumer, .CNY).available == (try cny("2000.00")))
        try fixture.expectLedgerMatchesPlan()
    }

    @Test("a retried payoff returns the first receipt and posts nothing; a reused id with another amount is refused", arguments: StoreKind.available)
    func idempotent(kind: StoreKind) throws {
        let fixture = try PayoffFixture(kind, rule: .unearnedFees)
        let (servicing, consumer, plan) = (fixture.servicing, fixture.consumer, fixture.plan)
        try fixture.at("2027-03-16T10:00:00Z")
        let first = try servicing.payOff(consumer: consumer, plan: plan, amount: try cny("1206.00"), operationID: "payoff-1")
        try fixture.at("2027-03-17T10:00:00Z")
        let again = try servicing.payOff(consumer: consumer, plan: plan, amount: try cny("1206.00"), operationID: "payoff-1")
        #expect(again == first)
        #expect(try fixture.balance(ChartOfAccounts.platform(.platformCash, .CNY)) == 120_600)
        #expect(throws: ServicingError.operationReused("payoff-1")) {
            try servicing.payOff(consumer: consumer, plan: plan, amount: try cny("1236.00"), operationID: "payoff-1")
        }
        #expect(throws: ServicingError.plan(.alreadySettled)) {
            try servicing.payOff(consumer: consumer, plan: plan, amount: try cny("1206.00"), operationID: "payoff-2")
        }
        try fixture.expectLedgerMatchesPlan()
    }

    @Test("an amount other than the quote is refused naming the quote, and changes nothing", arguments: StoreKind.available)
    func wrongAmount(kind: StoreKind) throws {
        let fixture = try PayoffFixture(kind, rule: .unearnedFees)
        let (servicing, consumer, plan) = (fixture.servicing, fixture.consumer, fixture.plan)
        try fixture.at("2027-03-16T10:00:00Z")
        #expect(throws: ServicingError.plan(.payoffAmountMismatch(offered: try cny("1236.00"), quoted: try cny("1206.00")))) {
            try servicing.payOff(consumer: consumer, plan: plan, amount: try cny("1236.00"), operationID: "payoff-1")
        }
        #expect(try servicing.plan(consumer: consumer, plan: plan).plan.status == .active)
        #expect(try fixture.balance(ChartOfAccounts.platform(.platformCash, .CNY)) == 0)
        // The refused operation id was not spent.
        _ = try servicing.payOff(consumer: consumer, plan: plan, amount: try cny("1206.00"), operationID: "payoff-1")
        try fixture.expectLedgerMatchesPlan()
    }

    @Test("after a payment and a late fee, a payoff collects the late fee and the earned fees and rebates the rest", arguments: StoreKind.available)
    func afterPaymentAndLateFee(kind: StoreKind) throws {
        let policy = try LateFeePolicy(first: LateFeeAmount(fixed: try cny("10.00")), orderCapPercentage: BasisPoints(2500))
        let fixture = try PayoffFixture(kind, rule: .unearnedFees, lateFees: policy)
        let (servicing, consumer, plan) = (fixture.servicing, fixture.consumer, fixture.plan)
        try fixture.at("2027-04-01T10:00:00Z")
        _ = try servicing.pay(consumer: consumer, plan: plan, amount: try cny("206.00"), operationID: "pay-1")
        // The second installment (due May 1) goes unpaid and is charged a late fee on May 2.
        let endOfDay = try servicing.runEndOfDay(on: try LocalDate(iso8601: "2027-05-02"))
        #expect(endOfDay.lateFees[.CNY] == (try cny("10.00")))
        try fixture.at("2027-05-02T10:00:00Z")
        // Principal 1,000.00; fees of the overdue May installment and the current June period; the late fee;
        // the July, August and September fees waived.
        let quote = try servicing.payoffQuote(consumer: consumer, plan: plan, on: try LocalDate(iso8601: "2027-05-02"))
        #expect(quote.amount == (try cny("1022.00")))
        #expect(quote.rebate == (try cny("18.00")))
        let receipt = try servicing.payOff(consumer: consumer, plan: plan, amount: quote.amount, operationID: "payoff-1")
        #expect(receipt.lateFees == (try cny("10.00")))
        #expect(receipt.fees == (try cny("12.00")))
        try fixture.expectLedgerMatchesPlan()
        // A settled plan is not charged again by the end of day.
        #expect(try servicing.runEndOfDay(on: try LocalDate(iso8601: "2027-06-10")).plansExamined == 0)
    }
}

extension ServicingPayoffTests {
    @Test("fees paid ahead for periods not begun come back to the shopper's credit balance; the total is a straight payoff's", arguments: StoreKind.available)
    func prepaidFeesReturned(kind: StoreKind) throws {
        let fixture = try PayoffFixture(kind, rule: .unearnedFees)
        let (servicing, consumer, plan) = (fixture.servicing, fixture.consumer, fixture.plan)
        try fixture.at("2027-03-05T10:00:00Z")
        // Two installments at once: the second's fee (6.00) is for a period (April) that never begins.
        _ = try servicing.pay(consumer: consumer, plan: plan, amount: try cny("412.00"), operationID: "pay-1")
        try fixture.at("2027-03-06T10:00:00Z")
        let quote = try servicing.payoffQuote(consumer: consumer, plan: plan, on: try LocalDate(iso8601: "2027-03-06"))
        #expect(quote.amount == (try cny("800.00")))
        #expect(quote.rebate == (try cny("24.00")))
        #expect(quote.feesReturned == (try cny("6.00")))
        let receipt = try servicing.payOff(consumer: consumer, plan: plan, amount: quote.amount, operationID: "payoff-1")
        #expect(receipt.feesReturned == (try cny("6.00")))
        // 412.00 + 800.00 − 6.00 = 1,206.00, what paying off on March 6 without paying early costs.
        #expect(try fixture.balance(ChartOfAccounts.platform(.platformCash, .CNY)) == 121_200)
        #expect(try fixture.balance(ChartOfAccounts.consumer(consumer, .consumerCreditBalance, .CNY)) == -600)
        #expect(try fixture.balance(ChartOfAccounts.platform(.feeIncome, .CNY)) == -600)
        try fixture.expectLedgerMatchesPlan()
        // A retry answers the stored receipt, returned fees included, and posts nothing more.
        #expect(try servicing.payOff(consumer: consumer, plan: plan, amount: quote.amount, operationID: "payoff-1") == receipt)
        #expect(try fixture.balance(ChartOfAccounts.consumer(consumer, .consumerCreditBalance, .CNY)) == -600)
    }

    @Test("a payoff receipt stored before prepaid fees were returned reads as returning none")
    func oldReceiptDecodes() throws {
        let zero = try cny("0.00")
        let current = PayoffReceipt(
            operationID: "p", planID: "x", amount: try cny("1.00"), principal: try cny("1.00"), fees: zero, lateFees: zero,
            rebate: zero, feesReturned: try cny("0.50"), status: .paidOff(on: try LocalDate(iso8601: "2027-03-06")))
        var object = try #require(try JSONSerialization.jsonObject(with: try JSONEncoder().encode(current)) as? [String: Any])
        #expect(object["feesReturned"] != nil)
        object["feesReturned"] = nil
        let receipt = try JSONDecoder().decode(PayoffReceipt.self, from: try JSONSerialization.data(withJSONObject: object))
        #expect(receipt.feesReturned == (try cny("0.00")))
    }
}

@Suite("Paying off a plan captured at checkout")
struct CheckoutPayoffTests {
    /// 600.00 CNY captured in full on the checkout fixture's day, 2027-03-01.
    static func captured(_ kind: StoreKind, product: String) throws -> (CheckoutFixture, ConsumerID, PlanID) {
        let fixture = try CheckoutFixture(kind)
        let order = try fixture.approvedOrder("600.00", product: product)
        _ = try fixture.checkout.capture(merchant: fixture.merchant.id, orderID: order.id, amount: nil, captureID: "cap-1")
        return (fixture, try ConsumerID("c1"), try PlanID("\(order.id)-p1"))
    }

    @Test("financing paid off the day after capture owes one day's interest; the rest is rebated", arguments: StoreKind.available)
    func financingNextDay(kind: StoreKind) throws {
        let (fixture, consumer, plan) = try Self.captured(kind, product: "financing-12")
        let scheduledInterest = try fixture.servicing.plan(consumer: consumer, plan: plan).plan.feesOwed
        #expect(scheduledInterest == (try cny("39.73")))
        fixture.store.clock.set(to: try Instant(iso8601: "2027-03-02T10:00:00Z"))
        // One day at 1% a month: 600.00 × 12% / 365, computed apart from the product's own arithmetic.
        let oneDay = Int64((60_000.0 * 0.01 * 12 / 365).rounded())
        #expect(oneDay == 20)
        let quote = try fixture.servicing.payoffQuote(consumer: consumer, plan: plan, on: try LocalDate(iso8601: "2027-03-02"))
        #expect(quote.feesEarned.minorUnits == oneDay)
        #expect(quote.rebate.minorUnits == scheduledInterest.minorUnits - oneDay)
        #expect(quote.amount.minorUnits == 60_000 + oneDay)
        let receipt = try fixture.servicing.payOff(consumer: consumer, plan: plan, amount: quote.amount, operationID: "payoff-1")
        #expect(receipt.rebate == quote.rebate)
        let ledger = LedgerService(database: fixture.store.database, clock: fixture.store.clock)
        let income = try #require(try ledger.account(ChartOfAccounts.platform(.interestIncome, .CNY)))
        #expect(income.balance.creditsPosted - income.balance.debitsPosted == oneDay)
        #expect(try ledger.verify().firstViolation == nil)
    }

    @Test("a monthly split paid off before its first period begins owes no fee", arguments: StoreKind.available)
    func splitSameDay(kind: StoreKind) throws {
        let (fixture, consumer, plan) = try Self.captured(kind, product: "monthly-split-6")
        let quote = try fixture.servicing.payoffQuote(consumer: consumer, plan: plan, on: fixture.servicing.today())
        #expect(quote.amount == (try cny("600.00")))
        #expect(quote.feesEarned.isZero)
        #expect(quote.rebate == (try cny("18.00")))
    }
    @Test("a payment of everything owed, early, is a payoff: the rebate is the same, the rest is the shopper's", arguments: StoreKind.available)
    func paymentCoveringThePayoff(kind: StoreKind) throws {
        let fixture = try PayoffFixture(kind, rule: .unearnedFees)
        let (servicing, consumer, plan) = (fixture.servicing, fixture.consumer, fixture.plan)
        try fixture.at("2027-04-10T10:00:00Z")
        let quote = try servicing.payoffQuote(consumer: consumer, plan: plan, on: try LocalDate(iso8601: "2027-04-10"))
        #expect(quote.rebate.isPositive)
        let kept = try cny("1236.00") - quote.amount
        #expect(kept == quote.rebate, "everything owed less the payoff amount is what the rule waives")

        let receipt = try servicing.pay(consumer: consumer, plan: plan, amount: try cny("1236.00"), operationID: "pay-all")
        #expect(receipt.status == .paidOff(on: try LocalDate(iso8601: "2027-04-10")))
        #expect(receipt.rebate == quote.rebate)
        #expect(receipt.fees == quote.feesEarned)
        #expect(receipt.overpayment == kept, "what a payoff did not need is the shopper's")
        #expect(try fixture.balance(ChartOfAccounts.consumer(consumer, .consumerCreditBalance, .CNY)) == -kept.minorUnits)
        #expect(try servicing.pay(consumer: consumer, plan: plan, amount: try cny("1236.00"), operationID: "pay-all") == receipt)
        try fixture.expectLedgerMatchesPlan()
    }

    @Test("a payment short of the payoff amount, or on a plan whose rule rebates nothing, is an ordinary payment; one that pays the plan off says it rebated nothing",
          arguments: StoreKind.available)
    func paymentNotCoveringThePayoff(kind: StoreKind) throws {
        let short = try PayoffFixture(kind, rule: .unearnedFees)
        try short.at("2027-04-10T10:00:00Z")
        let quoted = try short.servicing.payoffQuote(
            consumer: short.consumer, plan: short.plan, on: try LocalDate(iso8601: "2027-04-10")).amount
        let part = try short.servicing.pay(
            consumer: short.consumer, plan: short.plan, amount: try quoted - (try cny("0.01")), operationID: "pay-most")
        #expect(part.rebate == nil && part.status.isOpen)
        try short.expectLedgerMatchesPlan()

        let none = try PayoffFixture(kind, rule: .none)
        let all = try none.servicing.pay(consumer: none.consumer, plan: none.plan, amount: try cny("1236.00"), operationID: "pay-all")
        let nothing = try cny("0.00")
        #expect(all.rebate == nothing && all.feesReturned == nothing && all.overpayment.isZero)
        #expect(!all.status.isOpen)
        #expect(all.fees == (try cny("36.00")))
        try none.expectLedgerMatchesPlan()
    }
}
