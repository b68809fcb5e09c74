import PaylaterMoney
import PaylaterTime

/// The checks of one decision, in `DecisionEngine`'s order; each throws `DecisionStop.declined` to end the decision
/// and appends its reasons, so `reasons` ends ranked in the order the rules fired.
struct DecisionRun {
    /// The most model factors given as reasons, as adverse-action notices usually carry.
    static let modelFactorsMaximum = 4

    let application: CreditApplication
    let context: ApplicantContext
    let policy: CreditPolicy
    var reasons: [DecisionReason] = []
    /// The model's answer once scored, kept for the decision even when the score itself declines.
    var score: ModelScore?

    private var currency: Currency { application.orderAmount.currency }
    private var amount: Money { application.orderAmount }

    private mutating func add(_ code: ReasonCode, _ operatorDetail: String) {
        reasons.append(
            DecisionReason(
                code: code, shopperMessage: policy.reasonTexts.shopperText(code), operatorDetail: operatorDetail))
    }

    /// A reason that refers the application to a person, unless a reviewer's approval cleared the referral
    /// (`ReferralReview`): the approval is then decided on the other rules, and a decline by one of them is not
    /// explained by what the reviewer cleared.
    private mutating func refer(_ code: ReasonCode, _ operatorDetail: String) {
        guard application.review?.approves != true else { return }
        add(code, operatorDetail)
    }

    private mutating func decline(_ code: ReasonCode, _ operatorDetail: String) -> DecisionStop {
        add(code, operatorDetail)
        return .declined
    }

    /// A reviewer's decline, or a referral nobody reviewed in time, ends the decision before any rule.
    mutating func review() throws(DecisionStop) {
        guard let review = application.review else { return }
        switch review.verdict {
        case .approved: return
        case let .declined(reviewer, note):
            throw decline(.declinedOnReview, "declined on review of \(review.referredDecisionId) by \(reviewer): \(note)")
        case let .expired(window):
            throw decline(
                .referralExpired,
                "referral \(review.referredDecisionId) of \(review.referredAt) was not reviewed within \(window / 3_600) h")
        }
    }

    mutating func knockOuts() throws(DecisionStop) {
        let before = reasons.count
        if application.ageYears < policy.minimumAgeYears {
            add(.underMinimumAge, "age \(application.ageYears) is under the minimum \(policy.minimumAgeYears)")
        }
        if !application.isIdentityVerified { add(.identityNotVerified, "identity not verified") }
        if context.isDelinquent { add(.delinquentOnPlatform, "a repayment is past due on the platform") }
        if context.isOnBlockedList { add(.blockedList, "the shopper is on the blocked list") }
        if reasons.count > before { throw .declined }
    }

    mutating func coolingOff() throws(DecisionStop) {
        guard let last = context.lastDeclineAt else { return }
        let period = Duration.seconds(policy.coolingOffDays * 86_400)
        if last.duration(to: application.at) < period {
            throw decline(
                .coolingOff, "declined at \(last), within the \(policy.coolingOffDays)-day cooling-off period")
        }
    }

    mutating func velocity() throws(DecisionStop) {
        let rules = policy.velocity
        // A review decides the referred application again: its own event, recorded when it was referred, is not
        // another order. (An application at checkout counts every event as it is, without a copy.)
        let events = application.review.map { review in
            context.recentOrders.filter { $0.at != review.referredAt || $0.shopperHash != application.shopperHash }
        } ?? context.recentOrders
        let counts = VelocityCounter.count(
            events, at: application.at, deviceHash: application.deviceHash,
            addressHash: application.addressHash, instrumentHash: application.instrumentHash,
            shopperHash: application.shopperHash)
        let before = reasons.count
        let windows: [(ReasonCode, String, Int, Int, WindowLimits)] = [
            (.deviceVelocity, "device", counts.deviceHour, counts.deviceDay, rules.ordersPerDevice),
            (.addressVelocity, "shipping address", counts.addressHour, counts.addressDay, rules.ordersPerAddress),
            (
                .instrumentVelocity, "payment instrument", counts.instrumentHour, counts.instrumentDay,
                rules.ordersPerInstrument
            ),
        ]
        for (code, what, hour, day, limits) in windows {
            if Int64(hour) + 1 > limits.hour {
                add(code, "\(what): \(hour + 1) orders in 1 h with this one; the most is \(limits.hour)")
            } else if Int64(day) + 1 > limits.day {
                add(code, "\(what): \(day + 1) orders in 24 h with this one; the most is \(limits.day)")
            }
        }
        if Int64(counts.accountsOnDeviceDay) > rules.accountsPerDevice {
            add(
                .accountsPerDevice,
                "\(counts.accountsOnDeviceDay) shoppers on the device in 24 h; the most is \(rules.accountsPerDevice)")
        }
        if reasons.count > before { throw .declined }
        if context.isFirstOrder, let threshold = rules.firstOrderHighValue[currency],
            amount.minorUnits >= threshold.minorUnits
        {
            refer(.firstOrderHighValue, "first order of \(amount), at or above \(threshold)")
        }
        if let distance = application.distanceFromUsualAddressKilometres,
            distance > Double(rules.maximumDistanceKilometres)
        {
            refer(
                .shippingAddressFar,
                "shipping address \(distance) km from the usual; the most is \(rules.maximumDistanceKilometres) km")
        }
    }

    /// The score, or nil (with the reason added) when the model cannot score; throws a decline below the cut-off.
    mutating func score(_ model: any CreditModel, cutOffs: CutOffs) throws(DecisionStop) -> ModelScore? {
        let score: ModelScore
        do { score = try model.score(application.features) } catch {
            add(.modelCouldNotScore, "\(model.identity.name) \(model.identity.version): \(error.description)")
            return nil
        }
        self.score = score
        let probability = score.probabilityOfBad
        if probability > cutOffs.referAtOrBelow {
            add(
                .scoreBelowCutOff,
                "probability of bad \(probability) is above the refer cut-off \(cutOffs.referAtOrBelow)")
            addFactors(score)
            throw .declined
        }
        if probability > cutOffs.approveAtOrBelow, application.review?.approves != true {
            add(
                .scoreInReviewBand,
                "probability of bad \(probability) is above the approve cut-off \(cutOffs.approveAtOrBelow)")
            addFactors(score)
        }
        return score
    }

    /// The largest positive contributions: the factors that lowered the score most. A factor whose value the
    /// application did not have (a missing bin, a tree's default branch) is told as missing information, not in
    /// the feature's own words, which state a fact about the shopper ("You repaid late") that nobody knows.
    private mutating func addFactors(_ score: ModelScore) {
        for factor in score.contributions.prefix(Self.modelFactorsMaximum) where factor.logOdds > 0 {
            let known = application.features[factor.feature] != .missing
            reasons.append(
                DecisionReason(
                    code: .modelFactor,
                    shopperMessage: policy.reasonTexts.shopperText(feature: factor.feature, known: known),
                    operatorDetail: known
                        ? "\(factor.feature) raised the log-odds of bad by \(factor.logOdds)"
                        : "\(factor.feature) was missing, which raised the log-odds of bad by \(factor.logOdds)",
                    feature: factor.feature))
        }
    }

    /// The band of a scored probability; the policy's bands reach every refer cut-off, so a miss is a decline.
    mutating func band(_ probabilityOfBad: Double) throws(DecisionStop) -> ScoreBand {
        guard let band = policy.band(probabilityOfBad: probabilityOfBad) else {
            throw decline(.scoreBelowCutOff, "probability of bad \(probabilityOfBad) is in no score band")
        }
        return band
    }

    /// The shopper's limit and what is available of it; a shopper without one gets the band's initial limit.
    mutating func limit(band: ScoreBand) throws(DecisionStop)
        -> (amount: Money, available: Money, change: LimitChange?)
    {
        switch context.creditLimit {
        case .frozen(let amount, let reason):
            throw decline(.limitFrozen, "the limit of \(amount) is frozen (\(reason.rawValue))")
        case .active(let amount):
            return (amount, context.availableCredit, nil)
        case .none:
            guard let initial = band.initialLimit[currency] else { preconditionFailure("checked: a policy currency") }
            let change = LimitChange(
                from: .none, to: .active(initial), reason: .initial(band: band.name), at: application.at)
            let available = initial.minorUnits - context.outstandingBalance.minorUnits
            return (initial, Money(minorUnits: max(0, available), currency: currency), change)
        }
    }

    /// The order must fit all three rooms; each one it does not fit is a reason.
    mutating func affordability(available: Money) throws(DecisionStop) {
        let before = reasons.count
        if amount.minorUnits > available.minorUnits {
            add(.overAvailableCredit, "order \(amount) is above the available credit \(available)")
        }
        if let cap = context.spendingCap, cap.cap.currency != amount.currency {
            add(
                .overSpendingCap,
                "the shopper's cap is \(cap.cap); an order in \(amount.currency.code) cannot be measured against it")
        } else if let cap = context.spendingCap {
            let room = cap.cap.minorUnits - cap.spentInPeriod.minorUnits
            if amount.minorUnits > room {
                add(
                    .overSpendingCap,
                    "order \(amount) is above the \(max(0, room)) minor units left of the shopper's cap \(cap.cap)")
            }
        }
        let rules = policy.affordability
        let declared = application.declaredMonthlyIncome.flatMap { $0.currency == currency ? $0 : nil }
        guard let income = declared ?? rules.defaultMonthlyIncome[currency] else {
            preconditionFailure("a policy currency")
        }
        let allowed: Money
        do { allowed = try income.multiplied(by: rules.maximumDebtServiceRatio, rounding: .floor) } catch {
            throw .arithmetic(error)
        }
        // Orders authorized and not captured yet are plans to come: counted as this order is.
        let monthlyRoom = Int128(allowed.minorUnits) - Int128(context.monthlyObligations.minorUnits)
        let held = context.heldAuthorizations
        if Int128(amount.minorUnits) + Int128(held.minorUnits) > monthlyRoom * Int128(rules.orderRepaymentMonths) {
            add(
                .debtServiceTooHigh,
                "order \(amount)\(held.isPositive ? " with \(held) held for orders not yet captured" : "") over "
                    + "\(rules.orderRepaymentMonths) month(s) with obligations "
                    + "\(context.monthlyObligations) is above \(rules.maximumDebtServiceRatio) of "
                    + "\(declared == nil ? "estimated" : "declared") income \(income)")
        }
        if reasons.count > before { throw .declined }
    }

    /// Utilisation is the platform's outstanding plus holds over its funding capacity, before this order,
    /// compared exactly (`exposure × 10 000 ≥ band × capacity`): a band starts at its utilisation.
    mutating func exposure(probabilityOfBad: Double) throws(DecisionStop) {
        let rules = policy.exposure
        let used = Int128(context.exposure.outstandingAndHolds.minorUnits)
        let capacity = Int128(context.exposure.fundingCapacity.minorUnits)
        func reached(_ utilisation: BasisPoints) -> Bool { used * 10_000 >= Int128(utilisation.rawValue) * capacity }
        if reached(rules.stopAtUtilisation) {
            throw decline(
                .platformCapacityReached,
                "exposure \(context.exposure.outstandingAndHolds) of capacity \(context.exposure.fundingCapacity) "
                    + "is at or past the stop \(rules.stopAtUtilisation)")
        }
        if used + Int128(amount.minorUnits) > capacity {
            throw decline(
                .platformCapacityReached,
                "order \(amount) would take exposure past the capacity \(context.exposure.fundingCapacity)")
        }
        guard let band = rules.tighteningBands.last(where: { reached($0.atOrAboveUtilisation) }) else { return }
        if probabilityOfBad > band.approveAtOrBelow {
            throw decline(
                .platformCapacityTightened,
                "from \(band.atOrAboveUtilisation) utilisation only probability of bad at or below "
                    + "\(band.approveAtOrBelow) is approved, not \(probabilityOfBad)")
        }
        if let maximum = band.maximumOrderAmount[currency], amount.minorUnits > maximum.minorUnits {
            throw decline(
                .platformCapacityTightened,
                "from \(band.atOrAboveUtilisation) utilisation orders above \(maximum) are not approved")
        }
    }

    /// The offered products the band allows, in the merchant's order.
    mutating func products(band: ScoreBand) throws(DecisionStop) -> [String] {
        let eligible = application.offeredProducts.filter(band.products.contains)
        if eligible.isEmpty {
            throw decline(
                .productNotEligible, "band \(band.name) allows none of the offered \(application.offeredProducts)")
        }
        if !application.requestedProducts.isEmpty, !application.requestedProducts.contains(where: eligible.contains) {
            throw decline(
                .productNotEligible, "band \(band.name) allows none of the requested \(application.requestedProducts)")
        }
        return eligible
    }
}
