import PaylaterTime
import PaylaterCrypto
import PaylaterTestSupport
import Testing

/// One RFC 4231 test case: key and data, and the published HMAC-SHA256, possibly truncated.
struct HMACVector: Sendable, CustomTestStringConvertible {
    let number: Int
    let key: [UInt8]
    let data: [UInt8]
    /// The published code; case 5 publishes only the first 128 bits.
    let codeHex: String

    var testDescription: String { "RFC 4231 test case \(number)" }
}

@Suite("HMAC-SHA256")
struct HMACSHA256Tests {
    static let largerThanBlockKey = [UInt8](repeating: 0xaa, count: 131)

    static let rfc4231Vectors = [
        HMACVector(
            number: 1,
            key: [UInt8](repeating: 0x0b, count: 20),
            data: Array("Hi There".utf8),
            codeHex: "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7"
        ),
        HMACVector(
            number: 2,
            key: Array("Jefe".utf8),
            data: Array("what do ya want for nothing?".utf8),
            codeHex: "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        ),
        HMACVector(
            number: 3,
            key: [UInt8](repeating: 0xaa, count: 20),
            data: [UInt8](repeating: 0xdd, count: 50),
            codeHex: "773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe"
        ),
        HMACVector(
            number: 4,
            key: Array(1...25),
            data: [UInt8](repeating: 0xcd, count: 50),
            codeHex: "82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b"
        ),
        HMACVector(
            number: 5,
            key: [UInt8](repeating: 0x0c, count: 20),
            data: Array("Test With Truncation".utf8),
            codeHex: "a3b6167473100ee06e0c796c2955552b"
        ),
        HMACVector(
            number: 6,
            key: largerThanBlockKey,
            data: Array("Test Using Larger Than Block-Size Key - Hash Key First".utf8),
            codeHex: "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54"
        ),
        HMACVector(
            number: 7,
            key: largerThanBlockKey,
            data: Array(
                ("This is a test using a larger than block-size key and a larger than block-size data. "
                    + "The key needs to be hashed before being used by the HMAC algorithm.").utf8
            ),
            codeHex: "9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2"
        ),
    ]

    @Test("the RFC 4231 test cases produce the published codes (case 5 compared on its published 128 bits)",
          arguments: rfc4231Vectors)
    func publishedCodes(vector: HMACVector) {
        let code = HMACSHA256.authenticationCode(for: vector.data, key: vector.key)
        #expect(code.bytes.count == HMACSHA256.byteCount)
        #expect(code.hex.hasPrefix(vector.codeHex))
    }

    @Test("an empty key and an empty message give the well-known code")
    func emptyKeyAndMessage() {
        let code = HMACSHA256.authenticationCode(for: [], key: [])
        #expect(code.hex == "b613679a0814d9ec772f95d778c35fc5ff1697c493715653c6c712144292c5ad")
    }

    @Test("feeding a message in pieces, split anywhere, gives the one-shot code", arguments: propertySeeds)
    func piecesMatchOneShot(seed: UInt64) {
        var generator = SplitMix64(seed: seed)
        for _ in 0..<50 {
            let key = generator.bytes(count: Int.random(in: 0...100, using: &generator))
            let message = generator.bytes(count: Int.random(in: 0...300, using: &generator))
            let cuts = generator.splitPoints(length: message.count, maximumPieces: 6)
            var authenticator = HMACSHA256.Authenticator(key: key)
            for piece in pieces(of: message, cutAt: cuts) {
                authenticator.update(piece)
            }
            let expected = HMACSHA256.authenticationCode(for: message, key: key)
            #expect(authenticator.finalize() == expected, "seed \(seed), cuts \(cuts)")
        }
    }

    @Test("several messages under one key made ready once get each message's own code, in order, empty ones and repeats included", arguments: propertySeeds)
    func severalMessagesMatchOneEach(seed: UInt64) {
        var generator = SplitMix64(seed: seed)
        for _ in 0..<50 {
            let key = generator.bytes(count: Int.random(in: 0...100, using: &generator))
            var messages = (0..<Int.random(in: 0...6, using: &generator)).map { _ in
                String(decoding: generator.bytes(count: Int.random(in: 0...120, using: &generator)), as: UTF8.self)
            }
            if let first = messages.first { messages.append(first) }
            let expected = messages.map { HMACSHA256.authenticationCode(for: $0, key: key) }
            let ready = HMACSHA256.Key(key)
            #expect(messages.map { ready.code(for: $0.utf8) } == expected, "seed \(seed)")
        }
    }

    @Test("a key made ready once gives the published codes, again and again, from threads using it at once")
    func readyKeySharedByThreads() {
        let vectors = Self.rfc4231Vectors
        let keys = vectors.map { HMACSHA256.Key($0.key) }
        let wrong = concurrently(8) { thread in
            (0..<300).filter { round in
                let index = (thread + round) % vectors.count
                return !keys[index].code(for: vectors[index].data).hex.hasPrefix(vectors[index].codeHex)
            }.count
        }
        #expect(wrong.successes() == Array(repeating: 0, count: 8))
    }

    @Test("a key made ready shows nothing of its states when printed or dumped")
    func readyKeyRedacted() {
        let key = HMACSHA256.Key(Array("Jefe".utf8))
        var dumped = ""
        dump(key, to: &dumped)
        #expect(String(describing: key) == "HMACSHA256.Key(<redacted>)")
        #expect(String(reflecting: key) == "HMACSHA256.Key(<redacted>)")
        let lines = dumped.split(separator: "\n")
        #expect(lines.count == 1 && lines[0].hasSuffix("HMACSHA256.Key(<redacted>)"), "no children: \(dumped)")
    }

    @Test("string messages and keys are authenticated as their UTF-8 bytes")
    func stringsAsUTF8() {
        let message = Array("what do ya want for nothing?".utf8)
        let expected = HMACSHA256.authenticationCode(for: message, key: Array("Jefe".utf8))
        #expect(HMACSHA256.authenticationCode(for: "what do ya want for nothing?", key: "Jefe") == expected)
        #expect(HMACSHA256.authenticationCode(for: "what do ya want for nothing?", key: Array("Jefe".utf8)) == expected)
    }
}

@Suite("HMAC-SHA256 verification")
struct HMACSHA256VerificationTests {
    static let key = Array("whsec_merchant_42".utf8)
    static let message = Array(#"1718000000.{"event":"installment.paid","amountMinorUnits":2500}"#.utf8)
    static let code = HMACSHA256.authenticationCode(for: message, key: key).bytes

    @Test("the right code is accepted")
    func rightCodeAccepted() {
        #expect(HMACSHA256.isValid(Self.code, for: Self.message, key: Self.key))
        let text = String(decoding: Self.message, as: UTF8.self)
        #expect(HMACSHA256.isValid(Self.code, for: text, key: Self.key))
        #expect(HMACSHA256.isValid(Self.code, for: text, key: "whsec_merchant_42"))
    }

    @Test("a code with any single bit flipped is rejected")
    func flippedBitRejected() {
        for bit in 0..<(Self.code.count * 8) {
            var forged = Self.code
            forged[bit / 8] ^= 1 << UInt8(bit % 8)
            #expect(!HMACSHA256.isValid(forged, for: Self.message, key: Self.key), "bit \(bit)")
        }
    }

    @Test("a code of the wrong length, truncated or extended, is rejected", arguments: [0, 1, 16, 31, 33, 64])
    func wrongLengthRejected(length: Int) {
        let resized = Array((Self.code + Self.code).prefix(length))
        #expect(!HMACSHA256.isValid(resized, for: Self.message, key: Self.key))
    }

    @Test("a code made for another message is rejected")
    func otherMessageRejected() {
        let tampered = Self.message.map { $0 == UInt8(ascii: "5") ? UInt8(ascii: "9") : $0 }
        #expect(!HMACSHA256.isValid(Self.code, for: tampered, key: Self.key))
    }

    @Test("a code made with another key is rejected")
    func otherKeyRejected() {
        #expect(!HMACSHA256.isValid(Self.code, for: Self.message, key: Array("whsec_merchant_43".utf8)))
    }
}
