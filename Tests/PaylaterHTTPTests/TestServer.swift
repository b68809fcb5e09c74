import Foundation
import PaylaterHTTP
import PaylaterTestSupport
import Synchronization

/// An error no route expects, to see it become a 500.
struct UnexpectedFault: Error {}

/// Counts handler calls, to prove some requests never reach one.
final class CallCounter: Sendable {
    private let count = Mutex(0)
    func increment() { count.withLock { $0 += 1 } }
    var value: Int { count.withLock { $0 } }
}

/// A real server on 127.0.0.1 and a port the kernel picked, with a small order API.
struct TestServer {
    let server: HTTPServer
    let client: HTTPTestClient
    let log: InMemoryAccessLogSink
    let metrics: MetricsRegistry
    let calls: CallCounter

    init(bodyLimit: Int = 1 << 20) throws {
        let calls = CallCounter()
        let metrics = MetricsRegistry()
        let log = InMemoryAccessLogSink()
        let router = Self.router(calls: calls, metrics: metrics)
        let configuration = HTTPServerConfiguration(requestBodyBytesMaximum: bodyLimit, connectionTimeoutSeconds: 5)
        server = try HTTPServer(configuration: configuration, handler: router, accessLog: log, metrics: metrics)
        client = HTTPTestClient(port: server.port)
        self.log = log
        self.metrics = metrics
        self.calls = calls
    }

    static func router(calls: CallCounter, metrics: MetricsRegistry) -> Router {
        var router = Router()
        router.get("/v1/orders/{id}") { _, parameters in
            calls.increment()
            return .json(.object(["id": .string(parameters.require("id"))]))
        }
        router.get("/v1/orders/search") { _, _ in
            calls.increment()
            return .json(.object(["search": .bool(true)]))
        }
        router.post("/v1/orders") { request, _ in
            calls.increment()
            let body = try JSONObjectReader(request: request)
            try body.rejectUnknownKeys(allowed: ["amount", "currency", "items", "capture", "note"])
            let items = try body.objects("items")
            var skus: [JSONValue] = []
            for item in items {
                try item.rejectUnknownKeys(allowed: ["sku", "quantity"])
                skus.append(.string(try item.string("sku")))
                _ = try item.integer("quantity")
            }
            return .json(
                .object([
                    "amount": .integer(try body.integer("amount")), "currency": .string(try body.string("currency")),
                    "capture": .bool(try body.optionalBool("capture") ?? false), "skus": .array(skus),
                ]),
                status: 201
            )
        }
        router.post("/v1/orders/{id}/captures") { _, parameters in
            calls.increment()
            return .json(.object(["captured": .string(parameters.require("id"))]), status: 201)
        }
        router.get("/boom") { _, _ in
            calls.increment()
            throw UnexpectedFault()
        }
        router.get("/metrics") { _, _ in metrics.response() }
        return router
    }
}

/// The members of a problem+json (or JSON) body.
func jsonObject(_ response: HTTPTestClient.Response) -> [String: Any] {
    (try? JSONSerialization.jsonObject(with: Data(response.body))) as? [String: Any] ?? [:]
}

func problemType(_ response: HTTPTestClient.Response) -> String? { jsonObject(response)["type"] as? String }

func problemField(_ response: HTTPTestClient.Response) -> String? { jsonObject(response)["field"] as? String }

let problemPrefix = "https://paylater.dev/problems/"
