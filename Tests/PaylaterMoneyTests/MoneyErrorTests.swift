import PaylaterMoney
import Testing

@Suite("Money errors")
struct MoneyErrorTests {
    @Test(
        "every error explains itself in one sentence that names its data",
        arguments: [
            (.unknownCurrency("ABC"), "\"ABC\" is not a known ISO 4217 currency code"),
            (.currencyMismatch(.USD, .CNY), "Amounts in USD and CNY cannot be combined"),
            (.overflow("1.00 USD + 2.00 USD"), "The result of 1.00 USD + 2.00 USD is too large"),
            (.invalidAmount("1,000"), "\"1,000\" is not a valid amount"),
            (.tooManyDecimals("1.234", allowed: 2), "\"1.234\" has more than 2 digits after the decimal point"),
            (
                .tooManyDecimals("1.5", allowed: 0),
                "\"1.5\" has digits after the decimal point, but its currency has no"
            ),
            (.tooManyDecimals("1.5", allowed: 1), "more than 1 digit after"),
            (.divisionByZero, "division by zero"),
            (.invalidWeights("the weights add up to zero"), "cannot be made: the weights add up to zero."),
            (.invalidRate("1/2"), "\"1/2\" is not a valid rate"),
        ] as [(MoneyError, String)])
    func descriptions(error: MoneyError, fragment: String) {
        #expect(error.description.contains(fragment), "\(error.description)")
        #expect(error.description.hasSuffix("."), "\(error.description)")
    }

    @Test("allocation errors say why the request was refused")
    func allocationReasons() {
        let error = #expect(throws: MoneyError.self) { try Money.units(1).allocate(byWeights: [3, -2]) }
        #expect(error?.description.contains("weight -2 at position 1 is negative") == true)
    }
}
