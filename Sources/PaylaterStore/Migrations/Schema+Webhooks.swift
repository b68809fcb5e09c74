extension Schema {
    /// 5: merchant webhooks: endpoints, the transactional outbox of events, one delivery per event and endpoint
    /// (and per replay), and the log of every attempt.
    ///
    /// All four tables are owned by a merchant and carry `merchant_id` first in their primary key. Events of one
    /// order are numbered 1, 2, 3, ... (`sequence`, unique per order) so that deliveries go out in that order.
    /// The endpoint's signing secret is stored as is: the dispatcher needs it to sign (see docs/WEBHOOKS.md).
    static let webhooks = Migration(version: 5, name: "webhooks") { dialect in
        let key = dialect.textKeyType
        return [
            """
            CREATE TABLE webhook_endpoints (
                merchant_id \(key) NOT NULL,
                id \(key) NOT NULL,
                url TEXT NOT NULL,
                secret TEXT NOT NULL,
                created_at BIGINT NOT NULL,
                active SMALLINT NOT NULL CHECK (active IN (0, 1)),
                PRIMARY KEY (merchant_id, id)
            )
            """,
            """
            CREATE TABLE webhook_events (
                merchant_id \(key) NOT NULL,
                id \(key) NOT NULL,
                order_id \(key) NOT NULL,
                sequence BIGINT NOT NULL CHECK (sequence > 0),
                type TEXT NOT NULL,
                payload TEXT NOT NULL,
                created_at BIGINT NOT NULL,
                PRIMARY KEY (merchant_id, id),
                UNIQUE (merchant_id, order_id, sequence)
            )
            """,
            """
            CREATE TABLE webhook_deliveries (
                merchant_id \(key) NOT NULL,
                event_id \(key) NOT NULL,
                endpoint_id \(key) NOT NULL,
                generation INTEGER NOT NULL CHECK (generation >= 0),
                state TEXT NOT NULL CHECK (state IN ('pending', 'delivered', 'dead')),
                attempts INTEGER NOT NULL CHECK (attempts >= 0),
                next_attempt_at BIGINT,
                last_status INTEGER,
                last_error TEXT,
                delivered_at BIGINT,
                created_at BIGINT NOT NULL,
                PRIMARY KEY (merchant_id, event_id, endpoint_id, generation),
                FOREIGN KEY (merchant_id, event_id) REFERENCES webhook_events (merchant_id, id),
                FOREIGN KEY (merchant_id, endpoint_id) REFERENCES webhook_endpoints (merchant_id, id)
            )
            """,
            "CREATE INDEX webhook_deliveries_due ON webhook_deliveries (next_attempt_at) WHERE state = 'pending'",
            """
            CREATE TABLE webhook_attempts (
                merchant_id \(key) NOT NULL,
                event_id \(key) NOT NULL,
                endpoint_id \(key) NOT NULL,
                generation INTEGER NOT NULL,
                attempt INTEGER NOT NULL CHECK (attempt > 0),
                started_at BIGINT NOT NULL,
                duration_nanoseconds BIGINT NOT NULL CHECK (duration_nanoseconds >= 0),
                status INTEGER,
                error TEXT,
                PRIMARY KEY (merchant_id, event_id, endpoint_id, generation, attempt)
            )
            """,
        ]
    }
}
