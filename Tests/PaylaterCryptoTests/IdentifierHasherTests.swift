import PaylaterCrypto
import Testing

@Suite("Identifier pseudonyms")
struct IdentifierHasherTests {
    static let platformKey = [UInt8](repeating: UInt8(ascii: "k"), count: 32)
    static let otherKey = [UInt8](repeating: UInt8(ascii: "j"), count: 32)

    @Test("the pseudonym is the hex HMAC-SHA256 of the identifier under the platform key")
    func knownAnswer() {
        // Cross-checked with Python: hmac.new(b"k" * 32, b"+447700900123", hashlib.sha256).hexdigest()
        let hasher = IdentifierHasher(key: Self.platformKey)
        #expect(hasher.hash("+447700900123") == "ed3b9c8b23d67e24b0dff003a276fbc96a95c2f3996859d2b42a8070a32a440a")
    }

    @Test("a decision's four identifiers hashed together give the pseudonyms each gets alone")
    func severalAtOnce() {
        let hasher = IdentifierHasher(key: Self.platformKey)
        let identifiers = ["consumer:c1", "device:d-1", "address:1 Long Street", "instrument:card-1", "+447700900123"]
        #expect(hasher.hashes(identifiers) == identifiers.map(hasher.hash))
        #expect(hasher.hashes(["+447700900123"]) == ["ed3b9c8b23d67e24b0dff003a276fbc96a95c2f3996859d2b42a8070a32a440a"])
        #expect(hasher.hashes([]) == [])
    }

    @Test("the same identifier under the same key always gives the same pseudonym")
    func deterministicPerKey() {
        let first = IdentifierHasher(key: Self.platformKey)
        let second = IdentifierHasher(key: Self.platformKey)
        #expect(first.hash("+447700900123") == first.hash("+447700900123"))
        #expect(first.hash("+447700900123") == second.hash("+447700900123"))
    }

    @Test("the same identifier under another key gives another pseudonym")
    func differsAcrossKeys() {
        let platform = IdentifierHasher(key: Self.platformKey)
        let other = IdentifierHasher(key: Self.otherKey)
        #expect(platform.hash("+447700900123") != other.hash("+447700900123"))
    }

    @Test("different identifiers give different pseudonyms")
    func differsAcrossIdentifiers() {
        let hasher = IdentifierHasher(key: Self.platformKey)
        #expect(hasher.hash("+447700900123") != hasher.hash("+447700900124"))
    }

    @Test("the pseudonym is not the unkeyed SHA-256 of the identifier")
    func notUnkeyed() {
        let hasher = IdentifierHasher(key: Self.platformKey)
        #expect(hasher.hash("+447700900123") != SHA256.hash("+447700900123").hex)
    }

    @Test("the key never appears when the hasher is printed or dumped")
    func keyRedacted() {
        let hasher = IdentifierHasher(key: Self.platformKey)
        var dumped = ""
        dump(hasher, to: &dumped)
        for text in [String(describing: hasher), String(reflecting: hasher), dumped] {
            #expect(!text.contains("107"), "\(text)")
            #expect(!text.contains("kkkk"), "\(text)")
        }
    }
}

@Suite("Crypto errors")
struct CryptoErrorTests {
    @Test("every error explains itself with the data that caused it", arguments: [
        (CryptoError.hexOddLength(digitCount: 3), "3"),
        (CryptoError.hexInvalidCharacter("g", offset: 5), "offset 5"),
        (CryptoError.byteCountOutOfRange(-1, allowed: 0...65_536), "-1"),
        (CryptoError.openSSL(function: "RAND_bytes", code: 42, reason: "error:0000002A:lib::reason"), "RAND_bytes"),
    ] as [(CryptoError, String)])
    func explains(error: CryptoError, detail: String) {
        #expect(error.description.contains(detail))
    }
}
