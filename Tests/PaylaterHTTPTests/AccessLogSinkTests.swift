import Foundation
import PaylaterHTTP
import PaylaterTestSupport
import Testing

@Suite("Access log sinks and configuration")
struct AccessLogSinkTests {
    @Test("the JSON-lines sink writes one sorted-key JSON object per line")
    func jsonLines() throws {
        var descriptors: [Int32] = [0, 0]
        try #require(pipe(&descriptors) == 0)
        defer { close(descriptors[0]) }
        let sink = JSONLinesAccessLogSink(fileDescriptor: descriptors[1])
        let record = AccessLogRecord(
            finishedAtSecondsSince1970: 1_795_507_475.25, requestID: "r-1", method: "GET", path: "/v1/orders/o-1",
            route: "/v1/orders/{id}", status: 200, bytesIn: 0, bytesOut: 12, durationMicroseconds: 345,
            remoteAddress: "127.0.0.1"
        )
        sink.record(record)
        sink.record(record)
        close(descriptors[1])
        let text = String(decoding: FileHandle(fileDescriptor: descriptors[0]).readDataToEndOfFile(), as: UTF8.self)
        let line = #"{"bytes_in":0,"bytes_out":12,"duration_us":345,"method":"GET","path":"/v1/orders/o-1","#
            + #""remote_address":"127.0.0.1","request_id":"r-1","route":"/v1/orders/{id}","status":200,"#
            + #""time":"2026-11-24T08:04:35.250000Z"}"#
        #expect(text == line + "\n" + line + "\n")
    }

    @Test("a server fault, a request's or a background job's, is one JSON line among the records, its description's line breaks and quotes escaped")
    func faultLine() throws {
        var descriptors: [Int32] = [0, 0]
        try #require(pipe(&descriptors) == 0)
        defer { close(descriptors[0]) }
        let sink = JSONLinesAccessLogSink(fileDescriptor: descriptors[1])
        sink.fault("PostgreSQL error 57P01:\nterminating connection", requestID: "r-2", atSecondsSince1970: 1_795_507_475.25)
        sink.fault("1 referrals expired; 1 could not be: \"chk_1\"\r\n\u{2028}", job: "referral expiry", atSecondsSince1970: 0)
        close(descriptors[1])
        let text = String(decoding: FileHandle(fileDescriptor: descriptors[0]).readDataToEndOfFile(), as: UTF8.self)
        #expect(text == #"{"fault":"PostgreSQL error 57P01:\nterminating connection","level":"error","request_id":"r-2","time":"2026-11-24T08:04:35.250000Z"}"# + "\n"
            + #"{"fault":"1 referrals expired; 1 could not be: \"chk_1\"\r\n\#u{2028}","job":"referral expiry","level":"error","time":"1970-01-01T00:00:00.000000Z"}"# + "\n")
    }

    @Test("a record's time is RFC 3339 in UTC with microseconds, as Foundation's ISO 8601 formatter writes it",
          arguments: [0, 1_795_507_475.25, 951_782_400.000_001, 1_709_164_799.999_999, 253_402_300_799.5, -1.5, 1e-6])
    func time(secondsSince1970: Double) {
        let record = AccessLogRecord(
            finishedAtSecondsSince1970: secondsSince1970, requestID: "r", method: "GET", path: "/", route: "/",
            status: 200, bytesIn: 0, bytesOut: 0, durationMicroseconds: 0, remoteAddress: "")
        let whole = secondsSince1970.rounded(.down)
        let formatter = ISO8601DateFormatter()
        formatter.timeZone = TimeZone(identifier: "UTC")
        let date = formatter.string(from: Date(timeIntervalSince1970: whole)).dropLast()  // without its "Z"
        let micros = String(min(Int((secondsSince1970 - whole) * 1_000_000), 999_999))
        #expect(record.timeRFC3339 == date + "." + String(repeating: "0", count: 6 - micros.count) + micros + "Z")
    }

    /// The sink writes `AccessLogRecord.line`, spelled directly rather than through `json`: the two must agree byte
    /// for byte, whatever the strings hold and however large or negative the numbers.
    @Test("a record's line is its JSON object serialized, then a newline",
          arguments: [
            ("r-1", "GET", "/v1/orders/o-1", "/v1/orders/{id}", 200, 0, 12, Int64(345), "127.0.0.1", 1_795_507_475.25),
            ("", "", "", "", 0, 0, 0, Int64(0), "", 0),
            ("q\"uote\\", "PO\u{0}ST", "/a?b=\u{1F}&c=ünï 码 🚀", "unmatched", 599, Int.max, Int.min, Int64.min, "::1", -1.5),
            ("\n\r\t", "DELETE", "/\u{7F}", "/x", 404, 1, 999_999_999, Int64.max, "[fe80::1%eth0]:80", 253_402_300_799.5),
          ] as [(String, String, String, String, Int, Int, Int, Int64, String, Double)])
    func lineAsJSON(
        fields: (String, String, String, String, Int, Int, Int, Int64, String, Double)
    ) {
        let (requestID, method, path, route, status, bytesIn, bytesOut, duration, remote, time) = fields
        let record = AccessLogRecord(
            finishedAtSecondsSince1970: time, requestID: requestID, method: method, path: path, route: route,
            status: status, bytesIn: bytesIn, bytesOut: bytesOut, durationMicroseconds: duration, remoteAddress: remote)
        #expect(record.line == record.json.serialized() + [UInt8(ascii: "\n")])
    }

    @Test("strings are written with JSON's escapes, as JSONEncoder writes them",
          arguments: ["", "plain", "q\"uote", "back\\slash", "\n\r\t\u{0}\u{8}\u{C}\u{1F}\u{7F}", "ünï 码 🚀", "/a/b", "\"\"\\"])
    func escapes(text: String) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let expected = try encoder.encode(["k": text])
        #expect(JSONValue.object(["k": .string(text)]).serialized() == Array(expected))
    }

    @Test("a single worker thread serves, and impossible settings are refused before listening")
    func configuration() throws {
        let server = try HTTPServer(configuration: HTTPServerConfiguration(threading: .pool(threads: 1))) { _ in .text("one") }
        defer { server.shutdown(grace: .zero) }
        #expect(try HTTPTestClient(port: server.port).send("GET", "/").bodyText == "one")
        #expect(throws: HTTPServerError.self) {
            try HTTPServer(configuration: HTTPServerConfiguration(threading: .pool(threads: 0))) { _ in .text("never") }
        }
        #expect(throws: HTTPServerError.self) {
            try HTTPServer(configuration: HTTPServerConfiguration(bindAddress: "localhost")) { _ in .text("never") }
        }
        #expect(throws: HTTPServerError.self) {  // a thread per connection: as many threads as connections
            try HTTPServer(
                configuration: HTTPServerConfiguration(connectionLimit: HTTPServer.threadsPerConnectionMaximum + 1)
            ) { _ in .text("never") }
        }
        #expect(throws: HTTPServerError.self) {
            try HTTPServer(configuration: HTTPServerConfiguration(port: server.port)) { _ in .text("never") }
        }
    }
}
