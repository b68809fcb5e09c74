import Foundation
import PaylaterAPI
import PaylaterApp
import PaylaterHTTP
import PaylaterLedger
import PaylaterMoney
import PaylaterProducts
import PaylaterStore
import PaylaterTestSupport
import PaylaterTime
import PaylaterUnderwriting

/// A real API server on an ephemeral loopback port over a fresh test store, with the example policy and model,
/// funding capacity, and one merchant.
final class APITestServer: Sendable {
    let store: TestStore
    let server: APIServer
    let merchantKey: String
    let merchantID: String

    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    /// `database` wraps the store's database as the API's services see it (to observe their writes); `catalog`
    /// replaces the example catalog. Webhook endpoints may point anywhere (the tests' receivers are on loopback)
    /// unless `webhookDestinations` says otherwise. The worker runs every `workerInterval` (by default an hour: not
    /// during a test) and tells `workerReporter` of the failures it reports.
    init(
        _ kind: StoreKind = .sqlite, rateLimiter: RateLimiter = RateLimiter(),
        failedAuthentications: RateLimiter = APIServices.failedAuthenticationsDefault(),
        database wrap: (any Database) -> any Database = { $0 }, catalog: ProductCatalog? = nil,
        webhookDestinations: WebhookDestinations = .any, workerInterval: Duration = .seconds(3600),
        workerReporter: @escaping @Sendable (String, any Error) -> Void = { _, _ in }
    ) throws {
        store = try TestStore(kind)
        let policy = try CreditPolicy(json: try Data(contentsOf: Self.repository.appendingPathComponent("config/policy.example.json")))
        let model = try ModelArtifact.load(json: try Data(contentsOf: Self.repository.appendingPathComponent("config/model.example.json")))
        let catalog = try catalog ?? Self.exampleCatalog()
        // The catalog's calendar, as `paylater serve` loads it.
        let zone = try catalog.timeZone.map { name throws(TimeError) in try TimeZoneDatabase.system.rules(for: name) }
        let underwriting = try UnderwritingService(
            database: store.database, clock: store.clock, policy: policy, models: CreditModels(champion: model), zone: zone)
        let services = try APIServices(
            database: wrap(store.database), clock: store.clock, catalog: catalog, underwriting: underwriting,
            rateLimiter: rateLimiter, failedAuthentications: failedAuthentications, zone: zone,
            webhookDestinations: webhookDestinations)
        _ = try CreditLineService(database: store.database, clock: store.clock)
            .setFundingCapacity(try Money(parsing: "1000000.00", currency: .CNY), changeID: try TransferID("capacity"))
        let created = try services.merchants.create(name: "Acme", pricing: MerchantPricingTerms(discountRate: BasisPoints(250)))
        merchantKey = created.apiKey
        merchantID = created.merchant.id.rawValue
        server = try APIServer(
            services: services, configuration: HTTPServerConfiguration(), workerInterval: workerInterval,
            workerReporter: workerReporter)
    }

    /// `config/catalog.example.json`, the catalog `paylater serve` reads by default.
    static func exampleCatalog() throws -> ProductCatalog {
        try ProductCatalog(json: try Data(contentsOf: repository.appendingPathComponent("config/catalog.example.json")))
    }

    deinit { server.shutdown(grace: .seconds(2)) }

    var port: UInt16 { server.port }
    var services: APIServices { server.services }
}
