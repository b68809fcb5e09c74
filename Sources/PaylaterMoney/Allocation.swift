/// Which parts receive the leftover minor units when their fractional remainders tie.
///
/// The raw value (and the `Codable` form) is the case name.
public enum RemainderPlacement: String, Sendable, Hashable, CaseIterable, Codable {
    /// Earlier parts first: 100 split into 3 is 34, 33, 33.
    case first
    /// Later parts first: 100 split into 3 is 33, 33, 34.
    case last
}

/// Splitting an amount into parts that add up exactly, by the largest remainder method.
extension Money {
    /// The most parts an amount can be split into; a bound so that a bad request cannot allocate without limit.
    public static let maximumAllocationParts = 10_000

    /// Splits the amount into `parts` equal shares that add up exactly to it.
    ///
    /// Shares differ by at most one minor unit; `remainder` says which parts get the extra units. A negative amount
    /// splits into the negations of the parts of its magnitude.
    /// - Throws: `.invalidWeights` unless `parts` is in `1...maximumAllocationParts`.
    public func allocate(into parts: Int, remainder: RemainderPlacement = .first) throws(MoneyError) -> [Money] {
        guard (1...Self.maximumAllocationParts).contains(parts) else {
            throw .invalidWeights(
                "\(parts) parts were requested, but an amount splits into 1 to \(Self.maximumAllocationParts) parts")
        }
        return try allocate(byWeights: Array(repeating: 1, count: parts), remainder: remainder)
    }

    /// Splits the amount in proportion to `weights`, with parts that add up exactly to it.
    ///
    /// Largest remainder method: every part first gets the floor of its exact share, then the leftover minor units
    /// go one each to the parts with the largest fractional remainders, ties broken by position as `remainder` says.
    /// So each part is within one minor unit of its exact share, a zero weight always gets zero, the result is
    /// deterministic, and a negative amount splits into the negations of the parts of its magnitude.
    /// - Throws: `.invalidWeights` when there are no weights, more than `maximumAllocationParts`, a negative
    ///   weight, or weights that add up to zero.
    public func allocate(byWeights weights: [Int64], remainder: RemainderPlacement = .first) throws(MoneyError)
        -> [Money]
    {
        try Self.validateAllocation(weights)
        let magnitudes = LargestRemainder.split(UInt128(minorUnits.magnitude), weights: weights, placement: remainder)
        let parts = magnitudes.map { magnitude in
            Money(minorUnits: Self.signed(magnitude, negative: isNegative), currency: currency)
        }
        assert(parts.reduce(Int128(0)) { $0 + Int128($1.minorUnits) } == Int128(minorUnits), "parts must add up")
        return parts
    }

    /// Throws `.invalidWeights` unless there are 1...maximumAllocationParts non-negative weights with a positive sum.
    private static func validateAllocation(_ weights: [Int64]) throws(MoneyError) {
        guard !weights.isEmpty else { throw .invalidWeights("no weights were given") }
        guard weights.count <= maximumAllocationParts else {
            throw .invalidWeights(
                "\(weights.count) weights were given, but at most \(maximumAllocationParts) are allowed")
        }
        if let index = weights.firstIndex(where: { $0 < 0 }) {
            throw .invalidWeights("weight \(weights[index]) at position \(index) is negative")
        }
        guard weights.contains(where: { $0 > 0 }) else { throw .invalidWeights("the weights add up to zero") }
    }

    /// A part's minor units from its magnitude and the sign of the whole; a part never exceeds the whole.
    private static func signed(_ magnitude: UInt128, negative: Bool) -> Int64 {
        let value = negative ? -Int128(magnitude) : Int128(magnitude)
        guard let minorUnits = Int64(exactly: value) else {
            preconditionFailure("a part of \(magnitude) minor units is larger than the whole")
        }
        return minorUnits
    }
}

/// The largest remainder method on magnitudes, where every product fits: total ≤ 2^63 and each weight < 2^63.
enum LargestRemainder {
    /// Splits `total` in proportion to `weights` (non-negative, positive sum) into shares that add up to `total`.
    static func split(_ total: UInt128, weights: [Int64], placement: RemainderPlacement) -> [UInt128] {
        let weightSum = weights.reduce(UInt128(0)) { $0 + UInt128($1) }
        assert(weightSum > 0 && total <= UInt128(Int64.min.magnitude))
        var shares: [UInt128] = []
        var remainders: [UInt128] = []
        shares.reserveCapacity(weights.count)
        remainders.reserveCapacity(weights.count)
        for weight in weights {
            let exact = total * UInt128(weight)
            shares.append(exact / weightSum)
            remainders.append(exact % weightSum)
        }
        let leftover = total - shares.reduce(0, +)
        assert(leftover < UInt128(weights.count), "flooring loses less than one unit per part")
        for index in rankByRemainder(remainders, placement: placement).prefix(Int(leftover)) {
            shares[index] += 1
        }
        return shares
    }

    /// Part indices, largest remainder first; equal remainders in the order `placement` gives.
    private static func rankByRemainder(_ remainders: [UInt128], placement: RemainderPlacement) -> [Int] {
        remainders.indices.sorted { left, right in
            if remainders[left] != remainders[right] { return remainders[left] > remainders[right] }
            return placement == .first ? left < right : left > right
        }
    }
}
