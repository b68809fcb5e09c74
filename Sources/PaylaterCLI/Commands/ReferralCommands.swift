import PaylaterApp
import PaylaterLedger
import PaylaterProducts
import PaylaterTime
import PaylaterUnderwriting

/// `paylater referral list`: the referred checkouts awaiting a person, the longest waiting first.
enum ReferralListCommand: Command {
    static let spec = CommandSpec(
        path: ["referral", "list"],
        summary: "List the referred checkouts awaiting review, the longest waiting first, with why each was referred.",
        discussion: """
            A checkout is referred when its decision asks for a person: a first order of high value, a shipping \
            address far from the usual one, a score in the review band, or a model that could not score. Each \
            line: when it was referred and when it expires unreviewed (the policy's referral_review_hours later, \
            \(CreditPolicy.referralReviewHoursDefault) unless it says otherwise: it is then declined; give the \
            server's --policy), the checkout, merchant and shopper, the amount and product, then \
            each reason in the operator's words. `paylater decision show --consumer ID --id CHECKOUT` prints the \
            decision in full. Exit codes: 0 success (an empty queue included), 2 a usage mistake.
            """,
        options: [
            .value("limit", "N", "How many (default 50, at most 500)."),
            .value("policy", "FILE", "Credit policy JSON, for its review window (default config/policy.example.json)."),
        ] + CommonOptions.store)

    static func run(_ arguments: ParsedArguments, _ context: CommandContext) throws -> ExitCode {
        let limit = try arguments.integer("limit", in: 1...500, default: 50)
        let policy = try ServeCommand.readPolicy(arguments.value("policy") ?? "config/policy.example.json")
        let runtime = try CommonOptions.open(arguments, context)
        let queue = try ReferralQueue(database: runtime.database, reviewWindow: policy.referralReviewWindow)
            .awaitingReview(limit: limit)
        guard !queue.isEmpty else {
            context.console.out("no referral awaits review")
            return .success
        }
        let now = context.clock.now()
        for referral in queue {
            let waited = referral.referredAt.duration(to: now).components.seconds / 60
            context.console.out(
                "\(referral.referredAt)  \(referral.checkoutID)  merchant \(referral.merchantID)  shopper \(referral.consumer)  "
                    + "\(referral.amount)  \(PrintableText.escaped(referral.productID))  waiting \(waited) min, "
                    + "expires \(referral.expiresAt)")
            for reason in referral.decision.reasons {
                context.console.out("    \(reason.code.rawValue): \(PrintableText.escaped(reason.operatorDetail))")
            }
        }
        return .success
    }
}

/// `paylater referral approve|decline --checkout ID --by NAME --note TEXT`: a reviewer's verdict.
enum ReferralApproveCommand: Command {
    static let spec = ReferralReviewCommand.spec(
        ["referral", "approve"],
        summary: "Approve a referred checkout: it is decided again now with the referral cleared, and on approval held and ordered.")
    static func run(_ arguments: ParsedArguments, _ context: CommandContext) throws -> ExitCode {
        try ReferralReviewCommand.run(arguments, context) { .approved(by: $0, note: $1) }
    }
}

enum ReferralDeclineCommand: Command {
    static let spec = ReferralReviewCommand.spec(
        ["referral", "decline"], summary: "Decline a referred checkout, saying who and why; the merchant gets checkout.declined.")
    static func run(_ arguments: ParsedArguments, _ context: CommandContext) throws -> ExitCode {
        try ReferralReviewCommand.run(arguments, context) { .declined(by: $0, note: $1) }
    }
}

/// What the two review commands share.
enum ReferralReviewCommand {
    static func spec(_ path: [String], summary: String) -> CommandSpec {
        CommandSpec(
            path: path, summary: summary,
            discussion: """
                The checkout's application is decided again now, with the verdict, under the policy and model given \
                (use the server's): the reviewer's name and note are kept in the decision (<checkout>:review) and \
                the referral's record. An approval clears only the referral: a rule that declines now still declines \
                (the shopper blocked or delinquent since, their limit frozen, their spending cap or the platform's \
                exposure reached), and an application the model could not score cannot be approved (there is no band \
                to take a limit and products from; decline it). An approval holds the credit and makes the order \
                (order.authorized), as an authorization would; a decline sends checkout.declined. The merchant's next \
                authorize of the checkout (under a new Idempotency-Key) answers the outcome. The same review again prints the first (a retry). \
                Exit codes: 0 reviewed (approved, or declined by the rules: both printed), 1 the checkout was not \
                referred, was reviewed otherwise, or was not reviewed within the policy's referral_review_hours (it is \
                declined as expired), \
                2 a usage mistake, an approval that cannot be granted, or a policy or model other than the \
                referral's (by policy id and model name).
                """,
            options: [
                .value("checkout", "ID", "The referred checkout (chk_..., as `referral list` prints it)."),
                .value("by", "NAME", "Who reviews (up to \(CheckoutService.reviewerLengthMaximum) bytes)."),
                .value("note", "TEXT", "Why, for the audit log (up to \(CheckoutService.reviewNoteLengthMaximum) bytes)."),
                .value("policy", "FILE", "Credit policy JSON (default config/policy.example.json)."),
                .value("model", "FILE", "Credit model JSON (default config/model.example.json)."),
                .value("catalog", "FILE", "Product catalog JSON (default config/catalog.example.json)."),
            ] + CommonOptions.store)
    }

    /// The checkout service that reviews and expires referrals over `runtime`'s store, deciding under the policy and
    /// model given (the server's), as `paylater serve` builds it.
    static func checkoutService(
        _ runtime: PaylaterRuntime, policy: CreditPolicy, policyPath: String, model: any CreditModel,
        catalog: ProductCatalog, zone: TimeZoneRules?
    ) throws -> CheckoutService {
        let underwriting = try ServeCommand.underwritingService(
            runtime, policy: policy, policyPath: policyPath, model: model, zone: zone)
        return CheckoutService(
            database: runtime.database, clock: runtime.clock, catalog: catalog, underwriting: underwriting,
            servicing: ServicingService(database: runtime.database, clock: runtime.clock, zone: zone, catalog: catalog))
    }

    static func run(
        _ arguments: ParsedArguments, _ context: CommandContext,
        verdict: (_ reviewer: String, _ note: String) -> ReferralReview.Verdict
    ) throws -> ExitCode {
        let checkoutID = try arguments.required("checkout")
        let review = verdict(try arguments.required("by"), try arguments.required("note"))
        let policyPath = arguments.value("policy") ?? "config/policy.example.json"
        let policy = try ServeCommand.readPolicy(policyPath)
        let model = try ModelFiles.model(arguments.value("model") ?? "config/model.example.json")
        let (catalog, zone) = try QuoteCommand.readCatalogAndZone(arguments.value("catalog") ?? "config/catalog.example.json")
        let runtime = try CommonOptions.open(arguments, context)
        let checkout = try checkoutService(
            runtime, policy: policy, policyPath: policyPath, model: model, catalog: catalog, zone: zone)
        let reviewed: ReviewedReferral
        do { reviewed = try checkout.reviewReferral(checkoutID: checkoutID, review) } catch let error as ReferralError {
            switch error {
            case .invalidField, .cannotApprove, .otherPolicyOrModel: throw UsageError(error.description)
            case .notReferred, .withdrawn, .alreadyReviewed, .reviewWindowPassed, .expiryIncomplete:
                context.console.error("error: \(error)")
                return .failure
            }
        }
        let again = reviewed.isNew ? "" : " (reviewed so before; nothing changed)"
        switch reviewed.outcome {
        case let .approved(order, _):
            context.console.out("checkout \(checkoutID) approved\(again): order \(order.id) of \(order.authorized), expires \(order.expiresAt)")
            if let change = reviewed.decision.limitChange { context.console.out("  limit: \(change.to) (\(change.reason.name))") }
        case let .declined(decisionID, reasons), let .referred(decisionID, reasons):
            context.console.out("checkout \(checkoutID) declined\(again) (decision \(decisionID))")
            for reason in reviewed.decision.reasons {
                context.console.out("  \(reason.code.rawValue): \(PrintableText.escaped(reason.operatorDetail))")
            }
            context.console.out("  the shopper reads: \(reasons.map(PrintableText.escaped).joined(separator: " | "))")
        }
        return .success
    }
}
