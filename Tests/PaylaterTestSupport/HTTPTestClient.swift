import Glibc

/// A minimal blocking HTTP/1.1 client over POSIX sockets, for tests against a server on 127.0.0.1.
///
/// Each call opens one connection, sends one request with `Connection: close`, and reads the response until the
/// server closes or `Content-Length` bytes have arrived. Every read times out after `timeoutSeconds`.
public struct HTTPTestClient: Sendable {
    /// A parsed response.
    public struct Response: Sendable {
        public var status: Int
        /// Header fields in order, names as sent.
        public var headers: [(name: String, value: String)]
        public var body: [UInt8]

        /// The first value of `name`, ignoring case.
        public func header(_ name: String) -> String? {
            headers.first { $0.name.lowercased() == name.lowercased() }?.value
        }

        public var bodyText: String { String(decoding: body, as: UTF8.self) }
    }

    /// What went wrong talking to the server.
    public enum ClientError: Error, Equatable {
        case socket(operation: String, errno: Int32)
        case malformedResponse(String)
    }

    public let port: UInt16
    public let timeoutSeconds: Int

    public init(port: UInt16, timeoutSeconds: Int = 5) {
        self.port = port
        self.timeoutSeconds = timeoutSeconds
    }

    /// Sends one request and returns the parsed response. `Content-Length` is added for a body, and `Host` and
    /// `Connection: close` always.
    public func send(
        _ method: String, _ path: String, headers: [(String, String)] = [], body: [UInt8] = []
    ) throws(ClientError) -> Response {
        var head = "\(method) \(path) HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\nConnection: close\r\n"
        for (name, value) in headers { head += "\(name): \(value)\r\n" }
        if !body.isEmpty || method == "POST" || method == "PUT" || method == "PATCH" { head += "Content-Length: \(body.count)\r\n" }
        head += "\r\n"
        return try Self.parse(try sendRaw(Array(head.utf8) + body))
    }

    /// As `send`, with a UTF-8 text body.
    public func send(
        _ method: String, _ path: String, headers: [(String, String)] = [], text: String
    ) throws(ClientError) -> Response {
        try send(method, path, headers: headers, body: Array(text.utf8))
    }

    /// Writes `bytes` as they are, then (unless `closeAfterWriting`) reads until the server closes. With
    /// `closeAfterWriting`, closes at once without reading, as a client that gives up mid-request would, and returns
    /// nothing.
    public func sendRaw(_ bytes: [UInt8], closeAfterWriting: Bool = false) throws(ClientError) -> [UInt8] {
        let descriptor = try connect()
        defer { close(descriptor) }
        try write(bytes, to: descriptor)
        if closeAfterWriting { return [] }
        shutdown(descriptor, Int32(SHUT_WR))
        return try readAll(from: descriptor)
    }

    /// Opens a connection with the read and write timeouts set, and returns its descriptor, which the caller closes:
    /// for tests that hold connections open or only need to know whether one is accepted.
    public func connect() throws(ClientError) -> Int32 {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { throw .socket(operation: "socket", errno: errno) }
        var timeout = timeval(tv_sec: timeoutSeconds, tv_usec: 0)
        setsockopt(descriptor, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        setsockopt(descriptor, SOL_SOCKET, SO_SNDTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        address.sin_addr.s_addr = UInt32(0x7F00_0001).bigEndian
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                Glibc.connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard result == 0 else {
            let code = errno
            close(descriptor)
            throw .socket(operation: "connect", errno: code)
        }
        return descriptor
    }

    private func write(_ bytes: [UInt8], to descriptor: Int32) throws(ClientError) {
        var offset = 0
        while offset < bytes.count {
            let written = bytes[offset...].withUnsafeBytes { Glibc.send(descriptor, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if written < 0, errno == EINTR { continue }
            guard written > 0 else { throw .socket(operation: "send", errno: errno) }
            offset += written
        }
    }

    /// Reads until end of stream, or a reset after data arrived (a server closing with unread input), at most 64 MiB.
    private func readAll(from descriptor: Int32) throws(ClientError) -> [UInt8] {
        var received: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65_536)
        while received.count < 64 << 20 {
            let count = buffer.withUnsafeMutableBytes { recv(descriptor, $0.baseAddress, $0.count, 0) }
            if count == 0 { break }
            if count < 0 {
                if errno == EINTR { continue }
                if errno == ECONNRESET, !received.isEmpty { break }
                throw .socket(operation: "recv", errno: errno)
            }
            received += buffer[0..<count]
        }
        return received
    }

    /// Parses one response: status line, headers, then a `Content-Length` body or everything to the end.
    public static func parse(_ bytes: [UInt8]) throws(ClientError) -> Response {
        let separator: [UInt8] = Array("\r\n\r\n".utf8)
        guard let end = (0...max(0, bytes.count - 4)).first(where: { bytes.count >= 4 && Array(bytes[$0..<$0 + 4]) == separator }) else {
            throw .malformedResponse("no end of headers in \(bytes.count) bytes")
        }
        let lines = String(decoding: bytes[0..<end], as: UTF8.self).split(separator: "\r\n", omittingEmptySubsequences: false).map(String.init)
        let statusParts = lines[0].split(separator: " ", maxSplits: 2)
        guard statusParts.count >= 2, statusParts[0].hasPrefix("HTTP/1."), let status = Int(statusParts[1]) else {
            throw .malformedResponse("bad status line \(lines[0])")
        }
        var headers: [(name: String, value: String)] = []
        for line in lines.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { throw .malformedResponse("bad header line \(line)") }
            headers.append((name: String(line[..<colon]), value: line[line.index(after: colon)...].trimmingSpaces))
        }
        var body = Array(bytes[(end + 4)...])
        if let length = headers.first(where: { $0.name.lowercased() == "content-length" }).flatMap({ Int($0.value) }) {
            guard body.count >= length else { throw .malformedResponse("body has \(body.count) of \(length) bytes") }
            body = Array(body[0..<length])
        }
        return Response(status: status, headers: headers, body: body)
    }
}

extension Substring {
    fileprivate var trimmingSpaces: String {
        String(drop { $0 == " " || $0 == "\t" }.reversed().drop { $0 == " " || $0 == "\t" }.reversed())
    }
}
