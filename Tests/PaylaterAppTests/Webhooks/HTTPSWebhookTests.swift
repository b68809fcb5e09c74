import Foundation
import PaylaterApp
import PaylaterStore
import PaylaterTestSupport
import Testing

/// `https://` delivery against `openssl s_server` with certificates from a throwaway CA made at test time.
@Suite("HTTPS webhook delivery")
struct HTTPSWebhookTests {
    @Test("an https delivery to a server whose certificate chains to the trusted CA succeeds, signed")
    func trustedDelivery() throws {
        let pki = try TestPKI()
        defer { pki.remove() }
        let server = try TLSTestServer(pki.localhost)
        defer { server.stop() }
        let fixture = try WebhookFixture(.sqlite)
        _ = try fixture.service.registerEndpoint(
            merchant: fixture.merchant, url: "https://localhost:\(server.port)/paylater/webhooks")
        let event = try fixture.enqueue(order: "o1", .planPaidOff)
        let report = try fixture.dispatcher(HTTPWebhookTransport(trustedCertificates: pki.caFile, destinations: .any)).deliverDue()
        #expect(report.delivered.count == 1)
        let delivery = try fixture.delivery(of: event)
        #expect(delivery.state == .delivered && delivery.lastStatus == 200)
        // s_server prints what it decrypted.
        server.stop()
        #expect(server.output.contains("POST /paylater/webhooks HTTP/1.1\r\nHost: localhost:\(server.port)\r\n"))
        #expect(server.output.contains("Paylater-Event-Id: \(event.id)"))
        #expect(server.output.contains(#""id":"\#(event.id)""#))
    }

    @Test("an IP-address URL is verified against the certificate's IP addresses")
    func ipAddressDelivery() throws {
        let pki = try TestPKI()
        defer { pki.remove() }
        let server = try TLSTestServer(pki.localhost)
        defer { server.stop() }
        let result = HTTPWebhookTransport(trustedCertificates: pki.caFile, destinations: .any).post(
            url: "https://127.0.0.1:\(server.port)/", headers: [("X-Test", "1")], body: Array("{}".utf8), timeout: .seconds(5))
        #expect(result == .success(200))
    }

    @Test("a certificate the system CA store does not trust fails verification, and the delivery is retried")
    func untrustedCertificate() throws {
        let pki = try TestPKI()
        defer { pki.remove() }
        let server = try TLSTestServer(pki.localhost)
        defer { server.stop() }
        let fixture = try WebhookFixture(.sqlite)
        _ = try fixture.service.registerEndpoint(merchant: fixture.merchant, url: "https://localhost:\(server.port)/hooks")
        let event = try fixture.enqueue(order: "o1")
        // The production configuration: the system store, which knows nothing of the test CA.
        let report = try fixture.dispatcher(HTTPWebhookTransport(destinations: .any)).deliverDue()
        #expect(report.delivered.isEmpty && report.retrying == 1)
        let delivery = try fixture.delivery(of: event)
        #expect(delivery.state == .pending && delivery.attempts == 1 && delivery.lastStatus == nil)
        let error = try #require(delivery.lastError)
        #expect(error.contains("certificate verify failed") && error.contains("unable to get local issuer certificate"), "\(error)")
    }

    @Test("a certificate for another host name fails host-name verification", arguments: ["localhost", "127.0.0.1"])
    func wrongHost(host: String) throws {
        let pki = try TestPKI()
        defer { pki.remove() }
        let server = try TLSTestServer(pki.otherHost)
        defer { server.stop() }
        let result = HTTPWebhookTransport(trustedCertificates: pki.caFile, destinations: .any).post(
            url: "https://\(host):\(server.port)/", headers: [], body: [], timeout: .seconds(5))
        guard case let .failure(.tls(message)) = result else {
            Issue.record("expected a TLS failure, got \(result)")
            return
        }
        let reason = host == "localhost" ? "hostname mismatch" : "IP address mismatch"
        #expect(message.contains("certificate verify failed") && message.contains(reason), "\(message)")
    }

    @Test("a server that accepts but never answers the handshake times out within the deadline")
    func handshakeTimeout() throws {
        let listener = try SilentListener()
        let started = ContinuousClock.now
        let result = HTTPWebhookTransport(destinations: .any).post(
            url: "https://127.0.0.1:\(listener.port)/", headers: [], body: Array("{}".utf8), timeout: .milliseconds(300))
        let elapsed = ContinuousClock.now - started
        #expect(result == .failure(.timedOut))
        #expect(elapsed >= .milliseconds(250) && elapsed < .seconds(2), "\(elapsed)")
    }

    @Test("a server that completes the handshake but never responds times out within the deadline")
    func responseTimeout() throws {
        let pki = try TestPKI()
        defer { pki.remove() }
        let server = try TLSTestServer(pki.localhost, response: "")
        defer { server.stop() }
        let started = ContinuousClock.now
        let result = HTTPWebhookTransport(trustedCertificates: pki.caFile, destinations: .any).post(
            url: "https://localhost:\(server.port)/", headers: [], body: Array("{}".utf8), timeout: .milliseconds(500))
        let elapsed = ContinuousClock.now - started
        #expect(result == .failure(.timedOut))
        #expect(elapsed >= .milliseconds(450) && elapsed < .seconds(2), "\(elapsed)")
        server.stop()
        #expect(server.output.contains("POST / HTTP/1.1"))
    }

    @Test("an unreadable trusted-certificates file fails every https post, without connecting; http is unaffected")
    func missingTrustFile() throws {
        let transport = HTTPWebhookTransport(trustedCertificates: "/nonexistent/paylater-ca.pem", destinations: .any)
        let result = transport.post(url: "https://127.0.0.1:1/", headers: [], body: [], timeout: .seconds(1))
        guard case let .failure(.tls(message)) = result else {
            Issue.record("expected a TLS failure, got \(result)")
            return
        }
        #expect(message.contains("cannot load trusted certificates from /nonexistent/paylater-ca.pem"), "\(message)")
        let receiver = try WebhookReceiver()
        #expect(transport.post(url: "http://127.0.0.1:\(receiver.port)/", headers: [], body: [], timeout: .seconds(5)) == .success(204))
    }
}
