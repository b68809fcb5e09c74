import PaylaterApp
import PaylaterLedger
import PaylaterMoney
import PaylaterTime

/// `paylater merchant create --name NAME`: a merchant id and its API key, shown once.
enum MerchantCreateCommand: Command {
    static let spec = CommandSpec(
        path: ["merchant", "create"],
        summary: "Create a merchant and print its id and API key (shown once; only its hash is stored).",
        discussion: """
            --discount-bp is the merchant discount rate in basis points (default 250 = 2.50%) taken at settlement \
            from each capture, plus --fixed-fee per order in the currencies it names (for example '0.30 CNY'; none \
            by default). --checkout-confirmation shopper makes every checkout of the merchant wait for its shopper \
            to confirm it with their own token before it can be authorized (for a merchant not trusted with its \
            shoppers, such as a self-service seller); the default, merchant, takes the merchant's word.
            Exit codes: 0 success, 2 a usage mistake.
            """,
        options: [
            .value("name", "NAME", "The merchant's name."),
            .value("discount-bp", "BP", "Merchant discount rate in basis points (default 250)."),
            fixedFeeOption,
            checkoutConfirmationOption,
        ] + CommonOptions.store)

    /// `--checkout-confirmation`: who confirms the merchant's checkouts.
    static let checkoutConfirmationOption = OptionSpec.value(
        "checkout-confirmation", "merchant|shopper",
        "Who confirms the merchant's checkouts before they can be authorized (default merchant).")

    /// `--fixed-fee`, read by `fixedFees(_:)`.
    static let fixedFeeOption = OptionSpec.value(
        "fixed-fee", "'AMOUNT CURRENCY,...'",
        "Fixed fee per order in each currency named, one quoted word such as '0.30 CNY' or '0.30 CNY,0.25 USD'.")

    static func run(_ arguments: ParsedArguments, _ context: CommandContext) throws -> ExitCode {
        let name = try arguments.required("name")
        let pricing = try pricing(arguments, defaultRate: 250)
        let confirmation = try arguments.choice("checkout-confirmation", default: CheckoutConfirmation.merchant)
        // A usage mistake (exit 2), found before the store is opened or made.
        do { _ = try MerchantService.checkedName(name) } catch { throw UsageError("'--name': \(error)") }
        let runtime = try CommonOptions.open(arguments, context, create: true)
        let created = try MerchantService(database: runtime.database, clock: runtime.clock)
            .create(name: name, pricing: pricing, checkoutConfirmation: confirmation)
        context.console.out("merchant \(created.merchant.id)")
        context.console.out("api key  \(created.apiKey)")
        if confirmation == .shopper { context.console.out("checkouts confirmed by the shopper") }
        return .success
    }

    /// The pricing of `--discount-bp` (0 to 10,000; `defaultRate` when absent) and `--fixed-fee`.
    static func pricing(_ arguments: ParsedArguments, defaultRate: Int) throws(UsageError) -> MerchantPricingTerms {
        let rate = try arguments.integer("discount-bp", in: 0...10_000, default: defaultRate)
        return MerchantPricingTerms(discountRate: BasisPoints(Int64(rate)), fixedFees: try fixedFees(arguments).filter { !$0.value.isZero })
    }

    /// `--fixed-fee`: comma-separated 'AMOUNT CURRENCY' pairs, each currency once, no amount negative.
    static func fixedFees(_ arguments: ParsedArguments) throws(UsageError) -> [Currency: Money] {
        guard let text = arguments.value("fixed-fee") else { return [:] }
        var fees: [Currency: Money] = [:]
        let shape = "'--fixed-fee' must look like '0.30 CNY' or '0.30 CNY,0.25 USD'"
        for pair in text.split(separator: ",", omittingEmptySubsequences: false) {
            let parts = pair.split(separator: " ")
            guard !parts.isEmpty else { throw UsageError("\(shape): an entry is empty (a comma too many?)") }
            guard parts.count == 2, let currency = try? Currency(code: String(parts[1])) else {
                throw UsageError("\(shape), not '\(pair)'")
            }
            let fee: Money
            do { fee = try Money(parsing: String(parts[0]), currency: currency) } catch {
                throw UsageError("'--fixed-fee' '\(pair)': \(error)")
            }
            guard !fee.isNegative else { throw UsageError("'--fixed-fee' '\(pair)': a fee must not be negative") }
            guard fees.updateValue(fee, forKey: currency) == nil else {
                throw UsageError("'--fixed-fee' names \(currency.code) twice")
            }
        }
        return fees
    }

    /// A pricing as one line: `250 bp + 0.30 CNY per order`.
    static func describe(_ pricing: MerchantPricingTerms) -> String {
        let fees = pricing.fixedFees.sorted { $0.key < $1.key }.map { "\($0.value) per order" }
        return (["\(pricing.discountRate.rawValue) bp"] + fees).joined(separator: " + ")
    }
}

/// `--merchant ID`, for the commands that act on one merchant.
let merchantOption = OptionSpec.value("merchant", "ID", "The merchant (its id, as `merchant create` printed it).")

/// The merchant `--merchant` names; a missing or malformed id is a usage mistake (exit 2).
func merchantID(_ arguments: ParsedArguments) throws(UsageError) -> MerchantID {
    let text = try arguments.required("merchant")
    do { return try MerchantID(text) } catch { throw UsageError("'--merchant': \(error)") }
}

/// `paylater merchant set-pricing --merchant ID [--discount-bp BP] [--fixed-fee 'AMOUNT CCY,...'] [--clear-fixed-fees]
/// [--effective YYYY-MM-DD]`: new terms for a merchant, at once or from a settlement date.
enum MerchantSetPricingCommand: Command {
    static let spec = CommandSpec(
        path: ["merchant", "set-pricing"],
        summary: "Change a merchant's pricing: the discount rate and the fixed fee per order in each currency.",
        discussion: """
            --discount-bp sets the rate; --fixed-fee sets the fee of each currency it names ('0 CNY' removes one), \
            and the other currencies keep theirs unless --clear-fixed-fees is given; what is not given stays as it \
            is. Prints the pricing before and after, and any change scheduled for a later date (it keeps the \
            whole pricing it set). Each settlement keeps the pricing it applied. Without --effective the change is \
            made at once: the merchant's next settlement prices every line it covers at the new terms, captures \
            made before the change included. With --effective DATE it is scheduled: the end of day for DATE makes \
            it the merchant's pricing before it settles, so DATE's lines and later ones are priced at it and \
            earlier dates' at the terms they had. DATE must still be open: not before yesterday in UTC (past in \
            every time zone), and after the last date the end of day settled the merchant for. Running servers pick \
            a change up within 10 s.
            Exit codes: 0 success, 1 no such merchant, 2 a usage mistake (nothing to change or a date no longer open among them).
            """,
        options: [
            merchantOption,
            .value("discount-bp", "BP", "Merchant discount rate in basis points, 0 to 10000 (default: unchanged)."),
            MerchantCreateCommand.fixedFeeOption,
            .flag("clear-fixed-fees", "Remove the fixed fees of the currencies --fixed-fee does not name."),
            .value("effective", "YYYY-MM-DD", "The settlement date the change applies from (default: at once)."),
        ] + CommonOptions.store)

    static func run(_ arguments: ParsedArguments, _ context: CommandContext) throws -> ExitCode {
        let merchant = try merchantID(arguments)
        let change = MerchantPricingChange(
            discountRate: try arguments.integer("discount-bp", in: 0...10_000).map { BasisPoints(Int64($0)) },
            fixedFees: try MerchantCreateCommand.fixedFees(arguments),
            clearsOtherFixedFees: arguments.flag("clear-fixed-fees"))
        guard change.discountRate != nil || !change.fixedFees.isEmpty || change.clearsOtherFixedFees else {
            throw UsageError("nothing to change: give '--discount-bp', '--fixed-fee' or '--clear-fixed-fees'")
        }
        let effectiveOn = try arguments.value("effective").map { text throws(UsageError) in
            do { return try LocalDate(iso8601: text) } catch { throw UsageError("'--effective': \(error)") }
        }
        let runtime = try CommonOptions.open(arguments, context)
        let result: MerchantPricingChangeResult
        do {
            result = try MerchantService(database: runtime.database, clock: runtime.clock)
                .changePricing(merchant, change, effectiveOn: effectiveOn)
        } catch let CheckoutError.invalidField(_, reason) {
            throw UsageError("'--effective': \(reason)")
        }
        context.console.out("merchant \(merchant)")
        context.console.out("before   \(MerchantCreateCommand.describe(result.before))")
        if let effectiveOn {
            context.console.out("from \(effectiveOn) \(MerchantCreateCommand.describe(result.after))")
        } else {
            context.console.out("now      \(MerchantCreateCommand.describe(result.after))")
        }
        // A change scheduled for a later date keeps the whole pricing it set: say so, so none surprises.
        for (date, pricing) in result.later {
            context.console.out("then from \(date) \(MerchantCreateCommand.describe(pricing)) (scheduled before; set it again to change it)")
        }
        return .success
    }
}

/// `paylater merchant set-checkout-confirmation --merchant ID --checkout-confirmation merchant|shopper`: who confirms
/// the merchant's checkouts from now on.
enum MerchantSetCheckoutConfirmationCommand: Command {
    static let spec = CommandSpec(
        path: ["merchant", "set-checkout-confirmation"],
        summary: "Set who confirms a merchant's checkouts before they can be authorized: the merchant or the shopper.",
        discussion: """
            shopper: each checkout the merchant makes from now on waits for its shopper to confirm it, with their \
            own token (POST /v1/me/checkouts/{id}/confirm), and is authorized only for the product they chose. \
            merchant: the merchant's word is enough, as for a caller trusted with its shoppers. Switched to \
            shopper, the merchant's open checkouts made before can no longer be authorized (it makes new ones); \
            switched back, those made meanwhile still wait for their shopper. Prints the rule before and after; \
            running servers pick a change up within 10 s.
            Exit codes: 0 success, 1 no such merchant, 2 a usage mistake.
            """,
        options: [merchantOption, MerchantCreateCommand.checkoutConfirmationOption] + CommonOptions.store)

    static func run(_ arguments: ParsedArguments, _ context: CommandContext) throws -> ExitCode {
        let merchant = try merchantID(arguments)
        let confirmation: CheckoutConfirmation = try arguments.choice("checkout-confirmation")
        let runtime = try CommonOptions.open(arguments, context)
        let before = try MerchantService(database: runtime.database, clock: runtime.clock)
            .setCheckoutConfirmation(merchant, to: confirmation)
        context.console.out("merchant \(merchant)")
        context.console.out("checkouts confirmed by: \(before.rawValue) before, \(confirmation.rawValue) now")
        return .success
    }
}

/// `paylater merchant rotate-key --merchant ID`: a new API key for a merchant, shown once; the old one stops working.
enum MerchantRotateKeyCommand: Command {
    static let spec = CommandSpec(
        path: ["merchant", "rotate-key"],
        summary: "Give a merchant a new API key and print it (shown once); the old key stops working.",
        discussion: """
            For a key that leaked, or a routine rotation. A merchant has one key, so its systems must switch to the \
            new one: requests with the old key get 401 at once from servers started afterwards, and within 10 s from \
            servers already running (they remember a merchant's key for up to 10 s). Only the new key's hash is stored.
            Exit codes: 0 success, 1 no such merchant, 2 a usage mistake.
            """,
        options: [merchantOption] + CommonOptions.store)

    static func run(_ arguments: ParsedArguments, _ context: CommandContext) throws -> ExitCode {
        let merchant = try merchantID(arguments)
        let runtime = try CommonOptions.open(arguments, context)
        let apiKey = try MerchantService(database: runtime.database, clock: runtime.clock).rotateKey(merchant)
        context.console.out("merchant \(merchant)")
        context.console.out("api key  \(apiKey)")
        return .success
    }
}

/// `paylater merchant list`: every merchant, one line each, with what it pays and who confirms its checkouts.
enum MerchantListCommand: Command {
    static let spec = CommandSpec(
        path: ["merchant", "list"],
        summary: "List the merchants: id, pricing, who confirms their checkouts, and name.",
        discussion: """
            One line per merchant, by id: the id, the pricing the next settlement applies (a change scheduled for a \
            later date is marked with '+'; `merchant show` prints it), who confirms its checkouts (merchant or \
            shopper), then the name.
            Exit codes: 0 success, 2 a usage mistake.
            """,
        options: CommonOptions.store)

    static func run(_ arguments: ParsedArguments, _ context: CommandContext) throws -> ExitCode {
        let runtime = try CommonOptions.open(arguments, context)
        let service = MerchantService(database: runtime.database, clock: runtime.clock)
        let merchants = try service.merchants()
        if merchants.isEmpty { context.console.out("no merchants") }
        for merchant in merchants {
            let later = try service.scheduledPricing(merchant.id).isEmpty ? "" : " +"
            context.console.out(
                "\(merchant.id)  \(MerchantCreateCommand.describe(merchant.pricing))\(later)  "
                    + "checkouts confirmed by \(merchant.checkoutConfirmation.rawValue)  "
                    + PrintableText.escaped(merchant.name))
        }
        return .success
    }
}

/// `paylater merchant show --merchant ID`: one merchant's terms, its scheduled pricing changes included.
enum MerchantShowCommand: Command {
    static let spec = CommandSpec(
        path: ["merchant", "show"],
        summary: "Show a merchant: its name, pricing now and scheduled, and who confirms its checkouts.",
        discussion: "Exit codes: 0 success, 1 no such merchant, 2 a usage mistake.",
        options: [merchantOption] + CommonOptions.store)

    static func run(_ arguments: ParsedArguments, _ context: CommandContext) throws -> ExitCode {
        let id = try merchantID(arguments)
        let runtime = try CommonOptions.open(arguments, context)
        let service = MerchantService(database: runtime.database, clock: runtime.clock)
        let merchant = try service.merchant(id)
        context.console.out("merchant \(merchant.id)")
        context.console.out("name     \(PrintableText.escaped(merchant.name))")
        context.console.out("pricing  \(MerchantCreateCommand.describe(merchant.pricing))")
        for (date, pricing) in try service.scheduledPricing(id) {
            context.console.out("  from \(date) \(MerchantCreateCommand.describe(pricing))")
        }
        context.console.out("checkouts confirmed by \(merchant.checkoutConfirmation.rawValue)")
        return .success
    }
}
