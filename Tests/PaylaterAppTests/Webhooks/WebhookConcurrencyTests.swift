import Foundation
import Glibc
import PaylaterApp
import PaylaterLedger
import PaylaterStore
import PaylaterTestSupport
import PaylaterTime
import Synchronization
import Testing

/// A merchant endpoint that never answers: the kernel accepts the connection into the backlog, nobody reads it.
private struct HangingEndpoint: ~Copyable {
    let listener: LoopbackListener
    var url: String { "http://127.0.0.1:\(listener.port)/hangs" }

    init() throws { listener = try LoopbackListener() }
    deinit { close(listener.descriptor) }

    /// Whether a sender has connected (its connection waits in the backlog, unaccepted) within ten seconds: its
    /// request is then in flight.
    func sawConnection() -> Bool {
        var descriptor = pollfd(fd: listener.descriptor, events: Int16(POLLIN), revents: 0)
        return poll(&descriptor, 1, 10_000) == 1
    }
}

@Suite("Webhook delivery to several endpoints at once")
struct WebhookConcurrencyTests {
    /// A dispatcher whose requests time out after `timeout`, over real HTTP.
    private func dispatcher(_ fixture: WebhookFixture, timeout: Duration) -> WebhookDispatcher {
        WebhookDispatcher(
            database: fixture.store.database, clock: fixture.store.clock, transport: HTTPWebhookTransport(destinations: .any),
            timeout: timeout, random: SplitMix64(seed: 1))
    }

    @Test("in one round, a merchant's event arrives at once while another merchant's endpoint hangs")
    func oneRoundIsNotHeldByAHangingEndpoint() throws {
        let fixture = try WebhookFixture(.sqlite)
        let hanging = try HangingEndpoint()
        let prompt = try WebhookReceiver()
        let slowMerchant = try MerchantID("m0")
        _ = try fixture.service.registerEndpoint(merchant: slowMerchant, url: hanging.url)
        _ = try fixture.service.registerEndpoint(merchant: fixture.merchant, url: "http://127.0.0.1:\(prompt.port)/ok")
        let stuck = try fixture.enqueue(order: "b1", merchant: slowMerchant)
        fixture.store.clock.advance(by: .seconds(1))
        let event = try fixture.enqueue(order: "a1")

        let started = ContinuousClock.now
        let round = Thread.detachedResult { try dispatcher(fixture, timeout: .seconds(3)).deliverDue() }
        let request = try #require(prompt.request())
        #expect(ContinuousClock.now - started < .seconds(2), "the prompt endpoint did not wait for the hanging one")
        #expect(request.header("Paylater-Event-Id") == event.id)

        let report = try round.get()
        #expect(report.claimed == 2 && report.delivered.map(\.eventID) == [event.id] && report.retrying == 1)
        #expect(try fixture.service.deliveries(merchant: slowMerchant, eventID: stuck.id).first?.lastError == "timed out")
    }

    @Test("the server's lanes send a later event to another endpoint while an earlier one still hangs")
    func lanesAreNotHeldByAHangingEndpoint() throws {
        let fixture = try WebhookFixture(.sqlite)
        let hanging = try HangingEndpoint()
        let prompt = try WebhookReceiver()
        let slowMerchant = try MerchantID("m0")
        _ = try fixture.service.registerEndpoint(merchant: slowMerchant, url: hanging.url)
        _ = try fixture.service.registerEndpoint(merchant: fixture.merchant, url: "http://127.0.0.1:\(prompt.port)/ok")
        let lanes = WebhookDeliveryLanes(dispatcher: dispatcher(fixture, timeout: .seconds(3)))
        for order in 1...2 { try fixture.enqueue(order: "b\(order)", merchant: slowMerchant) }
        #expect(try lanes.dispatchDue() == 2, "the slow merchant's two orders are in its lane")

        let event = try fixture.enqueue(order: "a1")
        let started = ContinuousClock.now
        #expect(try lanes.dispatchDue() == 1, "a pass while the lane hangs claims only the other endpoint's")
        let request = try #require(prompt.request())
        #expect(ContinuousClock.now - started < .seconds(2))
        #expect(request.header("Paylater-Event-Id") == event.id)
        lanes.waitUntilIdle()
        let slow = try fixture.service.deliveries(merchant: slowMerchant)
        #expect(slow.count == 2)
        #expect(slow.allSatisfy { delivery in delivery.state == .pending && delivery.attempts == 1 })
        #expect(slow.allSatisfy { delivery in delivery.lastError == "timed out" })
    }

    @Test("stopped lanes finish the delivery in flight and give the rest back, due at once, instead of sending on for a timeout each", arguments: StoreKind.available)
    func stoppedLanesGiveBackWhatTheyClaimed(kind: StoreKind) throws {
        let fixture = try WebhookFixture(kind)
        let hanging = try HangingEndpoint()
        _ = try fixture.service.registerEndpoint(merchant: fixture.merchant, url: hanging.url)
        for order in 1...3 { try fixture.enqueue(order: "o\(order)") }
        let lanes = WebhookDeliveryLanes(dispatcher: dispatcher(fixture, timeout: .seconds(2)))
        #expect(try lanes.dispatchDue() == 3, "three orders' events, one endpoint: one lane")
        // Stopped once the first request is in flight: a fixed pause could end before a loaded machine had even
        // started the lane, which would then give back all three.
        let sent = hanging.sawConnection()
        #expect(sent, "the lane never sent its first delivery")
        lanes.stop()
        lanes.waitUntilIdle()
        // Only the delivery in flight was tried (one timeout, not three).
        let deliveries = try fixture.service.deliveries(merchant: fixture.merchant)
        #expect(deliveries.map(\.attempts).sorted() == [0, 0, 1])
        let now = fixture.store.clock.now()
        let givenBack = deliveries.filter { $0.attempts == 0 }
        #expect(givenBack.allSatisfy { delivery in delivery.state == .pending && delivery.nextAttemptAt.map { $0 <= now } == true }, "\(givenBack)")
    }

    @Test("one endpoint's deliveries go one at a time, in the order claimed", arguments: StoreKind.available)
    func oneEndpointAtATime(kind: StoreKind) throws {
        let fixture = try WebhookFixture(kind)
        _ = try fixture.service.registerEndpoint(merchant: fixture.merchant, url: "http://127.0.0.1:9/one")
        var events: [WebhookEventRecord] = []
        for order in 1...5 {
            events.append(try fixture.enqueue(order: "o\(order)"))
            fixture.store.clock.advance(by: .milliseconds(1))
        }
        let transport = FakeTransport(delay: .milliseconds(20))
        let report = try fixture.dispatcher(transport).deliverDue()
        #expect(report.delivered.map(\.eventID) == events.map(\.id))
        #expect(transport.requests.map(\.eventID) == events.map(\.id))
    }
}

extension Thread {
    /// Runs `body` on a new thread; `get()` waits for its result.
    static func detachedResult<T: Sendable>(_ body: @escaping @Sendable () throws -> T) -> DetachedResult<T> {
        let result = DetachedResult<T>()
        Thread.detachNewThread { result.set(Result { try body() }) }
        return result
    }
}

/// The result of `Thread.detachedResult`, once there.
final class DetachedResult<T: Sendable>: Sendable {
    private let value = Mutex<Result<T, any Error>?>(nil)
    private let done = DispatchSemaphore(value: 0)

    func set(_ result: Result<T, any Error>) {
        value.withLock { $0 = result }
        done.signal()
    }

    func get() throws -> T {
        done.wait()
        return try value.withLock { $0! }.get()
    }
}

@Suite("Delivering everything due now")
struct WebhookDeliverAllDueTests {
    @Test("one run sends an order's queued events, one after another, in sequence", arguments: StoreKind.available)
    func anOrdersQueuedEventsAllLeave(kind: StoreKind) throws {
        let fixture = try WebhookFixture(kind)
        _ = try fixture.service.registerEndpoint(merchant: fixture.merchant, url: "http://127.0.0.1:9/hooks")
        let events = [
            try fixture.enqueue(order: "o1", .orderAuthorized), try fixture.enqueue(order: "o1", .orderCaptured),
            try fixture.enqueue(order: "o1", .orderRefunded),
        ]
        let transport = FakeTransport()
        let report = try fixture.dispatcher(transport).deliverAllDue()
        #expect(report.claimed == 3 && report.delivered.map(\.eventID) == events.map(\.id))
        #expect(transport.requests.map(\.eventID) == events.map(\.id))
    }

    @Test("a failing endpoint ends the run: its next attempt is later, and the order's later events wait", arguments: StoreKind.available)
    func aFailureEndsTheRun(kind: StoreKind) throws {
        let fixture = try WebhookFixture(kind)
        _ = try fixture.service.registerEndpoint(merchant: fixture.merchant, url: "http://127.0.0.1:9/hooks")
        for type in [WebhookEventType.orderAuthorized, .orderCaptured] { try fixture.enqueue(order: "o1", type) }
        let transport = FakeTransport { _ in .success(500) }
        let report = try fixture.dispatcher(transport).deliverAllDue()
        #expect(report.claimed == 1 && report.retrying == 1 && transport.requests.count == 1)
    }
}
