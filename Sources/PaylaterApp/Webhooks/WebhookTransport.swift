/// Why a webhook request got no HTTP response.
public enum WebhookTransportError: Error, Equatable, Sendable, CustomStringConvertible {
    case invalidURL(String)
    /// The host name did not resolve (`getaddrinfo`'s message).
    case resolutionFailed(host: String, message: String)
    /// No address of the host accepted a connection (the last `errno` text).
    case connectionFailed(String)
    case timedOut
    /// The connection broke while sending or receiving (`errno` text).
    case ioFailed(String)
    /// The server closed the connection without sending a byte of a response.
    case closedBeforeResponse
    /// The response did not start with an HTTP/1.x status line.
    case malformedResponse
    /// An `https://` connection failed in TLS: the handshake, certificate or host-name verification, or the
    /// encrypted stream (OpenSSL's reason). A TLS timeout is `.timedOut`.
    case tls(String)
    /// Every address the host resolved to is one webhooks may not be sent to (`WebhookDestinations`): the last one.
    case destinationRefused(host: String, address: String)

    public var description: String {
        switch self {
        case let .invalidURL(url): "not a usable URL: \(url)"
        case let .resolutionFailed(host, message): "cannot resolve \(host): \(message)"
        case let .connectionFailed(message): "cannot connect: \(message)"
        case .timedOut: "timed out"
        case let .ioFailed(message): "connection failed: \(message)"
        case .closedBeforeResponse: "the connection was closed before a response"
        case .malformedResponse: "the response is not HTTP/1.x"
        case let .tls(message): message
        case let .destinationRefused(host, address):
            "\(host) resolves to \(address), which is not a public address; webhooks go to public addresses only"
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
