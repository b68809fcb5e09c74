#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Which addresses webhooks may be delivered to: the guard against server-side request forgery.
///
/// A merchant chooses the URL, and Paylater connects to it from inside the platform's network. Without a guard, a URL
/// naming a loopback, private or link-local address (a database's port, the cloud's metadata service at
/// 169.254.169.254) turns Paylater into a proxy into its own network, and the delivery log reports what answered
/// there (a status code, a refused connection, a timeout). In production only public unicast addresses are allowed.
/// The address is checked after name resolution, on every connection (`HTTPWebhookTransport`), so a host name that
/// resolves to a private address, or is pointed at one after registration, is refused too; registration refuses what
/// it can see without resolving: address literals and `localhost` (`WebhookService.registerEndpoint`).
public enum WebhookDestinations: String, Sendable, CaseIterable {
    /// Public unicast addresses only: production.
    case publicOnly = "public"
    /// Any address, loopback and private networks included: development and tests, with receivers on this machine.
    case any

    public func permits(_ address: IPAddress) -> Bool {
        switch self {
        case .publicOnly: address.isPublicUnicast
        case .any: true
        }
    }

    /// Why `host` (as written in a URL) is refused before any name resolution, or nil: an address literal that is
    /// not public unicast in any of the spellings `getaddrinfo` takes (`127.1`, `0x7f000001`, `[::1]`), or a name
    /// that always means this machine (`localhost` and the names under it, RFC 6761).
    public func refusal(ofHost host: String) -> String? {
        guard self == .publicOnly else { return nil }
        let name = host.lowercased()
        if name == "localhost" || name.hasSuffix(".localhost") || name == "localhost." || name.hasSuffix(".localhost.") {
            return "\(host) is this machine; webhooks go to public addresses only"
        }
        if let address = IPAddress(numericHost: host), !address.isPublicUnicast {
            return "\(address) is not a public address; webhooks go to public addresses only"
        }
        return nil
    }
}

/// An IPv4 or IPv6 address, and whether it is public unicast (routable on the internet, not reserved by IANA's
/// special-purpose registries for loopback, private networks, link-local, documentation, multicast and the like).
public enum IPAddress: Sendable, Hashable, CustomStringConvertible {
    case v4(UInt32)
    /// Sixteen bytes, network order.
    case v6([UInt8])

    /// The address in a socket address of family `AF_INET` or `AF_INET6`; nil for any other family.
    init?(_ address: UnsafePointer<sockaddr>) {
        switch Int32(address.pointee.sa_family) {
        case AF_INET:
            let value = address.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { $0.pointee.sin_addr.s_addr }
            self = .v4(UInt32(bigEndian: value))
        case AF_INET6:
            var bytes = [UInt8](repeating: 0, count: 16)
            address.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { pointer in
                withUnsafeBytes(of: pointer.pointee.sin6_addr) { raw in bytes = Array(raw.prefix(16)) }
            }
            self = .v6(bytes)
        default:
            return nil
        }
    }

    /// The address a host written as a number stands for, as `getaddrinfo` reads it without resolving names; nil
    /// for a host name.
    public init?(numericHost host: String) {
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        hints.ai_flags = AI_NUMERICHOST
        var list: UnsafeMutablePointer<addrinfo>?
        guard getaddrinfo(host, nil, &hints, &list) == 0, let first = list else { return nil }
        defer { freeaddrinfo(list) }
        guard let socketAddress = first.pointee.ai_addr, let address = IPAddress(UnsafePointer(socketAddress)) else { return nil }
        self = address
    }

    public var isPublicUnicast: Bool {
        switch self {
        case let .v4(value):
            return !Self.specialIPv4.contains { prefix, length in Self.matches(value, prefix, length) }
        case let .v6(bytes):
            // Addresses that carry an IPv4 address are judged by it: IPv4-mapped (::ffff:a.b.c.d), the NAT64
            // well-known prefix (64:ff9b::a.b.c.d) and 6to4 (2002:aabb:ccdd::).
            if bytes[0..<10].allSatisfy({ $0 == 0 }), bytes[10] == 0xff, bytes[11] == 0xff {
                return IPAddress.v4(Self.word(bytes, at: 12)).isPublicUnicast
            }
            if bytes[0..<12] == [0x00, 0x64, 0xff, 0x9b, 0, 0, 0, 0, 0, 0, 0, 0] {
                return IPAddress.v4(Self.word(bytes, at: 12)).isPublicUnicast
            }
            if bytes[0] == 0x20, bytes[1] == 0x02 { return IPAddress.v4(Self.word(bytes, at: 2)).isPublicUnicast }
            // Global unicast is 2000::/3; everything else (loopback, unspecified, unique local fc00::/7,
            // link-local fe80::/10, multicast ff00::/8, ...) is not public.
            guard bytes[0] & 0xe0 == 0x20 else { return false }
            return !Self.specialIPv6.contains { prefix, length in Self.matches(bytes, prefix, length) }
        }
    }

    public var description: String {
        switch self {
        case let .v4(value):
            return [24, 16, 8, 0].map { String((value >> $0) & 0xff) }.joined(separator: ".")
        case let .v6(bytes):
            var address = in6_addr()
            withUnsafeMutableBytes(of: &address) { raw in raw.copyBytes(from: bytes) }
            var text = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN))
            guard inet_ntop(AF_INET6, &address, &text, socklen_t(text.count)) != nil else { return "?" }
            return String(decoding: text.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        }
    }

    /// IPv4 blocks that are not public unicast (IANA's IPv4 special-purpose registry, RFC 6890 and later, plus
    /// multicast and the reserved 240.0.0.0/4).
    private static let specialIPv4: [(prefix: UInt32, length: Int)] = [
        (0x0000_0000, 8),  // 0.0.0.0/8 "this network"
        (0x0a00_0000, 8),  // 10.0.0.0/8 private
        (0x6440_0000, 10),  // 100.64.0.0/10 shared address space (carrier-grade NAT)
        (0x7f00_0000, 8),  // 127.0.0.0/8 loopback
        (0xa9fe_0000, 16),  // 169.254.0.0/16 link-local (cloud metadata services)
        (0xac10_0000, 12),  // 172.16.0.0/12 private
        (0xc000_0000, 24),  // 192.0.0.0/24 IETF protocol assignments
        (0xc000_0200, 24),  // 192.0.2.0/24 documentation
        (0xc058_6300, 24),  // 192.88.99.0/24 6to4 relay anycast (deprecated)
        (0xc0a8_0000, 16),  // 192.168.0.0/16 private
        (0xc612_0000, 15),  // 198.18.0.0/15 benchmarking
        (0xc633_6400, 24),  // 198.51.100.0/24 documentation
        (0xcb00_7100, 24),  // 203.0.113.0/24 documentation
        (0xe000_0000, 4),  // 224.0.0.0/4 multicast
        (0xf000_0000, 4),  // 240.0.0.0/4 reserved, and 255.255.255.255
    ]

    /// Blocks inside 2000::/3 that are not public unicast (IANA's IPv6 special-purpose registry).
    private static let specialIPv6: [(prefix: [UInt8], length: Int)] = [
        ([0x20, 0x01, 0x00, 0x00], 23),  // 2001::/23 IETF protocol assignments (Teredo and others)
        ([0x20, 0x01, 0x0d, 0xb8], 32),  // 2001:db8::/32 documentation
        ([0x3f, 0xff, 0x00, 0x00], 20),  // 3fff::/20 documentation
    ]

    private static func matches(_ value: UInt32, _ prefix: UInt32, _ length: Int) -> Bool {
        let mask: UInt32 = length == 0 ? 0 : ~UInt32(0) << (32 - length)
        return value & mask == prefix
    }

    private static func matches(_ bytes: [UInt8], _ prefix: [UInt8], _ length: Int) -> Bool {
        for bit in 0..<length {
            let byte = bit / 8, shift = 7 - bit % 8
            let expected = byte < prefix.count ? (prefix[byte] >> shift) & 1 : 0
            if (bytes[byte] >> shift) & 1 != expected { return false }
        }
        return true
    }

    private static func word(_ bytes: [UInt8], at offset: Int) -> UInt32 {
        bytes[offset..<offset + 4].reduce(0) { $0 << 8 | UInt32($1) }
    }
}
