/// A small, fully specified pseudo-random generator (SplitMix64): the randomness that domain code takes as an input,
/// like its `Clock`, so that a seed replays a run (simulations, property tests, benchmarks).
///
/// The bounded helpers below are written out here rather than taken from the standard library, whose algorithm
/// for `random(in:using:)` may change between releases and would silently change which cases a seed produces.
public struct SplitMix64: RandomNumberGenerator, Sendable {
    private var state: UInt64

    /// Starts the sequence that `seed` names.
    public init(seed: UInt64) {
        state = seed
    }

    /// The next 64 random bits.
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var mixed = state
        mixed = (mixed ^ (mixed >> 30)) &* 0xBF58_476D_1CE4_E5B9
        mixed = (mixed ^ (mixed >> 27)) &* 0x94D0_49BB_1331_11EB
        return mixed ^ (mixed >> 31)
    }

    /// A value in `range` (modulo reduction; the slight bias does not matter for tests).
    public mutating func int64(in range: ClosedRange<Int64>) -> Int64 {
        let span = UInt64(bitPattern: range.upperBound &- range.lowerBound)
        guard span != .max else { return Int64(bitPattern: next()) }
        return range.lowerBound &+ Int64(bitPattern: next() % (span + 1))
    }

    /// A value in `range`.
    public mutating func int(in range: ClosedRange<Int>) -> Int {
        Int(int64(in: Int64(range.lowerBound)...Int64(range.upperBound)))
    }

    /// True with probability `percent`/100.
    public mutating func chance(percent: UInt64) -> Bool {
        next() % 100 < percent
    }

    /// One element of a non-empty array.
    public mutating func element<Element>(of elements: [Element]) -> Element {
        elements[int(in: 0...(elements.count - 1))]
    }
}
