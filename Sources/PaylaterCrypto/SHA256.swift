/// SHA-256 (FIPS 180-4) over OpenSSL's libcrypto (its low-level SHA-256 functions: `SHA256.Hasher`).
///
/// Unkeyed, so only for values an attacker cannot enumerate, such as randomly generated API keys. Personal
/// identifiers go through `IdentifierHasher` instead.
public enum SHA256 {
    /// The length of a SHA-256 digest in bytes.
    public static let byteCount = 32

    /// The digest of `bytes`.
    public static func hash(_ bytes: some Sequence<UInt8>) -> Digest {
        var hasher = Hasher()
        hasher.update(bytes)
        return hasher.finalize()
    }

    /// The digest of `string`'s UTF-8 bytes.
    public static func hash(_ string: String) -> Digest {
        hash(string.utf8)
    }
}
