import PaylaterApp
import PaylaterHTTP
import PaylaterStore
import PaylaterTime

/// How the API shows a merchant's webhook endpoints, events and delivery log.
enum WebhookLogViews {
    /// How many events `GET /v1/webhooks/events` lists when the merchant does not say.
    static let defaultEventCount = 20
    /// The most it lists at once; each comes with its deliveries.
    static let eventCountMaximum = 100

    /// An endpoint without its secret, which is shown only once, at registration.
    static func endpoint(_ endpoint: WebhookEndpoint) -> JSONValue {
        .object([
            "id": .string(endpoint.id), "url": .string(endpoint.url),
            "created_at": .string(endpoint.createdAt.description), "active": .bool(endpoint.active),
        ])
    }

    /// An event as listed: what it is about, not its data (`GET /v1/webhooks/events/{id}` has the body).
    static func eventSummary(_ event: WebhookEventRecord, deliveries: [WebhookDeliveryRecord]) -> JSONValue {
        .object([
            "id": .string(event.id), "order_id": .string(event.orderID), "sequence": .integer(event.sequence),
            "type": .string(event.type.rawValue), "created_at": .string(event.createdAt.description),
            "deliveries": .array(deliveries.map { delivery($0, attempts: nil) }),
        ])
    }

    /// One event in full: the exact body its deliveries carry, and each delivery with its log of attempts.
    /// The body is spliced in as the bytes that were (or will be) signed, so what the merchant reads here is what
    /// their endpoint receives.
    static func event(_ event: WebhookEventRecord, deliveries: [(WebhookDeliveryRecord, [WebhookAttemptRecord])])
        -> HTTPResponse
    {
        let log = JSONValue.array(deliveries.map { delivery($0.0, attempts: $0.1) })
        let body = Array(#"{"deliveries":"#.utf8) + log.serialized() + Array(#","event":"#.utf8)
            + WebhookPayload.body(of: event) + Array("}".utf8)
        return HTTPResponse(status: 200, headers: ["Content-Type": "application/json"], body: body)
    }

    /// A delivery of an event to one endpoint; with `attempts`, its log.
    private static func delivery(_ delivery: WebhookDeliveryRecord, attempts: [WebhookAttemptRecord]?) -> JSONValue {
        var object: [String: JSONValue] = [
            "endpoint_id": .string(delivery.key.endpointID), "generation": .integer(Int64(delivery.key.generation)),
            "state": .string(delivery.state.rawValue), "attempts": .integer(Int64(delivery.attempts)),
            "next_attempt_at": instant(delivery.state == .pending && delivery.waitingFor == nil ? delivery.nextAttemptAt : nil),
            "waiting_for": waiting(delivery.waitingFor),
            "waiting_for_event_id": {
                if case .earlierEvent(let id) = delivery.waitingFor { return .string(id) }
                return .null
            }(),
            "last_status": delivery.lastStatus.map { .integer(Int64($0)) } ?? .null,
            "last_error": delivery.lastError.map(JSONValue.string) ?? .null,
            "delivered_at": instant(delivery.deliveredAt), "created_at": .string(delivery.createdAt.description),
        ]
        if let attempts { object["log"] = .array(attempts.map(attempt)) }
        return .object(object)
    }

    /// What a pending delivery waits for, besides its time: an earlier event of its order, or nothing ever (its
    /// endpoint was removed); null when it is simply due at `next_attempt_at`.
    private static func waiting(_ wait: WebhookDeliveryWait?) -> JSONValue {
        switch wait {
        case .earlierEvent?: .string("earlier_event")
        case .endpointRemoved?: .string("endpoint_removed")
        case nil: .null
        }
    }

    private static func attempt(_ attempt: WebhookAttemptRecord) -> JSONValue {
        .object([
            "attempt": .integer(Int64(attempt.attempt)), "started_at": .string(attempt.startedAt.description),
            "duration_ms": .integer(milliseconds(attempt.duration)),
            "status": attempt.status.map { .integer(Int64($0)) } ?? .null,
            "error": attempt.error.map(JSONValue.string) ?? .null,
        ])
    }

    /// Whole milliseconds, rounded down: an attempt's time is logged to the nanosecond, shown to the millisecond.
    private static func milliseconds(_ duration: Duration) -> Int64 {
        let (seconds, attoseconds) = duration.components
        return seconds * 1_000 + attoseconds / 1_000_000_000_000_000
    }

    private static func instant(_ instant: Instant?) -> JSONValue {
        instant.map { .string($0.description) } ?? .null
    }
}
