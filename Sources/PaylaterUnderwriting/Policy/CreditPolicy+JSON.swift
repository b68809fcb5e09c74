public import Foundation
import PaylaterMoney

extension CreditPolicy {
    /// The most score bands, exposure bands, currencies and reason texts one policy may hold.
    public static let itemsMaximum = 200

    /// Reads and checks a policy. The shape (`config/policy.example.json` is a complete example):
    ///
    /// ```json
    /// {"id": "cn-default", "version": 3, "currencies": ["CNY", "USD"],
    ///  "knock_outs": {"minimum_age_years": 18},
    ///  "cut_offs": {"approve_at_or_below": 0.05, "refer_at_or_below": 0.12},
    ///  "score_bands": [{"name": "A", "max_probability_of_bad": 0.02,
    ///                   "initial_limit": {"CNY": "5000.00", "USD": "700.00"}, "products": ["pay-in-4"]}],
    ///  "affordability": {"max_debt_service_bps": 4000, "order_repayment_months": 1,
    ///                    "default_monthly_income": {"CNY": "3000.00", "USD": "1500.00"}},
    ///  "cooling_off_days": 30, "referral_review_hours": 24,
    ///  "velocity": {"orders_per_device": {"hour": 3, "day": 10}, "orders_per_address": {"hour": 3, "day": 10},
    ///               "orders_per_instrument": {"hour": 3, "day": 10}, "accounts_per_device": 3,
    ///               "first_order_high_value": {"CNY": "3000.00", "USD": "400.00"}, "max_distance_km": 500},
    ///  "limits": {"increase_after_on_time_cycles": 3, "increase_bps": 2000,
    ///             "maximum_limit": {"CNY": "20000.00", "USD": "3000.00"},
    ///             "decrease_above_probability_of_bad": 0.15, "decrease_bps": 3000},
    ///  "exposure": {"tightening_bands": [{"at_or_above_utilisation_bps": 9000, "approve_at_or_below": 0.03,
    ///                                     "max_order_amount": {"CNY": "2000.00", "USD": "300.00"}}],
    ///               "stop_at_utilisation_bps": 10000},
    ///  "reason_texts": {"generic": "We couldn't approve this order right now",
    ///                   "codes": {"under_minimum_age": "You must be 18 or older", "...": "..."},
    ///                   "features": {"account_age_days": "Your account on the platform is new"},
    ///                   "missing_feature": "We did not have enough information about your history"},
    ///  "challenger": {"share_bps": 1000, "seed": 42,
    ///                 "cut_offs": {"approve_at_or_below": 0.04, "refer_at_or_below": 0.10}}}
    /// ```
    ///
    /// - Probabilities are JSON numbers in [0, 1]; cut-offs satisfy approve ≤ refer.
    /// - Amounts are objects with a decimal string for exactly the policy's `currencies`, read with each
    ///   currency's exponent.
    /// - Score bands ascend by `max_probability_of_bad`, and the last reaches every refer cut-off (the
    ///   challenger's too), so every shopper who can be approved has a band.
    /// - `reason_texts.codes` has a text for every code told to shoppers and none for the others
    ///   (`ReasonCode.isToldToShopper`): those read `generic`.
    /// - `challenger` is optional; its `cut_offs` too.
    /// - `referral_review_hours` is optional (`referralReviewHoursDefault`), whole hours in
    ///   `referralReviewHoursRange`.
    /// - Unknown keys are refused, so a misspelt field cannot be silently ignored.
    /// - Throws: `PolicyError` naming the first bad field.
    public init(json: Data) throws(PolicyError) {
        let root: Any
        do { root = try JSONSerialization.jsonObject(with: json) } catch {
            throw .malformedJSON("\(error.localizedDescription)")
        }
        do { canonicalContent = try JSONSerialization.data(withJSONObject: root, options: [.sortedKeys]) } catch {
            throw .malformedJSON("\(error.localizedDescription)")
        }
        let object = try PolicyJSONObject(root, path: "")
        try object.rejectUnknownKeys(allowed: [
            "id", "version", "currencies", "knock_outs", "cut_offs", "score_bands", "affordability", "cooling_off_days",
            "referral_review_hours", "velocity", "limits", "exposure", "reason_texts", "challenger",
        ])
        id = try object.string("id")
        version = try object.integer("version", in: 1...1_000_000_000)
        currencies = try Self.currencies(object)
        let knockOuts = try object.object("knock_outs")
        try knockOuts.rejectUnknownKeys(allowed: ["minimum_age_years"])
        minimumAgeYears = try knockOuts.integer("minimum_age_years", in: 16...100)
        cutOffs = try Self.cutOffs(try object.object("cut_offs"))
        challenger = object.has("challenger") ? try Self.challenger(try object.object("challenger")) : nil
        scoreBands = try Self.scoreBands(object, currencies: currencies)
        affordability = try Self.affordability(try object.object("affordability"), currencies: currencies)
        coolingOffDays = try object.integer("cooling_off_days", in: 0...3_650)
        let reviewHours = object.has("referral_review_hours")
            ? try object.integer("referral_review_hours", in: Self.referralReviewHoursRange) : Self.referralReviewHoursDefault
        referralReviewWindow = .seconds(reviewHours * 3_600)
        velocity = try Self.velocity(try object.object("velocity"), currencies: currencies)
        limits = try Self.limits(try object.object("limits"), currencies: currencies)
        exposure = try Self.exposure(try object.object("exposure"), currencies: currencies)
        reasonTexts = try Self.reasonTexts(try object.object("reason_texts"))
        try checkBandsCoverCutOffs(path: "score_bands")
    }

    /// Reads and checks a policy from UTF-8 bytes.
    public init(json: [UInt8]) throws(PolicyError) { try self.init(json: Data(json)) }

    private func checkBandsCoverCutOffs(path: String) throws(PolicyError) {
        let highest = [cutOffs.referAtOrBelow, challenger?.cutOffs?.referAtOrBelow ?? 0].max() ?? 0
        guard let last = scoreBands.last, last.maximumProbabilityOfBad >= highest else {
            throw .invalidField(
                path: path, reason: "the last band must reach the highest refer cut-off, \(highest)")
        }
    }

    private static func currencies(_ object: PolicyJSONObject) throws(PolicyError) -> [Currency] {
        let items = try object.array("currencies", count: 1...itemsMaximum)
        var currencies: [Currency] = []
        for (index, item) in items.enumerated() {
            let path = object.path("currencies") + "[\(index)]"
            let code = try PolicyJSONObject.text(item, path: path)
            let currency: Currency
            do { currency = try Currency(code: code) } catch {
                throw .invalidField(path: path, reason: error.description)
            }
            guard !currencies.contains(currency) else {
                throw .invalidField(path: path, reason: "\(code) is listed twice")
            }
            currencies.append(currency)
        }
        return currencies
    }

    private static func cutOffs(_ object: PolicyJSONObject) throws(PolicyError) -> CutOffs {
        try object.rejectUnknownKeys(allowed: ["approve_at_or_below", "refer_at_or_below"])
        let approve = try object.probability("approve_at_or_below")
        let refer = try object.probability("refer_at_or_below")
        guard approve <= refer else {
            throw .invalidField(
                path: object.path("refer_at_or_below"), reason: "\(refer) is below the approve cut-off \(approve)")
        }
        return CutOffs(approveAtOrBelow: approve, referAtOrBelow: refer)
    }

    private static func challenger(_ object: PolicyJSONObject) throws(PolicyError) -> ChallengerSetup {
        try object.rejectUnknownKeys(allowed: ["share_bps", "seed", "cut_offs"])
        return ChallengerSetup(
            share: try object.basisPoints("share_bps", in: 0...10_000),
            seed: UInt64(try object.integer("seed", in: 0...(1 << 53))),
            cutOffs: object.has("cut_offs") ? try cutOffs(try object.object("cut_offs")) : nil
        )
    }

    private static func scoreBands(_ object: PolicyJSONObject, currencies: [Currency]) throws(PolicyError)
        -> [ScoreBand]
    {
        var bands: [ScoreBand] = []
        for (index, item) in try object.array("score_bands", count: 1...itemsMaximum).enumerated() {
            let band = try PolicyJSONObject(item, path: object.path("score_bands") + "[\(index)]")
            try band.rejectUnknownKeys(allowed: ["name", "max_probability_of_bad", "initial_limit", "products"])
            let name = try band.string("name")
            let maximum = try band.probability("max_probability_of_bad")
            if let previous = bands.last, maximum <= previous.maximumProbabilityOfBad {
                throw .invalidField(
                    path: band.path("max_probability_of_bad"),
                    reason: "\(maximum) is not above the previous band's \(previous.maximumProbabilityOfBad)")
            }
            guard !bands.contains(where: { $0.name == name }) else {
                throw .invalidField(path: band.path("name"), reason: "\(name) is used twice")
            }
            var products: [String] = []
            for (productIndex, product) in try band.array("products", count: 0...itemsMaximum).enumerated() {
                products.append(try PolicyJSONObject.text(product, path: band.path("products") + "[\(productIndex)]"))
            }
            bands.append(
                ScoreBand(
                    name: name, maximumProbabilityOfBad: maximum,
                    initialLimit: try band.amounts("initial_limit", currencies: currencies), products: products))
        }
        return bands
    }

    private static func affordability(_ object: PolicyJSONObject, currencies: [Currency]) throws(PolicyError)
        -> AffordabilityRules
    {
        try object.rejectUnknownKeys(allowed: [
            "max_debt_service_bps", "order_repayment_months", "default_monthly_income",
        ])
        return AffordabilityRules(
            maximumDebtServiceRatio: try object.basisPoints("max_debt_service_bps", in: 1...10_000),
            orderRepaymentMonths: try object.integer("order_repayment_months", in: 1...60),
            defaultMonthlyIncome: try object.amounts("default_monthly_income", currencies: currencies))
    }

    private static func velocity(_ object: PolicyJSONObject, currencies: [Currency]) throws(PolicyError)
        -> VelocityRules
    {
        try object.rejectUnknownKeys(allowed: [
            "orders_per_device", "orders_per_address", "orders_per_instrument", "accounts_per_device",
            "first_order_high_value", "max_distance_km",
        ])
        func window(_ key: String) throws(PolicyError) -> WindowLimits {
            let limits = try object.object(key)
            try limits.rejectUnknownKeys(allowed: ["hour", "day"])
            let hour = try limits.integer("hour", in: 1...10_000)
            let day = try limits.integer("day", in: hour...10_000)
            return WindowLimits(hour: hour, day: day)
        }
        return VelocityRules(
            ordersPerDevice: try window("orders_per_device"), ordersPerAddress: try window("orders_per_address"),
            ordersPerInstrument: try window("orders_per_instrument"),
            accountsPerDevice: try object.integer("accounts_per_device", in: 1...1_000),
            firstOrderHighValue: try object.amounts("first_order_high_value", currencies: currencies),
            maximumDistanceKilometres: try object.integer("max_distance_km", in: 0...40_000))
    }

    private static func limits(_ object: PolicyJSONObject, currencies: [Currency]) throws(PolicyError) -> LimitRules {
        try object.rejectUnknownKeys(allowed: [
            "increase_after_on_time_cycles", "increase_bps", "maximum_limit", "decrease_above_probability_of_bad",
            "decrease_bps",
        ])
        return LimitRules(
            increaseAfterOnTimeCycles: try object.integer("increase_after_on_time_cycles", in: 1...120),
            increase: try object.basisPoints("increase_bps", in: 0...100_000),
            maximumLimit: try object.amounts("maximum_limit", currencies: currencies),
            decreaseAboveProbabilityOfBad: try object.probability("decrease_above_probability_of_bad"),
            decrease: try object.basisPoints("decrease_bps", in: 0...10_000))
    }

    private static func exposure(_ object: PolicyJSONObject, currencies: [Currency]) throws(PolicyError)
        -> ExposureRules
    {
        try object.rejectUnknownKeys(allowed: ["tightening_bands", "stop_at_utilisation_bps"])
        let stop = try object.basisPoints("stop_at_utilisation_bps", in: 1...10_000)
        var bands: [ExposureBand] = []
        for (index, item) in try object.array("tightening_bands", count: 0...itemsMaximum).enumerated() {
            let band = try PolicyJSONObject(item, path: object.path("tightening_bands") + "[\(index)]")
            try band.rejectUnknownKeys(allowed: [
                "at_or_above_utilisation_bps", "approve_at_or_below", "max_order_amount",
            ])
            let from = try band.basisPoints("at_or_above_utilisation_bps", in: 0...(stop.rawValue - 1))
            if let previous = bands.last, from <= previous.atOrAboveUtilisation {
                throw .invalidField(
                    path: band.path("at_or_above_utilisation_bps"),
                    reason: "\(from.rawValue) is not above the previous band's")
            }
            bands.append(
                ExposureBand(
                    atOrAboveUtilisation: from, approveAtOrBelow: try band.probability("approve_at_or_below"),
                    maximumOrderAmount: try band.amounts("max_order_amount", currencies: currencies)))
        }
        return ExposureRules(tighteningBands: bands, stopAtUtilisation: stop)
    }

    private static func reasonTexts(_ object: PolicyJSONObject) throws(PolicyError) -> ReasonTexts {
        try object.rejectUnknownKeys(allowed: ["generic", "codes", "features", "missing_feature"])
        let generic = try object.string("generic")
        let codesObject = try object.object("codes")
        let told = ReasonCode.allCases.filter(\.isToldToShopper)
        if let untold = codesObject.fields.keys.sorted().first(where: {
            ReasonCode(rawValue: $0)?.isToldToShopper == false
        }) {
            throw .invalidField(
                path: codesObject.path(untold), reason: "is not told to shoppers, who read reason_texts.generic instead"
            )
        }
        try codesObject.rejectUnknownKeys(allowed: Set(told.map(\.rawValue)))
        var codes: [ReasonCode: String] = [:]
        for code in told { codes[code] = try codesObject.string(code.rawValue) }
        let featuresObject = try object.object("features")
        guard featuresObject.fields.count <= itemsMaximum * 5 else {
            throw .invalidField(path: featuresObject.path, reason: "more than \(itemsMaximum * 5) features")
        }
        var features: [String: String] = [:]
        for name in featuresObject.fields.keys.sorted() { features[name] = try featuresObject.string(name) }
        let missingFeature = object.has("missing_feature") ? try object.string("missing_feature") : nil
        return ReasonTexts(generic: generic, codes: codes, features: features, missingFeature: missingFeature)
    }
}
