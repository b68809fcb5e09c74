/// Strict readers and writers for the ISO 8601 / RFC 3339 text forms used by this module.
///
/// Only the fixed-width forms are accepted: "2026-11-24", "08:00:00[.f]", "2026-11-24T08:00:00[.f]" and
/// "2026-11-24T08:00:00[.f](Z|±hh:mm)". No week dates, ordinal dates, basic (separator-free) forms or leap seconds.
package enum ISO8601Text {
    /// Texts longer than this are rejected before scanning; the longest valid form (a timestamp with nine
    /// fractional digits and an offset) has 35 characters.
    static let byteCountMaximum = 40

    /// Reads "YYYY-MM-DD" at the scanner's position.
    static func scanDate(_ scanner: inout ASCIIScanner) -> (year: Int, month: Int, day: Int)? {
        guard let year = scanner.digits(4), scanner.skip(UInt8(ascii: "-")),
            let month = scanner.digits(2), scanner.skip(UInt8(ascii: "-")),
            let day = scanner.digits(2)
        else { return nil }
        return (year, month, day)
    }

    /// Reads "HH:MM:SS" and an optional "." followed by 1 to 9 digits at the scanner's position.
    static func scanTime(_ scanner: inout ASCIIScanner) -> (hour: Int, minute: Int, second: Int, nanosecond: Int)? {
        guard let hour = scanner.digits(2), scanner.skip(UInt8(ascii: ":")),
            let minute = scanner.digits(2), scanner.skip(UInt8(ascii: ":")),
            let second = scanner.digits(2)
        else { return nil }
        guard scanner.skip(UInt8(ascii: ".")) else { return (hour, minute, second, 0) }
        guard let nanosecond = scanner.fractionAsNanoseconds() else { return nil }
        return (hour, minute, second, nanosecond)
    }

    /// Reads the date-time separator: "T", or "t" as RFC 3339 allows.
    static func scanDateTimeSeparator(_ scanner: inout ASCIIScanner) -> Bool {
        scanner.skip(UInt8(ascii: "T")) || scanner.skip(UInt8(ascii: "t"))
    }

    /// Reads "Z", "z" or "±hh:mm" and returns the offset east of UTC in seconds.
    static func scanOffset(_ scanner: inout ASCIIScanner) -> Int64? {
        if scanner.skip(UInt8(ascii: "Z")) || scanner.skip(UInt8(ascii: "z")) { return 0 }
        let sign: Int64
        if scanner.skip(UInt8(ascii: "+")) {
            sign = 1
        } else if scanner.skip(UInt8(ascii: "-")) {
            sign = -1
        } else {
            return nil
        }
        guard let hours = scanner.digits(2), scanner.skip(UInt8(ascii: ":")), let minutes = scanner.digits(2),
            hours <= 23, minutes <= 59
        else { return nil }
        return sign * Int64(hours * 3600 + minutes * 60)
    }

    /// The text `write` appends to an empty buffer of `capacity` bytes: every printed form here is built that way,
    /// from digits appended in place rather than from small strings.
    static func text(capacity: Int, _ write: (inout [UInt8]) -> Void) -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(capacity)
        write(&bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// `value` in decimal, left-padded with zeros to `width` digits (negative values keep their sign first).
    static func padded(_ value: Int64, width: Int) -> String {
        text(capacity: width + 1) { appendPadded(value, width: width, to: &$0) }
    }

    /// Appends `value` as `padded` writes it. Timestamps are written into every stored document on every
    /// authorization; building them from small strings (digits, padding, separators) cost several times as much.
    /// Shared with the other modules that spell integers into bytes (the access log, canonical JSON).
    package static func appendPadded(_ value: Int64, width: Int, to bytes: inout [UInt8]) {
        if value < 0 { bytes.append(UInt8(ascii: "-")) }
        var magnitude = value.magnitude
        var digitCount = 1
        var rest = magnitude / 10
        while rest > 0 {
            digitCount += 1
            rest /= 10
        }
        if width > digitCount { bytes.append(contentsOf: repeatElement(UInt8(ascii: "0"), count: width - digitCount)) }
        let start = bytes.count
        bytes.append(contentsOf: repeatElement(UInt8(ascii: "0"), count: digitCount))
        var index = start + digitCount - 1
        while magnitude > 0 {
            bytes[index] = UInt8(ascii: "0") + UInt8(magnitude % 10)
            magnitude /= 10
            index -= 1
        }
    }

    /// Appends `first` padded to `width` digits, then `second` and `third` with two digits each, `separator`
    /// between them: a date's year-month-day, a time's hour:minute:second.
    static func appendFields(
        _ first: Int64, width: Int, _ second: Int64, _ third: Int64, separator: UInt8, to bytes: inout [UInt8]
    ) {
        appendPadded(first, width: width, to: &bytes)
        bytes.append(separator)
        appendPadded(second, width: 2, to: &bytes)
        bytes.append(separator)
        appendPadded(third, width: 2, to: &bytes)
    }

    /// Appends nothing for zero, otherwise "." and the fraction trimmed to 3, 6 or 9 digits (".5 s" becomes ".500").
    static func appendFraction(nanosecond: Int, to bytes: inout [UInt8]) {
        precondition((0..<1_000_000_000).contains(nanosecond))
        if nanosecond == 0 { return }
        bytes.append(UInt8(ascii: "."))
        if nanosecond % 1_000_000 == 0 { return appendPadded(Int64(nanosecond / 1_000_000), width: 3, to: &bytes) }
        if nanosecond % 1_000 == 0 { return appendPadded(Int64(nanosecond / 1_000), width: 6, to: &bytes) }
        appendPadded(Int64(nanosecond), width: 9, to: &bytes)
    }
}

/// A forward-only reader over the UTF-8 bytes of a short text.
struct ASCIIScanner {
    private let bytes: [UInt8]
    private var position = 0

    init(_ text: String) {
        bytes = Array(text.utf8)
    }

    var isAtEnd: Bool { position == bytes.count }

    var byteCount: Int { bytes.count }

    /// Consumes `byte` if it is next.
    mutating func skip(_ byte: UInt8) -> Bool {
        guard position < bytes.count, bytes[position] == byte else { return false }
        position += 1
        return true
    }

    /// Consumes exactly `count` ASCII digits and returns their value, or consumes nothing.
    mutating func digits(_ count: Int) -> Int? {
        precondition((1...9).contains(count))
        guard bytes.count - position >= count else { return nil }
        var value = 0
        for offset in 0..<count {
            guard let digit = Self.digitValue(bytes[position + offset]) else { return nil }
            value = value * 10 + digit
        }
        position += count
        return value
    }

    /// Consumes 1 to 9 digits of a decimal fraction and returns it in nanoseconds; more than 9 digits is an error.
    mutating func fractionAsNanoseconds() -> Int? {
        var value = 0
        var count = 0
        while position < bytes.count, let digit = Self.digitValue(bytes[position]) {
            guard count < 9 else { return nil }
            value = value * 10 + digit
            count += 1
            position += 1
        }
        guard count > 0 else { return nil }
        for _ in count..<9 { value *= 10 }
        return value
    }

    private static func digitValue(_ byte: UInt8) -> Int? {
        guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return nil }
        return Int(byte - UInt8(ascii: "0"))
    }
}
