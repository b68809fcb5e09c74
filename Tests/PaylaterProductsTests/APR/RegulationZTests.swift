import PaylaterMoney
import PaylaterProducts
import PaylaterTime
import Testing

/// A published example: the schedule and the APR Appendix J prints, to 2 decimals.
struct PublishedExample: Sendable, CustomTestStringConvertible {
    let citation: String
    let advance: String
    let advanceDate: String
    let payments: @Sendable () -> [(LocalDate, Money)]
    let published: String

    var testDescription: String { citation }
}

/// 12 CFR 1026 Appendix J, examples (c)(1) to (c)(5): amounts, counts, unit periods and the odd periods (t, f) are
/// the published ones. Where the appendix's dates were not available, the dates are chosen to give exactly the
/// published t and f (noted per row).
let appendixJExamples: [PublishedExample] = [
    PublishedExample(
        citation: "(c)(1)(i) monthly, regular first period: $5,000 on 1-10-78, 24 × $230 from 2-10-78",
        advance: "5000.00", advanceDate: "1978-01-10",
        payments: { Fixture.monthly("230.00", count: 24, first: "1978-02-10") }, published: "9.69"),
    PublishedExample(
        citation: "(c)(1)(ii) monthly, long first period t=1 f=19/30: $6,000, 36 × $200 (dates give t, f)",
        advance: "6000.00", advanceDate: "1978-02-10",
        payments: { Fixture.monthly("200.00", count: 36, first: "1978-04-01") }, published: "11.82"),
    PublishedExample(
        citation: "(c)(1)(iii) semimonthly, short first period f=6/15: $5,000, 24 × $219.17 on the 16th and 1st",
        advance: "5000.00", advanceDate: "1978-03-10",
        payments: { Fixture.semimonthly("219.17", count: 24, firstSixteenth: "1978-03-16") }, published: "10.34"),
    PublishedExample(
        citation: "(c)(1)(iv) quarterly, long first period t=1 f=39/90: $10,000 on 5-23-78, 40 × $385 from 10-1-78",
        advance: "10000.00", advanceDate: "1978-05-23",
        payments: { Fixture.monthly("385.00", count: 40, first: "1978-10-01", every: 3) }, published: "8.97"),
    PublishedExample(
        citation: "(c)(1)(v) weekly, long first period t=4 f=4/7: $500 on 3-20-78, 30 × $17.60 from 4-21-78",
        advance: "500.00", advanceDate: "1978-03-20",
        payments: { Fixture.everyDays("17.60", count: 30, first: "1978-04-21", every: 7) }, published: "14.96"),
    PublishedExample(
        citation: "(c)(2)(i) monthly, odd first payment: $5,000, $250 then 23 × $230",
        advance: "5000.00", advanceDate: "1978-01-10",
        payments: {
            [(Fixture.date("1978-02-10"), Fixture.money("250.00"))] + Fixture.monthly("230.00", count: 23, first: "1978-03-10")
        }, published: "10.08"),
    PublishedExample(
        citation: "(c)(2)(ii) every 4 weeks, long first period f=5/28, odd first payment: $400, $39.50 then 11 × $38.31",
        advance: "400.00", advanceDate: "1978-01-10",
        payments: {
            [(Fixture.date("1978-02-12"), Fixture.money("39.50"))]
                + Fixture.everyDays("38.31", count: 11, first: "1978-03-12", every: 28)
        }, published: "28.50"),
    PublishedExample(
        citation: "(c)(3)(i) monthly, odd final payment: $5,000, 23 × $230 then $280",
        advance: "5000.00", advanceDate: "1978-01-10",
        payments: {
            Fixture.monthly("230.00", count: 23, first: "1978-02-10") + [(Fixture.date("1980-01-10"), Fixture.money("280.00"))]
        }, published: "10.50"),
    PublishedExample(
        citation: "(c)(3)(ii) every 2 weeks, short first period f=8/14, odd final payment: $200, 19 × $9.50 then $30",
        advance: "200.00", advanceDate: "1978-01-10",
        payments: {
            Fixture.everyDays("9.50", count: 19, first: "1978-01-18", every: 14)
                + [(Fixture.date("1978-10-11"), Fixture.money("30.00"))]
        }, published: "12.22"),
    PublishedExample(
        citation: "(c)(4)(i) monthly, odd first and final payments: $5,000, $250, 22 × $230, $280",
        advance: "5000.00", advanceDate: "1978-01-10",
        payments: {
            [(Fixture.date("1978-02-10"), Fixture.money("250.00"))] + Fixture.monthly("230.00", count: 22, first: "1978-03-10")
                + [(Fixture.date("1980-01-10"), Fixture.money("280.00"))]
        }, published: "10.90"),
    PublishedExample(
        citation: "(c)(4)(ii) every 2 months, short first period f=52/60: $8,000, $449.36, 18 × $465, $200",
        advance: "8000.00", advanceDate: "1978-01-10",
        payments: {
            [(Fixture.date("1978-03-03"), Fixture.money("449.36"))]
                + Fixture.monthly("465.00", count: 18, first: "1978-05-03", every: 2)
                + [(Fixture.date("1981-05-03"), Fixture.money("200.00"))]
        }, published: "7.30"),
    PublishedExample(
        citation: "(c)(5)(i) single payment, term 255 days: $1,000, $1,080 (unit period = term, 365/255 a year)",
        advance: "1000.00", advanceDate: "1978-01-10",
        payments: { [(Fixture.date("1978-09-22"), Fixture.money("1080.00"))] }, published: "11.45"),
    PublishedExample(
        citation: "(c)(5)(ii) single payment, term 6 months: $1,000, $1,044",
        advance: "1000.00", advanceDate: "1978-01-10",
        payments: { [(Fixture.date("1978-07-10"), Fixture.money("1044.00"))] }, published: "8.80"),
    PublishedExample(
        citation: "(c)(5)(iii) single payment, term 18 months (t=1, f=6/12): $1,000, $1,135.19",
        advance: "1000.00", advanceDate: "1978-01-10",
        payments: { [(Fixture.date("1979-07-10"), Fixture.money("1135.19"))] }, published: "8.76"),
    PublishedExample(
        citation: "(c)(5)(iv) single payment, term exactly 2 years: $1,000, $1,240",
        advance: "1000.00", advanceDate: "1978-01-10",
        payments: { [(Fixture.date("1980-01-10"), Fixture.money("1240.00"))] }, published: "11.36"),
]

@Suite("Regulation Z Appendix J actuarial APR")
struct RegulationZTests {
    @Test("reproduces Appendix J's published examples to 2 decimals", arguments: appendixJExamples)
    func publishedExample(_ example: PublishedExample) throws {
        let schedule = try Fixture.schedule(advance: example.advance, on: example.advanceDate, example.payments())
        let result = try APRCalculator.apr(schedule, method: .usRegZ)
        #expect(result.percentString(decimals: 2) == example.published)
        #expect(result.method == .usRegZ)
        #expect(result.simpleAnnualRate == nil)
    }

    @Test("the unit period is the most common payment interval")
    func unitPeriods() throws {
        let monthly = try Fixture.schedule(
            advance: "5000.00", on: "1978-01-10", Fixture.monthly("230.00", count: 24, first: "1978-02-10"))
        #expect(try APRCalculator.apr(monthly, method: .usRegZ).period == .months(1))
        let weekly = try Fixture.schedule(
            advance: "500.00", on: "1978-03-20", Fixture.everyDays("17.60", count: 30, first: "1978-04-21", every: 7))
        #expect(try APRCalculator.apr(weekly, method: .usRegZ).period == .weeks(1))
        let quarterly = try Fixture.schedule(
            advance: "10000.00", on: "1978-05-23", Fixture.monthly("385.00", count: 40, first: "1978-10-01", every: 3))
        let result = try APRCalculator.apr(quarterly, method: .usRegZ)
        #expect(result.period == .months(3))
        #expect(abs(result.annualRate - 4 * result.periodicRate) < 1e-15)
    }

    @Test("month-end payments count whole months from month end to month end")
    func monthEnd() throws {
        // 1,000 advanced on Jan 31 and repaid by 12 × 88.85 on each month's last day: regular, no odd days, so the
        // APR equals the one for the same loan on the 10th of each month.
        let payments = (1...12).map { month in
            (try! Fixture.date("2023-01-01").adding(months: month).lastDayOfMonth, Fixture.money("88.85"))
        }
        let monthEnd = try Fixture.schedule(advance: "1000.00", on: "2023-01-31", payments)
        let tenth = try Fixture.schedule(advance: "1000.00", on: "2023-01-10", Fixture.monthly("88.85", count: 12, first: "2023-02-10"))
        let expected = try APRCalculator.apr(tenth, method: .usRegZ).annualRate
        #expect(abs(try APRCalculator.apr(monthEnd, method: .usRegZ).annualRate - expected) < 1e-12)
    }
}
