import PaylaterTime
import PaylaterCrypto
import Testing

@Suite("Hex")
struct HexTests {
    @Test("bytes encode as two lower-case digits each", arguments: [
        ([], ""),
        ([0x00], "00"),
        ([0x0f, 0xf0], "0ff0"),
        ([0xde, 0xad, 0xbe, 0xef], "deadbeef"),
        ([0x01, 0x23, 0x45, 0x67, 0x89, 0xab, 0xcd, 0xef], "0123456789abcdef"),
    ] as [([UInt8], String)])
    func encodes(bytes: [UInt8], hex: String) throws {
        #expect(Hex.encode(bytes) == hex)
        #expect(try Hex.decode(hex) == bytes)
    }

    @Test("every byte value encodes as its two digits, from an array or any other sequence")
    func everyByte() {
        let all = Array(UInt8.min...UInt8.max)
        let expected = all.map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }.joined()
        #expect(Hex.encode(all) == expected)
        #expect(Hex.encode(UInt8.min...UInt8.max) == expected)
        #expect(Hex.encode(all[250...]) == "fafbfcfdfeff")
    }

    @Test("upper-case and mixed-case digits decode like lower-case ones")
    func acceptsEitherCase() throws {
        #expect(try Hex.decode("DEADBEEF") == [0xde, 0xad, 0xbe, 0xef])
        #expect(try Hex.decode("DeAdBeEf") == [0xde, 0xad, 0xbe, 0xef])
    }

    @Test("any bytes survive an encode–decode round trip", arguments: propertySeeds)
    func roundTrip(seed: UInt64) throws {
        var generator = SplitMix64(seed: seed)
        for _ in 0..<100 {
            let original = generator.bytes(count: Int.random(in: 0...64, using: &generator))
            #expect(try Hex.decode(Hex.encode(original)) == original, "seed \(seed)")
        }
    }

    @Test("an odd number of digits is rejected", arguments: ["0", "abc", "0123456"])
    func oddLengthRejected(hex: String) {
        #expect(throws: CryptoError.hexOddLength(digitCount: hex.count)) { try Hex.decode(hex) }
    }

    @Test("a character that is not a hex digit is rejected, naming it and its offset", arguments: [
        ("0g", "g", 1),
        ("zz", "z", 0),
        (" 00", " ", 0),
        ("0x12", "x", 1),
        ("00é0", "é", 2),
        ("abc-", "-", 3),
    ] as [(String, Unicode.Scalar, Int)])
    func invalidCharacterRejected(hex: String, character: Unicode.Scalar, offset: Int) {
        #expect(throws: CryptoError.hexInvalidCharacter(character, offset: offset)) { try Hex.decode(hex) }
    }
}

@Suite("URL-safe base64")
struct Base64URLTests {
    @Test("the RFC 4648 test vectors encode as published, without padding", arguments: [
        ("", ""),
        ("f", "Zg"),
        ("fo", "Zm8"),
        ("foo", "Zm9v"),
        ("foob", "Zm9vYg"),
        ("fooba", "Zm9vYmE"),
        ("foobar", "Zm9vYmFy"),
    ])
    func rfc4648Vectors(text: String, encoded: String) {
        #expect(Base64URL.encode(Array(text.utf8)) == encoded)
    }

    @Test("the two characters that differ from plain base64 are '-' and '_'", arguments: [
        ([0xfb, 0xef, 0xbe], "----"),
        ([0xff, 0xff, 0xff], "____"),
        ([0xfb, 0xff], "-_8"),
    ] as [([UInt8], String)])
    func urlSafeAlphabet(bytes: [UInt8], encoded: String) {
        #expect(Base64URL.encode(bytes) == encoded)
    }
}
