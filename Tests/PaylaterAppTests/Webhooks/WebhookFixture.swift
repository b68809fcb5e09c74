import Foundation
import PaylaterApp
import PaylaterLedger
import PaylaterStore
import PaylaterTestSupport
import PaylaterTime
import Synchronization

/// Merchant m1 with one endpoint, on a store migrated to the webhooks schema. Endpoints may point anywhere (the tests'
/// receivers are on loopback), unless `destinations` says otherwise.
struct WebhookFixture {
    let store: TestStore
    let service: WebhookService
    let merchant: MerchantID

    init(_ kind: StoreKind, destinations: WebhookDestinations = .any) throws {
        store = try TestStore(kind)
        service = WebhookService(database: store.database, clock: store.clock, destinations: destinations)
        merchant = try MerchantID("m1")
    }

    func dispatcher(
        _ transport: any WebhookTransport, seed: UInt64 = 7, policy: WebhookRetryPolicy = WebhookRetryPolicy()
    ) -> WebhookDispatcher {
        WebhookDispatcher(
            database: store.database, clock: store.clock, transport: transport, policy: policy, timeout: .seconds(5),
            random: SplitMix64(seed: seed))
    }

    @discardableResult
    func enqueue(order: String, _ type: WebhookEventType = .orderCaptured, merchant: MerchantID? = nil) throws -> WebhookEventRecord {
        let event = NewWebhookEvent(
            merchantID: merchant ?? self.merchant, orderID: order, type: type, data: #"{"amount":{"amount":40000,"currency":"CNY"}}"#)
        let now = store.clock.now()
        return try store.database.write { try WebhookOutbox.enqueue(event, in: $0, at: now) }
    }

    func delivery(of event: WebhookEventRecord) throws -> WebhookDeliveryRecord {
        let deliveries = try service.deliveries(merchant: merchant, eventID: event.id)
        guard deliveries.count == 1 else { throw TestStoreError("expected one delivery, found \(deliveries.count)") }
        return deliveries[0]
    }
}

/// One request a fake transport received.
struct ReceivedWebhook: Sendable {
    var url: String
    var headers: [String: String]
    var body: [UInt8]
    var eventID: String { headers["Paylater-Event-Id"] ?? "" }
}

/// A transport that records requests and answers with `respond`, after `delay`.
final class FakeTransport: WebhookTransport {
    let received = Mutex<[ReceivedWebhook]>([])
    private let delay: Duration
    private let respond: @Sendable (Int) -> Result<Int, WebhookTransportError>

    /// `respond` gets the request's index (0 for the first).
    init(delay: Duration = .zero, respond: @escaping @Sendable (Int) -> Result<Int, WebhookTransportError> = { _ in .success(200) }) {
        self.delay = delay
        self.respond = respond
    }

    func post(
        url: String, headers: [(name: String, value: String)], body: [UInt8], timeout: Duration
    ) -> Result<Int, WebhookTransportError> {
        let request = ReceivedWebhook(
            url: url, headers: Dictionary(headers.map { ($0.name, $0.value) }, uniquingKeysWith: { $1 }), body: body)
        let index = received.withLock { list in
            list.append(request)
            return list.count - 1
        }
        if delay > .zero { Thread.sleep(forTimeInterval: Double(delay.components.seconds) + Double(delay.components.attoseconds) * 1e-18) }
        return respond(index)
    }

    var requests: [ReceivedWebhook] { received.withLock { $0 } }
}
