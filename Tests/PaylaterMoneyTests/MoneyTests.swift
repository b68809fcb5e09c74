import Foundation
import PaylaterMoney
import Testing

@Suite("Money")
struct MoneyTests {
    @Test("zero is zero minor units in the given currency")
    func zero() {
        let zero = Money.zero(.KWD)
        #expect(zero.minorUnits == 0 && zero.currency == .KWD)
        #expect(zero.isZero && !zero.isNegative && !zero.isPositive)
    }

    @Test("the sign helpers follow the minor units")
    func signs() {
        #expect(Money.units(-1).isNegative && !Money.units(-1).isPositive && !Money.units(-1).isZero)
        #expect(Money.units(1).isPositive && !Money.units(1).isNegative && !Money.units(1).isZero)
    }

    @Test("equal minor units in different currencies are different amounts")
    func equalityIncludesCurrency() {
        #expect(Money.units(100, .USD) != Money.units(100, .CNY))
        #expect(Money.zero(.USD) != Money.zero(.JPY))
        #expect(Money.units(100, .USD) == Money.units(100, .USD))
    }

    @Test("money encodes as an integer amount of minor units and a currency code")
    func encodesAsMinorUnits() throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let data = try encoder.encode(Money(minorUnits: 12_345, currency: .CNY))
        #expect(String(decoding: data, as: UTF8.self) == #"{"amount":12345,"currency":"CNY"}"#)
    }

    @Test("money decodes from an integer amount and a currency code, including the extremes")
    func decodes() throws {
        let json = #"[{"amount":-9223372036854775808,"currency":"JPY"},{"currency":"KWD","amount":1234}]"#
        let decoded = try JSONDecoder().decode([Money].self, from: Data(json.utf8))
        #expect(decoded == [Money(minorUnits: .min, currency: .JPY), Money(minorUnits: 1_234, currency: .KWD)])
    }

    @Test(
        "decoding rejects unknown currencies, fractional amounts and missing fields",
        arguments: [
            #"{"amount":1,"currency":"ABC"}"#, #"{"amount":1.5,"currency":"USD"}"#, #"{"amount":"1","currency":"USD"}"#,
            #"{"amount":9223372036854775808,"currency":"USD"}"#, #"{"currency":"USD"}"#, #"{"amount":1}"#,
        ])
    func decodingRejectsBadInput(json: String) {
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(Money.self, from: Data(json.utf8)) }
    }
}

@Suite("Money arithmetic")
struct MoneyArithmeticTests {
    @Test("adding and subtracting amounts in one currency is exact")
    func addAndSubtract() throws {
        #expect(try Money.units(12_345) + Money.units(-45) == Money.units(12_300))
        #expect(try Money.units(100) - Money.units(250) == Money.units(-150))
    }

    @Test("compound assignment adds in place and leaves the amount unchanged when it throws")
    func compoundAssignment() throws {
        var balance = Money.units(100)
        try balance += Money.units(50)
        try balance -= Money.units(20)
        #expect(balance == Money.units(130))
        #expect(throws: MoneyError.currencyMismatch(.USD, .CNY)) { try balance += Money.units(1, .CNY) }
        #expect(balance == Money.units(130))
    }

    @Test("combining two currencies throws a currency mismatch")
    func currencyMismatch() {
        let dollars = Money.units(100, .USD)
        let yuan = Money.units(100, .CNY)
        #expect(throws: MoneyError.currencyMismatch(.USD, .CNY)) { try dollars + yuan }
        #expect(throws: MoneyError.currencyMismatch(.CNY, .USD)) { try yuan - dollars }
        #expect(throws: MoneyError.currencyMismatch(.USD, .CNY)) { try dollars.isLess(than: yuan) }
        #expect(throws: MoneyError.currencyMismatch(.USD, .CNY)) { try dollars.isGreater(than: yuan) }
        #expect(throws: MoneyError.currencyMismatch(.USD, .CNY)) { try dollars.isLessThanOrEqual(to: yuan) }
        #expect(throws: MoneyError.currencyMismatch(.USD, .CNY)) { try dollars.isGreaterThanOrEqual(to: yuan) }
        #expect(throws: MoneyError.currencyMismatch(.USD, .CNY)) { try Money.minimum(dollars, yuan) }
        #expect(throws: MoneyError.currencyMismatch(.CNY, .USD)) { try Money.maximum(yuan, dollars) }
    }

    @Test("results beyond 64 bits of minor units throw overflow instead of wrapping")
    func overflow() {
        expectOverflow { try Money.units(.max) + Money.units(1) }
        expectOverflow { try Money.units(.min) + Money.units(-1) }
        expectOverflow { try Money.units(.min) - Money.units(1) }
        expectOverflow { try Money.units(.max) - Money.units(-1) }
        expectOverflow { try Money.units(.min).negated() }
        expectOverflow { try Money.units(.min).absoluteValue() }
        expectOverflow { try Money.units(.max).multiplied(by: 2) }
        expectOverflow { try Money.units(.min).multiplied(by: -1) }
        expectOverflow { try Money.units(.min).divided(by: -1) }
    }

    @Test("the extremes themselves are reachable without overflow")
    func extremesAreReachable() throws {
        #expect(try Money.units(.max - 1) + Money.units(1) == Money.units(.max))
        #expect(try Money.units(.min + 1) - Money.units(1) == Money.units(.min))
        #expect(try Money.units(.max).negated() == Money.units(.min + 1))
        #expect(try Money.units(.min).multiplied(by: 1) == Money.units(.min))
    }

    @Test("negation and absolute value flip and drop the sign")
    func negationAndAbsoluteValue() throws {
        #expect(try Money.units(5).negated() == Money.units(-5))
        #expect(try Money.units(-5).absoluteValue() == Money.units(5))
        #expect(try Money.units(5).absoluteValue() == Money.units(5))
    }

    @Test("multiplying by a whole number multiplies the minor units")
    func multiplyByInteger() throws {
        #expect(try Money.units(1_999).multiplied(by: 3) == Money.units(5_997))
        #expect(try Money.units(1_999).multiplied(by: -2) == Money.units(-3_998))
        #expect(try Money.units(1_999).multiplied(by: 0) == Money.units(0))
    }

    @Test("dividing by a whole number rounds once with the named rule")
    func divideByInteger() throws {
        #expect(try Money.units(1_000).divided(by: 3) == Money.units(333))
        #expect(try Money.units(1_000).divided(by: 3, rounding: .up) == Money.units(334))
        #expect(try Money.units(-5).divided(by: 2) == Money.units(-2))
        #expect(try Money.units(-5).divided(by: 2, rounding: .halfUp) == Money.units(-3))
        #expect(throws: MoneyError.divisionByZero) { try Money.units(5).divided(by: 0) }
    }

    @Test("the sum of no amounts is zero in the given currency")
    func emptySum() throws {
        #expect(try Money.sum(of: [], currency: .JPY) == Money.zero(.JPY))
    }

    @Test("a sum only overflows when its final total does, whatever the order")
    func sumIsOrderIndependent() throws {
        let amounts = [Money.units(.max), Money.units(1), Money.units(-2)]
        #expect(try Money.sum(of: amounts, currency: .USD) == Money.units(.max - 1))
        expectOverflow { try Money.sum(of: [Money.units(.max), Money.units(1)], currency: .USD) }
    }

    @Test("a sum rejects amounts in another currency")
    func sumRejectsOtherCurrencies() {
        #expect(throws: MoneyError.currencyMismatch(.USD, .CNY)) {
            try Money.sum(of: [Money.units(1, .USD), Money.units(1, .CNY)], currency: .USD)
        }
    }

    @Test("comparisons in one currency order by minor units")
    func comparisons() throws {
        #expect(try Money.units(1).isLess(than: Money.units(2)))
        #expect(try !Money.units(2).isLess(than: Money.units(2)))
        #expect(try Money.units(2).isLessThanOrEqual(to: Money.units(2)))
        #expect(try Money.units(-1).isGreater(than: Money.units(-2)))
        #expect(try Money.units(-2).isGreaterThanOrEqual(to: Money.units(-2)))
        #expect(try Money.minimum(Money.units(3), Money.units(-3)) == Money.units(-3))
        #expect(try Money.maximum(Money.units(3), Money.units(-3)) == Money.units(3))
    }
}
