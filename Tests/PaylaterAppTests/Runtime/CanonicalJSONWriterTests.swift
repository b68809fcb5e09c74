import Foundation
@testable import PaylaterApp
import PaylaterMoney
import PaylaterProducts
import PaylaterTime
@testable import PaylaterUnderwriting
import PaylaterTestSupport
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

    @Test("random orders: captures, refunds, a promotion, a delivery, every state", arguments: 0..<4)
    func orders(seed: UInt64) throws {
        var random = SplitMix64(seed: seed)
        var seen: Set<String> = []
        for _ in 0..<250 {
            let order = try RandomValues.order(&random)
            #expect(try CanonicalJSON.encode(order) == CanonicalJSON.encodedByEncoder(order))
            if !order.captures.isEmpty { seen.insert("capture") }
            if !order.refunds.isEmpty { seen.insert("refund") }
            if order.delivery != nil { seen.insert("delivery") }
            if order.promotion != nil { seen.insert("promotion") }
            seen.insert(order.state.rawValue)
        }
        #expect(seen.isSuperset(of: ["capture", "refund", "delivery", "promotion", "authorized", "captured", "cancelled"]))
    }

    @Test("webhook values: text, counts and amounts under keys in byte order")
    func webhookValues() throws {
        var random = SplitMix64(seed: 7)
        for _ in 0..<200 {
            var values: [String: WebhookValue] = [:]
            for _ in 0..<Int.random(in: 0..<8, using: &random) {
                values[RandomValues.text(&random)] =
                    switch Int.random(in: 0..<3, using: &random) {
                    case 0: .text(RandomValues.text(&random))
                    case 1: .count(Int.random(in: -5...1_000, using: &random))
                    default: .money(RandomValues.money(.CNY, &random))
                    }
            }
            #expect(try CanonicalJSON.encode(values) == CanonicalJSON.encodedByEncoder(values))
        }
    }

    @Test("amounts at the extremes, alone, in arrays and among other members, as the encoder writes them")
    func amounts() throws {
        let units: [Int64] = [0, 1, -1, 1_250, -99_999, .max, .min]
        let amounts = units.flatMap { minorUnits in [Currency.CNY, .USD, .JPY].map { Money(minorUnits: minorUnits, currency: $0) } }
        for amount in amounts {
            #expect(try CanonicalJSON.encode(amount) == CanonicalJSON.encodedByEncoder(amount))
            let values: [String: WebhookValue] = ["a": .money(amount), "b": .money(amount), "z": .text("end")]
            #expect(try CanonicalJSON.encode(values) == CanonicalJSON.encodedByEncoder(values))
        }
        struct Amounts: CanonicalJSONWritable {
            let list: [Money]
            let next: Money?
            func write(to json: inout CanonicalJSONWriter) {
                json.object { json in
                    json.field("list", list)
                    json.field("next", next)
                }
            }
        }
        let list = Amounts(list: amounts, next: amounts.last)
        #expect(try CanonicalJSON.encode(list) == CanonicalJSON.encodedByEncoder(list))
    }

    @Test("integers of every digit count, negative and at the extremes, as the encoder writes them")
    func integers() throws {
        struct Integer: CanonicalJSONWritable {
            let value: Int64
            func write(to json: inout CanonicalJSONWriter) {
                json.object { json in json.field("value", value) }
            }
        }
        var values: [Int64] = [0, 1, -1, 9, 10, -10, 99, 100, .max, .min, .max - 1, .min + 1]
        var power: Int64 = 1
        for _ in 0..<18 {
            power *= 10
            values += [power - 1, power, -power, -(power - 1)]
        }
        for value in values {
            #expect(try CanonicalJSON.encode(Integer(value: value)) == CanonicalJSON.encodedByEncoder(Integer(value: value)))
        }
    }

    @Test("keys in snake_case as the API's encoder converts them")
    func snakeCase() {
        #expect(CanonicalJSONWriter.snakeCase("decisionId") == "decision_id")
        #expect(CanonicalJSONWriter.snakeCase("planID") == "plan_id")
        #expect(CanonicalJSONWriter.snakeCase("merchantShareBp") == "merchant_share_bp")
        #expect(CanonicalJSONWriter.snakeCase("myURLValue") == "my_url_value")
        #expect(CanonicalJSONWriter.snakeCase("_0") == "_0")
        #expect(CanonicalJSONWriter.snakeCase("a1B") == "a1_b")
        #expect(CanonicalJSONWriter.snakeCase("ÉtatCivil") == "état_civil")  // not ASCII: by Unicode properties
        #expect(CanonicalJSONWriter.snakeCase("x") == "x")
        // Keys as JSONEncoder converts them, those without a capital (returned as they are) among them. (A key that
        // starts with capitals is not among them: JSONEncoder turns "ID" into "i_d", and no view has such a key.)
        struct Keys: Encodable {
            let amount = 1, already_snake = 2, _leading = 3, trailing_ = 4, a1 = 6, orderId = 7, x2Y = 8
        }
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.outputFormatting = .sortedKeys
        let converted = (try? JSONSerialization.jsonObject(with: encoder.encode(Keys())) as? [String: Int]) ?? [:]
        let keys = ["amount", "already_snake", "_leading", "trailing_", "a1", "orderId", "x2Y"]
        #expect(Set(keys.map(CanonicalJSONWriter.snakeCase)) == Set(converted.keys))
        #expect(converted.count == keys.count)
    }

    /// Keys that are printable ASCII are written straight into the output, converted on the way; any other key
    /// takes the escaping path. Both must read as the encoder writes them, in either key style; a dictionary's keys
    /// are data, which the encoder does not convert.
    @Test("keys with escapes, control characters and non-ASCII, as written and in snake_case, as the encoder writes them")
    func keysOfEveryKind() throws {
        let money = Money(minorUnits: 1, currency: .CNY)
        let dictionary = [
            "aB\"c": money, "back\\Slash": money, "orderId": money, "plain": money, "x\u{1}Y": money, "éTat": money,
            "新的": money,
        ]
        #expect(try CanonicalJSON.encode(dictionary) == CanonicalJSON.encodedByEncoder(dictionary))
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        #expect(try CanonicalJSONWriter.bytes(of: dictionary, keys: .snakeCase) == Array(try encoder.encode(dictionary)))

        var json = CanonicalJSONWriter(keys: .snakeCase)
        json.object { json in
            json.field("aB\"c", "v")
            json.field("orderId", "w")
            json.field("x\u{1}Y", "x")
            json.field("éTat", "y")
        }
        #expect(String(decoding: json.bytes, as: UTF8.self) == #"{"a_b\"c":"v","order_id":"w","x\u0001_y":"x","é_tat":"y"}"#)
    }

    @Test("texts with every escape: quotes, backslashes, control characters, slashes, non-ASCII")
    func escapes() throws {
        let texts = ["", "a/b", "\"q\"", "back\\slash", "\u{0}\u{1}\u{8}\u{9}\u{a}\u{b}\u{c}\u{d}\u{1f}", "\u{7f}", "新的😀\u{2028}", "run\"then\\a run\u{1}and 新 the end", "\"\"\\\\"]
        for text in texts {
            let reason = DecisionReason(code: .blockedList, shopperMessage: text, operatorDetail: text, feature: text)
            #expect(try CanonicalJSON.encode(reason) == CanonicalJSON.encodedByEncoder(reason))
        }
    }

    @Test("instants with no, 3, 6 and 9 fraction digits, before 1970 and at both ends of the range, as the encoder writes them")
    func instants() throws {
        let instants = [
            0, 1, -1, 1_790_000_000_000_000_000, 1_790_000_000_123_000_000, 1_790_000_000_123_456_000,
            1_790_000_000_123_456_789, 951_782_400_000_000_000, .min, .max,
        ].map { Instant(nanosecondsSinceUnixEpoch: $0) }
        for instant in instants {
            let fees = ["at": instant]
            #expect(try CanonicalJSON.encode(fees) == CanonicalJSON.encodedByEncoder(fees), "\(instant)")
            #expect(try CanonicalJSON.encode(fees) == #"{"at":"\#(instant.description)"}"#)
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
            case 0: .approved(limit: RandomValues.money(currency, &random), approvedAmount: RandomValues.money(currency, &random),
                              eligibleProducts: (0..<Int.random(in: 0..<4, using: &random)).map { _ in RandomValues.text(&random) })
            case 1: .declined
            default: .referred
            }
        return CreditDecision(
            id: RandomValues.text(&random), outcome: outcome,
            reasons: (0..<Int.random(in: 0..<6, using: &random)).map { _ in
                DecisionReason(
                    code: ReasonCode.allCases.randomElement(using: &random)!, shopperMessage: RandomValues.text(&random),
                    operatorDetail: RandomValues.text(&random), feature: maybe(&random) { RandomValues.text(&$0) })
            },
            model: maybe(&random) { ModelIdentity(name: RandomValues.text(&$0), version: RandomValues.text(&$0)) },
            probabilityOfBad: maybe(&random) { number(&$0) }, points: maybe(&random) { number(&$0) },
            band: maybe(&random) { RandomValues.text(&$0) }, policyId: RandomValues.text(&random), policyVersion: Int64.random(in: 0...1_000, using: &random),
            arm: Bool.random(using: &random) ? .champion : .challenger,
            limitChange: maybe(&random) { limitChange(&$0) },
            snapshot: DecisionSnapshot(
                application: application(currency, &random), context: context(currency, &random), policyId: RandomValues.text(&random),
                policyVersion: Int64.random(in: 0...9, using: &random),
                champion: ModelIdentity(name: RandomValues.text(&random), version: RandomValues.text(&random)),
                challenger: maybe(&random) { ModelIdentity(name: RandomValues.text(&$0), version: RandomValues.text(&$0)) }))
    }

    private static func application(_ currency: Currency, _ random: inout SplitMix64) -> CreditApplication {
        var features: [String: FeatureValue] = [:]
        for _ in 0..<Int.random(in: 0..<6, using: &random) {
            features[RandomValues.text(&random)] =
                switch Int.random(in: 0..<3, using: &random) {
                case 0: .number(number(&random))
                case 1: .category(RandomValues.text(&random))
                default: .missing
                }
        }
        return CreditApplication(
            decisionId: RandomValues.text(&random), shopperHash: RandomValues.text(&random), orderAmount: RandomValues.money(currency, &random),
            requestedProducts: [RandomValues.text(&random)], offeredProducts: (0..<Int.random(in: 0..<3, using: &random)).map { _ in RandomValues.text(&random) },
            merchantId: RandomValues.text(&random), at: RandomValues.instant(&random), deviceHash: RandomValues.text(&random), addressHash: RandomValues.text(&random),
            instrumentHash: RandomValues.text(&random), distanceFromUsualAddressKilometres: maybe(&random) { number(&$0) },
            ageYears: Int64.random(in: 0...120, using: &random), isIdentityVerified: Bool.random(using: &random),
            declaredMonthlyIncome: maybe(&random) { RandomValues.money(currency, &$0) }, features: FeatureRow(features),
            review: maybe(&random) { review(&$0) })
    }

    private static func review(_ random: inout SplitMix64) -> ReferralReview {
        let verdict: ReferralReview.Verdict =
            switch Int.random(in: 0..<3, using: &random) {
            case 0: .approved(by: RandomValues.text(&random), note: RandomValues.text(&random))
            case 1: .declined(by: RandomValues.text(&random), note: RandomValues.text(&random))
            default: .expired(windowSeconds: Int64.random(in: 0...1_000_000, using: &random))
            }
        return ReferralReview(
            referredDecisionId: RandomValues.text(&random), referredAt: RandomValues.instant(&random), verdict: verdict)
    }

    private static func context(_ currency: Currency, _ random: inout SplitMix64) -> ApplicantContext {
        ApplicantContext(
            isDelinquent: Bool.random(using: &random), isOnBlockedList: Bool.random(using: &random),
            spendingCap: maybe(&random) { SpendingCap(cap: RandomValues.money(currency, &$0), spentInPeriod: RandomValues.money(currency, &$0)) },
            outstandingBalance: RandomValues.money(currency, &random), monthlyObligations: RandomValues.money(currency, &random),
            lastDeclineAt: maybe(&random) { RandomValues.instant(&$0) }, creditLimit: limit(currency, &random),
            availableCredit: RandomValues.money(currency, &random), isFirstOrder: Bool.random(using: &random),
            recentOrders: (0..<Int.random(in: 0..<4, using: &random)).map { _ in
                OrderEvent(at: RandomValues.instant(&random), deviceHash: RandomValues.text(&random), addressHash: RandomValues.text(&random),
                           instrumentHash: RandomValues.text(&random), shopperHash: RandomValues.text(&random))
            },
            exposure: PlatformExposure(outstandingAndHolds: RandomValues.money(currency, &random), fundingCapacity: RandomValues.money(currency, &random)))
    }

    private static func limitChange(_ random: inout SplitMix64) -> LimitChange {
        let currency = [Currency.CNY, .USD].randomElement(using: &random)!
        let reason: LimitChangeReason =
            switch Int.random(in: 0..<5, using: &random) {
            case 0: .initial(band: RandomValues.text(&random))
            case 1: .increase(onTimeCycles: Int64.random(in: 0...36, using: &random))
            case 2: .decrease(probabilityOfBad: number(&random))
            case 3: .freeze(.delinquency)
            default: .unfreeze
            }
        return LimitChange(from: limit(currency, &random), to: limit(currency, &random), reason: reason, at: RandomValues.instant(&random))
    }

    private static func limit(_ currency: Currency, _ random: inout SplitMix64) -> CreditLimit {
        switch Int.random(in: 0..<3, using: &random) {
        case 0: .none
        case 1: .active(RandomValues.money(currency, &random))
        default: .frozen(RandomValues.money(currency, &random), reason: .delinquency)
        }
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

    private static func maybe<T>(_ random: inout SplitMix64, _ make: (inout SplitMix64) -> T) -> T? {
        Bool.random(using: &random) ? make(&random) : nil
    }
}
