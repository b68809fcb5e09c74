import Foundation
import Glibc
import PaylaterApp
import PaylaterTestSupport
import Testing

@Suite("What the HTTP transport reports")
struct HTTPWebhookTransportTests {
    @Test("a server that reads the request and closes without a byte is a connection closed before a response")
    func closedBeforeResponse() throws {
        let listener = try LoopbackListener()
        let port = listener.port
        let descriptor = listener.descriptor
        Thread.detachNewThread {
            let connection = accept(descriptor, nil, nil)
            guard connection >= 0 else { return }
            var buffer = [UInt8](repeating: 0, count: 65_536)
            _ = buffer.withUnsafeMutableBytes { recv(connection, $0.baseAddress, $0.count, 0) }
            shutdown(connection, Int32(SHUT_RDWR))
            close(connection)
        }
        defer { close(descriptor) }
        let result = HTTPWebhookTransport(destinations: .any).post(
            url: "http://127.0.0.1:\(port)/close", headers: [], body: Array("{}".utf8), timeout: .seconds(5))
        #expect(result == .failure(.closedBeforeResponse))
        #expect(WebhookTransportError.closedBeforeResponse.description == "the connection was closed before a response")
    }

    @Test("a percent-encoded host is refused at registration, saying why")
    func percentEncodedHost() throws {
        let fixture = try WebhookFixture(.sqlite)
        let url = "http://%31%32%37.0.0.1/x"
        #expect(throws: WebhookError.invalidURL(url, reason: "the host must be written plainly, not percent-encoded")) {
            try fixture.service.registerEndpoint(merchant: fixture.merchant, url: url)
        }
        #expect(try fixture.service.endpoints(merchant: fixture.merchant).isEmpty)
    }
}
