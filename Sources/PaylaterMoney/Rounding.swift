/// How to turn an exact quotient that falls between two integers into one of them.
///
/// Every place that loses precision names its rule, so a rounding choice is always visible in the code and the
/// same inputs always give the same minor units. The raw value (and the `Codable` form) is the case name, so a
/// product's configuration can store it.
public enum RoundingRule: String, Sendable, Hashable, CaseIterable, Codable, CustomStringConvertible {
    /// Nearest integer; an exact half goes to the even neighbour (banker's rounding). The default, because it has
    /// no upward or downward bias over many roundings.
    case halfEven
    /// Nearest integer; an exact half goes away from zero (2.5 → 3, −2.5 → −3).
    case halfUp
    /// Nearest integer; an exact half goes toward zero (2.5 → 2, −2.5 → −2).
    case halfDown
    /// Away from zero whenever there is a remainder (2.1 → 3, −2.1 → −3).
    case up
    /// Toward zero, that is truncation (2.9 → 2, −2.9 → −2).
    case down
    /// Toward positive infinity (2.1 → 3, −2.9 → −2).
    case ceiling
    /// Toward negative infinity (2.9 → 2, −2.1 → −3).
    case floor

    /// The rule's name as written in code, such as "halfEven".
    public var description: String { rawValue }

    /// Whether a truncated quotient should move one step away from zero.
    ///
    /// - Parameters:
    ///   - remainder: the magnitude of the remainder, not zero and smaller than `divisor`.
    ///   - divisor: the magnitude of the divisor.
    ///   - isNegative: whether the exact quotient is below zero.
    ///   - truncatedIsOdd: whether the truncated quotient is odd, for the half-even tie break.
    func roundsAwayFromZero(remainder: UInt128, divisor: UInt128, isNegative: Bool, truncatedIsOdd: Bool) -> Bool {
        assert(remainder > 0 && remainder < divisor)
        switch self {
        case .up: return true
        case .down: return false
        case .ceiling: return !isNegative
        case .floor: return isNegative
        case .halfEven, .halfUp, .halfDown:
            let rest = divisor - remainder  // No overflow: remainder < divisor.
            if remainder != rest { return remainder > rest }
            return self == .halfUp || (self == .halfEven && truncatedIsOdd)
        }
    }
}

/// Divides `numerator` by `denominator` exactly and rounds the quotient once with `rounding`.
///
/// All of the arithmetic is integer arithmetic on 128 bits, so the rounding decision is exact; this is the single
/// rounding step behind interest, fees and rates. The denominator may have either sign.
/// - Throws: `MoneyError.divisionByZero` when `denominator` is zero, `MoneyError.overflow` when the rounded quotient
///   does not fit in `Int64`.
public func divide(_ numerator: Int128, by denominator: Int128, rounding: RoundingRule) throws(MoneyError) -> Int64 {
    let quotient = try roundedQuotient(numerator, denominator, rounding)
    guard let result = Int64(exactly: quotient) else {
        throw .overflow("dividing \(numerator) by \(denominator)")
    }
    return result
}

/// The rounded quotient of two 128-bit integers, computed on magnitudes so that rounding is symmetric about zero.
func roundedQuotient(_ numerator: Int128, _ denominator: Int128, _ rounding: RoundingRule) throws(MoneyError)
    -> Int128
{
    guard denominator != 0 else { throw .divisionByZero }
    let isNegative = (numerator < 0) != (denominator < 0)
    let divisor = denominator.magnitude
    var magnitude = numerator.magnitude / divisor
    let remainder = numerator.magnitude % divisor
    if remainder != 0,
        rounding.roundsAwayFromZero(
            remainder: remainder, divisor: divisor, isNegative: isNegative, truncatedIsOdd: magnitude & 1 == 1)
    {
        magnitude += 1  // No overflow: a remainder needs a divisor of at least 2, so magnitude <= 2^126.
    }
    guard let result = Int128(signMagnitude: magnitude, isNegative: isNegative) else {
        throw .overflow("dividing \(numerator) by \(denominator)")
    }
    return result
}

extension Int128 {
    /// The integer with the given magnitude and sign, or nil when it is outside `Int128`'s range.
    init?(signMagnitude magnitude: UInt128, isNegative: Bool) {
        if isNegative {
            guard magnitude <= Int128.min.magnitude else { return nil }
            self = magnitude == Int128.min.magnitude ? .min : -Int128(magnitude)
        } else {
            guard let value = Int128(exactly: magnitude) else { return nil }
            self = value
        }
    }
}
