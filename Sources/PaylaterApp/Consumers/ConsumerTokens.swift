import Foundation
import PaylaterCrypto
public import PaylaterLedger
public import PaylaterStore
public import PaylaterTime

/// Bearer tokens for shoppers' self-service, for development and for deployments whose identity provider mints
/// them: `pct_<consumer>.<expiry seconds>.<HMAC-SHA256 of both, hex>`, signed with a platform key kept in the
/// database's settings. A real deployment puts its own identity provider in front and maps its subjects to
/// consumer ids.
public struct ConsumerTokens: Sendable {
    private let key: [UInt8]
    public let clock: any Clock

    public init(database: any Database, clock: any Clock) throws {
        self.clock = clock
        key = try PlatformSecret.key(named: "consumer_token_key", byteCount: 32, in: database, at: clock.now())
    }

    /// A token for `consumer` valid for `lifetime`.
    public func issue(for consumer: ConsumerID, lifetime: Duration = .seconds(86_400)) -> String {
        let expiry = clock.now().advanced(by: lifetime).secondsSinceUnixEpoch
        let payload = "\(consumer.rawValue).\(expiry)"
        return "pct_\(payload).\(HMACSHA256.authenticationCode(for: payload, key: key).hex)"
    }

    /// The consumer a valid, unexpired token names, or nil.
    ///
    /// Read from the right: a consumer id may hold dots (`john.doe`), the expiry and the code never do. The code
    /// covers `<consumer>.<expiry>` whole, so the one split that its last dot makes is the one that was signed.
    public func verify(_ token: String) -> ConsumerID? {
        guard token.hasPrefix("pct_"), token.utf8.count <= 256 else { return nil }
        let body = token.dropFirst(4)
        guard let codeDot = body.lastIndex(of: ".") else { return nil }
        let payload = body[..<codeDot]
        guard let expiryDot = payload.lastIndex(of: "."),
            let expiry = Int64(payload[payload.index(after: expiryDot)...])
        else { return nil }
        let expected = HMACSHA256.authenticationCode(for: String(payload), key: key).hex
        guard Self.constantTimeEqual(expected, String(body[body.index(after: codeDot)...])),
            clock.now().secondsSinceUnixEpoch < expiry
        else { return nil }
        return try? ConsumerID(String(payload[..<expiryDot]))
    }

    private static func constantTimeEqual(_ a: String, _ b: String) -> Bool {
        let (x, y) = (Array(a.utf8), Array(b.utf8))
        guard x.count == y.count else { return false }
        return zip(x, y).reduce(UInt8(0)) { $0 | ($1.0 ^ $1.1) } == 0
    }
}
