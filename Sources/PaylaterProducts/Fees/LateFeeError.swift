public import PaylaterMoney

/// Why a late fee policy could not be made or applied; each case names the input that was wrong.
public enum LateFeeError: Error, Equatable, Sendable, CustomStringConvertible {
    /// An amount of the policy or of the request is in another currency than the policy's.
    case currencyMismatch(field: String, found: Currency, expected: Currency)
    /// A fixed fee, a cap or an amount already charged is below zero.
    case negativeAmount(field: String, amount: Money)
    /// A percentage is below 0 or above 100% (10,000 bp).
    case percentageOutOfRange(field: String, rate: BasisPoints)
    /// A number of days is outside the allowed range.
    case daysOutOfRange(field: String, days: Int, allowed: ClosedRange<Int>)
    /// More overdue installments were given than a schedule can hold.
    case tooManyInstallments(Int, maximum: Int)
    /// The same installment number appears twice in one request.
    case duplicateInstallment(number: Int)
    /// An installment claims more fee stages already charged than the policy has.
    case stagesChargedOutOfRange(installment: Int, stages: Int, allowed: ClosedRange<Int>)
    /// Money arithmetic failed (overflow); inputs inside the limits never cause this.
    case arithmetic(MoneyError)

    public var description: String {
        switch self {
        case let .currencyMismatch(field, found, expected):
            "\(field) is in \(found.code), but the late fee policy is in \(expected.code)"
        case let .negativeAmount(field, amount):
            "\(field) is \(amount); it must not be negative"
        case let .percentageOutOfRange(field, rate):
            "\(field) is \(rate); it must be between 0 and 10000 bp (100%)"
        case let .daysOutOfRange(field, days, allowed):
            "\(field) is \(days) days; it must be within \(allowed.lowerBound)...\(allowed.upperBound)"
        case let .tooManyInstallments(count, maximum):
            "\(count) overdue installments were given; at most \(maximum) are allowed"
        case .duplicateInstallment(let number):
            "installment \(number) appears more than once"
        case let .stagesChargedOutOfRange(installment, stages, allowed):
            "installment \(installment) has \(stages) late fee stages charged; expected "
                + "\(allowed.lowerBound)...\(allowed.upperBound)"
        case .arithmetic(let error):
            "the late fee arithmetic failed: \(error)"
        }
    }
}
