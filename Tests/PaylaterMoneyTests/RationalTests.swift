import Foundation
import PaylaterMoney
import Testing

@Suite("Rational rates")
struct RationalTests {
    @Test(
        "a fraction is stored reduced with the sign on the numerator",
        arguments: [
            (6, 8, 3, 4), (-6, 8, -3, 4), (6, -8, -3, 4), (-6, -8, 3, 4), (0, 5, 0, 1), (0, -5, 0, 1), (7, 1, 7, 1),
            (Int64.min, Int64.min, 1, 1), (Int64.max, Int64.max, 1, 1), (Int64.min, 2, Int64.min / 2, 1),
            (3, 10_000, 3, 10_000),
        ] as [(Int64, Int64, Int64, Int64)])
    func reduces(numerator: Int64, denominator: Int64, reducedNumerator: Int64, reducedDenominator: Int64) throws {
        let rate = try Rational(numerator, denominator)
        #expect(rate.numerator == reducedNumerator)
        #expect(rate.denominator == reducedDenominator)
    }

    @Test("equal values are equal and hash alike however they were written")
    func equalValuesAreEqual() throws {
        #expect(try Rational(1, 2) == Rational(50, 100))
        #expect(try Set([Rational(1, 2), Rational(2, 4), Rational(-3, -6)]).count == 1)
    }

    @Test("a zero denominator throws division by zero")
    func zeroDenominator() {
        #expect(throws: MoneyError.divisionByZero) { try Rational(1, 0) }
    }

    @Test("a fraction that cannot be made positive-denominated in 64 bits throws overflow")
    func unrepresentableFraction() {
        expectOverflow { try Rational(Int64.min, -1) }
    }

    @Test(
        "decimals and percentages parse to exact fractions",
        arguments: [
            ("0.0003", 3, 10_000), ("24.5%", 49, 200), ("-1.5", -3, 2), ("7", 7, 1), ("0", 0, 1), ("-0", 0, 1),
            ("100%", 1, 1), ("0.5%", 1, 200), ("0.000000000000000001", 1, 1_000_000_000_000_000_000),
            ("0.5000000000000000000", 1, 2), ("9223372036854775807", .max, 1), ("-9223372036854775808", .min, 1),
            ("36%", 9, 25),
        ] as [(String, Int64, Int64)])
    func parses(text: String, numerator: Int64, denominator: Int64) throws {
        #expect(try Rational(parsing: text) == Rational(numerator, denominator))
    }

    @Test(
        "text that is not a decimal or a percentage is rejected",
        arguments: [
            "", "%", "-", "1.", ".5", "+1", "1e-3", " 0.1", "0.1 ", "0.1 %", "1/2", "abc", "1%%", "%1", "--1",
            "0.1.2", "1,5", "0x1",
        ])
    func rejectsMalformedText(text: String) {
        #expect(throws: MoneyError.invalidRate(text)) { try Rational(parsing: text) }
    }

    @Test(
        "a rate whose reduced fraction does not fit in 64 bits overflows",
        arguments: [
            "9223372036854775808", "0.0000000000000000001", "-9223372036854775809", "0.0000000000000000003%",
        ])
    func parseOverflow(text: String) {
        expectOverflow { try Rational(parsing: text) }
    }

    @Test("rate text longer than the bound is rejected")
    func rejectsOverlongText() {
        let text = "0." + String(repeating: "0", count: Rational.maximumParsedLength)
        let error = #expect(throws: MoneyError.self) { try Rational(parsing: text) }
        #expect(error?.isInvalidRate == true)
    }

    @Test("fractions compare by value, exactly, even at the 64-bit extremes")
    func comparison() throws {
        #expect(try Rational(1, 3) < Rational(1, 2))
        #expect(try Rational(-1, 2) < Rational(1, 3))
        #expect(try Rational(Int64.max, Int64.max - 1) > Rational.one)
        #expect(try Rational(Int64.max - 1, Int64.max) < Rational.one)
        #expect(try Rational(1, Int64.max) < Rational(1, Int64.max - 1))
        #expect(Rational(Int64.min) < Rational(Int64.max))
    }

    @Test("sums, differences, products and quotients are exact and reduced")
    func arithmetic() throws {
        #expect(try Rational(1, 3) + Rational(1, 6) == Rational(1, 2))
        #expect(try Rational(1, 2) - Rational(3, 4) == Rational(-1, 4))
        #expect(try Rational(2, 3) * Rational(3, 4) == Rational(1, 2))
        #expect(try Rational(1, 2) / Rational(1, 4) == Rational(2))
        #expect(try Rational(-2, 3).negated() == Rational(2, 3))
        #expect(try Rational(-2, 3).reciprocal() == Rational(-3, 2))
    }

    @Test("dividing by a zero rate throws division by zero")
    func divisionByZero() {
        #expect(throws: MoneyError.divisionByZero) { try Rational(1, 2) / Rational.zero }
        #expect(throws: MoneyError.divisionByZero) { try Rational.zero.reciprocal() }
    }

    @Test("rate arithmetic beyond 64 bits throws overflow")
    func arithmeticOverflow() throws {
        let tiny = try Rational(1, Int64.max)
        expectOverflow { try Rational(Int64.max) + Rational.one }
        expectOverflow { try Rational(Int64.min) - Rational.one }
        expectOverflow { try tiny * Rational(1, 2) }
        expectOverflow { try Rational(Int64.max) / Rational(1, 2) }
        expectOverflow { try Rational(Int64.min).negated() }
        expectOverflow { try Rational(Int64.min).reciprocal() }
    }

    @Test("a fraction describes itself as numerator/denominator, or a whole number")
    func description() throws {
        #expect(try Rational(3, 10_000).description == "3/10000")
        #expect(try Rational(-1, 2).description == "-1/2")
        #expect(Rational(7).description == "7")
    }

    @Test("a fraction round-trips through JSON as numerator and denominator")
    func codable() throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let rate = try Rational(49, 200)
        let data = try encoder.encode(rate)
        #expect(String(decoding: data, as: UTF8.self) == #"{"denominator":200,"numerator":49}"#)
        #expect(try JSONDecoder().decode(Rational.self, from: data) == rate)
        let unreduced = Data(#"{"numerator":2,"denominator":-4}"#.utf8)
        #expect(try JSONDecoder().decode(Rational.self, from: unreduced) == Rational(-1, 2))
    }

    @Test("decoding a zero denominator fails")
    func decodingZeroDenominator() {
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode(Rational.self, from: Data(#"{"numerator":1,"denominator":0}"#.utf8))
        }
    }
}

@Suite("Basis points")
struct BasisPointsTests {
    @Test(
        "basis points are ten-thousandths, as an exact reduced fraction",
        arguments: [(250, 1, 40), (10_000, 1, 1), (1, 1, 10_000), (0, 0, 1), (-50, -1, 200), (3, 3, 10_000)]
            as [(Int64, Int64, Int64)])
    func rational(basisPoints: Int64, numerator: Int64, denominator: Int64) throws {
        #expect(try BasisPoints(basisPoints).rational == Rational(numerator, denominator))
    }

    @Test("basis points order by size and describe themselves with their unit")
    func orderingAndDescription() {
        #expect(BasisPoints(100) < BasisPoints(250))
        #expect(BasisPoints(-1) < BasisPoints.zero)
        #expect(BasisPoints(250).description == "250 bp")
        #expect(BasisPoints(rawValue: 7) == BasisPoints(7))
    }

    @Test("basis points encode as a bare integer")
    func codable() throws {
        let data = try JSONEncoder().encode([BasisPoints(250)])
        #expect(String(decoding: data, as: UTF8.self) == "[250]")
        #expect(try JSONDecoder().decode([BasisPoints].self, from: data) == [BasisPoints(250)])
    }
}

@Suite("Applying rates to money")
struct RateApplicationTests {
    @Test("a rate in basis points takes that many ten-thousandths of the amount")
    func basisPoints() throws {
        let principal = try Money(parsing: "10000.00", currency: .CNY)
        #expect(try principal.multiplied(by: BasisPoints(250)) == Money(parsing: "250.00", currency: .CNY))
        #expect(try principal.multiplied(by: BasisPoints(3)) == Money(parsing: "3.00", currency: .CNY))
        #expect(try principal.multiplied(by: BasisPoints.zero) == Money.zero(.CNY))
    }

    /// 1.05 at one half is 0.525: a half of a minor unit, exercised under every rule and both signs.
    @Test(
        "a rate's product is rounded once with the named rule",
        arguments: [
            (105, .halfEven, 52), (105, .halfUp, 53), (105, .halfDown, 52), (105, .up, 53), (105, .down, 52),
            (105, .ceiling, 53), (105, .floor, 52), (-105, .halfEven, -52), (-105, .halfUp, -53),
            (-105, .halfDown, -52), (-105, .up, -53), (-105, .down, -52), (-105, .ceiling, -52), (-105, .floor, -53),
            (107, .halfEven, 54), (107, .halfDown, 53), (-107, .halfEven, -54),
        ] as [(Int64, RoundingRule, Int64)])
    func roundingRule(minorUnits: Int64, rule: RoundingRule, expected: Int64) throws {
        let half = try Rational(parsing: "0.5")
        #expect(try Money.units(minorUnits).multiplied(by: half, rounding: rule) == Money.units(expected))
    }

    @Test("halfEven is the default rounding for rates")
    func defaultRounding() throws {
        #expect(try Money.units(105).multiplied(by: Rational(1, 2)) == Money.units(52))
        #expect(try Money.units(5, .JPY).multiplied(by: BasisPoints(5_000)) == Money.units(2, .JPY))
    }

    @Test("rates combined exactly before one rounding differ from rounding every step")
    func singleRoundingStep() throws {
        let amount = Money.units(333)  // 3.33 USD
        let daily = try Rational(parsing: "0.0003")
        let monthly = try daily * Rational(30)
        #expect(try amount.multiplied(by: monthly) == Money.units(3))  // 333 × 0.009 = 2.997 cents → 3
        // Rounding each day's 0.0999 cents loses the whole month's charge.
        var roundedDaily = Money.zero(.USD)
        for _ in 0..<30 { try roundedDaily += amount.multiplied(by: daily) }
        #expect(roundedDaily == Money.zero(.USD))
    }

    @Test("applying a rate works in currencies with any number of decimals")
    func otherExponents() throws {
        #expect(try Money.units(1_001, .JPY).multiplied(by: Rational(1, 2)) == Money.units(500, .JPY))
        #expect(
            try Money.units(1_001, .JPY).multiplied(by: Rational(1, 2), rounding: .halfUp) == Money.units(501, .JPY))
        #expect(try Money.units(1_234, .KWD).multiplied(by: BasisPoints(100)) == Money.units(12, .KWD))
    }

    @Test("the product is exact even when it passes 64 bits on the way")
    func exactIntermediate() throws {
        let nearlyOne = try Rational(Int64.max - 1, Int64.max)
        #expect(try Money.units(.max).multiplied(by: nearlyOne) == Money.units(.max - 1))
        #expect(try Money.units(.min).multiplied(by: Rational.one) == Money.units(.min))
        #expect(try Money.units(.max).multiplied(by: Rational(1, 2), rounding: .down) == Money.units(.max / 2))
    }

    @Test("a rated amount beyond 64 bits throws overflow")
    func overflow() {
        expectOverflow { try Money.units(.max).multiplied(by: Rational(2)) }
        expectOverflow { try Money.units(.min).multiplied(by: Rational(-1)) }
        expectOverflow { try Money.units(.max).multiplied(by: BasisPoints(10_001)) }
    }
}
