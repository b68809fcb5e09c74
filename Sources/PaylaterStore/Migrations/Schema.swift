/// Every migration of Paylater's schema, in order. Append new ones; never edit a released one.
public enum Schema {
    public static let migrations: [Migration] = [
        ledger,
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
}
