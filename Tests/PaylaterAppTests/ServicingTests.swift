@testable import PaylaterApp
import PaylaterLedger
import PaylaterMoney
import PaylaterProducts
import PaylaterStore
import PaylaterTestSupport
import PaylaterTime
import Testing

/// Consumer c1 with a 1,000.00 CNY line buys 400.00 on pay in 4 from merchant m1 on 2027-03-01.
struct ServicingFixture {
    let store: TestStore
    let credit: CreditLineService
    let servicing: ServicingService
    let ledger: LedgerService
    let consumer: ConsumerID
    let merchant: MerchantID
    let plan: PlanID

    init(_ kind: StoreKind, lateFees: LateFeePolicy? = nil, terms: ScheduleTerms = .payIn4(intervalDays: 14)) throws {
        store = try TestStore(kind)
        store.clock.set(to: try Instant(iso8601: "2027-03-01T10:00:00Z"))
        credit = CreditLineService(database: store.database, clock: store.clock)
        servicing = ServicingService(database: store.database, clock: store.clock)
        ledger = LedgerService(database: store.database, clock: store.clock)
        consumer = try ConsumerID("c1")
        merchant = try MerchantID("m1")
        plan = try PlanID("p1")
        try credit.open(consumer, .CNY)
        _ = try credit.setFundingCapacity(try cny("1000000.00"), changeID: try TransferID("capacity-1"))
        _ = try credit.setLimit(consumer, to: try cny("1000.00"), changeID: try TransferID("limit-1"))
        _ = try credit.placeHold(consumer, holdID: try TransferID("hold-1"), amount: try cny("400.00"), timeout: .seconds(86_400))
        let schedule = try ScheduleGenerator.schedule(
            for: terms, principal: try cny("400.00"), start: try LocalDate(iso8601: "2027-03-01"), remainder: .first)
        let isLoan = if case .financingEqualInstallments = terms { true } else { false }
        _ = try servicing.openPlan(NewPlan(
            consumer: consumer, merchant: merchant, plan: plan, productID: isLoan ? "financing-12" : "pay-in-4",
            schedule: schedule, lateFeePolicy: lateFees, chargesAreInterest: isLoan, hold: try TransferID("hold-1")))
    }

    /// 10.00 after two days' grace, 7.00 a week later, at most the lower of 25% of the order and 68.00.
    static func lateFees() throws -> LateFeePolicy {
        try LateFeePolicy(
            first: LateFeeAmount(fixed: try cny("10.00")), graceDays: 2,
            followUp: LateFeeFollowUp(afterDays: 7, amount: LateFeeAmount(fixed: try cny("7.00"))),
            orderCapPercentage: BasisPoints(2500), orderCapAmount: try cny("68.00"))
    }

    func balance(_ id: AccountID) throws -> Int64 {
        guard let account = try ledger.account(id) else { return 0 }
        let balance = account.balance
        return balance.debitsPosted - balance.creditsPosted
    }

    func line() throws -> CreditLine { try credit.creditLine(consumer, .CNY) }

    /// The ledger's receivables equal what the plan says is owed, and the ledger is sound.
    func expectLedgerMatchesPlan() throws {
        let plan = try servicing.plan(consumer: consumer, plan: self.plan).plan
        #expect(try balance(ChartOfAccounts.plan(self.plan, .planReceivable, .CNY)) == plan.principalOwed.minorUnits)
        #expect(
            try balance(ChartOfAccounts.plan(self.plan, .planFeeReceivable, .CNY))
                == plan.feesOwed.minorUnits + plan.lateFeesOwed.minorUnits)
        #expect(try line().used.minorUnits == plan.principalOwed.minorUnits)
        #expect(try ledger.verify().firstViolation == nil)
    }
}

@Suite("Servicing plans against the ledger")
struct ServicingTests {
    @Test("capture, a payment, then a full refund: the shopper gets back what they paid and the limit is whole", arguments: StoreKind.available)
    func lifecycle(kind: StoreKind) throws {
        let fixture = try ServicingFixture(kind)
        let (servicing, consumer, plan) = (fixture.servicing, fixture.consumer, fixture.plan)
        #expect(try fixture.line().used == (try cny("400.00")))
        #expect(try fixture.balance(ChartOfAccounts.merchant(fixture.merchant, .merchantPayable, .CNY)) == -40_000)
        try fixture.expectLedgerMatchesPlan()

        let payment = try servicing.pay(consumer: consumer, plan: plan, amount: try cny("100.00"), operationID: "pay-1")
        #expect(payment.principal == (try cny("100.00")))
        #expect(try fixture.line().available == (try cny("700.00")))
        #expect(try fixture.balance(ChartOfAccounts.platform(.platformCash, .CNY)) == 10_000)
        try fixture.expectLedgerMatchesPlan()

        let refund = try servicing.refund(consumer: consumer, plan: plan, amount: try cny("400.00"), operationID: "refund-1")
        #expect(refund.returnedToShopper == (try cny("100.00")))
        #expect(refund.status == .closedByRefund(on: try LocalDate(iso8601: "2027-03-01")))
        #expect(try fixture.line().available == (try cny("1000.00")))
        #expect(try fixture.balance(ChartOfAccounts.consumer(consumer, .consumerCreditBalance, .CNY)) == -10_000)
        #expect(try fixture.balance(ChartOfAccounts.merchant(fixture.merchant, .merchantPayable, .CNY)) == 0)
        try fixture.expectLedgerMatchesPlan()
    }

    @Test("a loan refunded in part drops the interest of the refunded principal and gives back what was paid of it", arguments: StoreKind.available)
    func loanRefund(kind: StoreKind) throws {
        let fixture = try ServicingFixture(kind, terms: .financingEqualInstallments(months: 12, monthlyRate: try Rational(1, 100)))
        let (servicing, consumer, plan) = (fixture.servicing, fixture.consumer, fixture.plan)
        let interest = ChartOfAccounts.platform(.interestIncome, .CNY)
        let scheduled = try servicing.plan(consumer: consumer, plan: plan).plan
        #expect(try fixture.balance(interest) == -scheduled.feesOwed.minorUnits)
        let first = scheduled.installments[0].principal.minorUnits + scheduled.installments[0].fee.minorUnits
        _ = try servicing.pay(consumer: consumer, plan: plan, amount: Money(minorUnits: first, currency: .CNY), operationID: "pay-1")

        let refund = try servicing.refund(consumer: consumer, plan: plan, amount: try cny("200.00"), operationID: "refund-1")
        let after = try servicing.plan(consumer: consumer, plan: plan).plan
        // The first month's interest was 1% of 400.00; the refund leaves 1% of 200.00, and the rest goes back.
        #expect(refund.returnedToShopper == (try cny("2.00")))
        #expect(after.installments[0].fee == (try cny("2.00")))
        let feesLeft = after.installments.reduce(Int64(0)) { $0 + $1.fee.minorUnits }
        #expect(refund.feesWaived.minorUnits == scheduled.feesOwed.minorUnits - feesLeft)
        #expect(try fixture.balance(interest) == -feesLeft)
        #expect(try fixture.balance(ChartOfAccounts.consumer(consumer, .consumerCreditBalance, .CNY)) == -200)
        try fixture.expectLedgerMatchesPlan()
    }

    @Test("a retried payment returns the first receipt and posts nothing; a reused id with another amount is refused", arguments: StoreKind.available)
    func idempotentPayments(kind: StoreKind) throws {
        let fixture = try ServicingFixture(kind)
        let (servicing, consumer, plan) = (fixture.servicing, fixture.consumer, fixture.plan)
        let first = try servicing.pay(consumer: consumer, plan: plan, amount: try cny("150.00"), operationID: "pay-1")
        fixture.store.clock.advance(by: .seconds(3600))
        let again = try servicing.pay(consumer: consumer, plan: plan, amount: try cny("150.00"), operationID: "pay-1")
        #expect(again == first)
        #expect(try fixture.balance(ChartOfAccounts.platform(.platformCash, .CNY)) == 15_000)
        #expect(throws: ServicingError.operationReused("pay-1")) {
            try servicing.pay(consumer: consumer, plan: plan, amount: try cny("151.00"), operationID: "pay-1")
        }
        #expect(throws: ServicingError.invalidOperationID("bad id")) {
            try servicing.pay(consumer: consumer, plan: plan, amount: try cny("1.00"), operationID: "bad id")
        }
        try fixture.expectLedgerMatchesPlan()
    }

    @Test("a refused request changes nothing", arguments: StoreKind.available)
    func refusedChangesNothing(kind: StoreKind) throws {
        let fixture = try ServicingFixture(kind)
        let (servicing, consumer, plan) = (fixture.servicing, fixture.consumer, fixture.plan)
        #expect(throws: ServicingError.plan(.refundExceedsPrincipal(refund: try cny("400.01"), remaining: try cny("400.00")))) {
            try servicing.refund(consumer: consumer, plan: plan, amount: try cny("400.01"), operationID: "r-1")
        }
        #expect(throws: ServicingError.planNotFound(consumer: "c1", plan: "nope")) {
            try servicing.pay(consumer: consumer, plan: try PlanID("nope"), amount: try cny("1.00"), operationID: "p-1")
        }
        // The refused operation id was not spent.
        _ = try servicing.refund(consumer: consumer, plan: plan, amount: try cny("10.00"), operationID: "r-1")
        try fixture.expectLedgerMatchesPlan()
    }

    @Test("overpaying keeps the rest as the shopper's credit balance", arguments: StoreKind.available)
    func overpayment(kind: StoreKind) throws {
        let fixture = try ServicingFixture(kind)
        let receipt = try fixture.servicing.pay(
            consumer: fixture.consumer, plan: fixture.plan, amount: try cny("450.00"), operationID: "pay-all")
        #expect(receipt.overpayment == (try cny("50.00")))
        #expect(receipt.status == .paidOff(on: try LocalDate(iso8601: "2027-03-01")))
        #expect(try fixture.balance(ChartOfAccounts.consumer(fixture.consumer, .consumerCreditBalance, .CNY)) == -5_000)
        try fixture.expectLedgerMatchesPlan()
    }

    @Test("a credit balance is paid out at most once per operation id and never beyond what it holds, even at once", arguments: StoreKind.available)
    func creditBalancePayouts(kind: StoreKind) throws {
        let fixture = try ServicingFixture(kind)
        _ = try fixture.servicing.pay(consumer: fixture.consumer, plan: fixture.plan, amount: try cny("450.00"), operationID: "pay-all")
        let servicing = fixture.servicing
        let consumer = fixture.consumer
        let first = try servicing.payOutCreditBalance(consumer: consumer, amount: try cny("10.00"), operationID: "out-1")
        #expect(first.balanceAfter == (try cny("40.00")))
        #expect(try servicing.payOutCreditBalance(consumer: consumer, amount: try cny("10.00"), operationID: "out-1") == first)
        #expect(throws: CreditBalanceError.operationReused("out-1")) {
            try servicing.payOutCreditBalance(consumer: consumer, amount: try cny("20.00"), operationID: "out-1")
        }

        let outcomes = concurrently(8) { index in
            try servicing.payOutCreditBalance(consumer: consumer, amount: try cny("15.00"), operationID: "at-once-\(index)")
        }
        #expect(outcomes.successes().count == 2)
        #expect(outcomes.unexpectedFailures { error in
            if case CreditBalanceError.exceedsBalance = error { return true }
            return false
        }.isEmpty)
        #expect(try servicing.creditBalances(consumer: consumer) == [try cny("10.00")])
        #expect(try fixture.ledger.verify().firstViolation == nil)
    }

    @Test("a payment of more than twice what the plan owes is refused and books nothing", arguments: StoreKind.available)
    func overpaymentLimit(kind: StoreKind) throws {
        let fixture = try ServicingFixture(kind)
        let cash = try fixture.balance(ChartOfAccounts.platform(.platformCash, .CNY))
        #expect(throws: ServicingError.plan(.payment(.exceedsOverpaymentLimit(
            payment: try cny("800.01"), owed: try cny("400.00"), maximum: try cny("800.00"))))) {
            try fixture.servicing.pay(
                consumer: fixture.consumer, plan: fixture.plan, amount: try cny("800.01"), operationID: "pay-typo")
        }
        #expect(try fixture.balance(ChartOfAccounts.platform(.platformCash, .CNY)) == cash)
        #expect(try fixture.servicing.plan(consumer: fixture.consumer, plan: fixture.plan).plan.owed == (try cny("400.00")))
        let receipt = try fixture.servicing.pay(
            consumer: fixture.consumer, plan: fixture.plan, amount: try cny("800.00"), operationID: "pay-typo")
        #expect(receipt.overpayment == (try cny("400.00")))
        try fixture.expectLedgerMatchesPlan()
    }

    @Test("end of day charges late fees once per date, posts them, and skips plans paused by a return", arguments: StoreKind.available)
    func endOfDay(kind: StoreKind) throws {
        let fixture = try ServicingFixture(kind, lateFees: try ServicingFixture.lateFees())
        let servicing = fixture.servicing
        let day3 = try servicing.runEndOfDay(on: try LocalDate(iso8601: "2027-03-03"))
        #expect(day3.plansExamined == 1 && day3.plansCharged == 0)
        let day4 = try servicing.runEndOfDay(on: try LocalDate(iso8601: "2027-03-04"), pageSize: 1)
        #expect(day4.lateFees[.CNY] == (try cny("10.00")))
        let rerun = try servicing.runEndOfDay(on: try LocalDate(iso8601: "2027-03-04"))
        #expect(rerun.plansAlreadyDone == 1 && rerun.lateFees.isEmpty)
        try fixture.expectLedgerMatchesPlan()
        fixture.store.clock.set(to: try Instant(iso8601: "2027-03-05T09:00:00Z"))
        _ = try servicing.reportReturn(consumer: fixture.consumer, plan: fixture.plan, operationID: "return-1")
        let paused = try servicing.runEndOfDay(on: try LocalDate(iso8601: "2027-03-20"))
        #expect(paused.plansCharged == 0)
        try fixture.expectLedgerMatchesPlan()
    }

    @Test("an end-of-day run with nothing to charge a plan does not write it: its version stays, no run is recorded, and the day a fee falls due is still charged", arguments: StoreKind.available)
    func endOfDayWritesOnlyChanges(kind: StoreKind) throws {
        let fixture = try ServicingFixture(kind, lateFees: try ServicingFixture.lateFees())
        let servicing = fixture.servicing
        func version() throws -> Int64? {
            try fixture.store.database.read { connection in
                try PlanRepository(connection).plan(consumerID: fixture.consumer.rawValue, planID: fixture.plan.rawValue)?.version
            }
        }
        let before = try version()
        // 2027-03-02 and 03-03: one and two days late, inside the two days' grace: nothing to charge.
        for day in ["2027-03-02", "2027-03-03"] {
            let run = try servicing.runEndOfDay(on: try LocalDate(iso8601: day))
            #expect(run.plansExamined == 1 && run.plansCharged == 0 && run.plansWithNothingDue == 1, "\(day)")
        }
        #expect(try version() == before, "nothing was written")
        let date = try LocalDate(iso8601: "2027-03-03")
        #expect(try servicing.previewLateFees(
            fixture.consumer, fixture.plan, DerivedOperationID.lateFees(on: date, planID: fixture.plan.rawValue), on: date)
            == .nothingToDo(.CNY))

        let charged = try servicing.runEndOfDay(on: try LocalDate(iso8601: "2027-03-04"))
        #expect(charged.lateFees[.CNY] == (try cny("10.00")))
        #expect(try version() != before)
        #expect(try servicing.runEndOfDay(on: try LocalDate(iso8601: "2027-03-04")).plansAlreadyDone == 1)
        try fixture.expectLedgerMatchesPlan()
    }

    @Test("a full refund after late fees takes them out of income: the unpaid ones off the receivable, the paid ones to the shopper's credit balance", arguments: StoreKind.available)
    func fullRefundReversesLateFees(kind: StoreKind) throws {
        let fixture = try ServicingFixture(kind, lateFees: try ServicingFixture.lateFees())
        let (servicing, consumer, plan) = (fixture.servicing, fixture.consumer, fixture.plan)
        _ = try servicing.runEndOfDay(on: try LocalDate(iso8601: "2027-03-04"))
        _ = try servicing.runEndOfDay(on: try LocalDate(iso8601: "2027-03-11"))
        let lateFeeIncome = ChartOfAccounts.platform(.lateFeeIncome, .CNY)
        #expect(try fixture.balance(lateFeeIncome) == -1_700)
        fixture.store.clock.set(to: try Instant(iso8601: "2027-03-12T09:00:00Z"))
        _ = try servicing.pay(consumer: consumer, plan: plan, amount: try cny("5.00"), operationID: "pay-1")

        let refund = try servicing.refund(consumer: consumer, plan: plan, amount: try cny("400.00"), operationID: "refund-1")
        #expect(refund.status == .closedByRefund(on: try LocalDate(iso8601: "2027-03-12")))
        #expect(refund.owedAfter.isZero)
        #expect(refund.returnedToShopper == (try cny("5.00")), "the late fee paid comes back")
        #expect(try fixture.balance(lateFeeIncome) == 0)
        #expect(try fixture.balance(ChartOfAccounts.consumer(consumer, .consumerCreditBalance, .CNY)) == -500)
        #expect(try fixture.line().available == (try cny("1000.00")))
        try fixture.expectLedgerMatchesPlan()
    }

    @Test("seeded random payments, refunds, extensions and end-of-day runs keep the ledger balanced and equal to the plan", arguments: [(StoreKind, UInt64)](StoreKind.available.flatMap { kind in (0..<4).map { (kind, UInt64($0)) } }))
    func randomServicing(kind: StoreKind, seed: UInt64) throws {
        let policy = try LateFeePolicy(first: LateFeeAmount(fixed: try cny("5.00"), percentage: BasisPoints(100)), orderCapPercentage: BasisPoints(2500))
        let fixture = try ServicingFixture(kind, lateFees: policy)
        var random = SplitMix64(seed: seed)
        var date = try LocalDate(iso8601: "2027-03-01")
        for step in 0..<25 {
            date = try date.adding(days: random.int(in: 0...9))
            fixture.store.clock.set(to: Instant(utc: LocalDateTime(date: date, time: try LocalTime(hour: 12, minute: 0, second: 0))))
            let plan = try fixture.servicing.plan(consumer: fixture.consumer, plan: fixture.plan).plan
            do {
                switch random.int(in: 0...4) {
                case 0, 1:
                    _ = try fixture.servicing.pay(
                        consumer: fixture.consumer, plan: fixture.plan,
                        amount: Money(minorUnits: random.int64(in: 1...20_000), currency: .CNY), operationID: "pay-\(step)")
                case 2:
                    let room = plan.installments.reduce(Int64(0)) { $0 + $1.principal.minorUnits }
                    guard room > 0 else { continue }
                    _ = try fixture.servicing.refund(
                        consumer: fixture.consumer, plan: fixture.plan,
                        amount: Money(minorUnits: random.int64(in: 1...room), currency: .CNY), operationID: "refund-\(step)")
                case 3:
                    _ = try fixture.servicing.runEndOfDay(on: date)
                default:
                    _ = try fixture.servicing.extendDueDate(
                        consumer: fixture.consumer, plan: fixture.plan, installment: random.int(in: 1...4), days: 3,
                        rule: try DueDateExtension(fee: try cny("1.00")), operationID: "extend-\(step)")
                }
            } catch let error as ServicingError {
                // Refusals by the plan's rules are expected in a random walk; they must change nothing.
                guard case .plan = error else { throw error }
            }
            try fixture.expectLedgerMatchesPlan()
        }
    }
}
