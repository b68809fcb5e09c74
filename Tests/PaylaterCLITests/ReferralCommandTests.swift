import Foundation
import PaylaterApp
import PaylaterLedger
import PaylaterMoney
import PaylaterProducts
import PaylaterTestSupport
import PaylaterTime
import PaylaterUnderwriting
import Testing

@Suite("paylater referral")
struct ReferralCommandTests {
    static var catalogFile: String { DecisionCommandTests.repository.appendingPathComponent("config/catalog.example.json").path }
    static var files: [String] {
        ["--policy", DecisionCommandTests.policyFile, "--model", DecisionCommandTests.modelFile, "--catalog", catalogFile]
    }
    static let referredAt = Instant(secondsSinceUnixEpoch: 1_803_895_200)  // 2027-03-01T10:00:00Z

    /// A store in `scratch` where shoppers s1 and s2 each had a checkout of 300.00 CNY referred at 2027-03-01 10:00
    /// UTC and a minute later (shipped 900 km from their usual address), decided with config/'s policy, model and catalog. Returns
    /// the two checkout ids.
    static func storeWithReferrals(_ scratch: ScratchDirectory) throws -> [String] {
        let clock = ManualClock(referredAt)
        let runtime = try PaylaterRuntime.open(.dataDirectory(scratch.path), clock: clock)
        _ = try runtime.creditLines.setFundingCapacity(try cny("100000.00"), changeID: try TransferID("capacity"))
        let policy = try CreditPolicy(json: try Data(contentsOf: URL(fileURLWithPath: DecisionCommandTests.policyFile)))
        let model = try ModelArtifact.load(json: try Data(contentsOf: URL(fileURLWithPath: DecisionCommandTests.modelFile)))
        let catalog = try ProductCatalog(json: try Data(contentsOf: URL(fileURLWithPath: catalogFile)))
        let underwriting = try UnderwritingService(
            database: runtime.database, clock: clock, policy: policy, models: CreditModels(champion: model))
        let checkout = CheckoutService(
            database: runtime.database, clock: clock, catalog: catalog, underwriting: underwriting,
            servicing: ServicingService(database: runtime.database, clock: clock))
        let merchant = try MerchantService(database: runtime.database, clock: clock)
            .create(name: "Acme", pricing: MerchantPricingTerms(discountRate: BasisPoints(250))).merchant
        return try ["s1", "s2"].map { shopper in
            let session = try checkout.createCheckout(
                merchant: merchant.id,
                NewCheckout(
                    merchantReference: "order-\(shopper)", consumerID: shopper,
                    lines: [CheckoutLine(name: "Jacket", quantity: 1, unitPrice: try cny("300.00"), taxRate: BasisPoints(1300))],
                    total: try cny("300.00")))
            let outcome = try checkout.authorize(
                merchant: merchant.id, checkoutID: session.id,
                AuthorizationRequest(
                    productID: "pay-in-4", deviceID: "device-\(shopper)", shippingAddress: "\(shopper) Long Street",
                    paymentInstrument: "card-\(shopper)", distanceFromUsualAddressKilometres: 900, ageYears: 30,
                    isIdentityVerified: true,
                    features: FeatureRow([
                        "account_age_days": .number(800), "orders_last_year": .number(20), "return_rate": .number(0.01),
                        "late_repayments": .number(0), "bureau_delinquencies": .number(0),
                    ])))
            guard case .referred = outcome else { throw DecisionCommandTests.TestFailure("\(shopper): \(outcome)") }
            clock.advance(by: .seconds(60))  // so the queue's order is the order of referral
            return session.id
        }
    }

    @Test("referral list shows the queue with each reason; approve makes the order, once; decline of it is refused")
    func listAndApprove() throws {
        let scratch = ScratchDirectory()
        let ids = try Self.storeWithReferrals(scratch)
        let halfHourLater = Self.referredAt.advanced(by: .seconds(1_800))
        let list = CLIRun(["referral", "list", "--data-dir", scratch.path], at: halfHourLater)
        #expect(list.exitCode == 0, "\(list.errorOutput)")
        let lines = list.output.split(separator: "\n").map(String.init)
        #expect(lines.count == 4, "\(list.output)")
        #expect(lines.first?.hasPrefix("2027-03-01T10:00:00Z  \(ids[0])  merchant m_") == true, "\(list.output)")
        #expect(lines.first?.contains("shopper s1  300.00 CNY  pay-in-4  waiting 30 min, expires 2027-03-02T10:00:00Z") == true, "\(list.output)")
        #expect(lines[1].hasPrefix("    shipping_address_far: shipping address 900"), "\(list.output)")

        let approve = ["referral", "approve", "--checkout", ids[0], "--by", "ana", "--note", "called the shopper: moving house"]
        let approved = CLIRun(approve + Self.files + ["--data-dir", scratch.path], at: halfHourLater)
        #expect(approved.exitCode == 0, "\(approved.output)\(approved.errorOutput)")
        #expect(approved.output.hasPrefix("checkout \(ids[0]) approved: order ord_"), "\(approved.output)")
        #expect(approved.output.contains("  limit: ") && approved.output.hasSuffix(" CNY (initial)"), "the first limit: \(approved.output)")
        let again = CLIRun(approve + Self.files + ["--data-dir", scratch.path], at: halfHourLater)
        #expect(again.exitCode == 0 && again.output.contains("approved (reviewed so before; nothing changed)"), "\(again.output)")
        let decline = CLIRun(
            ["referral", "decline", "--checkout", ids[0], "--by", "bo", "--note", "no"] + Self.files + ["--data-dir", scratch.path],
            at: halfHourLater)
        #expect(decline.exitCode == 1 && decline.errorOutput.contains("already reviewed: approved by ana"), "\(decline.errorOutput)")
        let shown = CLIRun(["decision", "show", "--consumer", "s1", "--id", ids[0] + ":review", "--data-dir", scratch.path])
        #expect(shown.output.contains("  outcome: approved 300.00 CNY"), "\(shown.output)")
        let remaining = CLIRun(["referral", "list", "--data-dir", scratch.path], at: halfHourLater)
        #expect(remaining.output.split(separator: "\n").count == 2 && remaining.output.contains(ids[1]), "\(remaining.output)")
        // A day after s2's referral, no verdict is taken: it is declined as expired.
        let late = CLIRun(
            ["referral", "approve", "--checkout", ids[1], "--by", "ana", "--note", "ok"] + Self.files + ["--data-dir", scratch.path],
            at: Self.referredAt.advanced(by: .seconds(25 * 3_600)))
        #expect(late.exitCode == 1 && late.errorOutput.contains("was not reviewed in time"), "\(late.output)\(late.errorOutput)")
    }

    @Test("a reviewer's decline prints the reasons; usage mistakes are exit 2; eod declines what waited a day")
    func declineAndExpiry() throws {
        let scratch = ScratchDirectory()
        let ids = try Self.storeWithReferrals(scratch)
        let blank = CLIRun(
            ["referral", "decline", "--checkout", ids[0], "--by", " ", "--note", "x"] + Self.files + ["--data-dir", scratch.path])
        #expect(blank.exitCode == 2, "\(blank.errorOutput)")
        let unknown = CLIRun(
            ["referral", "decline", "--checkout", "chk_none", "--by", "bo", "--note", "x"] + Self.files + ["--data-dir", scratch.path])
        #expect(unknown.exitCode == 1 && unknown.errorOutput.contains("was not referred"), "\(unknown.errorOutput)")
        let declined = CLIRun(
            ["referral", "decline", "--checkout", ids[0], "--by", "bo", "--note", "parcel locker abroad"] + Self.files
                + ["--data-dir", scratch.path], at: Self.referredAt.advanced(by: .seconds(60)))
        #expect(declined.exitCode == 0, "\(declined.errorOutput)")
        #expect(declined.output.contains("checkout \(ids[0]) declined (decision \(ids[0]):review)"), "\(declined.output)")
        #expect(declined.output.contains("  declined_on_review: declined on review of \(ids[0]) by bo: parcel locker abroad"), "\(declined.output)")
        #expect(declined.output.contains("  the shopper reads: "), "\(declined.output)")

        // The end of day of 03-02 (Asia/Shanghai, over at 16:00 UTC): s2's referral waited more than a day.
        let eod = CLIRun(
            ["eod", "--date", "2027-03-02", "--policy", DecisionCommandTests.policyFile, "--model", DecisionCommandTests.modelFile,
             "--catalog", Self.catalogFile, "--data-dir", scratch.path],
            at: Self.referredAt.advanced(by: .seconds(40 * 3_600)))
        #expect(eod.exitCode == 0, "\(eod.output)\(eod.errorOutput)")
        #expect(eod.output.contains("referrals expired unreviewed: 1"), "\(eod.output)")
        let empty = CLIRun(["referral", "list", "--data-dir", scratch.path])
        #expect(empty.output == "no referral awaits review", "\(empty.output)")
        let expired = CLIRun(["decision", "show", "--consumer", "s2", "--id", ids[1] + ":review", "--data-dir", scratch.path])
        #expect(expired.output.contains("referral_expired"), "\(expired.output)")
    }

    @Test("eod without --model, as run before referrals were reviewed, still charges, settles and delivers from a directory without config/; a referral due is left, the run incomplete")
    func endOfDayWithoutModel() throws {
        let scratch = ScratchDirectory()
        let ids = try Self.storeWithReferrals(scratch)
        let files = ["--policy", DecisionCommandTests.policyFile, "--catalog", Self.catalogFile, "--data-dir", scratch.path]
        // A past date, by the machine's clock (the process's), with no referral due then.
        let elsewhere = try PaylaterProcess(["eod", "--date", "2026-09-01"] + files, in: URL(fileURLWithPath: scratch.path)).finish()
        #expect(elsewhere.status == 0, "\(elsewhere.output)")
        #expect(elsewhere.output.contains("referrals expired unreviewed: 0"), "\(elsewhere.output)")
        let due = CLIRun(["eod", "--date", "2027-03-02"] + files, at: Self.referredAt.advanced(by: .seconds(40 * 3_600)))
        #expect(due.exitCode == 1, "\(due.output)\(due.errorOutput)")
        #expect(due.output.contains("orders expired: 0") && due.output.contains("give --model"), "\(due.output)")
        #expect(due.output.contains("webhooks:"), "\(due.output)")
        let queue = CLIRun(["referral", "list", "--data-dir", scratch.path])
        #expect(ids.allSatisfy { queue.output.contains($0) }, "\(queue.output)")
    }

    @Test("the review window is the policy's: referral list and a late verdict read it from --policy; the same version with another window is refused")
    func policyWindow() throws {
        let scratch = ScratchDirectory()
        let ids = try Self.storeWithReferrals(scratch)
        let twoHours = try String(contentsOfFile: DecisionCommandTests.policyFile, encoding: .utf8)
            .replacingOccurrences(of: #""cooling_off_days": 30,"#, with: #""cooling_off_days": 30, "referral_review_hours": 2,"#)
        let sameVersion = scratch.path + "/policy-v4-2h.json"
        try twoHours.write(toFile: sameVersion, atomically: true, encoding: .utf8)
        let raised = scratch.path + "/policy-v5-2h.json"
        try twoHours.replacingOccurrences(of: #""version": 4"#, with: #""version": 5"#)
            .write(toFile: raised, atomically: true, encoding: .utf8)
        let halfHourLater = Self.referredAt.advanced(by: .seconds(1_800))

        let list = CLIRun(["referral", "list", "--policy", raised, "--data-dir", scratch.path], at: halfHourLater)
        #expect(list.exitCode == 0, "\(list.errorOutput)")
        #expect(list.output.contains("\(ids[0])") && list.output.contains("expires 2027-03-01T12:00:00Z"), "\(list.output)")
        let files = ["--model", DecisionCommandTests.modelFile, "--catalog", Self.catalogFile, "--data-dir", scratch.path]
        let approve = ["referral", "approve", "--checkout", ids[0], "--by", "ana", "--note", "ok"]
        let reused = CLIRun(approve + ["--policy", sameVersion] + files, at: halfHourLater)
        #expect(reused.exitCode != 0 && reused.errorOutput.contains("raise its version"), "\(reused.output)\(reused.errorOutput)")
        let late = CLIRun(approve + ["--policy", raised] + files, at: Self.referredAt.advanced(by: .seconds(2 * 3_600)))
        #expect(late.exitCode == 1, "\(late.output)\(late.errorOutput)")
        #expect(late.errorOutput.contains("its referral expired at 2027-03-01T12:00:00Z"), "\(late.errorOutput)")
    }
}
