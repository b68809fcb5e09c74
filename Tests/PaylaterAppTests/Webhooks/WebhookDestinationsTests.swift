import Foundation
import Glibc
import PaylaterApp
import PaylaterTestSupport
import Testing

@Suite("Where webhooks may go: public addresses only, in production")
struct WebhookDestinationsTests {
    @Test(
        "loopback, private, link-local, shared, documentation, multicast and reserved IPv4 addresses are not public",
        arguments: [
            "0.0.0.0", "10.1.2.3", "100.64.0.1", "127.0.0.1", "127.255.255.254", "169.254.169.254", "172.16.0.1",
            "172.31.255.255", "192.0.0.8", "192.0.2.1", "192.168.1.1", "198.18.0.1", "198.51.100.7", "203.0.113.9",
            "224.0.0.1", "239.255.255.250", "240.0.0.1", "255.255.255.255",
        ])
    func privateIPv4(_ literal: String) throws {
        let address = try #require(IPAddress(numericHost: literal))
        #expect(!address.isPublicUnicast)
        #expect(address.description == literal)
    }

    @Test(
        "public IPv4 addresses, including the neighbours of the private blocks, are public",
        arguments: ["1.1.1.1", "8.8.8.8", "11.0.0.1", "100.63.255.255", "100.128.0.1", "172.15.255.255", "172.32.0.1",
                    "192.167.255.255", "192.169.0.1", "198.20.0.1", "223.255.255.255"])
    func publicIPv4(_ literal: String) throws {
        #expect(try #require(IPAddress(numericHost: literal)).isPublicUnicast)
    }

    @Test(
        "IPv6 loopback, unspecified, unique local, link-local, multicast, documentation and IPv4-carrying forms of private addresses are not public",
        arguments: [
            "::1", "::", "fc00::1", "fd12:3456::1", "fe80::1", "ff02::1", "2001:db8::1", "3fff::1", "2001::1",
            "::ffff:127.0.0.1", "::ffff:10.0.0.1", "64:ff9b::a9fe:a9fe", "2002:c0a8:0101::1", "::127.0.0.1",
        ])
    func privateIPv6(_ literal: String) throws {
        #expect(!(try #require(IPAddress(numericHost: literal))).isPublicUnicast)
    }

    @Test("public IPv6 addresses, and IPv4-carrying forms of public ones, are public",
          arguments: ["2606:4700:4700::1111", "2a00:1450:4001::1", "::ffff:8.8.8.8", "64:ff9b::808:808", "2002:0808:0808::1"])
    func publicIPv6(_ literal: String) throws {
        #expect(try #require(IPAddress(numericHost: literal)).isPublicUnicast)
    }

    @Test("numbers getaddrinfo reads as IPv4 in other spellings are read the same way, so they cannot slip past")
    func otherSpellings() throws {
        for spelling in ["127.1", "2130706433", "0x7f000001", "0177.0.0.1"] {
            #expect(IPAddress(numericHost: spelling) == .v4(0x7f00_0001), "\(spelling)")
        }
        #expect(IPAddress(numericHost: "shop.example") == nil)
    }

    @Test("registration refuses a private address literal or localhost, saying why, unless any destination is allowed")
    func registration() throws {
        let fixture = try WebhookFixture(.sqlite, destinations: .publicOnly)
        let refused = [
            ("http://127.0.0.1:9/hooks", "127.0.0.1 is not a public address; webhooks go to public addresses only"),
            ("https://[::1]/hooks", "::1 is not a public address; webhooks go to public addresses only"),
            ("http://169.254.169.254/latest/meta-data", "169.254.169.254 is not a public address; webhooks go to public addresses only"),
            ("http://2130706433/", "127.0.0.1 is not a public address; webhooks go to public addresses only"),
            ("http://LocalHost:8080/", "LocalHost is this machine; webhooks go to public addresses only"),
            ("http://api.localhost/", "api.localhost is this machine; webhooks go to public addresses only"),
        ]
        for (url, reason) in refused {
            #expect(throws: WebhookError.invalidURL(url, reason: reason)) {
                try fixture.service.registerEndpoint(merchant: fixture.merchant, url: url)
            }
        }
        #expect(try fixture.service.endpoints(merchant: fixture.merchant).isEmpty)
        // A host name is resolved only when delivering, where its addresses are checked.
        _ = try fixture.service.registerEndpoint(merchant: fixture.merchant, url: "https://shop.example/hooks")
        _ = try fixture.service.registerEndpoint(merchant: fixture.merchant, url: "https://8.8.8.8/hooks")
        let development = try WebhookFixture(.sqlite, destinations: .any)
        _ = try development.service.registerEndpoint(merchant: development.merchant, url: "http://127.0.0.1:9/hooks")
    }

    @Test("delivery does not connect to a host that resolves to a private address: the receiver sees nothing")
    func deliveryRefusesResolvedPrivateAddress() throws {
        let listener = try LoopbackListener()
        defer { close(listener.descriptor) }
        // "localhost" passes no literal check here (the transport is called directly, as for an endpoint registered
        // under a name that later resolved to loopback): only the resolved address stops it.
        let result = HTTPWebhookTransport().post(
            url: "http://localhost:\(listener.port)/hooks", headers: [], body: Array("{}".utf8), timeout: .seconds(2))
        guard case let .failure(.destinationRefused(host, address)) = result else {
            Issue.record("expected a refused destination, got \(result)")
            return
        }
        #expect(host == "localhost")
        #expect(address == "127.0.0.1" || address == "::1")
        #expect(result.failureDescription?.hasSuffix("which is not a public address; webhooks go to public addresses only") == true)
        var ready = pollfd(fd: listener.descriptor, events: Int16(POLLIN), revents: 0)
        #expect(poll(&ready, 1, 200) == 0, "nothing connected to the receiver")
        // The same post with any destination allowed reaches it.
        let allowed = HTTPWebhookTransport(destinations: .any).post(
            url: "http://127.0.0.1:\(listener.port)/hooks", headers: [], body: Array("{}".utf8), timeout: .milliseconds(300))
        #expect(allowed == .failure(.timedOut), "connected, then no answer from a listener that never accepts")
    }
}

extension Result where Failure == WebhookTransportError {
    fileprivate var failureDescription: String? {
        if case let .failure(error) = self { error.description } else { nil }
    }
}
