/// Everything that can go wrong while making, combining, parsing, rating or splitting money.
///
/// Every case carries the data an operator needs to understand the failure; `description` turns it into one clear
/// sentence. Rejected text is stored at most `MoneyError.maximumExcerptLength` characters long so that a hostile
/// input cannot make an error (or a log line) arbitrarily large.
public enum MoneyError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The text is not an ISO 4217 currency code this module knows.
    case unknownCurrency(String)
    /// Two amounts in different currencies were combined or compared.
    case currencyMismatch(Currency, Currency)
    /// The named operation produced a value that does not fit in 64 bits.
    case overflow(String)
    /// The text is not a plain decimal amount.
    case invalidAmount(String)
    /// The text has more digits after the decimal point than the currency has minor units.
    case tooManyDecimals(String, allowed: Int)
    /// A division or a rate had a zero denominator.
    case divisionByZero
    /// Allocation weights or the number of parts are unusable; the payload says why.
    case invalidWeights(String)
    /// The text or the numbers do not make a valid rate.
    case invalidRate(String)

    /// The longest piece of caller-supplied text an error keeps.
    public static let maximumExcerptLength = 64

    /// One sentence that explains the failure to an operator.
    public var description: String {
        switch self {
        case .unknownCurrency(let code):
            "\"\(code)\" is not a known ISO 4217 currency code; use three upper-case letters such as CNY or USD."
        case .currencyMismatch(let left, let right):
            "Amounts in \(left.code) and \(right.code) cannot be combined or compared; convert one of them first."
        case .overflow(let operation):
            "The result of \(operation) is too large to be represented exactly."
        case .invalidAmount(let text):
            "\"\(text)\" is not a valid amount; write digits with an optional leading '-' and an optional '.' "
                + "followed by the fraction, for example 1234.50."
        case .tooManyDecimals(let text, allowed: 0):
            "\"\(text)\" has digits after the decimal point, but its currency has no minor unit; write a whole number."
        case .tooManyDecimals(let text, let allowed):
            "\"\(text)\" has more than \(allowed) digit\(allowed == 1 ? "" : "s") after the decimal point, "
                + "which is all its currency allows."
        case .divisionByZero:
            "A division by zero was attempted."
        case .invalidWeights(let reason):
            "The allocation cannot be made: \(reason)."
        case .invalidRate(let text):
            "\"\(text)\" is not a valid rate; write a decimal such as 0.0003 or a percentage such as 24.5%."
        }
    }

    /// Shortens caller-supplied text to at most `maximumExcerptLength` characters (plus an ellipsis) for storing in
    /// an error.
    static func excerpt(_ text: String) -> String {
        let head = text.prefix(maximumExcerptLength)
        return head.endIndex == text.endIndex ? text : String(head) + "…"
    }
}
