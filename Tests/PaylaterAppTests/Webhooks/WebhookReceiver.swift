import Foundation
import Glibc
import Synchronization

/// A one-request HTTP receiver on 127.0.0.1 and a free port, on its own thread: it answers 204 and keeps the
/// request. A stand-in for a merchant's server (PaylaterAppTests does not depend on PaylaterHTTP).
final class WebhookReceiver: Sendable {
    struct Request: Sendable {
        var head: String
        var body: [UInt8]
        func header(_ name: String) -> String? {
            for line in head.components(separatedBy: "\r\n").dropFirst() {
                let parts = line.split(separator: ":", maxSplits: 1)
                if parts.count == 2, parts[0].lowercased() == name.lowercased() {
                    return parts[1].trimmingCharacters(in: .whitespaces)
                }
            }
            return nil
        }
    }

    let port: UInt16
    private let listener: Int32
    private let received = Mutex<Request?>(nil)
    private let done = DispatchSemaphore(value: 0)

    init() throws {
        let listening = try LoopbackListener()
        listener = listening.descriptor
        port = listening.port
        Thread.detachNewThread { [self] in serveOne() }
    }

    /// The request, once it arrived (waits up to 10 seconds).
    func request() -> Request? {
        _ = done.wait(timeout: .now() + 10)
        return received.withLock { $0 }
    }

    private func serveOne() {
        defer { close(listener); done.signal() }
        let connection = accept(listener, nil, nil)
        guard connection >= 0 else { return }
        defer { close(connection) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4_096)
        while true {
            let count = chunk.withUnsafeMutableBytes { recv(connection, $0.baseAddress, $0.count, 0) }
            if count <= 0 { break }
            bytes += chunk[0..<count]
            if let end = headEnd(bytes) {
                let head = String(decoding: bytes[..<end], as: UTF8.self)
                let request = Request(head: head, body: [])
                let length = Int(request.header("Content-Length") ?? "0") ?? 0
                if bytes.count >= end + 4 + length {
                    received.withLock { $0 = Request(head: head, body: Array(bytes[(end + 4)..<(end + 4 + length)])) }
                    break
                }
            }
        }
        let response = Array("HTTP/1.1 204 No Content\r\nContent-Length: 0\r\nConnection: close\r\n\r\n".utf8)
        _ = response.withUnsafeBytes { send(connection, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
    }

    private func headEnd(_ bytes: [UInt8]) -> Int? {
        guard bytes.count >= 4 else { return nil }
        for index in 0...(bytes.count - 4) where bytes[index..<(index + 4)].elementsEqual([13, 10, 13, 10]) { return index }
        return nil
    }
}
