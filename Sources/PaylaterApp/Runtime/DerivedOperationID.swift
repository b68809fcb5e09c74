import PaylaterCrypto
public import PaylaterTime

/// Operation ids the platform derives itself, when one request fans out into several plan operations.
///
/// A plan operation is idempotent on its id: a retry that presents the same id gets the stored receipt back instead
/// of a second ledger entry. So an id must be a pure function of what makes the operation unique (the order, the
/// refund, the plan, the business date), never random, and must fit the store's 64 bytes: the parts are joined with
/// newlines and a prefix of their SHA-256 hex digest is appended to a readable prefix.
///
/// The strings are stored in existing databases: changing a prefix, a separator or a length would make a retry
/// after an upgrade act a second time.
public enum DerivedOperationID {
    /// Pausing one plan of an order the shopper says they returned, for one `Idempotency-Key`.
    public static func orderReturn(orderID: String, idempotencyKey: String, planID: String) -> String {
        derive("return:", [orderID, idempotencyKey, planID], hexDigits: 32)
    }

    /// Confirming the delivery of one plan of an order (try-then-pay).
    public static func delivery(orderID: String, planID: String) -> String {
        derive("delivery:", [orderID, planID], hexDigits: 32)
    }

    /// A merchant refund of an order; the caller appends `:<index>` per plan the refund reaches.
    public static func refund(orderID: String, refundID: String) -> String {
        derive("refund:", [orderID, refundID], hexDigits: 32)
    }

    /// End-of-day late fees for one plan on one business date (a shopper may have several plans).
    public static func lateFees(on date: LocalDate, planID: String) -> String {
        derive("eod:\(date):", [planID], hexDigits: 16)
    }

    /// One plan's share of a statement-level operation: different per plan and per statement operation.
    public static func statementPlan(operationID: String, planID: String) -> String {
        derive("stmt:", [operationID, planID], hexDigits: 40)
    }

    /// The ledger transfer that pays a shopper's credit balance out to them, for one operation id of theirs.
    public static func creditBalancePayout(consumer: String, operationID: String) -> String {
        derive("payout:", [consumer, operationID], hexDigits: 48)
    }

    /// `prefix` followed by the first `hexDigits` hex digits of SHA-256 over `parts` joined with newlines.
    private static func derive(_ prefix: String, _ parts: [String], hexDigits: Int) -> String {
        precondition(!parts.isEmpty && hexDigits > 0 && hexDigits <= 2 * SHA256.byteCount)
        return prefix + String(SHA256.hash(parts.joined(separator: "\n")).hex.prefix(hexDigits))
    }
}
