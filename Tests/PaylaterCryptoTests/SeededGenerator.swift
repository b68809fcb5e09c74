/// SplitMix64: a small, fast generator whose whole sequence follows from its seed, so that a failing property test
/// replays exactly from the seed in its arguments.
struct SeededGenerator: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) {
        state = seed
    }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var mixed = state
        mixed = (mixed ^ (mixed >> 30)) &* 0xBF58_476D_1CE4_E5B9
        mixed = (mixed ^ (mixed >> 27)) &* 0x94D0_49BB_1331_11EB
        return mixed ^ (mixed >> 31)
    }

    /// `count` bytes from this generator.
    mutating func bytes(count: Int) -> [UInt8] {
        (0..<count).map { _ in UInt8.random(in: .min ... .max, using: &self) }
    }

    /// Sorted cut points that split a message of `length` bytes into at most `maximumPieces` pieces, possibly empty.
    mutating func splitPoints(length: Int, maximumPieces: Int) -> [Int] {
        let cutCount = Int.random(in: 0..<maximumPieces, using: &self)
        return (0..<cutCount).map { _ in Int.random(in: 0...length, using: &self) }.sorted()
    }
}

/// The pieces of `message` between consecutive `cuts`.
func pieces(of message: [UInt8], cutAt cuts: [Int]) -> [ArraySlice<UInt8>] {
    let bounds = [0] + cuts + [message.count]
    return zip(bounds, bounds.dropFirst()).map { message[$0..<$1] }
}

/// Seeds for property tests: fixed, so every run checks the same cases and a failure names its seed.
let propertySeeds: [UInt64] = [1, 2, 3, 42, 2_024, 0xDEAD_BEEF, 0x5EED_5EED_5EED_5EED, .max]
