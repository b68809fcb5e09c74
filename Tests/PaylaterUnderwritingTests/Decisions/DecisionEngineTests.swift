import PaylaterMoney
import PaylaterTime
import PaylaterUnderwriting
import Testing

@Suite("Deciding an application")
struct DecisionEngineTests {
    let cny = DecisionFixture.cny
    let generic = DecisionFixture.policy.reasonTexts.generic

    @Test("a good shopper without a limit is approved with the band's initial limit and the products it allows")
    func approvedWithInitialLimit() throws {
        let decision = try DecisionFixture.decide()
        #expect(
            decision.outcome
                == .approved(
                    limit: cny("5000.00"), approvedAmount: cny("500.00"),
                    eligibleProducts: ["pay-in-4", "financing-12"]))
        #expect(decision.reasons.isEmpty)
        #expect(
            decision.limitChange
                == LimitChange(
                    from: .none, to: .active(cny("5000.00")), reason: .initial(band: "A"), at: DecisionFixture.now))
        #expect(decision.model == ToyLinearModel().identity)
        #expect(decision.probabilityOfBad == 0.01)
        #expect(decision.band == "A")
        #expect(decision.policyId == "cn-default")
        #expect(decision.policyVersion == 4)
        #expect(decision.arm == .champion)
        #expect(decision.id == "dec-1")
    }

    // MARK: Knock-outs

    @Test(
        "knock-outs decline without scoring and list every one that applies",
        arguments: [
            (17, true, false, false, [.underMinimumAge]),
            (30, false, false, false, [.identityNotVerified]),
            (30, true, true, false, [.delinquentOnPlatform]),
            (30, true, false, true, [.blockedList]),
            (16, false, true, true, [.underMinimumAge, .identityNotVerified, .delinquentOnPlatform, .blockedList]),
        ] as [(Int64, Bool, Bool, Bool, [ReasonCode])])
    func knockOuts(age: Int64, verified: Bool, delinquent: Bool, blocked: Bool, codes: [ReasonCode]) throws {
        var application = DecisionFixture.application()
        application.ageYears = age
        application.isIdentityVerified = verified
        var context = DecisionFixture.context()
        context.isDelinquent = delinquent
        context.isOnBlockedList = blocked
        let decision = try DecisionFixture.decide(application, context)
        #expect(decision.outcome == .declined)
        #expect(decision.codes == codes)
        #expect(decision.model == nil)
        #expect(decision.probabilityOfBad == nil)
    }

    @Test("exactly 18 is old enough")
    func exactlyEighteen() throws {
        var application = DecisionFixture.application()
        application.ageYears = 18
        #expect(try DecisionFixture.decide(application).isApproved)
    }

    @Test("the shopper reads why they are under age, but a blocked-list decline reads only the generic text")
    func knockOutMessages() throws {
        var application = DecisionFixture.application()
        application.ageYears = 17
        var context = DecisionFixture.context()
        context.isOnBlockedList = true
        let decision = try DecisionFixture.decide(application, context)
        #expect(decision.reasons[0].shopperMessage == "You must be 18 or older to pay later")
        #expect(decision.reasons[1].shopperMessage == generic)
        #expect(decision.reasons[1].operatorDetail == "the shopper is on the blocked list")
    }

    // MARK: Cooling-off

    @Test(
        "a decline within 30 days declines again; exactly 30 days later the shopper may apply",
        arguments: [(30 * 86_400 - 1, false), (30 * 86_400, true), (1, false)] as [(Int64, Bool)])
    func coolingOff(secondsSinceDecline: Int64, approved: Bool) throws {
        var context = DecisionFixture.context()
        context.lastDeclineAt = DecisionFixture.now.shifted(seconds: -secondsSinceDecline)
        let decision = try DecisionFixture.decide(DecisionFixture.application(), context)
        #expect(decision.isApproved == approved)
        if !approved { #expect(decision.codes == [.coolingOff]) }
    }

    // MARK: Velocity

    static func events(
        _ count: Int, spacedSeconds: Int64, device: String = "device-1", address: String = "address-1",
        instrument: String = "card-1", shopper: (Int) -> String = { _ in "shopper-1" }
    ) -> [OrderEvent] {
        (0..<count).map {
            OrderEvent(
                at: DecisionFixture.now.shifted(seconds: -spacedSeconds * Int64($0 + 1)), deviceHash: device,
                addressHash: address,
                instrumentHash: instrument, shopperHash: shopper($0))
        }
    }

    @Test(
        "orders per device, address and instrument: the 3rd in an hour and the 10th in a day pass, one more declines",
        arguments: [
            (2, 60, "device-1", "x", "x", nil), (3, 60, "device-1", "x", "x", .deviceVelocity),
            (3, 60, "x", "address-1", "x", .addressVelocity), (3, 60, "x", "x", "card-1", .instrumentVelocity),
            (9, 3_600, "device-1", "x", "x", nil), (10, 3_600, "device-1", "x", "x", .deviceVelocity),
            (10, 8_640, "x", "x", "card-1", nil),
        ] as [(Int, Int64, String, String, String, ReasonCode?)])
    func orderVelocity(
        prior: Int, spacing: Int64, device: String, address: String, instrument: String, code: ReasonCode?
    ) throws {
        var context = DecisionFixture.context()
        context.recentOrders = Self.events(
            prior, spacedSeconds: spacing, device: device, address: address, instrument: instrument)
        let decision = try DecisionFixture.decide(DecisionFixture.application(), context)
        if let code {
            #expect(decision.outcome == .declined)
            #expect(decision.codes == [code])
            #expect(decision.reasons[0].shopperMessage == generic)
            #expect(decision.model == nil)
        } else {
            #expect(decision.isApproved)
        }
    }

    @Test(
        "a fourth shopper on one device in a day is declined; the shopper reads the generic text, the operator the rule"
    )
    func accountsPerDevice() throws {
        var context = DecisionFixture.context()
        context.recentOrders = Self.events(
            3, spacedSeconds: 7_200, address: "x", instrument: "x", shopper: { "other-\($0)" })
        let decision = try DecisionFixture.decide(DecisionFixture.application(), context)
        #expect(decision.codes == [.accountsPerDevice])
        #expect(decision.reasons[0].shopperMessage == generic)
        #expect(decision.reasons[0].operatorDetail == "4 shoppers on the device in 24 h; the most is 3")
    }

    @Test(
        "a first order at or above the high-value amount is referred",
        arguments: [("3000.00", false), ("2999.99", true)])
    func firstOrderHighValue(amount: String, approved: Bool) throws {
        var application = DecisionFixture.application(amount: amount)
        application.declaredMonthlyIncome = cny("20000.00")
        var context = DecisionFixture.context()
        context.isFirstOrder = true
        let decision = try DecisionFixture.decide(application, context)
        #expect(decision.isApproved == approved)
        if !approved {
            #expect(decision.outcome == .referred)
            #expect(decision.codes == [.firstOrderHighValue])
            #expect(decision.reasons[0].shopperMessage == generic)
        }
    }

    @Test(
        "a shipping address farther than 500 km from the usual one is referred; exactly 500 km passes",
        arguments: [(500.0, true), (500.1, false)])
    func farAddress(kilometres: Double, approved: Bool) throws {
        var application = DecisionFixture.application()
        application.distanceFromUsualAddressKilometres = kilometres
        let decision = try DecisionFixture.decide(application)
        #expect(decision.isApproved == approved)
        if !approved { #expect(decision.outcome == .referred && decision.codes == [.shippingAddressFar]) }
    }

    @Test("a refer never hides a later decline")
    func referThenDecline() throws {
        var application = DecisionFixture.application()
        application.distanceFromUsualAddressKilometres = 900
        var context = DecisionFixture.context()
        context.spendingCap = SpendingCap(cap: cny("100.00"), spentInPeriod: cny("0.00"))
        let decision = try DecisionFixture.decide(application, context)
        #expect(decision.outcome == .declined)
        #expect(decision.codes == [.shippingAddressFar, .overSpendingCap])
    }

    // MARK: Score and cut-offs

    @Test(
        "approve at or below 0.05, refer up to 0.12 inclusive, decline above",
        arguments: [(0.05, "approved"), (0.0500001, "referred"), (0.12, "referred"), (0.1200001, "declined")])
    func cutOffs(probability: Double, outcome: String) throws {
        let decision = try DecisionFixture.decide(DecisionFixture.application(pd: probability))
        let actual: String =
            switch decision.outcome {
            case .approved: "approved"
            case .referred: "referred"
            case .declined: "declined"
            }
        #expect(actual == outcome)
        switch outcome {
        case "referred": #expect(decision.codes.first == .scoreInReviewBand)
        case "declined": #expect(decision.codes.first == .scoreBelowCutOff)
        default: #expect(decision.band == "B")
        }
    }

    static let riskyFeatures: [String: FeatureValue] = [
        "late_repayments": .number(2), "return_rate": .number(0.5), "bureau_delinquencies": .number(1),
        "device_age_days": .number(-100), "orders_last_year": .number(-1), "account_age_days": .number(10),
    ]

    @Test("a score decline gives the four factors that raised the risk most, in the policy's plain words")
    func modelFactors() throws {
        let decision = try DecisionFixture.decide(DecisionFixture.application(pd: 0.2, features: Self.riskyFeatures))
        #expect(decision.outcome == .declined)
        #expect(decision.codes == [.scoreBelowCutOff, .modelFactor, .modelFactor, .modelFactor, .modelFactor])
        #expect(
            decision.reasons.compactMap(\.feature) == [
                "late_repayments", "return_rate", "bureau_delinquencies", "device_age_days",
            ])
        #expect(
            decision.reasons.dropFirst().map(\.shopperMessage) == [
                "You repaid late on the platform", "Many of your orders were returned",
                "Your credit report shows missed payments",
                "Other information about your history on the platform",
            ])
    }

    @Test("a factor whose value was not known is told as missing information, never in the feature's own words")
    func missingFactorsToldAsMissing() throws {
        // No repayment record and no credit report: their missing values raise the risk, as a scorecard's missing
        // bins do, but "You repaid late" or "Your credit report shows missed payments" would be untrue.
        let model = ToyLinearModel(missingTerms: ["late_repayments": 0.9, "bureau_delinquencies": 0.7])
        let application = DecisionFixture.application(pd: 0.2, features: ["return_rate": .number(0.5)])
        let decision = try DecisionFixture.decide(application, models: CreditModels(champion: model))
        #expect(decision.reasons.compactMap(\.feature) == ["return_rate", "late_repayments", "bureau_delinquencies"])
        #expect(
            decision.reasons.dropFirst().map(\.shopperMessage) == [
                "Many of your orders were returned",
                "We did not have enough information about your history",
                "We did not have enough information about your history",
            ])
        #expect(decision.reasons[2].operatorDetail.hasPrefix("late_repayments was missing"))
        #expect(decision.reasons[1].operatorDetail.hasPrefix("return_rate raised"))

        // A policy without a missing_feature text gives model_factor's, which claims nothing either.
        let policy = try DecisionFixture.policy([
            PolicyEdit(["challenger"], nil), PolicyEdit(["reason_texts", "missing_feature"], nil),
        ])
        let withoutText = try DecisionFixture.decide(application, policy: policy, models: CreditModels(champion: model))
        #expect(
            withoutText.reasons.dropFirst().map(\.shopperMessage) == [
                "Many of your orders were returned",
                "Other information about your history on the platform",
                "Other information about your history on the platform",
            ])
    }

    @Test("only factors that raised the risk are reasons")
    func onlyPositiveFactors() throws {
        let decision = try DecisionFixture.decide(
            DecisionFixture.application(
                pd: 0.1, features: ["account_age_days": .number(5), "return_rate": .number(0.1)]))
        #expect(decision.outcome == .referred)
        #expect(decision.reasons.compactMap(\.feature) == ["return_rate"])
    }

    @Test("a model that cannot score refers the application with a generic message")
    func modelCannotScore() throws {
        let decision = try DecisionFixture.decide(
            DecisionFixture.application(features: ["return_rate": .category("high")]))
        #expect(decision.outcome == .referred)
        #expect(decision.codes == [.modelCouldNotScore])
        #expect(decision.reasons[0].shopperMessage == generic)
        #expect(decision.probabilityOfBad == nil)
    }

    // MARK: Champion/challenger

    static let challengerShopper: String = {
        guard
            let id = (0...).lazy.map({ "shopper-\($0)" }).first(where: {
                ArmAssignment.arm(shopperHash: $0, challenger: DecisionFixture.policy.challenger) == .challenger
            })
        else { fatalError("some shopper is a challenger") }
        return id
    }()

    @Test("a challenger shopper is decided by the challenger's cut-offs and model, and the arm is recorded")
    func challengerArm() throws {
        var application = DecisionFixture.application(pd: 0.045)
        application.shopperHash = Self.challengerShopper
        let challengerModel = ToyLinearModel(identity: ModelIdentity(name: "toy-challenger", version: "2"))
        let models = CreditModels(champion: ToyLinearModel(), challenger: challengerModel)
        let decision = try DecisionFixture.decide(application, policy: DecisionFixture.policy, models: models)
        #expect(decision.arm == .challenger)
        #expect(decision.model == challengerModel.identity)
        #expect(decision.outcome == .referred)
        #expect(try DecisionFixture.decide(application, policy: DecisionFixture.championOnly).isApproved)
    }

    // MARK: Limits and affordability

    @Test("a frozen limit declines")
    func frozen() throws {
        var context = DecisionFixture.context()
        context.creditLimit = .frozen(cny("800.00"), reason: .delinquency)
        let decision = try DecisionFixture.decide(DecisionFixture.application(), context)
        #expect(decision.outcome == .declined && decision.codes == [.limitFrozen])
    }

    @Test(
        "an active limit is kept; the order must fit the available credit exactly or less",
        arguments: [("400.00", true), ("400.01", false)])
    func availableCredit(amount: String, approved: Bool) throws {
        var context = DecisionFixture.context()
        context.creditLimit = .active(cny("1000.00"))
        context.availableCredit = cny("400.00")
        let decision = try DecisionFixture.decide(DecisionFixture.application(amount: amount), context)
        if approved {
            #expect(
                decision.outcome
                    == .approved(
                        limit: cny("1000.00"), approvedAmount: cny(amount),
                        eligibleProducts: ["pay-in-4", "financing-12"]))
            #expect(decision.limitChange == nil)
        } else {
            #expect(decision.codes == [.overAvailableCredit])
        }
    }

    @Test(
        "the shopper's own spending cap is honoured: exactly used up passes, a cent over declines",
        arguments: [("500.00", true), ("500.01", false)])
    func spendingCap(spent: String, approved: Bool) throws {
        var context = DecisionFixture.context()
        context.spendingCap = SpendingCap(cap: cny("1000.00"), spentInPeriod: cny(spent))
        let decision = try DecisionFixture.decide(DecisionFixture.application(), context)
        #expect(decision.isApproved == approved)
        if !approved {
            #expect(decision.codes == [.overSpendingCap])
            #expect(decision.reasons[0].shopperMessage == "This order is above the spending cap you set for yourself")
        }
    }

    @Test("a cap in another currency than the order's declines it: the shopper capped their spending, and no rate converts it")
    func spendingCapInAnotherCurrency() throws {
        var context = DecisionFixture.context()
        let usd = { (text: String) in try Money(parsing: text, currency: .USD) }
        context.spendingCap = SpendingCap(cap: try usd("1000.00"), spentInPeriod: try usd("0.00"))
        let decision = try DecisionFixture.decide(DecisionFixture.application(amount: "1.00"), context)
        #expect(decision.outcome == .declined)
        #expect(decision.codes == [.overSpendingCap])
        #expect(decision.reasons[0].operatorDetail.contains("an order in CNY cannot be measured against it"))

        context.spendingCap = SpendingCap(cap: try usd("1000.00"), spentInPeriod: cny("0.00"))
        #expect(
            throws: DecisionError.currencyMismatch(field: "spending_cap.spent_in_period", expected: .USD, found: .CNY)
        ) { try DecisionFixture.decide(DecisionFixture.application(amount: "1.00"), context) }
    }

    @Test(
        "repayments may take 40% of income: declared, or the policy's conservative 3000.00 when none is declared",
        arguments: [
            (nil, "700.00", "500.00", true), (nil, "700.00", "500.01", false),
            ("1000.00", "0.00", "400.00", true), ("1000.00", "0.00", "400.01", false),
            ("10000.00", "0.00", "3000.00", true),
        ] as [(String?, String, String, Bool)])
    func debtService(income: String?, obligations: String, amount: String, approved: Bool) throws {
        var application = DecisionFixture.application(amount: amount)
        application.declaredMonthlyIncome = income.map(cny)
        var context = DecisionFixture.context()
        context.monthlyObligations = cny(obligations)
        let decision = try DecisionFixture.decide(application, context)
        #expect(decision.isApproved == approved)
        if !approved { #expect(decision.codes == [.debtServiceTooHigh]) }
    }

    @Test(
        "orders authorized and not captured count with the order: 700.00 of obligations leave 500.00, shared with what is held",
        arguments: [("0.00", "500.00", true), ("200.00", "300.00", true), ("200.00", "300.01", false), ("500.00", "0.01", false)]
            as [(String, String, Bool)])
    func heldAuthorizationsShareTheRoom(held: String, amount: String, approved: Bool) throws {
        var context = DecisionFixture.context()
        context.monthlyObligations = cny("700.00")
        context.heldAuthorizations = cny(held)
        let decision = try DecisionFixture.decide(DecisionFixture.application(amount: amount), context)
        #expect(decision.isApproved == approved)
        if !approved { #expect(decision.codes == [.debtServiceTooHigh]) }
    }

    // MARK: Platform exposure

    @Test(
        "from exactly 90% utilisation only probability of bad ≤ 0.03 and orders ≤ 2000.00 are approved; at 100% nothing",
        arguments: [
            ("8999999.99", 0.04, "500.00", nil), ("9000000.00", 0.04, "500.00", .platformCapacityTightened),
            ("9000000.00", 0.03, "2000.00", nil), ("9000000.00", 0.01, "2000.01", .platformCapacityTightened),
            ("9999500.00", 0.01, "500.00", nil), ("9999500.00", 0.01, "500.01", .platformCapacityReached),
            ("10000000.00", 0.01, "1.00", .platformCapacityReached),
        ] as [(String, Double, String, ReasonCode?)])
    func exposure(used: String, probability: Double, amount: String, code: ReasonCode?) throws {
        var application = DecisionFixture.application(amount: amount, pd: probability)
        application.declaredMonthlyIncome = cny("100000.00")
        var context = DecisionFixture.context()
        context.exposure.outstandingAndHolds = cny(used)
        let decision = try DecisionFixture.decide(application, context)
        if let code {
            #expect(decision.outcome == .declined)
            #expect(decision.codes == [code])
            #expect(decision.reasons[0].shopperMessage == generic)
        } else {
            #expect(decision.isApproved)
        }
    }

    // MARK: Products

    @Test(
        "eligible products are the offered ones the band allows; a requested product outside them declines",
        arguments: [
            (0.01, ["financing-12"], ["pay-in-4", "financing-12"], true),
            (0.03, ["financing-12"], ["pay-in-4", "financing-12"], false),
            (0.03, [], ["pay-in-4", "financing-12"], true),
            (0.10, [], ["financing-12"], false),
        ] as [(Double, [String], [String], Bool)])
    func products(probability: Double, requested: [String], offered: [String], approved: Bool) throws {
        var application = DecisionFixture.application(pd: probability)
        application.requestedProducts = requested
        application.offeredProducts = offered
        let decision = try DecisionFixture.decide(application)
        if approved {
            guard case .approved(_, _, let eligible) = decision.outcome else {
                Issue.record("not approved")
                return
            }
            #expect(
                eligible
                    == offered.filter {
                        DecisionFixture.policy.band(probabilityOfBad: probability)!.products.contains($0)
                    })
        } else {
            #expect(decision.codes.contains(.productNotEligible))
            #expect(decision.outcome == .declined)
        }
    }

    // MARK: Caller mistakes

    @Test("amounts in another currency than the order's are refused, not compared")
    func currencyMismatch() {
        var context = DecisionFixture.context()
        context.monthlyObligations = Money(minorUnits: 0, currency: .USD)
        #expect(throws: DecisionError.currencyMismatch(field: "monthly_obligations", expected: .CNY, found: .USD)) {
            try DecisionEngine.decide(
                application: DecisionFixture.application(), context: context, policy: DecisionFixture.championOnly,
                models: DecisionFixture.models)
        }
        var application = DecisionFixture.application()
        application.orderAmount = Money(minorUnits: 100, currency: .EUR)
        #expect(throws: DecisionError.currencyNotInPolicy(.EUR)) {
            try DecisionEngine.decide(
                application: application, context: DecisionFixture.context(), policy: DecisionFixture.championOnly,
                models: DecisionFixture.models)
        }
    }
}
