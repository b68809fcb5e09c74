import PaylaterLedger
import PaylaterMoney
import PaylaterTime

/// How ledger values map to and from table rows. Kept in one place so both engines read and write them alike.
enum LedgerRows {
    /// The columns an account is written with (its `seq` is assigned by the database).
    static let accountColumns =
        "id, currency, code, flags, debits_pending, debits_posted, credits_pending, credits_posted, created_at"
    /// The columns an account is read with: `seq` first, then `accountColumns`.
    static let accountSelectColumns = "seq, " + accountColumns

    /// Reads a row of `accountSelectColumns`: the account and its `seq`.
    static func account(_ row: SQLRow) throws(StoreError) -> (seq: Int64, account: Account) {
        let flags = AccountFlags(rawValue: UInt16(truncatingIfNeeded: try row.int64(4)))
        guard AccountFlags.known.isSuperset(of: flags) else { throw .unreadableRow("unknown account flags \(flags)") }
        let account = Account(
            id: try accountID(try row.text(1)),
            currency: try currency(try row.text(2)),
            code: AccountCode(UInt16(truncatingIfNeeded: try row.int64(3))),
            flags: flags,
            balance: AccountBalance(
                debitsPending: try row.int64(5), debitsPosted: try row.int64(6),
                creditsPending: try row.int64(7), creditsPosted: try row.int64(8)),
            createdAt: Instant(nanosecondsSinceUnixEpoch: try row.int64(9)))
        return (try row.int64(0), account)
    }

    static func values(_ account: Account) -> [SQLValue] {
        [
            .text(account.id.rawValue), .text(account.currency.code), .integer(Int64(account.code.rawValue)),
            .integer(Int64(account.flags.rawValue)), .integer(account.balance.debitsPending),
            .integer(account.balance.debitsPosted), .integer(account.balance.creditsPending),
            .integer(account.balance.creditsPosted), .integer(account.createdAt.nanosecondsSinceUnixEpoch),
        ]
    }

    /// The columns a transfer is written with, in `values(_:debitSeq:creditSeq:)` order; `debit_account` and
    /// `credit_account` hold account `seq`s.
    static let transferColumnTypes: [SQLColumn] = [
        SQLColumn("id", .text), SQLColumn("debit_account", .integer), SQLColumn("credit_account", .integer),
        SQLColumn("amount", .integer), SQLColumn("currency", .text), SQLColumn("kind", .integer),
        SQLColumn("pending_id", .text), SQLColumn("requested_amount", .integer), SQLColumn("timeout_seconds", .integer),
        SQLColumn("expires_at", .integer), SQLColumn("code", .integer), SQLColumn("linked", .integer),
        SQLColumn("reference", .text), SQLColumn("created_at", .integer),
    ]

    /// The account columns a batch updates, after the key `seq`.
    static let accountBalanceColumns: [SQLColumn] = [
        SQLColumn("debits_pending", .integer), SQLColumn("debits_posted", .integer),
        SQLColumn("credits_pending", .integer), SQLColumn("credits_posted", .integer),
    ]

    /// The columns of a pending transfer's state, in `values(_:_:)` order.
    static let pendingColumnTypes: [SQLColumn] = [
        SQLColumn("transfer_id", .text), SQLColumn("state", .integer), SQLColumn("expires_at", .integer),
        SQLColumn("resolved_by", .text), SQLColumn("resolved_at", .integer),
    ]

    /// A query for transfers with the text ids of their accounts, in the order `transfer(_:)` reads, and the
    /// transfer's `seq` last (column 14); append a WHERE clause on `t`.
    static let transferSelect = """
        SELECT t.id, d.id, c.id, t.amount, t.currency, t.kind, t.pending_id, t.requested_amount, t.timeout_seconds, \
        t.expires_at, t.code, t.linked, t.reference, t.created_at, t.seq
        FROM ledger_transfers t
        JOIN ledger_accounts d ON d.seq = t.debit_account
        JOIN ledger_accounts c ON c.seq = t.credit_account
        """

    /// The stored kind of a transfer.
    private enum Kind: Int64 { case posted = 0, pending = 1, postPending = 2, voidPending = 3 }

    /// The row of `transferColumnTypes` for `transfer`, whose accounts have the given `seq`s.
    static func values(_ transfer: Transfer, debitSeq: Int64, creditSeq: Int64) -> [SQLValue] {
        let request = transfer.request
        var kind = Kind.posted
        var pendingID: String?
        var requestedAmount: Int64?
        var timeoutSeconds: Int64?
        switch request.kind {
        case .posted:
            break
        case let .pending(_, _, _, timeout):
            kind = .pending
            timeoutSeconds = timeout?.components.seconds
        case let .postPending(id, amount):
            (kind, pendingID, requestedAmount) = (.postPending, id.rawValue, amount?.minorUnits)
        case let .voidPending(id):
            (kind, pendingID) = (.voidPending, id.rawValue)
        }
        return [
            .text(transfer.id.rawValue), .integer(debitSeq), .integer(creditSeq), .integer(transfer.amount.minorUnits),
            .text(transfer.amount.currency.code), .integer(kind.rawValue), .text(pendingID), .integer(requestedAmount),
            .integer(timeoutSeconds), .integer(transfer.expiresAt?.nanosecondsSinceUnixEpoch),
            .integer(Int64(request.code.rawValue)), .integer(request.isLinked ? 1 : 0), .text(request.reference),
            .integer(transfer.timestamp.nanosecondsSinceUnixEpoch),
        ]
    }

    static func transfer(_ row: SQLRow) throws(StoreError) -> Transfer {
        let debit = try accountID(try row.text(1))
        let credit = try accountID(try row.text(2))
        let amount = Money(minorUnits: try row.int64(3), currency: try currency(try row.text(4)))
        let kind: TransferKind
        switch Kind(rawValue: try row.int64(5)) {
        case .posted?:
            kind = .posted(debit: debit, credit: credit, amount: amount)
        case .pending?:
            let timeout = try row.optionalInt64(8).map { Duration.seconds($0) }
            kind = .pending(debit: debit, credit: credit, amount: amount, timeout: timeout)
        case .postPending?:
            let requested = try row.optionalInt64(7).map { Money(minorUnits: $0, currency: amount.currency) }
            kind = .postPending(try transferID(try row.text(6)), amount: requested)
        case .voidPending?:
            kind = .voidPending(try transferID(try row.text(6)))
        case nil:
            throw .unreadableRow("unknown transfer kind \(try row.int64(5))")
        }
        let request = TransferRequest(
            id: try transferID(try row.text(0)), kind: kind, code: TransferCode(UInt16(truncatingIfNeeded: try row.int64(10))),
            isLinked: try row.int64(11) != 0, reference: try row.optionalText(12))
        return Transfer(
            request: request, debitAccountID: debit, creditAccountID: credit, amount: amount,
            timestamp: Instant(nanosecondsSinceUnixEpoch: try row.int64(13)),
            expiresAt: try row.optionalInt64(9).map(Instant.init(nanosecondsSinceUnixEpoch:)))
    }

    static let pendingColumns = pendingColumnTypes.map(\.name).joined(separator: ", ")

    /// The stored state of a pending transfer.
    private enum State: Int64 { case pending = 0, posted = 1, voided = 2, expired = 3 }

    static func values(_ id: TransferID, _ state: PendingTransferState) -> [SQLValue] {
        let (code, expiresAt, resolvedBy, resolvedAt): (State, Instant?, TransferID?, Instant?) =
            switch state {
            case let .pending(expiresAt): (.pending, expiresAt, nil, nil)
            case let .posted(by, at): (.posted, nil, by, at)
            case let .voided(by, at): (.voided, nil, by, at)
            case let .expired(at): (.expired, nil, nil, at)
            }
        return [
            .text(id.rawValue), .integer(code.rawValue), .integer(expiresAt?.nanosecondsSinceUnixEpoch),
            .text(resolvedBy?.rawValue), .integer(resolvedAt?.nanosecondsSinceUnixEpoch),
        ]
    }

    static func pendingState(_ row: SQLRow) throws(StoreError) -> (TransferID, PendingTransferState) {
        let id = try transferID(try row.text(0))
        let resolvedAt = try row.optionalInt64(4).map(Instant.init(nanosecondsSinceUnixEpoch:))
        let state: PendingTransferState
        switch (State(rawValue: try row.int64(1)), resolvedAt) {
        case (.pending?, _):
            state = .pending(expiresAt: try row.optionalInt64(2).map(Instant.init(nanosecondsSinceUnixEpoch:)))
        case let (.posted?, at?):
            state = .posted(by: try transferID(try row.text(3)), at: at)
        case let (.voided?, at?):
            state = .voided(by: try transferID(try row.text(3)), at: at)
        case let (.expired?, at?):
            state = .expired(at: at)
        default:
            throw .unreadableRow("pending transfer \(id) has an unreadable state")
        }
        return (id, state)
    }

    static func accountID(_ text: String) throws(StoreError) -> AccountID {
        do { return try AccountID(text) } catch { throw .unreadableRow(error.description) }
    }

    static func transferID(_ text: String) throws(StoreError) -> TransferID {
        do { return try TransferID(text) } catch { throw .unreadableRow(error.description) }
    }

    static func currency(_ code: String) throws(StoreError) -> Currency {
        do { return try Currency(code: code) } catch { throw .unreadableRow(error.description) }
    }
}
