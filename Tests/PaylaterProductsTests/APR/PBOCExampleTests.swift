import PaylaterMoney
import PaylaterProducts
import PaylaterTime
import Testing

/// The commonly cited 12-installment example of PBOC announcement 2021 No. 3 (年化利率, IRR method): 12,000 CNY
/// repaid in 12 monthly installments of 1,000 principal plus a fee of `feeRate` × 12,000 each month.
///
/// NOT the announcement's published figure: these answers were computed independently with numpy_financial.irr by
/// `tools/pboc_irr_check.py` (monthly IRR r; compound (1 + r)^12 − 1; simple r × 12). The official text's worked
/// example and its published precision must still be checked against them.
@Suite("China IRR: the commonly cited 12-installment fee example (verified with numpy_financial, not the official text)")
struct PBOCExampleTests {
    struct Case: Sendable, CustomTestStringConvertible {
        let payment: String
        let compound: String
        let simple: String
        var testDescription: String { "12,000 in 12 × \(payment): \(compound)% compound, \(simple)% simple" }
    }

    static let cases: [Case] = [
        Case(payment: "1060.00", compound: "11.4574", simple: "10.8964"),
        Case(payment: "1072.00", compound: "13.8418", simple: "13.0342"),
        Case(payment: "1090.00", compound: "17.4778", simple: "16.2165"),
    ]

    @Test("the IRR annualised rate matches the independent numpy_financial computation", arguments: cases)
    func rates(_ example: Case) throws {
        let schedule = try Fixture.schedule(
            advance: "12000.00", on: "2021-04-01", Fixture.monthly(example.payment, count: 12, first: "2021-05-01", .CNY), .CNY)
        let result = try APRCalculator.apr(schedule, method: .cnIRR)
        #expect(result.percentString(decimals: 4) == example.compound)
        let simple = try #require(result.simpleAnnualRate)
        #expect(APRResult.percent(simple, decimals: 4) == example.simple)
    }
}
