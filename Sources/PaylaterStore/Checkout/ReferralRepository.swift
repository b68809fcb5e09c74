public import PaylaterTime

/// A referred checkout (`referrals`): who and when, and its review once there is one.
public struct ReferralRecord: Sendable, Hashable {
    public var checkoutID: String
    public var merchantID: String
    public var consumerID: String
    public var referredAt: Instant
    /// Nil while the referral awaits review.
    public var review: ReferralReviewRecord?

    public init(checkoutID: String, merchantID: String, consumerID: String, referredAt: Instant, review: ReferralReviewRecord? = nil) {
        self.checkoutID = checkoutID
        self.merchantID = merchantID
        self.consumerID = consumerID
        self.referredAt = referredAt
        self.review = review
    }
}

/// How a referral was reviewed: the verdict (`approved`, `declined` or `expired`), by whom and why (nil for an
/// expiry), and the checkout's outcome (`authorized` or `declined`: an approval the decline rules turn down is
/// declined). A referral the merchant withdrew before any review has the verdict `withdrawn` (no reviewer or note)
/// and the outcome `cancelled`.
public struct ReferralReviewRecord: Sendable, Hashable {
    public var verdict: String
    public var reviewedBy: String?
    public var note: String?
    public var outcome: String
    public var at: Instant

    public init(verdict: String, reviewedBy: String?, note: String?, outcome: String, at: Instant) {
        self.verdict = verdict
        self.reviewedBy = reviewedBy
        self.note = note
        self.outcome = outcome
        self.at = at
    }
}

/// The referrals: made when an authorization refers its checkout, and reviewed once.
public struct ReferralRepository {
    private let connection: any SQLConnection

    public init(_ connection: any SQLConnection) { self.connection = connection }

    /// The verdict of a referral its merchant withdrew (schema version 19).
    public static let withdrawn = "withdrawn"

    /// Records a checkout referred by its authorization, in the authorization's transaction.
    public func insert(_ referral: ReferralRecord) throws(StoreError) {
        precondition(referral.review == nil, "a referral is made awaiting review")
        try connection.execute(
            "INSERT INTO referrals (checkout_id, merchant_id, consumer_id, referred_at) VALUES (?, ?, ?, ?)",
            [
                .text(referral.checkoutID), .text(referral.merchantID), .text(referral.consumerID),
                .integer(referral.referredAt.nanosecondsSinceUnixEpoch),
            ])
    }

    /// The referral of checkout `checkoutID`, whichever merchant's it is (checkout ids are unique: random, and led
    /// by the time they were made).
    public func referral(checkoutID: String) throws(StoreError) -> ReferralRecord? {
        let rows = try connection.query("\(Self.select) WHERE checkout_id = ?", [.text(checkoutID)])
        guard rows.count <= 1 else { throw StoreError.inconsistent("checkout id \(checkoutID) is referred for \(rows.count) merchants") }
        return try rows.first.map(Self.referral)
    }

    /// Up to `limit` referrals awaiting review, the longest waiting first; with `referredBy`, only those made by
    /// then.
    public func awaitingReview(limit: Int, referredBy: Instant? = nil) throws(StoreError) -> [ReferralRecord] {
        let before = referredBy?.nanosecondsSinceUnixEpoch ?? .max
        return try connection.query(
            "\(Self.select) WHERE verdict IS NULL AND referred_at <= ? ORDER BY referred_at, checkout_id LIMIT ?",
            [.integer(before), .integer(Int64(limit))]
        ).map(Self.referral)
    }

    /// How many referrals await review, and when the oldest of them was made (nil with none): what `/metrics`
    /// shows staff of their queue. One read of the queue's index.
    public func awaitingSummary() throws(StoreError) -> (count: Int64, oldest: Instant?) {
        let row = try connection.query("SELECT COUNT(*), MIN(referred_at) FROM referrals WHERE verdict IS NULL", []).first
        return (try row?.int64(0) ?? 0, try row?.optionalInt64(1).map(Instant.init(nanosecondsSinceUnixEpoch:)))
    }

    /// Records the review of a referral awaiting one; false when it has one already (the caller's transaction
    /// holds the checkout's lock, so that is a review that committed first).
    public func recordReview(checkoutID: String, merchantID: String, _ review: ReferralReviewRecord) throws(StoreError) -> Bool {
        try connection.executeBatch(
            """
            UPDATE referrals SET verdict = ?, reviewed_by = ?, note = ?, outcome = ?, reviewed_at = ?
            WHERE checkout_id = ? AND merchant_id = ? AND verdict IS NULL
            """,
            [
                [
                    .text(review.verdict), .text(review.reviewedBy), .text(review.note), .text(review.outcome),
                    .integer(review.at.nanosecondsSinceUnixEpoch), .text(checkoutID), .text(merchantID),
                ]
            ]) == 1
    }

    private static let select = """
        SELECT checkout_id, merchant_id, consumer_id, referred_at, verdict, reviewed_by, note, outcome, reviewed_at
        FROM referrals
        """

    private static func referral(_ row: SQLRow) throws(StoreError) -> ReferralRecord {
        var review: ReferralReviewRecord?
        if let verdict = try row.optionalText(4) {
            guard let outcome = try row.optionalText(7), let at = try row.optionalInt64(8) else {
                throw StoreError.unreadableRow("referral \(try row.text(0)) has a verdict without its outcome or time")
            }
            review = ReferralReviewRecord(
                verdict: verdict, reviewedBy: try row.optionalText(5), note: try row.optionalText(6), outcome: outcome,
                at: Instant(nanosecondsSinceUnixEpoch: at))
        }
        return ReferralRecord(
            checkoutID: try row.text(0), merchantID: try row.text(1), consumerID: try row.text(2),
            referredAt: Instant(nanosecondsSinceUnixEpoch: try row.int64(3)), review: review)
    }
}
