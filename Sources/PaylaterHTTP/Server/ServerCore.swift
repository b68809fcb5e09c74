import Glibc
import Synchronization

/// What libmicrohttpd's callbacks reach through their context pointer: the handler, limits, log, metrics and the
/// count of requests in flight. The daemon holds one retain on it from start to stop.
final class ServerCore: Sendable {
    let handler: any HTTPHandler
    let bodyBytesMaximum: Int
    let accessLog: any AccessLogSink
    let requestsTotal: Counter
    let requestDuration: Histogram
    let inFlight = Mutex<Int>(0)
    let shuttingDown = Atomic<Bool>(false)
    private let requestSequence = Atomic<UInt64>(0)
    private let requestIDPrefix: String

    /// The `route` label of requests no route answered.
    static let unmatchedRoute = "unmatched"

    /// A chunked body (no `Content-Length` to refuse up front) that passes `bodyBytesMaximum` is read on and
    /// dropped up to this many times the limit, so that the client gets its 413 problem (libmicrohttpd queues a
    /// response only once the body is in); one longer than that has its connection closed.
    static let oversizedBodyReadFactor = 8

    init(handler: any HTTPHandler, bodyBytesMaximum: Int, accessLog: any AccessLogSink, metrics: MetricsRegistry) {
        self.handler = handler
        self.bodyBytesMaximum = bodyBytesMaximum
        self.accessLog = accessLog
        requestsTotal = metrics.counter(
            "http_requests_total", help: "HTTP requests answered, by method, route template and status.",
            labelNames: ["method", "route", "status"]
        )
        requestDuration = metrics.histogram(
            "http_request_duration_seconds", help: "Time from request headers to response sent, by route template.",
            labelNames: ["route"]
        )
        var generator = SystemRandomNumberGenerator()
        requestIDPrefix = String(generator.next() as UInt32, radix: 16)
    }

    /// The client's `X-Request-Id` when it is 1 to 128 of `[A-Za-z0-9._-]`, else a new id unique in this process.
    func requestID(proposed: String?) -> String {
        if let proposed, (1...128).contains(proposed.utf8.count),
            proposed.utf8.allSatisfy({ $0.isASCIIAlphanumeric || $0 == 46 || $0 == 95 || $0 == 45 })
        {
            return proposed
        }
        let sequence = requestSequence.wrappingAdd(1, ordering: .relaxed).newValue
        return "\(requestIDPrefix)-\(String(sequence, radix: 16))"
    }

    /// Records a request whose response was queued (metrics and access log), then forgets it as in flight.
    func finish(_ context: RequestContext) {
        if let status = context.status {
            let route = context.route ?? Self.unmatchedRoute
            let elapsed = ContinuousClock.now - context.started
            let microseconds = elapsed.components.seconds * 1_000_000 + elapsed.components.attoseconds / 1_000_000_000_000
            requestsTotal.increment(labels: [context.method.metricsLabel, route, String(status)])
            requestDuration.observe(Double(microseconds) / 1_000_000, labels: [route])
            var now = timespec()
            clock_gettime(CLOCK_REALTIME, &now)
            accessLog.record(
                AccessLogRecord(
                    finishedAtSecondsSince1970: Double(now.tv_sec) + Double(now.tv_nsec) / 1_000_000_000,
                    requestID: context.requestID, method: context.method.description, path: context.path, route: route,
                    status: status, bytesIn: context.bytesIn, bytesOut: context.bytesOut,
                    durationMicroseconds: microseconds, remoteAddress: context.remoteAddress
                )
            )
        }
        inFlight.withLock { $0 -= 1 }
    }
}

/// One request's state between libmicrohttpd's callbacks: the body so far and, once answered, what the log needs.
/// Only the connection's worker thread touches it.
final class RequestContext {
    let started = ContinuousClock.now
    let method: HTTPMethod
    /// The path as sent, escapes and all: what the access log shows.
    let path: String
    /// The path's segments between `/`s, each percent-decoded.
    var pathSegments: [String] = []
    let requestID: String
    let remoteAddress: String
    var body: [UInt8] = []
    var bytesIn = 0
    /// The body passed the limit: what still arrives is dropped, and the request is answered 413 at its end.
    var bodyTooLarge = false
    /// The answer closes the connection: the request's framing leaves where the next one starts unknown.
    var closesConnection = false
    var status: Int?
    var route: String?
    var bytesOut = 0

    init(method: HTTPMethod, path: String, requestID: String, remoteAddress: String) {
        self.method = method
        self.path = path
        self.requestID = requestID
        self.remoteAddress = remoteAddress
    }
}

extension UInt8 {
    var isASCIIAlphanumeric: Bool { (48...57).contains(self) || (65...90).contains(self) || (97...122).contains(self) }
}
