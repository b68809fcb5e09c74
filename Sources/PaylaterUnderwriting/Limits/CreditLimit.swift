public import PaylaterMoney
public import PaylaterTime

/// A shopper's credit limit.
public enum CreditLimit: Sendable, Hashable, Codable {
    /// Never given one: the first approval sets the initial limit from the score band.
    case none
    case active(Money)
    /// Kept but unusable until unfrozen; the amount is what unfreezing restores.
    case frozen(Money, reason: FreezeReason)

    /// The amount, usable or not; nil for `.none`.
    public var amount: Money? {
        switch self {
        case .none: nil
        case .active(let amount), .frozen(let amount, _): amount
        }
    }
}

extension CreditLimit: CustomStringConvertible {
    /// For people: "none", "5000.00 CNY", "5000.00 CNY frozen (delinquency)".
    public var description: String {
        switch self {
        case .none: "none"
        case let .active(amount): "\(amount)"
        case let .frozen(amount, reason): "\(amount) frozen (\(reason.rawValue))"
        }
    }
}

/// Why a limit is frozen.
public enum FreezeReason: String, Sendable, Hashable, Codable {
    /// A repayment is past due on the platform; lifted when the shopper is current again.
    case delinquency
}

/// Why a limit changed; every change carries one, so the history explains itself.
public enum LimitChangeReason: Sendable, Hashable, Codable {
    /// The first limit, from the score band of that name.
    case initial(band: String)
    /// Raised after this many consecutive on-time repayment cycles.
    case increase(onTimeCycles: Int64)
    /// Lowered because a review's probability of bad rose above the policy's threshold.
    case decrease(probabilityOfBad: Double)
    case freeze(FreezeReason)
    case unfreeze
}

extension LimitChangeReason {
    /// The reason's kind in one word, as logs and reports name it: initial, increase, decrease, freeze, unfreeze.
    public var name: String {
        switch self {
        case .initial: "initial"
        case .increase: "increase"
        case .decrease: "decrease"
        case .freeze: "freeze"
        case .unfreeze: "unfreeze"
        }
    }
}

/// One logged change of a shopper's limit.
public struct LimitChange: Sendable, Hashable, Codable {
    public var from: CreditLimit
    public var to: CreditLimit
    public var reason: LimitChangeReason
    public var at: Instant

    public init(from: CreditLimit, to: CreditLimit, reason: LimitChangeReason, at: Instant) {
        self.from = from
        self.to = to
        self.reason = reason
        self.at = at
    }
}
