@testable import PaylaterPostgres
import PaylaterLedger
import PaylaterMoney
import PaylaterStore
import PaylaterTime
import Synchronization
import Testing

@Suite("The ledger on PostgreSQL", .needsPostgres)
struct LedgerTests {
    private let now = Instant(secondsSinceUnixEpoch: 1_790_000_000)

    private func migrated(_ server: TemporaryPostgresDatabase, connections: Int = 4) throws -> PostgresDatabase {
        let database = try server.open(maximumConnections: connections)
        try Migrator().migrate(database, at: now)
        return database
    }

    private func open(_ database: PostgresDatabase, _ ids: [String]) throws -> [AccountID] {
        let requests = try ids.map { NewAccount(id: try AccountID($0), currency: .CNY, code: AccountCode(1)) }
        let results = try database.write { try LedgerRepository($0).createAccounts(requests, at: now) }
        #expect(results == Array(repeating: .created, count: ids.count))
        return requests.map(\.id)
    }

    private func transfer(_ id: String, _ kind: TransferKind) throws -> TransferRequest {
        TransferRequest(id: try TransferID(id), kind: kind, code: TransferCode(1), reference: "ref-\(id)")
    }

    private func cny(_ minorUnits: Int64) -> Money { Money(minorUnits: minorUnits, currency: .CNY) }

    @Test("opening accounts that exist locks none of them: a capture's opening of the platform's accounts left every other write waiting, in chart order, and deadlocked with the id order writes lock in")
    func openingExistingAccountsLocksNothing() throws {
        try TemporaryPostgresDatabase.with { server in
            let database = try migrated(server)
            let ids = try open(database, ["platform:cash:CNY", "consumer:c1:credit-used:CNY"])
            let requests = ids.map { NewAccount(id: $0, currency: .CNY, code: AccountCode(1)) }
            try database.write { holder in
                #expect(try LedgerRepository(holder).createAccounts(requests, at: now) == [.exists, .exists])
                for id in ids {
                    try database.write { other in
                        try other.execute("SELECT id FROM ledger_accounts WHERE id = ? FOR UPDATE NOWAIT", [.text(id.rawValue)])
                    }
                }
            }
        }
    }

    @Test("accounts, posted, pending, post, void and expired transfers round-trip and verify clean")
    func roundTrip() throws {
        try TemporaryPostgresDatabase.with { server in
            let database = try migrated(server)
            let ids = try open(database, ["alice", "bob"])
            let (a, b) = (ids[0], ids[1])
            let requests = [
                try transfer("t-posted", .posted(debit: a, credit: b, amount: cny(1_000))),
                try transfer("t-hold", .pending(debit: a, credit: b, amount: cny(500), timeout: .seconds(3600))),
                try transfer("t-post", .postPending(try TransferID("t-hold"), amount: cny(400))),
                try transfer("t-hold-2", .pending(debit: b, credit: a, amount: cny(100), timeout: nil)),
                try transfer("t-void", .voidPending(try TransferID("t-hold-2"))),
                try transfer("t-hold-3", .pending(debit: a, credit: b, amount: cny(70), timeout: .seconds(60))),
            ]
            let outcome = try database.write { try LedgerRepository($0).submit(requests, at: now) }
            #expect(outcome.results == Array(repeating: .created, count: requests.count))

            let later = now.advanced(by: .seconds(120))
            let expired = try database.write { try LedgerRepository($0).expireHolds(at: later) }
            #expect(expired == 1)

            let stored = try database.read { connection in
                let ledger = LedgerRepository(connection)
                return (
                    transfers: try outcome.changes.createdTransfers.map { try ledger.transfer($0.id) },
                    hold: try ledger.pendingState(of: try TransferID("t-hold")),
                    hold2: try ledger.pendingState(of: try TransferID("t-hold-2")),
                    hold3: try ledger.pendingState(of: try TransferID("t-hold-3")),
                    alice: try ledger.account(a)?.balance,
                    history: try ledger.transfers(of: a).map(\.transfer.id.rawValue),
                    verification: try ledger.verify())
            }
            #expect(stored.transfers == outcome.changes.createdTransfers)
            #expect(stored.hold == .posted(by: try TransferID("t-post"), at: now))
            #expect(stored.hold2 == .voided(by: try TransferID("t-void"), at: now))
            #expect(stored.hold3 == .expired(at: later))
            #expect(stored.alice == AccountBalance(debitsPosted: 1_400))
            #expect(stored.history == ["t-posted", "t-hold", "t-post", "t-hold-2", "t-void", "t-hold-3"])
            #expect(stored.verification.firstViolation == nil)
            #expect(stored.verification.accountsChecked == 2)
            #expect(stored.verification.transfersChecked == 6)
        }
    }

    @Test("submitting a batch again is exists for every transfer and changes nothing")
    func resubmit() throws {
        try TemporaryPostgresDatabase.with { server in
            let database = try migrated(server)
            let ids = try open(database, ["alice", "bob"])
            let batch = try (0..<50).map { try transfer("t-\($0)", .posted(debit: ids[0], credit: ids[1], amount: cny(Int64($0 + 1)))) }
            let first = try database.write { try LedgerRepository($0).submit(batch, at: now).results }
            let again = try database.write { try LedgerRepository($0).submit(batch + [try transfer("t-new", .posted(debit: ids[1], credit: ids[0], amount: cny(5)))], at: now).results }
            #expect(first == Array(repeating: .created, count: 50))
            #expect(again == Array(repeating: .exists, count: 50) + [.created])
            let balance = try database.read { try LedgerRepository($0).account(ids[0])?.balance }
            #expect(balance == AccountBalance(debitsPosted: 1_275, creditsPosted: 5))
        }
    }

    @Test("batches submitted from many threads at once all commit, and the ledger verifies clean")
    func concurrentSubmits() throws {
        try TemporaryPostgresDatabase.with { server in
            let database = try migrated(server, connections: 4)
            let ids = try open(database, (0..<6).map { "acct-\($0)" })
            let now = now
            let errors = onThreads(4) { thread in
                var random = SplitMix(seed: UInt64(thread + 1))
                for batch in 0..<15 {
                    let requests = try (0..<8).map { index in
                        let debit = Int(random.next() % 6)
                        let credit = (debit + 1 + Int(random.next() % 5)) % 6
                        return TransferRequest(
                            id: try TransferID("t-\(thread)-\(batch)-\(index)"),
                            kind: .posted(debit: ids[debit], credit: ids[credit], amount: Money(minorUnits: 100, currency: .CNY)),
                            code: TransferCode(1))
                    }
                    let results = try database.write { try LedgerRepository($0).submit(requests, at: now).results }
                    #expect(results.allSatisfy { $0 == .created })
                }
            }
            #expect(errors.isEmpty, "\(errors)")
            let verification = try database.read { try LedgerRepository($0).verify() }
            #expect(verification.firstViolation == nil)
            #expect(verification.transfersChecked == 4 * 15 * 8)
            let totals = try database.read { connection in
                try connection.query("SELECT SUM(debits_posted), SUM(credits_posted) FROM ledger_accounts", [])[0].values
            }
            let total = SQLValue.integer(4 * 15 * 8 * 100)
            #expect(totals == [total, total])
        }
    }

    @Test("a retry racing its first attempt finds the transfer the other committed: created once, exists otherwise, never an error")
    func racingRetriesOfOneTransfer() throws {
        try TemporaryPostgresDatabase.with { server in
            let database = try migrated(server, connections: 4)
            let ids = try open(database, ["acct-a", "acct-b"])
            let now = now
            let requests = try (0..<30).map { index in
                try transfer("t-\(index)", .posted(debit: ids[index % 2], credit: ids[1 - index % 2], amount: cny(100)))
            }
            // Four threads submit the same thirty one-transfer requests in the same order, as four retries would.
            let outcomes = Mutex<[TransferResult]>([])
            let errors = onThreads(4) { _ in
                for request in requests {
                    let results = try database.write { try LedgerRepository($0).submit([request], at: now).results }
                    outcomes.withLock { $0 += results }
                }
            }
            #expect(errors.isEmpty, "\(errors)")
            let results = outcomes.withLock { $0 }
            #expect(results.count == 4 * 30)
            #expect(results.filter { $0 == .created }.count == 30)
            #expect(results.filter { $0 == .exists }.count == 3 * 30)
            let verification = try database.read { try LedgerRepository($0).verify() }
            #expect(verification.firstViolation == nil)
            #expect(verification.transfersChecked == 30)
        }
    }

    @Test("one-transfer submits on the same two accounts from many threads, some expiring holds elsewhere, keep balances exact")
    func concurrentOneTransferSubmits() throws {
        try TemporaryPostgresDatabase.with { server in
            let database = try migrated(server, connections: 6)
            let ids = try open(database, ["acct-a", "acct-b", "acct-c", "acct-d"])
            let now = now
            // Holds on c and d that fall due while the threads run: some submit on a and b expires each of them.
            var holds: [TransferRequest] = []
            for index in 0..<12 {
                let debit: AccountID = ids[2 + index % 2]
                let credit: AccountID = ids[3 - index % 2]
                let timeout: Duration = .seconds(1 + index)
                holds.append(try transfer(
                    "h-\(index)", .pending(debit: debit, credit: credit, amount: cny(10), timeout: timeout)))
            }
            let created = try database.write { try LedgerRepository($0).submit(holds, at: now).results }
            #expect(created == Array(repeating: .created, count: holds.count))
            let threads = 6, perThread = 40
            let errors = onThreads(threads) { thread in
                for index in 0..<perThread {
                    let forward = (thread + index) % 2 == 0
                    let request = TransferRequest(
                        id: try TransferID("t-\(thread)-\(index)"),
                        kind: .posted(debit: ids[forward ? 0 : 1], credit: ids[forward ? 1 : 0],
                                      amount: Money(minorUnits: 100 + Int64(thread), currency: .CNY)),
                        code: TransferCode(1))
                    let offset: Duration = .milliseconds(350 * index)
                    let at = now.advanced(by: offset)
                    let results = try database.write { try LedgerRepository($0).submit([request], at: at).results }
                    #expect(results == [.created])
                }
            }
            #expect(errors.isEmpty, "\(errors)")
            let verification = try database.read { try LedgerRepository($0).verify() }
            #expect(verification.firstViolation == nil)
            let balances = try database.read { connection in
                try ids.map { try LedgerRepository(connection).account($0)?.balance }
            }
            var a: Int64 = 0
            for thread in 0..<threads {
                for index in 0..<perThread {
                    let amount = 100 + Int64(thread)
                    a += (thread + index) % 2 == 0 ? amount : -amount
                }
            }
            let debitsA = balances[0]?.debitsPosted ?? 0, creditsA = balances[0]?.creditsPosted ?? 0
            #expect(debitsA - creditsA == a)
            #expect(balances[0]?.debitsPosted == balances[1]?.creditsPosted)
            #expect(balances[0]?.creditsPosted == balances[1]?.debitsPosted)
            #expect(balances[2] == AccountBalance())
            #expect(balances[3] == AccountBalance())
            let states = try database.read { connection in
                try holds.map { try LedgerRepository(connection).pendingState(of: $0.id) }
            }
            #expect(states.allSatisfy { if case .expired = $0 { true } else { false } }, "\(states)")
        }
    }
}

/// A tiny seeded generator, so a failing interleaving can be replayed.
struct SplitMix {
    private var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
