@testable import PaylaterPostgres
import PaylaterStore
import PaylaterTime
import Synchronization
import Testing

@Suite("Migrations on PostgreSQL", .needsPostgres)
struct MigrationTests {
    private let now = Instant(secondsSinceUnixEpoch: 1_790_000_000)

    @Test("the migrations apply, and a second run applies nothing")
    func applyOnce() throws {
        try TemporaryPostgresDatabase.with { server in
            let database = try server.open()
            let migrator = Migrator()
            #expect(try migrator.migrate(database, at: now) == migrator.migrations.map(\.version))
            #expect(try migrator.migrate(database, at: now) == [])
            #expect(try migrator.currentVersion(of: database) == migrator.migrations.count)
            let tables = try database.read { connection in
                try connection.query(
                    "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY table_name", []
                ).map { try $0.text(0) }
            }
            #expect(tables == [
                "application_events", "checkout_outcomes", "checkouts", "contact_attempts", "credit_decisions", "debtor_contact_standings", "idempotency_keys", "ledger_accounts",
                "ledger_pending", "ledger_transfers", "limit_changes", "merchant_pricing_changes", "merchants", "orders", "plan_operations", "plans",
                "platform_settings", "referrals", "schema_migrations", "settlement_lines", "settlements", "shopper_confirmations", "shopper_profiles", "shopper_standing_changes",
                "webhook_attempts", "webhook_deliveries", "webhook_endpoints", "webhook_events",
            ])
        }
    }

    @Test("two migrators racing on a fresh database both succeed and apply each migration once")
    func racing() throws {
        try TemporaryPostgresDatabase.with { server in
            let databases = [try server.open(maximumConnections: 1), try server.open(maximumConnections: 1)]
            let applied = Mutex<[[Int]]>([])
            let now = now
            let errors = onThreads(2) { index in
                let versions = try Migrator().migrate(databases[index], at: now)
                applied.withLock { $0.append(versions) }
            }
            #expect(errors.isEmpty, "\(errors)")
            #expect(applied.withLock { $0.flatMap { $0 }.sorted() } == Migrator().migrations.map(\.version))
            let rows = try databases[0].read { try $0.query("SELECT version FROM schema_migrations ORDER BY version", []) }
            #expect(rows.map(\.values) == Migrator().migrations.map { [.integer(Int64($0.version))] })
        }
    }
}

@Suite("The PostgreSQL dialect")
struct DialectTests {
    @Test("the migration lock is a transaction-scoped advisory lock on Paylater's fixed key")
    func dialect() {
        let dialect = PostgresDialect()
        #expect(dialect.name == "PostgreSQL")
        #expect(dialect.migrationLockStatement == "SELECT pg_advisory_xact_lock(5792044102173615474)")
        #expect(dialect.autoIncrementPrimaryKey == "BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY")
        #expect(dialect.lockRowsClause == " FOR NO KEY UPDATE")
        #expect(dialect.textKeyType == #"TEXT COLLATE "C""#)
    }
}
