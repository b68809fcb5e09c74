import Foundation
import PaylaterApp
import PaylaterLedger
import PaylaterMoney
import PaylaterTestSupport
import PaylaterTime
import PaylaterUnderwriting
import Testing

@Suite("paylater decision")
struct DecisionCommandTests {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    static var policyFile: String { repository.appendingPathComponent("config/policy.example.json").path }
    static var modelFile: String { repository.appendingPathComponent("config/model.example.json").path }

    /// A store in `scratch` where shopper s1 was approved for 300.00 CNY (d-good, 2027-03-01 10:00 UTC, the first
    /// limit) and then declined on the example model's score (d-bad, 11:00), decided with config/'s policy and model.
    /// Returns the runtime and its clock (at 11:00) and the underwriting service.
    @discardableResult
    static func storeWithDecisions(_ scratch: ScratchDirectory) throws -> (PaylaterRuntime, ManualClock, UnderwritingService) {
        let clock = ManualClock(try Instant(iso8601: "2027-03-01T10:00:00Z"))
        let runtime = try PaylaterRuntime.open(.dataDirectory(scratch.path), clock: clock)
        _ = try runtime.creditLines.setFundingCapacity(try cny("100000.00"), changeID: try TransferID("capacity"))
        let policy = try CreditPolicy(json: try Data(contentsOf: URL(fileURLWithPath: Self.policyFile)))
        let model = try ModelArtifact.load(json: try Data(contentsOf: URL(fileURLWithPath: Self.modelFile)))
        let service = try UnderwritingService(
            database: runtime.database, clock: clock, policy: policy, models: CreditModels(champion: model))
        func request(_ id: String, _ features: [String: Double]) throws -> DecisionRequest {
            DecisionRequest(
                decisionID: id, consumer: try ConsumerID("s1"), merchantID: "m1", orderAmount: try cny("300.00"),
                requestedProducts: ["pay-in-4"], offeredProducts: ["pay-in-4"], deviceID: "device-\(id)",
                shippingAddress: "1 Long Street, Hangzhou", paymentInstrument: "card-\(id)", ageYears: 30,
                isIdentityVerified: true, features: FeatureRow(features.mapValues { .number($0) }))
        }
        let good = try service.decide(try request("d-good", [
            "account_age_days": 800, "orders_last_year": 20, "return_rate": 0.01, "late_repayments": 0, "bureau_delinquencies": 0,
        ]))
        guard case .approved = good.outcome else { throw TestFailure("d-good: \(good.outcome)") }
        clock.set(to: try Instant(iso8601: "2027-03-01T11:00:00Z"))
        let bad = try service.decide(try request("d-bad", [
            "account_age_days": 10, "orders_last_year": 0, "return_rate": 0.6, "late_repayments": 6, "bureau_delinquencies": 4,
        ]))
        guard case .declined = bad.outcome else { throw TestFailure("d-bad: \(bad.outcome)") }
        return (runtime, clock, service)
    }

    struct TestFailure: Error, CustomStringConvertible {
        let description: String
        init(_ description: String) { self.description = description }
    }

    @Test("decision list prints a shopper's decisions newest first, one line each; a shopper without any is exit 1")
    func list() throws {
        let scratch = ScratchDirectory()
        try Self.storeWithDecisions(scratch)
        let run = CLIRun(["decision", "list", "--consumer", "s1", "--data-dir", scratch.path])
        #expect(run.exitCode == 0, "\(run.errorOutput)")
        let lines = run.output.split(separator: "\n").map(String.init)
        #expect(lines.count == 2, "\(run.output)")
        #expect(lines.first?.hasPrefix("2027-03-01T11:00:00Z  d-bad  declined  300.00 CNY  score_below_cut_off,model_factor") == true, "\(run.output)")
        #expect(lines.last?.hasPrefix("2027-03-01T10:00:00Z  d-good  approved  300.00 CNY  -  policy cn-default@4  model ") == true, "\(run.output)")
        let one = CLIRun(["decision", "list", "--consumer", "s1", "--limit", "1", "--data-dir", scratch.path])
        #expect(one.output.split(separator: "\n").count == 1)
        let nobody = CLIRun(["decision", "list", "--consumer", "s2", "--data-dir", scratch.path])
        #expect(nobody.exitCode == 1 && nobody.errorOutput.contains("shopper s2 has no credit decision"), "\(nobody.errorOutput)")
        #expect(CLIRun(["decision", "list", "--consumer", "s1", "--limit", "0", "--data-dir", scratch.path]).exitCode == 2)
        #expect(CLIRun(["decision", "list", "--consumer", "", "--data-dir", scratch.path]).exitCode == 2)
    }

    @Test("decision show prints every reason in the shopper's words and the operator's, the scores and the inputs; --json the document")
    func show() throws {
        let scratch = ScratchDirectory()
        try Self.storeWithDecisions(scratch)
        let run = CLIRun(["decision", "show", "--consumer", "s1", "--id", "d-bad", "--data-dir", scratch.path])
        #expect(run.exitCode == 0, "\(run.errorOutput)")
        #expect(run.output.contains("decision d-bad of shopper s1\n  outcome: declined\n"), "\(run.output)")
        #expect(run.output.contains("    1. score_below_cut_off\n       shopper:  "), "\(run.output)")
        #expect(run.output.contains("       operator: probability of bad 0."), "\(run.output)")
        #expect(run.output.contains("is above the refer cut-off"), "\(run.output)")
        #expect(run.output.contains("    2. model_factor ("), "\(run.output)")
        #expect(run.output.contains("  features: account_age_days=10, bureau_delinquencies=4, late_repayments=6, orders_last_year=0, return_rate=0.6"), "\(run.output)")
        let approved = CLIRun(["decision", "show", "--consumer", "s1", "--id", "d-good", "--data-dir", scratch.path])
        #expect(approved.output.contains("  outcome: approved 300.00 CNY; limit after it "), "\(approved.output)")
        #expect(approved.output.contains("  limit: none to "), "the first limit: \(approved.output)")
        let json = CLIRun(["decision", "show", "--consumer", "s1", "--id", "d-bad", "--json", "--data-dir", scratch.path])
        let document = try JSONSerialization.jsonObject(with: Data(json.output.utf8)) as? [String: Any]
        #expect(document?["id"] as? String == "d-bad")
        #expect(document?["policyVersion"] as? Int == 4)
        let missing = CLIRun(["decision", "show", "--consumer", "s1", "--id", "d-none", "--data-dir", scratch.path])
        #expect(missing.exitCode == 1 && missing.errorOutput.contains("d-none"), "\(missing.errorOutput)")
    }

    /// A merchant names and fills the model's inputs at authorization (any JSON string up to 256 bytes), and the
    /// decision keeps them: an operator reading it must get one fact a line and no terminal control sequence.
    @Test("decision show prints a merchant's feature names and values with control characters escaped, one fact a line")
    func showEscapesMerchantText() throws {
        let scratch = ScratchDirectory()
        let (_, _, service) = try Self.storeWithDecisions(scratch)
        var features = FeatureRow([
            "account_age_days": .number(800), "orders_last_year": .number(20), "return_rate": .number(0.01),
            "late_repayments": .number(0), "bureau_delinquencies": .number(0),
        ])
        features["x\nreasons: none"] = .category("a\u{1B}[2J\u{1B}[31mRED\r\n  outcome: approved")
        _ = try service.decide(DecisionRequest(
            decisionID: "d-odd", consumer: try ConsumerID("s1"), merchantID: "m1", orderAmount: try cny("300.00"),
            requestedProducts: ["pay-in-4"], offeredProducts: ["pay-in-4"], deviceID: "device-odd",
            shippingAddress: "1 Long Street, Hangzhou", paymentInstrument: "card-odd", ageYears: 30,
            isIdentityVerified: true, features: features))
        let run = CLIRun(["decision", "show", "--consumer", "s1", "--id", "d-odd", "--data-dir", scratch.path])
        #expect(run.exitCode == 0, "\(run.errorOutput)")
        let controls = run.output.unicodeScalars.filter { $0 != "\n" && $0.properties.generalCategory == .control }
        #expect(controls.isEmpty, "control characters reach the operator's terminal: \(controls.map { $0.value })")
        let lines = run.output.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines.filter { $0.hasPrefix("  outcome:") }.count == 1, "\(run.output)")
        #expect(lines.filter { $0.hasPrefix("reasons: none") || $0.hasPrefix("  reasons") }.count == 1, "\(run.output)")
        #expect(lines.last?.hasPrefix("  features: ") == true, "the features are one line: \(run.output)")
    }

    @Test("decision replay gives the same decision with the files it was taken with, exit 1 with a model changed under the same name, exit 2 with another policy version")
    func replay() throws {
        let scratch = ScratchDirectory()
        try Self.storeWithDecisions(scratch)
        for id in ["d-good", "d-bad"] {
            let run = CLIRun([
                "decision", "replay", "--consumer", "s1", "--id", id, "--policy", Self.policyFile, "--model", Self.modelFile,
                "--data-dir", scratch.path,
            ])
            #expect(run.exitCode == 0, "\(run.output)\(run.errorOutput)")
            #expect(run.output.contains("decision \(id) replayed with policy cn-default@4, model "), "\(run.output)")
            #expect(run.output.contains(": the same outcome, reasons and scores"), "\(run.output)")
        }
        // The same model name and version, other weights: the replay tells, rather than matching by name.
        var model = try #require(
            try JSONSerialization.jsonObject(with: try Data(contentsOf: URL(fileURLWithPath: Self.modelFile))) as? [String: Any])
        model["intercept"] = (model["intercept"] as? Double ?? 0) - 3
        let altered = scratch.file("altered-model.json", String(decoding: try JSONSerialization.data(withJSONObject: model), as: UTF8.self))
        let differs = CLIRun([
            "decision", "replay", "--consumer", "s1", "--id", "d-bad", "--policy", Self.policyFile, "--model", altered,
            "--data-dir", scratch.path,
        ])
        #expect(differs.exitCode == 1, "\(differs.output)\(differs.errorOutput)")
        #expect(differs.output.contains("DIFFERS from the one recorded:\n  recorded: 2027-03-01T11:00:00Z  d-bad  declined"), "\(differs.output)")
        #expect(differs.output.contains("\n  replayed: 2027-03-01T11:00:00Z  d-bad  "), "\(differs.output)")
        // Another version of the policy is refused, not answered differently.
        var policy = try #require(
            try JSONSerialization.jsonObject(with: try Data(contentsOf: URL(fileURLWithPath: Self.policyFile))) as? [String: Any])
        policy["version"] = 5
        let newer = scratch.file("policy-5.json", String(decoding: try JSONSerialization.data(withJSONObject: policy), as: UTF8.self))
        let refused = CLIRun([
            "decision", "replay", "--consumer", "s1", "--id", "d-bad", "--policy", newer, "--model", Self.modelFile,
            "--data-dir", scratch.path,
        ])
        #expect(refused.exitCode == 2, "\(refused.output)\(refused.errorOutput)")
        #expect(refused.errorOutput.contains("cannot replay d-bad"), "\(refused.errorOutput)")
        // The same version with other rules is refused too (review r11: it replayed as "the same" where the edit did
        // not touch the decision): the store remembers what each version it decided under said.
        policy["version"] = 4
        policy["cooling_off_days"] = ((policy["cooling_off_days"] as? Int) ?? 0) + 1
        let edited = scratch.file("policy-4-edited.json", String(decoding: try JSONSerialization.data(withJSONObject: policy), as: UTF8.self))
        let sameVersion = CLIRun([
            "decision", "replay", "--consumer", "s1", "--id", "d-good", "--policy", edited, "--model", Self.modelFile,
            "--data-dir", scratch.path,
        ])
        #expect(sameVersion.exitCode == 2, "\(sameVersion.output)\(sameVersion.errorOutput)")
        #expect(sameVersion.errorOutput.contains("policy cn-default version 4 differs from the one this store has decided under"),
                "\(sameVersion.errorOutput)")
        let missing = CLIRun([
            "decision", "replay", "--consumer", "s1", "--id", "d-none", "--policy", Self.policyFile, "--model", Self.modelFile,
            "--data-dir", scratch.path,
        ])
        #expect(missing.exitCode == 1, "\(missing.errorOutput)")
    }
}
