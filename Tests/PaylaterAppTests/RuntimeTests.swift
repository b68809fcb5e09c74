import Foundation
import PaylaterApp
import PaylaterSQLite
import PaylaterTestSupport
import PaylaterTime
import Testing

@Suite("Choosing the data directory")
struct StoreLocationTests {
    @Test("--data-dir wins over PAYLATER_DATA_DIR, which wins over ./paylater-data")
    func precedence() {
        let environment = ["PAYLATER_DATA_DIR": "/from/env"]
        #expect(StoreLocation.resolve(dataDirectoryFlag: "/from/flag", environment: environment) == .dataDirectory("/from/flag"))
        #expect(StoreLocation.resolve(dataDirectoryFlag: nil, environment: environment) == .dataDirectory("/from/env"))
        #expect(StoreLocation.resolve(dataDirectoryFlag: nil, environment: [:]) == .dataDirectory("./paylater-data"))
        #expect(StoreLocation.resolve(dataDirectoryFlag: "", environment: ["PAYLATER_DATA_DIR": ""]) == .dataDirectory("./paylater-data"))
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
        #expect(first.last?.hasPrefix("Ledger verified: 20 accounts, 9 transfers") == true)
        let second = try LedgerDemo(runtime: runtime).run()
        #expect(second.last == first.last)
    }
}
