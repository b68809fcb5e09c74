public import PaylaterLedger
public import PaylaterStore
public import PaylaterTime

/// A shopper's place on the blocked list, which the credit policy knocks out (`blocked_list`): fraud, a shopper's
/// own request, a court order. Every change says who made it and why, in the same transaction as the change.
public struct ShopperStanding: Sendable {
    /// The longest reason and the longest name of who made a change, in bytes.
    public static let reasonLengthMaximum = 500
    public static let changedByLengthMaximum = 100

    public let database: any Database
    public let clock: any Clock

    public init(database: any Database, clock: any Clock) {
        self.database = database
        self.clock = clock
    }

    /// What a block or an unblock did.
    public enum Outcome: Sendable, Hashable {
        /// The standing changed; the change is logged.
        case changed(StandingChangeRecord)
        /// The shopper already stood so (a retry, or a second operator): nothing written. The change that put them
        /// there, if one is logged.
        case unchanged(since: StandingChangeRecord?)
    }

    /// Puts `consumer` on the blocked list: their next credit decision is declined (`blocked_list`). Plans, holds and
    /// the limit stay as they are. Blocking a blocked shopper changes nothing.
    /// - Throws: `StandingError` for an empty or overlong reason or name.
    public func block(_ consumer: ConsumerID, reason: String, by changedBy: String) throws -> Outcome {
        try change(consumer, blocked: true, reason: reason, by: changedBy)
    }

    /// Takes `consumer` off the blocked list. Unblocking a shopper who is not blocked changes nothing.
    public func unblock(_ consumer: ConsumerID, reason: String, by changedBy: String) throws -> Outcome {
        try change(consumer, blocked: false, reason: reason, by: changedBy)
    }

    /// `consumer`'s standing changes, oldest first.
    public func history(_ consumer: ConsumerID) throws -> [StandingChangeRecord] {
        try database.read { connection in try UnderwritingRepository(connection).standingChanges(consumerID: consumer.rawValue) }
    }

    private func change(_ consumer: ConsumerID, blocked: Bool, reason: String, by changedBy: String) throws -> Outcome {
        try Self.check(reason, field: "reason", maximum: Self.reasonLengthMaximum)
        try Self.check(changedBy, field: "by", maximum: Self.changedByLengthMaximum)
        let now = clock.now()
        return try database.write { connection in
            let repository = UnderwritingRepository(connection)
            guard try repository.changeBlocked(blocked, consumerID: consumer.rawValue, at: now) else {
                return .unchanged(since: try repository.standingChanges(consumerID: consumer.rawValue).last { $0.blocked == blocked })
            }
            let change = StandingChangeRecord(
                consumerID: consumer.rawValue, blocked: blocked, reason: reason, changedBy: changedBy, at: now)
            try repository.logStandingChange(change)
            return .changed(change)
        }
    }

    /// `OperatorText`, at most `maximum` bytes.
    private static func check(_ text: String, field: String, maximum: Int) throws(StandingError) {
        guard OperatorText.isAcceptable(text, maximum: maximum) else {
            throw StandingError.invalidField(field, OperatorText.expectation(maximum: maximum))
        }
    }
}

/// Why a standing change was refused; nothing was written.
public enum StandingError: Error, Equatable, Sendable, CustomStringConvertible {
    case invalidField(String, String)

    public var description: String {
        switch self {
        case let .invalidField(field, expected): "'\(field)' must be \(expected)"
        }
    }
}
