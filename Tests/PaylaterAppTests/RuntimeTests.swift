import Foundation
import PaylaterApp
import PaylaterSQLite
import PaylaterTestSupport
import PaylaterTime
import Testing

@Suite("Choosing the store")
struct StoreLocationTests {
    @Test("--data-dir wins over PAYLATER_DATA_DIR, which wins over ./paylater-data")
    func dataDirectoryPrecedence() throws {
        let environment = ["PAYLATER_DATA_DIR": "/from/env"]
        #expect(try StoreLocation.resolve(dataDirectoryFlag: "/from/flag", environment: environment) == .dataDirectory("/from/flag"))
        #expect(try StoreLocation.resolve(dataDirectoryFlag: nil, environment: environment) == .dataDirectory("/from/env"))
        #expect(try StoreLocation.resolve(dataDirectoryFlag: nil, environment: [:]) == .dataDirectory("./paylater-data"))
        #expect(try StoreLocation.resolve(dataDirectoryFlag: "", environment: ["PAYLATER_DATA_DIR": ""]) == .dataDirectory("./paylater-data"))
    }

    @Test("a flag beats the environment, and --database beats PAYLATER_DATA_DIR only as a flag or its own variable")
    func databasePrecedence() throws {
        let url = "postgres://app@db:5432/paylater"
        let both = ["PAYLATER_DATA_DIR": "/from/env", "PAYLATER_DATABASE_URL": url]
        #expect(try StoreLocation.resolve(databaseURLFlag: url, dataDirectoryFlag: nil, environment: [:]) == .postgres(url: url))
        #expect(try StoreLocation.resolve(dataDirectoryFlag: "/flag", environment: both) == .dataDirectory("/flag"))
        #expect(try StoreLocation.resolve(dataDirectoryFlag: nil, environment: both) == .postgres(url: url))
        #expect(throws: StoreLocationError.conflictingFlags) {
            try StoreLocation.resolve(databaseURLFlag: url, dataDirectoryFlag: "/flag", environment: [:])
        }
        #expect(throws: StoreLocationError.notAPostgresURL("mysql://x")) {
            try StoreLocation.resolve(databaseURLFlag: "mysql://x", dataDirectoryFlag: nil, environment: [:])
        }
    }

    @Test("a password in a database URL never appears in descriptions")
    func redaction() {
        #expect(StoreLocation.postgres(url: "postgres://app:s3cret@db:5432/p").description == "PostgreSQL at postgres://app:***@db:5432/p")
        #expect(StoreLocation.postgres(url: "postgres://app@db/p").description == "PostgreSQL at postgres://app@db/p")
    }
}

@Suite("Ledger demo")
struct LedgerDemoTests {
    @Test("the demo tells a verified story, and running it again posts nothing new")
    func demoIsIdempotent() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("paylater-demo-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let clock = ManualClock(Instant(secondsSinceUnixEpoch: 1_790_000_000))
        let runtime = try PaylaterRuntime.open(.dataDirectory(directory), durability: .normal, clock: clock)
        let first = try LedgerDemo(runtime: runtime).run()
        #expect(first.contains("A second checkout of 1800.00 CNY is declined: 1800.00 CNY exceeds the available credit of 1401.00 CNY."))
        #expect(first.contains("Settlement pays the merchant 584.02 CNY after a 14.98 CNY discount (2.50%)."))
        #expect(first.last?.hasPrefix("Ledger verified: 20 accounts, 11 transfers") == true)
        let second = try LedgerDemo(runtime: runtime).run()
        #expect(second.last == first.last)
    }
}
