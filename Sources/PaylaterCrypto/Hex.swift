/// Hexadecimal text for bytes: digests in the database and in webhook signature headers.
///
/// Encoding is always lower case so that stored hashes compare as plain strings; decoding accepts either case.
public enum Hex {
    /// `bytes` as lower-case hex, two digits per byte.
    ///
    /// Spelled into the string's own storage: every authorization hashes four identifiers and its request body
    /// into hex, and going through an array of digits and `String(decoding:)`, which checks the UTF-8 again, cost
    /// about 1,200 instructions per 32 bytes.
    public static func encode(_ bytes: some Sequence<UInt8>) -> String {
        let collected = bytes as? [UInt8] ?? Array(bytes)
        return String(unsafeUninitializedCapacity: collected.count * 2) { text in
            for (index, byte) in collected.enumerated() {
                text[2 * index] = digit(byte >> 4)
                text[2 * index + 1] = digit(byte & 0x0f)
            }
            return collected.count * 2
        }
    }

    /// The ASCII lower-case hex digit of `nibble` (0 to 15).
    private static func digit(_ nibble: UInt8) -> UInt8 {
        nibble < 10 ? UInt8(ascii: "0") + nibble : UInt8(ascii: "a") - 10 + nibble
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
