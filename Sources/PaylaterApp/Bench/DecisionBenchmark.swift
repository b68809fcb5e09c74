import PaylaterLedger
import PaylaterMoney
import PaylaterTime
public import PaylaterUnderwriting

/// In-process latency of one credit decision: building the application's feature row, then
/// `DecisionEngine.decide` with one model as champion, without storage (`run()`); or the whole
/// `UnderwritingService.decide`, with its transaction on a store (`run(service:runID:)`).
///
/// The applications are synthetic and generated from the seed before the clock starts: feature values drawn from
/// the model itself (a scorecard's bins, weighted by their training counts; a tree ensemble's split thresholds and
/// category codes), and contexts that pass the knock-outs, the cooling-off period and the velocity rules, so every
/// decision reaches the model. What follows the model (limit, affordability, exposure, products) runs for the
/// applications the cut-offs let through; the report's outcome mix says how many that was.
public struct DecisionBenchmark: Sendable {
    public struct Configuration: Sendable {
        public var decisions: Int
        /// Decisions taken and thrown away before timing starts (code paths, caches, allocator).
        public var warmUpDecisions: Int
        public var seed: UInt64

        public init(decisions: Int, warmUpDecisions: Int = 1_000, seed: UInt64 = 42) {
            self.decisions = decisions
            self.warmUpDecisions = warmUpDecisions
            self.seed = seed
        }
    }

    /// What a run measured.
    public struct Report: Sendable {
        /// Each timed decision's latency in nanoseconds, sorted ascending.
        public let latenciesNanoseconds: [Int64]
        /// From the first timed decision to the end of the last, timing overhead included.
        public let elapsed: Duration
        public let approved: Int
        public let referred: Int
        public let declined: Int
        /// Decisions the model scored: it was reached (no rule stopped the decision before it) and could score
        /// the row.
        public let scored: Int

        /// The latency at `percent` by nearest rank: the smallest latency at or above that share of decisions.
        public func latencyNanoseconds(percentile percent: Int) -> Int64 {
            precondition((1...100).contains(percent) && !latenciesNanoseconds.isEmpty)
            let rank = (latenciesNanoseconds.count * percent + 99) / 100
            return latenciesNanoseconds[rank - 1]
        }

        /// `elapsed` in whole nanoseconds.
        public var elapsedNanoseconds: Int128 { DecisionBenchmark.nanoseconds(elapsed) }

        /// Decisions per second over the whole timed run, rounded down; a display figure.
        public var decisionsPerSecond: Int {
            let nanoseconds = elapsedNanoseconds
            guard nanoseconds > 0 else { return 0 }
            return Int(Int128(latenciesNanoseconds.count) * 1_000_000_000 / nanoseconds)
        }
    }

    public let configuration: Configuration
    public let policy: CreditPolicy
    public let model: any CreditModel

    public init(_ configuration: Configuration, policy: CreditPolicy, model: any CreditModel) {
        precondition(configuration.decisions >= 1 && configuration.warmUpDecisions >= 0)
        self.configuration = configuration
        self.policy = policy
        self.model = model
    }

    /// Generates the applications, warms up on the first of them, then times each decision on its own.
    /// - Throws: `DecisionError` if the engine refuses an input (it should not: the inputs follow the policy).
    public func run() throws(DecisionError) -> Report {
        let cases = makeCases()
        let models = CreditModels(champion: model)
        return try measure(cases.count) { index, _ throws(DecisionError) in
            try decide(cases[index % cases.count], models: models)
        }
    }

    /// The same applications through `service`: each decision gathers its context from the store, decides, and
    /// stores the decision with its snapshot in one transaction. Every application is a new shopper (so the
    /// context is a first order without a limit); `runID` keeps shoppers and decision ids apart between runs on
    /// one store. The service must have been made with this benchmark's policy and model.
    public func run(service: UnderwritingService, runID: String) throws -> Report {
        precondition(service.policy == policy && service.models.champion.identity == model.identity)
        let cases = makeCases()
        return try measure(cases.count) { index, isWarmUp in
            let benchmarkCase = cases[index % cases.count]
            let application = benchmarkCase.application
            let prefix = "bench-\(runID)-\(isWarmUp ? "w" : "d")\(index)"
            return try service.decide(
                DecisionRequest(
                    decisionID: prefix, consumer: try ConsumerID(prefix), merchantID: application.merchantId,
                    orderAmount: application.orderAmount, requestedProducts: application.requestedProducts,
                    offeredProducts: application.offeredProducts, deviceID: application.deviceHash,
                    shippingAddress: application.addressHash, paymentInstrument: application.instrumentHash,
                    distanceFromUsualAddressKilometres: application.distanceFromUsualAddressKilometres,
                    ageYears: application.ageYears, isIdentityVerified: application.isIdentityVerified,
                    declaredMonthlyIncome: application.declaredMonthlyIncome,
                    features: featureRow(benchmarkCase.featureValues)))
        }
    }

    private func makeCases() -> [BenchmarkCase] {
        var random = SplitMix64(seed: configuration.seed)
        let currency = policy.currencies.contains(.CNY) ? Currency.CNY : policy.currencies[0]
        let sampler = FeatureSampler(model: model)
        return (0..<configuration.decisions).map { index in
            BenchmarkCase.make(index: index, currency: currency, sampler: sampler, random: &random)
        }
    }

    /// Runs `decide(index, isWarmUp)` for the warm-up indexes untimed, then for `0..<count` timed one by one.
    private func measure<Failure: Error>(
        _ count: Int, _ decide: (_ index: Int, _ isWarmUp: Bool) throws(Failure) -> CreditDecision
    ) throws(Failure) -> Report {
        for index in 0..<configuration.warmUpDecisions { _ = try decide(index, true) }
        var latencies = [Int64](repeating: 0, count: count)
        var outcomes = (approved: 0, referred: 0, declined: 0, scored: 0)
        let clock = ContinuousClock()
        let started = clock.now
        for index in 0..<count {
            let before = clock.now
            let decision = try decide(index, false)
            latencies[index] = Int64(Self.nanoseconds(clock.now - before))
            switch decision.outcome {
            case .approved: outcomes.approved += 1
            case .referred: outcomes.referred += 1
            case .declined: outcomes.declined += 1
            }
            if decision.model != nil, !decision.reasons.contains(where: { $0.code == .modelCouldNotScore }) {
                outcomes.scored += 1
            }
        }
        let elapsed = clock.now - started
        return Report(
            latenciesNanoseconds: latencies.sorted(), elapsed: elapsed, approved: outcomes.approved,
            referred: outcomes.referred, declined: outcomes.declined, scored: outcomes.scored)
    }

    static func nanoseconds(_ duration: Duration) -> Int128 {
        let (seconds, attoseconds) = duration.components
        return Int128(seconds) * 1_000_000_000 + Int128(attoseconds / 1_000_000_000)
    }

    /// The timed work: the feature row from the model's inputs, then the decision.
    private func decide(_ benchmarkCase: BenchmarkCase, models: CreditModels) throws(DecisionError) -> CreditDecision {
        var application = benchmarkCase.application
        application.features = featureRow(benchmarkCase.featureValues)
        return try DecisionEngine.decide(
            application: application, context: benchmarkCase.context, policy: policy, models: models)
    }

    private func featureRow(_ values: [FeatureValue]) -> FeatureRow {
        var features = FeatureRow()
        for (name, value) in zip(model.featureNames, values) { features[name] = value }
        return features
    }
}

/// One synthetic application: everything but the feature row, which the timed part builds from `featureValues`.
private struct BenchmarkCase {
    var application: CreditApplication
    var context: ApplicantContext
    /// In the model's `featureNames` order.
    var featureValues: [FeatureValue]

    /// 1 January 2026, 00:00 UTC: the first application's time; each later one is a minute after the previous.
    static let firstApplicationSeconds: Int64 = 1_767_225_600

    static func make(index: Int, currency: Currency, sampler: FeatureSampler, random: inout SplitMix64)
        -> BenchmarkCase
    {
        func money(_ range: ClosedRange<Int64>) -> Money {
            Money(minorUnits: random.int64(in: range), currency: currency)
        }
        let at = Instant(secondsSinceUnixEpoch: firstApplicationSeconds + Int64(index) * 60)
        let shopper = "shopper-\(index)"
        let device = "device-\(index)"
        let address = "address-\(index)"
        let instrument = "instrument-\(index)"
        // Up to two earlier orders of this shopper today: counted by the velocity rules, under their limits.
        let recentOrders = (0..<random.int(in: 0...2)).map { _ in
            OrderEvent(
                at: at.advanced(by: .seconds(-random.int64(in: 600...72_000))), deviceHash: device,
                addressHash: address, instrumentHash: instrument, shopperHash: shopper)
        }
        let limit: CreditLimit = random.chance(percent: 50) ? .none : .active(money(100_000...800_000))
        let outstanding = limit.amount.map { money(0...$0.minorUnits / 2) } ?? .zero(currency)
        let available = Money(
            minorUnits: (limit.amount?.minorUnits ?? 0) - outstanding.minorUnits, currency: currency)
        let capacity: Int64 = 1_000_000_000_00
        // Drawn in this order; reordering the draws changes which applications a seed names.
        let spendingCap = random.chance(percent: 20)
            ? SpendingCap(cap: money(200_000...1_000_000), spentInPeriod: money(0...100_000)) : nil
        let monthlyObligations = money(0...80_000)
        let lastDeclineAt = random.chance(percent: 10)
            ? at.advanced(by: .seconds(-random.int64(in: 60...400) * 86_400)) : nil
        let context = ApplicantContext(
            isDelinquent: false, isOnBlockedList: false, spendingCap: spendingCap, outstandingBalance: outstanding,
            monthlyObligations: monthlyObligations, lastDeclineAt: lastDeclineAt,
            creditLimit: limit, availableCredit: available, isFirstOrder: false, recentOrders: recentOrders,
            exposure: PlatformExposure(
                outstandingAndHolds: money(capacity * 3 / 10...capacity * 92 / 100),
                fundingCapacity: Money(minorUnits: capacity, currency: currency)))
        let application = CreditApplication(
            decisionId: "bench-\(index)", shopperHash: shopper, orderAmount: money(2_000...150_000),
            requestedProducts: random.chance(percent: 50) ? [] : ["pay-in-4"],
            offeredProducts: ["pay-in-4", "monthly-split-6"], merchantId: "merchant-\(index % 50)", at: at,
            deviceHash: device, addressHash: address, instrumentHash: instrument,
            distanceFromUsualAddressKilometres: Double(random.int(in: 0...50)), ageYears: random.int64(in: 18...75),
            isIdentityVerified: true,
            declaredMonthlyIncome: random.chance(percent: 50) ? money(300_000...3_000_000) : nil,
            features: FeatureRow())
        return BenchmarkCase(
            application: application, context: context, featureValues: sampler.sample(random: &random))
    }
}

/// Draws plausible inputs for a model from the model itself.
private struct FeatureSampler {
    /// How to draw one feature's value.
    enum Source {
        /// A scorecard feature: one of its bins, chosen in proportion to the bin's training rows.
        case bins([ScorecardBin])
        /// A number in the range (widened by a tenth on each side) that the model's splits cover.
        case range(Double, Double)
        /// One of these category codes.
        case codes([Int])
        /// The model reads no value here.
        case missing
    }

    let sources: [Source]

    init(model: any CreditModel) {
        if let scorecard = model as? Scorecard {
            sources = scorecard.features.map { .bins($0.bins) }
        } else if let ensemble = model as? TreeEnsemble {
            sources = Self.treeSources(ensemble)
        } else {
            sources = model.featureNames.map { _ in .range(0, 100) }
        }
    }

    /// Per feature: the range of its numerical thresholds, or the categories its bitsets name.
    private static func treeSources(_ ensemble: TreeEnsemble) -> [Source] {
        var ranges = [(low: Double, high: Double)?](repeating: nil, count: ensemble.featureNames.count)
        var codes = [Set<Int>?](repeating: nil, count: ensemble.featureNames.count)
        for tree in ensemble.trees {
            for (node, feature) in tree.splitFeature.enumerated() {
                if tree.decisionType[node] & 1 != 0 {
                    let bitset = Int(tree.threshold[node])
                    let words = tree.catThreshold[tree.catBoundaries[bitset]..<tree.catBoundaries[bitset + 1]]
                    var found = codes[feature] ?? []
                    for (word, bits) in words.enumerated() {
                        for bit in 0..<32 where bits & (1 << UInt32(bit)) != 0 { found.insert(word * 32 + bit) }
                    }
                    codes[feature] = found
                } else if tree.threshold[node].isFinite {
                    let value = tree.threshold[node]
                    let known = ranges[feature] ?? (value, value)
                    ranges[feature] = (min(known.low, value), max(known.high, value))
                }
            }
        }
        return zip(ranges, codes).map { range, found in
            if let found, !found.isEmpty { return .codes(found.sorted()) }
            guard let range else { return .missing }
            let margin = max((range.high - range.low) / 10, 1)
            return .range(range.low - margin, range.high + margin)
        }
    }

    func sample(random: inout SplitMix64) -> [FeatureValue] {
        sources.map { source in
            switch source {
            case .bins(let bins): Self.value(in: Self.weightedBin(bins, random: &random), random: &random)
            case .range(let low, let high): .number(low + (high - low) * Self.unit(&random))
            case .codes(let codes): .number(Double(random.element(of: codes)))
            case .missing: .missing
            }
        }
    }

    /// A number in [0, 1).
    private static func unit(_ random: inout SplitMix64) -> Double {
        Double(random.next() >> 11) / Double(1 << 53)
    }

    private static func weightedBin(_ bins: [ScorecardBin], random: inout SplitMix64) -> ScorecardBin {
        let total = bins.reduce(0) { $0 + $1.count }
        guard total > 0 else { return random.element(of: bins) }
        var remaining = random.int(in: 0...(total - 1))
        for bin in bins {
            if remaining < bin.count { return bin }
            remaining -= bin.count
        }
        return bins[bins.count - 1]
    }

    /// A value the bin matches: a number in its range `(lower, upper]`, one of its categories, a category never
    /// seen for `other`, or missing.
    private static func value(in bin: ScorecardBin, random: inout SplitMix64) -> FeatureValue {
        let unit = unit(&random)
        switch bin.match {
        case .range(let lower?, let upper?): return .number(upper - (upper - lower) * unit)
        case .range(nil, let upper?): return .number(upper - max(abs(upper) / 2, 1) * unit)
        case .range(let lower?, nil): return .number(lower + max(abs(lower) / 2, 1) * (1 - unit))
        case .range(nil, nil): return .number(100 * unit)
        case .categories(let labels): return .category(random.element(of: labels))
        case .other: return .category("a category never seen at training")
        case .missing: return .missing
        }
    }
}
