/// `%HH` escapes in a path or query (RFC 3986 §2.1), decoded by the server itself rather than by libmicrohttpd, which
/// decoded the whole path before routing: `%2F` then split segments (`/v1%2Forders%2F{id}` reached `/v1/orders/{id}`),
/// and `%00` cut the path short.
enum PercentDecoding {
    /// `text` with each `%HH` (two hex digits, either case) replaced by its byte; a `%` not followed by two hex digits
    /// stays as it is, as libmicrohttpd's own decoding left it. `+` is not a space.
    static func decode(_ text: some Collection<UInt8>) -> [UInt8] {
        var decoded: [UInt8] = []
        decoded.reserveCapacity(text.count)
        var index = text.startIndex
        while index != text.endIndex {
            let byte = text[index]
            let first = text.index(after: index)
            if byte == UInt8(ascii: "%"), first != text.endIndex, let high = hexValue(text[first]) {
                let second = text.index(after: first)
                if second != text.endIndex, let low = hexValue(text[second]) {
                    decoded.append(high << 4 | low)
                    index = text.index(after: second)
                    continue
                }
            }
            decoded.append(byte)
            index = first
        }
        return decoded
    }

    /// `text` decoded, or `nil` if the decoded bytes are not UTF-8; `text` itself, without copying its bytes, when
    /// it has no `%` (nearly every path segment).
    static func decodedString(_ text: Substring) -> String? {
        text.utf8.contains(UInt8(ascii: "%")) ? decodedString(text.utf8) : String(text)
    }

    /// `text` decoded, or `nil` if the decoded bytes are not UTF-8.
    static func decodedString(_ text: some Collection<UInt8>) -> String? {
        let bytes = decode(text)
        return String(validating: bytes, as: UTF8.self)
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
