import PaylaterSQLite
@testable import PaylaterStore
import PaylaterTestSupport
import PaylaterTime
import Testing

/// Migration 12 moves checkouts' outcomes into `checkout_outcomes`, on a database that already holds checkouts
/// open, decided, and decided before the outcome had columns.
@Suite("Migration 12: checkout outcomes apart")
struct CheckoutOutcomesApartTests {
    static let merchant = "m1"

    /// A store at migration 11 with four checkouts, as that schema stored them: one open, one authorized and one
    /// declined with their outcome in columns, and one authorized before migration 7 (order and reasons in the
    /// document only).
    static func storeBeforeMigration(_ kind: StoreKind) throws -> TestStore {
        let store = try TestStore(kind, migrations: Array(Schema.migrations.prefix(11)))
        let now = store.clock.now().nanosecondsSinceUnixEpoch
        try store.database.write { connection in
            let rows: [(id: String, state: String, orderID: SQLValue, reasons: SQLValue)] = [
                ("chk_open", "open", .null, .null),
                ("chk_approved", "authorized", .text("ord_1"), .text("[]")),
                ("chk_declined", "declined", .null, .text(#"["We can't offer this right now."]"#)),
                ("chk_before_7", "authorized", .null, .null),
            ]
            for row in rows {
                try connection.execute(
                    """
                    INSERT INTO checkouts (merchant_id, id, consumer_id, state, document, terms, created_at, order_id, reasons)
                    VALUES (?, ?, 'c1', ?, ?, '{}', ?, ?, ?)
                    """,
                    [.text(merchant), .text(row.id), .text(row.state), .text(#"{"id":"\#(row.id)"}"#), .integer(now),
                     row.orderID, row.reasons])
            }
        }
        return store
    }

    static func checkout(_ id: String, merchant: String = merchant, in store: TestStore) throws -> CheckoutRecord? {
        try store.database.read { try CheckoutRepository($0).checkout(merchantID: merchant, id: id) }
    }

    static func standing(_ id: String, merchant: String = merchant, in store: TestStore) throws -> CheckoutStanding {
        try store.database.write { try CheckoutRepository($0).checkoutStanding(merchantID: merchant, id: id, forUpdate: true) }
    }

    @Test("decided checkouts keep their outcome, open ones have none, and the documents stay", arguments: StoreKind.available)
    func outcomesCarriedOver(kind: StoreKind) throws {
        let store = try Self.storeBeforeMigration(kind)
        #expect(try Migrator(migrations: Array(Schema.migrations.prefix(12))).migrate(store.database, at: store.clock.now()) == [12])

        let approved = CheckoutOutcomeRecord(state: "authorized", orderID: "ord_1", reasons: "[]")
        let declined = CheckoutOutcomeRecord(state: "declined", orderID: nil, reasons: #"["We can't offer this right now."]"#)
        let before7 = CheckoutOutcomeRecord(state: "authorized", orderID: nil, reasons: nil)
        #expect(try Self.checkout("chk_open", in: store)?.outcome == nil)
        #expect(try Self.checkout("chk_approved", in: store)?.outcome == approved)
        #expect(try Self.checkout("chk_declined", in: store)?.outcome == declined)
        #expect(try Self.checkout("chk_before_7", in: store)?.outcome == before7)
        #expect(try Self.checkout("chk_approved", in: store)?.document == #"{"id":"chk_approved"}"#)
        #expect(try Self.checkout("chk_approved", merchant: "m2", in: store) == nil)

        #expect(try Self.standing("chk_open", in: store) == .open)
        #expect(try Self.standing("chk_approved", in: store) == .decided(approved))
        #expect(try Self.standing("chk_before_7", in: store) == .decided(before7))
        #expect(try Self.standing("chk_approved", merchant: "m2", in: store) == .notFound)
        #expect(try Self.standing("chk_missing", in: store) == .notFound)
    }

    @Test("the checkout's row no longer has outcome columns to fall out of step with", arguments: StoreKind.available)
    func columnsDropped(kind: StoreKind) throws {
        let store = try Self.storeBeforeMigration(kind)
        try Migrator().migrate(store.database, at: store.clock.now())
        for column in ["state", "order_id", "reasons"] {
            #expect(throws: StoreError.self) {
                try store.database.read { try $0.query("SELECT \(column) FROM checkouts", []) }
            }
        }
    }

    @Test("an outcome is recorded once, only for a checkout that exists, and never as open", arguments: StoreKind.available)
    func recordedOnce(kind: StoreKind) throws {
        let store = try Self.storeBeforeMigration(kind)
        try Migrator().migrate(store.database, at: store.clock.now())
        let referred = CheckoutOutcomeRecord(state: "referred", orderID: nil, reasons: #"["Please try again later."]"#)
        try store.database.write {
            try CheckoutRepository($0).recordOutcome(merchantID: Self.merchant, id: "chk_open", referred)
        }
        #expect(try Self.standing("chk_open", in: store) == .decided(referred))

        let approved = CheckoutOutcomeRecord(state: "authorized", orderID: "ord_2", reasons: "[]")
        for (merchant, id, outcome) in [
            (Self.merchant, "chk_open", approved),  // decided already
            (Self.merchant, "chk_missing", approved),  // no such checkout
            ("m2", "chk_approved", approved),  // another merchant's
            (Self.merchant, "chk_new", CheckoutOutcomeRecord(state: "open", orderID: nil, reasons: "[]")),
        ] {
            if id == "chk_new" {
                try store.database.write { connection in
                    try CheckoutRepository(connection).insert(
                        CheckoutRecord(merchantID: merchant, id: id, consumerID: "c2", document: "{}"), at: store.clock.now())
                }
            }
            #expect(throws: StoreError.self, "\(merchant) \(id) \(outcome.state)") {
                try store.database.write { try CheckoutRepository($0).recordOutcome(merchantID: merchant, id: id, outcome) }
            }
        }
        #expect(try Self.standing("chk_open", in: store) == .decided(referred))
        #expect(try Self.standing("chk_new", in: store) == .open)
    }

    @Test("a checkout inserted with its outcome reads back with it", arguments: StoreKind.available)
    func insertedDecided(kind: StoreKind) throws {
        let store = try TestStore(kind)
        let declined = CheckoutOutcomeRecord(state: "declined", orderID: nil, reasons: #"["Not this time."]"#)
        let record = CheckoutRecord(
            merchantID: Self.merchant, id: "chk_decided", consumerID: "c1", document: "{}", terms: "{}", outcome: declined)
        try store.database.write { try CheckoutRepository($0).insert(record, at: store.clock.now()) }
        #expect(try Self.checkout("chk_decided", in: store) == record)
        #expect(try Self.standing("chk_decided", in: store) == .decided(declined))
    }
}
