/// A rate in basis points: 1 bp is 1/10,000, so 250 bp is 2.5%.
///
/// Fees and interest rates in products are configured in basis points so that they are whole numbers that read
/// the same in configuration, the database and the API. `rational` gives the exact fraction for calculation.
public struct BasisPoints: RawRepresentable, Hashable, Sendable, Comparable, CustomStringConvertible, Codable {
    /// The number of basis points.
    public let rawValue: Int64

    /// How many basis points make a whole (100%).
    public static let perUnit: Int64 = 10_000

    /// No rate at all.
    public static let zero = BasisPoints(0)

    /// Wraps a count of basis points.
    public init(rawValue: Int64) {
        self.rawValue = rawValue
    }

    /// Wraps a count of basis points: `BasisPoints(250)` is 2.5%.
    public init(_ rawValue: Int64) {
        self.init(rawValue: rawValue)
    }

    /// The exact fraction, reduced: 250 bp is 1/40.
    public var rational: Rational { Rational(self) }

    /// The count and unit, such as "250 bp".
    public var description: String { "\(rawValue) bp" }

    /// Orders by the size of the rate.
    public static func < (lhs: BasisPoints, rhs: BasisPoints) -> Bool {
        lhs.rawValue < rhs.rawValue
    }
}

extension Rational {
    /// The exact fraction `basisPoints / 10,000`, reduced.
    public init(_ basisPoints: BasisPoints) {
        do {
            self = try Rational(basisPoints.rawValue, BasisPoints.perUnit)
        } catch {
            // A positive denominator never fails and reduction only shrinks the numerator.
            preconditionFailure("\(basisPoints) cannot fail to reduce: \(error)")
        }
    }
}
