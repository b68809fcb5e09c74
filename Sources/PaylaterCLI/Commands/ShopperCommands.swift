import PaylaterApp
import PaylaterLedger
import PaylaterMoney
import PaylaterProducts
import PaylaterStore
import PaylaterTime
import PaylaterUnderwriting

/// `paylater shopper show --consumer ID`: one shopper as support and collections staff need to see them.
enum ShopperShowCommand: Command {
    static let spec = CommandSpec(
        path: ["shopper", "show"],
        summary: "Show a shopper: standing, credit lines, plans with what is owed and days past due, and every limit change with its reason.",
        discussion: """
            One consistent read of the store. Standing: blocked or not, whether the limit is frozen, the monthly \
            spending cap the shopper set. Each credit line: limit, held (authorized, not captured), used, available. \
            Each open plan: product, merchant, what is owed (principal, fees, late fees), the next due date and the \
            days past due today in the catalog's time zone (--catalog, for its time_zone; UTC without one); closed \
            plans are counted. Then every change of the limit with its reason, oldest first. The shopper's credit \
            decisions are listed by `paylater decision list`. Exit codes: 0 success, 1 the store knows nothing of \
            the shopper, 2 a usage mistake.
            """,
        options: [
            CommonOptions.consumer,
            .value("catalog", "FILE", "Product catalog JSON, for its time zone (default config/catalog.example.json)."),
        ] + CommonOptions.store)

    static func run(_ arguments: ParsedArguments, _ context: CommandContext) throws -> ExitCode {
        let consumer = try CommonOptions.consumer(arguments)
        let (_, zone) = try QuoteCommand.readCatalogAndZone(arguments.value("catalog") ?? "config/catalog.example.json")
        let runtime = try CommonOptions.open(arguments, context)
        let overview = try ShopperOverview.read(consumer, from: runtime.database)
        guard overview.isKnown else {
            context.console.error("error: the store knows nothing of shopper \(consumer): no credit line, plan, limit change, spending cap or standing")
            return .failure
        }
        let now = context.clock.now()
        let today = zone?.localDate(at: now) ?? now.utcDateTime.date
        ShopperFormatter.lines(overview, today: today).forEach(context.console.out)
        return .success
    }
}

/// `paylater shopper block|unblock --consumer ID --reason TEXT --by NAME`: the blocked list.
enum ShopperBlockCommand: Command {
    static let spec = standingSpec(["shopper", "block"], summary: "Put a shopper on the blocked list: their next credit decisions are declined (blocked_list), saying who and why.")
    static func run(_ arguments: ParsedArguments, _ context: CommandContext) throws -> ExitCode {
        try changeStanding(arguments, context, blocking: true)
    }
}

enum ShopperUnblockCommand: Command {
    static let spec = standingSpec(["shopper", "unblock"], summary: "Take a shopper off the blocked list, saying who and why.")
    static func run(_ arguments: ParsedArguments, _ context: CommandContext) throws -> ExitCode {
        try changeStanding(arguments, context, blocking: false)
    }
}

private func standingSpec(_ path: [String], summary: String) -> CommandSpec {
    CommandSpec(
        path: path, summary: summary,
        discussion: """
            The change and who made it, with the reason, are logged in the same transaction (`paylater shopper show` \
            lists them). Blocking stops new credit only: plans, holds and the limit stay as they are. A shopper \
            already standing so is left as they are and nothing is logged (a retry is harmless). Exit codes: 0 \
            success (changed or already so), 2 a usage mistake.
            """,
        options: [
            CommonOptions.consumer,
            .value("reason", "TEXT", "Why, for the audit log (up to \(ShopperStanding.reasonLengthMaximum) bytes)."),
            .value("by", "NAME", "Who makes the change (up to \(ShopperStanding.changedByLengthMaximum) bytes)."),
        ] + CommonOptions.store)
}

private func changeStanding(_ arguments: ParsedArguments, _ context: CommandContext, blocking: Bool) throws -> ExitCode {
    let consumer = try CommonOptions.consumer(arguments)
    let (reason, by) = (try arguments.required("reason"), try arguments.required("by"))
    let runtime = try CommonOptions.open(arguments, context)
    let standing = ShopperStanding(database: runtime.database, clock: runtime.clock)
    let outcome: ShopperStanding.Outcome
    do {
        outcome = blocking
            ? try standing.block(consumer, reason: reason, by: by) : try standing.unblock(consumer, reason: reason, by: by)
    } catch let error as StandingError {
        throw UsageError(error.description)
    }
    switch outcome {
    case let .changed(change):
        context.console.out("shopper \(consumer) \(blocking ? "blocked" : "unblocked") at \(change.at) by \(change.changedBy)")
        // A shopper can be blocked before they ever apply (an id reported by the platform), but a mistyped id is
        // blocked just the same: say so.
        if blocking, case let overview = try ShopperOverview.read(consumer, from: runtime.database),
            overview.creditLines.isEmpty, overview.plans.isEmpty,
            try DecisionLog(database: runtime.database).decisions(consumer: consumer, limit: 1).isEmpty
        {
            context.console.out(
                "note: the store has no credit line, plan or decision of shopper \(consumer): blocked ahead of any application (check the id)")
        }
    case let .unchanged(since):
        let when = since.map { " since \($0.at), by \($0.changedBy): \($0.reason)" } ?? ""
        context.console.out("shopper \(consumer) was already \(blocking ? "blocked" : "not blocked")\(when); nothing changed")
    }
    return .success
}

/// Formats a shopper's overview for staff.
enum ShopperFormatter {
    static func lines(_ overview: ShopperOverview, today: LocalDate) -> [String] {
        var lines = ["shopper \(overview.consumer) on \(today)"]
        let cap = overview.spendingCap.map { "\($0) a month" } ?? "none"
        var blocked = overview.blocked ? "BLOCKED" : "not blocked"
        if overview.blocked, let why = overview.standingChanges.last(where: \.blocked) {
            blocked += " (since \(why.at), by \(why.changedBy): \(why.reason))"
        }
        lines.append(
            "  standing: \(blocked), limit \(overview.limitFrozen ? "FROZEN" : "not frozen"), own spending cap \(cap)")
        for line in overview.creditLines {
            lines.append(
                "  credit line \(line.limit.currency.code): limit \(line.limit.decimalString), held \(line.held.decimalString), "
                    + "used \(line.used.decimalString), available \(line.available.decimalString)")
        }
        let open = overview.plans.filter { $0.plan.status.isOpen }
        lines.append("  open plans: \(open.count)")
        for serviced in open { lines.append("    " + plan(serviced, today: today)) }
        let closed = overview.plans.filter { !$0.plan.status.isOpen }
        let paidOff = closed.filter { if case .paidOff = $0.plan.status { true } else { false } }.count
        lines.append("  closed plans: \(closed.count) (paid off \(paidOff), closed by refund \(closed.count - paidOff))")
        lines.append("  limit changes, oldest first:" + (overview.limitChanges.isEmpty ? " none" : ""))
        for change in overview.limitChanges {
            lines.append("    \(change.at)  \(reason(change.reason))  \(change.from) to \(change.to)")
        }
        if !overview.standingChanges.isEmpty { lines.append("  blocked list, oldest first:") }
        for change in overview.standingChanges {
            lines.append("    \(change.at)  \(change.blocked ? "blocked" : "unblocked") by \(change.changedBy): \(change.reason)")
        }
        return lines
    }

    /// One open plan: id, product, merchant, what is owed and of what, when next due, how late.
    private static func plan(_ serviced: ServicedPlan, today: LocalDate) -> String {
        let plan = serviced.plan
        let late = plan.daysPastDue(on: today)
        return "\(plan.id)  \(serviced.productID)  merchant \(serviced.merchantID)  owes \(plan.owed) "
            + "(principal \(plan.principalOwed.decimalString), fees \(plan.feesOwed.decimalString), "
            + "late fees \(plan.lateFeesOwed.decimalString))  next due \(plan.nextDueDate(onOrAfter: today).map { "\($0)" } ?? "-")  "
            + (late > 0 ? "\(late) day\(late == 1 ? "" : "s") past due" : "current")
    }

    private static func reason(_ reason: LimitChangeReason) -> String {
        switch reason {
        case let .initial(band): "initial (band \(band))"
        case let .increase(cycles): "increase (\(cycles) on-time cycles)"
        case let .decrease(probability): "decrease (probability of bad \(probability))"
        case let .freeze(why): "freeze (\(why.rawValue))"
        case .unfreeze: "unfreeze"
        }
    }
}
