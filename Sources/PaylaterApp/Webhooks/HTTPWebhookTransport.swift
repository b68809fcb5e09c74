#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
internal import PaylaterTLS
import Synchronization

/// Posts webhooks to `http://` and `https://` URLs over a POSIX socket: resolve (`getaddrinfo`), connect with a
/// timeout, for `https://` run a TLS handshake (OpenSSL's libssl, through `PaylaterTLS`), write one HTTP/1.1 request
/// with `Connection: close`, and read the status line; the rest of the response is ignored. Redirects are not
/// followed.
///
/// TLS means version 1.2 or newer, the server's certificate chain verified against the system CA store (or the
/// `trustedCertificates` file) and its name against the URL's host (SNI is sent for host names). A TLS failure is
/// `.tls(message)` with OpenSSL's reason, e.g. "certificate verify failed: unable to get local issuer certificate".
///
/// Name resolution is not bounded by `timeout` (`getaddrinfo` has no timeout); connecting, the handshake, sending
/// and receiving are.
///
/// Only addresses that `destinations` permits are connected to (public unicast ones in production): each address the
/// host resolves to is checked before connecting, on every post (`WebhookDestinations`).
public struct HTTPWebhookTransport: WebhookTransport {
    /// The most response bytes read while looking for the status line.
    public static let statusLineByteCountMaximum = 8_192

    private let tls: TLSContextCache
    private let destinations: WebhookDestinations

    /// - Parameters:
    ///   - trustedCertificates: a PEM file of CA certificates to trust **instead of** the system CA store; `nil`
    ///     (production) uses the system store (OpenSSL's default verify paths, Debian's `ca-certificates`). Read on
    ///     the first `https://` post, not here.
    ///   - destinations: the addresses it may connect to; public unicast ones only unless told otherwise.
    public init(trustedCertificates: String? = nil, destinations: WebhookDestinations = .publicOnly) {
        tls = TLSContextCache(trustedCertificates: trustedCertificates)
        self.destinations = destinations
    }

    public func post(
        url: String, headers: [(name: String, value: String)], body: [UInt8], timeout: Duration
    ) -> Result<Int, WebhookTransportError> {
        let deadline = ContinuousClock.now + timeout
        let target: HTTPTarget
        switch HTTPTarget.parse(url) {
        case let .success(parsed): target = parsed
        case .failure: return .failure(.invalidURL(url))
        }
        guard headers.allSatisfy({ !Self.hasLineBreak($0.name) && !Self.hasLineBreak($0.value) }) else {
            return .failure(.invalidURL("a header contains a line break"))
        }
        var head = "POST \(target.path) HTTP/1.1\r\nHost: \(target.hostHeader)\r\nUser-Agent: Paylater-Webhooks/1\r\n"
        head += "Content-Length: \(body.count)\r\nConnection: close\r\n"
        for header in headers { head += "\(header.name): \(header.value)\r\n" }
        head += "\r\n"
        let request = Array(head.utf8) + body
        var context: TLSClientContext?
        if target.secure {
            switch tls.context() {
            case let .success(built): context = built
            case let .failure(error): return .failure(Self.transportError(error))
            }
        }
        let socket: Int32
        switch Socket.connect(host: target.host, port: target.port, permitting: destinations, deadline: deadline) {
        case let .success(descriptor): socket = descriptor
        case let .failure(error): return .failure(error)
        }
        defer { close(socket) }
        guard let context else {
            if case let .failure(error) = Socket.send(socket, request, deadline: deadline) { return .failure(error) }
            return Socket.readStatus(deadline: deadline, limit: Self.statusLineByteCountMaximum) { buffer in
                Socket.receive(socket, into: buffer)
            }
        }
        do throws(TLSError) {
            let connection = try context.connect(socket: socket, host: target.host, deadline: deadline)
            defer { connection.shutdown() }
            try connection.write(request, deadline: deadline)
            return Socket.readStatus(deadline: deadline, limit: Self.statusLineByteCountMaximum) { buffer in
                do throws(TLSError) {
                    return .success(try connection.read(into: buffer, deadline: deadline))
                } catch {
                    return .failure(Self.transportError(error))
                }
            }
        } catch {
            return .failure(Self.transportError(error))
        }
    }

    private static func transportError(_ error: TLSError) -> WebhookTransportError {
        error == .timedOut ? .timedOut : .tls(error.description)
    }

    private static func hasLineBreak(_ text: String) -> Bool { text.utf8.contains(13) || text.utf8.contains(10) }
}

/// The TLS client context of a transport (and its copies), built on the first `https://` post: loading the CA store
/// is the expensive part of TLS set-up, and a transport that only ever posts to `http://` never pays for it. A
/// failure (an unreadable `trustedCertificates` file) is kept and reported by every `https://` post.
private final class TLSContextCache: Sendable {
    private let trustedCertificates: String?
    private let built = Mutex<Result<TLSClientContext, TLSError>?>(nil)

    init(trustedCertificates: String?) { self.trustedCertificates = trustedCertificates }

    func context() -> Result<TLSClientContext, TLSError> {
        built.withLock { cached in
            if let cached { return cached }
            let result: Result<TLSClientContext, TLSError>
            do throws(TLSError) {
                result = .success(try TLSClientContext(trustedCertificates: trustedCertificates))
            } catch {
                result = .failure(error)
            }
            cached = result
            return result
        }
    }
}

/// The parts of an `http://` or `https://` URL a request needs. `parse` is the one reading of a webhook URL:
/// registration refuses what it refuses (`WebhookService.validate`), so every registered URL can be posted to.
struct HTTPTarget {
    /// `https://`: TLS, port 443 by default.
    var secure: Bool
    var host: String
    var port: Int
    var path: String
    var hostHeader: String

    /// Why a URL cannot be posted to, said for a person.
    struct Unusable: Error, Equatable {
        let reason: String
    }

    static func parse(_ url: String) -> Result<HTTPTarget, Unusable> {
        func refuse(_ reason: String) -> Result<HTTPTarget, Unusable> { .failure(Unusable(reason: reason)) }
        let maximum = WebhookService.urlByteCountMaximum
        guard url.utf8.count <= maximum else { return refuse("longer than \(maximum) bytes") }
        guard url.utf8.allSatisfy({ $0 > 0x20 && $0 < 0x7f }) else { return refuse("contains spaces, controls or non-ASCII") }
        guard let separator = url.firstRange(of: "://"), ["http", "https"].contains(url[..<separator.lowerBound].lowercased())
        else { return refuse("the scheme must be http or https") }
        let secure = url[..<separator.lowerBound].lowercased() == "https"
        let rest = url[separator.upperBound...]
        let authorityEnd = rest.firstIndex(where: { $0 == "/" || $0 == "?" || $0 == "#" }) ?? rest.endIndex
        let authority = rest[..<authorityEnd]
        var path = String(rest[authorityEnd...].prefix { $0 != "#" })
        if path.isEmpty { path = "/" } else if path.first == "?" { path = "/" + path }
        guard !authority.contains("@") else { return refuse("credentials in the URL are not allowed") }
        var host: Substring
        var portText: Substring?
        if authority.first == "[" {
            guard let close = authority.firstIndex(of: "]") else { return refuse("an IPv6 address must end with ]") }
            host = authority[authority.index(after: authority.startIndex)..<close]
            let after = authority[authority.index(after: close)...]
            if !after.isEmpty {
                guard after.first == ":" else { return refuse("only a port may follow an IPv6 address") }
                portText = after.dropFirst()
            }
        } else {
            let parts = authority.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
            host = parts[0]
            portText = parts.count == 2 ? parts[1] : nil
        }
        guard !host.isEmpty else { return refuse("no host") }
        // Name resolution takes the host as written: a percent-encoded one could be registered but never resolved.
        guard !host.contains("%") else { return refuse("the host must be written plainly, not percent-encoded") }
        let port: Int
        if let portText {
            guard (1...5).contains(portText.count), portText.allSatisfy(\.isASCIIDigit), let number = Int(portText),
                (1...65_535).contains(number)
            else { return refuse("the port must be a number from 1 to 65535") }
            port = number
        } else {
            port = secure ? 443 : 80
        }
        return .success(HTTPTarget(secure: secure, host: String(host), port: port, path: path, hostHeader: String(authority)))
    }
}

extension Character {
    /// `0` to `9` only (`isNumber` also takes other scripts' digits and fractions).
    fileprivate var isASCIIDigit: Bool { ("0"..."9").contains(self) }
}

/// Blocking socket calls bounded by a deadline; every failure carries `errno`'s text.
private enum Socket {
    /// Connects to the first address of `host` that `destinations` permits and that accepts the connection.
    static func connect(
        host: String, port: Int, permitting destinations: WebhookDestinations, deadline: ContinuousClock.Instant
    ) -> Result<Int32, WebhookTransportError> {
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var list: UnsafeMutablePointer<addrinfo>?
        let status = getaddrinfo(host, String(port), &hints, &list)
        guard status == 0 else {
            return .failure(.resolutionFailed(host: host, message: String(cString: gai_strerror(status))))
        }
        defer { freeaddrinfo(list) }
        var lastError = WebhookTransportError.connectionFailed("no address for \(host)")
        var cursor = list
        while let info = cursor {
            cursor = info.pointee.ai_next
            // A stream socket's addresses are IPv4 or IPv6, which `IPAddress` reads.
            guard let address = info.pointee.ai_addr.flatMap({ IPAddress(UnsafePointer($0)) }) else { continue }
            guard destinations.permits(address) else {
                lastError = .destinationRefused(host: host, address: address.description)
                continue
            }
            let descriptor = socket(info.pointee.ai_family, info.pointee.ai_socktype, info.pointee.ai_protocol)
            guard descriptor >= 0 else {
                lastError = .connectionFailed(errorText())
                continue
            }
            switch connect(descriptor, info.pointee.ai_addr, info.pointee.ai_addrlen, deadline: deadline) {
            case .success: return .success(descriptor)
            case let .failure(error):
                close(descriptor)
                lastError = error
                if error == .timedOut { return .failure(error) }
            }
        }
        return .failure(lastError)
    }

    /// A non-blocking connect waited on with `poll`, then back to blocking with send and receive timeouts.
    private static func connect(
        _ descriptor: Int32, _ address: UnsafeMutablePointer<sockaddr>?, _ length: socklen_t,
        deadline: ContinuousClock.Instant
    ) -> Result<Void, WebhookTransportError> {
        let flags = fcntl(descriptor, F_GETFL)
        _ = fcntl(descriptor, F_SETFL, flags | O_NONBLOCK)
        if Glibc.connect(descriptor, address, length) != 0 {
            guard errno == EINPROGRESS else { return .failure(.connectionFailed(errorText())) }
            var request = pollfd(fd: descriptor, events: Int16(POLLOUT), revents: 0)
            let ready = poll(&request, 1, Int32(clamping: milliseconds(until: deadline)))
            guard ready > 0 else { return .failure(ready == 0 ? .timedOut : .connectionFailed(errorText())) }
            var failure: Int32 = 0
            var size = socklen_t(MemoryLayout<Int32>.size)
            guard getsockopt(descriptor, SOL_SOCKET, SO_ERROR, &failure, &size) == 0, failure == 0 else {
                return .failure(.connectionFailed(String(cString: strerror(failure))))
            }
        }
        _ = fcntl(descriptor, F_SETFL, flags)
        let remaining = max(milliseconds(until: deadline), 1)
        var time = timeval(tv_sec: remaining / 1_000, tv_usec: (remaining % 1_000) * 1_000)
        let size = socklen_t(MemoryLayout<timeval>.size)
        _ = setsockopt(descriptor, SOL_SOCKET, SO_RCVTIMEO, &time, size)
        _ = setsockopt(descriptor, SOL_SOCKET, SO_SNDTIMEO, &time, size)
        return .success(())
    }

    static func send(_ descriptor: Int32, _ bytes: [UInt8], deadline: ContinuousClock.Instant) -> Result<Void, WebhookTransportError> {
        var sent = 0
        while sent < bytes.count {
            guard ContinuousClock.now < deadline else { return .failure(.timedOut) }
            let count = bytes.withUnsafeBytes { buffer in
                Glibc.send(descriptor, buffer.baseAddress! + sent, buffer.count - sent, Int32(MSG_NOSIGNAL))
            }
            if count < 0 {
                if errno == EINTR { continue }
                return .failure(errno == EAGAIN || errno == EWOULDBLOCK ? .timedOut : .ioFailed(errorText()))
            }
            sent += count
        }
        return .success(())
    }

    /// Reads into the buffer (blocking up to the socket's receive timeout); 0 bytes means end of stream.
    static func receive(_ descriptor: Int32, into buffer: UnsafeMutableRawBufferPointer) -> Result<Int, WebhookTransportError> {
        while true {
            let count = recv(descriptor, buffer.baseAddress, buffer.count, 0)
            if count >= 0 { return .success(count) }
            if errno == EINTR { continue }
            return .failure(errno == EAGAIN || errno == EWOULDBLOCK ? .timedOut : .ioFailed(errorText()))
        }
    }

    /// Reads with `receive` until the end of the status line and returns its code.
    static func readStatus(
        deadline: ContinuousClock.Instant, limit: Int,
        receive: (UnsafeMutableRawBufferPointer) -> Result<Int, WebhookTransportError>
    ) -> Result<Int, WebhookTransportError> {
        var received: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1_024)
        while !received.contains(10), received.count < limit {
            guard ContinuousClock.now < deadline else { return .failure(.timedOut) }
            let result = chunk.withUnsafeMutableBytes { receive($0) }
            guard case let .success(count) = result else { return result }
            if count == 0 { break }
            received += chunk[0..<count]
        }
        guard !received.isEmpty else { return .failure(.closedBeforeResponse) }
        let line = String(decoding: received.prefix { $0 != 13 && $0 != 10 }, as: UTF8.self)
        let fields = line.split(separator: " ", maxSplits: 2)
        guard fields.count >= 2, fields[0].hasPrefix("HTTP/1."), fields[1].count == 3, let status = Int(fields[1]),
            (100...599).contains(status)
        else { return .failure(.malformedResponse) }
        return .success(status)
    }

    private static func milliseconds(until deadline: ContinuousClock.Instant) -> Int {
        let (seconds, attoseconds) = (deadline - ContinuousClock.now).components
        return max(0, Int(seconds) * 1_000 + Int(attoseconds / 1_000_000_000_000_000))
    }

    private static func errorText() -> String { String(cString: strerror(errno)) }
}
