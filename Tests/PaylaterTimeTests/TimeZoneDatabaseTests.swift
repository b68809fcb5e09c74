import PaylaterTime
import Testing

@Suite struct TimeZoneDatabaseLoading {
    @Test("every zone and link named in tzdata.zi loads, but Factory")
    func loadsEveryZone() throws {
        let identifiers = TimeZoneFiles.allIdentifiers().filter { $0 != "Factory" }
        #expect(identifiers.count > 500)
        let database = TimeZoneDatabase()
        for identifier in identifiers {
            let rules = try database.rules(for: identifier)
            #expect(rules.identifier == identifier)
            _ = rules.offset(at: instant("2026-11-24T08:00:00Z"))
        }
    }

    @Test("an identifier with no tzdata file is an unknown time zone", arguments: [
        "Mars/Olympus_Mons", "America", "America/New_York/Extra", "Nowhere",
    ])
    func unknownZone(identifier: String) {
        #expect(throws: TimeError.unknownTimeZone(identifier: identifier)) {
            try TimeZoneDatabase.system.rules(for: identifier)
        }
    }

    @Test("a tzdata file that is no place's calendar is an unknown time zone", arguments: [
        "localtime", "posixrules", "Factory", "posix/America/New_York", "posix/UTC",
    ])
    func refusesFilesThatAreNoPlace(identifier: String) {
        #expect(throws: TimeError.unknownTimeZone(identifier: identifier)) {
            try TimeZoneDatabase.system.rules(for: identifier)
        }
    }

    @Test("identifiers that could escape the directory are rejected before touching the file system", arguments: [
        "../etc/passwd", "/etc/passwd", "America/../../etc/passwd", "..", "America/..", "America//New_York",
        "America/", "", "America/New York", "zone.tab", "America/New_York\0", "América/Bogotá", "C:\\zone",
        String(repeating: "A", count: 65),
    ])
    func rejectsUnsafeIdentifiers(identifier: String) {
        #expect {
            try TimeZoneDatabase.system.rules(for: identifier)
        } throws: { error in
            guard case .invalidTimeZoneIdentifier = error as? TimeError else { return false }
            return true
        }
    }

    @Test("a file that is not TZif, or counts leap seconds, is a malformed zone", arguments: [
        "leapseconds", "right/America/New_York",
    ])
    func rejectsNonZoneFiles(identifier: String) {
        #expect {
            try TimeZoneDatabase.system.rules(for: identifier)
        } throws: { error in
            guard case .malformedTZif(identifier, _) = error as? TimeError else { return false }
            return true
        }
    }

    @Test("UTC is built in and needs no tzdata file")
    func utcBuiltIn() throws {
        let empty = TimeZoneDatabase(directory: "/nonexistent/zoneinfo")
        #expect(try empty.rules(for: "UTC") == .utc)
        #expect(throws: TimeError.unknownTimeZone(identifier: "Asia/Shanghai")) {
            try empty.rules(for: "Asia/Shanghai")
        }
    }

    @Test("rules are cached and safe to load from many tasks at once")
    func concurrentLoading() async throws {
        let database = TimeZoneDatabase()
        let identifiers = ["America/New_York", "Europe/London", "Asia/Shanghai", "Australia/Sydney"]
        let loaded = try await withThrowingTaskGroup(of: TimeZoneRules.self) { group in
            for index in 0..<64 {
                group.addTask { try database.rules(for: identifiers[index % identifiers.count]) }
            }
            return try await group.reduce(into: [TimeZoneRules]()) { $0.append($1) }
        }
        #expect(loaded.count == 64)
        for identifier in identifiers {
            #expect(Set(loaded.filter { $0.identifier == identifier }).count == 1)
            #expect(try database.rules(for: identifier) == loaded.first { $0.identifier == identifier })
        }
    }

    @Test("a trailing slash on the directory is ignored")
    func directoryNormalised() throws {
        let database = TimeZoneDatabase(directory: "/usr/share/zoneinfo/")
        #expect(database.directory == "/usr/share/zoneinfo")
        #expect(try database.rules(for: "Asia/Kolkata").offset(at: .unixEpoch).description == "+05:30")
    }

    @Test("errors explain themselves in a sentence")
    func messages() {
        #expect(TimeError.unknownTimeZone(identifier: "Mars/Base").description
            == "There is no time zone named \"Mars/Base\" in the tzdata database.")
        #expect(TimeError.invalidTimeZoneIdentifier("../x").description.hasPrefix("\"../x\" is not a valid time zone"))
    }
}
