/// What went wrong in a cryptographic operation or in the input handed to one.
///
/// OpenSSL failures carry the library's own packed error code and its text so an operator can look them up; input
/// failures carry the offending value and where it was found.
public enum CryptoError: Error, Equatable, Sendable, CustomStringConvertible {
    /// An OpenSSL call returned failure. `code` is the first entry of OpenSSL's error queue (`ERR_get_error`) and
    /// `reason` its text (`ERR_error_string_n`); both are `0` and empty when OpenSSL queued nothing.
    case openSSL(function: String, code: UInt, reason: String)
    /// Hex text must have two digits per byte; this one had an odd number of digits.
    case hexOddLength(digitCount: Int)
    /// Hex text may contain only `0-9`, `a-f` and `A-F`; `offset` counts Unicode scalars from the start.
    case hexInvalidCharacter(Unicode.Scalar, offset: Int)
    /// A requested number of bytes fell outside the limit the operation allows.
    case byteCountOutOfRange(Int, allowed: ClosedRange<Int>)

    public var description: String {
        switch self {
        case let .openSSL(function, code, reason):
            let detail = code == 0 ? "no error queued" : reason
            return "OpenSSL \(function) failed (code 0x\(String(code, radix: 16, uppercase: true))): \(detail)"
        case let .hexOddLength(digitCount):
            return "hex text has an odd number of digits (\(digitCount)); each byte needs two"
        case let .hexInvalidCharacter(scalar, offset):
            return "hex text has \(scalar.debugDescription) at offset \(offset), which is not a hex digit"
        case let .byteCountOutOfRange(count, allowed):
            return "byte count \(count) is outside the allowed \(allowed.lowerBound)...\(allowed.upperBound)"
        }
    }
}
