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
