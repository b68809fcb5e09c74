import Foundation
import PaylaterApp
public import PaylaterHTTP
import PaylaterStore
import PaylaterTime
import Synchronization

/// The running API: the HTTP server on libmicrohttpd plus one background worker that delivers due webhooks (up to
/// eight endpoints at once, each on a thread of its own), records expired authorizations, releases expired holds and forgets idempotency keys and
/// velocity events past their retention.
public final class APIServer: Sendable {
    public let server: HTTPServer
    public let services: APIServices
    private let stopping = Atomic<Bool>(false)
    private let workerDone = DispatchSemaphore(value: 0)
    /// Told of a worker job's failure (`WorkerFaultThrottle` says which ones), so that a job failing on every pass
    /// (a referral that cannot be decided, a store that refuses writes) shows in the log rather than nowhere.
    private let workerReporter: @Sendable (_ job: String, any Error) -> Void
    /// Which of the worker's failures `workerReporter` is told of: the worker's passes and the webhook lanes' threads.
    private let workerFaults = Mutex(WorkerFaultThrottle())

    /// Starts serving `services` on `configuration`'s address and port (0 picks a free one: see `port`).
    public init(
        services: APIServices, configuration: HTTPServerConfiguration, accessLog: any AccessLogSink = DiscardingAccessLogSink(),
        workerInterval: Duration = .seconds(1), reporter: @escaping @Sendable (any Error, HTTPRequest) -> Void = { _, _ in },
        workerReporter: @escaping @Sendable (_ job: String, any Error) -> Void = { _, _ in }
    ) throws {
        self.services = services
        self.workerReporter = workerReporter
        let router = PaylaterAPI.router(services, reporter: reporter)
        server = try HTTPServer(
            configuration: configuration, handler: MetricsAugmentedRouter(router: router, services: services),
            accessLog: accessLog, metrics: services.metrics)
        let thread = Thread { [self] in
            runWorker(interval: workerInterval)
            workerDone.signal()
        }
        thread.name = "paylater-worker"
        thread.start()
    }

    public var port: UInt16 { server.port }

    /// How long a stop waits for the requests in flight to finish: a request still running after this long is not
    /// expected to (it also bounds the embedded store's wait for the write lock, SQLite's busy timeout).
    public static let stopGrace = Duration.seconds(10)

    /// Stops taking requests, lets those in flight finish (up to `grace`), then stops the worker.
    public func shutdown(grace: Duration = APIServer.stopGrace) {
        server.shutdown(grace: grace)
        guard !stopping.exchange(true, ordering: .acquiringAndReleasing) else { return }
        workerDone.wait()
    }

    private func runWorker(interval: Duration) {
        // Webhooks go out in lanes of their own, so a pass never waits for a slow endpoint.
        // A lane's failure (the outcome of a delivery sent could not be recorded: it will be sent again) is reported
        // too, as "webhook delivery".
        let webhooks = WebhookDeliveryLanes(
            dispatcher: WebhookDispatcher(
                database: services.database, clock: services.clock,
                transport: HTTPWebhookTransport(destinations: services.webhooks.destinations)),
            reporter: { [self] error in reportWorkerFault(job: "webhook delivery", error) })
        defer {
            webhooks.stop()
            webhooks.waitUntilIdle()
        }
        let ledger = LedgerService(database: services.database, clock: services.clock)
        let authorizations = AuthorizationExpiry(database: services.database, clock: services.clock)
        func run(_ job: String, _ body: () throws -> Void) {
            do {
                try body()
                workerFaults.withLock { $0.cleared(job: job) }
            } catch {
                reportWorkerFault(job: job, error)
            }
        }
        // Each pass comes one interval after the previous one (and the first one interval after start).
        while !stopping.load(ordering: .acquiring) {
            let deadline = ContinuousClock.now.advanced(by: interval)
            while !stopping.load(ordering: .acquiring), ContinuousClock.now < deadline {
                Thread.sleep(forTimeInterval: 0.05)
            }
            guard !stopping.load(ordering: .acquiring) else { return }
            run("authorization expiry") { _ = try authorizations.expireDue() }
            run("referral expiry") { _ = try services.checkout.expireReferrals() }
            run("webhook dispatch") { _ = try webhooks.dispatchDue() }
            run("hold expiry") { _ = try ledger.expireHolds() }
            run("idempotency key purge") {
                let cutoff = services.clock.now().advanced(by: .zero - APIGuards.idempotencyRetention)
                _ = try services.database.write { connection in try CheckoutRepository(connection).purgeKeys(before: cutoff) }
            }
            run("application event purge") { _ = try services.underwriting.purgeExpiredApplicationEvents() }
        }
    }
}

extension APIServer {
    /// Tells `workerReporter` of a failure of the worker's `job` unless `WorkerFaultThrottle` holds it back.
    private func reportWorkerFault(job: String, _ error: any Error) {
        if workerFaults.withLock({ $0.shouldReport(job: job, "\(error)", at: ContinuousClock.now) }) { workerReporter(job, error) }
    }
}

/// Which failures of the worker's jobs to report: a job's first failure, a failure that says something else than
/// what the job reported in the last minute, and the same failure again once a minute; at most
/// `distinctPerPeriodMaximum` different failures of a job a minute. The worker runs every job every second, so a job
/// that keeps failing (a store restarting, a referral that cannot be decided) would otherwise write a line a second,
/// and so would one whose failure alternates between a few messages or says something new every time (a count of
/// what the pass did, a deadlock's process ids); a job that succeeds in between reports its next failure at once.
struct WorkerFaultThrottle {
    /// How long the same failure of a job goes unreported after it was reported.
    static let quietPeriod = Duration.seconds(60)
    /// How many different failures of one job are reported within a quiet period at most.
    static let distinctPerPeriodMaximum = 5

    /// Each job's failures reported within the last quiet period, and when.
    private var reported: [String: [String: ContinuousClock.Instant]] = [:]

    mutating func shouldReport(job: String, _ message: String, at now: ContinuousClock.Instant) -> Bool {
        var recent = (reported[job] ?? [:]).filter { now < $0.value.advanced(by: Self.quietPeriod) }
        defer { reported[job] = recent }
        guard recent[message] == nil, recent.count < Self.distinctPerPeriodMaximum else { return false }
        recent[message] = now
        return true
    }

    /// The job succeeded: its next failure is reported whatever it says.
    mutating func cleared(job: String) { reported[job] = nil }
}

/// Adds the business counters to `/metrics`: decisions by outcome are counted as they happen; ledger transfers
/// are read from the ledger's own sequence when scraped (monotonic, so exposed as a counter); on the embedded
/// store, the group commit's counters, among them the time its single writer was held.
struct MetricsAugmentedRouter: HTTPHandler {
    let router: Router
    let services: APIServices

    func respond(to request: HTTPRequest) -> HTTPResponse {
        var response = router.respond(to: request)
        if request.method == .get, request.path == "/metrics", response.status == 200 {
            // Left out while the store cannot be read: a counter that reads 0 looks like a reset to Prometheus.
            if let transfers = try? services.database.read({ connection in
                try connection.query("SELECT COALESCE(MAX(seq), 0) FROM ledger_transfers", []).first?.int64(0) ?? 0
            }) {
                response.body += Array(
                    """
                    # HELP paylater_ledger_transfers_total Transfers recorded in the ledger (the store's, the same on every node).
                    # TYPE paylater_ledger_transfers_total counter
                    paylater_ledger_transfers_total \(transfers)

                    """.utf8)
            }
            if let referrals = try? services.database.read({ try ReferralRepository($0).awaitingSummary() }) {
                let waited = referrals.oldest.map { max(0, $0.duration(to: services.clock.now()).components.seconds) } ?? 0
                response.body += Array(
                    """
                    # HELP paylater_referrals_awaiting_review Referred checkouts no one has reviewed yet (paylater referral list).
                    # TYPE paylater_referrals_awaiting_review gauge
                    paylater_referrals_awaiting_review \(referrals.count)
                    # HELP paylater_referral_oldest_wait_seconds How long the oldest referral awaiting review has waited; 0 with none.
                    # TYPE paylater_referral_oldest_wait_seconds gauge
                    paylater_referral_oldest_wait_seconds \(waited)

                    """.utf8)
            }
            if let statistics = (services.database as? any ReportsGroupCommit)?.groupCommitStatistics {
                response.body += Array(Self.exposition(statistics).utf8)
            }
            if let statistics = (services.database as? any ReportsTransactionRetries)?.transactionRetryStatistics {
                response.body += Array(Self.exposition(statistics).utf8)
            }
        }
        return response
    }

    /// A pooled store's retries, by the engine's code, and its connections: the retries hide contention
    /// (deadlocks, serialization failures) that would otherwise show only as latency.
    static func exposition(_ statistics: TransactionRetryStatistics) -> String {
        var text = """
            # HELP paylater_store_transaction_retries_total Transactions run again after a failure retrying may fix, by the engine's code (40P01 deadlock, 40001 serialization failure, 55P03 lock not available).
            # TYPE paylater_store_transaction_retries_total counter

            """
        for code in statistics.retriesByCode.keys.sorted() {
            text += "paylater_store_transaction_retries_total{code=\"\(code)\"} \(statistics.retriesByCode[code] ?? 0)\n"
        }
        text += """
            # HELP paylater_store_transactions_given_up_total Transactions given up after the attempts allowed (answered 409 or 503).
            # TYPE paylater_store_transactions_given_up_total counter
            paylater_store_transactions_given_up_total \(statistics.givenUp)
            # HELP paylater_store_connections Connections to the database open now.
            # TYPE paylater_store_connections gauge
            paylater_store_connections \(statistics.connectionsOpen)
            # HELP paylater_store_connections_opened_total Connections to the database opened.
            # TYPE paylater_store_connections_opened_total counter
            paylater_store_connections_opened_total \(statistics.connectionsOpened)
            # HELP paylater_store_connections_dropped_total Connections dropped as broken or in an unknown state.
            # TYPE paylater_store_connections_dropped_total counter
            paylater_store_connections_dropped_total \(statistics.connectionsDropped)

            """
        return text
    }

    static func exposition(_ statistics: GroupCommitStatistics) -> String {
        """
            # HELP paylater_store_write_groups_total Groups of write transactions committed together.
            # TYPE paylater_store_write_groups_total counter
            paylater_store_write_groups_total \(statistics.groups)
            # HELP paylater_store_writes_total Write transaction bodies run in those groups.
            # TYPE paylater_store_writes_total counter
            paylater_store_writes_total \(statistics.bodies)
            # HELP paylater_store_log_syncs_total Syncs of the write-ahead log after a group's commit.
            # TYPE paylater_store_log_syncs_total counter
            paylater_store_log_syncs_total \(statistics.walSyncs)
            # HELP paylater_store_writer_held_seconds_total Time the single writer was held; near the elapsed time, writes queue for it.
            # TYPE paylater_store_writer_held_seconds_total counter
            paylater_store_writer_held_seconds_total \(statistics.writerHeld.inSeconds)
            # HELP paylater_store_checkpoints_total Copies of the write-ahead log into the database file, by who ran them.
            # TYPE paylater_store_checkpoints_total counter
            paylater_store_checkpoints_total{by="background"} \(statistics.backgroundCheckpoints)
            paylater_store_checkpoints_total{by="writer"} \(statistics.writerCheckpoints)
            # HELP paylater_store_checkpoint_failures_total Checkpoints that failed (the log only stays longer).
            # TYPE paylater_store_checkpoint_failures_total counter
            paylater_store_checkpoint_failures_total \(statistics.failedCheckpoints)
            # HELP paylater_store_database_writebacks_total Writeback of the database file started during background checkpoints.
            # TYPE paylater_store_database_writebacks_total counter
            paylater_store_database_writebacks_total \(statistics.databaseWritebacks)

            """
    }
}
