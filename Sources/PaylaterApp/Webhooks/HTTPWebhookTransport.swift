#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Posts webhooks to `http://` URLs over a plain POSIX socket: resolve (`getaddrinfo`), connect with a timeout,
/// write one HTTP/1.1 request with `Connection: close`, and read the status line; the rest of the response is
/// ignored. Redirects are not followed.
///
/// `https://` is refused with `.unsupportedScheme`: libssl is not linked. Name resolution is not bounded by
/// `timeout` (`getaddrinfo` has no timeout); connecting, sending and receiving are.
public struct HTTPWebhookTransport: WebhookTransport {
    /// The most response bytes read while looking for the status line.
    public static let statusLineByteCountMaximum = 8_192

    public init() {}

    public func post(
        url: String, headers: [(name: String, value: String)], body: [UInt8], timeout: Duration
    ) -> Result<Int, WebhookTransportError> {
        let deadline = ContinuousClock.now + timeout
        let target: HTTPTarget
        switch HTTPTarget.parse(url) {
        case let .success(parsed): target = parsed
        case let .failure(error): return .failure(error)
        }
        guard headers.allSatisfy({ !Self.hasLineBreak($0.name) && !Self.hasLineBreak($0.value) }) else {
            return .failure(.invalidURL("a header contains a line break"))
        }
        var head = "POST \(target.path) HTTP/1.1\r\nHost: \(target.hostHeader)\r\nUser-Agent: Paylater-Webhooks/1\r\n"
        head += "Content-Length: \(body.count)\r\nConnection: close\r\n"
        for header in headers { head += "\(header.name): \(header.value)\r\n" }
        head += "\r\n"
        let socket: Int32
        switch Socket.connect(host: target.host, port: target.port, deadline: deadline) {
        case let .success(descriptor): socket = descriptor
        case let .failure(error): return .failure(error)
        }
        defer { close(socket) }
        if case let .failure(error) = Socket.send(socket, Array(head.utf8) + body, deadline: deadline) {
            return .failure(error)
        }
        return Socket.readStatus(socket, deadline: deadline, limit: Self.statusLineByteCountMaximum)
    }

    private static func hasLineBreak(_ text: String) -> Bool { text.utf8.contains(13) || text.utf8.contains(10) }
}

/// The parts of an `http://` URL a request needs.
struct HTTPTarget {
    var host: String
    var port: Int
    var path: String
    var hostHeader: String

    static func parse(_ url: String) -> Result<HTTPTarget, WebhookTransportError> {
        guard url.utf8.count <= 2_048, url.utf8.allSatisfy({ $0 > 0x20 && $0 < 0x7f }) else { return .failure(.invalidURL(url)) }
        guard let separator = url.firstRange(of: "://") else { return .failure(.invalidURL(url)) }
        let scheme = url[..<separator.lowerBound].lowercased()
        guard scheme == "http" else {
            return .failure(scheme == "https" ? .unsupportedScheme(scheme) : .invalidURL(url))
        }
        let rest = url[separator.upperBound...]
        let authorityEnd = rest.firstIndex(where: { $0 == "/" || $0 == "?" || $0 == "#" }) ?? rest.endIndex
        let authority = rest[..<authorityEnd]
        var path = String(rest[authorityEnd...].prefix { $0 != "#" })
        if path.isEmpty { path = "/" } else if path.first == "?" { path = "/" + path }
        guard !authority.isEmpty, !authority.contains("@") else { return .failure(.invalidURL(url)) }
        var host: Substring
        var portText: Substring?
        if authority.first == "[" {
            guard let close = authority.firstIndex(of: "]") else { return .failure(.invalidURL(url)) }
            host = authority[authority.index(after: authority.startIndex)..<close]
            let after = authority[authority.index(after: close)...]
            if !after.isEmpty {
                guard after.first == ":" else { return .failure(.invalidURL(url)) }
                portText = after.dropFirst()
            }
        } else {
            let parts = authority.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
            host = parts[0]
            portText = parts.count == 2 ? parts[1] : nil
        }
        let port = portText.map { Int($0) ?? 0 } ?? 80
        guard !host.isEmpty, (1...65_535).contains(port) else { return .failure(.invalidURL(url)) }
        return .success(HTTPTarget(host: String(host), port: port, path: path, hostHeader: String(authority)))
    }
}

/// Blocking socket calls bounded by a deadline; every failure carries `errno`'s text.
private enum Socket {
    static func connect(host: String, port: Int, deadline: ContinuousClock.Instant) -> Result<Int32, WebhookTransportError> {
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

    /// Reads until the end of the status line and returns its code.
    static func readStatus(_ descriptor: Int32, deadline: ContinuousClock.Instant, limit: Int) -> Result<Int, WebhookTransportError> {
        var received: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1_024)
        while !received.contains(10), received.count < limit {
            guard ContinuousClock.now < deadline else { return .failure(.timedOut) }
            let count = chunk.withUnsafeMutableBytes { recv(descriptor, $0.baseAddress, $0.count, 0) }
            if count < 0 {
                if errno == EINTR { continue }
                return .failure(errno == EAGAIN || errno == EWOULDBLOCK ? .timedOut : .ioFailed(errorText()))
            }
            if count == 0 { break }
            received += chunk[0..<count]
        }
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
