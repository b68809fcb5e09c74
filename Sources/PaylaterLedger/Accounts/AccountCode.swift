/// What kind of account this is, as a number the chart of accounts gives meaning to.
///
/// The ledger engine treats it as opaque (like TigerBeetle's `code`); `AccountType` names the codes Paylater uses.
public struct AccountCode: Hashable, Comparable, Sendable, CustomStringConvertible {
    public let rawValue: UInt16
    public init(_ rawValue: UInt16) { self.rawValue = rawValue }
    public var description: String { String(rawValue) }
    public static func < (lhs: AccountCode, rhs: AccountCode) -> Bool { lhs.rawValue < rhs.rawValue }
}

/// Why a transfer happened, as a number the application gives meaning to (for example "authorization hold").
public struct TransferCode: Hashable, Comparable, Sendable, CustomStringConvertible {
    public let rawValue: UInt16
    public init(_ rawValue: UInt16) { self.rawValue = rawValue }
    public var description: String { String(rawValue) }
    public static func < (lhs: TransferCode, rhs: TransferCode) -> Bool { lhs.rawValue < rhs.rawValue }
}
