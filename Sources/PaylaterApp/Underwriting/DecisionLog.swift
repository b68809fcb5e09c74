public import PaylaterLedger
public import PaylaterStore
public import PaylaterUnderwriting

/// The stored credit decisions, read for operators and audit: why a shopper was approved, declined or referred, in
/// the shopper's words and the operator's, with the inputs it was taken on. Reading needs no policy or model;
/// replaying does (`UnderwritingService.replay`).
public struct DecisionLog: Sendable {
    /// The most decisions one listing returns.
    public static let listingMaximum = 1_000

    public let database: any Database

    public init(database: any Database) {
        self.database = database
    }

    /// One decision of `consumer`.
    /// - Throws: `UnderwritingError.decisionNotFound`.
    public func decision(consumer: ConsumerID, id: String) throws -> CreditDecision {
        try database.read { connection in
            guard let stored = try UnderwritingRepository(connection).decision(consumerID: consumer.rawValue, decisionID: id)
            else { throw UnderwritingError.decisionNotFound(consumer: consumer.rawValue, id: id) }
            return try UnderwritingService.decode(stored.document)
        }
    }

    /// `consumer`'s latest decisions, newest first, at most `limit` (1 to `listingMaximum`).
    public func decisions(consumer: ConsumerID, limit: Int) throws -> [CreditDecision] {
        precondition((1...Self.listingMaximum).contains(limit), "a listing returns 1 to \(Self.listingMaximum) decisions")
        return try database.read { connection in
            try UnderwritingRepository(connection).decisions(consumerID: consumer.rawValue, limit: limit)
                .map { try UnderwritingService.decode($0.document) }
        }
    }
}
