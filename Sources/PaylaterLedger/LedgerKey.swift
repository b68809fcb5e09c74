/// The rules every ledger identifier follows.
///
/// Identifiers are chosen by callers (they double as idempotency keys), so they are bounded and restricted to
/// characters that are safe in logs, URLs and every store: letters, digits and `: . _ - /`.
enum LedgerKey {
    /// The longest identifier accepted, in bytes.
    static let lengthMaximum = 128

    /// Returns nil when `text` is a valid identifier, otherwise the reason it is not.
    static func problem(with text: String) -> String? {
        let bytes = text.utf8
        if bytes.isEmpty { return "is empty" }
        if bytes.count > lengthMaximum { return "is longer than \(lengthMaximum) bytes" }
        // Every identifier read back from the store is checked again, dozens per authorization on the single
        // writer: the contiguous bytes are scanned directly where the string has them (native strings do).
        let allAllowed = bytes.withContiguousStorageIfAvailable { $0.allSatisfy(isAllowed) } ?? bytes.allSatisfy(isAllowed)
        return allAllowed ? nil : characterProblem
    }

    /// What `problem(with:)` says of a character outside the allowed ones.
    static let characterProblem = "contains a character other than letters, digits and : . _ - /"

    /// The allowed ASCII bytes as a 128-bit set: bit `b` of `allowedLow` (b < 64) or of `allowedHigh` (b - 64).
    private static let allowedLow: UInt64 = mask(":._-/0123456789".utf8.filter { $0 < 64 }.map { $0 })
    private static let allowedHigh: UInt64 = mask(
        ("ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz".utf8.filter { $0 >= 64 }.map { $0 - 64 }))

    private static func mask(_ bits: [UInt8]) -> UInt64 {
        bits.reduce(0) { $0 | (1 << UInt64($1)) }
    }

    private static func isAllowed(_ byte: UInt8) -> Bool {
        byte < 64 ? allowedLow >> UInt64(byte) & 1 == 1 : byte < 128 && allowedHigh >> UInt64(byte - 64) & 1 == 1
    }
}

/// The identifier of a ledger account, such as `consumer:c42:credit-available:CNY`.
public struct AccountID: Hashable, Comparable, Sendable, CustomStringConvertible {
    private let text: HashedText
    /// The identifier as text.
    public var rawValue: String { text.text }

    /// Validates `rawValue` against the identifier rules.
    public init(_ rawValue: String) throws(LedgerError) {
        if let problem = LedgerKey.problem(with: rawValue) {
            throw .invalidAccountID(rawValue, problem)
        }
        text = HashedText(rawValue)
    }

    /// For identifiers the chart of accounts builds from parts that are already valid.
    init(validated rawValue: String) {
        assert(LedgerKey.problem(with: rawValue) == nil, "invalid account id \(rawValue)")
        text = HashedText(rawValue)
    }

    public var description: String { rawValue }
    public static func < (lhs: AccountID, rhs: AccountID) -> Bool { lhs.rawValue < rhs.rawValue }
}

/// The identifier of a transfer, chosen by the caller: it is the transfer's idempotency key.
public struct TransferID: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// The longest identifier accepted, in bytes.
    public static var lengthMaximum: Int { LedgerKey.lengthMaximum }

    private let text: HashedText
    /// The identifier as text.
    public var rawValue: String { text.text }

    /// Validates `rawValue` against the identifier rules.
    public init(_ rawValue: String) throws(LedgerError) {
        if let problem = LedgerKey.problem(with: rawValue) {
            throw .invalidTransferID(rawValue, problem)
        }
        text = HashedText(rawValue)
    }

    public var description: String { rawValue }
    public static func < (lhs: TransferID, rhs: TransferID) -> Bool { lhs.rawValue < rhs.rawValue }
}

/// An identifier's text and its hash, worked out once when the identifier is made. Why: a ledger submit puts the
/// same few account and transfer ids into a dozen sets and dictionaries (ids to load, to lock, balances by account,
/// pending states by transfer), and hashing their 40-70 bytes again each time was about 5% of the single writer's
/// instructions per authorization (callgrind, 2026-12-06). Equal texts have equal hashes within a process (the
/// hash is Swift's own, seeded per process like every `Set` and `Dictionary`), so equality may reject on the hash
/// first and still compares the texts.
struct HashedText: Hashable, Sendable {
    let text: String
    private let hash: Int

    init(_ text: String) {
        self.text = text
        hash = text.hashValue
    }

    static func == (left: HashedText, right: HashedText) -> Bool { left.hash == right.hash && left.text == right.text }

    func hash(into hasher: inout Hasher) { hasher.combine(hash) }
}
