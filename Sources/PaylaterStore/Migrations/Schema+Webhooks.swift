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
            webhookEventsTable("webhook_events", key: key, uniqueKey: "merchant_id, order_id, sequence"),
            webhookDeliveriesTable("webhook_deliveries", key: key, events: "webhook_events"),
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

extension Schema {
    /// 11: the keys that every authorization adds to are led by a time-ordered id instead of the merchant, so that
    /// the authorizations committed together add to the same last page of each, not one page per merchant.
    ///
    /// Orders and webhook events were each indexed by merchant first: with many merchants, a group commit of nine
    /// authorizations wrote nine pages of each index to the log (about a fifth of an authorization's pages,
    /// docs/BENCHMARKS.md). Order ids start with their time (`CheckoutService.newID`), so keyed by the id first,
    /// the new orders of a group share a page:
    /// - a merchant's order is found by `orders_by_id` (`id, merchant_id`), the same look-up as before, in place of
    ///   `orders_by_merchant` (`merchant_id, id`);
    /// - an order's events are numbered by the unique key (`order_id, merchant_id, sequence`): the same columns,
    ///   so the same rule, in an order that serves the same look-ups.
    ///
    /// The events' primary key stays merchant-first: it lists a merchant's events. SQLite cannot change a table's
    /// constraint, so there the events are copied into a new table, and their deliveries with them (their foreign
    /// key names the table: renaming the new one carries it over); PostgreSQL swaps the constraint in place.
    static let keysLedByTimeOrderedIDs = Migration(version: 11, name: "keys led by time-ordered ids") { dialect in
        let orderLookup = [
            "DROP INDEX orders_by_merchant",
            "CREATE INDEX orders_by_id ON orders (id, merchant_id)",
        ]
        guard !dialect.altersConstraints else {
            return orderLookup + [
                """
                ALTER TABLE webhook_events ADD CONSTRAINT webhook_events_order_id_merchant_id_sequence_key
                    UNIQUE (order_id, merchant_id, sequence)
                """,
                "ALTER TABLE webhook_events DROP CONSTRAINT webhook_events_merchant_id_order_id_sequence_key",
            ]
        }
        let key = dialect.textKeyType
        let eventColumns = "merchant_id, id, order_id, sequence, type, payload, created_at"
        let deliveryColumns = """
            merchant_id, event_id, endpoint_id, generation, state, attempts, next_attempt_at, last_status, last_error,
            delivered_at, created_at
            """
        return orderLookup + [
            webhookEventsTable("webhook_events_rekeyed", key: key, uniqueKey: "order_id, merchant_id, sequence"),
            "INSERT INTO webhook_events_rekeyed (\(eventColumns)) SELECT \(eventColumns) FROM webhook_events",
            webhookDeliveriesTable("webhook_deliveries_rekeyed", key: key, events: "webhook_events_rekeyed"),
            """
            INSERT INTO webhook_deliveries_rekeyed (\(deliveryColumns))
            SELECT \(deliveryColumns) FROM webhook_deliveries
            """,
            "DROP TABLE webhook_deliveries",
            "DROP TABLE webhook_events",
            "ALTER TABLE webhook_events_rekeyed RENAME TO webhook_events",
            "ALTER TABLE webhook_deliveries_rekeyed RENAME TO webhook_deliveries",
            "CREATE INDEX webhook_deliveries_due ON webhook_deliveries (next_attempt_at) WHERE state = 'pending'",
        ]
    }
}

extension Schema {
    /// The webhook events table named `name`, with the order's events numbered uniquely by `uniqueKey`: spelled as
    /// migration 5 created it, and migration 11 again with the key reordered (both must keep spelling it so).
    private static func webhookEventsTable(_ name: String, key: String, uniqueKey: String) -> String {
        """
        CREATE TABLE \(name) (
            merchant_id \(key) NOT NULL,
            id \(key) NOT NULL,
            order_id \(key) NOT NULL,
            sequence BIGINT NOT NULL CHECK (sequence > 0),
            type TEXT NOT NULL,
            payload TEXT NOT NULL,
            created_at BIGINT NOT NULL,
            PRIMARY KEY (merchant_id, id),
            UNIQUE (\(uniqueKey))
        )
        """
    }

    /// The webhook deliveries table named `name`, its events in the table named `events`: spelled as migration 5
    /// created it, and migration 11 again beside its new events table.
    private static func webhookDeliveriesTable(_ name: String, key: String, events: String) -> String {
        """
        CREATE TABLE \(name) (
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
            FOREIGN KEY (merchant_id, event_id) REFERENCES \(events) (merchant_id, id),
            FOREIGN KEY (merchant_id, endpoint_id) REFERENCES webhook_endpoints (merchant_id, id)
        )
        """
    }
}
