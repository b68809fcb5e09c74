internal import CSSL

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The settings every client connection shares (OpenSSL's `SSL_CTX`): TLS 1.2 or newer, the server's certificate
/// verified against the system CA store (OpenSSL's default verify paths; Debian's `ca-certificates`) or, when
/// `trustedCertificates` is given, against the certificates of that PEM file only.
///
/// Build one and reuse it: loading the CA store is the expensive part. It is immutable once built, and OpenSSL allows
/// connections to be made from it on several threads at once.
public final class TLSClientContext: @unchecked Sendable {
    /// `SSL_CTX *`.
    fileprivate let context: OpaquePointer
    /// `BIO_METHOD *` of the shim's MSG_NOSIGNAL socket BIO.
    fileprivate let socketMethod: OpaquePointer

    public init(trustedCertificates: String? = nil) throws(TLSError) {
        ERR_clear_error()
        guard let context = SSL_CTX_new(TLS_client_method()) else {
            throw .configuration(OpenSSLErrors.take(or: "SSL_CTX_new failed"))
        }
        guard let socketMethod = paylater_socket_bio_method_new() else {
            SSL_CTX_free(context)
            throw .configuration(OpenSSLErrors.take(or: "BIO_meth_new failed"))
        }
        self.context = context
        self.socketMethod = socketMethod
        // From here on `deinit` frees both.
        guard paylater_ssl_ctx_set_minimum_tls12(context) == 1 else {
            throw .configuration(OpenSSLErrors.take(or: "cannot require TLS 1.2"))
        }
        SSL_CTX_set_verify(context, SSL_VERIFY_PEER, nil)
        if let trustedCertificates {
            guard SSL_CTX_load_verify_locations(context, trustedCertificates, nil) == 1 else {
                throw .configuration(
                    "cannot load trusted certificates from \(trustedCertificates): "
                        + OpenSSLErrors.take(or: "no certificate found"))
            }
        } else {
            guard SSL_CTX_set_default_verify_paths(context) == 1 else {
                throw .configuration("cannot load the system CA store: " + OpenSSLErrors.take(or: "unknown error"))
            }
        }
    }

    deinit {
        SSL_CTX_free(context)
        BIO_meth_free(socketMethod)
    }

    /// Runs the TLS handshake over `socket`, an already-connected TCP socket, and verifies that the server's
    /// certificate chains to a trusted CA and names `host` (a DNS name, sent as SNI too, or an IP address literal,
    /// matched against the certificate's IP addresses).
    ///
    /// The socket is switched to non-blocking mode; every wait is a `poll` bounded by `deadline`. The connection
    /// does not own the socket: close it after the connection is done with.
    public func connect(socket: Int32, host: String, deadline: ContinuousClock.Instant) throws(TLSError) -> TLSConnection {
        try TLSConnection(context: self, socket: socket, host: host, deadline: deadline)
    }
}

/// One client-side TLS session over a socket, made by `TLSClientContext.connect`. Not for use by two threads at once.
public final class TLSConnection {
    private let context: TLSClientContext
    /// `SSL *`; it owns the socket BIO, not the socket.
    private let ssl: OpaquePointer
    private let socket: Int32
    private let host: String

    fileprivate init(context: TLSClientContext, socket: Int32, host: String, deadline: ContinuousClock.Instant) throws(TLSError) {
        ERR_clear_error()
        guard let ssl = SSL_new(context.context) else { throw .configuration(OpenSSLErrors.take(or: "SSL_new failed")) }
        guard let bio = paylater_socket_bio_new(context.socketMethod, socket) else {
            SSL_free(ssl)
            throw .configuration(OpenSSLErrors.take(or: "BIO_new failed"))
        }
        SSL_set_bio(ssl, bio, bio)
        self.context = context
        self.ssl = ssl
        self.socket = socket
        self.host = host
        // From here on `deinit` frees `ssl`.
        if Self.isIPAddress(host) {
            // No SNI for address literals (RFC 6066); the certificate must list the address.
            guard X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(ssl), host) == 1 else {
                throw .configuration(OpenSSLErrors.take(or: "cannot verify against IP address \(host)"))
            }
        } else {
            guard paylater_ssl_set_server_name(ssl, host) == 1, SSL_set1_host(ssl, host) == 1 else {
                throw .configuration(OpenSSLErrors.take(or: "cannot use host name \(host)"))
            }
        }
        let flags = fcntl(socket, F_GETFL)
        guard flags >= 0, fcntl(socket, F_SETFL, flags | O_NONBLOCK) == 0 else {
            throw .configuration("cannot make the socket non-blocking: \(String(cString: strerror(errno)))")
        }
        switch perform(deadline: deadline, { SSL_connect(ssl) }) {
        case .success: break
        case let .failure(failure):
            let verification = SSL_get_verify_result(ssl)
            if verification != Int(X509_V_OK) {
                throw .verificationFailed("\(String(cString: X509_verify_cert_error_string(verification))) (\(host))")
            }
            switch failure {
            case .timedOut: throw .timedOut
            case .closed: throw .handshakeFailed("the server closed the connection (\(host))")
            case let .failed(message): throw .handshakeFailed("\(message) (\(host))")
            }
        }
    }

    deinit { SSL_free(ssl) }

    /// Writes all of `bytes`.
    public func write(_ bytes: [UInt8], deadline: ContinuousClock.Instant) throws(TLSError) {
        let ssl = self.ssl
        let result: Result<Void, TLSError> = bytes.withUnsafeBytes { buffer in
            var offset = 0
            while offset < buffer.count {
                // The same buffer on every retry, as SSL_write requires after WANT_WRITE.
                let base = buffer.baseAddress! + offset
                let length = Int32(clamping: buffer.count - offset)
                switch perform(deadline: deadline, { SSL_write(ssl, base, length) }) {
                case let .success(count): offset += count
                case .failure(.timedOut): return .failure(.timedOut)
                case .failure(.closed): return .failure(.ioFailed("the server closed the connection"))
                case let .failure(.failed(message)): return .failure(.ioFailed(message))
                }
            }
            return .success(())
        }
        try result.get()
    }

    /// Reads at most `buffer.count` bytes into `buffer`; 0 means the server closed the connection.
    public func read(into buffer: UnsafeMutableRawBufferPointer, deadline: ContinuousClock.Instant) throws(TLSError) -> Int {
        guard let base = buffer.baseAddress, !buffer.isEmpty else { return 0 }
        let ssl = self.ssl
        let length = Int32(clamping: buffer.count)
        switch perform(deadline: deadline, { SSL_read(ssl, base, length) }) {
        case let .success(count): return count
        case .failure(.closed): return 0
        case .failure(.timedOut): throw .timedOut
        case let .failure(.failed(message)): throw .ioFailed(message)
        }
    }

    /// Sends the closing alert if the socket takes it now; never waits.
    public func shutdown() {
        ERR_clear_error()
        _ = SSL_shutdown(ssl)
        ERR_clear_error()
    }

    private enum Failure: Error {
        case timedOut
        /// A clean close (`close_notify`) or, with `SSL_ERROR_SYSCALL`, end of file without one.
        case closed
        case failed(String)
    }

    /// Calls `operation` until it succeeds, polling the socket as OpenSSL asks (WANT_READ, WANT_WRITE) until
    /// `deadline`.
    private func perform(deadline: ContinuousClock.Instant, _ operation: () -> Int32) -> Result<Int, Failure> {
        while true {
            ERR_clear_error()
            errno = 0
            let result = operation()
            let systemError = errno
            if result > 0 { return .success(Int(result)) }
            let events: Int32
            switch SSL_get_error(ssl, result) {
            case SSL_ERROR_WANT_READ: events = Int32(POLLIN)
            case SSL_ERROR_WANT_WRITE: events = Int32(POLLOUT)
            case SSL_ERROR_ZERO_RETURN: return .failure(.closed)
            case SSL_ERROR_SYSCALL:
                let queued = OpenSSLErrors.take(or: "")
                if !queued.isEmpty { return .failure(.failed(queued)) }
                if systemError == 0 || result == 0 { return .failure(.closed) }
                return .failure(.failed(String(cString: strerror(systemError))))
            case SSL_ERROR_SSL:
                return .failure(.failed(OpenSSLErrors.take(or: "protocol error")))
            case let other:
                return .failure(.failed(OpenSSLErrors.take(or: "SSL_get_error \(other)")))
            }
            var request = pollfd(fd: socket, events: Int16(events), revents: 0)
            while true {
                let remaining = Self.milliseconds(until: deadline)
                guard remaining > 0 else { return .failure(.timedOut) }
                let ready = poll(&request, 1, Int32(clamping: remaining))
                if ready > 0 { break }
                if ready == 0 { return .failure(.timedOut) }
                if errno != EINTR { return .failure(.failed(String(cString: strerror(errno)))) }
            }
        }
    }

    private static func milliseconds(until deadline: ContinuousClock.Instant) -> Int {
        let (seconds, attoseconds) = (deadline - ContinuousClock.now).components
        // Round up so that a deadline less than a millisecond away still gets one poll.
        return max(0, Int(seconds) * 1_000 + Int((attoseconds + 999_999_999_999_999) / 1_000_000_000_000_000))
    }

    private static func isIPAddress(_ host: String) -> Bool {
        var address = in6_addr()
        return inet_pton(AF_INET, host, &address) == 1 || inet_pton(AF_INET6, host, &address) == 1
    }
}

/// Text from this thread's OpenSSL error queue.
enum OpenSSLErrors {
    /// The first queued error's text (`ERR_error_string_n`), or `fallback` when nothing is queued; the queue is
    /// emptied so that stale entries are never blamed on a later call.
    static func take(or fallback: String) -> String {
        let code = ERR_get_error()
        while ERR_get_error() != 0 {}
        guard code != 0 else { return fallback }
        var text = [CChar](repeating: 0, count: 256)
        text.withUnsafeMutableBufferPointer { ERR_error_string_n(code, $0.baseAddress, $0.count) }
        return String(decoding: text.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
