/// The contents of a TZif file (RFC 8536), version 2 or later, as this module uses them.
///
/// Parsing is pure: bytes in, rules out. Only the 64-bit data block and the footer are used; the version 1 block
/// is skipped. Files with leap-second records (the "right/" zones) are rejected because `Instant` counts POSIX
/// seconds, which have no leap seconds.
struct TZifFile: Hashable, Sendable {
    /// Transition instants in seconds since the epoch (UTC), strictly increasing.
    var transitionTimes: [Int64]
    /// The local time type in effect from each transition, parallel to `transitionTimes`.
    var transitionTypes: [LocalTimeType]
    /// Type 0: in effect before the first transition (and always, if there are none and no footer).
    var initialType: LocalTimeType
    /// The footer rule for instants after the last transition, or nil if the footer is empty.
    var footer: PosixTimeZone?

    /// The largest file accepted; real files are under 4 KiB.
    static let byteCountMaximum = 1 << 20

    /// Parses `bytes`; throws `TimeError.malformedTZif` naming `identifier` and the first broken rule.
    init(parsing bytes: [UInt8], identifier: String) throws(TimeError) {
        var reader = TZifReader(bytes: bytes, identifier: identifier)
        guard bytes.count <= Self.byteCountMaximum else {
            throw reader.failure("larger than \(Self.byteCountMaximum) bytes")
        }
        let version1 = try reader.header(timeSize: 4)
        guard version1.version >= 2 else {
            throw reader.failure("version 1 files have no 64-bit data; version 2 or later is required")
        }
        try reader.skip(version1.dataBlockByteCount(timeSize: 4))
        let header = try reader.header(timeSize: 8)
        guard header.version >= 2 else { throw reader.failure("the second header is not version 2 or later") }
        self = try reader.dataBlock(header)
        footer = try reader.footer()
    }

    init(transitionTimes: [Int64], transitionTypes: [LocalTimeType], initialType: LocalTimeType,
         footer: PosixTimeZone?) {
        self.transitionTimes = transitionTimes
        self.transitionTypes = transitionTypes
        self.initialType = initialType
        self.footer = footer
    }
}

/// The counts from a TZif header.
struct TZifHeader {
    var version: Int
    var isUTCCount: Int
    var isStandardCount: Int
    var leapCount: Int
    var transitionCount: Int
    var typeCount: Int
    var characterCount: Int

    /// The size of the data block that follows, with transition times of `timeSize` bytes (4 in version 1, 8 after).
    func dataBlockByteCount(timeSize: Int) -> Int {
        transitionCount * timeSize + transitionCount + typeCount * 6 + characterCount
            + leapCount * (timeSize + 4) + isStandardCount + isUTCCount
    }
}

/// A bounds-checked big-endian reader over TZif bytes. Every read that would pass the end throws.
struct TZifReader {
    private let bytes: [UInt8]
    private let identifier: String
    private var position = 0

    /// "TZif".
    private static let magic: [UInt8] = [0x54, 0x5A, 0x69, 0x66]
    /// RFC 8536: UT offsets lie in −89999...93599 (−24:59:59...+25:59:59), and −2³¹ is forbidden.
    private static let utcOffsetRange: ClosedRange<Int32> = -89_999...93_599

    init(bytes: [UInt8], identifier: String) {
        self.bytes = bytes
        self.identifier = identifier
    }

    func failure(_ reason: String) -> TimeError {
        .malformedTZif(identifier: TimeError.clipped(identifier), reason: reason)
    }

    /// Reads a header whose data block has transition times of `timeSize` bytes.
    mutating func header(timeSize: Int) throws(TimeError) -> TZifHeader {
        let start = position
        guard Array(try take(4)) == Self.magic else {
            throw failure("missing the \"TZif\" magic at byte \(start)")
        }
        let versionByte = try byte()
        let version: Int
        switch versionByte {
        case 0: version = 1
        case UInt8(ascii: "2")...UInt8(ascii: "9"): version = Int(versionByte - UInt8(ascii: "0"))
        default: throw failure("unknown version byte \(versionByte)")
        }
        try skip(15)
        var counts: [Int] = []
        for _ in 0..<6 { counts.append(Int(try uint32())) }
        let header = TZifHeader(
            version: version, isUTCCount: counts[0], isStandardCount: counts[1], leapCount: counts[2],
            transitionCount: counts[3], typeCount: counts[4], characterCount: counts[5]
        )
        try validate(header, timeSize: timeSize)
        return header
    }

    private func validate(_ header: TZifHeader, timeSize: Int) throws(TimeError) {
        guard header.typeCount >= 1 else { throw failure("it declares no local time types") }
        guard header.characterCount >= 1 else { throw failure("it declares no abbreviation characters") }
        guard header.isStandardCount == 0 || header.isStandardCount == header.typeCount,
            header.isUTCCount == 0 || header.isUTCCount == header.typeCount
        else { throw failure("its standard/wall and UT/local indicator counts do not match the type count") }
        guard header.dataBlockByteCount(timeSize: timeSize) <= bytes.count - position else {
            throw failure("it is shorter than its header declares")
        }
    }

    /// Reads the version 2+ data block described by `header`.
    mutating func dataBlock(_ header: TZifHeader) throws(TimeError) -> TZifFile {
        guard header.leapCount == 0 else {
            throw failure("it has leap-second records (a \"right/\" zone); only POSIX-time zones are supported")
        }
        var times: [Int64] = []
        times.reserveCapacity(header.transitionCount)
        for _ in 0..<header.transitionCount {
            let time = Int64(bitPattern: try uint64())
            if let previous = times.last, time <= previous {
                throw failure("its transition times are not strictly increasing")
            }
            times.append(time)
        }
        let typeIndices = Array(try take(header.transitionCount))
        var rawTypes: [(offset: Int32, isDST: Bool, abbreviationIndex: Int)] = []
        for _ in 0..<header.typeCount { rawTypes.append(try rawType()) }
        let characters = Array(try take(header.characterCount))
        try skip(header.isStandardCount + header.isUTCCount)

        var types: [LocalTimeType] = []
        for raw in rawTypes {
            let abbreviation = try Self.abbreviation(at: raw.abbreviationIndex, in: characters, reader: self)
            types.append(LocalTimeType(
                offset: UTCOffset(seconds: raw.offset), isDaylightSavingTime: raw.isDST, abbreviation: abbreviation
            ))
        }
        var transitionTypes: [LocalTimeType] = []
        transitionTypes.reserveCapacity(typeIndices.count)
        for index in typeIndices {
            guard Int(index) < types.count else { throw failure("a transition names missing type \(index)") }
            transitionTypes.append(types[Int(index)])
        }
        return TZifFile(transitionTimes: times, transitionTypes: transitionTypes, initialType: types[0], footer: nil)
    }

    private mutating func rawType() throws(TimeError) -> (offset: Int32, isDST: Bool, abbreviationIndex: Int) {
        let offset = Int32(bitPattern: try uint32())
        guard Self.utcOffsetRange.contains(offset) else {
            throw failure("a local time type has the out-of-range UT offset \(offset) s")
        }
        let flags = try take(2)
        guard flags[flags.startIndex] <= 1 else { throw failure("a local time type has a DST flag other than 0 or 1") }
        return (offset, flags[flags.startIndex] == 1, Int(flags[flags.startIndex + 1]))
    }

    private static func abbreviation(at index: Int, in characters: [UInt8], reader: TZifReader) throws(TimeError)
        -> String
    {
        guard index < characters.count, let end = characters[index...].firstIndex(of: 0) else {
            throw reader.failure("an abbreviation index points outside the NUL-terminated abbreviations")
        }
        return String(decoding: characters[index..<end], as: UTF8.self)
    }

    /// Reads "\n" + TZ string + "\n", which must end the file; an empty TZ string means no footer rule.
    mutating func footer() throws(TimeError) -> PosixTimeZone? {
        guard try byte() == 0x0A else { throw failure("the footer does not start with a newline") }
        let rest = bytes[position...]
        guard let end = rest.firstIndex(of: 0x0A) else { throw failure("the footer does not end with a newline") }
        guard end == bytes.count - 1 else { throw failure("there are bytes after the footer") }
        let text = String(decoding: bytes[position..<end], as: UTF8.self)
        position = bytes.count
        if text.isEmpty { return nil }
        do {
            return try PosixTimeZone(parsing: text)
        } catch {
            throw failure("its footer is not a valid POSIX TZ rule (\(error))")
        }
    }

    // MARK: Primitive reads

    mutating func skip(_ count: Int) throws(TimeError) {
        _ = try take(count)
    }

    private mutating func take(_ count: Int) throws(TimeError) -> ArraySlice<UInt8> {
        guard count >= 0, count <= bytes.count - position else {
            throw failure("it ends early, at byte \(bytes.count), while reading \(count) bytes at \(position)")
        }
        defer { position += count }
        return bytes[position..<position + count]
    }

    private mutating func byte() throws(TimeError) -> UInt8 {
        let slice = try take(1)
        return slice[slice.startIndex]
    }

    private mutating func uint32() throws(TimeError) -> UInt32 {
        try take(4).reduce(0) { $0 << 8 | UInt32($1) }
    }

    private mutating func uint64() throws(TimeError) -> UInt64 {
        try take(8).reduce(0) { $0 << 8 | UInt64($1) }
    }
}
