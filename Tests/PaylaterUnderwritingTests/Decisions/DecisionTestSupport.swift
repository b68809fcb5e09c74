import Foundation
import PaylaterMoney
import PaylaterTime
import PaylaterUnderwriting

/// A linear toy model for tests: log-odds = bias + Σ weight × value, each term a contribution; a missing value
/// adds its `missingTerms` entry, if any (as a scorecard's missing bin does). A row with the number `pd` takes that
/// as the probability of bad exactly, so tests can sit on a cut-off.
struct ToyLinearModel: CreditModel {
    var identity = ModelIdentity(name: "toy-linear", version: "1")
    var bias = -3.0
    var weights: [String: Double] = [
        "account_age_days": -0.01, "late_repayments": 0.8, "return_rate": 2.0, "orders_last_year": -0.05,
        "bureau_delinquencies": 0.6, "device_age_days": -0.002,
    ]
    var missingTerms: [String: Double] = [:]
    var featureNames: [String] { weights.keys.sorted() }

    func score(_ features: FeatureRow) throws(ScoringError) -> ModelScore {
        var logOdds = bias
        var contributions: [FeatureContribution] = []
        for name in featureNames {
            switch features[name] {
            case .number(let value):
                let term = (weights[name] ?? 0) * value
                logOdds += term
                contributions.append(FeatureContribution(feature: name, logOdds: term))
            case .category(let label): throw .notANumber(feature: name, value: label)
            case .missing:
                guard let term = missingTerms[name] else { continue }
                logOdds += term
                contributions.append(FeatureContribution(feature: name, logOdds: term))
            }
        }
        if case .number(let pd) = features["pd"] {
            return ModelScore(probabilityOfBad: pd, logOdds: log(pd / (1 - pd)), contributions: contributions)
        }
        return ModelScore(probabilityOfBad: logistic(logOdds), logOdds: logOdds, contributions: contributions)
    }
}

enum DecisionFixture {
    static let exampleURL = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("config/policy.example.json")

    static let policyData = Data(PolicyFixture.json.utf8)

    static let policy: CreditPolicy = {
        do { return try CreditPolicy(json: policyData) } catch { fatalError("the policy fixture loads: \(error)") }
    }()

    /// The fixture with the JSON text `json` set at `path`; nil removes the key.
    static func policyJSON(_ edits: [PolicyEdit]) -> Data {
        var root: Any
        do { root = try JSONSerialization.jsonObject(with: policyData) } catch { fatalError("\(error)") }
        for edit in edits {
            var value: Any?
            if let json = edit.json {
                do { value = try JSONSerialization.jsonObject(with: Data(json.utf8), options: .fragmentsAllowed) } catch
                {
                    fatalError("\(error)")
                }
            }
            root = set(root, edit.path[...], value)
        }
        do { return try JSONSerialization.data(withJSONObject: root) } catch { fatalError("\(error)") }
    }

    static func policy(_ edits: [PolicyEdit]) throws(PolicyError) -> CreditPolicy {
        try CreditPolicy(json: policyJSON(edits))
    }

    private static func set(_ node: Any, _ path: ArraySlice<PathKey>, _ value: Any?) -> Any {
        guard let head = path.first else { return value ?? NSNull() }
        if case .key(let key) = head, var object = node as? [String: Any] {
            if path.count == 1, value == nil {
                object.removeValue(forKey: key)
            } else {
                object[key] = set(object[key] ?? [String: Any](), path.dropFirst(), value)
            }
            return object
        }
        if case .index(let index) = head, var array = node as? [Any] {
            array[index] = set(array[index], path.dropFirst(), value)
            return array
        }
        fatalError("no \(head) in \(node)")
    }

    static func cny(_ text: String) -> Money {
        do { return try Money(parsing: text, currency: .CNY) } catch { fatalError("\(error)") }
    }

    static let now: Instant = {
        do { return try Instant(iso8601: "2026-11-24T08:00:00Z") } catch { fatalError("\(error)") }
    }()

    static func application(
        amount: String = "500.00", pd: Double? = 0.01, features: [String: FeatureValue] = [:]
    ) -> CreditApplication {
        var row = FeatureRow(features)
        if let pd { row["pd"] = .number(pd) }
        return CreditApplication(
            decisionId: "dec-1", shopperHash: "shopper-1", orderAmount: cny(amount), requestedProducts: ["pay-in-4"],
            offeredProducts: ["pay-in-4", "financing-12"], merchantId: "merchant-1", at: now, deviceHash: "device-1",
            addressHash: "address-1", instrumentHash: "card-1", distanceFromUsualAddressKilometres: 3,
            ageYears: 30, isIdentityVerified: true, declaredMonthlyIncome: nil, features: row)
    }

    static func context() -> ApplicantContext {
        ApplicantContext(
            isDelinquent: false, isOnBlockedList: false, spendingCap: nil, outstandingBalance: cny("0.00"),
            monthlyObligations: cny("0.00"), lastDeclineAt: nil, creditLimit: .none, availableCredit: cny("0.00"),
            isFirstOrder: false, recentOrders: [],
            exposure: PlatformExposure(outstandingAndHolds: cny("1000000.00"), fundingCapacity: cny("10000000.00")))
    }

    /// A policy without a challenger, so every shopper is in the champion arm.
    static let championOnly: CreditPolicy = {
        do { return try policy([PolicyEdit(["challenger"], nil)]) } catch { fatalError("\(error)") }
    }()

    static let models = CreditModels(champion: ToyLinearModel())

    static func decide(
        _ application: CreditApplication = application(), _ context: ApplicantContext = context(),
        policy: CreditPolicy = championOnly, models: CreditModels = models
    ) throws -> CreditDecision {
        try DecisionEngine.decide(application: application, context: context, policy: policy, models: models)
    }
}

/// One step of a JSON path: an object key or an array index.
enum PathKey: Sendable, ExpressibleByStringLiteral, ExpressibleByIntegerLiteral {
    case key(String)
    case index(Int)
    init(stringLiteral value: String) { self = .key(value) }
    init(integerLiteral value: Int) { self = .index(value) }
}

/// Sets the JSON text `json` (nil: removes the key) at `path` of the policy fixture.
struct PolicyEdit: Sendable {
    var path: [PathKey]
    var json: String?
    init(_ path: [PathKey], _ json: String?) {
        self.path = path
        self.json = json
    }
}

extension CreditDecision {
    var codes: [ReasonCode] { reasons.map(\.code) }
    var isApproved: Bool { if case .approved = outcome { true } else { false } }
}

extension Instant {
    func shifted(seconds: Int64) -> Instant { advanced(by: .seconds(seconds)) }
}
