public import PaylaterApp
public import PaylaterHTTP
public import PaylaterProducts
public import PaylaterStore
public import PaylaterTime

/// Everything the HTTP API calls, built once by `paylater serve` (or a test) from one runtime.
public struct APIServices: Sendable {
    public let database: any Database
    public let clock: any Clock
    public let catalog: ProductCatalog
    public let merchants: MerchantService
    public let checkout: CheckoutService
    public let servicing: ServicingService
    public let statements: StatementService
    public let underwriting: UnderwritingService
    public let settlements: SettlementService
    public let webhooks: WebhookService
    public let consumerTokens: ConsumerTokens
    public let metrics: MetricsRegistry
    public let rateLimiter: RateLimiter
    /// Merchant keys not found, per client address (`APIGuards.merchant`).
    public let failedAuthentications: RateLimiter

    public init(
        database: any Database, clock: any Clock, catalog: ProductCatalog, underwriting: UnderwritingService,
        promotions: PromotionBook = .empty,
        deliveryAllowanceDays: Int = CheckoutService.deliveryAllowanceDaysDefault,
        checkoutLifetime: Duration = CheckoutService.checkoutLifetimeDefault,
        metrics: MetricsRegistry = MetricsRegistry(), rateLimiter: RateLimiter = RateLimiter(),
        failedAuthentications: RateLimiter = APIServices.failedAuthenticationsDefault(), zone: TimeZoneRules? = nil,
        webhookDestinations: WebhookDestinations = .publicOnly
    ) throws {
        self.database = database
        self.clock = clock
        self.catalog = catalog
        self.underwriting = underwriting
        // Services write through it, so a request's first write also claims its idempotency key.
        let database = IdempotentWrites(base: database)
        servicing = ServicingService(database: database, clock: clock, zone: zone, catalog: catalog)
        merchants = MerchantService(database: database, clock: clock)
        statements = StatementService(database: database, catalog: catalog, servicing: servicing)
        checkout = CheckoutService(
            database: database, clock: clock, catalog: catalog, underwriting: underwriting, servicing: servicing,
            promotions: promotions, deliveryAllowanceDays: deliveryAllowanceDays, checkoutLifetime: checkoutLifetime)
        settlements = SettlementService(database: database, clock: clock)
        webhooks = WebhookService(database: database, clock: clock, destinations: webhookDestinations)
        consumerTokens = try ConsumerTokens(database: database, clock: clock)
        self.metrics = metrics
        self.rateLimiter = rateLimiter
        self.failedAuthentications = failedAuthentications
    }
}

extension APIServices {
    /// Ten merchant keys not found a second per client address, in bursts of 100: far above what a merchant with a
    /// mistyped key sends before noticing, far below a guessing flood's thousands a second, each a read of the store.
    public static func failedAuthenticationsDefault() -> RateLimiter {
        RateLimiter(perSecond: 10, burst: 100, capacity: 10_000)
    }
}
