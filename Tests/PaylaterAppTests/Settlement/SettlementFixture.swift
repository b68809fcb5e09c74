import PaylaterApp
import PaylaterLedger
import PaylaterMoney
import PaylaterProducts
import PaylaterStore
import PaylaterTestSupport
import PaylaterTime

/// Consumer c1 with a 10,000.00 CNY line buys from merchants on pay in 4; merchants are priced at 250 bp plus 0.30
/// per order.
struct SettlementFixture {
    let store: TestStore
    let servicing: ServicingService
    let ledger: LedgerService
    let settlements: SettlementService
    let consumer: ConsumerID
    let pricing: MerchantPricing

    init(_ kind: StoreKind) throws {
        store = try TestStore(kind)
        store.clock.set(to: try Instant(iso8601: "2027-03-01T08:00:00Z"))
        let credit = CreditLineService(database: store.database, clock: store.clock)
        servicing = ServicingService(database: store.database, clock: store.clock)
        ledger = LedgerService(database: store.database, clock: store.clock)
        settlements = SettlementService(database: store.database, clock: store.clock)
        consumer = try ConsumerID("c1")
        pricing = try MerchantPricing(discountRate: BasisPoints(250), fixedFeePerOrder: try cny("0.30"), currency: .CNY)
        try credit.open(consumer, .CNY)
        _ = try credit.setFundingCapacity(try cny("1000000.00"), changeID: try TransferID("capacity"))
        _ = try credit.setLimit(consumer, to: try cny("10000.00"), changeID: try TransferID("limit-1"))
    }

    /// Sets the clock to `time` (ISO 8601, UTC).
    func at(_ time: String) throws {
        store.clock.set(to: try Instant(iso8601: time))
    }

    /// Merchant `merchant` captures `amount` on a new plan `plan` at `time`.
    func capture(_ merchant: String, plan: String, _ amount: String, at time: String) throws {
        try at(time)
        let schedule = try ScheduleGenerator.schedule(
            for: .payIn4(intervalDays: 14), principal: try cny(amount), start: store.clock.now().utcDateTime.date,
            remainder: .first)
        _ = try servicing.openPlan(NewPlan(
            consumer: consumer, merchant: try MerchantID(merchant), plan: try PlanID(plan), productID: "pay-in-4",
            schedule: schedule))
    }

    /// The merchant refunds `amount` on `plan` at `time`.
    func refund(plan: String, _ amount: String, at time: String) throws {
        try at(time)
        _ = try servicing.refund(consumer: consumer, plan: try PlanID(plan), amount: try cny(amount), operationID: "refund-\(plan)-\(time.prefix(13))")
    }

    /// Posts `count` corrections of 1.00 to the merchant's payable (adjustment lines, no discount), 1,000 a batch.
    func corrections(_ merchant: String, count: Int) throws {
        let payable = ChartOfAccounts.merchant(try MerchantID(merchant), .merchantPayable, .CNY)
        let promotion = ChartOfAccounts.platform(.promotionCost, .CNY)
        for batch in stride(from: 0, to: count, by: 1_000) {
            let requests = try (batch..<min(batch + 1_000, count)).map { index in
                TransferRequest(
                    id: try TransferID("correction-\(merchant)-\(index)"),
                    kind: .posted(debit: promotion, credit: payable, amount: try cny("1.00")), code: TransferType.correction.code)
            }
            guard try ledger.submit(requests).allSatisfy({ $0 == .created }) else {
                throw StoreError.inconsistent("a correction of \(merchant) was refused")
            }
        }
    }

    /// Settles `merchant` through `cutoff` at `time`.
    func settle(_ merchant: String, through cutoff: String, at time: String, id: String) throws -> Settlement {
        try at(time)
        return try settlements.settle(
            merchant: try MerchantID(merchant), currency: .CNY, through: try Instant(iso8601: cutoff), pricing: pricing,
            settlementID: id)
    }

    /// The merchant's payable as the merchant sees it: positive when the platform owes them.
    func payable(_ merchant: String) throws -> Int64 {
        try ledger.account(ChartOfAccounts.merchant(try MerchantID(merchant), .merchantPayable, .CNY))?.balance.postedCreditBalance ?? 0
    }

    /// A platform account's debit balance (cash) or credit balance (income), as its normal side reads.
    func platform(_ type: AccountType) throws -> Int64 {
        let balance = try ledger.account(ChartOfAccounts.platform(type, .CNY))?.balance
        return (type.normalSide == .debit ? balance?.postedDebitBalance : balance?.postedCreditBalance) ?? 0
    }
}

/// Reads RFC 4180 CSV back into rows, for checking reports.
enum CSVReader {
    static func rows(_ text: String) -> [[String]] {
        var rows: [[String]] = []
        var row: [String] = []
        var field = ""
        var quoted = false
        var characters = Array(text)[...]
        while let character = characters.popFirst() {
            if quoted {
                if character == "\"" {
                    if characters.first == "\"" { field.append("\""); characters.removeFirst() } else { quoted = false }
                } else {
                    field.append(character)
                }
                continue
            }
            switch character {
            case "\"": quoted = true
            case ",": row.append(field); field = ""
            case "\r\n", "\n": row.append(field); rows.append(row); row = []; field = ""
            default: field.append(character)
            }
        }
        if !field.isEmpty || !row.isEmpty { row.append(field); rows.append(row) }
        return rows
    }
}
