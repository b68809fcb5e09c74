import Foundation
@testable import PaylaterApp
import PaylaterMoney
import PaylaterTime
@testable import PaylaterUnderwriting
import Testing

/// The hand-written canonical JSON must be byte for byte what `JSONEncoder` writes: stored decisions are read back
/// with `JSONDecoder`, and a field the writer forgot would vanish from the record without any other test noticing.
@Suite("Canonical JSON written by hand")
struct CanonicalJSONWriterTests {
    @Test("random credit decisions: every outcome, reason, limit change and optional field", arguments: 0..<8)
    func decisions(seed: UInt64) throws {
        var random = SplitMix64(seed: seed)
        for _ in 0..<250 {
            let decision = Self.decision(&random)
            #expect(try CanonicalJSON.encode(decision) == CanonicalJSON.encodedByEncoder(decision))
            let decoded = try JSONDecoder().decode(CreditDecision.self, from: Data(try CanonicalJSON.encode(decision).utf8))
            #expect(decoded == decision)
        }
    }

    @Test("random limit changes", arguments: 0..<4)
    func limitChanges(seed: UInt64) throws {
        var random = SplitMix64(seed: seed)
        for _ in 0..<250 {
            let change = Self.limitChange(&random)
            #expect(try CanonicalJSON.encode(change) == CanonicalJSON.encodedByEncoder(change))
        }
    }

    @Test("texts with every escape: quotes, backslashes, control characters, slashes, non-ASCII")
    func escapes() throws {
        let texts = ["", "a/b", "\"q\"", "back\\slash", "\u{0}\u{1}\u{8}\u{9}\u{a}\u{b}\u{c}\u{d}\u{1f}", "\u{7f}", "新的😀\u{2028}"]
        for text in texts {
            let reason = DecisionReason(code: .blockedList, shopperMessage: text, operatorDetail: text, feature: text)
            #expect(try CanonicalJSON.encode(reason) == CanonicalJSON.encodedByEncoder(reason))
        }
    }

    @Test("numbers: whole, tiny, huge, negative zero and the extremes, as the encoder writes them")
    func numbers() throws {
        let numbers: [Double] = [0, -0.0, 1, -1, 0.1, 0.30000000000000004, 1e-7, 2.5e-5, 1e15, 1e16, 1e22, 123456789.125,
                                 .leastNonzeroMagnitude, .greatestFiniteMagnitude, -.greatestFiniteMagnitude]
        for number in numbers {
            let reason = LimitChangeReason.decrease(probabilityOfBad: number)
            #expect(try CanonicalJSON.encode(reason) == CanonicalJSON.encodedByEncoder(reason))
        }
    }

    @Test("a number JSON cannot hold is refused, as the encoder refuses it")
    func notANumber() {
        for number in [Double.nan, .infinity, -.infinity] {
            #expect(throws: EncodingError.self) { try CanonicalJSON.encode(LimitChangeReason.decrease(probabilityOfBad: number)) }
            #expect(throws: EncodingError.self) { try CanonicalJSON.encodedByEncoder(LimitChangeReason.decrease(probabilityOfBad: number)) }
        }
    }

    // MARK: Random values

    private static func decision(_ random: inout SplitMix64) -> CreditDecision {
        let currency = [Currency.CNY, .USD, .JPY, .KWD].randomElement(using: &random)!
        let outcome: DecisionOutcome =
            switch Int.random(in: 0..<3, using: &random) {
            case 0: .approved(limit: money(currency, &random), approvedAmount: money(currency, &random),
                              eligibleProducts: (0..<Int.random(in: 0..<4, using: &random)).map { _ in text(&random) })
            case 1: .declined
            default: .referred
            }
        return CreditDecision(
            id: text(&random), outcome: outcome,
            reasons: (0..<Int.random(in: 0..<6, using: &random)).map { _ in
                DecisionReason(
                    code: ReasonCode.allCases.randomElement(using: &random)!, shopperMessage: text(&random),
                    operatorDetail: text(&random), feature: maybe(&random) { text(&$0) })
            },
            model: maybe(&random) { ModelIdentity(name: text(&$0), version: text(&$0)) },
            probabilityOfBad: maybe(&random) { number(&$0) }, points: maybe(&random) { number(&$0) },
            band: maybe(&random) { text(&$0) }, policyId: text(&random), policyVersion: Int64.random(in: 0...1_000, using: &random),
            arm: Bool.random(using: &random) ? .champion : .challenger,
            limitChange: maybe(&random) { limitChange(&$0) },
            snapshot: DecisionSnapshot(
                application: application(currency, &random), context: context(currency, &random), policyId: text(&random),
                policyVersion: Int64.random(in: 0...9, using: &random),
                champion: ModelIdentity(name: text(&random), version: text(&random)),
                challenger: maybe(&random) { ModelIdentity(name: text(&$0), version: text(&$0)) }))
    }

    private static func application(_ currency: Currency, _ random: inout SplitMix64) -> CreditApplication {
        var features: [String: FeatureValue] = [:]
        for _ in 0..<Int.random(in: 0..<6, using: &random) {
            features[text(&random)] =
                switch Int.random(in: 0..<3, using: &random) {
                case 0: .number(number(&random))
                case 1: .category(text(&random))
                default: .missing
                }
        }
        return CreditApplication(
            decisionId: text(&random), shopperHash: text(&random), orderAmount: money(currency, &random),
            requestedProducts: [text(&random)], offeredProducts: (0..<Int.random(in: 0..<3, using: &random)).map { _ in text(&random) },
            merchantId: text(&random), at: instant(&random), deviceHash: text(&random), addressHash: text(&random),
            instrumentHash: text(&random), distanceFromUsualAddressKilometres: maybe(&random) { number(&$0) },
            ageYears: Int64.random(in: 0...120, using: &random), isIdentityVerified: Bool.random(using: &random),
            declaredMonthlyIncome: maybe(&random) { money(currency, &$0) }, features: FeatureRow(features))
    }

    private static func context(_ currency: Currency, _ random: inout SplitMix64) -> ApplicantContext {
        ApplicantContext(
            isDelinquent: Bool.random(using: &random), isOnBlockedList: Bool.random(using: &random),
            spendingCap: maybe(&random) { SpendingCap(cap: money(currency, &$0), spentInPeriod: money(currency, &$0)) },
            outstandingBalance: money(currency, &random), monthlyObligations: money(currency, &random),
            lastDeclineAt: maybe(&random) { instant(&$0) }, creditLimit: limit(currency, &random),
            availableCredit: money(currency, &random), isFirstOrder: Bool.random(using: &random),
            recentOrders: (0..<Int.random(in: 0..<4, using: &random)).map { _ in
                OrderEvent(at: instant(&random), deviceHash: text(&random), addressHash: text(&random),
                           instrumentHash: text(&random), shopperHash: text(&random))
            },
            exposure: PlatformExposure(outstandingAndHolds: money(currency, &random), fundingCapacity: money(currency, &random)))
    }

    private static func limitChange(_ random: inout SplitMix64) -> LimitChange {
        let currency = [Currency.CNY, .USD].randomElement(using: &random)!
        let reason: LimitChangeReason =
            switch Int.random(in: 0..<5, using: &random) {
            case 0: .initial(band: text(&random))
            case 1: .increase(onTimeCycles: Int64.random(in: 0...36, using: &random))
            case 2: .decrease(probabilityOfBad: number(&random))
            case 3: .freeze(.delinquency)
            default: .unfreeze
            }
        return LimitChange(from: limit(currency, &random), to: limit(currency, &random), reason: reason, at: instant(&random))
    }

    private static func limit(_ currency: Currency, _ random: inout SplitMix64) -> CreditLimit {
        switch Int.random(in: 0..<3, using: &random) {
        case 0: .none
        case 1: .active(money(currency, &random))
        default: .frozen(money(currency, &random), reason: .delinquency)
        }
    }

    private static func money(_ currency: Currency, _ random: inout SplitMix64) -> Money {
        Money(minorUnits: Int64.random(in: -1_000_000_000...1_000_000_000_000, using: &random), currency: currency)
    }

    private static func instant(_ random: inout SplitMix64) -> Instant {
        Instant(nanosecondsSinceUnixEpoch: Int64.random(in: 0...4_000_000_000_000_000_000, using: &random))
    }

    /// Whole, fractional, tiny and huge numbers of either sign.
    private static func number(_ random: inout SplitMix64) -> Double {
        switch Int.random(in: 0..<4, using: &random) {
        case 0: Double(Int.random(in: -1_000...1_000, using: &random))
        case 1: Double.random(in: 0..<1, using: &random)
        case 2: Double(sign: Bool.random(using: &random) ? .minus : .plus, exponent: Int.random(in: -1_000...1_000, using: &random),
                       significand: Double.random(in: 1..<2, using: &random))
        default: Double(Int.random(in: 0...1_000_000, using: &random)) / 100
        }
    }

    /// Short texts drawn from letters, digits, escapes and non-ASCII characters.
    private static func text(_ random: inout SplitMix64) -> String {
        let alphabet: [Character] = Array("aZ_09 -/\"\\\n\t\u{1}é新😀.:")
        return String((0..<Int.random(in: 0..<12, using: &random)).map { _ in alphabet.randomElement(using: &random)! })
    }

    private static func maybe<T>(_ random: inout SplitMix64, _ make: (inout SplitMix64) -> T) -> T? {
        Bool.random(using: &random) ? make(&random) : nil
    }
}
