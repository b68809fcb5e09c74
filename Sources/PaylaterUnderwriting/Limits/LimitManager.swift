public import PaylaterMoney
public import PaylaterTime

/// Why a limit change could not be worked out.
public enum LimitError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The limit is in a currency the policy has no amounts for.
    case currencyNotInPolicy(Currency)
    case arithmetic(MoneyError)

    public var description: String {
        switch self {
        case .currencyNotInPolicy(let currency): "the policy has no limits in \(currency.code)"
        case .arithmetic(let error): error.description
        }
    }
}

/// What a periodic limit review knows about the shopper.
public struct LimitStanding: Sendable, Hashable {
    public var isDelinquent: Bool
    /// Consecutive on-time repayment cycles since the last increase (the caller resets it after one).
    public var onTimeCycles: Int64
    /// The latest model estimate for the shopper.
    public var probabilityOfBad: Double

    public init(isDelinquent: Bool, onTimeCycles: Int64, probabilityOfBad: Double) {
        self.isDelinquent = isDelinquent
        self.onTimeCycles = onTimeCycles
        self.probabilityOfBad = probabilityOfBad
    }
}

/// Pure limit management: each function returns the change to log, or nil when the limit stays as it is.
///
/// Changed amounts are rounded down to a whole unit of the currency (whole yuan, whole dollars): a limit is a
/// number shown to the shopper, and rounding down never lends more than the rule allows.
public enum LimitManager {
    /// The first limit, from the band of `probabilityOfBad`; nil when `current` is not `.none` or no band holds it.
    public static func initial(
        _ current: CreditLimit, probabilityOfBad: Double, currency: Currency, policy: CreditPolicy, at: Instant
    ) throws(LimitError) -> LimitChange? {
        guard case .none = current, let band = policy.band(probabilityOfBad: probabilityOfBad) else { return nil }
        guard let amount = band.initialLimit[currency] else { throw .currencyNotInPolicy(currency) }
        return LimitChange(from: current, to: .active(amount), reason: .initial(band: band.name), at: at)
    }

    /// Raises an active limit by the policy's increase once the shopper has `increaseAfterOnTimeCycles`
    /// consecutive on-time cycles, never above the policy's maximum; nil when frozen, short of the cycles, or
    /// already at the maximum.
    public static func increase(_ current: CreditLimit, onTimeCycles: Int64, rules: LimitRules, at: Instant)
        throws(LimitError) -> LimitChange?
    {
        guard case .active(let amount) = current, onTimeCycles >= rules.increaseAfterOnTimeCycles else { return nil }
        guard let maximum = rules.maximumLimit[amount.currency] else { throw .currencyNotInPolicy(amount.currency) }
        let raised = try scaled(amount, by: BasisPoints(BasisPoints.perUnit + rules.increase.rawValue))
        let capped = raised.minorUnits > maximum.minorUnits ? maximum : raised
        guard capped.minorUnits > amount.minorUnits else { return nil }
        return LimitChange(from: current, to: .active(capped), reason: .increase(onTimeCycles: onTimeCycles), at: at)
    }

    /// Lowers an active limit by the policy's decrease when `probabilityOfBad` is above the deterioration
    /// threshold (exactly at it is not deterioration); nil otherwise or when nothing would change.
    public static func decrease(_ current: CreditLimit, probabilityOfBad: Double, rules: LimitRules, at: Instant)
        throws(LimitError) -> LimitChange?
    {
        guard case .active(let amount) = current, probabilityOfBad > rules.decreaseAboveProbabilityOfBad else {
            return nil
        }
        let lowered = try scaled(amount, by: BasisPoints(BasisPoints.perUnit - rules.decrease.rawValue))
        guard lowered.minorUnits < amount.minorUnits else { return nil }
        return LimitChange(
            from: current, to: .active(lowered), reason: .decrease(probabilityOfBad: probabilityOfBad), at: at)
    }

    /// Freezes an active limit while the shopper is delinquent; nil when there is nothing active to freeze.
    public static func freeze(_ current: CreditLimit, at: Instant) -> LimitChange? {
        guard case .active(let amount) = current else { return nil }
        return LimitChange(
            from: current, to: .frozen(amount, reason: .delinquency), reason: .freeze(.delinquency), at: at)
    }

    /// Restores a frozen limit at its amount; nil when it is not frozen.
    public static func unfreeze(_ current: CreditLimit, at: Instant) -> LimitChange? {
        guard case .frozen(let amount, _) = current else { return nil }
        return LimitChange(from: current, to: .active(amount), reason: .unfreeze, at: at)
    }

    /// A periodic review, first rule that applies: delinquent → freeze; frozen and current again → unfreeze;
    /// deteriorated → decrease; enough on-time cycles → increase.
    public static func review(_ current: CreditLimit, standing: LimitStanding, rules: LimitRules, at: Instant)
        throws(LimitError) -> LimitChange?
    {
        if standing.isDelinquent { return freeze(current, at: at) }
        if case .frozen = current { return unfreeze(current, at: at) }
        if let lowered = try decrease(current, probabilityOfBad: standing.probabilityOfBad, rules: rules, at: at) {
            return lowered
        }
        return try increase(current, onTimeCycles: standing.onTimeCycles, rules: rules, at: at)
    }

    /// `amount × rate`, rounded down to a whole unit of its currency.
    static func scaled(_ amount: Money, by rate: BasisPoints) throws(LimitError) -> Money {
        do {
            let exact = try amount.multiplied(by: rate, rounding: .floor)
            let unit = amount.currency.minorUnitsPerMajorUnit
            return Money(minorUnits: exact.minorUnits - exact.minorUnits % unit, currency: amount.currency)
        } catch { throw .arithmetic(error) }
    }
}
