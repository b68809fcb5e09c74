import PaylaterMoney
import PaylaterProducts
import PaylaterTime
import Testing

/// Plans for payoff examples: a 6-month split of 1,200.00 CNY at 0.5% (200.00 + 6.00 a month, due the 15th from
/// Feb 15) and 12-month financing of 10,000.00 CNY at 1% a month captured on Jan 31 of a leap year.
enum Plan {
    static let splitStart = Fixture.date("2026-01-15")
    static let split: InstallmentSchedule = schedule(.monthlySplit(months: 6, monthlyFeeRate: Sched.rate("0.005")), "1200.00", splitStart)

    static let financingRate = Sched.rate("0.01")
    static let financingStart = Fixture.date("2024-01-31")
    static let financing: InstallmentSchedule = schedule(
        .financingEqualInstallments(months: 12, monthlyRate: financingRate), "10000.00", financingStart)

    static func schedule(_ terms: ScheduleTerms, _ amount: String, _ start: LocalDate) -> InstallmentSchedule {
        do {
            return try ScheduleGenerator.schedule(for: terms, principal: Fixture.money(amount, .CNY), start: start, remainder: .first)
        } catch { preconditionFailure("a valid plan: \(error)") }
    }

    /// The first `count` installments paid in full, nothing toward the rest.
    static func paid(_ schedule: InstallmentSchedule, first count: Int) -> [Money] {
        schedule.installments.map { $0.number <= count ? $0.total : .zero(.CNY) }
    }

    static func cny(_ text: String) -> Money { Fixture.money(text, .CNY) }
}

@Suite("Early payoff quotes")
struct PayoffQuoteTests {
    struct Case: Sendable, CustomTestStringConvertible {
        let name: String
        let rule: RebateRule
        let date: String
        let paidCount: Int
        let lateFees: String
        // principal, fees earned, rebate, amount
        let expected: [String]
        var testDescription: String { name }
    }

    static let splitCases: [Case] = [
        Case(name: "Huabei rule, the day after capture: the first period's fee is charged, the other five waived",
             rule: .unearnedFees, date: "2026-01-16", paidCount: 0, lateFees: "0.00",
             expected: ["1200.00", "6.00", "30.00", "1206.00"]),
        Case(name: "Huabei rule, on capture day no period has begun: every fee is waived",
             rule: .unearnedFees, date: "2026-01-15", paidCount: 0, lateFees: "0.00",
             expected: ["1200.00", "0.00", "36.00", "1200.00"]),
        Case(name: "Huabei rule, on a due date: that installment is owed, the next period has not begun",
             rule: .unearnedFees, date: "2026-02-15", paidCount: 0, lateFees: "0.00",
             expected: ["1200.00", "6.00", "30.00", "1206.00"]),
        Case(name: "Huabei rule, after two installments paid: the third period's fee only",
             rule: .unearnedFees, date: "2026-03-20", paidCount: 2, lateFees: "0.00",
             expected: ["800.00", "6.00", "18.00", "806.00"]),
        Case(name: "Huabei rule, first installment overdue with a late fee: both periods' fees and the late fee",
             rule: .unearnedFees, date: "2026-02-20", paidCount: 0, lateFees: "15.00",
             expected: ["1200.00", "12.00", "24.00", "1227.00"]),
        Case(name: "no rebate: every scheduled fee remains due",
             rule: .none, date: "2026-01-16", paidCount: 0, lateFees: "0.00",
             expected: ["1200.00", "36.00", "0.00", "1236.00"]),
        Case(name: "on the last due date with five paid: only the last installment",
             rule: .unearnedFees, date: "2026-07-15", paidCount: 5, lateFees: "0.00",
             expected: ["200.00", "6.00", "0.00", "206.00"]),
    ]

    @Test("a monthly split's payoff, itemised", arguments: splitCases)
    func splitPayoff(_ example: Case) throws {
        let quote = try PayoffQuote(
            schedule: Plan.split, start: Plan.splitStart, paid: Plan.paid(Plan.split, first: example.paidCount),
            lateFees: Plan.cny(example.lateFees), date: Fixture.date(example.date), rule: example.rule)
        #expect([quote.outstandingPrincipal, quote.feesEarned, quote.rebate, quote.amount].map(\.decimalString) == example.expected)
        #expect(quote.lateFees == Plan.cny(example.lateFees))
    }

    /// Known answers from `tools/payoff_fixtures.py` (independent Python: numpy_financial schedule, decimal
    /// Actual/365 accrual rounded half-even once).
    static let financingCases: [Case] = [
        Case(name: "15 days after capture: 10,000.00 × 12% × 15/365 = 49.315… → 49.32",
             rule: .actuarialInterest(monthlyRate: Plan.financingRate), date: "2024-02-15", paidCount: 0, lateFees: "0.00",
             expected: ["10000.00", "49.32", "612.54", "10049.32"]),
        Case(name: "the day after capture: one day of interest, 3.29",
             rule: .actuarialInterest(monthlyRate: Plan.financingRate), date: "2024-02-01", paidCount: 0, lateFees: "0.00",
             expected: ["10000.00", "3.29", "658.57", "10003.29"]),
        Case(name: "on the leap-day due date: the first month's interest is owed in full",
             rule: .actuarialInterest(monthlyRate: Plan.financingRate), date: "2024-02-29", paidCount: 0, lateFees: "0.00",
             expected: ["10000.00", "100.00", "561.86", "10100.00"]),
        Case(name: "after one installment paid, 15 days from Feb 29 to Mar 15 on 9,211.51",
             rule: .actuarialInterest(monthlyRate: Plan.financingRate), date: "2024-03-15", paidCount: 1, lateFees: "0.00",
             expected: ["9211.51", "45.43", "516.43", "9256.94"]),
        Case(name: "the day after the Apr 30 month-end due date, three paid",
             rule: .actuarialInterest(monthlyRate: Plan.financingRate), date: "2024-05-01", paidCount: 3, lateFees: "0.00",
             expected: ["7610.80", "2.50", "383.09", "7613.30"]),
    ]

    @Test("financing's payoff with actuarial interest (Actual/365)", arguments: financingCases)
    func financingPayoff(_ example: Case) throws {
        let quote = try PayoffQuote(
            schedule: Plan.financing, start: Plan.financingStart, paid: Plan.paid(Plan.financing, first: example.paidCount),
            lateFees: Plan.cny(example.lateFees), date: Fixture.date(example.date), rule: example.rule)
        #expect([quote.outstandingPrincipal, quote.feesEarned, quote.rebate, quote.amount].map(\.decimalString) == example.expected)
    }

    @Test("the day before a due date accrues one day less than the period: 30 of Feb 29 → Mar 31, below the scheduled interest")
    func dayBeforeDue() throws {
        // 9,211.51 × 0.12 × 30/365 = 90.852… → 90.85, below the 92.12 scheduled (the cap at the scheduled interest
        // only binds for periods longer than 365/12 days).
        let quote = try PayoffQuote(
            schedule: Plan.financing, start: Plan.financingStart, paid: Plan.paid(Plan.financing, first: 1),
            lateFees: Plan.cny("0.00"), date: Fixture.date("2024-03-30"), rule: .actuarialInterest(monthlyRate: Plan.financingRate))
        #expect(Plan.financing.installments[1].fee == Plan.cny("92.12"))
        #expect(quote.feesEarned == Plan.cny("90.85"))
    }

    @Test("inconsistent inputs and a paid plan are refused")
    func refusals() throws {
        let split = Plan.split
        #expect(throws: PayoffError.paidCountMismatch(installments: 6, paid: 1)) {
            try PayoffQuote(schedule: split, start: Plan.splitStart, paid: [Plan.cny("0.00")], lateFees: Plan.cny("0.00"),
                            date: Plan.splitStart, rule: .none)
        }
        #expect(throws: PayoffError.self) {
            try PayoffQuote(schedule: split, start: Plan.splitStart, paid: Plan.paid(split, first: 0), lateFees: Plan.cny("-1.00"),
                            date: Plan.splitStart, rule: .none)
        }
        #expect(throws: PayoffError.dateBeforeStart(date: Fixture.date("2026-01-14"), start: Plan.splitStart)) {
            try PayoffQuote(schedule: split, start: Plan.splitStart, paid: Plan.paid(split, first: 0), lateFees: Plan.cny("0.00"),
                            date: Fixture.date("2026-01-14"), rule: .none)
        }
        #expect(throws: PayoffError.nothingOwed) {
            try PayoffQuote(schedule: split, start: Plan.splitStart, paid: Plan.paid(split, first: 6), lateFees: Plan.cny("0.00"),
                            date: Fixture.date("2026-08-01"), rule: .unearnedFees)
        }
    }

    @Test("a payoff never costs more than the remaining schedule, and no amount is negative")
    func payoffLaws() throws {
        var random = SplitMix64(seed: 2026_07_15)
        for _ in 0..<400 {
            let start = try LocalDate(daysSinceEpoch: random.int64(in: 19_000...21_000))
            let months = random.element(of: [3, 6, 12])
            let rate = try Rational(random.int64(in: 0...200), 10_000)
            let financing = random.chance(percent: 50)
            let terms: ScheduleTerms = financing
                ? .financingEqualInstallments(months: months, monthlyRate: rate)
                : .monthlySplit(months: months, monthlyFeeRate: rate)
            let schedule = try ScheduleGenerator.schedule(
                for: terms, principal: Money(minorUnits: random.int64(in: 1_000...10_000_000), currency: .CNY), start: start,
                remainder: .first)
            // Each installment unpaid, partly paid or paid in full.
            let paid = schedule.installments.map { installment in
                let choice = random.int(in: 0...2)
                let minorUnits = choice == 0 ? 0 : choice == 1 ? random.int64(in: 0...installment.total.minorUnits) : installment.total.minorUnits
                return Money(minorUnits: minorUnits, currency: .CNY)
            }
            let date = try start.adding(days: random.int(in: 0...(months * 31 + 40)))
            let rule = random.element(of: [RebateRule.none, .unearnedFees, .actuarialInterest(monthlyRate: rate)])
            let lateFees = Money(minorUnits: random.chance(percent: 30) ? random.int64(in: 1...5_000) : 0, currency: .CNY)
            let quote: PayoffQuote
            do {
                quote = try PayoffQuote(schedule: schedule, start: start, paid: paid, lateFees: lateFees, date: date, rule: rule)
            } catch {
                guard error == .nothingOwed else { throw error }
                continue
            }
            let parts = [quote.outstandingPrincipal, quote.feesEarned, quote.lateFees, quote.rebate, quote.amount]
            #expect(parts.allSatisfy { !$0.isNegative })
            #expect(quote.amount.minorUnits <= quote.remainingScheduled.minorUnits)
            #expect(quote.amount.minorUnits + quote.rebate.minorUnits == quote.remainingScheduled.minorUnits)
            let unpaid = schedule.total.minorUnits - paid.reduce(0) { $0 + $1.minorUnits }
            #expect(quote.remainingScheduled.minorUnits == unpaid + lateFees.minorUnits)
            if case .none = rule { #expect(quote.rebate.isZero) }
        }
    }
}
