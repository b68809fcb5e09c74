import PaylaterTime
import PaylaterMoney
import Testing

/// One known answer: `text` in `currency` is exactly `minorUnits`.
struct DecimalVector: Sendable, CustomTestStringConvertible {
    let text: String
    let currency: Currency
    let minorUnits: Int64

    init(_ text: String, _ currency: Currency, _ minorUnits: Int64) {
        self.text = text
        self.currency = currency
        self.minorUnits = minorUnits
    }

    var testDescription: String { "\"\(text)\" \(currency) = \(minorUnits)" }
}

@Suite("Parsing decimal amounts")
struct MoneyParsingTests {
    static let accepted: [DecimalVector] = [
        DecimalVector("123.45", .CNY, 12_345),
        DecimalVector("-0.05", .CNY, -5),
        DecimalVector("1.5", .USD, 150),
        DecimalVector("1.50", .USD, 150),
        DecimalVector("100", .USD, 10_000),
        DecimalVector("0", .USD, 0),
        DecimalVector("0.00", .USD, 0),
        DecimalVector("-0", .USD, 0),
        DecimalVector("-0.00", .USD, 0),
        DecimalVector("007.50", .USD, 750),
        DecimalVector("92233720368547758.07", .USD, .max),
        DecimalVector("-92233720368547758.08", .USD, .min),
        DecimalVector("100", .JPY, 100),
        DecimalVector("-1", .JPY, -1),
        DecimalVector("9223372036854775807", .JPY, .max),
        DecimalVector("-9223372036854775808", .JPY, .min),
        DecimalVector("1.234", .KWD, 1_234),
        DecimalVector("1.2", .KWD, 1_200),
        DecimalVector("-0.001", .KWD, -1),
        DecimalVector("-9223372036854775.808", .KWD, .min),
        DecimalVector("1.2345", Currency(builtInTestCode: "CLF"), 12_345),
    ]

    @Test("plain decimals parse to exact minor units", arguments: accepted)
    func parsesExactly(vector: DecimalVector) throws {
        let money = try Money(parsing: vector.text, currency: vector.currency)
        #expect(money == Money(minorUnits: vector.minorUnits, currency: vector.currency))
    }

    @Test(
        "text that is not a plain decimal is rejected",
        arguments: [
            "", "-", "+1", " 1", "1 ", "\t1", "1\n", "1,000", "1,5", "1_000", "1'000", "1e3", "1E3", "1.",
            ".5", "-.5", ".", "-1.", "1.2.3", "--1", "-+1", "0x10", "12a", "NaN", "Infinity", "1.-5", "１",
            "١", "1/2", "$1", "1 USD", "(1)",
        ])
    func rejectsMalformedText(text: String) {
        #expect(throws: MoneyError.invalidAmount(text)) { try Money(parsing: text, currency: .USD) }
    }

    @Test("a point is rejected for a currency without minor units when nothing follows it")
    func rejectsBarePointForJPY() {
        #expect(throws: MoneyError.invalidAmount("100.")) { try Money(parsing: "100.", currency: .JPY) }
    }

    @Test(
        "more fraction digits than the currency allows are rejected",
        arguments: [
            ("1.234", Currency.USD, 2), ("0.001", .USD, 2), ("1.500", .USD, 2), ("1.5", .JPY, 0), ("100.0", .JPY, 0),
            ("1.2345", .KWD, 3),
        ] as [(String, Currency, Int)])
    func rejectsTooManyDecimals(text: String, currency: Currency, allowed: Int) {
        #expect(throws: MoneyError.tooManyDecimals(text, allowed: allowed)) {
            try Money(parsing: text, currency: currency)
        }
    }

    @Test(
        "amounts beyond 64 bits of minor units overflow",
        arguments: [
            ("92233720368547758.08", Currency.USD), ("-92233720368547758.09", .USD), ("9223372036854775808", .JPY),
            ("-9223372036854775809", .JPY), ("9223372036854775.808", .KWD), ("99999999999999999999999999999", .USD),
        ] as [(String, Currency)])
    func rejectsOverflow(text: String, currency: Currency) {
        expectOverflow { try Money(parsing: text, currency: currency) }
    }

    @Test("text longer than the bound is rejected before it is read")
    func rejectsOverlongText() {
        let longest = "1" + String(repeating: "0", count: Money.maximumParsedLength - 1)
        let error = #expect(throws: MoneyError.self) { try Money(parsing: longest + "0", currency: .JPY) }
        #expect(error?.isInvalidAmount == true)
    }

    @Test("a hostile input is kept short in the error")
    func hostileInputIsExcerpted() {
        let text = String(repeating: "9", count: 100_000)
        let error = #expect(throws: MoneyError.self) { try Money(parsing: text, currency: .USD) }
        guard case .invalidAmount(let kept) = error else {
            Issue.record("expected invalidAmount, got \(String(describing: error))")
            return
        }
        #expect(kept == String(repeating: "9", count: MoneyError.maximumExcerptLength) + "…")
    }
}

@Suite("Formatting decimal amounts")
struct MoneyFormattingTests {
    static let vectors: [DecimalVector] = [
        DecimalVector("123.45", .CNY, 12_345),
        DecimalVector("-0.05", .USD, -5),
        DecimalVector("0.05", .USD, 5),
        DecimalVector("0.00", .USD, 0),
        DecimalVector("1.00", .USD, 100),
        DecimalVector("-1.00", .USD, -100),
        DecimalVector("100", .JPY, 100),
        DecimalVector("-100", .JPY, -100),
        DecimalVector("0", .JPY, 0),
        DecimalVector("1.234", .KWD, 1_234),
        DecimalVector("0.001", .KWD, 1),
        DecimalVector("-0.001", .KWD, -1),
        DecimalVector("0.000", .KWD, 0),
        DecimalVector("1.2345", Currency(builtInTestCode: "CLF"), 12_345),
        DecimalVector("92233720368547758.07", .USD, .max),
        DecimalVector("-92233720368547758.08", .USD, .min),
        DecimalVector("-9223372036854775808", .JPY, .min),
        DecimalVector("-9223372036854775.808", .KWD, .min),
    ]

    @Test("amounts format as exact plain decimals", arguments: vectors)
    func formatsExactly(vector: DecimalVector) {
        #expect(Money(minorUnits: vector.minorUnits, currency: vector.currency).decimalString == vector.text)
    }

    @Test("the description is the decimal amount and the currency code")
    func descriptionHasCode() {
        #expect(Money(minorUnits: 12_345, currency: .CNY).description == "123.45 CNY")
        #expect(Money(minorUnits: -5, currency: .JPY).description == "-5 JPY")
    }

    @Test("formatting then parsing gives back the same amount", arguments: [1, 2, 3] as [UInt64])
    func roundTrip(seed: UInt64) throws {
        var random = SplitMix64(seed: seed)
        for _ in 0..<2_000 {
            let currency = random.element(of: Currency.all)
            let amount = Money(minorUnits: random.int64(in: .min ... .max), currency: currency)
            let parsed = try Money(parsing: amount.decimalString, currency: currency)
            #expect(parsed == amount, "seed \(seed): \(amount) read back as \(parsed)")
        }
    }
}

extension Currency {
    /// A currency the test knows is in the table.
    init(builtInTestCode code: String) {
        do {
            try self.init(code: code)
        } catch {
            preconditionFailure("\(code) should be in the ISO 4217 table: \(error)")
        }
    }
}
