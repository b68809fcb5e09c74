import PaylaterMoney
import PaylaterTime

/// Turns an application into approve, decline or refer: pure and deterministic, so a snapshot replays.
///
/// The checks, in order; the first decline ends the decision, while a refer is carried on so that a later
/// decline still wins over it:
/// 1. Knock-outs (under the minimum age, identity not verified, delinquent on the platform, blocked list):
///    decline with every knock-out that applies, without scoring.
/// 2. Cooling-off: declined less than `coolingOffDays` ago → decline (exactly that long ago passes).
/// 3. Fraud velocity: too many orders per device, address or instrument in the hour or the day, or too many
///    shoppers on one device → decline; a first order at or above the high-value amount, or a shipping address
///    farther than allowed from the usual one → refer. Shoppers read the generic text for all of these.
/// 4. The model of the shopper's arm: probability of bad above the refer cut-off → decline; above the approve
///    cut-off → refer; both with the top four factors. A model that cannot score → refer.
/// 5. Limit: a frozen limit → decline; no limit yet → the initial limit of the score band.
/// 6. Affordability: the order must fit the available credit, the shopper's own spending cap, and the
///    debt-service room; an order that does not fit is declined (a smaller amount is never approved).
/// 7. Platform exposure: at or past the stop utilisation, or past the capacity with this order → decline;
///    in a tightening band, a probability or amount above the band's → decline.
/// 8. Products: the offered products the band allows; none, or none of those the shopper chose → decline.
///
/// An application that reviews a referral (`CreditApplication.review`) is decided the same way at the time of the
/// verdict, after one more check first: a reviewer's decline, or a referral not reviewed in time, declines. A
/// reviewer's approval clears the referrals (the referred decision keeps their reasons), but not a model that cannot
/// score: without a score there is no band, so no limit or products to approve.
public enum DecisionEngine {
    /// Decides one application.
    /// - Throws: `DecisionError` for inputs the caller got wrong (currencies, a non-positive amount).
    public static func decide(
        application: CreditApplication, context: ApplicantContext, policy: CreditPolicy, models: CreditModels
    ) throws(DecisionError) -> CreditDecision {
        try checkInputs(application, context, policy)
        let snapshot = DecisionSnapshot(
            application: application, context: context, policyId: policy.id, policyVersion: policy.version,
            champion: models.champion.identity, challenger: models.challenger?.identity)
        let arm = ArmAssignment.arm(shopperHash: application.shopperHash, challenger: policy.challenger)
        var decision = CreditDecision(
            id: application.decisionId, outcome: .declined, reasons: [], model: nil, probabilityOfBad: nil,
            points: nil, band: nil, policyId: policy.id, policyVersion: policy.version, arm: arm, limitChange: nil,
            snapshot: snapshot)
        var run = DecisionRun(application: application, context: context, policy: policy)
        do throws(DecisionStop) {
            try run.review()
            try run.knockOuts()
            try run.coolingOff()
            try run.velocity()
            let model = arm == .challenger ? models.challenger ?? models.champion : models.champion
            decision.model = model.identity
            guard let score = try run.score(model, cutOffs: policy.cutOffs(for: arm)) else { throw .referred }
            decision.probabilityOfBad = score.probabilityOfBad
            decision.points = score.points
            let band = try run.band(score.probabilityOfBad)
            decision.band = band.name
            let limit = try run.limit(band: band)
            try run.affordability(available: limit.available)
            try run.exposure(probabilityOfBad: score.probabilityOfBad)
            let products = try run.products(band: band)
            guard run.reasons.isEmpty else { throw .referred }
            decision.outcome = .approved(
                limit: limit.amount, approvedAmount: application.orderAmount, eligibleProducts: products)
            decision.limitChange = limit.change
        } catch {
            switch error {
            case .declined: decision.outcome = .declined
            case .referred: decision.outcome = .referred
            case .arithmetic(let moneyError): throw .arithmetic(moneyError)
            }
        }
        decision.reasons = run.reasons
        // A decline or referral by the score still records it: the model's estimate explains the decision.
        decision.probabilityOfBad = run.score?.probabilityOfBad
        decision.points = run.score?.points
        return decision
    }

    /// Decides a stored snapshot again, refusing a policy or models other than the ones it was taken with.
    /// - Throws: `.policyMismatch`, `.modelMismatch`, or what `decide` throws.
    public static func replay(_ snapshot: DecisionSnapshot, policy: CreditPolicy, models: CreditModels)
        throws(DecisionError) -> CreditDecision
    {
        guard snapshot.policyId == policy.id, snapshot.policyVersion == policy.version else {
            throw .policyMismatch(
                recordedId: snapshot.policyId, recordedVersion: snapshot.policyVersion, givenId: policy.id,
                givenVersion: policy.version)
        }
        guard snapshot.champion == models.champion.identity else {
            throw .modelMismatch(recorded: snapshot.champion, given: models.champion.identity)
        }
        guard snapshot.challenger == models.challenger?.identity else {
            throw .modelMismatch(recorded: snapshot.challenger, given: models.challenger?.identity)
        }
        return try decide(application: snapshot.application, context: snapshot.context, policy: policy, models: models)
    }

    private static func checkInputs(
        _ application: CreditApplication, _ context: ApplicantContext, _ policy: CreditPolicy
    )
        throws(DecisionError)
    {
        let currency = application.orderAmount.currency
        guard policy.currencies.contains(currency) else { throw .currencyNotInPolicy(currency) }
        guard application.orderAmount.isPositive else { throw .orderAmountNotPositive(application.orderAmount) }
        var amounts: [(String, Money)] = [
            ("outstanding_balance", context.outstandingBalance), ("monthly_obligations", context.monthlyObligations),
            ("held_authorizations", context.heldAuthorizations),
            ("available_credit", context.availableCredit),
            ("exposure.outstanding_and_holds", context.exposure.outstandingAndHolds),
            ("exposure.funding_capacity", context.exposure.fundingCapacity),
        ]
        // The spending cap may be in another currency than the order (affordability then declines the order); its
        // two amounts must share one.
        if let cap = context.spendingCap, cap.spentInPeriod.currency != cap.cap.currency {
            throw .currencyMismatch(
                field: "spending_cap.spent_in_period", expected: cap.cap.currency, found: cap.spentInPeriod.currency)
        }
        if let limit = context.creditLimit.amount { amounts.append(("credit_limit", limit)) }
        for (field, amount) in amounts where amount.currency != currency {
            throw .currencyMismatch(field: field, expected: currency, found: amount.currency)
        }
    }
}

/// How a decision's checks end early.
enum DecisionStop: Error {
    case declined
    case referred
    case arithmetic(MoneyError)
}
