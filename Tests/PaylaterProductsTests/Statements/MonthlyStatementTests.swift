import PaylaterMoney
import PaylaterProducts
import PaylaterTime
import Testing

/// A Huabei-like bill: statement on the 1st, due on the 10th, splits in 3, 6 or 12 months at 0.5% a month.
enum Bill {
    static let cycle: BillingCycle = {
        do { return try BillingCycle(statementDay: .day(1), dueDay: 10) } catch { preconditionFailure("valid") }
    }()
    static let offer = SplitOffer(months: [3, 6, 12], monthlyFeeRate: Sched.rate("0.005"))

    static func purchase(_ id: String, _ date: String, _ amount: String, _ currency: Currency = .CNY) -> BillPurchase {
        BillPurchase(id: id, date: Fixture.date(date), amount: Fixture.money(amount, currency))
    }

    static let march = [purchase("o-1", "2026-03-01", "300.00"), purchase("o-2", "2026-03-15", "599.99"),
                        purchase("o-3", "2026-03-31", "300.01")]

    static func aprilPeriod() throws -> StatementPeriod { try cycle.period(statementDate: Fixture.date("2026-04-01")) }
}

@Suite("Monthly statements")
struct MonthlyStatementTests {
    @Test("a statement lists the period's purchases and totals them, due on the due date")
    func totals() throws {
        let statement = try MonthlyStatement(period: Bill.aprilPeriod(), currency: .CNY, purchases: Bill.march)
        #expect(statement.lines.count == 3)
        #expect(statement.total == Fixture.money("1200.00", .CNY))
        #expect(statement.dueDate == Fixture.date("2026-04-10"))
    }

    @Test("a purchase in another currency is refused")
    func currencyMismatch() throws {
        let purchases = Bill.march + [Bill.purchase("usd", "2026-03-02", "10.00", .USD)]
        #expect(throws: StatementError.currencyMismatch(purchase: "usd", found: .USD, expected: .CNY)) {
            try MonthlyStatement(period: Bill.aprilPeriod(), currency: .CNY, purchases: purchases)
        }
    }

    @Test("a purchase outside the period is refused, including one on the statement day", arguments: ["2026-02-28", "2026-04-01"])
    func outsideCycle(_ date: String) throws {
        let period = try Bill.aprilPeriod()
        #expect(throws: StatementError.purchaseOutsideCycle(purchase: "late", date: Fixture.date(date), period: period)) {
            try MonthlyStatement(period: period, currency: .CNY, purchases: [Bill.purchase("late", date, "1.00")])
        }
    }

    @Test("duplicate ids and non-positive amounts are refused")
    func badPurchases() throws {
        let period = try Bill.aprilPeriod()
        #expect(throws: StatementError.duplicatePurchase("o-1")) {
            try MonthlyStatement(period: period, currency: .CNY, purchases: Bill.march + [Bill.march[0]])
        }
        #expect(throws: StatementError.self) {
            try MonthlyStatement(period: period, currency: .CNY, purchases: [Bill.purchase("z", "2026-03-02", "0.00")])
        }
    }

    @Test("splitting the statement in 6: equal principal, 0.5% fee a month, first due on the next due date")
    func splitStatement() throws {
        let statement = try MonthlyStatement(period: Bill.aprilPeriod(), currency: .CNY, purchases: Bill.march)
        let split = try statement.split(months: 6, offer: Bill.offer, on: Fixture.date("2026-04-10"), cycle: Bill.cycle, existing: [])
        #expect(split.subject == .statement(Fixture.date("2026-04-01")))
        #expect(Sched.principals(split.schedule) == Array(repeating: "200.00", count: 6))
        #expect(Sched.fees(split.schedule) == Array(repeating: "6.00", count: 6))
        #expect(Sched.dueDates(split.schedule) == ["2026-05-10", "2026-06-10", "2026-07-10", "2026-08-10", "2026-09-10", "2026-10-10"])
    }

    @Test("a split after the due date is refused")
    func splitAfterDueDate() throws {
        let statement = try MonthlyStatement(period: Bill.aprilPeriod(), currency: .CNY, purchases: Bill.march)
        #expect(throws: StatementError.splitAfterDueDate(requested: Fixture.date("2026-04-11"), dueDate: Fixture.date("2026-04-10"))) {
            try statement.split(months: 3, offer: Bill.offer, on: Fixture.date("2026-04-11"), cycle: Bill.cycle, existing: [])
        }
        // Past the due date the purchases drew late fees and none is offered for a split: the reason is still the
        // due date, not "nothing left to split".
        let late = try MonthlyStatement(period: Bill.aprilPeriod(), currency: .CNY, purchases: [])
        #expect(throws: StatementError.splitAfterDueDate(requested: Fixture.date("2026-04-15"), dueDate: Fixture.date("2026-04-10"))) {
            try late.split(months: 3, offer: Bill.offer, on: Fixture.date("2026-04-15"), cycle: Bill.cycle, existing: [])
        }
    }

    @Test("a second split of the same statement or purchase is refused")
    func secondSplit() throws {
        let statement = try MonthlyStatement(period: Bill.aprilPeriod(), currency: .CNY, purchases: Bill.march)
        let day = Fixture.date("2026-04-05")
        let whole = try statement.split(months: 3, offer: Bill.offer, on: day, cycle: Bill.cycle, existing: [])
        #expect(throws: StatementError.alreadySplit(.statement(Fixture.date("2026-04-01")))) {
            try statement.split(months: 6, offer: Bill.offer, on: day, cycle: Bill.cycle, existing: [whole])
        }
        #expect(throws: StatementError.alreadySplit(.statement(Fixture.date("2026-04-01")))) {
            try statement.split(purchase: "o-2", months: 3, offer: Bill.offer, on: day, cycle: Bill.cycle, existing: [whole])
        }
        let one = try BillSplit.splitting(Bill.march[1], months: 3, offer: Bill.offer, on: day, cycle: Bill.cycle, existing: [])
        #expect(throws: StatementError.alreadySplit(.purchase("o-2"))) {
            try BillSplit.splitting(Bill.march[1], months: 6, offer: Bill.offer, on: day, cycle: Bill.cycle, existing: [one])
        }
    }

    @Test("a split over months the product does not offer is refused")
    func monthsNotOffered() throws {
        let offer = SplitOffer(months: [3, 6], monthlyFeeRate: Sched.rate("0.005"))
        #expect(throws: StatementError.monthsNotOffered(12, offered: [3, 6])) {
            try BillSplit.splitting(Bill.march[0], months: 12, offer: offer, on: Fixture.date("2026-03-02"), cycle: Bill.cycle, existing: [])
        }
    }

    @Test("a purchase split before its statement leaves it; its installments appear on the next statements")
    func splitPurchaseShowsOnlyItsInstallment() throws {
        let split = try BillSplit.splitting(
            Bill.march[1], months: 3, offer: Bill.offer, on: Fixture.date("2026-03-15"), cycle: Bill.cycle, existing: [])
        #expect(Sched.dueDates(split.schedule) == ["2026-05-10", "2026-06-10", "2026-07-10"])
        #expect(Sched.principals(split.schedule) == ["200.00", "200.00", "199.99"])
        #expect(Sched.fees(split.schedule) == ["3.00", "3.00", "3.00"])
        let april = try MonthlyStatement(period: Bill.aprilPeriod(), currency: .CNY, purchases: Bill.march, splits: [split])
        #expect(april.purchases.map(\.id) == ["o-1", "o-3"])
        #expect(april.total == Fixture.money("600.01", .CNY))
        let mayPeriod = try Bill.cycle.period(after: try Bill.aprilPeriod())
        let may = try MonthlyStatement(
            period: mayPeriod, currency: .CNY, purchases: [Bill.purchase("o-4", "2026-04-02", "50.00")], splits: [split])
        #expect(may.lines.count == 2)
        #expect(may.total == Fixture.money("253.00", .CNY))
        guard case let .installment(subject, installment, count) = may.lines[1] else {
            Issue.record("expected the installment line")
            return
        }
        #expect(subject == .purchase("o-2") && installment.number == 1 && count == 3)
    }

    @Test("the whole-statement split leaves out purchases already split by themselves")
    func statementSplitSkipsSplitPurchases() throws {
        let one = try BillSplit.splitting(Bill.march[1], months: 3, offer: Bill.offer, on: Fixture.date("2026-04-02"), cycle: Bill.cycle, existing: [])
        let statement = try MonthlyStatement(period: Bill.aprilPeriod(), currency: .CNY, purchases: Bill.march)
        let whole = try statement.split(months: 3, offer: Bill.offer, on: Fixture.date("2026-04-03"), cycle: Bill.cycle, existing: [one])
        #expect(whole.principal == Fixture.money("600.01", .CNY))
    }

    @Test("a month-end cycle's split lands on every later due date, across February of a leap year")
    func monthEndSplit() throws {
        let cycle = try BillingCycle(statementDay: .lastDayOfMonth, dueDay: 28)
        let purchase = Bill.purchase("o", "2024-01-31", "90.00")
        let split = try BillSplit.splitting(purchase, months: 3, offer: Bill.offer, on: Fixture.date("2024-02-01"), cycle: cycle, existing: [])
        #expect(Sched.dueDates(split.schedule) == ["2024-04-28", "2024-05-28", "2024-06-28"])
        var period = try cycle.period(containing: purchase.date)
        for installment in split.schedule.installments {
            period = try cycle.period(after: period)
            #expect(installment.dueDate == period.dueDate)
        }
    }

    @Test("statement totals equal the sum of their lines, for seeded random purchases and splits")
    func totalsAddUp() throws {
        var random = SplitMix64(seed: 2026_04_10)
        let period = try Bill.aprilPeriod()
        for _ in 0..<200 {
            let purchases = (0..<random.int(in: 1...20)).map { index in
                BillPurchase(
                    id: "o-\(index)", date: try! period.start.adding(days: random.int(in: 0...30)),
                    amount: Money(minorUnits: random.int64(in: 300...5_000_000), currency: .CNY))
            }
            var splits: [BillSplit] = []
            for purchase in purchases where random.chance(percent: 30) {
                splits.append(try BillSplit.splitting(
                    purchase, months: random.element(of: [3, 6, 12]), offer: Bill.offer, on: purchase.date, cycle: Bill.cycle,
                    existing: splits))
            }
            let statement = try MonthlyStatement(period: period, currency: .CNY, purchases: purchases, splits: splits)
            #expect(statement.total.minorUnits == statement.lines.reduce(0) { $0 + $1.amount.minorUnits })
            #expect(statement.lines.allSatisfy { $0.amount.isPositive })
            let next = try MonthlyStatement(period: Bill.cycle.period(after: period), currency: .CNY, purchases: [], splits: splits)
            #expect(next.lines.count == splits.count)
            #expect(next.total.minorUnits == splits.reduce(0) { $0 + $1.schedule.installments[0].total.minorUnits })
        }
    }
}
