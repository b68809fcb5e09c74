import PaylaterApp
import PaylaterCollections
import PaylaterLedger
import PaylaterTime

/// `paylater collections standing --consumer ID --jurisdiction CODE --time-zone ZONE[,ZONE] [flags]`: what bears on
/// contacting a debtor, replaced whole.
enum CollectionsStandingCommand: Command {
    static let flags: [(name: String, help: String)] = [
        ("cease", "The debtor asked in writing for contact to stop."),
        ("attorney", "An attorney represents the debtor for the debt."),
        ("dispute", "A written dispute (or a request for the original creditor) is not answered yet."),
        ("no-contact-at-work", "The debtor's employer does not allow contact at work."),
        ("vulnerable", "The debtor is known or suspected to be particularly vulnerable."),
        ("unreachable", "The debtor cannot be reached (China: an emergency contact may then be called to find them)."),
    ]

    static let spec = CommandSpec(
        path: ["collections", "standing"],
        summary: "Record what bears on contacting a debtor: jurisdiction, time zones, and their requests and protections.",
        discussion: """
            Replaces the debtor's standing whole (give every flag that holds) and prints it. --jurisdiction is US, \
            US-MA for Massachusetts' stricter rules (no other state's are applied), CN or GB; --time-zone lists \
            every IANA zone the debtor may be in (contact hours must hold in each; days are counted in the first). \
            No contact is weighed, so none made, before a debtor has a standing.
            Exit codes: 0 success, 2 a usage mistake.
            """,
        options: [
            CommonOptions.consumer,
            .value("jurisdiction", "CODE", "US, US-MA (Massachusetts), CN or GB."),
            .value("time-zone", "ZONE[,ZONE]", "Every time zone the debtor may be in, such as Asia/Shanghai."),
            .value("opt-out", "CHANNEL[,CHANNEL]", "Channels the debtor opted out of: call, text, email, letter, field_visit."),
            .value("by", "NAME", "Who records it."),
        ] + flags.map { OptionSpec.flag($0.name, $0.help) } + CommonOptions.store)

    static func run(_ arguments: ParsedArguments, _ context: CommandContext) throws -> ExitCode {
        let consumer = try CommonOptions.consumer(arguments)
        let code = try arguments.required("jurisdiction")
        guard let jurisdiction = CollectionsJurisdiction(code: code) else {
            throw UsageError("'--jurisdiction' must be US, US-MA, CN or GB, not '\(code)'")
        }
        let names = try arguments.required("time-zone").split(separator: ",")
        guard (1...8).contains(names.count) else { throw UsageError("'--time-zone' must name 1 to 8 zones") }
        let zones = try names.map { name throws(UsageError) in
            do { return try TimeZoneDatabase.system.rules(for: String(name)) } catch {
                throw UsageError("'--time-zone': \(error)")
            }
        }
        let optOuts = try (arguments.value("opt-out") ?? "").split(separator: ",").map { name throws(UsageError) in
            guard let channel = ContactChannel(rawValue: String(name)) else {
                throw UsageError("'--opt-out': '\(name)' is not call, text, email, letter or field_visit")
            }
            return channel
        }
        let standing = DebtorContactStanding(
            timeZones: zones, ceaseRequested: arguments.flag("cease"), representedByAttorney: arguments.flag("attorney"),
            disputePending: arguments.flag("dispute"), employerProhibitsContactAtWork: arguments.flag("no-contact-at-work"),
            optedOutChannels: Set(optOuts), vulnerable: arguments.flag("vulnerable"), unreachable: arguments.flag("unreachable"))
        let by = try arguments.required("by")
        let runtime = try CommonOptions.open(arguments, context, create: true)
        do {
            try CollectionsService(database: runtime.database, clock: runtime.clock)
                .setStanding(consumer, jurisdiction: jurisdiction, standing, by: by)
        } catch let error as CollectionsError { throw UsageError(error.description) }
        let set = flags.map(\.name).filter(arguments.flag)
        context.console.out("debtor \(consumer): \(jurisdiction.code), \(zones.map(\.identifier).joined(separator: ", "))")
        context.console.out("  " + (set.isEmpty ? "no requests or protections" : set.joined(separator: ", "))
            + (optOuts.isEmpty ? "" : "; opted out of \(optOuts.map(\.rawValue).joined(separator: ", "))"))
        return .success
    }
}

/// `paylater collections contact --consumer ID --plan ID --channel CHANNEL --id ATTEMPT --by NAME ...`: a contact
/// weighed by the compliance guard, and recorded made or refused.
enum CollectionsContactCommand: Command {
    static let spec = CommandSpec(
        path: ["collections", "contact"],
        summary: "Weigh a contact with a debtor (or a third party) by the compliance guard, and record it: made, or refused with every rule it breaks.",
        discussion: """
            The guard applies the debtor's jurisdiction (their standing: `collections standing`) to the contact and \
            the contacts made before it: hours in every zone the debtor may be in, call caps, a cease request, an \
            attorney, a dispute, opt-outs, work, third parties, field visits. Allowed, the contact is recorded as \
            made (--conversation: the call reached the person and they talked about the debt); refused, it is \
            recorded as refused with its reasons, printed, and must not be made. The same --id again prints the \
            first verdict; a call is weighed before anyone answers, so send its --id again with --conversation when \
            it came to one. --at is the contact's time (default now; from 1970 to 15 minutes from now).
            Exit codes: 0 allowed and recorded, 1 refused (or no standing recorded), 2 a usage mistake.
            """,
        options: [
            CommonOptions.consumer,
            .value("plan", "ID", "The debt (plan) the contact is about."),
            .value("channel", "CHANNEL", "call, text, email, letter or field_visit."),
            .value("id", "ATTEMPT", "The attempt's id, unique for the debtor: a retry with it records nothing new."),
            .value("by", "NAME", "The collector (or agency, or dialler)."),
            .value("party", "PARTY", "debtor (default) or third_party."),
            .value("place", "PLACE", "home (default), work, hospital or other."),
            .value("number", "NUMBER", "The number dialled, for a call (CN: required, its calls a day are counted)."),
            .value("collectors", "N", "Collectors who go, for a field visit (default 1)."),
            .value("at", "INSTANT", "When, RFC 3339 such as 2026-06-10T10:00:00+08:00 (default now)."),
            .flag("conversation", "The call reached the person and they talked about the debt."),
            .flag("requested-by-debtor", "The debtor asked for this call in the last 7 days."),
            .flag("no-debt-mention", "A third party hears nothing of the debt (only asked where the debtor is)."),
            .flag("notice-given", "For a field visit: the debtor was told its purpose, date and likely time."),
            .flag("consent-to-place", "For a field visit at work or in hospital: the debtor agreed."),
        ] + CommonOptions.store)

    static func run(_ arguments: ParsedArguments, _ context: CommandContext) throws -> ExitCode {
        let consumer = try CommonOptions.consumer(arguments)
        let at: Instant
        if let text = arguments.value("at") {
            do { at = try Instant(iso8601: text) } catch { throw UsageError("'--at': \(error)") }
        } else {
            at = context.clock.now()
        }
        let proposed = ProposedContact(
            debtID: try arguments.required("plan"), channel: try arguments.choice("channel"),
            party: try arguments.choice("party", default: .debtor), place: try arguments.choice("place", default: .home),
            at: at, number: arguments.value("number"), collectors: try arguments.integer("collectors", in: 1...20, default: 1),
            mentionsDebt: !arguments.flag("no-debt-mention"), noticeGiven: arguments.flag("notice-given"),
            debtorConsentsToPlace: arguments.flag("consent-to-place"), requestedByDebtor: arguments.flag("requested-by-debtor"))
        let (attemptID, collector) = (try arguments.required("id"), try arguments.required("by"))
        let runtime = try CommonOptions.open(arguments, context)
        let weighed: WeighedContact
        do {
            weighed = try CollectionsService(database: runtime.database, clock: runtime.clock).recordContact(
                consumer, attemptID: attemptID, proposed, conversation: arguments.flag("conversation"), collector: collector)
        } catch let error as CollectionsError {
            if case .noStanding = error {
                context.console.error("error: \(error)")
                return .failure
            }
            throw UsageError(error.description)
        }
        let again =
            weighed.isNew ? "" : weighed.conversation ? " (recorded so before, with its conversation)" : " (recorded so before; nothing changed)"
        guard weighed.isAllowed else {
            context.console.out("refused\(again): \(proposed.channel.rawValue) \(attemptID) must not be made")
            weighed.refusals.forEach { context.console.out("  \($0)") }
            return .failure
        }
        context.console.out("allowed\(again): \(proposed.channel.rawValue) \(attemptID) recorded as made")
        return .success
    }
}

/// `paylater collections history --consumer ID`: the contacts weighed for a debtor, made and refused.
enum CollectionsHistoryCommand: Command {
    static let spec = CommandSpec(
        path: ["collections", "history"],
        summary: "List the contacts the compliance guard weighed for a debtor, made and refused, oldest first.",
        discussion: "The newest --limit (default 100). Exit codes: 0 success, 2 a usage mistake.",
        options: [CommonOptions.consumer, .value("limit", "N", "How many of the newest (1 to 10000, default 100).")]
            + CommonOptions.store)

    static func run(_ arguments: ParsedArguments, _ context: CommandContext) throws -> ExitCode {
        let consumer = try CommonOptions.consumer(arguments)
        let limit = try arguments.integer("limit", in: 1...10_000, default: 100)
        let runtime = try CommonOptions.open(arguments, context)
        let contacts = try CollectionsService(database: runtime.database, clock: runtime.clock).contacts(consumer, limit: limit)
        if contacts.isEmpty { context.console.out("no contacts") }
        for contact in contacts {
            let proposed = contact.proposed
            let verdict = contact.isAllowed ? (contact.conversation ? "made, conversation" : "made") : "refused"
            context.console.out(
                "\(proposed.at)  \(proposed.channel.rawValue) \(proposed.party.rawValue) \(proposed.place.rawValue)  "
                    + "plan \(PrintableText.escaped(proposed.debtID))  \(verdict)  by \(PrintableText.escaped(contact.collector))  "
                    + "(\(PrintableText.escaped(contact.attemptID)))")
            contact.refusals.forEach { context.console.out("    \($0)") }
        }
        return .success
    }
}

/// `paylater collections queue [--date YYYY-MM-DD]`: the plans past due, the latest first, with their bands.
enum CollectionsQueueCommand: Command {
    static let spec = CommandSpec(
        path: ["collections", "queue"],
        summary: "List the plans past due, the latest first: days past due, delinquency band, shopper, plan, owed.",
        discussion: """
            On --date (default today in the catalog's time zone, --catalog; UTC without one): every active plan with an \
            installment unpaid since before the date (a return pause holds a plan back), by days past due, then \
            shopper and plan, at most --limit; then each band's count. Bands: 1-30, 31-60, 61-90, 91-180, 181+ \
            (due for charge-off review).
            Exit codes: 0 success, 2 a usage mistake.
            """,
        options: [
            .value("date", "YYYY-MM-DD", "The business date (default today)."),
            .value("limit", "N", "Most plans listed (1 to 100000, default 1000)."),
            .value("catalog", "FILE", "Product catalog JSON, for its time zone (default config/catalog.example.json)."),
        ] + CommonOptions.store)

    static func run(_ arguments: ParsedArguments, _ context: CommandContext) throws -> ExitCode {
        let limit = try arguments.integer("limit", in: 1...100_000, default: 1_000)
        let date: LocalDate
        if let text = arguments.value("date") {
            do { date = try LocalDate(iso8601: text) } catch { throw UsageError("'--date': \(error)") }
        } else {
            let (_, zone) = try QuoteCommand.readCatalogAndZone(arguments.value("catalog") ?? "config/catalog.example.json")
            let now = context.clock.now()
            date = zone?.localDate(at: now) ?? now.utcDateTime.date
        }
        let runtime = try CommonOptions.open(arguments, context)
        let overdue = try CollectionsQueue(database: runtime.database).overdue(on: date, limit: limit)
        if overdue.isEmpty { context.console.out("no plans past due on \(date)") }
        for plan in overdue {
            context.console.out(
                "\(plan.daysPastDue) days  \(plan.bucket.rawValue)  \(PrintableText.escaped(plan.consumerID))  "
                    + "\(PrintableText.escaped(plan.planID))  owes \(plan.owed)  merchant \(PrintableText.escaped(plan.merchantID))")
        }
        let counts = Dictionary(grouping: overdue, by: \.bucket)
        let summary = DelinquencyBucket.allCases.compactMap { bucket in counts[bucket].map { "\(bucket.rawValue): \($0.count)" } }
        if !summary.isEmpty { context.console.out(summary.joined(separator: ", ")) }
        return .success
    }
}
