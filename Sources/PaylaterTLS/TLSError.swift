/// Why a TLS connection could not be set up or used. Messages carry OpenSSL's own text (its error queue, or the
/// certificate verification result) so an operator can act on them.
public enum TLSError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The client context could not be built, e.g. the trusted-certificates file is missing or not PEM.
    case configuration(String)
    /// The server's certificate chain or name did not verify (`X509_verify_cert_error_string`'s reason).
    case verificationFailed(String)
    /// The handshake failed for another reason: protocol version, alert from the server, connection closed.
    case handshakeFailed(String)
    /// Reading or writing application data failed after the handshake.
    case ioFailed(String)
    /// The deadline passed while waiting for the socket.
    case timedOut

    public var description: String {
        switch self {
        case let .configuration(message): "TLS configuration: \(message)"
        case let .verificationFailed(message): "TLS certificate verify failed: \(message)"
        case let .handshakeFailed(message): "TLS handshake failed: \(message)"
        case let .ioFailed(message): "TLS connection failed: \(message)"
        case .timedOut: "TLS timed out"
        }
    }
}
