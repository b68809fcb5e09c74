extension Schema {
    /// 4: merchant settlements and their lines.
    ///
    /// Both tables are owned by a merchant and carry `merchant_id` first in their primary key. A settlement row keeps
    /// the ledger positions it covered (`position_from` exclusive, `position_to` inclusive, on the merchant's payable),
    /// the pricing it applied and its totals; `number` counts a merchant's settlements per currency, so the latest is
    /// found without comparing times, and its uniqueness makes two concurrent settlements of one merchant collide.
    /// A ledger transfer is settled at most once: `settlement_lines_transfer` is unique per merchant.
    static let settlement = Migration(version: 4, name: "settlement") { dialect in
        let key = dialect.textKeyType
        return [
            """
            CREATE TABLE settlements (
                merchant_id \(key) NOT NULL,
                id \(key) NOT NULL,
                currency TEXT NOT NULL,
                number BIGINT NOT NULL CHECK (number > 0),
                cutoff BIGINT NOT NULL,
                discount_rate_bp BIGINT NOT NULL,
                fixed_fee BIGINT NOT NULL,
                position_from BIGINT NOT NULL,
                position_to BIGINT NOT NULL CHECK (position_to >= position_from),
                brought_forward BIGINT NOT NULL CHECK (brought_forward <= 0),
                gross BIGINT NOT NULL,
                refunds BIGINT NOT NULL,
                subsidies BIGINT NOT NULL,
                adjustments BIGINT NOT NULL,
                discount BIGINT NOT NULL CHECK (discount >= 0),
                payout BIGINT NOT NULL CHECK (payout >= 0),
                carried_over BIGINT NOT NULL CHECK (carried_over <= 0),
                created_at BIGINT NOT NULL,
                PRIMARY KEY (merchant_id, id),
                UNIQUE (merchant_id, currency, number)
            )
            """,
            """
            CREATE TABLE settlement_lines (
                merchant_id \(key) NOT NULL,
                settlement_id \(key) NOT NULL,
                line INTEGER NOT NULL,
                transfer_id \(key) NOT NULL,
                kind TEXT NOT NULL,
                amount BIGINT NOT NULL,
                discount BIGINT NOT NULL CHECK (discount >= 0),
                PRIMARY KEY (merchant_id, settlement_id, line)
            )
            """,
            "CREATE UNIQUE INDEX settlement_lines_transfer ON settlement_lines (merchant_id, transfer_id)",
        ]
    }
}
