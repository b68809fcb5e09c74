extension Schema {
    /// 6: merchants (with their hashed API keys and pricing), checkout sessions, orders, and the idempotency keys
    /// of API requests.
    ///
    /// Orders are owned by the shopper (`consumer_id` first in the key) and found by merchants through their own
    /// index. Checkouts and idempotency keys belong to the caller that made them (a merchant, or a shopper for
    /// self-service), whose id leads their key.
    static let checkout = Migration(version: 6, name: "checkout") { dialect in
        let key = dialect.textKeyType
        return [
            """
            CREATE TABLE merchants (
                id \(key) PRIMARY KEY,
                name TEXT NOT NULL,
                api_key_hash TEXT NOT NULL UNIQUE,
                discount_rate_bp BIGINT NOT NULL,
                fixed_fees TEXT NOT NULL,
                created_at BIGINT NOT NULL
            )
            """,
            """
            CREATE TABLE checkouts (
                merchant_id \(key) NOT NULL,
                id \(key) NOT NULL,
                consumer_id \(key) NOT NULL,
                state TEXT NOT NULL,
                document TEXT NOT NULL,
                created_at BIGINT NOT NULL,
                PRIMARY KEY (merchant_id, id)
            )
            """,
            """
            CREATE TABLE orders (
                consumer_id \(key) NOT NULL,
                id \(key) NOT NULL,
                merchant_id \(key) NOT NULL,
                state TEXT NOT NULL,
                expires_at BIGINT NOT NULL,
                document TEXT NOT NULL,
                version BIGINT NOT NULL,
                created_at BIGINT NOT NULL,
                updated_at BIGINT NOT NULL,
                PRIMARY KEY (consumer_id, id)
            )
            """,
            "CREATE INDEX orders_by_merchant ON orders (merchant_id, id)",
            """
            CREATE TABLE idempotency_keys (
                owner \(key) NOT NULL,
                key \(key) NOT NULL,
                request_hash TEXT NOT NULL,
                state TEXT NOT NULL,
                status BIGINT,
                response TEXT,
                created_at BIGINT NOT NULL,
                PRIMARY KEY (owner, key)
            )
            """,
            "CREATE INDEX idempotency_keys_age ON idempotency_keys (created_at)",
        ]
    }

    /// 7: a checkout's outcome in columns of its own. The document stays what the merchant was quoted (lines,
    /// totals, offers), written once; an authorization sets `state`, `order_id` and `reasons` (a JSON array of the
    /// shopper-safe reasons) without decoding and re-encoding the quotes, which cost more than the rest of the
    /// row's work. Rows authorized before this migration keep their outcome in the document; readers take the
    /// columns when set and the document's values otherwise.
    static let checkoutOutcome = Migration(version: 7, name: "checkout outcome") { dialect in
        [
            "ALTER TABLE checkouts ADD COLUMN order_id \(dialect.textKeyType)",
            "ALTER TABLE checkouts ADD COLUMN reasons TEXT",
        ]
    }

    /// 8: what an authorization needs of a checkout (`terms`: its id, merchant, shopper, reference, total and the
    /// products offered with their promotions, as JSON with the document's keys), a few hundred bytes beside the
    /// document's two or more thousand. The document holds every installment of every quote, and decoding all of it
    /// to find those few values was about a third of an authorization's work outside the writer (a profile of the
    /// API benchmark, docs/BENCHMARKS.md). Both are written once, when the checkout is made, and never change. Rows
    /// made before this migration have none; readers take the document then.
    static let checkoutTerms = Migration(version: 8, name: "checkout terms") { _ in
        ["ALTER TABLE checkouts ADD COLUMN terms TEXT"]
    }
}

extension Schema {
    /// 12: a checkout's outcome (`state`, `order_id`, `reasons`) in a table of its own, `checkout_outcomes`, with a
    /// row only once the checkout is decided (no row: open). The checkout's own row (the quoted document and its
    /// terms, two and more thousand bytes) is then written once and never again: an authorization used to rewrite
    /// it whole to set three small columns, under the single writer, and the page it sat on went to the write-ahead
    /// log for it (docs/BENCHMARKS.md). The outcome's key leads with the checkout id, which starts with the time the
    /// checkout was made, so the outcomes of checkouts made together share the key's pages.
    ///
    /// Outcomes already decided are copied over; those of checkouts authorized before migration 7 keep a null
    /// order id and reasons, as they had in the columns, and readers still take those from the document.
    static let checkoutOutcomesApart = Migration(version: 12, name: "checkout outcomes apart") { dialect in
        let key = dialect.textKeyType
        return [
            """
            CREATE TABLE checkout_outcomes (
                checkout_id \(key) NOT NULL,
                merchant_id \(key) NOT NULL,
                state TEXT NOT NULL CHECK (state <> 'open'),
                order_id \(key),
                reasons TEXT,
                PRIMARY KEY (checkout_id, merchant_id),
                FOREIGN KEY (merchant_id, checkout_id) REFERENCES checkouts (merchant_id, id)
            )\(dialect.storedByPrimaryKey)
            """,
            """
            INSERT INTO checkout_outcomes (checkout_id, merchant_id, state, order_id, reasons)
            SELECT id, merchant_id, state, order_id, reasons FROM checkouts WHERE state <> 'open'
            """,
            "ALTER TABLE checkouts DROP COLUMN state",
            "ALTER TABLE checkouts DROP COLUMN order_id",
            "ALTER TABLE checkouts DROP COLUMN reasons",
        ]
    }

    /// 18: referred checkouts and their review (`referrals`): a row made in the transaction that refers the
    /// checkout, and the verdict, the reviewer, their note and the checkout's outcome once it is reviewed (or expires
    /// unreviewed). A table of its own, not an index on `checkout_outcomes`, which every authorization writes: only
    /// referrals pay for the queue. Its index holds only the referrals awaiting review, oldest first. Referrals made
    /// before this migration are copied in awaiting review, at their decision's time.
    static let referralsAwaitingReview = Migration(version: 18, name: "referrals awaiting review") { dialect in
        let key = dialect.textKeyType
        return [
            referralsTable(
                "referrals", key: key, verdicts: "verdict IN ('approved', 'declined', 'expired')",
                outcomes: "outcome IN ('authorized', 'declined')"),
            "CREATE INDEX referrals_awaiting_review ON referrals (referred_at, checkout_id) WHERE verdict IS NULL",
            """
            INSERT INTO referrals (checkout_id, merchant_id, consumer_id, referred_at)
            SELECT o.checkout_id, o.merchant_id, c.consumer_id, COALESCE(d.created_at, c.created_at)
            FROM checkout_outcomes o
            JOIN checkouts c ON c.merchant_id = o.merchant_id AND c.id = o.checkout_id
            LEFT JOIN credit_decisions d ON d.consumer_id = c.consumer_id AND d.id = c.id
            WHERE o.state = 'referred'
            """,
        ]
    }

    /// 19: a referral the merchant withdrew (`POST /v1/checkouts/{id}/cancel` while it awaits review): verdict
    /// `withdrawn`, with the checkout's outcome `cancelled`. The table's checks allowed neither. PostgreSQL swaps the
    /// two checks in place; SQLite cannot change a table's constraint, so there the referrals are copied into a new
    /// table (nothing refers to it) and its index made again.
    static let referralsWithdrawn = Migration(version: 19, name: "referrals withdrawn") { dialect in
        let verdicts = "verdict IN ('approved', 'declined', 'expired', 'withdrawn')"
        let outcomes = "outcome IN ('authorized', 'declined', 'cancelled')"
        guard !dialect.altersConstraints else {
            return [
                "ALTER TABLE referrals DROP CONSTRAINT referrals_verdict_check",
                "ALTER TABLE referrals ADD CONSTRAINT referrals_verdict_check CHECK (\(verdicts))",
                "ALTER TABLE referrals DROP CONSTRAINT referrals_outcome_check",
                "ALTER TABLE referrals ADD CONSTRAINT referrals_outcome_check CHECK (\(outcomes))",
            ]
        }
        let key = dialect.textKeyType
        let columns = "checkout_id, merchant_id, consumer_id, referred_at, verdict, reviewed_by, note, outcome, reviewed_at"
        return [
            referralsTable("referrals_withdrawable", key: key, verdicts: verdicts, outcomes: outcomes),
            "INSERT INTO referrals_withdrawable (\(columns)) SELECT \(columns) FROM referrals",
            "DROP TABLE referrals",
            "ALTER TABLE referrals_withdrawable RENAME TO referrals",
            "CREATE INDEX referrals_awaiting_review ON referrals (referred_at, checkout_id) WHERE verdict IS NULL",
        ]
    }

    /// 20: checkouts their shopper confirms. A merchant's `checkout_confirmation` says who confirms its checkouts
    /// before they can be authorized: `merchant` (the merchant's word, as before; every existing merchant) or
    /// `shopper`. For a merchant of the second kind each new checkout gets a row in `shopper_confirmations`, keyed by
    /// the checkout id alone (a shopper knows the checkout, not the merchant's id), which the shopper fills with the
    /// product they chose, once. A table of its own: only those checkouts pay for it, and an authorization of any
    /// other reads nothing more.
    static let checkoutsConfirmedByShoppers = Migration(version: 20, name: "checkouts confirmed by shoppers") { dialect in
        let key = dialect.textKeyType
        return [
            """
            ALTER TABLE merchants ADD COLUMN checkout_confirmation TEXT NOT NULL DEFAULT 'merchant'
                CHECK (checkout_confirmation IN ('merchant', 'shopper'))
            """,
            """
            CREATE TABLE shopper_confirmations (
                checkout_id \(key) NOT NULL PRIMARY KEY,
                merchant_id \(key) NOT NULL,
                consumer_id \(key) NOT NULL,
                product_id TEXT,
                confirmed_at BIGINT,
                FOREIGN KEY (merchant_id, checkout_id) REFERENCES checkouts (merchant_id, id),
                CHECK ((product_id IS NULL) = (confirmed_at IS NULL))
            )\(dialect.storedByPrimaryKey)
            """,
        ]
    }

    /// The referrals table named `name`, with the checks `verdicts` and `outcomes`: spelled as migration 18 created
    /// it, and migration 19 again with more verdicts and outcomes (both must keep spelling it so).
    private static func referralsTable(_ name: String, key: String, verdicts: String, outcomes: String) -> String {
        """
        CREATE TABLE \(name) (
            checkout_id \(key) NOT NULL,
            merchant_id \(key) NOT NULL,
            consumer_id \(key) NOT NULL,
            referred_at BIGINT NOT NULL,
            verdict TEXT CHECK (\(verdicts)),
            reviewed_by TEXT,
            note TEXT,
            outcome TEXT CHECK (\(outcomes)),
            reviewed_at BIGINT,
            PRIMARY KEY (checkout_id, merchant_id),
            FOREIGN KEY (merchant_id, checkout_id) REFERENCES checkouts (merchant_id, id),
            CHECK ((verdict IS NULL) = (outcome IS NULL) AND (verdict IS NULL) = (reviewed_at IS NULL))
        )
        """
    }
}
