import Synchronization

/// Loads and caches `TimeZoneRules` from a tzdata directory of TZif files, such as Debian's /usr/share/zoneinfo.
///
/// Identifiers are checked before the file system is touched, so a request can never name a file outside the
/// directory. Parsed rules are cached for the life of the database; the cache is thread-safe.
public final class TimeZoneDatabase: Sendable {
    /// The tzdata directory, without a trailing "/".
    public let directory: String
    private let cache = Mutex<[String: TimeZoneRules]>([:])

    /// The longest identifier accepted; the longest IANA name today ("America/Argentina/ComodRivadavia") has 32.
    public static let identifierByteCountMaximum = 64

    /// The system's tzdata at /usr/share/zoneinfo.
    public static let system = TimeZoneDatabase()

    /// A database reading TZif files under `directory`. Nothing is read until `rules(for:)` is called.
    public init(directory: String = "/usr/share/zoneinfo") {
        var directory = directory
        while directory.count > 1, directory.hasSuffix("/") { directory.removeLast() }
        self.directory = directory
    }

    /// The rules for an IANA identifier such as "America/New_York".
    ///
    /// "UTC" always returns the built-in `TimeZoneRules.utc`. Throws `TimeError.invalidTimeZoneIdentifier` for
    /// identifiers that are empty, too long, contain "..", start with "/" or use characters outside
    /// A-Z a-z 0-9 / _ + -; `TimeError.unknownTimeZone` when no file exists, or when the file is not a zone's
    /// (`notZoneNames`, the `posix/` copies); `TimeError.malformedTZif` or `TimeError.unreadableTimeZoneFile`
    /// when the file is unusable.
    public func rules(for identifier: String) throws(TimeError) -> TimeZoneRules {
        try Self.validate(identifier: identifier)
        guard !Self.notZoneNames.contains(identifier), !identifier.hasPrefix("posix/") else {
            throw .unknownTimeZone(identifier: identifier)
        }
        if identifier == TimeZoneRules.utc.identifier { return .utc }
        if let cached = cache.withLock({ $0[identifier] }) { return cached }
        let path = directory + "/" + identifier
        let bytes: [UInt8]
        switch ZoneFileReader.contents(ofPath: path, byteCountMaximum: TZifFile.byteCountMaximum) {
        case let .success(contents):
            bytes = contents
        case .failure(.notFound):
            throw .unknownTimeZone(identifier: identifier)
        case .failure(.tooLarge):
            throw .malformedTZif(identifier: identifier, reason: "larger than \(TZifFile.byteCountMaximum) bytes")
        case let .failure(.system(errno)):
            throw .unreadableTimeZoneFile(identifier: identifier, path: path, errno: errno)
        }
        let rules = try TimeZoneRules(identifier: identifier, tzif: bytes)
        cache.withLock { $0[identifier] = rules }
        return rules
    }

    /// Files a tzdata directory holds that are TZif but no place's calendar, refused like an unknown zone:
    /// "localtime" (a link to the host's /etc/localtime, so the calendar would change with the machine), "posixrules"
    /// (the rules for POSIX TZ strings, a copy of some zone chosen by the packager) and "Factory" (the "-00"
    /// placeholder for a host whose zone is not set). The `posix/` tree repeats the zones under another name.
    public static let notZoneNames: Set<String> = ["localtime", "posixrules", "Factory"]

    /// Throws `TimeError.invalidTimeZoneIdentifier` unless `identifier` is a safe relative path of IANA characters.
    static func validate(identifier: String) throws(TimeError) {
        let bytes = identifier.utf8
        let isSafe = !bytes.isEmpty && bytes.count <= identifierByteCountMaximum
            && bytes.first != UInt8(ascii: "/") && bytes.last != UInt8(ascii: "/")
            && !identifier.contains("..") && !identifier.contains("//")
            && bytes.allSatisfy(isIdentifierByte)
        guard isSafe else { throw .invalidTimeZoneIdentifier(TimeError.clipped(identifier)) }
    }

    private static func isIdentifierByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "/"), UInt8(ascii: "_"), UInt8(ascii: "+"),
            UInt8(ascii: "-"):
            return true
        default:
            return false
        }
    }
}
