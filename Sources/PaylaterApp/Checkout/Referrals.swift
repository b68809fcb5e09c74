import Foundation
public import PaylaterLedger
public import PaylaterMoney
public import PaylaterStore
import PaylaterProducts
public import PaylaterTime
public import PaylaterUnderwriting

/// A referred checkout as the review queue shows it: the order, and why it was referred in the operator's words.
public struct AwaitingReferral: Sendable, Hashable {
    public let checkoutID: String
    public let merchantID: String
    public let consumer: ConsumerID
    public let referredAt: Instant
    /// When it expires unreviewed (the policy's `referralReviewWindow` after `referredAt`).
    public let expiresAt: Instant
    public let amount: Money
    /// The product the shopper chose.
    public let productID: String
    /// The referred decision: its reasons (`operatorDetail` for staff), score and band.
    public let decision: CreditDecision
}

/// What a review of a referral did.
public struct ReviewedReferral: Sendable, Hashable {
    public let checkoutID: String
    /// The checkout's outcome now: an order, or a decline with the shopper's reasons.
    public let outcome: AuthorizationOutcome
    /// The decision the review took (`<checkout>:review`), with the verdict in its snapshot and, when the decline
    /// rules turned an approval down, their reasons.
    public let decision: CreditDecision
    /// False when the same review had been recorded before (a retry): nothing was written now.
    public let isNew: Bool
}

/// Why a review was refused; nothing was written.
public enum ReferralError: Error, Equatable, Sendable, CustomStringConvertible {
    case notReferred(checkoutID: String)
    /// The merchant cancelled the checkout while it awaited review (`CheckoutService.cancelCheckout`).
    case withdrawn(checkoutID: String)
    /// The referral was reviewed before with another verdict, note or reviewer.
    case alreadyReviewed(checkoutID: String, verdict: String, by: String?)
    /// An approval that cannot be granted: the model could not score the application, so there is no score band
    /// to take a limit and the products from. The referral stays awaiting review; it can be declined.
    case cannotApprove(checkoutID: String, detail: String)
    /// A person's verdict on a referral whose review window ended at `expiredAt`: it is declined as expired
    /// (`CheckoutService.expireReferrals`), however late the pass that does so runs.
    case reviewWindowPassed(checkoutID: String, expiredAt: Instant)
    case invalidField(String, String)
    /// A reviewer's verdict under another policy or champion model than the referral was decided under (by id and
    /// by name; a newer version of either is the one in force): most likely the review was given the example files.
    case otherPolicyOrModel(checkoutID: String, referred: String, given: String)
    /// An expiry pass declined `expired`, but could not decide the referrals in `failed` (checkout id: why); they
    /// wait for the next pass, and hold up no other.
    case expiryIncomplete(expired: [String], failed: [String: String])

    public var description: String {
        switch self {
        case let .notReferred(id): "checkout \(id) was not referred for review"
        case let .withdrawn(id): "checkout \(id) was cancelled by its merchant while it awaited review"
        case let .alreadyReviewed(id, verdict, by):
            "checkout \(id) was already reviewed: \(verdict)\(by.map { " by \($0)" } ?? "")"
        case let .cannotApprove(id, detail): "checkout \(id) cannot be approved: \(detail)"
        case let .reviewWindowPassed(id, expiredAt):
            "checkout \(id) was not reviewed in time: its referral expired at \(expiredAt), and is declined as expired"
        case let .invalidField(field, expected): "'\(field)' must be \(expected)"
        case let .otherPolicyOrModel(id, referred, given):
            "checkout \(id) was referred under \(referred), and this review would decide it under \(given): give the "
                + "policy and model the server decides with"
        case let .expiryIncomplete(expired, failed):
            "\(expired.count) referrals expired; \(failed.count) could not be: "
                + failed.keys.sorted().map { "\($0): \(failed[$0] ?? "")" }.joined(separator: "; ")
        }
    }
}

/// The referred checkouts awaiting review, as staff read them (`paylater referral list`).
public struct ReferralQueue: Sendable {
    public let database: any Database
    /// How long a referral waits for review: the policy's (`CreditPolicy.referralReviewWindow`).
    public let reviewWindow: Duration

    public init(database: any Database, reviewWindow: Duration) {
        self.database = database
        self.reviewWindow = reviewWindow
    }

    /// Up to `limit` referrals awaiting review, the longest waiting first.
    public func awaitingReview(limit: Int = 100) throws -> [AwaitingReferral] {
        try database.read { connection in
            try ReferralRepository(connection).awaitingReview(limit: limit).map { referral in
                let consumer = try ConsumerID(referral.consumerID)
                let decision = try CheckoutService.referredDecision(referral, in: connection)
                let application = decision.snapshot.application
                return AwaitingReferral(
                    checkoutID: referral.checkoutID, merchantID: referral.merchantID, consumer: consumer,
                    referredAt: referral.referredAt,
                    expiresAt: referral.referredAt.advanced(by: reviewWindow),
                    amount: application.orderAmount, productID: application.requestedProducts.first ?? "",
                    decision: decision)
            }
        }
    }
}

extension CheckoutService {
    /// How long a referral waits for review before it is declined: the policy's (`referral_review_hours`, a day
    /// unless it says otherwise).
    public var referralReviewWindow: Duration { underwriting.policy.referralReviewWindow }
    /// The longest note and reviewer's name, in bytes.
    public static let reviewNoteLengthMaximum = 500
    public static let reviewerLengthMaximum = 100

    /// Reviews a referred checkout. The application is decided again now, with the verdict (`ReferralReview`): a
    /// decline declines; an approval clears the referrals and is still declined by a rule that declines now (the
    /// shopper blocked, their limit frozen, their spending cap or the platform's exposure reached). An approval
    /// holds the credit and makes the order (`order.authorized`) as an authorization would; a decline sends
    /// `checkout.declined`. The merchant's next authorize of the checkout (under a new idempotency key) answers the
    /// outcome.
    ///
    /// Reviewing again with the same verdict, reviewer and note returns the first review (a retry).
    /// - Throws: `ReferralError` (nothing written): not referred, reviewed otherwise before, a person's verdict after
    ///   the window (`reviewWindowPassed`), an approval without a score, an empty or unprintable reviewer or note.
    public func reviewReferral(checkoutID: String, _ verdict: ReferralReview.Verdict) throws -> ReviewedReferral {
        try Self.check(verdict)
        let now = clock.now()
        let (referral, referred) = try database.read { connection in
            guard let referral = try ReferralRepository(connection).referral(checkoutID: checkoutID) else {
                throw ReferralError.notReferred(checkoutID: checkoutID)
            }
            return (referral, try Self.referredDecision(referral, in: connection))
        }
        let consumer = try ConsumerID(referral.consumerID)
        if let review = referral.review {
            return try database.read { connection in try previousReview(referral, review, verdict, in: connection) }
        }
        // A person's verdict comes in time or not at all: past the window the referral is declined as expired,
        // whether or not the expiry pass has run yet (a late approval would hold credit on a checkout the merchant
        // and shopper were told would be answered within the window).
        if case .expired = verdict {} else {
            if now >= expiry(of: referral) {
                throw ReferralError.reviewWindowPassed(checkoutID: checkoutID, expiredAt: expiry(of: referral))
            }
            try requireServersRules(referred)
        }
        var application = referred.snapshot.application
        application.decisionId = Self.reviewDecisionID(checkoutID)
        application.at = now
        application.review = ReferralReview(
            referredDecisionId: referred.id, referredAt: referred.snapshot.application.at, verdict: verdict)
        let (prepared, checkout) = try database.read { connection in
            guard let terms = try CheckoutRepository(connection).checkoutTerms(merchantID: referral.merchantID, id: checkoutID)
            else { throw StoreError.inconsistent("referral \(checkoutID) without its checkout") }
            return (try underwriting.prepare(application, of: consumer, reading: connection), try CheckoutTerms.read(terms.terms))
        }
        let orderID = try Self.newID("ord_", at: now)
        return try database.write { connection in
            let repository = CheckoutRepository(connection)
            guard case .decided(let standing) = try repository.checkoutStanding(
                merchantID: referral.merchantID, id: checkoutID, forUpdate: true), standing.state == Checkout.State.referred.rawValue
            else {
                // Reviewed by another transaction since the read above (it held the lock first).
                guard let review = try ReferralRepository(connection).referral(checkoutID: checkoutID)?.review else {
                    throw StoreError.inconsistent("checkout \(checkoutID) is no longer referred, without a review")
                }
                return try previousReview(referral, review, verdict, in: connection)
            }
            let decided = try underwriting.decide(prepared, in: connection, deferringLimitTransfer: true)
            return try record(decided, verdict, checkout, orderID: orderID, consumer: consumer, connection, at: now)
        }
    }

    /// Declines the referrals not reviewed within `referralReviewWindow` (at its end, to the nanosecond), up to
    /// `limit`, the oldest first (`referral_expired`; `checkout.declined` with `declined_by` "expiry"); returns their
    /// checkout ids. The API server's worker runs it every pass and `paylater eod` once a run.
    /// - Throws: `ReferralError.expiryIncomplete` when some could not be decided (a currency the policy no longer
    ///   lends in, say), after expiring the others: one referral that fails must not keep every later one waiting.
    @discardableResult
    public func expireReferrals(limit: Int = 100) throws -> [String] {
        let window = referralReviewWindow
        let cutoff = clock.now().advanced(by: .zero - window)
        let due = try database.read { connection in
            try ReferralRepository(connection).awaitingReview(limit: limit, referredBy: cutoff)
        }
        var expired: [String] = []
        var failed: [String: String] = [:]
        for referral in due {
            do {
                let reviewed = try reviewReferral(
                    checkoutID: referral.checkoutID, .expired(windowSeconds: window.components.seconds))
                if reviewed.isNew { expired.append(referral.checkoutID) }
            } catch ReferralError.alreadyReviewed, ReferralError.withdrawn {
                continue  // a reviewer or the merchant came first
            } catch {
                failed[referral.checkoutID] = "\(error)"
            }
        }
        guard failed.isEmpty else { throw ReferralError.expiryIncomplete(expired: expired, failed: failed) }
        return expired
    }

    /// Refuses a person's verdict under another policy or champion model than the referral's (by policy id and
    /// model name: their versions may have moved on, and the review is decided under the rules in force). A review
    /// given the example files by mistake would otherwise grant a first limit from the example's bands. An expiry
    /// is not checked: it declines before any rule or score.
    private func requireServersRules(_ referred: CreditDecision) throws(ReferralError) {
        let champion = underwriting.models.champion.identity
        guard referred.policyId == underwriting.policy.id, referred.snapshot.champion.name == champion.name else {
            throw .otherPolicyOrModel(
                checkoutID: referred.id,
                referred: "policy \(referred.policyId)@\(referred.policyVersion), model \(referred.snapshot.champion.name)",
                given: "policy \(underwriting.policy.id)@\(underwriting.policy.version), model \(champion.name)")
        }
    }

    /// When `referral` expires unreviewed: `referralReviewWindow` after it was made.
    func expiry(of referral: ReferralRecord) -> Instant { referral.referredAt.advanced(by: referralReviewWindow) }

    /// The id of a referral's review decision: the checkout's (the referred decision's) with `:review`.
    static func reviewDecisionID(_ checkoutID: String) -> String { checkoutID + ":review" }

    // MARK: Helpers

    /// Records what the review decided, in its transaction: the order and its hold, or the decline and its event.
    private func record(
        _ decided: UnderwritingService.Decided, _ verdict: ReferralReview.Verdict, _ checkout: CheckoutTerms,
        orderID: String, consumer: ConsumerID, _ connection: any SQLConnection, at now: Instant
    ) throws -> ReviewedReferral {
        let decision = decided.decision
        let repository = CheckoutRepository(connection)
        let next: CheckoutOutcome
        let outcome: AuthorizationOutcome
        var approved: Order?
        switch decision.outcome {
        case .approved:
            guard let productID = decision.snapshot.application.requestedProducts.first else {
                throw StoreError.inconsistent("referral \(checkout.id) names no product")
            }
            let order = try Self.makeOrder(orderID, of: checkout, productID: productID, connection, at: now)
            next = CheckoutOutcome(state: .authorized, orderID: order.id, reasons: [])
            outcome = .approved(order, decisionID: decision.id)
            approved = order
        case .declined:
            let declinedBy = if case .expired = verdict { "expiry" } else { "review" }
            next = CheckoutOutcome(state: .declined, orderID: nil, reasons: decision.shopperReasons)
            outcome = .declined(decisionID: decision.id, reasons: next.reasons)
            try WebhookOutbox.enqueue(
                .checkoutDeclined, merchant: try MerchantID(checkout.merchantID), orderID: checkout.id,
                values: [
                    "checkout_id": .text(checkout.id), "state": .text("declined"),
                    "merchant_reference": .text(checkout.merchantReference), "currency": .text(checkout.total.currency.code),
                    "total": .money(checkout.total),
                    "declined_by": .text(declinedBy),
                ],
                numbered: .afterPrevious, in: connection, at: now)
        case .referred:
            // Only an approval without a score comes here (a review's decline always declines).
            throw ReferralError.cannotApprove(
                checkoutID: checkout.id,
                detail: decision.reasons.map(\.operatorDetail).joined(separator: "; ")
                    + " (without a score there is no band to take a limit and products from; decline it instead)")
        }
        guard try repository.resolveReferral(
            merchantID: checkout.merchantID, id: checkout.id,
            CheckoutOutcomeRecord(state: next.state.rawValue, orderID: next.orderID, reasons: try CanonicalJSON.encode(next.reasons)))
        else { throw StoreError.inconsistent("checkout \(checkout.id) is locked and referred, yet not updated") }
        let (name, reviewer, note) = Self.parts(verdict)
        guard try ReferralRepository(connection).recordReview(
            checkoutID: checkout.id, merchantID: checkout.merchantID,
            ReferralReviewRecord(verdict: name, reviewedBy: reviewer, note: note, outcome: next.state.rawValue, at: now))
        else { throw StoreError.inconsistent("referral \(checkout.id) was reviewed under the checkout's lock") }
        if let order = approved {
            // The limit granted, if any, and the hold in one batch, last: as an authorization places them.
            try hold(
                order, consumer, remaining: checkout.total, connection, at: now,
                after: decided.limitTransfer.map { [$0] } ?? [], reusing: decided.ledgerAccounts, approvedBy: decision)
        } else if let transfer = decided.limitTransfer {
            try post([transfer], consumer, checkout.total.currency, connection, at: now)
        }
        return ReviewedReferral(checkoutID: checkout.id, outcome: outcome, decision: decision, isNew: true)
    }

    /// The review recorded before, read on `connection`: returned for the same verdict, reviewer and note (a
    /// retry), refused otherwise (`withdrawn` when the merchant cancelled the checkout instead).
    private func previousReview(
        _ referral: ReferralRecord, _ review: ReferralReviewRecord, _ verdict: ReferralReview.Verdict,
        in connection: any SQLConnection
    ) throws -> ReviewedReferral {
        if review.verdict == ReferralRepository.withdrawn { throw ReferralError.withdrawn(checkoutID: referral.checkoutID) }
        let (name, reviewer, note) = Self.parts(verdict)
        guard review.verdict == name, review.reviewedBy == reviewer, review.note == note else {
            throw ReferralError.alreadyReviewed(checkoutID: referral.checkoutID, verdict: review.verdict, by: review.reviewedBy)
        }
        let checkouts = CheckoutRepository(connection)
        guard let record = try UnderwritingRepository(connection).decision(
            consumerID: referral.consumerID, decisionID: Self.reviewDecisionID(referral.checkoutID)),
            let terms = try checkouts.checkoutTerms(merchantID: referral.merchantID, id: referral.checkoutID),
            case .decided(let standing) = try checkouts.checkoutStanding(merchantID: referral.merchantID, id: referral.checkoutID)
        else { throw StoreError.inconsistent("referral \(referral.checkoutID) was reviewed without its decision") }
        let checkout = try CheckoutTerms.read(terms.terms)
        let current = try Self.outcome(
            of: standing, checkoutID: checkout.id, documentOrderID: checkout.orderID, documentReasons: checkout.reasons)
        let decision = try UnderwritingService.decode(record.document)
        let outcome: AuthorizationOutcome
        if let orderID = current.orderID {
            guard let order = try checkouts.order(merchantID: referral.merchantID, id: orderID) else {
                throw StoreError.inconsistent("checkout \(checkout.id) is authorized without its order")
            }
            outcome = .approved(try Self.decode(Order.self, order.document), decisionID: decision.id)
        } else {
            outcome = .declined(decisionID: decision.id, reasons: current.reasons)
        }
        return ReviewedReferral(checkoutID: referral.checkoutID, outcome: outcome, decision: decision, isNew: false)
    }

    /// The decision that referred the checkout (its id is the checkout's).
    static func referredDecision(_ referral: ReferralRecord, in connection: any SQLConnection) throws -> CreditDecision {
        guard let record = try UnderwritingRepository(connection).decision(
            consumerID: referral.consumerID, decisionID: referral.checkoutID)
        else { throw StoreError.inconsistent("referral \(referral.checkoutID) without its decision") }
        return try UnderwritingService.decode(record.document)
    }

    /// The verdict as the referral's columns store it: its name, reviewer and note.
    private static func parts(_ verdict: ReferralReview.Verdict) -> (name: String, reviewer: String?, note: String?) {
        switch verdict {
        case let .approved(reviewer, note): ("approved", reviewer, note)
        case let .declined(reviewer, note): ("declined", reviewer, note)
        case .expired: ("expired", nil, nil)
        }
    }

    /// A reviewer's name and note: `OperatorText`.
    private static func check(_ verdict: ReferralReview.Verdict) throws(ReferralError) {
        let (_, reviewer, note) = parts(verdict)
        if let reviewer, !OperatorText.isAcceptable(reviewer, maximum: reviewerLengthMaximum) {
            throw .invalidField("by", OperatorText.expectation(maximum: reviewerLengthMaximum))
        }
        if let note, !OperatorText.isAcceptable(note, maximum: reviewNoteLengthMaximum) {
            throw .invalidField("note", OperatorText.expectation(maximum: reviewNoteLengthMaximum))
        }
    }
}
