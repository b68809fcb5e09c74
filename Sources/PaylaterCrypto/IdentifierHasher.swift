/// Turns a personal identifier (phone number, e-mail, national id) into a stable pseudonym for stored decision
/// snapshots: the hex HMAC-SHA256 of the identifier under a platform secret.
///
/// Keyed because identifiers are guessable: there are only about 10^10 phone numbers in a country, so anyone holding
/// an unkeyed SHA-256 could hash them all and reverse every entry in an afternoon; that is not pseudonymisation.
/// Without the key the pseudonyms reveal nothing, and the same identifier still maps to the same pseudonym so that
/// snapshots can be joined. Callers must canonicalise first (E.164 phone numbers, lower-cased e-mail addresses):
/// the hash sees only bytes. The key never appears in descriptions, dumps or logs.
public struct IdentifierHasher: Sendable, CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    /// The shortest key accepted: HMAC-SHA256 gives its full strength only with a key of at least 32 bytes.
    public static let keyByteCountMinimum = 32

    /// The secret made ready once (`HMACSHA256.Key`): each pseudonym then costs two SHA-256 blocks for a short
    /// identifier, and a decision hashes four.
    private let key: HMACSHA256.Key

    /// A hasher with the platform secret `key`, which must be at least `keyByteCountMinimum` bytes; validate
    /// configured secrets against that before constructing one, since a shorter key stops the process.
    public init(key: [UInt8]) {
        precondition(
            key.count >= Self.keyByteCountMinimum,
            "IdentifierHasher key has \(key.count) bytes; at least \(Self.keyByteCountMinimum) are required"
        )
        self.key = HMACSHA256.Key(key)
    }

    /// The pseudonym of `identifier`: 64 lower-case hex digits, the same for the same identifier and key.
    public func hash(_ identifier: String) -> String {
        key.code(for: identifier.utf8).hex
    }

    /// The pseudonyms of `identifiers`, in order: the same as `hash(_:)` of each.
    public func hashes(_ identifiers: [String]) -> [String] {
        identifiers.map(hash)
    }

    public var description: String { "IdentifierHasher(key: <redacted>)" }

    public var debugDescription: String { description }

    public var customMirror: Mirror { Mirror(self, children: [:]) }
}
