public import PaylaterLedger
public import PaylaterMoney
public import PaylaterTime

/// Reads and writes merchant settlements and their lines inside the caller's transaction.
public struct SettlementRepository {
    /// The most settlements one list returns.
    public static let listMaximum = 100

    private let connection: any SQLConnection

    public init(_ connection: any SQLConnection) { self.connection = connection }

    private static let columns = """
        merchant_id, id, currency, number, cutoff, discount_rate_bp, fixed_fee, position_from, position_to, \
        brought_forward, gross, refunds, subsidies, adjustments, discount, payout, carried_over, created_at
        """

    /// `columns`, then the period's start (the latest earlier cutoff) and the line count, read with every settlement.
    private static let selectColumns = columns + """
        , (SELECT MAX(p.cutoff) FROM settlements p WHERE p.merchant_id = settlements.merchant_id \
        AND p.currency = settlements.currency AND p.number < settlements.number AND p.cutoff < settlements.cutoff), \
        (SELECT COUNT(*) FROM settlement_lines l WHERE l.merchant_id = settlements.merchant_id \
        AND l.settlement_id = settlements.id)
        """

    private static let lineColumns: [SQLColumn] = [
        SQLColumn("merchant_id", .text), SQLColumn("settlement_id", .text), SQLColumn("line", .integer),
        SQLColumn("transfer_id", .text), SQLColumn("kind", .text), SQLColumn("amount", .integer),
        SQLColumn("discount", .integer),
    ]

    /// Inserts a settlement and its lines.
    /// - Throws: `StoreError` (a unique violation when the id or number is taken, or a line's transfer was settled).
    public func insert(_ s: Settlement) throws(StoreError) {
        let amounts = [
            s.broughtForward, s.gross, s.refunds, s.subsidies, s.adjustments, s.discount, s.payout, s.carriedOver,
        ].map { SQLValue.integer($0.minorUnits) }
        try connection.execute(
            "INSERT INTO settlements (\(Self.columns)) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                .text(s.merchantID.rawValue), .text(s.id), .text(s.currency.code), .integer(s.number),
                .integer(s.cutoff.nanosecondsSinceUnixEpoch), .integer(s.discountRate.rawValue),
                .integer(s.fixedFeePerOrder.minorUnits), .integer(s.positionFrom), .integer(s.positionTo),
            ] + amounts + [.integer(s.createdAt.nanosecondsSinceUnixEpoch)])
        let rows: [[SQLValue]] = s.lines.map { line in
            [
                .text(s.merchantID.rawValue), .text(s.id), .integer(Int64(line.number)), .text(line.transferID.rawValue),
                .text(line.kind.rawValue), .integer(line.amount.minorUnits), .integer(line.discount.minorUnits),
            ]
        }
        let inserted = try connection.insertRows(into: "settlement_lines", columns: Self.lineColumns, rows: rows, suffix: "")
        guard inserted == rows.count else { throw .inconsistent("inserted \(inserted) of \(rows.count) settlement lines") }
    }

    /// One settlement with its lines, or nil.
    public func settlement(merchant: MerchantID, id: String) throws(StoreError) -> Settlement? {
        let rows = try connection.query(
            "SELECT \(Self.selectColumns) FROM settlements WHERE merchant_id = ? AND id = ?", [.text(merchant.rawValue), .text(id)])
        guard let row = rows.first else { return nil }
        return try Self.settlement(row, lines: try lines(merchant: merchant, settlementID: id))
    }

    /// The merchant's latest settlement in `currency`, without its lines (only its totals and positions are needed
    /// to continue from it).
    public func latest(merchant: MerchantID, currency: Currency) throws(StoreError) -> Settlement? {
        let rows = try connection.query(
            "SELECT \(Self.selectColumns) FROM settlements WHERE merchant_id = ? AND currency = ? ORDER BY number DESC LIMIT 1",
            [.text(merchant.rawValue), .text(currency.code)])
        return try rows.first.map { row throws(StoreError) in try Self.settlement(row, lines: []) }
    }

    /// The merchant's settlements, newest first (by when they were made, then number and id), without their lines
    /// (`lineCount` counts them); at most `listMaximum`. With `before`, only those after it in that order: the next page. Nil when `before`
    /// names no settlement of the merchant.
    public func settlements(merchant: MerchantID, limit: Int, before: String? = nil) throws(StoreError) -> [Settlement]? {
        var sql = "SELECT \(Self.selectColumns) FROM settlements WHERE merchant_id = ?"
        var arguments: [SQLValue] = [.text(merchant.rawValue)]
        if let before {
            let cursor = try connection.query(
                "SELECT created_at, number FROM settlements WHERE merchant_id = ? AND id = ?",
                [.text(merchant.rawValue), .text(before)])
            guard let row = cursor.first else { return nil }
            let (createdAt, number) = (try row.int64(0), try row.int64(1))
            sql += """
                 AND (created_at < ? OR (created_at = ? AND (number < ? OR (number = ? AND id < ?))))
                """
            arguments += [.integer(createdAt), .integer(createdAt), .integer(number), .integer(number), .text(before)]
        }
        sql += " ORDER BY created_at DESC, number DESC, id DESC LIMIT ?"
        arguments.append(.integer(Int64(max(0, min(limit, Self.listMaximum)))))
        var result: [Settlement] = []
        for row in try connection.query(sql, arguments) { result.append(try Self.settlement(row, lines: [])) }
        return result
    }

    /// The ids of the merchant's settlements whose id starts with `prefix`, in id order (for the end of day's ids,
    /// which name their date).
    public func settlementIDs(merchant: MerchantID, startingWith prefix: String) throws(StoreError) -> [String] {
        // A range on the key instead of LIKE, whose wildcards an id may hold: ids from `prefix` up to the next
        // string that does not start with it.
        try connection.query(
            "SELECT id FROM settlements WHERE merchant_id = ? AND id >= ? AND id < ? ORDER BY id",
            [.text(merchant.rawValue), .text(prefix), .text(prefix + "\u{10FFFF}")]
        ).map { row throws(StoreError) in try row.text(0) }
    }

    /// Where each line of a settlement came from in the ledger, in line order: its transfer's time and reference.
    public func lineSources(merchant: MerchantID, settlementID: String) throws(StoreError) -> [SettlementLineSource] {
        let rows = try connection.query(
            """
            SELECT t.created_at, t.reference FROM settlement_lines l JOIN ledger_transfers t ON t.id = l.transfer_id
            WHERE l.merchant_id = ? AND l.settlement_id = ? ORDER BY l.line
            """,
            [.text(merchant.rawValue), .text(settlementID)])
        var sources: [SettlementLineSource] = []
        sources.reserveCapacity(rows.count)
        for row in rows {
            sources.append(SettlementLineSource(
                at: Instant(nanosecondsSinceUnixEpoch: try row.int64(0)), reference: try row.optionalText(1)))
        }
        return sources
    }

    private func lines(merchant: MerchantID, settlementID: String) throws(StoreError) -> [SQLRow] {
        try connection.query(
            """
            SELECT line, transfer_id, kind, amount, discount FROM settlement_lines
            WHERE merchant_id = ? AND settlement_id = ? ORDER BY line
            """,
            [.text(merchant.rawValue), .text(settlementID)])
    }

    private static func settlement(_ row: SQLRow, lines: [SQLRow]) throws(StoreError) -> Settlement {
        let currency: Currency
        do { currency = try Currency(code: try row.text(2)) } catch { throw .unreadableRow("settlement currency: \(error)") }
        func money(_ column: Int) throws(StoreError) -> Money { Money(minorUnits: try row.int64(column), currency: currency) }
        let merchant: MerchantID
        do { merchant = try MerchantID(try row.text(0)) } catch { throw .unreadableRow("settlement merchant: \(error)") }
        var parsed: [SettlementLine] = []
        parsed.reserveCapacity(lines.count)
        for line in lines {
            guard let kind = SettlementLineKind(rawValue: try line.text(2)) else {
                throw .unreadableRow("unknown settlement line kind \(try line.text(2))")
            }
            let transferID: TransferID
            do { transferID = try TransferID(try line.text(1)) } catch { throw .unreadableRow("settlement line: \(error)") }
            parsed.append(SettlementLine(
                number: Int(try line.int64(0)), transferID: transferID, kind: kind,
                amount: Money(minorUnits: try line.int64(3), currency: currency),
                discount: Money(minorUnits: try line.int64(4), currency: currency)))
        }
        return Settlement(
            merchantID: merchant, id: try row.text(1), currency: currency, number: try row.int64(3),
            cutoff: Instant(nanosecondsSinceUnixEpoch: try row.int64(4)),
            periodStart: try row.optionalInt64(18).map(Instant.init(nanosecondsSinceUnixEpoch:)),
            discountRate: BasisPoints(try row.int64(5)),
            fixedFeePerOrder: try money(6), positionFrom: try row.int64(7), positionTo: try row.int64(8),
            broughtForward: try money(9), gross: try money(10), refunds: try money(11), subsidies: try money(12),
            adjustments: try money(13), discount: try money(14), payout: try money(15), carriedOver: try money(16),
            createdAt: Instant(nanosecondsSinceUnixEpoch: try row.int64(17)), lines: parsed, lineCount: Int(try row.int64(19)))
    }
}

/// Where a settlement line came from in the ledger.
public struct SettlementLineSource: Sendable, Hashable {
    /// When its transfer was posted.
    public let at: Instant
    /// Its transfer's reference: "capture" for a capture's postings, the plan operation's id for a refund's.
    public let reference: String?
}
