public import PaylaterLedger

/// The result of checking the ledger's invariants.
public struct LedgerVerification: Sendable {
    public let accountsChecked: Int
    public let transfersChecked: Int64
    /// The first broken invariant, or nil when the ledger is sound.
    public let firstViolation: LedgerViolation?
}

extension LedgerRepository {
    /// Checks every invariant over the whole ledger: per-currency balance, stored totals against the transfers, and
    /// the flagged accounts' constraints. Run it in a read transaction so it sees one snapshot.
    public func verify() throws -> LedgerVerification {
        let fromTransfers = try totalsFromTransfers()
        var verifier = LedgerVerifier()
        try connection.forEachRow("SELECT \(LedgerRows.accountSelectColumns) FROM ledger_accounts ORDER BY id", []) { row in
            let (seq, account) = try LedgerRows.account(row)
            verifier.check(account, fromTransfers: fromTransfers[seq] ?? AccountBalance())
        }
        let transferCount = try connection.query("SELECT COUNT(*) FROM ledger_transfers", [])[0].int64(0)
        return LedgerVerification(
            accountsChecked: verifier.accountsChecked, transfersChecked: transferCount,
            firstViolation: verifier.firstViolation())
    }

    /// Every account's four totals recomputed from the transfers and the states of the pending ones, by account seq.
    private func totalsFromTransfers() throws -> [Int64: AccountBalance] {
        var totals: [Int64: AccountBalance] = [:]
        let posted = "FROM ledger_transfers WHERE kind IN (0, 2)"
        let pending = "FROM ledger_transfers t JOIN ledger_pending p ON p.transfer_id = t.id WHERE p.state = 0"
        let sums: [(String, WritableKeyPath<AccountBalance, Int64>)] = [
            ("SELECT debit_account, SUM(amount) \(posted) GROUP BY debit_account", \.debitsPosted),
            ("SELECT credit_account, SUM(amount) \(posted) GROUP BY credit_account", \.creditsPosted),
            ("SELECT t.debit_account, SUM(t.amount) \(pending) GROUP BY t.debit_account", \.debitsPending),
            ("SELECT t.credit_account, SUM(t.amount) \(pending) GROUP BY t.credit_account", \.creditsPending),
        ]
        for (sql, total) in sums {
            try connection.forEachRow(sql, []) { row in
                totals[try row.int64(0), default: AccountBalance()][keyPath: total] = try row.int64(1)
            }
        }
        return totals
    }
}
