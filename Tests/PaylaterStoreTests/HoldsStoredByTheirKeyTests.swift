import PaylaterLedger
import PaylaterMoney
import PaylaterPostgres
import PaylaterSQLite
@testable import PaylaterStore
import PaylaterTestSupport
import PaylaterTime
import Testing

/// Migration 13 stores holds' states in their key's b-tree on SQLite (`WITHOUT ROWID`), copying the rows of a
/// database that already holds them; on PostgreSQL it changes nothing.
@Suite("Migration 13: holds stored by their key")
struct HoldsStoredByTheirKeyTests {
    /// A store at migration 12 with four holds between two accounts: one pending without a timeout, one pending
    /// that falls due in a minute, one posted (in part) and one voided.
    static func storeBeforeMigration(_ kind: StoreKind) throws -> (TestStore, [AccountID]) {
        let store = try TestStore(kind, migrations: Array(Schema.migrations.prefix(12)))
        let accounts = try ["a", "b"].map { NewAccount(id: try AccountID($0), currency: .CNY, code: AccountCode(1)) }
        try store.database.write { connection in
            let ledger = LedgerRepository(connection)
            _ = try ledger.createAccounts(accounts, at: store.clock.now())
            let (a, b) = (accounts[0].id, accounts[1].id)
            let outcome = try ledger.submit([
                try transfer("open", .pending(debit: a, credit: b, amount: try cny("1.00"), timeout: nil)),
                try transfer("due", .pending(debit: a, credit: b, amount: try cny("2.00"), timeout: .seconds(60))),
                try transfer("posted", .pending(debit: a, credit: b, amount: try cny("3.00"), timeout: nil)),
                try transfer("voided", .pending(debit: a, credit: b, amount: try cny("4.00"), timeout: nil)),
                try transfer("post", .postPending(try TransferID("posted"), amount: try cny("2.50"))),
                try transfer("void", .voidPending(try TransferID("voided"))),
            ], at: store.clock.now())
            #expect(outcome.results.allSatisfy { $0.isSuccess })
        }
        return (store, accounts.map(\.id))
    }

    static func states(_ store: TestStore) throws -> [String: PendingTransferState?] {
        try store.database.read { connection in
            let ledger = LedgerRepository(connection)
            var states: [String: PendingTransferState?] = [:]
            for id in ["open", "due", "posted", "voided"] { states[id] = try ledger.pendingState(of: try TransferID(id)) }
            return states
        }
    }

    @Test("every hold keeps its state, and the ledger its balances", arguments: StoreKind.available)
    func statesCarriedOver(kind: StoreKind) throws {
        let (store, accounts) = try Self.storeBeforeMigration(kind)
        let statesBefore = try Self.states(store)
        let balancesBefore = try store.database.read { try LedgerRepository($0).accounts(Set(accounts)) }
        #expect(try Migrator().migrate(store.database, at: store.clock.now()) == Array(13...Schema.migrations.count), "13, then the migrations after it")
        #expect(try Self.states(store) == statesBefore)
        #expect(try store.database.read { try LedgerRepository($0).accounts(Set(accounts)) } == balancesBefore)
        let started = store.clock.now()
        #expect(statesBefore["posted"] == .posted(by: try TransferID("post"), at: started))
        #expect(statesBefore["due"] == .pending(expiresAt: started.advanced(by: .seconds(60))))
    }

    @Test("after it, holds are placed, posted and swept as before; a hold id is still taken once", arguments: StoreKind.available)
    func holdsWorkAfterIt(kind: StoreKind) throws {
        let (store, accounts) = try Self.storeBeforeMigration(kind)
        try Migrator().migrate(store.database, at: store.clock.now())
        let (a, b) = (accounts[0], accounts[1])
        let results = try store.database.write { connection in
            try LedgerRepository(connection).submit([
                try transfer("new", .pending(debit: a, credit: b, amount: try cny("5.00"), timeout: .seconds(3_600))),
                try transfer("post-open", .postPending(try TransferID("open"), amount: nil)),
                try transfer("open", .pending(debit: a, credit: b, amount: try cny("9.00"), timeout: nil)),
            ], at: store.clock.now()).results
        }
        #expect(results[0].isSuccess && results[1].isSuccess)
        #expect(!results[2].isSuccess, "a second hold under a taken id: \(results[2])")

        store.clock.advance(by: .seconds(61))
        let swept = try store.database.write { try LedgerRepository($0).expireHolds(at: store.clock.now()) }
        #expect(swept == 1, "the hold due in a minute, found through the due index")
        let states = try Self.states(store)
        #expect(states["due"] == .expired(at: store.clock.now()))
        #expect(states["open"] == .posted(by: try TransferID("post-open"), at: store.clock.now().advanced(by: .seconds(-61))))
        #expect(try store.database.read { try LedgerRepository($0).pendingState(of: try TransferID("new")) }
            == .pending(expiresAt: store.clock.now().advanced(by: .seconds(3_600 - 61))))
    }

    @Test("SQLite stores the holds in their key's b-tree; PostgreSQL's table is as it was", arguments: StoreKind.available)
    func storage(kind: StoreKind) throws {
        let (store, _) = try Self.storeBeforeMigration(kind)
        try Migrator().migrate(store.database, at: store.clock.now())
        switch kind {
        case .sqlite:
            let sql = try store.database.read { connection in
                try connection.query("SELECT sql FROM sqlite_schema WHERE name = 'ledger_pending'", [])[0].text(0)
            }
            #expect(sql.hasSuffix("WITHOUT ROWID"), "\(sql)")
            let indexes = try store.database.read { connection in
                try connection.query(
                    "SELECT name FROM sqlite_schema WHERE type = 'index' AND tbl_name = 'ledger_pending' ORDER BY name", []
                ).map { try $0.text(0) }
            }
            #expect(indexes == ["ledger_pending_due"], "the key is the table: no index of its own beside it")
        case .postgres:
            #expect(Schema.holdsStoredByTheirKey.statements(PostgresDialect()) == [])
        }
    }
}
