internal import CCrypto

/// HMAC-SHA256 (RFC 2104) message authentication, used to sign webhooks that merchants verify with a shared secret.
public enum HMACSHA256 {
    /// The length of an HMAC-SHA256 code in bytes.
    public static let byteCount = 32

    /// The authentication code of `message` under `key`.
    public static func authenticationCode(for message: [UInt8], key: [UInt8]) -> Digest {
        code(for: message, key: key)
    }

    /// The authentication code of `message`'s UTF-8 bytes under `key`.
    public static func authenticationCode(for message: String, key: [UInt8]) -> Digest {
        code(for: message.utf8, key: key)
    }

    /// The authentication code of `message`'s UTF-8 bytes under `key`'s UTF-8 bytes.
    public static func authenticationCode(for message: String, key: String) -> Digest {
        code(for: message.utf8, key: Array(key.utf8))
    }

    /// Whether `code` is the authentication code of `message` under `key`.
    ///
    /// Compares in constant time (`CRYPTO_memcmp`) so that response timing does not reveal how many leading bytes
    /// of a forged code were right. A code of the wrong length, including a truncated one, is rejected.
    public static func isValid(_ code: [UInt8], for message: [UInt8], key: [UInt8]) -> Bool {
        matches(code, authenticationCode(for: message, key: key))
    }

    /// Whether `code` is the authentication code of `message`'s UTF-8 bytes under `key`, compared in constant time.
    public static func isValid(_ code: [UInt8], for message: String, key: [UInt8]) -> Bool {
        matches(code, authenticationCode(for: message, key: key))
    }

    /// Whether `code` is the authentication code of `message`'s UTF-8 bytes under `key`'s UTF-8 bytes, compared in
    /// constant time.
    public static func isValid(_ code: [UInt8], for message: String, key: String) -> Bool {
        matches(code, authenticationCode(for: message, key: key))
    }

    private static func code(for message: some Sequence<UInt8>, key: [UInt8]) -> Digest {
        Key(key).code(for: message)
    }

    private static func matches(_ code: [UInt8], _ expected: Digest) -> Bool {
        guard code.count == expected.bytes.count else { return false }
        return code.withUnsafeBytes { presented in
            expected.bytes.withUnsafeBytes { computed in
                CRYPTO_memcmp(presented.baseAddress, computed.baseAddress, computed.count) == 0
            }
        }
    }
}
