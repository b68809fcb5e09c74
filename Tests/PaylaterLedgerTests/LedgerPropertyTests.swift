import PaylaterLedger
import PaylaterTestSupport
import PaylaterMoney
import PaylaterTime
import Testing

/// Seeded random workloads: whatever happens, every invariant holds after every batch.
@Suite("Ledger laws under random workloads")
struct LedgerPropertyTests {
    @Test("random transfers, holds, posts, voids, timeouts, chains and retries keep every invariant", arguments: 0..<40)
    func invariantsHold(seed: UInt64) throws {
        var random = SplitMix64(seed: seed)
        var ledger = InMemoryLedger()
        var accounts: [AccountID] = []
        for index in 0..<6 {
            let flags: AccountFlags = index % 3 == 0 ? .debitsMustNotExceedCredits : (index % 3 == 1 ? .creditsMustNotExceedDebits : [])
            accounts.append(try ledger.open("acct-\(index)", flags: flags))
        }
        var submitted: [TransferRequest] = []
        var holds: [TransferID] = []
        var counter = 0
        var tally: [String: Int] = [:]
        for batchNumber in 0..<30 {
            var batch: [TransferRequest] = []
            for _ in 0..<Int.random(in: 1...12, using: &random) {
                counter += 1
                let request = try RandomWorkload.request(
                    id: "s\(seed)-t\(counter)", accounts: accounts, holds: holds, submitted: submitted, using: &random)
                if case .pending = request.kind { holds.append(request.id) }
                batch.append(request)
            }
            let results = ledger.submit(batch)
            for result in results { tally[Self.label(result), default: 0] += 1 }
            submitted += batch
            #expect(results.count == batch.count)
            let violation = ledger.firstViolation()
            #expect(violation == nil, "seed \(seed), batch \(batchNumber): \(violation.map(String.init(describing:)) ?? "")")
            for account in ledger.workingSet.accounts.values {
                #expect(account.balance.satisfies(account.flags), "seed \(seed): \(account.id) broke its flags")
            }
            ledger.now = ledger.now.advanced(by: .seconds(Int64.random(in: 0...40, using: &random)))
        }
        // The workload must exercise the interesting paths, or the laws above were checked on nothing.
        #expect(tally["created", default: 0] > 20, "seed \(seed): \(tally)")
        #expect(tally["exists", default: 0] > 0, "seed \(seed): \(tally)")
        #expect(tally["rejected", default: 0] > 0, "seed \(seed): \(tally)")
        #expect(ledger.workingSet.pendingStates.values.contains { !$0.isPending }, "seed \(seed): no hold was resolved")
    }

    private static func label(_ result: TransferResult) -> String {
        switch result {
        case .created: "created"
        case .exists: "exists"
        case .rejected: "rejected"
        }
    }
}

@Suite("Ledger verifier")
struct LedgerVerifierTests {
    @Test("stored totals that differ from the transfers are named")
    func tamperedTotals() throws {
        var ledger = InMemoryLedger()
        let a = try ledger.open("a")
        let b = try ledger.open("b")
        ledger.submit(try transfer("t1", .posted(debit: a, credit: b, amount: try cny("1.00"))))
        ledger.tamper(a) { $0.debitsPosted = 99 }
        ledger.tamper(b) { $0.creditsPosted = 99 }
        guard case let .totalsDifferFromTransfers(id, _, _)? = ledger.firstViolation() else {
            Issue.record("no violation reported")
            return
        }
        #expect(id == a)
    }

    @Test("debits that do not equal credits in a currency are named")
    func unbalanced() throws {
        var verifier = LedgerVerifier()
        let account = Account(
            id: try AccountID("a"), currency: .USD, code: AccountCode(1), flags: [],
            balance: AccountBalance(debitsPosted: 5), createdAt: .unixEpoch)
        verifier.check(account, fromTransfers: account.balance)
        #expect(verifier.firstViolation() == .unbalancedCurrency(.USD, totals: "posted", debits: 5, credits: 0))
    }

    @Test("a flagged account beyond its limit is named")
    func limitBroken() throws {
        var verifier = LedgerVerifier()
        let balance = AccountBalance(debitsPosted: 5, creditsPosted: 4)
        let account = Account(
            id: try AccountID("a"), currency: .USD, code: AccountCode(1), flags: .debitsMustNotExceedCredits,
            balance: balance, createdAt: .unixEpoch)
        verifier.check(account, fromTransfers: balance)
        #expect(verifier.firstViolation() == .limitBroken(try AccountID("a"), flags: .debitsMustNotExceedCredits, balance: balance))
    }
}
