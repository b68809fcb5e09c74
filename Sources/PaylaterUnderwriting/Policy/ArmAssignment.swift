import PaylaterMoney

/// Assigns shoppers to the champion or the challenger by a seeded hash of the shopper id.
///
/// The hash is FNV-1a over the id's UTF-8 bytes, started from the offset basis mixed with the seed, and finished
/// with SplitMix64's finaliser so the low digits that `mod 10 000` reads are well spread. It is written out here,
/// never Swift's `hashValue` (randomised per process), so a shopper stays in one arm across runs, machines and
/// releases.
public enum ArmAssignment {
    /// The shopper's bucket, 0..<10 000.
    public static func bucket(shopperHash: String, seed: UInt64) -> Int64 {
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325 ^ finalise(seed)
        for byte in shopperHash.utf8 {
            hash ^= UInt64(byte)
            hash &*= 0x0000_0100_0000_01B3
        }
        return Int64(finalise(hash) % UInt64(BasisPoints.perUnit))
    }

    /// The challenger when the bucket is below its share, else the champion; always the champion without one.
    public static func arm(shopperHash: String, challenger: ChallengerSetup?) -> Arm {
        guard let challenger else { return .champion }
        return bucket(shopperHash: shopperHash, seed: challenger.seed) < challenger.share.rawValue
            ? .challenger : .champion
    }

    private static func finalise(_ value: UInt64) -> UInt64 {
        var mixed = value
        mixed = (mixed ^ (mixed >> 30)) &* 0xBF58_476D_1CE4_E5B9
        mixed = (mixed ^ (mixed >> 27)) &* 0x94D0_49BB_1331_11EB
        return mixed ^ (mixed >> 31)
    }
}
