public import PaylaterLedger
public import PaylaterStore
public import PaylaterTime
import PaylaterCrypto

/// Why a webhook request was refused; nothing was changed when one is thrown.
public enum WebhookError: Error, Equatable, Sendable, CustomStringConvertible {
    /// An endpoint URL must be http:// or https://, name a host (and a port from 1 to 65535, if any), have no
    /// credentials, and be at most 2048 bytes of visible ASCII: what delivery can post to. Unless the service
    /// allows any destination, its host must not be an address literal that is not public, nor `localhost`
    /// (`WebhookDestinations`).
    case invalidURL(String, reason: String)
    /// A merchant may register at most `WebhookService.endpointsMaximum` endpoints.
    case tooManyEndpoints(Int)
    /// The merchant has no such event (another merchant's event is not found either).
    case eventNotFound(String)
    /// Replay needs an active endpoint to send to.
    case noActiveEndpoint
    /// The merchant has no such endpoint (another merchant's is not found either).
    case endpointNotFound(String)

    public var description: String {
        switch self {
        case let .invalidURL(url, reason): "\"\(url.prefix(100))\" is not a valid webhook URL: \(reason)"
        case let .tooManyEndpoints(maximum): "a merchant may have at most \(maximum) webhook endpoints"
        case let .eventNotFound(id): "no webhook event \(id)"
        case .noActiveEndpoint: "the merchant has no active webhook endpoint"
        case let .endpointNotFound(id): "no webhook endpoint \(id)"
        }
    }
}

/// An endpoint as the API shows it, without its secret.
public struct WebhookEndpoint: Sendable, Hashable {
    public var id: String
    public var url: String
    public var createdAt: Instant
    public var active: Bool
}

/// A newly registered endpoint with its signing secret, which is shown this once.
public struct RegisteredWebhookEndpoint: Sendable, Hashable {
    public var endpoint: WebhookEndpoint
    public var secret: String
}

/// Merchants' webhook endpoints, their events and delivery log, and replays: one transaction per operation.
public struct WebhookService: Sendable {
    public static let urlByteCountMaximum = 2_048
    public static let endpointsMaximum = 16

    public let database: any Database
    public let clock: any Clock
    /// Where endpoints may point: public addresses only in production.
    public let destinations: WebhookDestinations

    public init(database: any Database, clock: any Clock, destinations: WebhookDestinations = .publicOnly) {
        self.database = database
        self.clock = clock
        self.destinations = destinations
    }

    /// Registers `url` for `merchant`'s events from now on, with a new random secret returned only here.
    public func registerEndpoint(merchant: MerchantID, url: String) throws -> RegisteredWebhookEndpoint {
        try Self.validate(url, destinations: destinations)
        let now = clock.now()
        let record = WebhookEndpointRecord(
            merchantID: merchant.rawValue, id: "we_" + (try SecureRandom.token(byteCount: 16)), url: url,
            secret: "whsec_" + (try SecureRandom.token(byteCount: 32)), createdAt: now, active: true)
        try database.write { connection in
            let repository = WebhookRepository(connection)
            guard try repository.endpoints(merchantID: merchant.rawValue, activeOnly: true).count < Self.endpointsMaximum
            else {
                throw WebhookError.tooManyEndpoints(Self.endpointsMaximum)
            }
            try repository.insert(record)
        }
        return RegisteredWebhookEndpoint(endpoint: Self.view(record), secret: record.secret)
    }

    /// Stops sending `merchant`'s events to one of its endpoints, for good (register it again to resume: a new id
    /// and secret). Deactivating one already inactive changes nothing. Its log stays readable; deliveries still
    /// pending to it are no longer tried, and block no other endpoint's. It no longer counts toward
    /// `endpointsMaximum`.
    /// - Throws: `WebhookError.endpointNotFound` when the merchant has no such endpoint.
    public func deactivateEndpoint(merchant: MerchantID, id: String) throws -> WebhookEndpoint {
        try database.write { connection in
            let repository = WebhookRepository(connection)
            guard try repository.deactivateEndpoint(merchantID: merchant.rawValue, endpointID: id),
                let record = try repository.endpoints(merchantID: merchant.rawValue).first(where: { $0.id == id })
            else { throw WebhookError.endpointNotFound(id) }
            return Self.view(record)
        }
    }

    public func endpoints(merchant: MerchantID) throws -> [WebhookEndpoint] {
        try database.read { try WebhookRepository($0).endpoints(merchantID: merchant.rawValue).map(Self.view) }
    }

    /// The merchant's events, newest first, optionally of one order.
    public func events(merchant: MerchantID, orderID: String? = nil, limit: Int = 100) throws -> [WebhookEventRecord] {
        precondition((1...1_000).contains(limit), "limit in 1...1000")
        return try database.read { try WebhookRepository($0).events(merchantID: merchant.rawValue, orderID: orderID, limit: limit) ?? [] }
    }

    /// The merchant's events, newest first, optionally of one order, each with its deliveries: the delivery log as
    /// one snapshot (one read transaction), not a read per event. `before` pages on from that event.
    /// - Throws: `WebhookError.eventNotFound` when `before` names no event of the merchant.
    public func eventLog(
        merchant: MerchantID, orderID: String? = nil, limit: Int = 100, before: String? = nil
    ) throws -> [(event: WebhookEventRecord, deliveries: [WebhookDeliveryRecord])] {
        precondition((1...1_000).contains(limit), "limit in 1...1000")
        return try database.read { connection in
            let repository = WebhookRepository(connection)
            guard let events = try repository.events(
                merchantID: merchant.rawValue, orderID: orderID, limit: limit, before: before)
            else { throw WebhookError.eventNotFound(before ?? "") }
            return try events.map { event in
                (event, try repository.deliveries(merchantID: merchant.rawValue, eventID: event.id, limit: 1_000))
            }
        }
    }

    /// One of the merchant's events with each delivery and its attempts, from one snapshot; nil when the merchant
    /// has no such event.
    public func eventLog(
        merchant: MerchantID, id: String
    ) throws -> (event: WebhookEventRecord, deliveries: [(WebhookDeliveryRecord, [WebhookAttemptRecord])])? {
        try database.read { connection in
            let repository = WebhookRepository(connection)
            guard let event = try repository.event(merchantID: merchant.rawValue, eventID: id) else { return nil }
            let deliveries = try repository.deliveries(merchantID: merchant.rawValue, eventID: id, limit: 1_000).map {
                ($0, try repository.attempts($0.key))
            }
            return (event, deliveries)
        }
    }

    /// The merchant's deliveries, newest first, optionally of one event.
    public func deliveries(merchant: MerchantID, eventID: String? = nil, limit: Int = 100) throws -> [WebhookDeliveryRecord] {
        precondition((1...1_000).contains(limit), "limit in 1...1000")
        return try database.read {
            try WebhookRepository($0).deliveries(merchantID: merchant.rawValue, eventID: eventID, limit: limit)
        }
    }

    /// The delivery log of one of the merchant's deliveries.
    public func attempts(merchant: MerchantID, delivery: WebhookDeliveryKey) throws -> [WebhookAttemptRecord] {
        guard delivery.merchantID == merchant.rawValue else { return [] }
        return try database.read { try WebhookRepository($0).attempts(delivery) }
    }

    /// Sends one of the merchant's events again: a new delivery, pending and due now, to each active endpoint, or,
    /// where an earlier replay of the event to that endpoint is still pending, that replay (at most one waits at once).
    /// - Throws: `WebhookError.eventNotFound` when the merchant has no such event.
    public func replay(eventID: String, merchantID: MerchantID) throws -> [WebhookDeliveryRecord] {
        let now = clock.now()
        return try database.write { connection in
            let repository = WebhookRepository(connection)
            let merchant = merchantID.rawValue
            guard try repository.event(merchantID: merchant, eventID: eventID) != nil else {
                throw WebhookError.eventNotFound(eventID)
            }
            let endpoints = try repository.endpoints(merchantID: merchant, activeOnly: true)
            guard !endpoints.isEmpty else { throw WebhookError.noActiveEndpoint }
            return try endpoints.map { endpoint in
                let latest = try repository.latestDelivery(merchantID: merchant, eventID: eventID, endpointID: endpoint.id)
                // One pending replay per event and endpoint at most: a replay asked for again before the last one
                // was sent is that one, so repeated replays cannot pile deliveries up. A pending original delivery
                // (generation 0, perhaps waiting hours in its backoff) still gets a replay due now.
                if let latest, latest.state == .pending, latest.key.generation > 0 { return latest }
                let key = WebhookDeliveryKey(
                    merchantID: merchant, eventID: eventID, endpointID: endpoint.id,
                    generation: latest.map { $0.key.generation + 1 } ?? 0)
                try repository.insertDelivery(key, dueAt: now, at: now)
                return WebhookDeliveryRecord(
                    key: key, state: .pending, attempts: 0, nextAttemptAt: now, lastStatus: nil, lastError: nil,
                    deliveredAt: nil, createdAt: now)
            }
        }
    }

    /// Refuses a URL delivery could not post to, with delivery's own parser (`HTTPTarget.parse`), and one whose host
    /// `destinations` refuses without resolving it (delivery checks the resolved addresses again on every post).
    static func validate(_ url: String, destinations: WebhookDestinations) throws(WebhookError) {
        switch HTTPTarget.parse(url) {
        case let .failure(unusable): throw .invalidURL(url, reason: unusable.reason)
        case let .success(target):
            if let refusal = destinations.refusal(ofHost: target.host) { throw .invalidURL(url, reason: refusal) }
        }
    }

    private static func view(_ record: WebhookEndpointRecord) -> WebhookEndpoint {
        WebhookEndpoint(id: record.id, url: record.url, createdAt: record.createdAt, active: record.active)
    }
}
