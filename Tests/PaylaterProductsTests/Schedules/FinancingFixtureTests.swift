import PaylaterMoney
import PaylaterProducts
import PaylaterTime
import Testing

@Suite("Financing schedules match the independent fixtures (numpy-financial, decimal half-even)")
struct FinancingFixtureTests {
    @Test("every row matches the fixture exactly", arguments: ScheduleFixtures.financing)
    func matchesFixture(_ fixture: FinancingFixture) throws {
        let currency = Sched.currency(fixture.currency)
        let rate = Sched.rate(fixture.monthlyRate)
        let terms: ScheduleTerms =
            switch fixture.kind {
            case .equalInstallments: .financingEqualInstallments(months: fixture.months, monthlyRate: rate)
            case .equalPrincipal: .financingEqualPrincipal(months: fixture.months, monthlyRate: rate)
            }
        let schedule = try ScheduleGenerator.schedule(
            for: terms, principal: Money(minorUnits: fixture.principalMinorUnits, currency: currency),
            start: Fixture.date(fixture.start), remainder: .first)
        try #require(schedule.installments.count == fixture.rows.count)
        for (installment, row) in zip(schedule.installments, fixture.rows) {
            #expect(installment.number == row.number)
            #expect(installment.dueDate.description == row.dueDate)
            #expect(installment.principal == Money(minorUnits: row.principal, currency: currency))
            #expect(installment.fee == Money(minorUnits: row.interest, currency: currency))
            #expect(installment.total == Money(minorUnits: row.total, currency: currency))
        }
        #expect(schedule.principal.minorUnits == fixture.principalMinorUnits)
        #expect(schedule.totalFees.minorUnits == fixture.rows.reduce(0) { $0 + $1.interest })
        #expect(schedule.total.minorUnits == fixture.rows.reduce(0) { $0 + $1.total })
    }

    @Test("equal installments: every payment but the last equals the rounded annuity payment",
          arguments: ScheduleFixtures.financing.filter { $0.kind == .equalInstallments && $0.paymentMinorUnits > 0 })
    func annuityPayment(_ fixture: FinancingFixture) throws {
        let schedule = try ScheduleGenerator.schedule(
            for: .financingEqualInstallments(months: fixture.months, monthlyRate: Sched.rate(fixture.monthlyRate)),
            principal: Money(minorUnits: fixture.principalMinorUnits, currency: Sched.currency(fixture.currency)),
            start: Fixture.date(fixture.start), remainder: .first)
        for installment in schedule.installments.dropLast() {
            #expect(installment.total.minorUnits == fixture.paymentMinorUnits)
        }
    }

    @Test("a fixture covers a zero-decimal currency and a three-decimal currency")
    func currenciesCovered() {
        let exponents = Set(ScheduleFixtures.financing.map { Sched.currency($0.currency).minorUnitExponent })
        #expect(exponents.isSuperset(of: [0, 2, 3]))
    }
}
