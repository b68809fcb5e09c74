@testable import PaylaterStore
import PaylaterTestSupport
import PaylaterTime
import Testing

/// Migration 15 records which declines start a cooling-off period; those stored before it keep the rule they were
/// taken under: every decline the model took part in.
@Suite("Migration 15: cooling-off declines")
struct CoolingOffDeclinesTests {
    @Test("declines stored before the migration cool off when the model took part; new ones as decided", arguments: StoreKind.available)
    func declinesCarriedOver(kind: StoreKind) throws {
        let store = try TestStore(kind, migrations: Array(Schema.migrations.prefix(14)))
        try store.database.write { connection in
            for (id, outcome, model, at) in [
                ("d-1", "declined", "toy@1", 100), ("d-2", "declined", nil, 200), ("d-3", "approved", "toy@1", 300),
            ] as [(String, String, String?, Int64)] {
                try connection.execute(
                    """
                    INSERT INTO credit_decisions
                        (consumer_id, id, outcome, currency, approved_amount, policy, model, arm, decision, created_at)
                    VALUES ('c1', ?, ?, 'CNY', NULL, 'policy@1', ?, 'champion', '{}', ?)
                    """,
                    [.text(id), .text(outcome), model.map { .text($0) } ?? .null, .integer(at * 1_000_000_000)])
            }
        }
        #expect(try Migrator(migrations: Array(Schema.migrations.prefix(15))).migrate(store.database, at: store.clock.now()) == [15])
        func history() throws -> DecisionHistory {
            try store.database.read { try UnderwritingRepository($0).decisionHistory(consumerID: "c1") }
        }
        #expect(try history().lastDeclineAt == Instant(nanosecondsSinceUnixEpoch: 100_000_000_000))
        let stored = try store.database.read { try UnderwritingRepository($0).decision(consumerID: "c1", decisionID: "d-1") }
        #expect(stored?.startsCoolingOff == true)

        // A later decline the engine said starts none (an order above the shopper's own cap) leaves it as it was.
        try store.database.write { connection in
            try UnderwritingRepository(connection).insert(DecisionRecord(
                consumerID: "c1", decisionID: "d-4", outcome: "declined", currency: "CNY", approvedAmount: nil,
                policy: "policy@1", model: "toy@1", arm: "champion", document: "{}",
                createdAt: Instant(nanosecondsSinceUnixEpoch: 400_000_000_000), startsCoolingOff: false))
        }
        #expect(try history().lastDeclineAt == Instant(nanosecondsSinceUnixEpoch: 100_000_000_000))
    }
}
