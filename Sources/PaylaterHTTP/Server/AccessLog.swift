import Glibc
import PaylaterJSON
import PaylaterTime
import Synchronization

/// One finished request, as the access log records it.
public struct AccessLogRecord: Sendable, Equatable {
    /// When the response finished, as seconds since 1970 (UTC).
    public var finishedAtSecondsSince1970: Double
    public var requestID: String
    public var method: String
    public var path: String
    /// The route template that answered, or `unmatched`.
    public var route: String
    public var status: Int
    public var bytesIn: Int
    public var bytesOut: Int
    public var durationMicroseconds: Int64
    public var remoteAddress: String

    public init(
        finishedAtSecondsSince1970: Double, requestID: String, method: String, path: String, route: String, status: Int,
        bytesIn: Int, bytesOut: Int, durationMicroseconds: Int64, remoteAddress: String
    ) {
        self.finishedAtSecondsSince1970 = finishedAtSecondsSince1970
        self.requestID = requestID
        self.method = method
        self.path = path
        self.route = route
        self.status = status
        self.bytesIn = bytesIn
        self.bytesOut = bytesOut
        self.durationMicroseconds = durationMicroseconds
        self.remoteAddress = remoteAddress
    }

    /// `finishedAtSecondsSince1970` as RFC 3339 UTC with microseconds: `2026-11-24T08:04:35.123456Z`. Spelled into
    /// one buffer, field by field: it is made for every request's log line.
    public var timeRFC3339: String {
        Self.rfc3339(finishedAtSecondsSince1970)
    }

    /// A time as the log writes it: RFC 3339 in UTC with microseconds.
    static func rfc3339(_ secondsSince1970: Double) -> String {
        var text: [UInt8] = []
        text.reserveCapacity(27)
        appendTime(secondsSince1970, to: &text)
        return String(decoding: text, as: UTF8.self)
    }

    /// Appends `timeRFC3339` to `text`.
    private func appendTime(to text: inout [UInt8]) { Self.appendTime(finishedAtSecondsSince1970, to: &text) }

    private static func appendTime(_ secondsSince1970: Double, to text: inout [UInt8]) {
        var seconds = time_t(secondsSince1970.rounded(.down))
        let micros = Int((secondsSince1970 - Double(seconds)) * 1_000_000)
        var parts = tm()
        gmtime_r(&seconds, &parts)
        Self.appendDecimal(Int(parts.tm_year) + 1900, width: 4, then: "-", to: &text)
        Self.appendDecimal(Int(parts.tm_mon) + 1, width: 2, then: "-", to: &text)
        Self.appendDecimal(Int(parts.tm_mday), width: 2, then: "T", to: &text)
        Self.appendDecimal(Int(parts.tm_hour), width: 2, then: ":", to: &text)
        Self.appendDecimal(Int(parts.tm_min), width: 2, then: ":", to: &text)
        Self.appendDecimal(Int(parts.tm_sec), width: 2, then: ".", to: &text)
        Self.appendDecimal(min(micros, 999_999), width: 6, then: "Z", to: &text)
    }

    /// `value` in decimal, zero-padded to `width` digits (never cut), then `separator` if any.
    private static func appendDecimal(
        _ value: some BinaryInteger, width: Int = 0, then separator: Unicode.Scalar? = nil, to text: inout [UInt8]
    ) {
        // Straight into the bytes: `String(value)` made a string per number, eleven per request.
        ISO8601Text.appendPadded(Int64(clamping: value), width: width, to: &text)
        if let separator { text.append(UInt8(ascii: separator)) }
    }

    /// The record as one line of JSON: `json` serialized, then a newline. Written straight into one buffer, keys
    /// in their sorted order, rather than through a `JSONValue` dictionary sorted at every request: that took
    /// about 20,000 instructions per request on the connection threads (callgrind, 2026-12-06).
    public var line: [UInt8] {
        var text: [UInt8] = []
        text.reserveCapacity(256)
        func key(_ name: StaticString) {
            text.append(text.isEmpty ? UInt8(ascii: "{") : UInt8(ascii: ","))
            text.append(UInt8(ascii: "\""))
            name.withUTF8Buffer { text += $0 }
            text += #"":"#.utf8
        }
        func integer(_ name: StaticString, _ value: some BinaryInteger) {
            key(name)
            Self.appendDecimal(value, to: &text)
        }
        func string(_ name: StaticString, _ value: String) {
            key(name)
            JSONText.appendQuoted(value, to: &text)
        }
        integer("bytes_in", bytesIn)
        integer("bytes_out", bytesOut)
        integer("duration_us", durationMicroseconds)
        string("method", method)
        string("path", path)
        string("remote_address", remoteAddress)
        string("request_id", requestID)
        string("route", route)
        integer("status", status)
        key("time")
        text.append(UInt8(ascii: "\""))
        appendTime(to: &text)
        text += "\"}\n".utf8
        return text
    }

    /// The record as one JSON object with sorted keys.
    public var json: JSONValue {
        .object([
            "time": .string(timeRFC3339), "request_id": .string(requestID), "method": .string(method),
            "path": .string(path), "route": .string(route), "status": .integer(Int64(status)),
            "bytes_in": .integer(Int64(bytesIn)), "bytes_out": .integer(Int64(bytesOut)),
            "duration_us": .integer(durationMicroseconds), "remote_address": .string(remoteAddress),
        ])
    }
}

/// Receives one record per finished request, on the server's worker threads.
public protocol AccessLogSink: Sendable {
    func record(_ record: AccessLogRecord)
}

/// Drops every record.
public struct DiscardingAccessLogSink: AccessLogSink {
    public init() {}
    public func record(_ record: AccessLogRecord) {}
}

/// Writes each record as one JSON line to a file descriptor, one whole line at a time.
public final class JSONLinesAccessLogSink: AccessLogSink {
    private let fileDescriptor: Mutex<Int32>

    /// Writes to `fileDescriptor` (standard output by default), which the caller keeps open and owns.
    public init(fileDescriptor: Int32 = 1) { self.fileDescriptor = Mutex(fileDescriptor) }

    public func record(_ record: AccessLogRecord) { writeLine(record.line) }

    /// Writes a server fault as one JSON line among the records (`fault`, `level`, `request_id`, `time`): written as
    /// plain text, a fault's description broke the one-object-per-line stream a log shipper parses.
    public func fault(_ description: String, requestID: String, atSecondsSince1970 seconds: Double) {
        fault(description, ["request_id": .string(requestID)], atSecondsSince1970: seconds)
    }

    /// Writes a failure of a background job (`job`: the API server's worker's, say) the same way, with `job` where a
    /// request's fault has `request_id`.
    public func fault(_ description: String, job: String, atSecondsSince1970 seconds: Double) {
        fault(description, ["job": .string(job)], atSecondsSince1970: seconds)
    }

    private func fault(_ description: String, _ context: [String: JSONValue], atSecondsSince1970 seconds: Double) {
        var members: [String: JSONValue] = [
            "level": .string("error"), "fault": .string(description), "time": .string(AccessLogRecord.rfc3339(seconds)),
        ]
        members.merge(context) { $1 }
        writeLine(JSONValue.object(members).serialized() + [UInt8(ascii: "\n")])
    }

    /// Writes one whole line under the lock, so lines from several threads never interleave.
    private func writeLine(_ line: [UInt8]) {
        fileDescriptor.withLock { descriptor in
            line.withUnsafeBytes { buffer in
                var offset = 0
                while offset < buffer.count {
                    let written = write(descriptor, buffer.baseAddress! + offset, buffer.count - offset)
                    if written < 0, errno == EINTR { continue }
                    guard written > 0 else { return }  // A log that cannot be written must not stop serving.
                    offset += written
                }
            }
        }
    }
}

/// Keeps records in memory, for tests.
public final class InMemoryAccessLogSink: AccessLogSink {
    private let storage = Mutex<[AccessLogRecord]>([])

    public init() {}

    public func record(_ record: AccessLogRecord) { storage.withLock { $0.append(record) } }

    /// Every record so far, in the order they finished.
    public var records: [AccessLogRecord] { storage.withLock { $0 } }
}
