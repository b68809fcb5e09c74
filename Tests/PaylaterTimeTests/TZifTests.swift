import PaylaterTime
import Testing

/// Writes small TZif files (RFC 8536) for parser tests.
struct TZifBuilder {
    struct TimeType {
        var offsetSeconds: Int32
        var isDaylightSaving: Bool
        var abbreviationIndex: UInt8
    }

    var version = UInt8(ascii: "2")
    var transitions: [(time: Int64, type: UInt8)] = []
    var types: [TimeType] = [TimeType(offsetSeconds: 0, isDaylightSaving: false, abbreviationIndex: 0)]
    var abbreviations = Array("UTC\0".utf8)
    var leapRecordCount = 0
    var footer = "UTC0"

    func bytes() -> [UInt8] {
        // A minimal version 1 block (one type, one character), as "zic -b slim" writes.
        var bytes = header(counts: [0, 0, 0, 0, 1, 1]) + [0, 0, 0, 0, 0, 0, 0]
        bytes += header(counts: [0, 0, leapRecordCount, transitions.count, types.count, abbreviations.count])
        for transition in transitions { bytes += Self.bigEndian(UInt64(bitPattern: transition.time)) }
        bytes += transitions.map(\.type)
        for type in types {
            bytes += Self.bigEndian(UInt32(bitPattern: type.offsetSeconds))
            bytes += [type.isDaylightSaving ? 1 : 0, type.abbreviationIndex]
        }
        bytes += abbreviations
        bytes += [UInt8](repeating: 0, count: leapRecordCount * 12)
        return bytes + [0x0A] + Array(footer.utf8) + [0x0A]
    }

    private func header(counts: [Int]) -> [UInt8] {
        var bytes = Array("TZif".utf8) + [version] + [UInt8](repeating: 0, count: 15)
        for count in counts { bytes += Self.bigEndian(UInt32(count)) }
        return bytes
    }

    private static func bigEndian(_ value: UInt32) -> [UInt8] {
        (0..<4).reversed().map { UInt8(truncatingIfNeeded: value >> (8 * $0)) }
    }

    private static func bigEndian(_ value: UInt64) -> [UInt8] {
        (0..<8).reversed().map { UInt8(truncatingIfNeeded: value >> (8 * $0)) }
    }

    /// New York from its 1883 adoption of EST, one 1950 DST season, and the US rule after 2007 in the footer.
    static let newYorkSketch = TZifBuilder(
        transitions: [
            (instant("1883-11-18T17:00:00Z").secondsSinceUnixEpoch, 1),
            (instant("1950-04-30T07:00:00Z").secondsSinceUnixEpoch, 2),
            (instant("1950-09-24T06:00:00Z").secondsSinceUnixEpoch, 1),
        ],
        types: [
            TimeType(offsetSeconds: -17_762, isDaylightSaving: false, abbreviationIndex: 0),
            TimeType(offsetSeconds: -18_000, isDaylightSaving: false, abbreviationIndex: 4),
            TimeType(offsetSeconds: -14_400, isDaylightSaving: true, abbreviationIndex: 8),
        ],
        abbreviations: Array("LMT\0EST\0EDT\0".utf8),
        footer: "EST5EDT,M3.2.0,M11.1.0"
    )
}

/// A seeded SplitMix64 generator, so that fuzz failures replay exactly.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var value = state
        value = (value ^ (value >> 30)) &* 0xBF58_476D_1CE4_E5B9
        value = (value ^ (value >> 27)) &* 0x94D0_49BB_1331_11EB
        return value ^ (value >> 31)
    }
}

@Suite struct TZifParsing {
    @Test("type 0 applies before the first transition, listed types until the last, the footer after", arguments: [
        ("1800-01-01T00:00:00Z", Int32(-17_762), "LMT"),
        ("1883-11-18T16:59:59Z", -17_762, "LMT"),
        ("1883-11-18T17:00:00Z", -18_000, "EST"),
        ("1950-04-30T06:59:59Z", -18_000, "EST"),
        ("1950-04-30T07:00:00Z", -14_400, "EDT"),
        ("1950-09-24T05:59:59Z", -14_400, "EDT"),
        ("1950-12-01T00:00:00Z", -18_000, "EST"),
        ("2026-07-01T12:00:00Z", -14_400, "EDT"),
        ("2026-12-01T12:00:00Z", -18_000, "EST"),
    ])
    func layers(text: String, offsetSeconds: Int32, abbreviation: String) throws {
        let zone = try TimeZoneRules(identifier: "Sketch", tzif: TZifBuilder.newYorkSketch.bytes())
        #expect(zone.offset(at: instant(text)) == UTCOffset(seconds: offsetSeconds))
        #expect(zone.abbreviation(at: instant(text)) == abbreviation)
    }

    @Test("with no transitions the footer governs every instant")
    func footerOnly() throws {
        var builder = TZifBuilder()
        builder.abbreviations = Array("+08\0".utf8)
        builder.types = [.init(offsetSeconds: 28_800, isDaylightSaving: false, abbreviationIndex: 0)]
        builder.footer = "<+08>-8"
        let zone = try TimeZoneRules(identifier: "Fixed", tzif: builder.bytes())
        #expect(zone.offset(at: instant("1900-01-01T00:00:00Z")).description == "+08:00")
        #expect(zone.offset(at: instant("2200-01-01T00:00:00Z")).description == "+08:00")
    }

    @Test("with no transitions and an empty footer type 0 governs every instant")
    func typeZeroOnly() throws {
        var builder = TZifBuilder()
        builder.footer = ""
        let zone = try TimeZoneRules(identifier: "Plain", tzif: builder.bytes())
        #expect(zone.offset(at: instant("2026-11-24T08:00:00Z")) == .zero)
        #expect(zone.abbreviation(at: instant("2026-11-24T08:00:00Z")) == "UTC")
    }

    @Test("a truncated file is rejected at every length, never read past its end")
    func everyTruncationThrows() {
        let bytes = TZifBuilder.newYorkSketch.bytes()
        for length in 0..<bytes.count {
            #expect(throws: TimeError.self, "prefix of \(length) bytes") {
                try TimeZoneRules(identifier: "Cut", tzif: Array(bytes[0..<length]))
            }
        }
    }

    @Test("broken files are rejected with a reason", arguments: [
        ("magic", "TZif"), ("version 1", "version 1"), ("order", "strictly increasing"), ("type index", "missing type"),
        ("leap seconds", "leap-second"), ("footer", "footer is not a valid POSIX TZ rule"),
        ("trailing", "after the footer"),
        ("DST flag", "DST flag"), ("abbreviation", "abbreviation index"), ("offset", "out-of-range UT offset"),
    ])
    func rejectsBrokenFiles(defect: String, reasonFragment: String) {
        let bytes = Self.brokenFile(defect)
        #expect {
            try TimeZoneRules(identifier: "Broken", tzif: bytes)
        } throws: { error in
            guard case .malformedTZif("Broken", let reason) = error as? TimeError else { return false }
            return reason.contains(reasonFragment)
        }
    }

    /// The New York sketch with one defect.
    private static func brokenFile(_ defect: String) -> [UInt8] {
        var builder = TZifBuilder.newYorkSketch
        switch defect {
        case "version 1": builder.version = 0
        case "order": builder.transitions[2].time = builder.transitions[1].time
        case "type index": builder.transitions[0].type = 3
        case "leap seconds": builder.leapRecordCount = 1
        case "footer": builder.footer = "EST5EDT,M3"
        case "abbreviation": builder.types[0].abbreviationIndex = 200
        case "offset": builder.types[0].offsetSeconds = 100_000
        default: break
        }
        var bytes = builder.bytes()
        switch defect {
        case "magic": bytes[0] = UInt8(ascii: "X")
        case "trailing": bytes.append(0)
        case "DST flag":
            // The first type's DST flag: after the slim version 1 block (44 + 7 bytes), the second header (44),
            // the transition times and indices (9 bytes each) and the type's 4-byte offset.
            bytes[44 + 7 + 44 + builder.transitions.count * 9 + 4] = 2
        default: break
        }
        return bytes
    }

    @Test("randomly corrupted TZif files either parse or throw, never crash", arguments: [
        "sketch", "America/New_York", "Australia/Sydney",
    ])
    func fuzzCorruptedFiles(source: String) throws {
        let original = try #require(
            source == "sketch" ? TZifBuilder.newYorkSketch.bytes() : TimeZoneFiles.bytes(of: source)
        )
        var generator = SplitMix64(state: 20_261_124)
        for _ in 0..<2000 {
            var bytes = original
            for _ in 0..<Int.random(in: 1...4, using: &generator) {
                bytes[Int.random(in: 0..<bytes.count, using: &generator)] = UInt8.random(in: 0...255, using: &generator)
            }
            if let zone = try? TimeZoneRules(identifier: "Fuzz", tzif: bytes) {
                _ = zone.offset(at: instant("2026-11-24T08:00:00Z"))
                _ = zone.resolve(try LocalDateTime(iso8601: "2026-03-08T02:30:00"))
            }
        }
    }
}
