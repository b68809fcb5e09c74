public import PaylaterLedger
public import PaylaterTime

/// What happened, as merchants see it in a webhook's `type`.
public enum WebhookEventType: String, CaseIterable, Sendable, Codable {
    case orderAuthorized = "order.authorized"
    case orderCaptured = "order.captured"
    case orderRefunded = "order.refunded"
    case orderCancelled = "order.cancelled"
    /// The authorization ran out: what was not captured is released (`released`).
    case orderExpired = "order.expired"
    /// The merchant released what was not captured of a partly captured order (`released`).
    case orderAuthorizationReleased = "order.authorization_released"
    case planPaidOff = "plan.paid_off"
    case planOverdue = "plan.overdue"
    case settlementPaid = "settlement.paid"
    /// A settlement paid nothing and left the merchant owing the platform (`carried_over` below zero): refunds and
    /// subsidies beyond its captures. The next settlement with lines nets the debt.
    case settlementCarriedOver = "settlement.carried_over"
    /// A referred checkout was declined on review, or its referral ran out unreviewed (`declined_by`); an approval
    /// on review is an `order.authorized` like any other. Sent on the checkout's own stream (its id).
    case checkoutDeclined = "checkout.declined"
    /// The shopper confirmed a checkout of a merchant whose checkouts they confirm (`product_id`): the merchant may
    /// authorize it now. Sent on the checkout's own stream (its id).
    case checkoutConfirmed = "checkout.confirmed"
}

/// An event another service records in its own write transaction, to be delivered to the merchant's endpoints.
public struct NewWebhookEvent: Sendable, Hashable {
    /// The longest order id accepted, in bytes.
    public static let orderIDLengthMaximum = 64
    /// The largest `data` accepted, in bytes: a bound on every request body.
    public static let dataByteCountMaximum = 65_536

    public var merchantID: MerchantID
    /// The order the event is about; events of one order are delivered in the order they were enqueued.
    /// Settlement events use their stream here, `settlements:<currency>` (`SettlementService.webhookStream`).
    public var orderID: String
    public var type: WebhookEventType
    /// The event's `data` member: a JSON object, as text, sent as is (the outbox checks it is one).
    public let data: String
    /// Whether `data` is known to be a JSON object because the platform's canonical JSON writer made it from a
    /// dictionary (`init(merchantID:orderID:type:encodedObject:)`): the outbox then does not scan it again, which
    /// it would do for every event of every authorization under the single writer.
    let dataIsEncodedObject: Bool

    public init(merchantID: MerchantID, orderID: String, type: WebhookEventType, data: String) {
        self.init(merchantID: merchantID, orderID: orderID, type: type, data: data, encodedObject: false)
    }

    /// An event whose `data` the canonical JSON writer wrote from a dictionary, so a JSON object by construction.
    package init(merchantID: MerchantID, orderID: String, type: WebhookEventType, encodedObject data: String) {
        self.init(merchantID: merchantID, orderID: orderID, type: type, data: data, encodedObject: true)
    }

    private init(merchantID: MerchantID, orderID: String, type: WebhookEventType, data: String, encodedObject: Bool) {
        self.merchantID = merchantID
        self.orderID = orderID
        self.type = type
        self.data = data
        self.dataIsEncodedObject = encodedObject
    }

    /// Equal events have equal fields, however they were made: the mark only spares the outbox a scan.
    public static func == (left: NewWebhookEvent, right: NewWebhookEvent) -> Bool {
        (left.merchantID, left.orderID, left.type, left.data) == (right.merchantID, right.orderID, right.type, right.data)
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(merchantID)
        hasher.combine(orderID)
        hasher.combine(type)
        hasher.combine(data)
    }
}

/// A stored event.
public struct WebhookEventRecord: Sendable, Hashable {
    public var merchantID: String
    public var id: String
    public var orderID: String
    /// 1 for the order's first event, then 2, 3, ...
    public var sequence: Int64
    public var type: WebhookEventType
    public var data: String
    public var createdAt: Instant

    public init(
        merchantID: String, id: String, orderID: String, sequence: Int64, type: WebhookEventType, data: String,
        createdAt: Instant
    ) {
        self.merchantID = merchantID
        self.id = id
        self.orderID = orderID
        self.sequence = sequence
        self.type = type
        self.data = data
        self.createdAt = createdAt
    }
}

/// A merchant's URL that receives events, with the secret requests to it are signed with.
public struct WebhookEndpointRecord: Sendable, Hashable {
    public var merchantID: String
    public var id: String
    public var url: String
    public var secret: String
    public var createdAt: Instant
    public var active: Bool

    public init(merchantID: String, id: String, url: String, secret: String, createdAt: Instant, active: Bool) {
        self.merchantID = merchantID
        self.id = id
        self.url = url
        self.secret = secret
        self.createdAt = createdAt
        self.active = active
    }
}

/// Where a delivery stands.
public enum WebhookDeliveryState: String, Sendable, Hashable, Codable {
    /// Not delivered yet; attempted again at `nextAttemptAt`.
    case pending
    /// The endpoint answered 2xx.
    case delivered
    /// Every attempt failed; only a replay sends the event again.
    case dead
}

/// Names one delivery: an event to an endpoint, `generation` 0 when enqueued and 1, 2, ... for each replay.
public struct WebhookDeliveryKey: Sendable, Hashable, CustomStringConvertible {
    public var merchantID: String
    public var eventID: String
    public var endpointID: String
    public var generation: Int

    public init(merchantID: String, eventID: String, endpointID: String, generation: Int) {
        self.merchantID = merchantID
        self.eventID = eventID
        self.endpointID = endpointID
        self.generation = generation
    }

    public var description: String { "\(merchantID)/\(eventID)/\(endpointID)/\(generation)" }

    var arguments: [SQLValue] {
        [.text(merchantID), .text(eventID), .text(endpointID), .integer(Int64(generation))]
    }
}

/// Names one of a merchant's endpoints: what the dispatcher sends to one at a time.
public struct WebhookEndpointKey: Sendable, Hashable, CustomStringConvertible {
    public var merchantID: String
    public var endpointID: String

    public init(merchantID: String, endpointID: String) {
        self.merchantID = merchantID
        self.endpointID = endpointID
    }

    public var description: String { "\(merchantID)/\(endpointID)" }
}

extension WebhookDeliveryKey {
    /// The endpoint this delivery goes to.
    public var endpoint: WebhookEndpointKey { WebhookEndpointKey(merchantID: merchantID, endpointID: endpointID) }
}

/// One event's delivery to one endpoint.
public struct WebhookDeliveryRecord: Sendable, Hashable {
    public var key: WebhookDeliveryKey
    public var state: WebhookDeliveryState
    public var attempts: Int
    /// When a pending delivery is next due (or, while a dispatcher holds it, when its claim lapses).
    public var nextAttemptAt: Instant?
    /// The HTTP status of the last attempt, nil when it failed before a response.
    public var lastStatus: Int?
    public var lastError: String?
    public var deliveredAt: Instant?
    public var createdAt: Instant
    /// What a pending delivery waits for besides its time, as the delivery log reads it (nil where not read).
    public var waitingFor: WebhookDeliveryWait?

    public init(
        key: WebhookDeliveryKey, state: WebhookDeliveryState, attempts: Int, nextAttemptAt: Instant?, lastStatus: Int?,
        lastError: String?, deliveredAt: Instant?, createdAt: Instant, waitingFor: WebhookDeliveryWait? = nil
    ) {
        self.waitingFor = waitingFor
        self.key = key
        self.state = state
        self.attempts = attempts
        self.nextAttemptAt = nextAttemptAt
        self.lastStatus = lastStatus
        self.lastError = lastError
        self.deliveredAt = deliveredAt
        self.createdAt = createdAt
    }
}

/// Why a pending delivery is not tried at its `nextAttemptAt`.
public enum WebhookDeliveryWait: Sendable, Hashable {
    /// An earlier event of the same order is still pending for the same endpoint: this one goes after it.
    case earlierEvent(id: String)
    /// Its endpoint was removed: it is never tried (replay the event to an active endpoint instead).
    case endpointRemoved
}

/// One entry of the delivery log: one request and how it ended.
public struct WebhookAttemptRecord: Sendable, Hashable {
    public var key: WebhookDeliveryKey
    /// 1 for the delivery's first attempt.
    public var attempt: Int
    public var startedAt: Instant
    public var duration: Duration
    /// The HTTP status, nil when the request failed before a response (then `error` says why).
    public var status: Int?
    public var error: String?

    public init(key: WebhookDeliveryKey, attempt: Int, startedAt: Instant, duration: Duration, status: Int?, error: String?) {
        self.key = key
        self.attempt = attempt
        self.startedAt = startedAt
        self.duration = duration
        self.status = status
        self.error = error
    }
}

/// A delivery a dispatcher claimed, with what it needs to send it.
public struct ClaimedWebhookDelivery: Sendable, Hashable {
    public var delivery: WebhookDeliveryRecord
    public var event: WebhookEventRecord
    public var url: String
    public var secret: String
}
