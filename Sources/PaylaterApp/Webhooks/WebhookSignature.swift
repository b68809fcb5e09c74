import PaylaterCrypto
public import PaylaterTime

/// Why a `Paylater-Signature` header was not accepted.
public enum WebhookSignatureError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The header is not `t=<unix seconds>,v1=<64 hex digits>`.
    case malformedHeader
    /// The timestamp is further than the tolerance from now: possibly a replayed request.
    case timestampOutsideTolerance(signedAt: Int64, now: Int64)
    /// No `v1` code matches the body under the secret.
    case mismatch

    public var description: String {
        switch self {
        case .malformedHeader: "the signature header is not t=<unix seconds>,v1=<hex>"
        case let .timestampOutsideTolerance(signedAt, now): "the signature's time \(signedAt) is too far from now (\(now))"
        case .mismatch: "the signature does not match the body"
        }
    }
}

/// The `Paylater-Signature` header: `t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<body>")>`, the key being
/// the secret's UTF-8 bytes. Signing the time with the body lets a receiver refuse old requests replayed later.
public enum WebhookSignature {
    public static let headerName = "Paylater-Signature"
    /// How far a signature's time may be from the receiver's clock by default.
    public static let toleranceDefault: Duration = .seconds(300)

    /// The header value for `body` signed with `secret` at `time`.
    public static func header(body: [UInt8], secret: String, at time: Instant) -> String {
        let seconds = time.secondsSinceUnixEpoch
        return "t=\(seconds),v1=\(code(seconds, body, secret).hex)"
    }

    /// Checks a received header as a merchant would: well-formed, signed within `tolerance` of `now`, and one of
    /// its `v1` codes equal (compared in constant time) to the code of `body` under `secret`.
    public static func verify(
        header: String, body: [UInt8], secret: String, now: Instant, tolerance: Duration = toleranceDefault
    ) throws(WebhookSignatureError) {
        guard header.utf8.count <= 1_024 else { throw .malformedHeader }
        var timestamp: Int64?
        var codes: [[UInt8]] = []
        for part in header.split(separator: ",") {
            let pair = part.split(separator: "=", maxSplits: 1).map { $0.trimmingSpaces() }
            guard pair.count == 2 else { throw .malformedHeader }
            switch pair[0] {
            case "t": timestamp = Int64(pair[1])
            case "v1": codes.append((try? Hex.decode(String(pair[1]))) ?? [])
            default: continue
            }
        }
        guard let timestamp, !codes.isEmpty else { throw .malformedHeader }
        let nowSeconds = now.secondsSinceUnixEpoch
        guard abs(nowSeconds - timestamp) <= tolerance.components.seconds else {
            throw .timestampOutsideTolerance(signedAt: timestamp, now: nowSeconds)
        }
        let message = Array("\(timestamp).".utf8) + body
        guard codes.contains(where: { HMACSHA256.isValid($0, for: message, key: Array(secret.utf8)) }) else {
            throw .mismatch
        }
    }

    private static func code(_ seconds: Int64, _ body: [UInt8], _ secret: String) -> Digest {
        HMACSHA256.authenticationCode(for: Array("\(seconds).".utf8) + body, key: Array(secret.utf8))
    }
}

extension Substring {
    fileprivate func trimmingSpaces() -> Substring {
        var text = self
        while text.first == " " { text.removeFirst() }
        while text.last == " " { text.removeLast() }
        return text
    }
}
