internal import CCrypto

/// Bytes and tokens from OpenSSL's cryptographically secure generator, for API keys, secrets and ids.
///
/// OpenSSL seeds itself from the operating system and reseeds after `fork`, so callers need no setup.
public enum SecureRandom {
    /// The most bytes one call returns: a bound on the work a caller can ask for, far above any key or id.
    public static let byteCountMaximum = 65_536

    /// The fewest bytes a token may have: 128 bits, below which a token could be guessed.
    public static let tokenByteCountMinimum = 16

    /// `count` random bytes from `RAND_bytes`, where `count` is in `0...byteCountMaximum`.
    public static func bytes(count: Int) throws(CryptoError) -> [UInt8] {
        try fill(count: count, allowed: 0...byteCountMaximum, function: "RAND_bytes", RAND_bytes)
    }

    /// A token of `byteCount` random bytes as URL-safe base64 without padding (see `Base64URL`); 32 bytes give 43
    /// characters.
    ///
    /// The bytes come from `RAND_priv_bytes`, OpenSSL's generator reserved for values that must stay secret, since
    /// tokens become API keys. `byteCount` must be in `tokenByteCountMinimum...byteCountMaximum`.
    public static func token(byteCount: Int = 32) throws(CryptoError) -> String {
        let allowed = tokenByteCountMinimum...byteCountMaximum
        let bytes = try fill(count: byteCount, allowed: allowed, function: "RAND_priv_bytes", RAND_priv_bytes)
        return Base64URL.encode(bytes)
    }

    private static func fill(
        count: Int,
        allowed: ClosedRange<Int>,
        function: String,
        _ generate: (UnsafeMutablePointer<UInt8>?, Int32) -> Int32
    ) throws(CryptoError) -> [UInt8] {
        guard allowed.contains(count) else { throw .byteCountOutOfRange(count, allowed: allowed) }
        guard count > 0 else { return [] }
        var bytes = [UInt8](repeating: 0, count: count)
        let status = bytes.withUnsafeMutableBufferPointer { buffer in
            generate(buffer.baseAddress, Int32(buffer.count))
        }
        try OpenSSL.check(status, function)
        return bytes
    }
}
