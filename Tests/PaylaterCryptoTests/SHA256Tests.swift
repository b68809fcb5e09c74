import PaylaterTime
import PaylaterCrypto
import PaylaterTestSupport
import Testing

/// A message and its published SHA-256 digest.
struct SHA256Vector: Sendable, CustomTestStringConvertible {
    let name: String
    let message: String
    let digestHex: String

    var testDescription: String { name }
}

@Suite("SHA-256")
struct SHA256Tests {
    static let fipsVectors = [
        SHA256Vector(
            name: "empty message",
            message: "",
            digestHex: "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        ),
        SHA256Vector(
            name: "\"abc\" (FIPS 180-2 B.1)",
            message: "abc",
            digestHex: "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        ),
        SHA256Vector(
            name: "448-bit message (FIPS 180-2 B.2)",
            message: "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
            digestHex: "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"
        ),
        SHA256Vector(
            name: "896-bit message (NIST SHA-256 examples)",
            message: "abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrs"
                + "mnopqrstnopqrstu",
            digestHex: "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1"
        ),
    ]

    static let millionADigestHex = "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0"

    @Test("the FIPS 180-2 messages hash to their published digests", arguments: fipsVectors)
    func publishedDigests(vector: SHA256Vector) {
        #expect(SHA256.hash(vector.message).hex == vector.digestHex)
        #expect(SHA256.hash(Array(vector.message.utf8)).hex == vector.digestHex)
    }

    @Test("threads hashing at once get the published digests")
    func concurrentHashing() {
        let vectors = Self.fipsVectors
        let wrong = concurrently(16) { thread in
            (0..<500).filter { round in
                let vector = vectors[(thread + round) % vectors.count]
                return SHA256.hash(vector.message).hex != vector.digestHex
            }.count
        }
        #expect(wrong.successes() == Array(repeating: 0, count: 16))
    }

    @Test("one million 'a' fed through the incremental hasher hash to the published digest (FIPS 180-2 B.3)")
    func millionAIncrementally() {
        let thousandA = [UInt8](repeating: UInt8(ascii: "a"), count: 1_000)
        var hasher = SHA256.Hasher()
        for _ in 0..<1_000 {
            hasher.update(thousandA)
        }
        #expect(hasher.finalize().hex == Self.millionADigestHex)
    }

    @Test("a sequence that is not contiguous in memory hashes the same as its bytes in an array")
    func nonContiguousSequence() {
        let millionA = repeatElement(UInt8(ascii: "a"), count: 1_000_000)
        #expect(SHA256.hash(millionA).hex == Self.millionADigestHex)
    }

    @Test("feeding a message in pieces, split anywhere, gives the one-shot digest", arguments: propertySeeds)
    func piecesMatchOneShot(seed: UInt64) {
        var generator = SplitMix64(seed: seed)
        for _ in 0..<50 {
            let message = generator.bytes(count: Int.random(in: 0...300, using: &generator))
            let cuts = generator.splitPoints(length: message.count, maximumPieces: 6)
            var hasher = SHA256.Hasher()
            for piece in pieces(of: message, cutAt: cuts) {
                hasher.update(piece)
            }
            #expect(hasher.finalize() == SHA256.hash(message), "seed \(seed), cuts \(cuts)")
        }
    }

    @Test("a string hashes as its UTF-8 bytes, whether given whole or to the hasher")
    func stringsHashAsUTF8() {
        let expected = SHA256.hash(Array("naïve café ☕".utf8))
        #expect(SHA256.hash("naïve café ☕") == expected)
        var hasher = SHA256.Hasher()
        hasher.update("naïve ")
        hasher.update("café ☕")
        #expect(hasher.finalize() == expected)
    }

    @Test("a digest is 32 bytes and prints as 64 lower-case hex digits")
    func digestForm() {
        let digest = SHA256.hash("abc")
        #expect(digest.bytes.count == SHA256.byteCount)
        #expect(digest.description == digest.hex)
        #expect(digest.hex.count == 64)
        #expect(digest.hex.allSatisfy { "0123456789abcdef".contains($0) })
    }
}
