import Foundation
import PaylaterApp
import PaylaterLedger
import PaylaterStore
import PaylaterTestSupport
import PaylaterTime
import Testing

private struct Rollback: Error {}

@Suite("Merchant webhooks")
struct WebhookTests {
    @Test("an event enqueued in a transaction that rolls back is never stored", arguments: StoreKind.available)
    func rollbackDropsEvent(kind: StoreKind) throws {
        let fixture = try WebhookFixture(kind)
        _ = try fixture.service.registerEndpoint(merchant: fixture.merchant, url: "http://127.0.0.1:9/hooks")
        let event = NewWebhookEvent(merchantID: fixture.merchant, orderID: "o1", type: .orderRefunded, data: "{}")
        let now = fixture.store.clock.now()
        #expect(throws: Rollback.self) {
            try fixture.store.database.write { connection in
                try WebhookOutbox.enqueue(event, in: connection, at: now)
                throw Rollback()
            }
        }
        #expect(try fixture.service.events(merchant: fixture.merchant).isEmpty)
        #expect(try fixture.service.deliveries(merchant: fixture.merchant).isEmpty)
    }

    @Test("an order's events go out in sequence: event 2 waits while event 1 is retried", arguments: StoreKind.available)
    func inOrderPerOrder(kind: StoreKind) throws {
        let fixture = try WebhookFixture(kind)
        _ = try fixture.service.registerEndpoint(merchant: fixture.merchant, url: "http://127.0.0.1:9/hooks")
        let first = try fixture.enqueue(order: "o1", .orderAuthorized)
        let second = try fixture.enqueue(order: "o1", .orderCaptured)
        #expect((first.sequence, second.sequence) == (1, 2))
        let transport = FakeTransport { index in index == 0 ? .success(500) : .success(200) }
        let dispatcher = fixture.dispatcher(transport)

        let round1 = try dispatcher.deliverDue()
        #expect(round1.claimed == 1 && round1.retrying == 1)
        #expect(try dispatcher.deliverDue().claimed == 0)
        fixture.store.clock.advance(by: .seconds(86_400))
        #expect(try dispatcher.deliverDue().delivered.map(\.eventID) == [first.id])
        #expect(try dispatcher.deliverDue().delivered.map(\.eventID) == [second.id])
        #expect(transport.requests.map(\.eventID) == [first.id, first.id, second.id])
    }

    @Test("the delivery log says what a pending delivery waits for: the order's earlier event, or an endpoint that is gone", arguments: StoreKind.available)
    func deliveryLogSaysWhatItWaitsFor(kind: StoreKind) throws {
        let fixture = try WebhookFixture(kind)
        let endpoint = try fixture.service.registerEndpoint(merchant: fixture.merchant, url: "http://127.0.0.1:9/hooks")
        let first = try fixture.enqueue(order: "o1", .orderAuthorized)
        let second = try fixture.enqueue(order: "o1", .orderCaptured)
        let other = try fixture.enqueue(order: "o2", .orderAuthorized)
        func waits() throws -> [String: WebhookDeliveryWait?] {
            Dictionary(uniqueKeysWithValues: try fixture.service.deliveries(merchant: fixture.merchant).map { ($0.key.eventID, $0.waitingFor) })
        }
        #expect(try waits() == [first.id: nil, second.id: .earlierEvent(id: first.id), other.id: nil])
        _ = try fixture.service.deactivateEndpoint(merchant: fixture.merchant, id: endpoint.endpoint.id)
        #expect(try waits() == [first.id: .endpointRemoved, second.id: .endpointRemoved, other.id: .endpointRemoved])
    }

    @Test("failures back off exponentially with seeded jitter and the delivery dies after N attempts", arguments: StoreKind.available)
    func retryScheduleAndDead(kind: StoreKind) throws {
        let fixture = try WebhookFixture(kind)
        _ = try fixture.service.registerEndpoint(merchant: fixture.merchant, url: "http://127.0.0.1:9/hooks")
        let event = try fixture.enqueue(order: "o1")
        let policy = WebhookRetryPolicy(attemptsMaximum: 4)
        let dispatcher = fixture.dispatcher(FakeTransport { _ in .success(503) }, seed: 42, policy: policy)
        var replay = SplitMix64(seed: 42)
        for attempt in 1...3 {
            let now = fixture.store.clock.now()
            #expect(try dispatcher.deliverDue().retrying == 1)
            let expected = policy.delay(afterAttempt: attempt, jitter: WebhookRetryPolicy.jitter(using: &replay))
            let delivery = try fixture.delivery(of: event)
            #expect(delivery.state == .pending && delivery.attempts == attempt)
            #expect(delivery.nextAttemptAt == now.advanced(by: expected))
            #expect(expected >= .seconds(150 << (attempt - 1)) && expected < .seconds(300 << (attempt - 1)))
            fixture.store.clock.set(to: now.advanced(by: expected))
        }
        #expect(try dispatcher.deliverDue().dead == 1)
        let dead = try fixture.delivery(of: event)
        #expect(dead.state == .dead && dead.attempts == 4 && dead.lastStatus == 503 && dead.nextAttemptAt == nil)
        let log = try fixture.service.attempts(merchant: fixture.merchant, delivery: dead.key)
        #expect(log.map(\.attempt) == [1, 2, 3, 4] && log.allSatisfy { $0.status == 503 && $0.error == "HTTP 503" })
        fixture.store.clock.advance(by: .seconds(7 * 86_400))
        #expect(try dispatcher.deliverDue().claimed == 0)
    }

    @Test("the default schedule spreads 12 attempts over about three days")
    func defaultScheduleSpan() {
        let policy = WebhookRetryPolicy()
        let longest = (1..<policy.attemptsMaximum).reduce(Duration.zero) { $0 + policy.delay(afterAttempt: $1, jitter: 0.999_999) }
        let shortest = (1..<policy.attemptsMaximum).reduce(Duration.zero) { $0 + policy.delay(afterAttempt: $1, jitter: 0.5) }
        #expect(longest > .seconds(3 * 86_400) && longest < .seconds(4 * 86_400))
        #expect(shortest > .seconds(43 * 3_600))
    }

    @Test("the signature verifies; a tampered body, another secret or an old timestamp fail", arguments: StoreKind.available)
    func signature(kind: StoreKind) throws {
        let fixture = try WebhookFixture(kind)
        let endpoint = try fixture.service.registerEndpoint(merchant: fixture.merchant, url: "http://127.0.0.1:9/hooks")
        try fixture.enqueue(order: "o1")
        let transport = FakeTransport()
        _ = try fixture.dispatcher(transport).deliverDue()
        let request = try #require(transport.requests.first)
        let header = try #require(request.headers[WebhookSignature.headerName])
        let now = fixture.store.clock.now()
        #expect(request.headers["Content-Type"] == "application/json")
        try WebhookSignature.verify(header: header, body: request.body, secret: endpoint.secret, now: now)
        var tampered = request.body
        tampered[tampered.count - 3] ^= 1
        #expect(throws: WebhookSignatureError.mismatch) {
            try WebhookSignature.verify(header: header, body: tampered, secret: endpoint.secret, now: now)
        }
        #expect(throws: WebhookSignatureError.mismatch) {
            try WebhookSignature.verify(header: header, body: request.body, secret: "whsec_other", now: now)
        }
        #expect(throws: WebhookSignatureError.self) {
            try WebhookSignature.verify(header: header, body: request.body, secret: endpoint.secret, now: now.advanced(by: .seconds(301)))
        }
        let body = try #require(try JSONSerialization.jsonObject(with: Data(request.body)) as? [String: Any])
        #expect(body["id"] as? String == request.eventID && body["type"] as? String == "order.captured")
        #expect(body["order_id"] as? String == "o1")
        let amount = try #require((body["data"] as? [String: Any])?["amount"] as? [String: Any])
        #expect(amount["amount"] as? Int == 40_000 && amount["currency"] as? String == "CNY")
    }

    @Test("two dispatchers racing never deliver the same delivery twice", arguments: StoreKind.available)
    func racingDispatchers(kind: StoreKind) throws {
        let fixture = try WebhookFixture(kind)
        _ = try fixture.service.registerEndpoint(merchant: fixture.merchant, url: "http://127.0.0.1:9/hooks")
        for order in 1...10 { try fixture.enqueue(order: "o\(order)") }
        let transport = FakeTransport(delay: .milliseconds(30))
        let dispatchers = [fixture.dispatcher(transport, seed: 1), fixture.dispatcher(transport, seed: 2)]
        let passes = concurrently(2) { index in try dispatchers[index].deliverDue(limit: 6) }
        #expect(passes.unexpectedFailures() == [])
        while try dispatchers[0].deliverDue(limit: 6).claimed > 0 {}
        let ids = transport.requests.map(\.eventID)
        #expect(ids.count == 10 && Set(ids).count == 10)
        #expect(try fixture.service.deliveries(merchant: fixture.merchant).allSatisfy { $0.state == .delivered })
    }

    @Test("replay makes a new pending delivery; another merchant's event is not found", arguments: StoreKind.available)
    func replay(kind: StoreKind) throws {
        let fixture = try WebhookFixture(kind)
        _ = try fixture.service.registerEndpoint(merchant: fixture.merchant, url: "http://127.0.0.1:9/hooks")
        let event = try fixture.enqueue(order: "o1")
        let transport = FakeTransport()
        let dispatcher = fixture.dispatcher(transport)
        _ = try dispatcher.deliverDue()
        let replayed = try fixture.service.replay(eventID: event.id, merchantID: fixture.merchant)
        #expect(replayed.map(\.key.generation) == [1] && replayed.allSatisfy { $0.state == .pending })
        #expect(try dispatcher.deliverDue().delivered == replayed.map(\.key))
        #expect(transport.requests.map(\.eventID) == [event.id, event.id])
        #expect(throws: WebhookError.eventNotFound(event.id)) {
            try fixture.service.replay(eventID: event.id, merchantID: try MerchantID("m2"))
        }
    }

    @Test("replays asked for again before the last one was sent are that one: one pending replay per event and endpoint", arguments: StoreKind.available)
    func repeatedReplay(kind: StoreKind) throws {
        let fixture = try WebhookFixture(kind)
        _ = try fixture.service.registerEndpoint(merchant: fixture.merchant, url: "http://127.0.0.1:9/hooks")
        let event = try fixture.enqueue(order: "o1")
        // The original delivery is still pending (never tried): a replay is due now beside it.
        let first = try fixture.service.replay(eventID: event.id, merchantID: fixture.merchant)
        #expect(first.map(\.key.generation) == [1])
        for _ in 0..<20 {
            #expect(try fixture.service.replay(eventID: event.id, merchantID: fixture.merchant) == first)
        }
        #expect(try fixture.service.deliveries(merchant: fixture.merchant).count == 2)
        let transport = FakeTransport()
        _ = try fixture.dispatcher(transport).deliverDue()
        #expect(transport.requests.map(\.eventID) == [event.id, event.id])
        // Once sent, the next replay is a new one.
        #expect(try fixture.service.replay(eventID: event.id, merchantID: fixture.merchant).map(\.key.generation) == [2])
    }

    @Test("a deactivated endpoint gets nothing more, even what was pending for it; another merchant's is not found", arguments: StoreKind.available)
    func deactivation(kind: StoreKind) throws {
        let fixture = try WebhookFixture(kind)
        let broken = try fixture.service.registerEndpoint(merchant: fixture.merchant, url: "http://127.0.0.1:9/broken")
        let working = try fixture.service.registerEndpoint(merchant: fixture.merchant, url: "http://127.0.0.1:9/working")
        _ = try fixture.enqueue(order: "o1")
        #expect(throws: WebhookError.endpointNotFound(broken.endpoint.id)) {
            try fixture.service.deactivateEndpoint(merchant: try MerchantID("m2"), id: broken.endpoint.id)
        }
        let deactivated = try fixture.service.deactivateEndpoint(merchant: fixture.merchant, id: broken.endpoint.id)
        #expect(!deactivated.active)
        #expect(try fixture.service.deactivateEndpoint(merchant: fixture.merchant, id: broken.endpoint.id) == deactivated)
        let transport = FakeTransport()
        _ = try fixture.dispatcher(transport).deliverDue()
        #expect(transport.requests.map(\.url) == [working.endpoint.url], "the pending delivery to the inactive one stays untried")
        let active = Dictionary(uniqueKeysWithValues: try fixture.service.endpoints(merchant: fixture.merchant).map { ($0.id, $0.active) })
        #expect(active == [broken.endpoint.id: false, working.endpoint.id: true])
    }

    @Test("endpoint URLs must be http(s) with a host and at most 2048 bytes")
    func urlValidation() throws {
        let fixture = try WebhookFixture(.sqlite)
        for url in ["ftp://example.com/", "http:///path", "https://user@example.com/", "http://exa mple.com/",
                    "https://example.com/" + String(repeating: "a", count: 2_048)] {
            #expect(throws: WebhookError.self) { try fixture.service.registerEndpoint(merchant: fixture.merchant, url: url) }
        }
        let registered = try fixture.service.registerEndpoint(merchant: fixture.merchant, url: "https://shop.example/hooks?x=1")
        #expect(registered.secret.hasPrefix("whsec_") && registered.secret.count == 49)
        #expect(try fixture.service.endpoints(merchant: fixture.merchant) == [registered.endpoint])
    }

    @Test(
        "an endpoint URL whose port delivery could not use is refused at registration, saying why",
        arguments: ["http://127.0.0.1:0/h", "http://127.0.0.1:-1/h", "http://127.0.0.1:abc/h", "http://127.0.0.1:99999/h",
                    "https://[::1]:65536/h", "http://example.com:/h", "http://example.com:+80/h"])
    func unusablePort(url: String) throws {
        let fixture = try WebhookFixture(.sqlite)
        #expect(throws: WebhookError.invalidURL(url, reason: "the port must be a number from 1 to 65535")) {
            try fixture.service.registerEndpoint(merchant: fixture.merchant, url: url)
        }
        #expect(try fixture.service.endpoints(merchant: fixture.merchant).isEmpty)
    }

    @Test("a real HTTP delivery reaches a local receiver, signed")
    func realHTTPDelivery() throws {
        let fixture = try WebhookFixture(.sqlite)
        let receiver = try WebhookReceiver()
        let endpoint = try fixture.service.registerEndpoint(
            merchant: fixture.merchant, url: "http://127.0.0.1:\(receiver.port)/paylater/webhooks")
        let event = try fixture.enqueue(order: "o1", .planPaidOff)
        let report = try fixture.dispatcher(HTTPWebhookTransport(destinations: .any)).deliverDue()
        #expect(report.delivered.count == 1)
        let request = try #require(receiver.request())
        #expect(request.head.hasPrefix("POST /paylater/webhooks HTTP/1.1\r\n"))
        #expect(request.header("Paylater-Event-Id") == event.id)
        let header = try #require(request.header("Paylater-Signature"))
        try WebhookSignature.verify(header: header, body: request.body, secret: endpoint.secret, now: fixture.store.clock.now())
        let delivery = try fixture.delivery(of: event)
        #expect(delivery.state == .delivered && delivery.lastStatus == 204)
    }
}
