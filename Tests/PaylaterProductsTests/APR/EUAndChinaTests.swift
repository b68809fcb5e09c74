import Foundation
import PaylaterMoney
import PaylaterProducts
import PaylaterTime
import Testing

@Suite("EU Consumer Credit Directive Annex I APR")
struct EUAnnexITests {
    @Test("1,000 advanced and 1,100 repaid a year later is 10%")
    func oneYear() throws {
        let schedule = try Fixture.schedule(
            advance: "1000.00", on: "2023-03-15", [(Fixture.date("2024-03-15"), Fixture.money("1100.00", .EUR))], .EUR)
        let result = try APRCalculator.apr(schedule, method: .eu)
        #expect(result.percentString(decimals: 4) == "10.0000")
        #expect(result.method == .eu)
    }

    @Test("whole months count 1/12 of a year and the odd days 1/365")
    func dayCount() throws {
        // 6 months and 1 day: t = 6/12 + 1/365, so X = 1.05^(1/t) − 1 = 10.1937...%.
        let schedule = try Fixture.schedule(
            advance: "1000.00", on: "2023-01-01", [(Fixture.date("2023-07-02"), Fixture.money("1050.00", .EUR))], .EUR)
        let expected = pow(1.05, 1 / (6.0 / 12 + 1.0 / 365)) - 1
        #expect(abs(try APRCalculator.apr(schedule, method: .eu).annualRate - expected) < 1e-10)
    }

    @Test("for a regular monthly loan the EU rate is the Regulation Z monthly rate compounded")
    func compoundsTheMonthlyRate() throws {
        let schedule = try Fixture.schedule(
            advance: "5000.00", on: "1978-01-10", Fixture.monthly("230.00", count: 24, first: "1978-02-10"))
        let monthly = try APRCalculator.apr(schedule, method: .usRegZ).periodicRate
        let eu = try APRCalculator.apr(schedule, method: .eu).annualRate
        #expect(abs(eu - (pow(1 + monthly, 12) - 1)) < 1e-10)
    }

    @Test("the rate balances Annex I's equation for seeded random monthly schedules")
    func balancesTheEquation() throws {
        var random = SplitMix64(seed: 2026_11_24)
        for _ in 0..<200 {
            let count = random.int(in: 1...36)
            let advance = random.int64(in: 10_000...10_000_000)
            let payments = (0..<count).map { _ in random.int64(in: 1...advance) }
            guard payments.reduce(0, +) >= advance else { continue }
            let flows = payments.enumerated().map { index, minorUnits in
                (try! Fixture.date("2024-01-31").adding(months: index + 1), Money(minorUnits: minorUnits, currency: .EUR))
            }
            let schedule = try CashFlowSchedule(
                currency: .EUR, advances: [(Fixture.date("2024-01-31"), Money(minorUnits: advance, currency: .EUR))],
                payments: flows)
            let x = try APRCalculator.apr(schedule, method: .eu).annualRate
            let discounted = payments.enumerated().reduce(0.0) { sum, flow in
                sum + Double(flow.element) * pow(1 + x, -Double(flow.offset + 1) / 12)
            }
            #expect(abs(discounted - Double(advance)) <= 1e-6 * Double(advance))
        }
    }
}

@Suite("China PBOC 2021 No. 3 IRR APR")
struct ChinaIRRTests {
    /// 12,000 CNY in 12 monthly installments with a 0.6% monthly fee on the original principal: 1,000 principal plus
    /// 72 fee each month (hand-checked: r solves 12000 = 1072 · a(12, r), r ≈ 1.08619% a month).
    func feeInstallments() throws -> CashFlowSchedule {
        try Fixture.schedule(
            advance: "12000.00", on: "2021-04-01", Fixture.monthly("1072.00", count: 12, first: "2021-05-01", .CNY), .CNY)
    }

    @Test("a 0.6% monthly fee on 12 installments is 13.8418% compound and, labelled, 13.0342% simple")
    func feeInstallmentRates() throws {
        let result = try APRCalculator.apr(try feeInstallments(), method: .cnIRR)
        #expect(result.percentString(decimals: 4) == "13.8418")
        let simple = try #require(result.simpleAnnualRate)
        #expect(APRResult.percent(simple, decimals: 4) == "13.0342")
        #expect(result.period == .months(1))
    }

    @Test("the compound rate is (1 + r)^12 − 1 and the simple rate r × 12 for the periodic IRR r")
    func annualisation() throws {
        let result = try APRCalculator.apr(try feeInstallments(), method: .cnIRR)
        let r = result.periodicRate
        let annuity = (1 - pow(1 + r, -12)) / r
        #expect(abs(1072 * annuity - 12000) < 1e-6)
        #expect(abs(result.annualRate - (pow(1 + r, 12) - 1)) < 1e-14)
        #expect(abs(try #require(result.simpleAnnualRate) - 12 * r) < 1e-14)
    }

    @Test("for a regular monthly loan the periodic IRR is the Regulation Z unit-period rate")
    func sameMonthlyRateAsRegulationZ() throws {
        let schedule = try feeInstallments()
        let china = try APRCalculator.apr(schedule, method: .cnIRR)
        let us = try APRCalculator.apr(schedule, method: .usRegZ)
        #expect(abs(china.periodicRate - us.periodicRate) < 1e-12)
        #expect(abs(try #require(china.simpleAnnualRate) - us.annualRate) < 1e-12)
    }
}
