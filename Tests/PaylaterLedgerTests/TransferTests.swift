import PaylaterLedger
import PaylaterTestSupport
import PaylaterMoney
import PaylaterTime
import Testing

@Suite("Posted transfers")
struct PostedTransferTests {
    @Test("a posted transfer debits one account and credits the other by the same amount")
    func postedMovesTotals() throws {
        var ledger = InMemoryLedger()
        let cash = try ledger.open("cash")
        let funding = try ledger.open("funding")
        let result = ledger.submit(try transfer("t1", .posted(debit: cash, credit: funding, amount: try cny("100.00"))))
        #expect(result == .created)
        #expect(ledger.balance(cash) == AccountBalance(debitsPosted: 10_000))
        #expect(ledger.balance(funding) == AccountBalance(creditsPosted: 10_000))
        #expect(ledger.firstViolation() == nil)
    }

    @Test("retrying a transfer with the same id and fields returns exists and changes nothing")
    func retryIsExists() throws {
        var ledger = InMemoryLedger()
        let a = try ledger.open("a")
        let b = try ledger.open("b")
        let request = try transfer("t1", .posted(debit: a, credit: b, amount: try cny("1.00")), reference: "order-1")
        #expect(ledger.submit(request) == .created)
        #expect(ledger.submit(request) == .exists)
        #expect(ledger.balance(a).debitsPosted == 100)
        #expect(ledger.history.count == 1)
    }

    @Test("reusing an id for different fields is rejected and names the field")
    func reusedIdWithDifferentFields() throws {
        var ledger = InMemoryLedger()
        let a = try ledger.open("a")
        let b = try ledger.open("b")
        let c = try ledger.open("c")
        ledger.submit(try transfer("t1", .posted(debit: a, credit: b, amount: try cny("1.00"))))
        #expect(ledger.submit(try transfer("t1", .posted(debit: a, credit: b, amount: try cny("2.00"))))
            == .rejected(.existsWithDifferentFields(field: "amount")))
        #expect(ledger.submit(try transfer("t1", .posted(debit: a, credit: c, amount: try cny("1.00"))))
            == .rejected(.existsWithDifferentFields(field: "credit account")))
        #expect(ledger.submit(try transfer("t1", .posted(debit: a, credit: b, amount: try cny("1.00")), code: 2))
            == .rejected(.existsWithDifferentFields(field: "code")))
        #expect(ledger.submit(try transfer("t1", .voidPending(try TransferID("x"))))
            == .rejected(.existsWithDifferentFields(field: "kind")))
    }

    @Test("the same id twice in one batch: the second is exists")
    func duplicateInBatch() throws {
        var ledger = InMemoryLedger()
        let a = try ledger.open("a")
        let b = try ledger.open("b")
        let request = try transfer("t1", .posted(debit: a, credit: b, amount: try cny("1.00")))
        #expect(ledger.submit([request, request]) == [.created, .exists])
        #expect(ledger.balance(b).creditsPosted == 100)
    }

    @Test("malformed transfers are rejected with the reason", arguments: [
        ("0.00", "a", "b", TransferRejection.amountMustBePositive),
        ("-1.00", "a", "b", .amountMustBePositive),
        ("1.00", "a", "a", .accountsMustBeDifferent),
        ("1.00", "a", "missing", .accountNotFound(try! AccountID("missing"))),
    ])
    func malformed(amount: String, debit: String, credit: String, expected: TransferRejection) throws {
        var ledger = InMemoryLedger()
        _ = try ledger.open("a")
        _ = try ledger.open("b")
        let request = try transfer(
            "t1", .posted(debit: try AccountID(debit), credit: try AccountID(credit), amount: try cny(amount)))
        #expect(ledger.submit(request) == .rejected(expected))
        #expect(ledger.history.isEmpty)
    }

    @Test("a transfer in another currency than its accounts is rejected")
    func currencyMismatch() throws {
        var ledger = InMemoryLedger()
        let a = try ledger.open("a")
        let b = try ledger.open("b")
        let result = ledger.submit(try transfer("t1", .posted(debit: a, credit: b, amount: Money(minorUnits: 100, currency: .USD))))
        #expect(result == .rejected(.currencyMismatch(account: a, accountCurrency: .CNY, transferCurrency: .USD)))
    }

    @Test("an account flagged debits-must-not-exceed-credits cannot go below zero")
    func debitsMustNotExceedCredits() throws {
        var ledger = InMemoryLedger()
        let wallet = try ledger.open("wallet", flags: .debitsMustNotExceedCredits)
        let other = try ledger.open("other")
        ledger.submit(try transfer("fund", .posted(debit: other, credit: wallet, amount: try cny("10.00"))))
        #expect(ledger.submit(try transfer("spend", .posted(debit: wallet, credit: other, amount: try cny("10.01"))))
            == .rejected(.exceedsCredits(wallet)))
        #expect(ledger.submit(try transfer("spend-all", .posted(debit: wallet, credit: other, amount: try cny("10.00"))))
            == .created)
        #expect(ledger.balance(wallet).availableToDebit == 0)
    }

    @Test("an account flagged credits-must-not-exceed-debits cannot be credited past its debits")
    func creditsMustNotExceedDebits() throws {
        var ledger = InMemoryLedger()
        let receivable = try ledger.open("receivable", flags: .creditsMustNotExceedDebits)
        let other = try ledger.open("other")
        ledger.submit(try transfer("lend", .posted(debit: receivable, credit: other, amount: try cny("5.00"))))
        #expect(ledger.submit(try transfer("overpay", .posted(debit: other, credit: receivable, amount: try cny("5.01"))))
            == .rejected(.exceedsDebits(receivable)))
    }

    @Test("totals that would overflow 64 bits are rejected")
    func overflow() throws {
        var ledger = InMemoryLedger()
        let a = try ledger.open("a")
        let b = try ledger.open("b")
        let huge = Money(minorUnits: .max, currency: .CNY)
        #expect(ledger.submit(try transfer("t1", .posted(debit: a, credit: b, amount: huge))) == .created)
        #expect(ledger.submit(try transfer("t2", .posted(debit: a, credit: b, amount: try cny("0.01"))))
            == .rejected(.overflowsTotals(a)))
        #expect(ledger.firstViolation() == nil)
    }
}

@Suite("Two-phase transfers")
struct PendingTransferTests {
    struct Line {
        var ledger = InMemoryLedger()
        let available: AccountID
        let used: AccountID
        init() throws {
            available = try ledger.open("available", flags: .debitsMustNotExceedCredits)
            used = try ledger.open("used")
            let source = try ledger.open("source")
            ledger.submit(try transfer("limit", .posted(debit: source, credit: available, amount: try cny("100.00"))))
        }
        func hold(_ id: String, _ amount: String, timeout: Duration? = nil) throws -> TransferRequest {
            try transfer(id, .pending(debit: available, credit: used, amount: try cny(amount), timeout: timeout))
        }
    }

    @Test("a hold reserves the amount as pending on both accounts")
    func holdReserves() throws {
        var line = try Line()
        #expect(line.ledger.submit(try line.hold("h1", "30.00")) == .created)
        #expect(line.ledger.balance(line.available).debitsPending == 3_000)
        #expect(line.ledger.balance(line.used).creditsPending == 3_000)
        #expect(line.ledger.balance(line.available).availableToDebit == 7_000)
    }

    @Test("a hold cannot exceed the available limit, counting other holds")
    func holdCannotExceedLimit() throws {
        var line = try Line()
        #expect(line.ledger.submit(try line.hold("h1", "60.00")) == .created)
        #expect(line.ledger.submit(try line.hold("h2", "40.01")) == .rejected(.exceedsCredits(line.available)))
        #expect(line.ledger.submit(try line.hold("h3", "40.00")) == .created)
    }

    @Test("posting a hold in full moves pending to posted")
    func postInFull() throws {
        var line = try Line()
        line.ledger.submit(try line.hold("h1", "30.00"))
        #expect(line.ledger.submit(try transfer("p1", .postPending(try TransferID("h1"), amount: nil))) == .created)
        #expect(line.ledger.balance(line.available) == AccountBalance(debitsPosted: 3_000, creditsPosted: 10_000))
        #expect(line.ledger.workingSet.pendingStates[try TransferID("h1")] == .posted(by: try TransferID("p1"), at: line.ledger.now))
        #expect(line.ledger.firstViolation() == nil)
    }

    @Test("posting less than the hold releases the rest")
    func partialPost() throws {
        var line = try Line()
        line.ledger.submit(try line.hold("h1", "30.00"))
        #expect(line.ledger.submit(try transfer("p1", .postPending(try TransferID("h1"), amount: try cny("12.50")))) == .created)
        #expect(line.ledger.balance(line.available) == AccountBalance(debitsPosted: 1_250, creditsPosted: 10_000))
        #expect(line.ledger.balance(line.available).availableToDebit == 8_750)
        #expect(line.ledger.firstViolation() == nil)
    }

    @Test("posting more than the hold is rejected")
    func overPost() throws {
        var line = try Line()
        line.ledger.submit(try line.hold("h1", "30.00"))
        #expect(line.ledger.submit(try transfer("p1", .postPending(try TransferID("h1"), amount: try cny("30.01"))))
            == .rejected(.exceedsPendingAmount(pending: try cny("30.00"), requested: try cny("30.01"))))
    }

    @Test("a voided hold releases everything and can be neither posted nor voided again")
    func void() throws {
        var line = try Line()
        let h1 = try TransferID("h1")
        line.ledger.submit(try line.hold("h1", "30.00"))
        #expect(line.ledger.submit(try transfer("v1", .voidPending(h1))) == .created)
        #expect(line.ledger.balance(line.available).availableToDebit == 10_000)
        #expect(line.ledger.submit(try transfer("p1", .postPending(h1, amount: nil))) == .rejected(.pendingTransferAlreadyVoided(h1)))
        #expect(line.ledger.submit(try transfer("v2", .voidPending(h1))) == .rejected(.pendingTransferAlreadyVoided(h1)))
        #expect(line.ledger.firstViolation() == nil)
    }

    @Test("a posted hold cannot be posted again")
    func doublePost() throws {
        var line = try Line()
        let h1 = try TransferID("h1")
        line.ledger.submit(try line.hold("h1", "30.00"))
        line.ledger.submit(try transfer("p1", .postPending(h1, amount: nil)))
        #expect(line.ledger.submit(try transfer("p2", .postPending(h1, amount: nil))) == .rejected(.pendingTransferAlreadyPosted(h1)))
    }

    @Test("posting or voiding something that is not a hold is rejected")
    func notAHold() throws {
        var line = try Line()
        #expect(line.ledger.submit(try transfer("p1", .postPending(try TransferID("nothing"), amount: nil)))
            == .rejected(.pendingTransferNotFound(try TransferID("nothing"))))
        #expect(line.ledger.submit(try transfer("p2", .voidPending(try TransferID("limit"))))
            == .rejected(.notAPendingTransfer(try TransferID("limit"))))
    }

    @Test("a hold past its timeout expires, releases its amount and cannot be posted")
    func expiry() throws {
        var line = try Line()
        let h1 = try TransferID("h1")
        line.ledger.submit(try line.hold("h1", "30.00", timeout: .seconds(60)))
        line.ledger.now = line.ledger.now.advanced(by: .seconds(59))
        line.ledger.submit([])
        #expect(line.ledger.balance(line.available).debitsPending == 3_000, "one second before the timeout it still holds")
        line.ledger.now = line.ledger.now.advanced(by: .seconds(1))
        #expect(line.ledger.submit(try transfer("p1", .postPending(h1, amount: nil))) == .rejected(.pendingTransferExpired(h1)))
        #expect(line.ledger.balance(line.available).availableToDebit == 10_000)
        #expect(line.ledger.workingSet.pendingStates[h1] == .expired(at: line.ledger.now))
        #expect(line.ledger.firstViolation() == nil)
    }

    @Test("a hold that was not offered for expiry still cannot be posted after its timeout")
    func expiredWithoutSweep() throws {
        var line = try Line()
        let h1 = try TransferID("h1")
        line.ledger.submit(try line.hold("h1", "30.00", timeout: .seconds(60)))
        let later = line.ledger.now.advanced(by: .seconds(61))
        let outcome = LedgerEngine.apply(
            [try transfer("p1", .postPending(h1, amount: nil))], to: line.ledger.workingSet, at: later)
        #expect(outcome.results == [.rejected(.pendingTransferExpired(h1))])
        #expect(outcome.changes.isEmpty)
    }

    @Test("timeouts must be whole seconds within the maximum", arguments: [
        Duration.zero, .milliseconds(1_500), .seconds(-5), .seconds(401 * 86_400),
    ])
    func invalidTimeouts(timeout: Duration) throws {
        var line = try Line()
        guard case .rejected(.invalidTimeout) = line.ledger.submit(try line.hold("h1", "1.00", timeout: timeout)) else {
            Issue.record("timeout \(timeout) was accepted")
            return
        }
    }
}

@Suite("Linked chains")
struct LinkedChainTests {
    @Test("a linked chain with one bad transfer leaves nothing behind")
    func allOrNothing() throws {
        var ledger = InMemoryLedger()
        let a = try ledger.open("a")
        let b = try ledger.open("b")
        let capped = try ledger.open("capped", flags: .debitsMustNotExceedCredits)
        let before = ledger.workingSet.accounts
        let results = ledger.submit([
            try transfer("t1", .posted(debit: a, credit: b, amount: try cny("1.00")), linked: true),
            try transfer("t2", .pending(debit: b, credit: a, amount: try cny("2.00"), timeout: nil), linked: true),
            try transfer("t3", .posted(debit: capped, credit: a, amount: try cny("3.00"))),
            try transfer("t4", .posted(debit: a, credit: b, amount: try cny("4.00"))),
        ])
        #expect(results == [
            .rejected(.linkedEventFailed), .rejected(.linkedEventFailed), .rejected(.exceedsCredits(capped)), .created,
        ])
        #expect(ledger.balance(a) == AccountBalance(debitsPosted: 400))
        #expect(ledger.balance(b) == AccountBalance(creditsPosted: 400))
        #expect(ledger.workingSet.accounts[capped] == before[capped])
        #expect(ledger.workingSet.transfers.keys.map(\.rawValue) == ["t4"])
        #expect(ledger.workingSet.pendingStates.isEmpty)
        #expect(ledger.firstViolation() == nil)
    }

    @Test("a chain that succeeds applies every member")
    func chainSucceeds() throws {
        var ledger = InMemoryLedger()
        let a = try ledger.open("a")
        let b = try ledger.open("b")
        let results = ledger.submit([
            try transfer("h", .pending(debit: a, credit: b, amount: try cny("5.00"), timeout: nil), linked: true),
            try transfer("p", .postPending(try TransferID("h"), amount: try cny("4.00"))),
        ])
        #expect(results == [.created, .created])
        #expect(ledger.balance(a) == AccountBalance(debitsPosted: 400))
    }

    @Test("a batch ending with the linked flag set fails the open chain")
    func openChain() throws {
        var ledger = InMemoryLedger()
        let a = try ledger.open("a")
        let b = try ledger.open("b")
        let results = ledger.submit([
            try transfer("t1", .posted(debit: a, credit: b, amount: try cny("1.00"))),
            try transfer("t2", .posted(debit: a, credit: b, amount: try cny("1.00")), linked: true),
            try transfer("t3", .posted(debit: a, credit: b, amount: try cny("1.00")), linked: true),
        ])
        #expect(results == [.created, .rejected(.linkedEventFailed), .rejected(.linkedEventChainOpen)])
        #expect(ledger.history.count == 1)
    }

    @Test("retrying a committed chain returns exists for every member")
    func retryChain() throws {
        var ledger = InMemoryLedger()
        let a = try ledger.open("a")
        let b = try ledger.open("b")
        let chain = [
            try transfer("t1", .posted(debit: a, credit: b, amount: try cny("1.00")), linked: true),
            try transfer("t2", .posted(debit: b, credit: a, amount: try cny("0.50"))),
        ]
        #expect(ledger.submit(chain) == [.created, .created])
        #expect(ledger.submit(chain) == [.exists, .exists])
        #expect(ledger.history.count == 2)
    }

    @Test("a rolled-back chain leaves its ids free for a later, valid attempt")
    func idsFreedByRollback() throws {
        var ledger = InMemoryLedger()
        let a = try ledger.open("a")
        let b = try ledger.open("b")
        let good = try transfer("t1", .posted(debit: a, credit: b, amount: try cny("1.00")), linked: true)
        let bad = try transfer("t2", .posted(debit: a, credit: a, amount: try cny("1.00")))
        #expect(ledger.submit([good, bad]) == [.rejected(.linkedEventFailed), .rejected(.accountsMustBeDifferent)])
        var single = good
        single.isLinked = false
        #expect(ledger.submit(single) == .created)
    }
}
