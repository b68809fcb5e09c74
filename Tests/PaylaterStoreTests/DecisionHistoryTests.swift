import PaylaterStore
import PaylaterTestSupport
import PaylaterTime
import Testing

/// `UnderwritingRepository.decisionHistory` answers two questions of a shopper's earlier decisions in one statement:
/// when the latest decline the model took part in was and whether any approval exists, never counting another
/// shopper's.
@Suite("A shopper's decision history")
struct DecisionHistoryTests {
    /// A decision taken at `seconds`; `model` nil for one that stopped before the model (a knock-out, velocity or
    /// cooling-off decline).
    static func decision(
        _ consumer: String, _ id: String, _ outcome: String, at seconds: Int64, model: String? = "toy@1"
    ) -> DecisionRecord {
        DecisionRecord(
            consumerID: consumer, decisionID: id, outcome: outcome, currency: "CNY",
            approvedAmount: outcome == "approved" ? 10_000 : nil, policy: "policy@1", model: model, arm: "champion",
            document: "{}", createdAt: Instant(nanosecondsSinceUnixEpoch: seconds * 1_000_000_000))
    }

    @Test("no decisions, declines only, then an approval; another shopper's decisions never count", arguments: StoreKind.available)
    func history(kind: StoreKind) throws {
        let store = try TestStore(kind)
        func history(_ consumer: String) throws -> DecisionHistory {
            try store.database.read { connection in try UnderwritingRepository(connection).decisionHistory(consumerID: consumer) }
        }
        func insert(_ records: DecisionRecord...) throws {
            try store.database.write { connection in
                for record in records { try UnderwritingRepository(connection).insert(record) }
            }
        }
        #expect(try history("c1") == DecisionHistory(lastDeclineAt: nil, hasApproval: false))

        try insert(Self.decision("c2", "d-other-1", "approved", at: 900), Self.decision("c2", "d-other-2", "declined", at: 950))
        // A decline before the model (here at 350: a cooling-off decline) starts no cooling-off of its own.
        try insert(Self.decision("c1", "d-1", "declined", at: 100), Self.decision("c1", "d-2", "declined", at: 300),
                   Self.decision("c1", "d-2b", "declined", at: 350, model: nil), Self.decision("c1", "d-3", "referred", at: 400))
        #expect(try history("c1") == DecisionHistory(lastDeclineAt: Instant(nanosecondsSinceUnixEpoch: 300_000_000_000), hasApproval: false))

        try insert(Self.decision("c1", "d-4", "approved", at: 500), Self.decision("c1", "d-5", "approved", at: 600))
        #expect(try history("c1") == DecisionHistory(lastDeclineAt: Instant(nanosecondsSinceUnixEpoch: 300_000_000_000), hasApproval: true))
        #expect(try history("c2") == DecisionHistory(lastDeclineAt: Instant(nanosecondsSinceUnixEpoch: 950_000_000_000), hasApproval: true))
        #expect(try history("c3") == DecisionHistory(lastDeclineAt: nil, hasApproval: false))
    }
}
