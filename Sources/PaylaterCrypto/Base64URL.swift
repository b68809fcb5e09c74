/// URL-safe base64 without padding (RFC 4648 §5): the text form of generated tokens.
///
/// Chosen over hex because it is a third shorter, and over plain base64 because the result can sit in a URL, a
/// header or a shell argument without escaping (`-` and `_` replace `+` and `/`, and there is no `=`). Nothing here
/// reads tokens back, since they are checked by their hash, so there is no decoder.
public enum Base64URL {
    private static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".utf8)

    /// `bytes` as URL-safe base64 without padding: four characters per three bytes, rounded up.
    public static func encode(_ bytes: some Sequence<UInt8>) -> String {
        var text: [UInt8] = []
        text.reserveCapacity((bytes.underestimatedCount * 4 + 2) / 3)
        var group: UInt32 = 0
        var groupByteCount = 0
        for byte in bytes {
            group = group << 8 | UInt32(byte)
            groupByteCount += 1
            if groupByteCount == 3 {
                append(group, characterCount: 4, to: &text)
                group = 0
                groupByteCount = 0
            }
        }
        if groupByteCount > 0 {
            // Left-align the partial group in 24 bits; one byte needs two characters, two bytes need three.
            append(group << (8 * UInt32(3 - groupByteCount)), characterCount: groupByteCount + 1, to: &text)
        }
        return String(decoding: text, as: UTF8.self)
    }

    /// Appends the first `characterCount` six-bit characters of the 24-bit `group`.
    private static func append(_ group: UInt32, characterCount: Int, to text: inout [UInt8]) {
        for index in 0..<characterCount {
            let shift = UInt32(18 - 6 * index)
            text.append(alphabet[Int(group >> shift & 0x3f)])
        }
    }
}
