import Foundation
import PaylaterMoney
import Testing

@Suite("Currency")
struct CurrencyTests {
    @Test(
        "zero-decimal currencies have no minor unit",
        arguments: [
            "JPY", "KRW", "VND", "CLP", "ISK", "BIF", "DJF", "GNF", "KMF", "PYG", "RWF", "UGX", "UYI", "VUV",
            "XAF", "XOF", "XPF",
        ])
    func zeroDecimalCurrencies(code: String) throws {
        #expect(try Currency(code: code).minorUnitExponent == 0)
    }

    @Test("three-decimal currencies count thousandths", arguments: ["BHD", "IQD", "JOD", "KWD", "LYD", "OMR", "TND"])
    func threeDecimalCurrencies(code: String) throws {
        #expect(try Currency(code: code).minorUnitExponent == 3)
    }

    @Test("four-decimal units of account count ten-thousandths", arguments: ["CLF", "UYW"])
    func fourDecimalCurrencies(code: String) throws {
        #expect(try Currency(code: code).minorUnitExponent == 4)
    }

    @Test(
        "common currencies have two decimals",
        arguments: [
            "CNY", "USD", "EUR", "GBP", "HKD", "CHF", "CAD", "AUD", "SGD", "INR", "IDR", "HUF", "MGA", "MRU",
            "SLE", "VES", "VED", "STN", "ZWG", "XCG", "XCD", "BOV", "MXV", "USN",
        ])
    func twoDecimalCurrencies(code: String) throws {
        #expect(try Currency(code: code).minorUnitExponent == 2)
    }

    @Test(
        "codes outside the table are rejected",
        arguments: [
            "", "cny", "Cny", "US", "USDD", " USD", "USD ", "ABC", "XXX", "XTS", "XAU", "XDR", "HRK", "VEF",
            "ZWL", "ＵＳＤ",
        ])
    func unknownCodes(code: String) {
        #expect(throws: MoneyError.unknownCurrency(code)) { try Currency(code: code) }
    }

    @Test("an unknown code of hostile length is kept short in the error")
    func unknownLongCode() {
        let code = String(repeating: "A", count: 10_000)
        let error = #expect(throws: MoneyError.self) { try Currency(code: code) }
        guard case .unknownCurrency(let kept) = error else {
            Issue.record("expected unknownCurrency, got \(String(describing: error))")
            return
        }
        #expect(kept.count == MoneyError.maximumExcerptLength + 1)
    }

    @Test("every other currency in the table has two decimals")
    func onlyListedExceptionsDifferFromTwo() {
        let exceptions: Set<String> = [
            "JPY", "KRW", "VND", "CLP", "ISK", "BIF", "DJF", "GNF", "KMF", "PYG", "RWF", "UGX", "UYI", "VUV", "XAF",
            "XOF", "XPF", "BHD", "IQD", "JOD", "KWD", "LYD", "OMR", "TND", "CLF", "UYW",
        ]
        let notTwo = Set(Currency.all.filter { $0.minorUnitExponent != 2 }.map(\.code))
        #expect(notTwo == exceptions)
    }

    @Test("the named constants match the table")
    func constantsMatchTable() throws {
        let constants: [Currency] = [.CNY, .USD, .EUR, .GBP, .JPY, .KWD, .HKD]
        for constant in constants {
            #expect(try Currency(code: constant.code) == constant)
        }
        #expect(Currency.JPY.minorUnitExponent == 0)
        #expect(Currency.KWD.minorUnitExponent == 3)
        #expect(Currency.CNY.minorUnitExponent == 2)
    }

    @Test("the table holds only well-formed codes with exponents 0 to 4")
    func tableIsWellFormed() {
        #expect(Currency.all.count >= 150)
        #expect(Currency.all == Currency.all.sorted())
        for currency in Currency.all {
            #expect(currency.code.utf8.count == 3, "\(currency.code)")
            #expect(currency.code.allSatisfy { $0 >= "A" && $0 <= "Z" }, "\(currency.code)")
            #expect((0...4).contains(currency.minorUnitExponent), "\(currency.code)")
        }
    }

    @Test("minor units per major unit is ten to the exponent")
    func minorUnitsPerMajorUnit() {
        #expect(Currency.JPY.minorUnitsPerMajorUnit == 1)
        #expect(Currency.CNY.minorUnitsPerMajorUnit == 100)
        #expect(Currency.KWD.minorUnitsPerMajorUnit == 1_000)
    }

    @Test("a currency describes itself by its code")
    func descriptionIsCode() {
        #expect(Currency.CNY.description == "CNY")
        #expect("\(Currency.JPY)" == "JPY")
    }

    @Test("currencies order alphabetically by code")
    func ordering() {
        #expect(Currency.CNY < Currency.USD)
        #expect(!(Currency.USD < Currency.EUR))
        #expect([Currency.USD, .CNY, .EUR].sorted() == [.CNY, .EUR, .USD])
    }

    @Test("a currency encodes as its bare code string")
    func encodesAsBareCode() throws {
        let data = try JSONEncoder().encode([Currency.CNY])
        #expect(String(decoding: data, as: UTF8.self) == #"["CNY"]"#)
    }

    @Test("a currency decodes from its bare code string")
    func decodesFromBareCode() throws {
        let decoded = try JSONDecoder().decode([Currency].self, from: Data(#"["KWD","JPY"]"#.utf8))
        #expect(decoded == [.KWD, .JPY])
    }

    @Test("decoding rejects codes outside the table", arguments: [#"["ABC"]"#, #"["usd"]"#, #"[840]"#, #"[null]"#])
    func decodingRejectsUnknownCodes(json: String) {
        #expect(throws: DecodingError.self) { try JSONDecoder().decode([Currency].self, from: Data(json.utf8)) }
    }
}
