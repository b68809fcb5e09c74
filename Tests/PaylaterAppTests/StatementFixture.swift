import PaylaterApp
import PaylaterLedger
import PaylaterMoney
import PaylaterProducts
import PaylaterStore
import PaylaterTestSupport
import PaylaterTime
import Testing

/// Consumer c1 with a 5,000.00 CNY line buys with Huabei-like monthly bills from merchant m1: `monthly-bill`
/// (statement on the 1st, due on the 10th) and `monthly-bill-eom` (statement on the last day, due on the 10th),
/// both split in 3, 6 or 12 months at 0.5% a month, with a 5.00 late fee.
struct StatementFixture {
    static let catalogJSON = """
        {"jurisdiction": "CN", "rate_caps": [{"jurisdiction": "CN", "apr_percent": "24", "method": "cn-irr"}],
         "products": [
           {"id": "monthly-bill", "kind": "monthly_bill", "statement_day": 1, "due_day": 10, "split_months": [3, 6, 12],
            "monthly_fee_rate": "0.005", "currencies": ["CNY"], "minimum": "1.00", "maximum": "30000.00"},
           {"id": "monthly-bill-eom", "kind": "monthly_bill", "statement_day": "last", "due_day": 10,
            "split_months": [3, 6, 12], "monthly_fee_rate": "0.005", "currencies": ["CNY"], "minimum": "1.00",
            "maximum": "30000.00"}]}
        """

    let store: TestStore
    let credit: CreditLineService
    let servicing: ServicingService
    let statements: StatementService
    let ledger: LedgerService
    let catalog: ProductCatalog
    let consumer: ConsumerID
    let merchant: MerchantID
    let lateFees: LateFeePolicy

    /// The clock starts on `start` and only moves forward.
    init(_ kind: StoreKind, start: String = "2027-03-01") throws {
        store = try TestStore(kind)
        store.clock.set(to: try Instant(iso8601: "\(start)T10:00:00Z"))
        catalog = try ProductCatalog(json: Array(Self.catalogJSON.utf8))
        credit = CreditLineService(database: store.database, clock: store.clock)
        servicing = ServicingService(database: store.database, clock: store.clock, catalog: catalog)
        statements = StatementService(database: store.database, catalog: catalog, servicing: servicing)
        ledger = LedgerService(database: store.database, clock: store.clock)
        consumer = try ConsumerID("c1")
        merchant = try MerchantID("m1")
        lateFees = try LateFeePolicy(first: LateFeeAmount(fixed: try cny("5.00")), orderCapPercentage: BasisPoints(2500))
        try credit.open(consumer, .CNY)
        _ = try credit.setFundingCapacity(try cny("1000000.00"), changeID: try TransferID("capacity-1"))
        _ = try credit.setLimit(consumer, to: try cny("5000.00"), changeID: try TransferID("limit-1"))
    }

    /// Sets the business date (10:00 UTC).
    func today(_ date: String) throws {
        store.clock.set(to: try Instant(iso8601: "\(date)T10:00:00Z"))
    }

    /// A purchase on `date`: a plan as a checkout capture makes it, one installment due on its statement's due date.
    @discardableResult
    func buy(
        _ plan: String, on date: String, _ amount: String, product: String = "monthly-bill", lateFees: LateFeePolicy? = nil
    ) throws -> PlanID {
        try today(date)
        let id = try PlanID(plan)
        let schedule = try catalog.quote(productID: product, amount: try cny(amount), date: try LocalDate(iso8601: date)).schedule
        _ = try servicing.openPlan(
            NewPlan(
                consumer: consumer, merchant: merchant, plan: id, productID: product, schedule: schedule,
                lateFeePolicy: lateFees ?? self.lateFees, orderID: "order-\(plan)"))
        return id
    }

    func plan(_ id: PlanID) throws -> RepaymentPlan { try servicing.plan(consumer: consumer, plan: id).plan }

    func balance(_ id: AccountID) throws -> Int64 {
        guard let account = try ledger.account(id) else { return 0 }
        return account.balance.debitsPosted - account.balance.creditsPosted
    }

    func line() throws -> CreditLine { try credit.creditLine(consumer, .CNY) }

    /// Every plan's receivables equal what it says is owed, the limit used equals the principal owed on all of
    /// them, and the ledger is sound.
    func expectLedgerMatchesPlans() throws {
        let plans = try servicing.plans(consumer: consumer).map(\.plan)
        for plan in plans {
            let id = try PlanID(plan.id)
            #expect(try balance(ChartOfAccounts.plan(id, .planReceivable, .CNY)) == plan.principalOwed.minorUnits, "\(plan.id)")
            #expect(
                try balance(ChartOfAccounts.plan(id, .planFeeReceivable, .CNY))
                    == plan.feesOwed.minorUnits + plan.lateFeesOwed.minorUnits, "\(plan.id)")
        }
        #expect(try line().used.minorUnits == plans.reduce(0) { $0 + $1.principalOwed.minorUnits })
        #expect(try ledger.verify().firstViolation == nil)
    }

    /// Every account balance the plans and the shopper touch, to show that a refused request moved nothing.
    func snapshot() throws -> [String] {
        let plans = try servicing.plans(consumer: consumer).map(\.plan)
        var balances = [
            try balance(ChartOfAccounts.platform(.platformCash, .CNY)),
            try balance(ChartOfAccounts.platform(.feeIncome, .CNY)),
            try balance(ChartOfAccounts.consumer(consumer, .consumerCreditBalance, .CNY)),
            try line().used.minorUnits,
        ].map { "\($0)" }
        balances += plans.map { "\($0)" }
        return balances
    }
}
