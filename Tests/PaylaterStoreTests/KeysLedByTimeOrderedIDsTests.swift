import PaylaterLedger
import PaylaterSQLite
@testable import PaylaterStore
import PaylaterTestSupport
import PaylaterTime
import Testing

/// Migration 11 re-keys orders and webhook events on a database that already holds them.
@Suite("Migration 11: keys led by time-ordered ids")
struct KeysLedByTimeOrderedIDsTests {
    static let merchant = "m1"

    /// A store at migration 10 with an endpoint, two orders, three events and their deliveries, one of them
    /// delivered (every delivery column set).
    static func storeBeforeMigration(_ kind: StoreKind) throws -> TestStore {
        let store = try TestStore(kind, migrations: Array(Schema.migrations.prefix(10)))
        let now = store.clock.now()
        try store.database.write { connection in
            let webhooks = WebhookRepository(connection)
            try webhooks.insert(WebhookEndpointRecord(
                merchantID: merchant, id: "we1", url: "https://example.com/hook", secret: "s", createdAt: now, active: true))
            let orders = CheckoutRepository(connection)
            for (consumer, order) in [("c1", "ord_a"), ("c2", "ord_b")] {
                try orders.insert(
                    OrderRecord(
                        consumerID: consumer, id: order, merchantID: merchant, state: "authorized", expiresAt: now,
                        document: #"{"id":"\#(order)"}"#, version: 1),
                    at: now)
            }
            for order in ["ord_a", "ord_a", "ord_b"] {
                try WebhookOutbox.enqueue(
                    NewWebhookEvent(merchantID: try MerchantID(merchant), orderID: order, type: .orderAuthorized, data: "{}"),
                    in: connection, at: now)
            }
            try connection.execute(
                """
                UPDATE webhook_deliveries SET state = 'delivered', attempts = 2, next_attempt_at = NULL,
                    last_status = 204, last_error = 'first try timed out', delivered_at = ?
                WHERE event_id = (SELECT MIN(id) FROM webhook_events)
                """,
                [.integer(now.nanosecondsSinceUnixEpoch + 1)])
        }
        return store
    }

    static func rows(_ table: String, in store: TestStore) throws -> [[SQLValue]] {
        try store.database.read { try $0.query("SELECT * FROM \(table) ORDER BY 1, 2, 3", []).map(\.values) }
    }

    @Test("orders, events and deliveries come through whole", arguments: StoreKind.available)
    func rowsKept(kind: StoreKind) throws {
        let store = try Self.storeBeforeMigration(kind)
        let tables = ["orders", "webhook_events", "webhook_deliveries", "webhook_endpoints"]
        let before = try tables.map { try Self.rows($0, in: store) }
        #expect(before.map(\.count) == [2, 3, 3, 1])

        #expect(try Migrator(migrations: Array(Schema.migrations.prefix(11))).migrate(store.database, at: store.clock.now()) == [11])

        #expect(try tables.map { try Self.rows($0, in: store) } == before)
        let order = try store.database.read { try CheckoutRepository($0).order(merchantID: Self.merchant, id: "ord_b") }
        #expect(order?.consumerID == "c2")
        #expect(try store.database.read { try CheckoutRepository($0).order(merchantID: "m2", id: "ord_b") } == nil)
    }

    @Test("an order's events are still numbered in turn, and a number is still taken once", arguments: StoreKind.available)
    func sequenceStillUnique(kind: StoreKind) throws {
        let store = try Self.storeBeforeMigration(kind)
        try Migrator().migrate(store.database, at: store.clock.now())
        let now = store.clock.now()
        let third = try store.database.write { connection in
            try WebhookOutbox.enqueue(
                NewWebhookEvent(merchantID: try MerchantID(Self.merchant), orderID: "ord_a", type: .orderCaptured, data: "{}"),
                in: connection, at: now)
        }
        #expect(third.sequence == 3)
        #expect(try store.database.read { try WebhookRepository($0).lastSequence(merchantID: Self.merchant, orderID: "ord_a") } == 3)
        #expect(throws: StoreError.self) {
            try store.database.write { connection in
                try WebhookRepository(connection).insert(WebhookEventRecord(
                    merchantID: Self.merchant, id: "evt_duplicate", orderID: "ord_a", sequence: 2, type: .orderCaptured,
                    data: "{}", createdAt: now))
            }
        }
        // Another merchant's order of the same id numbers its own events.
        let other = try store.database.write { connection in
            try WebhookOutbox.enqueue(
                NewWebhookEvent(merchantID: try MerchantID("m2"), orderID: "ord_a", type: .orderAuthorized, data: "{}"),
                in: connection, at: now)
        }
        #expect(other.sequence == 1)
    }

    @Test("a delivery still needs its event and its endpoint", arguments: StoreKind.available)
    func foreignKeysKept(kind: StoreKind) throws {
        let store = try Self.storeBeforeMigration(kind)
        try Migrator().migrate(store.database, at: store.clock.now())
        let now = store.clock.now()
        let event = try store.database.read { try $0.query("SELECT MIN(id) FROM webhook_events", [])[0].text(0) }
        for (eventID, endpointID) in [("evt_missing", "we1"), (event, "we_missing")] {
            #expect(throws: StoreError.self) {
                try store.database.write { connection in
                    try connection.execute(
                        """
                        INSERT INTO webhook_deliveries (merchant_id, event_id, endpoint_id, generation, state, attempts,
                            next_attempt_at, created_at)
                        VALUES (?, ?, ?, 1, 'pending', 0, ?, ?)
                        """,
                        [.text(Self.merchant), .text(eventID), .text(endpointID), .integer(now.nanosecondsSinceUnixEpoch),
                         .integer(now.nanosecondsSinceUnixEpoch)])
                }
            }
        }
        let replay = WebhookDeliveryKey(merchantID: Self.merchant, eventID: event, endpointID: "we1", generation: 1)
        try store.database.write { try WebhookRepository($0).insertDelivery(replay, dueAt: now, at: now) }
        #expect(try store.database.read { try WebhookRepository($0).delivery(replay) }?.state == .pending)
    }

    /// What the change is for: the look-ups every authorization makes use the keys led by the order id.
    @Test("SQLite finds an order's events and a merchant's order by the keys led by the order id")
    func queryPlans() throws {
        let store = try TestStore(.sqlite)
        let plans = try store.database.read { connection in
            try [
                "SELECT COALESCE(MAX(sequence), 0) FROM webhook_events WHERE merchant_id = 'm' AND order_id = 'o'",
                "SELECT * FROM orders WHERE merchant_id = 'm' AND id = 'o'",
            ].map { sql in
                try connection.query("EXPLAIN QUERY PLAN " + sql, []).map { try $0.text(3) }.joined(separator: "; ")
            }
        }
        #expect(plans[0].contains("sqlite_autoindex_webhook_events_2 (order_id=? AND merchant_id=?)"), "\(plans[0])")
        #expect(plans[1].contains("orders_by_id (id=? AND merchant_id=?)"), "\(plans[1])")
        let keys = try store.database.read { connection in
            try connection.query(
                "SELECT name FROM pragma_index_info('sqlite_autoindex_webhook_events_2') ORDER BY seqno", []
            ).map { try $0.text(0) }
        }
        #expect(keys == ["order_id", "merchant_id", "sequence"])
    }
}
