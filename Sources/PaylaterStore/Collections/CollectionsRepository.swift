public import PaylaterTime

/// What bears on contacting a debtor (`debtor_contact_standings`): their jurisdiction's code and the rest as a JSON
/// document the collections service reads.
public struct DebtorStandingRecord: Sendable, Hashable {
    public var consumerID: String
    public var jurisdiction: String
    public var document: String
    public var updatedBy: String
    public var updatedAt: Instant

    public init(consumerID: String, jurisdiction: String, document: String, updatedBy: String, updatedAt: Instant) {
        self.consumerID = consumerID
        self.jurisdiction = jurisdiction
        self.document = document
        self.updatedBy = updatedBy
        self.updatedAt = updatedAt
    }
}

/// A contact the compliance guard weighed (`contact_attempts`): made (`allowed`) or refused, with the refusals as a
/// JSON array of their descriptions. `details` holds the rest of the proposal as JSON (collectors, notice, consent,
/// whether a third party was to hear of the debt).
public struct ContactAttemptRecord: Sendable, Hashable {
    public var consumerID: String
    public var attemptID: String
    public var debtID: String
    public var channel: String
    public var party: String
    public var place: String
    public var number: String?
    public var at: Instant
    public var conversation: Bool
    public var requestedByDebtor: Bool
    public var details: String
    public var collector: String
    public var verdict: String
    public var refusals: String

    public init(
        consumerID: String, attemptID: String, debtID: String, channel: String, party: String, place: String,
        number: String?, at: Instant, conversation: Bool, requestedByDebtor: Bool, details: String, collector: String,
        verdict: String, refusals: String
    ) {
        self.consumerID = consumerID
        self.attemptID = attemptID
        self.debtID = debtID
        self.channel = channel
        self.party = party
        self.place = place
        self.number = number
        self.at = at
        self.conversation = conversation
        self.requestedByDebtor = requestedByDebtor
        self.details = details
        self.collector = collector
        self.verdict = verdict
        self.refusals = refusals
    }
}

/// Debtors' contact standings and the contacts weighed, inside the caller's transaction.
public struct CollectionsRepository {
    private let connection: any SQLConnection

    public init(_ connection: any SQLConnection) { self.connection = connection }

    /// The debtor's standing; `forUpdate` locks its row where rows are locked, so that contacts with one debtor are
    /// weighed one after the other (two collectors at once must not both make the seventh call).
    public func standing(consumerID: String, forUpdate: Bool = false) throws(StoreError) -> DebtorStandingRecord? {
        let lock = forUpdate ? connection.dialect.lockRowsClause : ""
        return try connection.query(
            "SELECT consumer_id, jurisdiction, document, updated_by, updated_at FROM debtor_contact_standings WHERE consumer_id = ?\(lock)",
            [.text(consumerID)]
        ).first.map { row throws(StoreError) in
            DebtorStandingRecord(
                consumerID: try row.text(0), jurisdiction: try row.text(1), document: try row.text(2),
                updatedBy: try row.text(3), updatedAt: Instant(nanosecondsSinceUnixEpoch: try row.int64(4)))
        }
    }

    /// Replaces the debtor's standing whole, in place: a contact being weighed meanwhile (which locks the row) waits
    /// for it and reads the new standing, never none.
    public func replaceStanding(_ standing: DebtorStandingRecord) throws(StoreError) {
        try connection.execute(
            """
            INSERT INTO debtor_contact_standings (consumer_id, jurisdiction, document, updated_by, updated_at)
            VALUES (?, ?, ?, ?, ?)
            ON CONFLICT (consumer_id) DO UPDATE SET jurisdiction = excluded.jurisdiction, document = excluded.document,
                updated_by = excluded.updated_by, updated_at = excluded.updated_at
            """,
            [
                .text(standing.consumerID), .text(standing.jurisdiction), .text(standing.document), .text(standing.updatedBy),
                .integer(standing.updatedAt.nanosecondsSinceUnixEpoch),
            ])
    }

    public func insert(_ attempt: ContactAttemptRecord) throws(StoreError) {
        try connection.execute(
            """
            INSERT INTO contact_attempts (consumer_id, attempt_id, debt_id, channel, party, place, number, at, conversation,
                requested_by_debtor, details, collector, verdict, refusals)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """,
            [
                .text(attempt.consumerID), .text(attempt.attemptID), .text(attempt.debtID), .text(attempt.channel),
                .text(attempt.party), .text(attempt.place), .text(attempt.number), .integer(attempt.at.nanosecondsSinceUnixEpoch),
                .integer(attempt.conversation ? 1 : 0), .integer(attempt.requestedByDebtor ? 1 : 0), .text(attempt.details),
                .text(attempt.collector), .text(attempt.verdict), .text(attempt.refusals),
            ])
    }

    /// Records that a made contact came to a conversation (told after the call: it is weighed before anyone answers).
    public func recordConversation(consumerID: String, attemptID: String) throws(StoreError) {
        try connection.execute(
            "UPDATE contact_attempts SET conversation = 1 WHERE consumer_id = ? AND attempt_id = ? AND verdict = 'allowed'",
            [.text(consumerID), .text(attemptID)])
    }

    /// The contact recorded under `attemptID` for the debtor (a retry finds it).
    public func attempt(consumerID: String, attemptID: String) throws(StoreError) -> ContactAttemptRecord? {
        try connection.query("\(Self.select) WHERE consumer_id = ? AND attempt_id = ?", [.text(consumerID), .text(attemptID)])
            .first.map(Self.attempt)
    }

    /// The debtor's contacts weighed from `since` to `until` (each end open when nil), only those made (`allowed`)
    /// with `madeOnly`, oldest first, at most `limit` of the newest.
    public func attempts(
        consumerID: String, since: Instant? = nil, until: Instant? = nil, madeOnly: Bool = false, limit: Int = 10_000
    ) throws(StoreError) -> [ContactAttemptRecord] {
        let made = madeOnly ? " AND verdict = 'allowed'" : ""
        return try connection.query(
            "\(Self.select) WHERE consumer_id = ? AND at >= ? AND at <= ?\(made) ORDER BY at DESC, attempt_id DESC LIMIT ?",
            [
                .text(consumerID), .integer(since?.nanosecondsSinceUnixEpoch ?? .min),
                .integer(until?.nanosecondsSinceUnixEpoch ?? .max), .integer(Int64(limit)),
            ]
        ).map(Self.attempt).reversed()
    }

    private static let select = """
        SELECT consumer_id, attempt_id, debt_id, channel, party, place, number, at, conversation, requested_by_debtor,
            details, collector, verdict, refusals
        FROM contact_attempts
        """

    private static func attempt(_ row: SQLRow) throws(StoreError) -> ContactAttemptRecord {
        ContactAttemptRecord(
            consumerID: try row.text(0), attemptID: try row.text(1), debtID: try row.text(2), channel: try row.text(3),
            party: try row.text(4), place: try row.text(5), number: try row.optionalText(6),
            at: Instant(nanosecondsSinceUnixEpoch: try row.int64(7)), conversation: try row.int64(8) != 0,
            requestedByDebtor: try row.int64(9) != 0, details: try row.text(10), collector: try row.text(11),
            verdict: try row.text(12), refusals: try row.text(13))
    }
}
