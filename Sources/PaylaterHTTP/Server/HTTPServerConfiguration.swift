import CMicroHTTPD  // Its shim includes <netinet/in.h>; Clang may credit in_addr to it rather than Glibc.
import Glibc

/// How an `HTTPServer` listens and what it limits.
public struct HTTPServerConfiguration: Sendable {
    /// An IPv4 or IPv6 literal; loopback by default.
    public var bindAddress: String = "127.0.0.1"
    /// 0 lets the kernel pick a free port; `HTTPServer.port` says which.
    public var port: UInt16 = 0
    /// Which threads serve requests.
    public var threading: Threading = .perConnection
    /// Bodies longer than this are refused with 413 before (Content-Length) or while (chunked) they arrive.
    public var requestBodyBytesMaximum: Int = 1 << 20
    /// A connection that sends nothing for this many seconds is closed, without an answer: between requests, and
    /// while a request's headers or body arrive. Each byte restarts the count, so a client dribbling its headers
    /// is held no sooner (libmicrohttpd 0.9.75 has no deadline for a whole request); front slow clients with a reverse
    /// proxy, and see `connectionsPerClientMaximum`.
    public var connectionTimeoutSeconds: Int = 30
    /// At most this many connections at once; more are closed at accept, without an answer.
    public var connectionLimit: Int = 1_000
    /// At most this many connections at once from one client address (more are closed at accept), so that one client
    /// holding connections open cannot take all of `connectionLimit`. 256 leaves room for a load generator's or a
    /// proxy's pool of keep-alive connections (the API benchmark opens 28 to 64 from one address); behind a reverse
    /// proxy every connection comes from its address, so keep this at or above the proxy's pool size.
    public var connectionsPerClientMaximum: Int = 256

    public init() {}

    /// Whether `address` is an IPv4 or IPv6 literal, the only bind addresses libmicrohttpd takes (a host name is not
    /// resolved: given one, it fails with an errno that names no cause).
    public static func isAddressLiteral(_ address: String) -> Bool {
        var ipv4 = in_addr()
        var ipv6 = in6_addr()
        return inet_pton(AF_INET, address, &ipv4) == 1 || inet_pton(AF_INET6, address, &ipv6) == 1
    }

    public init(
        bindAddress: String = "127.0.0.1", port: UInt16 = 0, threading: Threading = .perConnection,
        requestBodyBytesMaximum: Int = 1 << 20, connectionTimeoutSeconds: Int = 30, connectionLimit: Int = 1_000,
        connectionsPerClientMaximum: Int = 256
    ) {
        self.bindAddress = bindAddress
        self.port = port
        self.threading = threading
        self.requestBodyBytesMaximum = requestBodyBytesMaximum
        self.connectionTimeoutSeconds = connectionTimeoutSeconds
        self.connectionLimit = connectionLimit
        self.connectionsPerClientMaximum = connectionsPerClientMaximum
    }
}

/// Which threads serve a server's requests.
public enum Threading: Sendable, Equatable {
    /// Each connection has its own thread (at most `connectionLimit`), so a handler that waits (a write waiting for
    /// its group commit) holds up only its own connection. The default: with a pool, libmicrohttpd gives each
    /// connection to one thread for good, and on the API benchmark 16 connections landed on 9 of 16 threads, so
    /// a third of the requests waited behind another connection's while the store's writer stood idle.
    case perConnection
    /// A fixed pool of threads, each serving its connections one request at a time: fewer threads for many idle
    /// connections, when handlers do not wait.
    case pool(threads: Int)
}

/// Why a server did not start.
public enum HTTPServerError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A configuration value is out of range.
    case invalidConfiguration(String)
    /// libmicrohttpd refused to start (address not a literal, port in use, no permission); errno as it left it.
    case startFailed(address: String, port: UInt16, errno: Int32)

    public var description: String {
        switch self {
        case let .invalidConfiguration(reason): "invalid HTTP server configuration: \(reason)"
        case let .startFailed(address, port, code):
            "cannot listen on \(address):\(port): \(String(cString: strerror(code))) (errno \(code))"
        }
    }
}
