/// An exact fraction such as 3/10000, used for rates (interest, fees, exchange) instead of floating point.
///
/// A `Rational` is always stored reduced with a positive denominator, so equal values have equal fields and
/// `==`, hashing and `description` agree. Arithmetic is done on 128 bits and throws if the reduced result does not
/// fit back into 64 bits.
public struct Rational: Hashable, Sendable, Comparable, CustomStringConvertible {
    /// The top of the fraction; carries the sign.
    public let numerator: Int64
    /// The bottom of the fraction; always positive and coprime with `numerator`.
    public let denominator: Int64

    /// The longest text `init(parsing:)` accepts.
    public static let maximumParsedLength = 32

    /// Zero, as 0/1.
    public static let zero = Rational(0)
    /// One, as 1/1.
    public static let one = Rational(1)

    /// Makes `numerator / denominator`, reduced and with the sign moved to the numerator.
    /// - Throws: `.divisionByZero` when `denominator` is zero, `.overflow` when the reduced fraction does not fit
    ///   (only for `Int64.min` over a negative denominator).
    public init(_ numerator: Int64, _ denominator: Int64) throws(MoneyError) {
        self = try Self.reduced(Int128(numerator), Int128(denominator), operation: "making \(numerator)/\(denominator)")
    }

    /// Makes the whole number `integer`, as `integer/1`.
    public init(_ integer: Int64) {
        self.init(reducedNumerator: integer, denominator: 1)
    }

    /// Stores an already-reduced fraction.
    private init(reducedNumerator numerator: Int64, denominator: Int64) {
        assert(denominator > 0, "denominator must be positive")
        assert(greatestCommonDivisor(numerator.magnitude, denominator.magnitude) == 1, "fraction must be reduced")
        self.numerator = numerator
        self.denominator = denominator
    }

    /// Reduces a 128-bit fraction and checks that it fits in 64 bits.
    static func reduced(_ numerator: Int128, _ denominator: Int128, operation: @autoclosure () -> String)
        throws(MoneyError) -> Rational
    {
        guard denominator != 0 else { throw .divisionByZero }
        let divisor = greatestCommonDivisor(numerator.magnitude, denominator.magnitude)
        let isNegative = (numerator < 0) != (denominator < 0)
        guard
            let top = Int128(signMagnitude: numerator.magnitude / divisor, isNegative: isNegative),
            let reducedNumerator = Int64(exactly: top),
            let reducedDenominator = Int64(exactly: denominator.magnitude / divisor)
        else { throw .overflow(operation()) }
        return Rational(reducedNumerator: reducedNumerator, denominator: reducedDenominator)
    }

    /// Whether the value is exactly zero.
    public var isZero: Bool { numerator == 0 }
    /// Whether the value is below zero.
    public var isNegative: Bool { numerator < 0 }
    /// Whether the value is above zero.
    public var isPositive: Bool { numerator > 0 }

    /// The fraction as "numerator/denominator", or just the numerator for whole numbers: "3/10000", "-1/2", "7".
    public var description: String {
        denominator == 1 ? "\(numerator)" : "\(numerator)/\(denominator)"
    }

    /// Compares exactly by cross-multiplying on 128 bits, which cannot overflow.
    public static func < (lhs: Rational, rhs: Rational) -> Bool {
        Int128(lhs.numerator) * Int128(rhs.denominator) < Int128(rhs.numerator) * Int128(lhs.denominator)
    }

    /// `value × self`, rounded once with `rounding`; the product is exact before that single rounding step.
    /// - Throws: `.overflow` when the rounded result does not fit in `Int64`.
    public func applied(to value: Int64, rounding: RoundingRule) throws(MoneyError) -> Int64 {
        try divide(Int128(value) * Int128(numerator), by: Int128(denominator), rounding: rounding)
    }
}

/// The greatest common divisor of two magnitudes by Euclid's algorithm; gcd(0, n) is n, and gcd(0, 0) is 1 so that
/// dividing by it is always safe.
func greatestCommonDivisor<Magnitude: UnsignedInteger>(_ first: Magnitude, _ second: Magnitude) -> Magnitude {
    var (a, b) = (first, second)
    while b != 0 { (a, b) = (b, a % b) }
    return a == 0 ? 1 : a
}
