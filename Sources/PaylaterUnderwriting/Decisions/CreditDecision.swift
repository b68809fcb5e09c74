public import PaylaterMoney

/// The answer to one application, with everything needed to explain it and to replay it.
public struct CreditDecision: Sendable, Hashable, Codable {
    /// The caller's decision id from the application.
    public var id: String
    public var outcome: DecisionOutcome
    /// Ranked: the deciding rule first, then (for decisions the score caused) at most four model factors, the
    /// largest contribution to the risk first.
    public var reasons: [DecisionReason]
    /// The model that scored the application; nil when a rule decided before scoring.
    public var model: ModelIdentity?
    public var probabilityOfBad: Double?
    /// Scorecard points, when the model is a scorecard.
    public var points: Double?
    /// The score band's name, once scored within the bands.
    public var band: String?
    public var policyId: String
    public var policyVersion: Int64
    public var arm: Arm
    /// The initial limit an approval sets for a shopper who had none, to be logged with the decision.
    public var limitChange: LimitChange?
    public var snapshot: DecisionSnapshot
}

extension CreditDecision {
    /// What the shopper may read of the reasons, without repeats, in the decision's order: never an operator's
    /// detail (a fraud rule's numbers, a score).
    public var shopperReasons: [String] {
        var seen = Set<String>()
        return reasons.map(\.shopperMessage).filter { seen.insert($0).inserted }
    }

    /// A decline for a reason that starts the cooling-off period (`ReasonCode.startsCoolingOff`).
    public var startsCoolingOff: Bool {
        guard case .declined = outcome else { return false }
        return reasons.contains { $0.code.startsCoolingOff }
    }
}

/// Approve, decline or refer to a person.
public enum DecisionOutcome: Sendable, Hashable, Codable {
    /// The order is approved in full; `limit` is the shopper's limit after the decision.
    case approved(limit: Money, approvedAmount: Money, eligibleProducts: [String])
    case declined
    /// A person looks at it before the order goes ahead.
    case referred

    /// The outcome's name, as stored decisions, the API and operators' listings spell it: `approved`, `declined`,
    /// `referred`.
    public var name: String {
        switch self {
        case .approved: "approved"
        case .declined: "declined"
        case .referred: "referred"
        }
    }
}

/// One reason of a decision, in the shopper's words and in the operator's.
public struct DecisionReason: Sendable, Hashable, Codable {
    public var code: ReasonCode
    /// Safe to show the shopper (adverse-action notices, transparency rules): never a fraud rule's internals.
    public var shopperMessage: String
    /// For staff and audit: the rule and the numbers that triggered it.
    public var operatorDetail: String
    /// The model feature, for `.modelFactor` reasons.
    public var feature: String?

    public init(code: ReasonCode, shopperMessage: String, operatorDetail: String, feature: String? = nil) {
        self.code = code
        self.shopperMessage = shopperMessage
        self.operatorDetail = operatorDetail
        self.feature = feature
    }
}

/// The models a decision may use: the champion, and the challenger when the policy runs one. A policy with a
/// challenger arm but no challenger model tests the challenger's cut-offs on the champion model.
public struct CreditModels: Sendable {
    public var champion: any CreditModel
    public var challenger: (any CreditModel)?

    public init(champion: any CreditModel, challenger: (any CreditModel)? = nil) {
        self.champion = champion
        self.challenger = challenger
    }
}

/// Why a decision could not be taken or replayed. These are the caller's mistakes, not the shopper's: a
/// shopper's situation always gets a decision.
public enum DecisionError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The order's currency is not one the policy lends in.
    case currencyNotInPolicy(Currency)
    /// An amount of the context is not in the order's currency; `field` names it.
    case currencyMismatch(field: String, expected: Currency, found: Currency)
    case orderAmountNotPositive(Money)
    case arithmetic(MoneyError)
    /// A replay was given another policy than the one the decision was taken under.
    case policyMismatch(recordedId: String, recordedVersion: Int64, givenId: String, givenVersion: Int64)
    /// A replay was given other models than the ones the decision was taken with.
    case modelMismatch(recorded: ModelIdentity?, given: ModelIdentity?)

    public var description: String {
        switch self {
        case .currencyNotInPolicy(let currency): "the policy does not lend in \(currency.code)"
        case .currencyMismatch(let field, let expected, let found):
            "\(field) is in \(found.code), not the order's \(expected.code)"
        case .orderAmountNotPositive(let amount): "the order amount \(amount) is not above zero"
        case .arithmetic(let error): error.description
        case .policyMismatch(let recordedId, let recordedVersion, let givenId, let givenVersion):
            "the decision was taken under policy \(recordedId) v\(recordedVersion), not \(givenId) v\(givenVersion)"
        case .modelMismatch(let recorded, let given):
            "the decision was taken with model \(Self.name(recorded)), not \(Self.name(given))"
        }
    }

    private static func name(_ identity: ModelIdentity?) -> String {
        identity.map { "\($0.name) \($0.version)" } ?? "none"
    }
}
