public import PaylaterLedger
public import PaylaterMoney

extension LedgerRepository {
    /// The ids of merchant payable accounts in `currency`, in id order after `cursor` (exclusive), at most `limit`.
    public func merchantPayableIDs(
        currency: Currency, after cursor: AccountID?, limit: Int
    ) throws(StoreError) -> [AccountID] {
        try accountIDs(of: "merchant", .merchantPayable, currency: currency, after: cursor, limit: limit)
    }

    /// The ids of shoppers' `consumerCreditAvailable` accounts in `currency` (one per shopper who has a credit line
    /// there), in id order after `cursor` (exclusive), at most `limit`.
    public func consumerLineIDs(
        currency: Currency, after cursor: AccountID?, limit: Int
    ) throws(StoreError) -> [AccountID] {
        try accountIDs(of: "consumer", .consumerCreditAvailable, currency: currency, after: cursor, limit: limit)
    }

    /// The currencies the platform has accounts in, in code order: every currency money has moved in (a capture,
    /// a hold or a funding capacity opens the platform's accounts there first), so every currency a merchant can be
    /// owed in. A range of the unique index on `id` over the platform's few accounts (`platform:…`).
    public func platformCurrencies() throws(StoreError) -> [Currency] {
        let rows = try connection.query(
            "SELECT DISTINCT currency FROM ledger_accounts WHERE id > ? AND id < ? ORDER BY currency",
            [.text("platform:"), .text("platform;")])
        return try rows.map { row throws(StoreError) in
            do { return try Currency(code: try row.text(0)) } catch { throw .unreadableRow("account currency: \(error)") }
        }
    }

    /// The ids of `owner`'s accounts (`merchant`, `consumer`) of `type` in `currency`, in id order after `cursor`.
    ///
    /// Those accounts' ids start with `<owner>:` (the chart of accounts), so the search is a range of the unique
    /// index on `id`, not a scan of every account.
    private func accountIDs(
        of owner: String, _ type: AccountType, currency: Currency, after cursor: AccountID?, limit: Int
    ) throws(StoreError) -> [AccountID] {
        precondition(limit > 0)
        let rows = try connection.query(
            "SELECT id FROM ledger_accounts WHERE id > ? AND id < ? AND code = ? AND currency = ? ORDER BY id LIMIT ?",
            [
                .text(cursor?.rawValue ?? "\(owner):"), .text("\(owner);"), .integer(Int64(type.rawValue)),
                .text(currency.code), .integer(Int64(limit)),
            ])
        return try rows.map { row throws(StoreError) in try LedgerRows.accountID(try row.text(0)) }
    }
}
