/// Why a webhook request got no HTTP response.
public enum WebhookTransportError: Error, Equatable, Sendable, CustomStringConvertible {
    case invalidURL(String)
    /// Only `http://` is supported: libssl is not linked yet, so `https://` cannot be sent.
    case unsupportedScheme(String)
    /// The host name did not resolve (`getaddrinfo`'s message).
    case resolutionFailed(host: String, message: String)
    /// No address of the host accepted a connection (the last `errno` text).
    case connectionFailed(String)
    case timedOut
    /// The connection broke while sending or receiving (`errno` text).
    case ioFailed(String)
    /// The response did not start with an HTTP/1.x status line.
    case malformedResponse

    public var description: String {
        switch self {
        case let .invalidURL(url): "not a usable URL: \(url)"
        case let .unsupportedScheme(scheme): "\(scheme):// is not supported yet (no TLS); use http:// or wait for TLS support"
        case let .resolutionFailed(host, message): "cannot resolve \(host): \(message)"
        case let .connectionFailed(message): "cannot connect: \(message)"
        case .timedOut: "timed out"
        case let .ioFailed(message): "connection failed: \(message)"
        case .malformedResponse: "the response is not HTTP/1.x"
        }
    }
}

/// Sends one webhook request and reports the response's status code, or why there was none.
///
/// Implementations block the calling thread for at most `timeout`; the dispatcher calls them outside any
/// database transaction.
public protocol WebhookTransport: Sendable {
    func post(
        url: String, headers: [(name: String, value: String)], body: [UInt8], timeout: Duration
    ) -> Result<Int, WebhookTransportError>
}
