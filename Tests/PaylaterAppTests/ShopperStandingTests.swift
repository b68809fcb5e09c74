import Foundation
@testable import PaylaterApp
import PaylaterLedger
import PaylaterMoney
import PaylaterStore
import PaylaterTestSupport
import PaylaterTime
import Synchronization
import Testing

@Suite("The blocked list")
struct ShopperStandingTests {
    @Test("blocking logs who and why with the change; blocking again changes and logs nothing; unblocking does", arguments: StoreKind.available)
    func blockAndUnblock(kind: StoreKind) throws {
        let store = try TestStore(kind)
        let standing = ShopperStanding(database: store.database, clock: store.clock)
        let shopper = try ConsumerID("s1")
        guard case let .changed(blocked) = try standing.block(shopper, reason: "card testing", by: "risk-ops") else {
            Issue.record("expected a change")
            return
        }
        #expect(blocked.blocked && blocked.reason == "card testing" && blocked.changedBy == "risk-ops")
        store.clock.advance(by: .seconds(60))
        #expect(try standing.block(shopper, reason: "again", by: "someone else") == .unchanged(since: blocked))
        #expect(try store.database.read { try UnderwritingRepository($0).profile(consumerID: "s1") }.blocked)
        guard case let .changed(unblocked) = try standing.unblock(shopper, reason: "cleared by review", by: "risk-lead") else {
            Issue.record("expected a change")
            return
        }
        #expect(try standing.unblock(shopper, reason: "again", by: "x") == .unchanged(since: unblocked))
        #expect(try standing.history(shopper).map(\.reason) == ["card testing", "cleared by review"])
        #expect(try !store.database.read { try UnderwritingRepository($0).profile(consumerID: "s1") }.blocked)
        #expect(try standing.unblock(try ConsumerID("never-seen"), reason: "r", by: "b") == .unchanged(since: nil))
    }

    @Test("an empty or overlong reason or name is refused and writes nothing", arguments: ["", "   ", String(repeating: "x", count: 501), "tab\there"])
    func refusesBadReasons(reason: String) throws {
        let store = try TestStore(.sqlite)
        let standing = ShopperStanding(database: store.database, clock: store.clock)
        #expect(throws: StandingError.self) { try standing.block(try ConsumerID("s1"), reason: reason, by: "ops") }
        #expect(throws: StandingError.self) { try standing.block(try ConsumerID("s1"), reason: "fraud", by: reason) }
        #expect(try standing.history(try ConsumerID("s1")).isEmpty)
        #expect(try !store.database.read { try UnderwritingRepository($0).profile(consumerID: "s1") }.blocked)
    }

    /// Review r11: control characters were refused, but a reason or a name made only of a zero-width space (an
    /// audit entry saying neither who nor why), a line separator (U+2028, a line break to most readers of the log
    /// and of `shopper show`) or a right-to-left override (which shows "by mallory\u{202E}x" reversed) went in.
    @Test("an invisible reason or name, or one with a line separator or a bidirectional override, is refused and writes nothing",
          arguments: ["\u{200B}", " \u{200B} ", "fraud\u{2028}unblocked by lead: cleared", "fraud\u{2029}", "mallory\u{202E}", "ops\u{2066}x"])
    func refusesInvisibleAndLineBreakingText(text: String) throws {
        let store = try TestStore(.sqlite)
        let standing = ShopperStanding(database: store.database, clock: store.clock)
        #expect(throws: StandingError.self) { try standing.block(try ConsumerID("s1"), reason: text, by: "ops") }
        #expect(throws: StandingError.self) { try standing.block(try ConsumerID("s1"), reason: "fraud", by: text) }
        #expect(try standing.history(try ConsumerID("s1")).isEmpty)
    }

    /// Before, every profile writer read the whole profile and wrote it back: on PostgreSQL a spending cap set while
    /// an operator blocked the shopper wrote `blocked` back as it had read it, and the block was lost.
    @Test("a block, a spending cap and a limit freeze written at once all stay", arguments: StoreKind.available)
    func writersOfOneProfileAtOnce(kind: StoreKind) throws {
        let store = try TestStore(kind)
        let rounds = 20
        for round in 0..<rounds {
            let consumer = "c\(round)"
            let now = store.clock.now()
            DispatchQueue.concurrentPerform(iterations: 3) { writer in
                do {
                    try store.database.write { connection in
                        let repository = UnderwritingRepository(connection)
                        switch writer {
                        case 0: _ = try repository.changeBlocked(true, consumerID: consumer, at: now)
                        case 1: try repository.setSpendingCap(200_00, currency: "CNY", consumerID: consumer, at: now)
                        default: try repository.setLimitFrozen(true, consumerID: consumer, at: now)
                        }
                    }
                } catch {
                    Issue.record("writer \(writer) of round \(round): \(error)")
                }
            }
            let profile = try store.database.read { try UnderwritingRepository($0).profile(consumerID: consumer) }
            #expect(profile == ShopperProfile(blocked: true, limitFrozen: true, spendingCap: 200_00, spendingCapCurrency: "CNY"), "round \(round)")
        }
    }
}

@Suite("The blocked list, operators at once")
struct ShopperStandingConcurrencyTests {
    @Test("two operators blocking one shopper at once (profile new or not): one block logged, the other told it was made", arguments: StoreKind.available)
    func twoOperatorsAtOnce(kind: StoreKind) throws {
        let store = try TestStore(kind)
        let standing = ShopperStanding(database: store.database, clock: store.clock)
        for round in 0..<20 {
            let shopper = try ConsumerID("c\(round)")
            if round.isMultiple(of: 2) {
                let now = store.clock.now()
                try store.database.write { try UnderwritingRepository($0).setLimitFrozen(false, consumerID: shopper.rawValue, at: now) }
            }
            let outcomes = Mutex<[ShopperStanding.Outcome]>([])
            DispatchQueue.concurrentPerform(iterations: 4) { operatorIndex in
                do {
                    let outcome = operatorIndex < 2
                        ? try standing.block(shopper, reason: "r\(operatorIndex)", by: "op\(operatorIndex)")
                        : try standing.unblock(shopper, reason: "u\(operatorIndex)", by: "op\(operatorIndex)")
                    outcomes.withLock { $0.append(outcome) }
                } catch { Issue.record("operator \(operatorIndex): \(error)") }
            }
            let history = try standing.history(shopper)
            let changed = outcomes.withLock { $0.filter { if case .changed = $0 { true } else { false } }.count }
            #expect(history.count == changed, "round \(round): \(history)")
            // The log alternates and ends where the profile stands.
            #expect(zip(history, history.dropFirst()).allSatisfy { $0.blocked != $1.blocked }, "round \(round)")
            let blocked = try store.database.read { try UnderwritingRepository($0).profile(consumerID: shopper.rawValue) }.blocked
            #expect(history.last?.blocked ?? false == blocked, "round \(round)")
        }
    }
}
