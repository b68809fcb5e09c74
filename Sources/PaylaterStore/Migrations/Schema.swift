/// Every migration of Paylater's schema, in order. Append new ones; never edit a released one.
public enum Schema {
    public static let migrations: [Migration] = [
        ledger,
        servicing,
        underwriting,
        settlement,
        webhooks,
        checkout,
        checkoutOutcome,
        checkoutTerms,
        applicationEventsIndexedInMemory,
        holdsDueInSweepOrder,
        keysLedByTimeOrderedIDs,
        checkoutOutcomesApart,
        holdsStoredByTheirKey,
        ordersPastExpiry,
        coolingOffDeclines,
        merchantPricingChanges,
        shopperStandingChanges,
        referralsAwaitingReview,
        referralsWithdrawn,
        checkoutsConfirmedByShoppers,
        contactAttempts,
    ]

    /// 1: the double-entry ledger: accounts with running totals, immutable transfers, and pending-transfer states.
    ///
    /// Accounts have a text id (public, chosen by the chart of accounts) and an integer `seq` that transfers and
    /// their per-account indexes use: integer keys keep those indexes small and their seeks cheap, which is what
    /// bounds batch throughput as the ledger grows.
    static let ledger = Migration(version: 1, name: "ledger") { dialect in
        let key = dialect.textKeyType
        return [
            """
            CREATE TABLE ledger_accounts (
                seq \(dialect.autoIncrementPrimaryKey),
                id \(key) NOT NULL UNIQUE,
                currency TEXT NOT NULL,
                code INTEGER NOT NULL,
                flags INTEGER NOT NULL,
                debits_pending BIGINT NOT NULL CHECK (debits_pending >= 0),
                debits_posted BIGINT NOT NULL CHECK (debits_posted >= 0),
                credits_pending BIGINT NOT NULL CHECK (credits_pending >= 0),
                credits_posted BIGINT NOT NULL CHECK (credits_posted >= 0),
                created_at BIGINT NOT NULL
            )
            """,
            """
            CREATE TABLE ledger_transfers (
                seq \(dialect.autoIncrementPrimaryKey),
                id \(key) NOT NULL UNIQUE,
                debit_account BIGINT NOT NULL REFERENCES ledger_accounts (seq),
                credit_account BIGINT NOT NULL REFERENCES ledger_accounts (seq),
                amount BIGINT NOT NULL CHECK (amount > 0),
                currency TEXT NOT NULL,
                kind SMALLINT NOT NULL,
                pending_id \(key),
                requested_amount BIGINT,
                timeout_seconds BIGINT,
                expires_at BIGINT,
                code INTEGER NOT NULL,
                linked SMALLINT NOT NULL,
                reference TEXT,
                created_at BIGINT NOT NULL
            )
            """,
            "CREATE INDEX ledger_transfers_debit ON ledger_transfers (debit_account, seq)",
            "CREATE INDEX ledger_transfers_credit ON ledger_transfers (credit_account, seq)",
            """
            CREATE TABLE ledger_pending (
                transfer_id \(key) PRIMARY KEY REFERENCES ledger_transfers (id),
                state SMALLINT NOT NULL,
                expires_at BIGINT,
                resolved_by \(key),
                resolved_at BIGINT
            )
            """,
            "CREATE INDEX ledger_pending_due ON ledger_pending (expires_at) WHERE state = 0 AND expires_at IS NOT NULL",
        ]
    }

    /// 2: plans being serviced and the operations applied to them.
    ///
    /// Both tables are owned by a shopper and carry `consumer_id` first in their primary key (the distribution rule
    /// in docs/OPERATIONS.md). A plan is stored as one JSON document with a `version` for optimistic checks, plus the
    /// columns the end-of-day batch searches on. `plan_operations` remembers every payment, refund, return and
    /// extension by its operation id with the request it answered and the result, so a retry gets the same answer.
    static let servicing = Migration(version: 2, name: "servicing") { dialect in
        let key = dialect.textKeyType
        return [
            """
            CREATE TABLE plans (
                consumer_id \(key) NOT NULL,
                id \(key) NOT NULL,
                merchant_id \(key) NOT NULL,
                product_id TEXT NOT NULL,
                currency TEXT NOT NULL,
                status TEXT NOT NULL,
                oldest_unpaid_due_date TEXT,
                document TEXT NOT NULL,
                version BIGINT NOT NULL,
                created_at BIGINT NOT NULL,
                updated_at BIGINT NOT NULL,
                PRIMARY KEY (consumer_id, id)
            )
            """,
            "CREATE INDEX plans_overdue ON plans (oldest_unpaid_due_date) WHERE status = 'active'",
            """
            CREATE TABLE plan_operations (
                consumer_id \(key) NOT NULL,
                operation_id \(key) NOT NULL,
                plan_id \(key) NOT NULL,
                kind TEXT NOT NULL,
                request TEXT NOT NULL,
                result TEXT NOT NULL,
                created_at BIGINT NOT NULL,
                PRIMARY KEY (consumer_id, operation_id)
            )
            """,
            "CREATE INDEX plan_operations_by_plan ON plan_operations (consumer_id, plan_id, created_at)",
        ]
    }

    /// 3: credit decisions with their input snapshots, the limit-change log, shoppers' risk profiles, the
    /// application events that velocity rules count, and platform settings (such as the identifier-hashing key).
    ///
    /// Shopper-owned tables lead their key with `consumer_id`, except two append-only logs keyed by a sequence:
    /// `limit_changes` (indexed by shopper) and `application_events`, which velocity rules search across shoppers
    /// (one device, several accounts) by device, address and instrument hash.
    static let underwriting = Migration(version: 3, name: "underwriting") { dialect in
        let key = dialect.textKeyType
        return [
            """
            CREATE TABLE credit_decisions (
                consumer_id \(key) NOT NULL,
                id \(key) NOT NULL,
                outcome TEXT NOT NULL,
                currency TEXT NOT NULL,
                approved_amount BIGINT,
                policy TEXT NOT NULL,
                model TEXT,
                arm TEXT NOT NULL,
                decision TEXT NOT NULL,
                created_at BIGINT NOT NULL,
                PRIMARY KEY (consumer_id, id)
            )
            """,
            "CREATE INDEX credit_decisions_by_time ON credit_decisions (consumer_id, created_at)",
            """
            CREATE TABLE limit_changes (
                consumer_id \(key) NOT NULL,
                seq \(dialect.autoIncrementPrimaryKey),
                decision_id \(key),
                currency TEXT NOT NULL,
                from_amount BIGINT,
                to_amount BIGINT,
                reason TEXT NOT NULL,
                change TEXT NOT NULL,
                created_at BIGINT NOT NULL
            )
            """,
            "CREATE INDEX limit_changes_by_consumer ON limit_changes (consumer_id, seq)",
            """
            CREATE TABLE shopper_profiles (
                consumer_id \(key) PRIMARY KEY,
                blocked SMALLINT NOT NULL,
                limit_frozen SMALLINT NOT NULL,
                spending_cap BIGINT,
                spending_cap_currency TEXT,
                updated_at BIGINT NOT NULL
            )
            """,
            """
            CREATE TABLE application_events (
                seq \(dialect.autoIncrementPrimaryKey),
                at BIGINT NOT NULL,
                shopper_hash TEXT NOT NULL,
                device_hash TEXT NOT NULL,
                address_hash TEXT NOT NULL,
                instrument_hash TEXT NOT NULL
            )
            """,
            "CREATE INDEX application_events_device ON application_events (device_hash, at)",
            "CREATE INDEX application_events_address ON application_events (address_hash, at)",
            "CREATE INDEX application_events_instrument ON application_events (instrument_hash, at)",
            """
            CREATE TABLE platform_settings (
                name \(key) PRIMARY KEY,
                value TEXT NOT NULL,
                updated_at BIGINT NOT NULL
            )
            """,
        ]
    }

    /// 9: where writers take turns (SQLite), application events are no longer indexed by device, address and
    /// instrument hash: `RecentApplications` indexes the velocity rules' lookback in memory instead, read from the
    /// table by its primary key. The hashes are random, so each of the three indexes took a random page of the log
    /// for every application (about a fifth of an authorization's pages). PostgreSQL keeps them: its writers
    /// commit out of `seq` order, which the in-memory index cannot follow.
    static let applicationEventsIndexedInMemory = Migration(version: 9, name: "application events indexed in memory") {
        dialect in
        guard dialect.writersTakeTurns else { return [] }
        return ["device", "address", "instrument"].map { "DROP INDEX IF EXISTS application_events_\($0)" }
    }

    /// 10: the index of holds due also orders holds that fall due at the same instant by id, as the expiry sweep
    /// reads them (`ORDER BY expires_at, transfer_id`). Ordered by time alone, SQLite sorted the sweep's rows in
    /// a temporary b-tree on every ledger submit, which is every authorization, capture and refund, on the single
    /// writer, even when no hold was due.
    static let holdsDueInSweepOrder = Migration(version: 10, name: "holds due in sweep order") { _ in
        [
            "DROP INDEX ledger_pending_due",
            "CREATE INDEX ledger_pending_due ON ledger_pending (expires_at, transfer_id) WHERE state = 0 AND expires_at IS NOT NULL",
        ]
    }

    /// 13: a hold's state (`ledger_pending`, small rows found only by their transfer's id) is stored in its key's
    /// b-tree (`SQLDialect.storedByPrimaryKey`): each hold writes that b-tree and the due index, not also a rowid
    /// table beside its key. An authorization places two holds (the shopper's and the platform exposure's) on
    /// the single writer. SQLite cannot change how a table is stored, so the rows are copied into a new table;
    /// PostgreSQL, whose tables are always heaps beside their keys, has nothing to do.
    static let holdsStoredByTheirKey = Migration(version: 13, name: "holds stored by their key") { dialect in
        guard !dialect.storedByPrimaryKey.isEmpty else { return [] }
        let key = dialect.textKeyType
        let columns = "transfer_id, state, expires_at, resolved_by, resolved_at"
        return [
            """
            CREATE TABLE ledger_pending_by_key (
                transfer_id \(key) NOT NULL PRIMARY KEY REFERENCES ledger_transfers (id),
                state SMALLINT NOT NULL,
                expires_at BIGINT,
                resolved_by \(key),
                resolved_at BIGINT
            )\(dialect.storedByPrimaryKey)
            """,
            "INSERT INTO ledger_pending_by_key (\(columns)) SELECT \(columns) FROM ledger_pending",
            "DROP TABLE ledger_pending",
            "ALTER TABLE ledger_pending_by_key RENAME TO ledger_pending",
            "CREATE INDEX ledger_pending_due ON ledger_pending (expires_at, transfer_id) WHERE state = 0 AND expires_at IS NOT NULL",
        ]
    }

    /// 14: the orders whose authorization may run out, by expiry: the worker's and `paylater eod`'s sweep that records
    /// an expired authorization (and raises `order.expired`) reads the earliest of them every pass.
    static let ordersPastExpiry = Migration(version: 14, name: "orders past expiry") { _ in
        [
            """
            CREATE INDEX orders_expiring ON orders (expires_at, consumer_id, id)
            WHERE state IN ('authorized', 'partially_captured')
            """
        ]
    }

    /// 15: which declines start a cooling-off period, as decided when they were taken (`cools_off`); every decline
    /// the model took part in did before, and those taken before this migration keep doing so.
    static let coolingOffDeclines = Migration(version: 15, name: "cooling-off declines") { _ in
        [
            "ALTER TABLE credit_decisions ADD COLUMN cools_off SMALLINT NOT NULL DEFAULT 0",
            "UPDATE credit_decisions SET cools_off = 1 WHERE outcome = 'declined' AND model IS NOT NULL",
        ]
    }

    /// 16: merchants' pricing changes scheduled for a settlement date (`effective_on`, an ISO date), each with the
    /// whole pricing from that date; the end of day makes those due the merchant's pricing before it settles.
    static let merchantPricingChanges = Migration(version: 16, name: "merchant pricing changes") { dialect in
        [
            """
            CREATE TABLE merchant_pricing_changes (
                merchant_id \(dialect.textKeyType) NOT NULL,
                effective_on TEXT NOT NULL,
                discount_rate_bp BIGINT NOT NULL,
                fixed_fees TEXT NOT NULL,
                created_at BIGINT NOT NULL,
                PRIMARY KEY (merchant_id, effective_on)
            )
            """
        ]
    }

    /// 17: who put a shopper on or took them off the blocked list, when and why (`paylater shopper block`); the
    /// profile's `blocked` column stays what decisions read.
    static let shopperStandingChanges = Migration(version: 17, name: "shopper standing changes") { dialect in
        [
            """
            CREATE TABLE shopper_standing_changes (
                seq \(dialect.autoIncrementPrimaryKey),
                consumer_id \(dialect.textKeyType) NOT NULL,
                blocked SMALLINT NOT NULL,
                reason TEXT NOT NULL,
                changed_by TEXT NOT NULL,
                created_at BIGINT NOT NULL
            )
            """,
            "CREATE INDEX shopper_standing_changes_by_consumer ON shopper_standing_changes (consumer_id, seq)",
        ]
    }

    /// 21: collections' contacts. `debtor_contact_standings`: what bears on contacting a debtor (their jurisdiction,
    /// the time zones they may be in, a cease request, an attorney, a pending dispute, opt-outs...), one row per
    /// debtor, replaced whole by staff. `contact_attempts`: every contact the compliance guard weighed, made
    /// (`allowed`) or refused with its reasons, keyed by the caller's attempt id so a retry records it once; the
    /// guard counts a debtor's recent ones by time.
    static let contactAttempts = Migration(version: 21, name: "contact attempts") { dialect in
        let key = dialect.textKeyType
        return [
            """
            CREATE TABLE debtor_contact_standings (
                consumer_id \(key) PRIMARY KEY,
                jurisdiction TEXT NOT NULL,
                document TEXT NOT NULL,
                updated_by TEXT NOT NULL,
                updated_at BIGINT NOT NULL
            )
            """,
            """
            CREATE TABLE contact_attempts (
                consumer_id \(key) NOT NULL,
                attempt_id \(key) NOT NULL,
                debt_id TEXT NOT NULL,
                channel TEXT NOT NULL CHECK (channel IN ('call', 'text', 'email', 'letter', 'field_visit')),
                party TEXT NOT NULL CHECK (party IN ('debtor', 'third_party')),
                place TEXT NOT NULL,
                number TEXT,
                at BIGINT NOT NULL,
                conversation SMALLINT NOT NULL,
                requested_by_debtor SMALLINT NOT NULL,
                details TEXT NOT NULL,
                collector TEXT NOT NULL,
                verdict TEXT NOT NULL CHECK (verdict IN ('allowed', 'refused')),
                refusals TEXT NOT NULL,
                PRIMARY KEY (consumer_id, attempt_id)
            )
            """,
            "CREATE INDEX contact_attempts_by_time ON contact_attempts (consumer_id, at)",
        ]
    }
}
