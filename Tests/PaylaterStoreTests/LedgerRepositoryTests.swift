import PaylaterLedger
import PaylaterMoney
import PaylaterSQLite
import PaylaterStore
import PaylaterTestSupport
import PaylaterTime
import Testing

@Suite("Ledger in the store")
struct LedgerRepositoryTests {
    private func open(_ store: TestStore, _ ids: [String], flags: AccountFlags = []) throws -> [AccountID] {
        let accounts = try ids.map { NewAccount(id: try AccountID($0), currency: .CNY, code: AccountCode(1), flags: flags) }
        let results = try store.database.write { try LedgerRepository($0).createAccounts(accounts, at: store.clock.now()) }
        #expect(results.allSatisfy { $0.isSuccess })
        return accounts.map(\.id)
    }

    private func submit(_ store: TestStore, _ requests: [TransferRequest]) throws -> [TransferResult] {
        try store.database.write { try LedgerRepository($0).submit(requests, at: store.clock.now()).results }
    }

    @Test("opening an account twice is exists; with other fields it is rejected", arguments: StoreKind.available)
    func accountIdempotency(kind: StoreKind) throws {
        let store = try TestStore(kind)
        let request = NewAccount(id: try AccountID("a"), currency: .CNY, code: AccountCode(1))
        var changed = request
        changed.currency = .USD
        let results = try store.database.write {
            try LedgerRepository($0).createAccounts([request, request, changed], at: store.clock.now())
        }
        #expect(results == [.created, .exists, .rejected(.existsWithDifferentFields(field: "currency"))])
    }

    @Test("two connections opening the same new account at once both succeed: one creates, one finds it",
          arguments: StoreKind.available)
    func concurrentAccountOpening(kind: StoreKind) throws {
        let store = try TestStore(kind)
        let second = try store.reopen()
        let requests = try (0..<200).map { NewAccount(id: try AccountID("shared-\($0)"), currency: .CNY, code: AccountCode(1)) }
        let outcomes = concurrently(8) { index in
            let database: any Database = index.isMultiple(of: 2) ? store.database : second
            return try database.write { try LedgerRepository($0).createAccounts(requests, at: store.clock.now()) }
        }
        #expect(outcomes.unexpectedFailures() == [])
        let all = outcomes.successes()
        #expect(all.count == 8)
        for index in requests.indices {
            #expect(all.filter { $0[index] == .created }.count == 1, "account \(index) created exactly once")
            #expect(all.allSatisfy { $0[index].isSuccess })
        }
    }

    @Test("both balance constraints at once are refused", arguments: StoreKind.available)
    func exclusiveFlags(kind: StoreKind) throws {
        let store = try TestStore(kind)
        let request = NewAccount(
            id: try AccountID("a"), currency: .CNY, code: AccountCode(1),
            flags: [.debitsMustNotExceedCredits, .creditsMustNotExceedDebits])
        let results = try store.database.write { try LedgerRepository($0).createAccounts([request], at: store.clock.now()) }
        #expect(results == [.rejected(.flagsAreMutuallyExclusive)])
    }

    @Test("every kind of transfer reads back exactly as it was recorded", arguments: StoreKind.available)
    func roundTrip(kind: StoreKind) throws {
        let store = try TestStore(kind)
        let ids = try open(store, ["a", "b"])
        let (a, b) = (ids[0], ids[1])
        let requests = [
            try transfer("t-posted", .posted(debit: a, credit: b, amount: try cny("10.00")), code: 7, reference: "order-1"),
            try transfer("t-hold", .pending(debit: a, credit: b, amount: try cny("5.00"), timeout: .seconds(3600)), linked: true),
            try transfer("t-post", .postPending(try TransferID("t-hold"), amount: try cny("4.00"))),
            try transfer("t-hold-2", .pending(debit: b, credit: a, amount: try cny("1.00"), timeout: nil)),
            try transfer("t-void", .voidPending(try TransferID("t-hold-2"))),
        ]
        let outcome = try store.database.write { try LedgerRepository($0).submit(requests, at: store.clock.now()) }
        #expect(outcome.results.allSatisfy { $0 == .created })
        let (hold, hold2) = (try TransferID("t-hold"), try TransferID("t-hold-2"))
        let stored = try store.database.read { connection in
            let ledger = LedgerRepository(connection)
            return (
                transfers: try outcome.changes.createdTransfers.map { try ledger.transfer($0.id) },
                holdState: try ledger.pendingState(of: hold), hold2State: try ledger.pendingState(of: hold2),
                balance: try ledger.account(a)?.balance, history: try ledger.transfers(of: a).map(\.transfer.id.rawValue))
        }
        #expect(stored.transfers == outcome.changes.createdTransfers)
        #expect(stored.holdState == .posted(by: try TransferID("t-post"), at: store.clock.now()))
        #expect(stored.hold2State == .voided(by: try TransferID("t-void"), at: store.clock.now()))
        #expect(stored.balance == AccountBalance(debitsPosted: 1_400))
        #expect(stored.history == ["t-posted", "t-hold", "t-post", "t-hold-2", "t-void"])
    }

    @Test("a retry is exists even when the same transfer would now be rejected", arguments: StoreKind.available)
    func retryAfterBalanceChanged(kind: StoreKind) throws {
        let store = try TestStore(kind)
        let wallet = try open(store, ["wallet"], flags: .debitsMustNotExceedCredits)[0]
        let other = try open(store, ["other"])[0]
        let spend = try transfer("spend", .posted(debit: wallet, credit: other, amount: try cny("10.00")))
        #expect(try submit(store, [try transfer("fund", .posted(debit: other, credit: wallet, amount: try cny("10.00")))]) == [.created])
        #expect(try submit(store, [spend]) == [.created])
        #expect(try submit(store, [spend]) == [.exists], "the wallet is empty now, but this is a retry, not a new spend")
        var changed = spend
        changed.reference = "other"
        #expect(try submit(store, [changed]) == [.rejected(.existsWithDifferentFields(field: "reference"))])
        let chain = [
            try transfer("new", .posted(debit: other, credit: wallet, amount: try cny("1.00")), linked: true),
            try transfer("spend", .posted(debit: wallet, credit: other, amount: try cny("10.00"))),
        ]
        #expect(try submit(store, chain) == [.created, .exists], "an existing member does not fail its chain")
    }

    @Test("a linked batch with one bad transfer leaves nothing in the database", arguments: StoreKind.available)
    func linkedBatchLeavesNothing(kind: StoreKind) throws {
        let store = try TestStore(kind)
        let ids = try open(store, ["a", "b"])
        let results = try submit(store, [
            try transfer("t1", .posted(debit: ids[0], credit: ids[1], amount: try cny("1.00")), linked: true),
            try transfer("t2", .pending(debit: ids[0], credit: ids[1], amount: try cny("1.00"), timeout: .seconds(5)), linked: true),
            try transfer("t3", .posted(debit: ids[0], credit: try AccountID("nobody"), amount: try cny("1.00"))),
        ])
        #expect(results == [.rejected(.linkedEventFailed), .rejected(.linkedEventFailed), .rejected(.accountNotFound(try AccountID("nobody")))])
        let counts = try store.database.read { connection in
            try ["ledger_transfers", "ledger_pending"].map { try connection.query("SELECT COUNT(*) FROM \($0)", [])[0].int64(0) }
        }
        #expect(counts == [0, 0])
        #expect(try store.database.read { try LedgerRepository($0).account(ids[0])?.balance } == AccountBalance())
    }

    @Test("a business change that fails after posting rolls the postings back too", arguments: StoreKind.available)
    func postingsCommitWithTheBusinessChange(kind: StoreKind) throws {
        struct BusinessRuleFailed: Error {}
        let store = try TestStore(kind)
        let ids = try open(store, ["a", "b"])
        #expect(throws: BusinessRuleFailed.self) {
            try store.database.write { connection in
                _ = try LedgerRepository(connection).submit(
                    [try transfer("t1", .posted(debit: ids[0], credit: ids[1], amount: try cny("1.00")))], at: store.clock.now())
                throw BusinessRuleFailed()
            }
        }
        #expect(try store.database.read { try LedgerRepository($0).transfer(try TransferID("t1")) } == nil)
    }

    @Test("holds expire when the clock passes their timeout, on the next write", arguments: StoreKind.available)
    func expiry(kind: StoreKind) throws {
        let store = try TestStore(kind)
        let ids = try open(store, ["a", "b"])
        _ = try submit(store, [try transfer("h", .pending(debit: ids[0], credit: ids[1], amount: try cny("3.00"), timeout: .seconds(60)))])
        store.clock.advance(by: .seconds(60))
        let released = try store.database.write { try LedgerRepository($0).expireHolds(at: store.clock.now()) }
        #expect(released == 1)
        let hold = try TransferID("h")
        let after = try store.database.read { connection in
            let ledger = LedgerRepository(connection)
            return (balance: try ledger.account(ids[0])?.balance, state: try ledger.pendingState(of: hold),
                    violation: try ledger.verify().firstViolation)
        }
        #expect(after.balance == AccountBalance())
        #expect(after.state == .expired(at: store.clock.now()))
        #expect(after.violation == nil)
    }

    @Test("holds that expire in the same submit as requests naming them: expired first, the rest applies",
          arguments: StoreKind.available)
    func expiryWithRequests(kind: StoreKind) throws {
        let store = try TestStore(kind)
        let ids = try open(store, ["a", "b"])
        let (a, b) = (ids[0], ids[1])
        let holds = [
            try transfer("h1", .pending(debit: a, credit: b, amount: try cny("3.00"), timeout: .seconds(60))),
            try transfer("h2", .pending(debit: a, credit: b, amount: try cny("2.00"), timeout: .seconds(60))),
        ]
        #expect(try submit(store, holds) == [.created, .created])
        store.clock.advance(by: .seconds(60))
        // h1 is due and named by the post; h2 is due and named by nothing; "h2" retried is exists.
        let requests = [
            try transfer("x", .posted(debit: a, credit: b, amount: try cny("1.00"))),
            try transfer("p1", .postPending(try TransferID("h1"), amount: nil)),
            holds[1],
        ]
        let outcome = try store.database.write { try LedgerRepository($0).submit(requests, at: store.clock.now()) }
        #expect(outcome.results[0] == .created)
        #expect(!outcome.results[1].isSuccess)
        #expect(outcome.results[2] == .exists)
        #expect(Set(outcome.expiredPendingTransfers) == [try TransferID("h1"), try TransferID("h2")])
        let after = try store.database.read { connection in
            let ledger = LedgerRepository(connection)
            return (balance: try ledger.account(a)?.balance, h1: try ledger.pendingState(of: try TransferID("h1")),
                    p1: try ledger.transfer(try TransferID("p1")), violation: try ledger.verify().firstViolation)
        }
        #expect(after.balance == AccountBalance(debitsPosted: 100))
        #expect(after.h1 == .expired(at: store.clock.now()))
        #expect(after.p1 == nil)
        #expect(after.violation == nil)
        #expect(try submit(store, [requests[0]]) == [.exists])
    }

    @Test("a plain transfer whose accounts are locked with the opening reads: holds due on other accounts expire, a reused id naming other accounts is rejected",
          arguments: StoreKind.available)
    func plainTransferWithOtherAccounts(kind: StoreKind) throws {
        let store = try TestStore(kind)
        let ids = try open(store, ["a", "b", "c", "d"])
        let (a, b, c, d) = (ids[0], ids[1], ids[2], ids[3])
        #expect(try submit(store, [
            try transfer("h", .pending(debit: c, credit: d, amount: try cny("3.00"), timeout: .seconds(60))),
            try transfer("y", .posted(debit: c, credit: a, amount: try cny("1.00"))),
        ]) == [.created, .created])
        store.clock.advance(by: .seconds(60))
        // The hold on c and d is due: the one-transfer submit on b and a must expire it too.
        let outcome = try store.database.write {
            try LedgerRepository($0).submit(
                [try transfer("x", .posted(debit: b, credit: a, amount: try cny("2.00")))], at: store.clock.now())
        }
        #expect(outcome.results == [.created])
        #expect(outcome.expiredPendingTransfers == [try TransferID("h")])
        // "y" again, now between a and b: exists with other accounts, so it is rejected and nothing changes.
        let reused = try submit(store, [try transfer("y", .posted(debit: a, credit: b, amount: try cny("1.00")))])
        #expect(reused.count == 1 && !reused[0].isSuccess)
        let after = try store.database.read { connection in
            let ledger = LedgerRepository(connection)
            return (a: try ledger.account(a)?.balance, b: try ledger.account(b)?.balance,
                    c: try ledger.account(c)?.balance, h: try ledger.pendingState(of: try TransferID("h")),
                    violation: try ledger.verify().firstViolation)
        }
        #expect(after.a == AccountBalance(creditsPosted: 300))
        #expect(after.b == AccountBalance(debitsPosted: 200))
        #expect(after.c == AccountBalance(debitsPosted: 100))
        #expect(after.h == .expired(at: store.clock.now()))
        #expect(after.violation == nil)
    }

    @Test("verify names a stored total that was tampered with", arguments: StoreKind.available)
    func verifyFindsTampering(kind: StoreKind) throws {
        let store = try TestStore(kind)
        let ids = try open(store, ["a", "b"])
        _ = try submit(store, [try transfer("t1", .posted(debit: ids[0], credit: ids[1], amount: try cny("1.00")))])
        #expect(try store.database.read { try LedgerRepository($0).verify() }.firstViolation == nil)
        try store.database.write { try $0.execute("UPDATE ledger_accounts SET credits_posted = 50 WHERE id = 'b'", []) }
        let violation = try store.database.read { try LedgerRepository($0).verify() }.firstViolation
        #expect(violation == .totalsDifferFromTransfers(
            ids[1], stored: AccountBalance(creditsPosted: 50), fromTransfers: AccountBalance(creditsPosted: 100)))
    }

    @Test("random workloads give the same results and balances in the store as in the engine's model",
          arguments: StoreKind.available, 0..<4)
    func matchesTheModel(kind: StoreKind, seed: UInt64) throws {
        let store = try TestStore(kind)
        var model = InMemoryLedger()
        model.now = store.clock.now()
        var random = SplitMix64(seed: seed)
        var accounts: [AccountID] = []
        for index in 0..<5 {
            let flags: AccountFlags = index % 2 == 0 ? .debitsMustNotExceedCredits : []
            accounts.append(try model.open("acct-\(index)", flags: flags))
            _ = try open(store, ["acct-\(index)"], flags: flags)
        }
        var submitted: [TransferRequest] = []
        var holds: [TransferID] = []
        for batchNumber in 0..<25 {
            var batch: [TransferRequest] = []
            for index in 0..<Int.random(in: 1...10, using: &random) {
                let request = try RandomWorkload.request(
                    id: "b\(batchNumber)-\(index)", accounts: accounts, holds: holds, submitted: submitted, using: &random)
                if case .pending = request.kind { holds.append(request.id) }
                batch.append(request)
            }
            submitted += batch
            let expected = model.submit(batch)
            let actual = try submit(store, batch)
            #expect(actual == expected, "seed \(seed) batch \(batchNumber)")
            let stored = try store.database.read { try LedgerRepository($0).accounts(Set(accounts)) }
            for id in accounts { #expect(stored[id]?.balance == model.balance(id), "seed \(seed) batch \(batchNumber) \(id)") }
            let verification = try store.database.read { try LedgerRepository($0).verify() }
            #expect(verification.firstViolation == nil, "seed \(seed) batch \(batchNumber)")
            let step = Duration.seconds(Int64.random(in: 0...40, using: &random))
            store.clock.advance(by: step)
            model.now = model.now.advanced(by: step)
        }
    }
}
