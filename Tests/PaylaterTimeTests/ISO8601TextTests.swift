@testable import PaylaterTime
import Testing

@Suite("ISO 8601 digits")
struct ISO8601TextTests {
    @Test("numbers are padded with zeros to the width, a sign first, never cut", arguments: [
        (Int64(0), 2, "00"), (7, 2, "07"), (42, 2, "42"), (123, 2, "123"), (5, 4, "0005"), (2026, 4, "2026"),
        (-5, 4, "-0005"), (-12_345, 2, "-12345"), (Int64.max, 1, "9223372036854775807"),
        (Int64.min, 1, "-9223372036854775808"), (0, 0, "0"),
    ])
    func padded(value: Int64, width: Int, text: String) {
        #expect(ISO8601Text.padded(value, width: width) == text)
        var bytes = Array("x".utf8)
        ISO8601Text.appendPadded(value, width: width, to: &bytes)
        #expect(String(decoding: bytes, as: UTF8.self) == "x" + text)
    }

    @Test("fractions keep 3, 6 or 9 digits, none for zero", arguments: [
        (0, ""), (500_000_000, ".500"), (1_000_000, ".001"), (1_000, ".000001"), (1, ".000000001"),
        (999_999_999, ".999999999"), (120_000, ".000120"),
    ])
    func fraction(nanosecond: Int, text: String) {
        #expect(ISO8601Text.text(capacity: 10) { ISO8601Text.appendFraction(nanosecond: nanosecond, to: &$0) } == text)
    }
}
