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
        for byte in bytes where !isAllowed(byte) {
            return "contains a character other than letters, digits and : . _ - /"
        }
        return nil
    }

    private static func isAllowed(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"):
            return true
        case UInt8(ascii: ":"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "-"), UInt8(ascii: "/"):
            return true
        default:
            return false
        }
    }
}

/// The identifier of a ledger account, such as `consumer:c42:credit-available:CNY`.
public struct AccountID: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// The identifier as text.
    public let rawValue: String

    /// Validates `rawValue` against the identifier rules.
    public init(_ rawValue: String) throws(LedgerError) {
        if let problem = LedgerKey.problem(with: rawValue) {
            throw .invalidAccountID(rawValue, problem)
        }
        self.rawValue = rawValue
    }

    /// For identifiers the chart of accounts builds from parts that are already valid.
    init(validated rawValue: String) {
        assert(LedgerKey.problem(with: rawValue) == nil, "invalid account id \(rawValue)")
        self.rawValue = rawValue
    }

    public var description: String { rawValue }
    public static func < (lhs: AccountID, rhs: AccountID) -> Bool { lhs.rawValue < rhs.rawValue }
}

/// The identifier of a transfer, chosen by the caller: it is the transfer's idempotency key.
public struct TransferID: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// The identifier as text.
    public let rawValue: String

    /// Validates `rawValue` against the identifier rules.
    public init(_ rawValue: String) throws(LedgerError) {
        if let problem = LedgerKey.problem(with: rawValue) {
            throw .invalidTransferID(rawValue, problem)
        }
        self.rawValue = rawValue
    }

    public var description: String { rawValue }
    public static func < (lhs: TransferID, rhs: TransferID) -> Bool { lhs.rawValue < rhs.rawValue }
}
