import Foundation
import PaylaterAPI
import PaylaterApp
import PaylaterHTTP
import PaylaterProducts
import PaylaterUnderwriting
import PaylaterLedger
import PaylaterMoney
import PaylaterTime

/// `paylater serve --port 8080`: the HTTP API until SIGTERM or SIGINT, then a graceful stop.
enum ServeCommand: Command {
    static let spec = CommandSpec(
        path: ["serve"],
        summary: "Serve the HTTP API (merchant checkout, orders, settlements, webhooks, shopper self-service).",
        discussion: """
            Listens on HOST:PORT (port 0 picks a free port) and prints 'listening on http://HOST:PORT'. Decisions \
            use the policy and model files, and products and late fees come from the catalog file (defaults: \
            config/policy.example.json, config/model.example.json and config/catalog.example.json under the working \
            directory; the example catalog has all five kinds, the monthly bill included). \
            One access-log line (JSON) per request goes to standard error. A background worker delivers webhooks, \
            releases expired holds, declines referrals nobody reviewed within the policy's referral_review_hours (24 \
            unless it says otherwise) and forgets idempotency keys older \
            than 24 hours; a job that fails is logged as a fault line with its "job" (the same failure again at most \
            once a minute). On SIGTERM or SIGINT it stops \
            taking connections, finishes the requests in flight (up to 10 s) and exits 0; a second signal meanwhile \
            stops it at once, with exit 1.
            Exit codes: 0 stopped by a signal, 1 a failure or stopped by a second signal, 2 a usage mistake or a bad file.
            """,
        options: [
            .value("port", "PORT", "TCP port (default 8080; 0 picks a free one)."),
            .value("host", "HOST", "IPv4 or IPv6 address to bind (default 127.0.0.1; 0.0.0.0 or :: for every interface)."),
            .value("threads", "N", "Serve from a pool of N threads instead of a thread per connection (default)."),
            .value(
                "connections-per-client", "N",
                "Most connections at once from one client address (default 256; behind a reverse proxy, at least its pool)."),
            .value("policy", "FILE", "Credit policy JSON (default config/policy.example.json)."),
            .value("model", "FILE", "Credit model JSON (default config/model.example.json)."),
            .value("catalog", "FILE", "Product catalog JSON (default config/catalog.example.json)."),
            .value("promotions", "FILE", "Merchant-funded promotions JSON, checked against the catalog (default none)."),
            .value("delivery-allowance-days", "N", "Days added to shipment when no delivery is confirmed (default 7)."),
            .value(
                "checkout-lifetime-hours", "N",
                "Hours an open checkout can be authorized after it was made, 1 to 720 (default 48)."),
            CommonOptions.webhookDestinations,
        ] + CommonOptions.store)

    static func run(_ arguments: ParsedArguments, _ context: CommandContext) throws -> ExitCode {
        TerminationSignal.block()
        let port = try arguments.integer("port", in: 0...65_535, default: 8080)
        let threads = try arguments.integer("threads", in: 1...256)
        let perClient = try arguments.integer(
            "connections-per-client", in: 1...HTTPServerConfiguration().connectionLimit,
            default: HTTPServerConfiguration().connectionsPerClientMaximum)
        let host = arguments.value("host") ?? "127.0.0.1"
        guard HTTPServerConfiguration.isAddressLiteral(host) else {
            throw UsageError(
                "'--host': '\(host)' is not an IPv4 or IPv6 address (such as 127.0.0.1 or ::1); host names are not resolved")
        }
        let policyPath = arguments.value("policy") ?? "config/policy.example.json"
        let policy = try readPolicy(policyPath)
        let model = try ModelFiles.model(arguments.value("model") ?? "config/model.example.json")
        let (catalog, zone) = try QuoteCommand.readCatalogAndZone(arguments.value("catalog") ?? "config/catalog.example.json")
        let promotions = try arguments.value("promotions").map { path throws(InputError) in
            let data = try InputFile.data(path, maximumBytes: 4 << 20)
            do { return try PromotionBook(json: data, catalog: catalog) } catch { throw InputError("\(path): \(error)") }
        } ?? PromotionBook.empty
        let allowance = try arguments.integer("delivery-allowance-days", in: 0...90, default: CheckoutService.deliveryAllowanceDaysDefault)
        let lifetimeHours = try arguments.integer(
            "checkout-lifetime-hours", in: 1...720,
            default: Int(CheckoutService.checkoutLifetimeDefault.components.seconds / 3_600))
        let destinations = try CommonOptions.webhookDestinations(arguments)
        let runtime = try CommonOptions.open(arguments, context, create: true)
        let underwriting = try underwritingService(
            runtime, policy: policy, policyPath: policyPath, model: model, zone: zone)
        let services = try APIServices(
            database: runtime.database, clock: runtime.clock, catalog: catalog, underwriting: underwriting,
            promotions: promotions, deliveryAllowanceDays: allowance,
            checkoutLifetime: .seconds(Int64(lifetimeHours) * 3_600), zone: zone, webhookDestinations: destinations)
        var configuration = HTTPServerConfiguration()
        configuration.bindAddress = host
        configuration.connectionsPerClientMaximum = perClient
        configuration.port = UInt16(port)
        configuration.threading = threads.map { .pool(threads: $0) } ?? .perConnection
        let log = JSONLinesAccessLogSink(fileDescriptor: 2)
        let server = try APIServer(
            services: services, configuration: configuration, accessLog: log,
            reporter: { error, request in
                log.fault("\(error)", requestID: request.requestID, atSecondsSince1970: Date().timeIntervalSince1970)
            },
            workerReporter: { job, error in log.fault("\(error)", job: job, atSecondsSince1970: Date().timeIntervalSince1970) })
        context.console.out("listening on http://\(configuration.bindAddress):\(server.port)")
        fflush(nil)
        let signal = TerminationSignal.wait()
        context.console.out("signal \(signal): finishing requests in flight (the signal again stops at once)")
        fflush(nil)
        let console = context.console
        TerminationSignal.exitOnNext(status: ExitCode.failure.rawValue) { again in
            console.out("signal \(again) again: stopping at once; requests in flight get no answer and none is half-written")
            fflush(nil)
        }
        server.shutdown(grace: APIServer.stopGrace)
        context.console.out("stopped")
        return .success
    }

    /// The underwriting service over `runtime`'s store; a policy whose rules changed without its version raised
    /// (the store remembers each version's content) is a mistake in the file the user gave: exit 2, naming it.
    static func underwritingService(
        _ runtime: PaylaterRuntime, policy: CreditPolicy, policyPath: String, model: any CreditModel, zone: TimeZoneRules? = nil
    ) throws -> UnderwritingService {
        do {
            return try UnderwritingService(
                database: runtime.database, clock: runtime.clock, policy: policy, models: CreditModels(champion: model), zone: zone)
        } catch let error as UnderwritingError {
            throw InputError("\(policyPath): \(error)")
        }
    }

    static func readPolicy(_ path: String) throws(InputError) -> CreditPolicy {
        let data = try InputFile.data(path, maximumBytes: 4 << 20)
        do { return try CreditPolicy(json: data) } catch { throw InputError("\(path): \(error.description)") }
    }
}

/// `paylater consumer token --consumer ID`: a shopper token for development.
enum ConsumerTokenCommand: Command {
    static let spec = CommandSpec(
        path: ["consumer", "token"],
        summary: "Print a self-service bearer token for a shopper (for development; production uses its identity provider).",
        discussion: "The token is valid for --hours (default 24). Exit codes: 0 success, 2 a usage mistake.",
        options: [
            CommonOptions.consumer,
            .value("hours", "N", "Hours the token is valid (default 24)."),
        ] + CommonOptions.store)

    static func run(_ arguments: ParsedArguments, _ context: CommandContext) throws -> ExitCode {
        let consumer = try CommonOptions.consumer(arguments)
        let hours = try arguments.integer("hours", in: 1...(24 * 90), default: 24)
        let runtime = try CommonOptions.open(arguments, context, create: true)
        let tokens = try ConsumerTokens(database: runtime.database, clock: runtime.clock)
        context.console.out(tokens.issue(for: consumer, lifetime: .seconds(Int64(hours) * 3600)))
        return .success
    }
}

/// `paylater capacity set --amount 1000000.00 --currency CNY`: the platform's funding capacity.
enum CapacitySetCommand: Command {
    static let spec = CommandSpec(
        path: ["capacity", "set"],
        summary: "Set the platform's funding capacity in a currency: what outstanding principal plus holds may reach.",
        discussion: """
            Posts the change to the ledger's credit book. A capacity below what is already held and outstanding is \
            refused. Exit codes: 0 success, 1 refused, 2 a usage mistake.
            """,
        options: [
            .value("amount", "AMOUNT", "The capacity, a decimal amount such as 1000000.00."),
            .value("currency", "CODE", "ISO 4217 currency code."),
        ] + CommonOptions.store)

    static func run(_ arguments: ParsedArguments, _ context: CommandContext) throws -> ExitCode {
        let currency: Currency
        do { currency = try Currency(code: try arguments.required("currency")) } catch let error as MoneyError {
            throw UsageError("'--currency': \(error)")
        }
        let amount: Money
        do { amount = try Money(parsing: try arguments.required("amount"), currency: currency) } catch let error as MoneyError {
            throw UsageError("'--amount': \(error)")
        }
        guard !amount.isNegative else { throw UsageError("'--amount': a funding capacity cannot be negative (\(amount))") }
        let runtime = try CommonOptions.open(arguments, context, create: true)
        let id = try TransferID("capacity:\(currency.code):\(runtime.clock.now().nanosecondsSinceUnixEpoch)")
        let exposure = try runtime.creditLines.setFundingCapacity(amount, changeID: id)
        context.console.out("funding capacity \(exposure.capacity); held \(exposure.held), outstanding \(exposure.used)")
        return .success
    }
}
