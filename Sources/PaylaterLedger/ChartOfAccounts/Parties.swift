/// A kind of party whose identifier becomes part of account ids (a consumer, a merchant, a plan).
public protocol PartyKind: Sendable {
    /// The word used in messages, such as "consumer".
    static var name: String { get }
}

/// The identifier of a party of kind `Kind`; the phantom type keeps a consumer id from being passed as a plan id.
public struct PartyID<Kind: PartyKind>: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// The longest identifier accepted, in bytes.
    public static var lengthMaximum: Int { 64 }

    public let rawValue: String

    /// Validates `rawValue`: the ledger identifier rules, at most 64 bytes, and no ':' (the account id separator).
    public init(_ rawValue: String) throws(LedgerError) {
        let problem: String? =
            if rawValue.utf8.count > Self.lengthMaximum { "is longer than \(Self.lengthMaximum) bytes" }
            else if rawValue.contains(":") { "contains ':' (it separates the parts of account ids)" }
            else if let problem = LedgerKey.problem(with: rawValue) {
                // A party id may not hold the ':' the ledger's own rule allows: say the rule that applies.
                problem == LedgerKey.characterProblem ? "contains a character other than letters, digits and . _ - /" : problem
            } else { nil }
        if let problem { throw .invalidPartyID(kind: Kind.name, rawValue, problem) }
        self.rawValue = rawValue
    }

    public var description: String { rawValue }
    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.rawValue < rhs.rawValue }
}

/// A shopper on the platform.
public enum Consumer: PartyKind { public static let name = "consumer" }
/// A merchant selling with Paylater.
public enum Merchant: PartyKind { public static let name = "merchant" }
/// A repayment plan: one purchase on pay-in-4, a split statement, a financing loan.
public enum Plan: PartyKind { public static let name = "plan" }

public typealias ConsumerID = PartyID<Consumer>
public typealias MerchantID = PartyID<Merchant>
public typealias PlanID = PartyID<Plan>
