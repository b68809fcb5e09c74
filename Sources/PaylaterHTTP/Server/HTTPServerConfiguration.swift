import Glibc

/// How an `HTTPServer` listens and what it limits.
public struct HTTPServerConfiguration: Sendable {
    /// An IPv4 or IPv6 literal; loopback by default.
    public var bindAddress: String = "127.0.0.1"
    /// 0 lets the kernel pick a free port; `HTTPServer.port` says which.
    public var port: UInt16 = 0
    /// Worker threads in libmicrohttpd's pool; each handles its connections' requests one at a time.
    public var threadCount: Int = max(1, sysconf(Int32(_SC_NPROCESSORS_ONLN)))
    /// Bodies longer than this are refused with 413 before (Content-Length) or while (chunked) they arrive.
    public var requestBodyBytesMaximum: Int = 1 << 20
    /// An idle connection is closed after this many seconds.
    public var connectionTimeoutSeconds: Int = 30
    /// At most this many connections at once; more are refused at accept.
    public var connectionLimit: Int = 1_000

    public init() {}

    public init(
        bindAddress: String = "127.0.0.1", port: UInt16 = 0, threadCount: Int? = nil,
        requestBodyBytesMaximum: Int = 1 << 20, connectionTimeoutSeconds: Int = 30, connectionLimit: Int = 1_000
    ) {
        self.bindAddress = bindAddress
        self.port = port
        if let threadCount { self.threadCount = threadCount }
        self.requestBodyBytesMaximum = requestBodyBytesMaximum
        self.connectionTimeoutSeconds = connectionTimeoutSeconds
        self.connectionLimit = connectionLimit
    }
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
