/// Hexadecimal text for bytes: digests in the database and in webhook signature headers.
///
/// Encoding is always lower case so that stored hashes compare as plain strings; decoding accepts either case.
public enum Hex {
    private static let digits = Array("0123456789abcdef".utf8)

    /// `bytes` as lower-case hex, two digits per byte.
    public static func encode(_ bytes: some Sequence<UInt8>) -> String {
        var text: [UInt8] = []
        text.reserveCapacity(bytes.underestimatedCount * 2)
        for byte in bytes {
            text.append(digits[Int(byte >> 4)])
            text.append(digits[Int(byte & 0x0f)])
        }
        return String(decoding: text, as: UTF8.self)
    }

    /// The bytes that `hex` spells, two digits per byte, in either case.
    ///
    /// Throws `CryptoError.hexInvalidCharacter` for anything but a hex digit (including spaces and a `0x` prefix)
    /// and `CryptoError.hexOddLength` for an odd number of digits.
    public static func decode(_ hex: String) throws(CryptoError) -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(hex.utf8.count / 2)
        var high: UInt8? = nil
        for (offset, scalar) in hex.unicodeScalars.enumerated() {
            guard let nibble = value(of: scalar) else { throw .hexInvalidCharacter(scalar, offset: offset) }
            if let pending = high {
                bytes.append(pending << 4 | nibble)
                high = nil
            } else {
                high = nibble
            }
        }
        guard high == nil else { throw .hexOddLength(digitCount: bytes.count * 2 + 1) }
        return bytes
    }

    private static func value(of scalar: Unicode.Scalar) -> UInt8? {
        switch scalar {
        case "0"..."9": UInt8(scalar.value - Unicode.Scalar("0").value)
        case "a"..."f": UInt8(scalar.value - Unicode.Scalar("a").value + 10)
        case "A"..."F": UInt8(scalar.value - Unicode.Scalar("A").value + 10)
        default: nil
        }
    }
}
