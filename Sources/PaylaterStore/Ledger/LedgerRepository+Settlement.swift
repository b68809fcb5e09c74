public import PaylaterLedger
public import PaylaterMoney

extension LedgerRepository {
    /// The ids of merchant payable accounts in `currency`, in id order after `cursor` (exclusive), at most `limit`.
    ///
    /// Merchant accounts' ids start with `merchant:` (the chart of accounts), so the search is a range of the
    /// unique index on `id`, not a scan of every account.
    public func merchantPayableIDs(
        currency: Currency, after cursor: AccountID?, limit: Int
    ) throws(StoreError) -> [AccountID] {
        precondition(limit > 0)
        let rows = try connection.query(
            """
            SELECT id FROM ledger_accounts
            WHERE id > ? AND id < 'merchant;' AND code = ? AND currency = ? ORDER BY id LIMIT ?
            """,
            [
                .text(cursor?.rawValue ?? "merchant:"), .integer(Int64(AccountType.merchantPayable.rawValue)),
                .text(currency.code), .integer(Int64(limit)),
            ])
        return try rows.map { row throws(StoreError) in try LedgerRows.accountID(try row.text(0)) }
    }
}
