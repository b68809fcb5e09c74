import CMicroHTTPD
import Glibc
import Synchronization

/// An HTTP/1.1 server on libmicrohttpd: a thread per connection (or a pool of threads, see `Threading`) reads
/// requests, accumulates each body up to the configured limit, and calls the handler once per complete request.
///
/// The server runs from `init` until `shutdown(grace:)`. Every answered request is counted in `metrics`
/// (`http_requests_total`, `http_request_duration_seconds`) and written to the access log.
public final class HTTPServer: Sendable {
    /// The port the server listens on (the kernel's choice when the configuration said 0).
    public let port: UInt16
    public let configuration: HTTPServerConfiguration
    /// The registry the server records into; the application may add its own families to it.
    public let metrics: MetricsRegistry
    private let core: ServerCore
    private let daemon: Mutex<DaemonHandle?>

    /// Starts listening and serving with `handler`.
    public init(
        configuration: HTTPServerConfiguration = HTTPServerConfiguration(), handler: some HTTPHandler,
        accessLog: any AccessLogSink = DiscardingAccessLogSink(), metrics: MetricsRegistry = MetricsRegistry()
    ) throws(HTTPServerError) {
        try Self.validate(configuration)
        let core = ServerCore(
            handler: handler, bodyBytesMaximum: configuration.requestBodyBytesMaximum, accessLog: accessLog, metrics: metrics
        )
        let context = Unmanaged.passRetained(core).toOpaque()  // Released after MHD_stop_daemon.
        let started = configuration.bindAddress.withCString { address in
            var settings = cmhd_settings(
                bind_address: address, port: configuration.port, thread_count: configuration.threading.poolThreadCount,
                connection_timeout_seconds: UInt32(configuration.connectionTimeoutSeconds),
                connection_limit: UInt32(configuration.connectionLimit),
                per_ip_connection_limit: UInt32(configuration.connectionsPerClientMaximum)
            )
            return cmhd_start(&settings, mhdAccessHandler, context, mhdRequestCompleted, context, mhdKeepEscapes)
        }
        guard let started else {
            let code = errno
            Unmanaged<ServerCore>.fromOpaque(context).release()
            throw .startFailed(address: configuration.bindAddress, port: configuration.port, errno: code)
        }
        self.core = core
        self.configuration = configuration
        self.metrics = metrics
        self.port = cmhd_bound_port(started)
        self.daemon = Mutex(DaemonHandle(daemon: started, context: context))
    }

    /// Starts listening and serving with a closure.
    public convenience init(
        configuration: HTTPServerConfiguration = HTTPServerConfiguration(),
        accessLog: any AccessLogSink = DiscardingAccessLogSink(), metrics: MetricsRegistry = MetricsRegistry(),
        handler: @escaping @Sendable (HTTPRequest) -> HTTPResponse
    ) throws(HTTPServerError) {
        try self.init(configuration: configuration, handler: ClosureHTTPHandler(handler), accessLog: accessLog, metrics: metrics)
    }

    deinit { shutdown(grace: .zero) }

    /// Requests whose headers have arrived and that have not finished.
    public var inFlightRequestCount: Int { core.inFlight.withLock { $0 } }

    /// Whether `shutdown(grace:)` has been called.
    public var isShutDown: Bool { daemon.withLock { $0 == nil } }

    /// Stops accepting connections, waits up to `grace` for requests in flight, then stops the worker threads and
    /// closes every connection. New connections are refused from the start (the listening socket leaves the LISTEN
    /// state, so a load balancer fails over at once instead of queueing clients in the backlog for the whole drain).
    /// A handler still running when `grace` ends is waited for (a thread cannot be interrupted), but no new request
    /// starts. Calling it again does nothing.
    public func shutdown(grace: Duration = .seconds(10)) {
        guard let handle = daemon.withLock({ handle in defer { handle = nil }; return handle }) else { return }
        core.shuttingDown.store(true, ordering: .relaxed)
        // The daemon was started with MHD_USE_ITC, which quiescing a daemon with its own threads requires.
        let listenSocket = MHD_quiesce_daemon(handle.daemon)
        // Shut down rather than closed: a thread may still be polling the descriptor until it sees the quiesce, so its
        // number must not be reused before MHD_stop_daemon; on Linux a shut-down listening socket refuses new
        // connections and resets those waiting in its backlog.
        if listenSocket >= 0 { _ = Glibc.shutdown(listenSocket, Int32(SHUT_RDWR)) }
        let deadline = ContinuousClock.now + grace
        while core.inFlight.withLock({ $0 }) > 0, ContinuousClock.now < deadline {
            usleep(2_000)
        }
        MHD_stop_daemon(handle.daemon)
        if listenSocket >= 0 { close(listenSocket) }  // After quiescing, the socket is ours to close.
        Unmanaged<ServerCore>.fromOpaque(handle.context).release()
    }

    /// The most connections, and so threads, a server with a thread per connection accepts.
    public static let threadsPerConnectionMaximum = 4_096

    private static func validate(_ configuration: HTTPServerConfiguration) throws(HTTPServerError) {
        guard HTTPServerConfiguration.isAddressLiteral(configuration.bindAddress) else {
            throw .invalidConfiguration("'\(configuration.bindAddress)' is not an IPv4 or IPv6 address")
        }
        if case let .pool(threads) = configuration.threading, !(1...1_024).contains(threads) {
            throw .invalidConfiguration("a pool of \(threads) threads is outside 1...1024")
        }
        guard configuration.requestBodyBytesMaximum >= 0 else {
            throw .invalidConfiguration("requestBodyBytesMaximum cannot be negative")
        }
        guard (0...86_400).contains(configuration.connectionTimeoutSeconds) else {
            throw .invalidConfiguration("connectionTimeoutSeconds \(configuration.connectionTimeoutSeconds) is outside 0...86400")
        }
        if configuration.threading == .perConnection, configuration.connectionLimit > Self.threadsPerConnectionMaximum {
            throw .invalidConfiguration(
                "a thread per connection allows at most \(Self.threadsPerConnectionMaximum) connections, not \(configuration.connectionLimit)")
        }
        guard (1...1_000_000).contains(configuration.connectionLimit) else {
            throw .invalidConfiguration("connectionLimit \(configuration.connectionLimit) is outside 1...1000000")
        }
        guard (1...configuration.connectionLimit).contains(configuration.connectionsPerClientMaximum) else {
            throw .invalidConfiguration(
                "connectionsPerClientMaximum \(configuration.connectionsPerClientMaximum) is outside 1...\(configuration.connectionLimit) (connectionLimit)")
        }
    }
}

/// The running daemon and the retained context its callbacks use; only touched under the server's lock.
private struct DaemonHandle: @unchecked Sendable {
    let daemon: OpaquePointer
    let context: UnsafeMutableRawPointer
}

extension Threading {
    /// What the daemon is started with: the pool's size, or 0 for a thread per connection.
    fileprivate var poolThreadCount: UInt32 {
        switch self {
        case .perConnection: 0
        case let .pool(threads): UInt32(threads)
        }
    }
}
