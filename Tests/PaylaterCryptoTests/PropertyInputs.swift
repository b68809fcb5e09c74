import PaylaterTime

extension SplitMix64 {
    /// `count` bytes from this generator.
    mutating func bytes(count: Int) -> [UInt8] {
        (0..<count).map { _ in UInt8(truncatingIfNeeded: next()) }
    }

    /// Sorted cut points that split a message of `length` bytes into at most `maximumPieces` pieces, possibly empty.
    mutating func splitPoints(length: Int, maximumPieces: Int) -> [Int] {
        let cutCount = int(in: 0...(maximumPieces - 1))
        return (0..<cutCount).map { _ in int(in: 0...length) }.sorted()
    }
}

/// The pieces of `message` between consecutive `cuts`.
func pieces(of message: [UInt8], cutAt cuts: [Int]) -> [ArraySlice<UInt8>] {
    let bounds = [0] + cuts + [message.count]
    return zip(bounds, bounds.dropFirst()).map { message[$0..<$1] }
}

/// Seeds for property tests: fixed, so every run checks the same cases and a failure names its seed.
let propertySeeds: [UInt64] = [1, 2, 3, 42, 2_024, 0xDEAD_BEEF, 0x5EED_5EED_5EED_5EED, .max]
