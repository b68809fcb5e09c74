import Foundation
import PaylaterApp
import PaylaterLedger
import PaylaterMoney
import PaylaterUnderwriting

/// `paylater decision list --consumer ID`: a shopper's credit decisions, newest first, a line each.
enum DecisionListCommand: Command {
    static let spec = CommandSpec(
        path: ["decision", "list"],
        summary: "List a shopper's credit decisions, newest first: outcome, amount, reason codes, policy and model.",
        discussion: """
            One line per decision: when, its id (a checkout's decision has the checkout's id), the outcome and the \
            order's amount, the reason codes in rank order, the policy (id@version), the model (name@version) and \
            the arm. `paylater decision show` prints one in full, with the words the shopper read and the \
            operator's detail. Exit codes: 0 success, 1 no decision for the shopper, 2 a usage mistake.
            """,
        options: [
            CommonOptions.consumer,
            .value("limit", "N", "How many of the latest decisions (default 20, at most \(DecisionLog.listingMaximum))."),
        ] + CommonOptions.store)

    static func run(_ arguments: ParsedArguments, _ context: CommandContext) throws -> ExitCode {
        let consumer = try CommonOptions.consumer(arguments)
        let limit = try arguments.integer("limit", in: 1...DecisionLog.listingMaximum, default: 20)
        let runtime = try CommonOptions.open(arguments, context)
        let decisions = try DecisionLog(database: runtime.database).decisions(consumer: consumer, limit: limit)
        guard !decisions.isEmpty else {
            context.console.error("error: shopper \(consumer) has no credit decision")
            return .failure
        }
        for decision in decisions { context.console.out(DecisionFormatter.line(decision)) }
        return .success
    }
}

/// `paylater decision show --consumer ID --id DECISION`: one decision in full.
enum DecisionShowCommand: Command {
    static let spec = CommandSpec(
        path: ["decision", "show"],
        summary: "Show one credit decision in full: outcome, scores, each reason in the shopper's and the operator's words, inputs.",
        discussion: """
            The reasons are in rank order, the deciding rule first; "shopper" is what the shopper was told \
            (never a fraud rule's internals), "operator" names the rule and its numbers. The inputs are those of the \
            decision's snapshot (identifiers hashed). --json prints the stored decision document instead. Exit \
            codes: 0 success, 1 no such decision, 2 a usage mistake.
            """,
        options: [
            CommonOptions.consumer,
            .value("id", "DECISION", "The decision id (a checkout's decision has the checkout's id, chk_...)."),
            .flag("json", "Print the stored decision as JSON (sorted keys)."),
        ] + CommonOptions.store)

    static func run(_ arguments: ParsedArguments, _ context: CommandContext) throws -> ExitCode {
        let consumer = try CommonOptions.consumer(arguments)
        let id = try arguments.required("id")
        let runtime = try CommonOptions.open(arguments, context)
        let decision: CreditDecision
        do { decision = try DecisionLog(database: runtime.database).decision(consumer: consumer, id: id) } catch let
            error as UnderwritingError
        {
            context.console.error("error: \(error)")
            return .failure
        }
        if arguments.flag("json") {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            context.console.out(String(decoding: try encoder.encode(decision), as: UTF8.self))
        } else {
            DecisionFormatter.full(decision, shopper: consumer).forEach(context.console.out)
        }
        return .success
    }
}

/// `paylater decision replay --consumer ID --id DECISION`: decides a stored decision again from its snapshot.
enum DecisionReplayCommand: Command {
    static let spec = CommandSpec(
        path: ["decision", "replay"],
        summary: "Decide a stored decision again from its snapshot, with the policy and model files given; exit 1 if it differs.",
        discussion: """
            The engine is pure, so the policy and model the decision was taken with give the same outcome, reasons \
            and scores; this proves what a decision was based on (an audit, a complaint). A policy of another id or \
            version, or another model, is refused rather than answered differently. --policy and --model default to \
            config/policy.example.json and config/model.example.json, as `paylater serve`'s do. Exit codes: 0 the \
            same decision, 1 no such decision or a different one (both printed), 2 a usage mistake, a bad file, or \
            files other than the decision's.
            """,
        options: [
            CommonOptions.consumer,
            .value("id", "DECISION", "The decision id (a checkout's decision has the checkout's id, chk_...)."),
            .value("policy", "FILE", "Credit policy JSON (default config/policy.example.json)."),
            .value("model", "FILE", "Model JSON (default config/model.example.json)."),
        ] + CommonOptions.store)

    static func run(_ arguments: ParsedArguments, _ context: CommandContext) throws -> ExitCode {
        let consumer = try CommonOptions.consumer(arguments)
        let id = try arguments.required("id")
        let policyPath = arguments.value("policy") ?? "config/policy.example.json"
        let policy = try ServeCommand.readPolicy(policyPath)
        let model = try ModelFiles.model(arguments.value("model") ?? "config/model.example.json")
        let runtime = try CommonOptions.open(arguments, context)
        let service = try ServeCommand.underwritingService(runtime, policy: policy, policyPath: policyPath, model: model)
        let replay: DecisionReplay
        do { replay = try service.replay(consumer: consumer, id: id) } catch let error as UnderwritingError {
            if case .decisionNotFound = error {
                context.console.error("error: \(error)")
                return .failure
            }
            throw InputError("cannot replay \(id): \(error)")
        }
        let recorded = replay.recorded
        let inputs = "policy \(recorded.policyId)@\(recorded.policyVersion)"
            + (recorded.model.map { ", model \($0.name)@\($0.version)" } ?? "")
        if replay.matches {
            context.console.out("decision \(id) replayed with \(inputs): the same outcome, reasons and scores")
            return .success
        }
        context.console.out("decision \(id) replayed with \(inputs) DIFFERS from the one recorded:")
        context.console.out("  recorded: " + DecisionFormatter.line(recorded))
        context.console.out("  replayed: " + DecisionFormatter.line(replay.replayed))
        return .failure
    }
}

/// Formats credit decisions for operators.
enum DecisionFormatter {
    /// One line: when, id, outcome and amount, reason codes, policy, model, arm.
    static func line(_ decision: CreditDecision) -> String {
        let application = decision.snapshot.application
        let codes = decision.reasons.map(\.code.rawValue).joined(separator: ",")
        return [
            "\(application.at)", decision.id, decision.outcome.name, "\(application.orderAmount)",
            codes.isEmpty ? "-" : codes, "policy \(decision.policyId)@\(decision.policyVersion)",
            "model " + (decision.model.map { "\($0.name)@\($0.version)" } ?? "-"), decision.arm.rawValue,
        ].joined(separator: "  ")
    }

    /// The whole decision, a fact a line, control characters escaped.
    static func full(_ decision: CreditDecision, shopper: ConsumerID) -> [String] {
        let application = decision.snapshot.application
        var lines = ["decision \(decision.id) of shopper \(shopper)"]
        switch decision.outcome {
        case let .approved(limit, approvedAmount, products):
            lines.append(
                "  outcome: approved \(approvedAmount); limit after it \(limit); products \(products.joined(separator: ", "))")
        case .declined, .referred:
            lines.append("  outcome: \(decision.outcome.name)")
        }
        lines.append("  taken at \(application.at) under policy \(decision.policyId)@\(decision.policyVersion), \(decision.arm.rawValue) arm")
        var scored = "  model: " + (decision.model.map { "\($0.name)@\($0.version)" } ?? "none (a rule decided before scoring)")
        if let probability = decision.probabilityOfBad { scored += ", probability of bad \(String(format: "%.4f", probability))" }
        if let points = decision.points { scored += ", \(String(format: "%.1f", points)) points" }
        if let band = decision.band { scored += ", band \(band)" }
        lines.append(scored)
        if let change = decision.limitChange {
            lines.append("  limit: \(change.from) to \(change.to) (\(change.reason.name))")
        }
        lines.append(
            "  order: \(application.orderAmount) at merchant \(application.merchantId); products asked for "
                + "\(list(application.requestedProducts)), offered \(list(application.offeredProducts))")
        lines.append(decision.reasons.isEmpty ? "  reasons: none" : "  reasons, the deciding one first:")
        for (rank, reason) in decision.reasons.enumerated() {
            lines.append("    \(rank + 1). \(reason.code.rawValue)" + (reason.feature.map { " (\($0))" } ?? ""))
            lines.append("       shopper:  \(reason.shopperMessage)")
            lines.append("       operator: \(reason.operatorDetail)")
        }
        let features = application.features.names.map { name in
            "\(name)=" + (application.features[name].categoryLabel ?? "missing")
        }
        lines.append("  features: " + (features.isEmpty ? "none" : features.joined(separator: ", ")))
        // The features' names and values, and so the reasons that name a feature, are the merchant's text.
        return lines.map(PrintableText.escaped)
    }

    private static func list(_ products: [String]) -> String { products.isEmpty ? "none" : products.joined(separator: ", ") }
}
