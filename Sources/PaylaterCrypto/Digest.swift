/// The output of SHA-256 or HMAC-SHA256: 32 bytes, shown as lower-case hex.
///
/// `==` is an ordinary comparison and may return early; to check a code someone presented, use
/// `HMACSHA256.isValid`, which compares in constant time.
public struct Digest: Hashable, Sendable, CustomStringConvertible {
    /// The raw digest bytes.
    public let bytes: [UInt8]

    init(bytes: [UInt8]) {
        self.bytes = bytes
    }

    /// The bytes as lower-case hex, two digits per byte: the form stored in the database and sent in headers.
    public var hex: String { Hex.encode(bytes) }

    public var description: String { hex }
}
