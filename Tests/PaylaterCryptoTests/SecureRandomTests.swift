import PaylaterCrypto
import Testing

@Suite("Secure random source")
struct SecureRandomTests {
    static let tokenAlphabet = Set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")

    @Test("random bytes come back in the number asked for",
          arguments: [0, 1, 16, 32, 1_000, SecureRandom.byteCountMaximum])
    func requestedLength(count: Int) throws {
        #expect(try SecureRandom.bytes(count: count).count == count)
    }

    @Test("two draws of 32 bytes differ")
    func drawsDiffer() throws {
        #expect(try SecureRandom.bytes(count: 32) != SecureRandom.bytes(count: 32))
    }

    @Test("a byte count below zero or above the maximum is refused", arguments: [
        -1, Int.min, SecureRandom.byteCountMaximum + 1, Int.max,
    ])
    func countOutOfRange(count: Int) {
        let allowed = 0...SecureRandom.byteCountMaximum
        #expect(throws: CryptoError.byteCountOutOfRange(count, allowed: allowed)) {
            try SecureRandom.bytes(count: count)
        }
    }

    @Test("a token is URL-safe base64 without padding, four characters per three bytes rounded up",
          arguments: [16, 17, 18, 32, 33])
    func tokenForm(byteCount: Int) throws {
        let token = try SecureRandom.token(byteCount: byteCount)
        #expect(token.count == (byteCount * 4 + 2) / 3)
        #expect(token.allSatisfy { Self.tokenAlphabet.contains($0) })
    }

    @Test("a default token carries 32 bytes in 43 characters, and two tokens differ")
    func defaultTokens() throws {
        let first = try SecureRandom.token()
        let second = try SecureRandom.token()
        #expect(first.count == 43)
        #expect(first != second)
    }

    @Test("a token shorter than 128 bits is refused", arguments: [0, 8, SecureRandom.tokenByteCountMinimum - 1])
    func tokenTooShort(byteCount: Int) {
        let allowed = SecureRandom.tokenByteCountMinimum...SecureRandom.byteCountMaximum
        #expect(throws: CryptoError.byteCountOutOfRange(byteCount, allowed: allowed)) {
            try SecureRandom.token(byteCount: byteCount)
        }
    }
}
