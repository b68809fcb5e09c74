import PaylaterLedger
import PaylaterMoney
import PaylaterStore
import PaylaterTestSupport
import PaylaterTime
import Testing

/// A connection that passes everything through and keeps the text of each statement that reads rows.
private final class ReadRecordingConnection: ForwardingConnection {
    private(set) var reads: [String] = []

    /// The reads of ledger accounts recorded so far.
    var accountReads: [String] { reads.filter { $0.contains("FROM ledger_accounts WHERE") } }

    override func query(_ sql: String, _ arguments: [SQLValue]) throws(StoreError) -> [SQLRow] {
        reads.append(sql)
        return try base.query(sql, arguments)
    }
    override func queryBatch(_ queries: [(sql: String, arguments: [SQLValue])]) throws(StoreError) -> [[SQLRow]] {
        reads += queries.map(\.sql)
        return try base.queryBatch(queries)
    }
    override func forEachRow(_ sql: String, _ arguments: [SQLValue], _ body: (SQLRow) throws -> Void) throws {
        reads.append(sql)
        try base.forEachRow(sql, arguments, body)
    }
}

@Suite("Ledger accounts read earlier in a transaction")
struct LedgerAccountsReuseTests {
    private func open(_ store: TestStore, _ ids: [String]) throws -> [AccountID] {
        let accounts = try ids.map { NewAccount(id: try AccountID($0), currency: .CNY, code: AccountCode(1)) }
        _ = try store.database.write { try LedgerRepository($0).createAccounts(accounts, at: store.clock.now()) }
        return accounts.map(\.id)
    }

    @Test("a submit takes the accounts read before it in its transaction where writers take turns, reads only the others, and posts the same",
          arguments: StoreKind.available)
    func reuse(kind: StoreKind) throws {
        let store = try TestStore(kind)
        let ids = try open(store, ["a", "b", "c"])
        let (a, b, c) = (ids[0], ids[1], ids[2])
        // Balances first, so that what the submit starts from is not an empty account.
        _ = try store.database.write { try LedgerRepository($0).submit([try transfer("t0", .posted(debit: a, credit: b, amount: try cny("5.00")))], at: store.clock.now()) }
        let (results, accountReads) = try store.database.write { connection in
            let read = try LedgerRepository(connection).accountsRead([a, b])
            #expect(read.accounts[a]?.balance.debitsPosted == 500)
            let recording = ReadRecordingConnection(connection)
            let outcome = try LedgerRepository(recording).submit(
                [try transfer("t1", .posted(debit: a, credit: b, amount: try cny("1.00"))),
                 try transfer("t2", .posted(debit: b, credit: c, amount: try cny("2.00")))],
                at: store.clock.now(), reusing: read)
            return (outcome.results, recording.accountReads)
        }
        #expect(results == [.created, .created])
        if kind == .sqlite {
            // Only `c` is read: one point query.
            #expect(accountReads.count == 1)
            #expect(accountReads.allSatisfy { !$0.contains("UNION ALL") })
        } else {
            #expect(!accountReads.isEmpty, "PostgreSQL reads (and locks) every account the batch moves")
        }
        let balances = try store.database.read { try LedgerRepository($0).accounts([a, b, c]) }
        #expect(balances[a]?.balance.debitsPosted == 600)
        #expect(balances[b]?.balance.creditsPosted == 600)
        #expect(balances[b]?.balance.debitsPosted == 200)
        #expect(balances[c]?.balance.creditsPosted == 200)
    }

    @Test("accounts a transaction has just opened are taken as opened, not read back; a submit on them posts to the right rows",
          arguments: StoreKind.available)
    func opened(kind: StoreKind) throws {
        let store = try TestStore(kind)
        let earlier = try open(store, ["a"])[0]
        let now = store.clock.now()
        let new = try ["b", "c"].map { NewAccount(id: try AccountID($0), currency: .CNY, code: AccountCode(2)) }
        let (b, c) = (new[0].id, new[1].id)
        let (read, accountReads, results) = try store.database.write { connection in
            let recording = ReadRecordingConnection(connection)
            let repository = LedgerRepository(recording)
            // `a` exists already: it answers `exists` and is not among those created.
            let (results, created) = try repository.openAccounts(
                new + [NewAccount(id: earlier, currency: .CNY, code: AccountCode(1))], at: now)
            #expect(Set(created.accounts.keys) == [b, c])
            let read = try repository.accountsRead([earlier, b, c], knowing: created)
            let reads = recording.accountReads
            _ = try repository.submit(
                [try transfer("t1", .posted(debit: b, credit: c, amount: try cny("3.00"))),
                 try transfer("t2", .posted(debit: earlier, credit: b, amount: try cny("1.00")))],
                at: now, reusing: read)
            return (read, reads, results)
        }
        #expect(results == [.created, .created, .exists])
        // The read after opening asks only for `a` (plus the look-up of `a` when its insert found it taken).
        #expect(accountReads.allSatisfy { !$0.contains("UNION ALL") })
        #expect(accountReads.count == 2)
        let stored = try store.database.read { try LedgerRepository($0).accounts([earlier, b, c]) }
        // What was taken as opened is what is stored (but for the balances the submit moved since).
        for id in [b, c] {
            #expect(read.accounts[id]?.id == stored[id]?.id)
            #expect(read.accounts[id]?.code == stored[id]?.code)
            #expect(read.accounts[id]?.flags == stored[id]?.flags)
            #expect(read.accounts[id]?.createdAt == stored[id]?.createdAt)
            #expect(read.accounts[id]?.balance == AccountBalance())
        }
        #expect(stored[b]?.balance.debitsPosted == 300)
        #expect(stored[b]?.balance.creditsPosted == 100)
        #expect(stored[c]?.balance.creditsPosted == 300)
        #expect(stored[earlier]?.balance.debitsPosted == 100)
        // The transfer's row names the accounts by the `seq`s taken as opened: read back, they are `b` and `c`.
        let t1 = try store.database.read { try LedgerRepository($0).transfer(try TransferID("t1")) }
        #expect(t1?.debitAccountID == b)
        #expect(t1?.creditAccountID == c)
    }

    @Test("without accounts read before, a submit reads every account it moves", arguments: StoreKind.available)
    func noReuse(kind: StoreKind) throws {
        let store = try TestStore(kind)
        let ids = try open(store, ["a", "b"])
        let accountReads = try store.database.write { connection in
            let recording = ReadRecordingConnection(connection)
            _ = try LedgerRepository(recording).submit(
                [try transfer("t1", .posted(debit: ids[0], credit: ids[1], amount: try cny("1.00")))], at: store.clock.now())
            return recording.accountReads
        }
        #expect(accountReads.count == 1)
    }
}
