public import PaylaterTime

/// A person's verdict on a referred application, which the engine decides again at the time of the verdict
/// (`CreditApplication.review`).
///
/// A referral means "a person looks at this before the order goes ahead": the rules that refer (a first order of
/// high value, a far shipping address, a score in the review band) ask a question a reviewer answers. The rules
/// that decline ask none, and they may have changed since the referral (the shopper blocked, their limit frozen,
/// their own spending cap used up, the platform's exposure stopped), so an approval is decided again on the
/// shopper's context at the time of the verdict, with only the referrals cleared.
public struct ReferralReview: Sendable, Hashable, Codable {
    public enum Verdict: Sendable, Hashable, Codable {
        /// The reviewer clears the referral; the decline rules still apply.
        case approved(by: String, note: String)
        /// The reviewer declines the order.
        case declined(by: String, note: String)
        /// Nobody reviewed the referral within `windowSeconds`: it is declined rather than left waiting.
        case expired(windowSeconds: Int64)
    }

    /// The referred decision this one reviews.
    public var referredDecisionId: String
    /// When the referred application was made: its own velocity event is not counted again against the review.
    public var referredAt: Instant
    public var verdict: Verdict

    public init(referredDecisionId: String, referredAt: Instant, verdict: Verdict) {
        self.referredDecisionId = referredDecisionId
        self.referredAt = referredAt
        self.verdict = verdict
    }

    /// Whether the verdict clears the referral (the engine then decides on the decline rules alone).
    public var approves: Bool {
        if case .approved = verdict { true } else { false }
    }
}
