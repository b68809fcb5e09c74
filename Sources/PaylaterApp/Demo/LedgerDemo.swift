import PaylaterLedger
import PaylaterMoney
import PaylaterStore

/// A short walk through one purchase on pay-in-4, told by the ledger: funding, a credit limit, an authorization
/// hold, a declined second hold, capture, merchant settlement and the first repayment.
///
/// Every id is fixed, so running it again changes nothing and reports the same balances: idempotency on show.
public struct LedgerDemo: Sendable {
    public let runtime: PaylaterRuntime

    public init(runtime: PaylaterRuntime) { self.runtime = runtime }

    /// Runs the story and returns what happened, line by line, ending with the ledger's verification.
    public func run() throws -> [String] {
        let currency = Currency.CNY
        let consumer = try ConsumerID("c-demo")
        let merchant = try MerchantID("m-demo")
        let plan = try PlanID("p-demo")
        let ledger = runtime.ledger
        let lines = runtime.creditLines
        var story: [String] = []

        try lines.open(consumer, currency)
        try requireSuccess(try ledger.openAccounts(
            ChartOfAccounts.merchantAccounts(merchant, currency) + ChartOfAccounts.planAccounts(plan, currency)))
        let cash = ChartOfAccounts.platform(.platformCash, currency)

        try post(
            "demo:funding", .posted(
                debit: cash, credit: ChartOfAccounts.platform(.platformFunding, currency),
                amount: try Money(parsing: "100000.00", currency: currency)), .funding)
        story.append("The platform is funded with 100000.00 CNY of capital.")
        _ = try lines.setFundingCapacity(try Money(parsing: "100000.00", currency: currency), changeID: try TransferID("demo:capacity"))

        var line = try lines.setLimit(consumer, to: try Money(parsing: "2000.00", currency: currency), changeID: try TransferID("demo:limit"))
        story.append("Shopper c-demo gets a credit limit of \(line.limit).")

        let price = try Money(parsing: "599.00", currency: currency)
        let hold = try TransferID("demo:hold")
        line = try lines.placeHold(consumer, holdID: hold, amount: price, timeout: .seconds(28 * 86_400))
        story.append("Checkout of \(price) on pay-in-4: a hold leaves \(line.available) available.")

        let tooMuch = try Money(parsing: "1800.00", currency: currency)
        do {
            _ = try lines.placeHold(consumer, holdID: try TransferID("demo:hold-2"), amount: tooMuch, timeout: .seconds(3600))
            story.append("A second checkout of \(tooMuch) was approved (unexpected).")
        } catch let error as CreditLineError {
            story.append("A second checkout of \(tooMuch) is declined: \(error).")
        }

        try capture(hold: hold, price: price, consumer: consumer, merchant: merchant, plan: plan)
        line = try lines.creditLine(consumer, currency)
        story.append("The merchant ships and captures \(price): the plan owes \(price), \(line.used) of the limit is in use.")

        let settled = try settle(price: price, merchant: merchant)
        story.append("Settlement pays the merchant \(settled.paid) after a \(settled.discount) discount (2.50%).")

        let installments = try price.allocate(into: 4)
        let first = installments[0]
        try repay(first, consumer: consumer, plan: plan)
        line = try lines.creditLine(consumer, currency)
        story.append("Installments \(installments.map(\.decimalString).joined(separator: " + ")) = \(price); the first is paid.")
        story.append("Credit line now: limit \(line.limit), available \(line.available), used \(line.used).")

        let receivable = try ledger.account(ChartOfAccounts.plan(plan, .planReceivable, currency))
        story.append("The plan still owes \(Money(minorUnits: receivable?.balance.postedDebitBalance ?? 0, currency: currency)).")
        let verification = try ledger.verify()
        story.append(verification.firstViolation.map { "Ledger verification FAILED: \($0)" }
            ?? "Ledger verified: \(verification.accountsChecked) accounts, \(verification.transfersChecked) transfers, debits equal credits.")
        return story
    }

    /// Capture as one linked chain: post the hold and book the receivable against the merchant payable.
    private func capture(hold: TransferID, price: Money, consumer: ConsumerID, merchant: MerchantID, plan: PlanID) throws {
        try submitLinked([
            TransferRequest(id: try TransferID("demo:capture:hold"), kind: .postPending(hold, amount: nil), code: TransferType.capture.code),
            TransferRequest(
                id: try TransferID("demo:capture"),
                kind: .posted(
                    debit: ChartOfAccounts.plan(plan, .planReceivable, price.currency),
                    credit: ChartOfAccounts.merchant(merchant, .merchantPayable, price.currency), amount: price),
                code: TransferType.capture.code, reference: "order-demo"),
        ])
    }

    /// Settlement: the merchant discount to income, the rest to the merchant, as one chain.
    private func settle(price: Money, merchant: MerchantID) throws -> (paid: Money, discount: Money) {
        let discount = try price.multiplied(by: BasisPoints(250), rounding: .halfEven)
        let paid = try price - discount
        let payable = ChartOfAccounts.merchant(merchant, .merchantPayable, price.currency)
        try submitLinked([
            TransferRequest(
                id: try TransferID("demo:settlement:discount"),
                kind: .posted(debit: payable, credit: ChartOfAccounts.platform(.merchantDiscountIncome, price.currency), amount: discount),
                code: TransferType.merchantSettlement.code),
            TransferRequest(
                id: try TransferID("demo:settlement:payout"),
                kind: .posted(debit: payable, credit: ChartOfAccounts.platform(.platformCash, price.currency), amount: paid),
                code: TransferType.merchantSettlement.code),
        ])
        return (paid, discount)
    }

    /// A repayment: cash in against the receivable, and the same amount of credit restored, as one chain.
    private func repay(_ amount: Money, consumer: ConsumerID, plan: PlanID) throws {
        try submitLinked([
            TransferRequest(
                id: try TransferID("demo:repayment:1"),
                kind: .posted(
                    debit: ChartOfAccounts.platform(.platformCash, amount.currency),
                    credit: ChartOfAccounts.plan(plan, .planReceivable, amount.currency), amount: amount),
                code: TransferType.repayment.code),
            TransferRequest(
                id: try TransferID("demo:repayment:1:credit"),
                kind: .posted(
                    debit: ChartOfAccounts.consumer(consumer, .consumerCreditUsed, amount.currency),
                    credit: ChartOfAccounts.consumer(consumer, .consumerCreditAvailable, amount.currency), amount: amount),
                code: TransferType.creditRestored.code),
        ])
    }

    private func post(_ id: String, _ kind: TransferKind, _ type: TransferType) throws {
        try submitLinked([TransferRequest(id: try TransferID(id), kind: kind, code: type.code)])
    }

    /// Submits requests as one linked chain and fails unless every one was created or already existed.
    private func submitLinked(_ requests: [TransferRequest]) throws {
        var chain = requests
        for index in chain.indices.dropLast() { chain[index].isLinked = true }
        let results = try runtime.ledger.submit(chain)
        if let failure = results.first(where: { !$0.isSuccess }), case let .rejected(rejection) = failure {
            throw rejection
        }
    }

    private func requireSuccess(_ results: [AccountResult]) throws {
        if let failure = results.first(where: { !$0.isSuccess }), case let .rejected(rejection) = failure {
            throw rejection
        }
    }
}
