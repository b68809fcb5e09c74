public import PaylaterLedger
public import PaylaterMoney
import PaylaterProducts
public import PaylaterStore
public import PaylaterTime

/// The outcome of the end-of-day settlement of every merchant in one currency.
public struct SettlementRun: Sendable {
    /// Settlements this run made, in merchant id order.
    public var settlements: [Settlement] = []
    /// Settlements an earlier run made for the date (this run is a rerun), in merchant id order: nothing posted.
    public var madeEarlier: [Settlement] = []
    /// Merchants with a payable but no pricing: not settled.
    public var unpriced: [MerchantID] = []
    /// Merchants already settled through a later cutoff (a missed day run after a later one): nothing to do.
    public var settledLater: [MerchantID] = []
    /// Merchants with nothing to settle: no line through the cutoff since their previous settlement, so nothing to pay
    /// and no debt changed. No settlement is recorded for them (a debt stays on their latest settlement's
    /// `carriedOver`); a later line gets a settlement of the date it falls on.
    public var nothingToSettle: [MerchantID] = []
    /// Merchants whose settlement was refused, with the reason; the others were still settled.
    public var failures: [(merchant: MerchantID, error: String)] = []
    /// Merchants with lines through the cutoff still unsettled after `SettlementService.partsPerRunMaximum`
    /// settlements for the date: the next run (a rerun of the date) goes on from there.
    public var leftOver: [MerchantID] = []
    /// Merchants not settled for the date because their pricing for it changed after the run read it
    /// (`SettlementError.pricingChanged`): `EndOfDaySettlement` applies what is due and settles them again.
    public var pricingChanged: [MerchantID] = []

    /// How many merchants `settlements` paid or recorded (a merchant with more than `linesMaximum` lines has several).
    public var merchantsSettled: Int { Set(settlements.map(\.merchantID)).count }

    /// Adds what `other` did (the same date's settlement of some merchants again) to this run.
    mutating func append(_ other: SettlementRun) {
        settlements += other.settlements
        madeEarlier += other.madeEarlier
        unpriced += other.unpriced
        settledLater += other.settledLater
        nothingToSettle += other.nothingToSettle
        failures += other.failures
        leftOver += other.leftOver
        pricingChanged += other.pricingChanged
    }
}

/// Daily merchant settlement from the double-entry ledger: each settlement reads the merchant payable's transfers
/// since the previous one, takes the merchant discount, pays out what is owed and records the lines, all in one
/// write transaction.
///
/// Rules:
/// - A settlement covers a contiguous run of the payable's ledger positions, from the previous settlement's
///   `positionTo` up to the first transfer stamped after the cutoff (or `linesMaximum` lines). Whatever comes later
///   in the ledger waits for the next settlement, even if stamped earlier (possible with concurrent writers), so no
///   transfer is ever skipped or settled twice. Postings of earlier settlements (ids under
///   `Settlement.transferIDPrefix`) are passed over.
/// - The payout is the balance of the covered lines after the discount plus what was brought forward. When it is
///   zero or negative nothing is paid and the negative balance is carried over: the merchant owes it, and the next
///   settlement nets it.
/// - Postings, one linked chain: the total discount (payable → merchant discount income, code `merchantDiscount`),
///   then the payout (payable → platform cash, code `merchantSettlement`); zero amounts are left out.
/// - Idempotent by settlement id: a retry with the same currency, cutoff and pricing returns the stored settlement
///   and posts nothing; the same id with other inputs is refused.
public struct SettlementService: Sendable {
    /// The most lines one settlement holds; the end of day makes as many settlements for a date as its
    /// lines need (`settleAll`).
    public static let linesMaximum = 10_000
    /// The most settlements one end-of-day run makes for one merchant, currency and date (a million lines by
    /// default); beyond it the merchant is listed as left over and a rerun of the date goes on.
    public static let partsPerRunMaximum = 100
    /// The longest settlement id, in bytes (it is stored as the postings' reference).
    public static let settlementIDLengthMaximum = 100
    /// How many ledger transfers one read fetches.
    static let pageSize = 500

    public let database: any Database
    public let clock: any Clock

    public init(database: any Database, clock: any Clock) {
        self.database = database
        self.clock = clock
    }

    // MARK: Settling

    /// Settles `merchant`'s payable in `currency` for every transfer through `cutoff`.
    public func settle(
        merchant: MerchantID, currency: Currency, through cutoff: Instant, pricing: MerchantPricing, settlementID: String
    ) throws -> Settlement {
        switch try settleSaying(merchant: merchant, currency: currency, through: cutoff, pricing: pricing, settlementID: settlementID) {
        case let .made(settlement), let .foundMade(settlement): return settlement
        case .nothingToSettle: preconditionFailure("an empty settlement is recorded when asked for by id")
        }
    }

    /// What `settleSaying` did.
    private enum Outcome {
        /// This call made the settlement.
        case made(Settlement)
        /// An earlier call made it (a retry): nothing posted.
        case foundMade(Settlement)
        /// Nothing to settle, and the caller asked not to record an empty settlement: nothing stored.
        case nothingToSettle
    }

    /// `settle`, saying whether this call made the settlement or found it made by an earlier one (a retry). With
    /// `recordingEmpty` false, a settlement that would have no line is not recorded (`Outcome.nothingToSettle`).
    /// With `date`, this is the end of day's settlement for the date (`settleDate`): a settlement found under the id
    /// is a retry whatever pricing and cutoff it was made with (the end of day's ids name the merchant, date and
    /// currency, so one found is the date's, made at the pricing of its day, and through the cutoff of the calendar it
    /// was run in; a rerun after `paylater merchant set-pricing` failed on it otherwise), and a new one is made only
    /// at the merchant's pricing for the date (`checkPricing`).
    private func settleSaying(
        merchant: MerchantID, currency: Currency, through cutoff: Instant, pricing: MerchantPricing, settlementID: String,
        recordingEmpty: Bool = true, date: LocalDate? = nil
    ) throws -> Outcome {
        guard (1...Self.settlementIDLengthMaximum).contains(settlementID.utf8.count), (try? TransferID(settlementID)) != nil
        else { throw SettlementError.invalidSettlementID(settlementID) }
        guard pricing.currency == currency else {
            throw SettlementError.currencyMismatch(settlement: currency, pricing: pricing.currency)
        }
        let now = clock.now()
        guard cutoff <= now else { throw SettlementError.cutoffInFuture(cutoff: cutoff, now: now) }
        return try database.write { connection in
            let settlements = SettlementRepository(connection)
            let ledger = LedgerRepository(connection)
            let payable = ChartOfAccounts.merchant(merchant, .merchantPayable, currency)
            // Reading the payable first locks it (where the engine locks rows): settlements of one merchant queue,
            // and the one that waited then finds what the first recorded (two end-of-day workers at once on
            // PostgreSQL: the second inserted the same id again and failed on its key).
            guard try ledger.account(payable) != nil else {
                throw SettlementError.payableNotFound(merchant: merchant.rawValue, currency: currency.code)
            }
            if let existing = try settlements.settlement(merchant: merchant, id: settlementID) {
                let samePricing = existing.discountRate == pricing.discountRate
                    && existing.fixedFeePerOrder == pricing.fixedFeePerOrder
                guard existing.currency == currency, date != nil || (existing.cutoff == cutoff && samePricing)
                else { throw SettlementError.settlementReused(settlementID) }
                return .foundMade(existing)
            }
            let previous = try settlements.latest(merchant: merchant, currency: currency)
            if let previous, cutoff < previous.cutoff {
                throw SettlementError.cutoffBeforePrevious(cutoff: cutoff, previous: previous.cutoff)
            }
            let scan = try Self.scan(ledger, payable: payable, merchant: merchant, after: previous?.positionTo ?? 0,
                                     through: cutoff, pricing: pricing)
            // No line: no payout, and what the merchant owes stays what the previous settlement carried over.
            if scan.draft.lines.isEmpty && !recordingEmpty { return .nothingToSettle }
            // Checked only where something is made: nothing made prices nothing, and merchants with no line (most of
            // them on most days) cost no more reads.
            if let date { try Self.checkPricing(pricing, of: merchant, for: date, connection) }
            let settlement = try Self.make(
                merchant: merchant, id: settlementID, currency: currency, cutoff: cutoff, pricing: pricing,
                previous: previous, scan: scan, at: now)
            try Self.post(settlement, ledger, payable: payable, at: now)
            if scan.reachedEnd {
                // Nothing waits: the payable must now hold exactly what was carried over.
                let balance = try ledger.account(payable)?.balance.postedCreditBalance
                guard balance == settlement.carriedOver.minorUnits else {
                    throw StoreError.inconsistent(
                        "payable \(payable) holds \(balance.map(String.init) ?? "nothing") after settlement \(settlementID), expected \(settlement.carriedOver.minorUnits)")
                }
            }
            try settlements.insert(settlement)
            if let event = Self.webhookEvent(settlement) {
                // The merchant hears of the payout, or of the debt, in the same transaction that records it. The
                // envelope's `order_id` is the event's ordering stream: the merchant's settlements in the currency
                // (the settlement's id is `settlement_id` in the data; it was the `order_id` until 2026-12).
                try WebhookOutbox.enqueue(
                    event, merchant: merchant, orderID: Self.webhookStream(currency), values: Self.webhookData(settlement),
                    in: connection, at: now)
            }
            return .made(settlement)
        }
    }

    /// What a settlement tells its merchant: `settlement.paid` when it pays out, `settlement.carried_over` when it
    /// leaves the merchant owing (the two never go together: a payout leaves nothing carried over), nothing when it
    /// closes at exactly zero, or has no line (a settlement asked for by id with nothing to settle only repeats the
    /// debt the previous one told of, and cannot pay out).
    static func webhookEvent(_ settlement: Settlement) -> WebhookEventType? {
        guard !settlement.lines.isEmpty else { return nil }
        if settlement.payout.isPositive { return .settlementPaid }
        if settlement.carriedOver.isNegative { return .settlementCarriedOver }
        return nil
    }

    /// The `data` of a settlement's event: every figure of the settlement, so that a merchant reconciles from it.
    static func webhookData(_ settlement: Settlement) -> [String: WebhookValue] {
        [
            "settlement_id": .text(settlement.id), "currency": .text(settlement.currency.code),
            "payout": .money(settlement.payout), "gross": .money(settlement.gross),
            "refunds": .money(settlement.refunds), "discount": .money(settlement.discount),
            "subsidies": .money(settlement.subsidies), "adjustments": .money(settlement.adjustments),
            "brought_forward": .money(settlement.broughtForward), "carried_over": .money(settlement.carriedOver),
            "cutoff": .text(settlement.cutoff.description),
        ]
    }

    /// The `order_id` of a settlement event, which orders a merchant's events: `settlements:<currency>`, so the
    /// merchant's settlements in a currency arrive in order and never under an order's id.
    public static func webhookStream(_ currency: Currency) -> String { "settlements:\(currency.code)" }

    /// What a scan of the payable found.
    struct Scan {
        var draft: SettlementDraft
        var positionFrom: Int64
        var positionTo: Int64
        /// Whether every transfer of the payable was examined (none waits for a later settlement).
        var reachedEnd = false
    }

    /// Reads the payable's transfers after `position` in ledger order into a draft, stopping at the first one stamped
    /// after the cutoff or when the draft holds `linesMaximum` lines.
    static func scan(
        _ ledger: LedgerRepository, payable: AccountID, merchant: MerchantID, after position: Int64, through cutoff: Instant,
        pricing: MerchantPricing
    ) throws -> Scan {
        var scan = Scan(draft: SettlementDraft(payable: payable, pricing: pricing), positionFrom: position, positionTo: position)
        let ownPrefix = Settlement.transferIDPrefix(merchant: merchant, currency: pricing.currency)
        while true {
            let page = try ledger.transfers(of: payable, after: scan.positionTo, limit: pageSize)
            for (position, transfer) in page {
                if transfer.id.rawValue.hasPrefix(ownPrefix) {
                    let code = transfer.request.code
                    guard code == TransferType.merchantDiscount.code || code == TransferType.merchantSettlement.code else {
                        throw StoreError.inconsistent("\(transfer.id) uses the settlement prefix with code \(code)")
                    }
                    scan.positionTo = position
                    continue
                }
                if transfer.timestamp > cutoff || scan.draft.lines.count == linesMaximum { return scan }
                if transfer.movesPostedTotals { try scan.draft.add(transfer) }
                scan.positionTo = position
            }
            if page.count < pageSize {
                scan.reachedEnd = true
                return scan
            }
        }
    }

    /// The settlement of a scan: brought forward, totals, and the split of the closing balance into payout and
    /// carry-over.
    private static func make(
        merchant: MerchantID, id: String, currency: Currency, cutoff: Instant, pricing: MerchantPricing,
        previous: Settlement?, scan: Scan, at now: Instant
    ) throws -> Settlement {
        let draft = scan.draft
        let broughtForward = previous?.carriedOver.minorUnits ?? 0
        precondition(broughtForward <= 0, "only a debt is carried over")
        let closing = broughtForward + draft.net
        func money(_ minorUnits: Int64) -> Money { Money(minorUnits: minorUnits, currency: currency) }
        // The period starts at the latest earlier cutoff: a date's second settlement shares its first one's period.
        let periodStart: Instant? = if let previous { previous.cutoff < cutoff ? previous.cutoff : previous.periodStart } else { nil }
        let settlement = Settlement(
            merchantID: merchant, id: id, currency: currency, number: (previous?.number ?? 0) + 1, cutoff: cutoff,
            periodStart: periodStart, discountRate: pricing.discountRate, fixedFeePerOrder: pricing.fixedFeePerOrder,
            positionFrom: scan.positionFrom, positionTo: scan.positionTo, broughtForward: money(broughtForward),
            gross: money(draft.gross), refunds: money(draft.refunds), subsidies: money(draft.subsidies),
            adjustments: money(draft.adjustments), discount: money(draft.discount), payout: money(max(closing, 0)),
            carriedOver: money(min(closing, 0)), createdAt: now, lines: draft.lines)
        assert(settlement.lines.reduce(0) { $0 + $1.net.minorUnits } == draft.net, "lines sum to the totals")
        assert(settlement.closingBalance.minorUnits == closing)
        return settlement
    }

    /// Refuses (`SettlementError.pricingChanged`) unless `pricing` is `merchant`'s for `date`: its pricing now, with
    /// no change scheduled on or before `date` left to apply. Read with the merchant's row locked, as
    /// `MerchantService.changePricing` reads and writes it: a change for the date scheduled after the end of day read
    /// the changes due is seen here, or else sees this settlement and is refused, so the date is never settled at the
    /// terms before a change accepted for it. A merchant without a row (settled by tests alone) has nothing to check.
    private static func checkPricing(
        _ pricing: MerchantPricing, of merchant: MerchantID, for date: LocalDate, _ connection: any SQLConnection
    ) throws {
        let merchants = CheckoutRepository(connection)
        guard let record = try merchants.merchant(id: merchant.rawValue, forUpdate: true) else { return }
        let current = try MerchantService.merchant(record).pricing.settlementPricing(pricing.currency)
        guard current == pricing, try merchants.scheduledPricing(merchantID: merchant.rawValue, through: date.description).isEmpty
        else { throw SettlementError.pricingChanged(merchant: merchant.rawValue, date: date) }
    }

    /// Posts the discount and the payout as one linked chain; every id is new (the settlement number is), so anything
    /// but `created` means the chain was refused.
    private static func post(_ s: Settlement, _ ledger: LedgerRepository, payable: AccountID, at now: Instant) throws {
        var legs: [(leg: String, credit: AccountID, amount: Money, type: TransferType)] = []
        if s.discount.isPositive {
            legs.append(("discount", ChartOfAccounts.platform(.merchantDiscountIncome, s.currency), s.discount, .merchantDiscount))
        }
        if s.payout.isPositive {
            legs.append(("payout", ChartOfAccounts.platform(.platformCash, s.currency), s.payout, .merchantSettlement))
        }
        guard !legs.isEmpty else { return }
        let requests = try legs.enumerated().map { index, leg in
            TransferRequest(
                id: try Settlement.transferID(merchant: s.merchantID, currency: s.currency, number: s.number, leg: leg.leg),
                kind: .posted(debit: payable, credit: leg.credit, amount: leg.amount), code: leg.type.code,
                isLinked: index < legs.count - 1, reference: s.id)
        }
        let results = try ledger.submit(requests, at: now).results
        for case let .rejected(rejection) in results where rejection != .linkedEventFailed {
            throw SettlementError.ledgerRejected(rejection)
        }
        guard results.allSatisfy({ $0 == .created }) else {
            throw StoreError.inconsistent("a settlement posting was not created: \(results)")
        }
    }

    // MARK: Reading

    /// The merchant's settlements in every currency, newest first, at most `SettlementRepository.listMaximum`.
    public func settlements(merchant: MerchantID, limit: Int = 20, before: String? = nil) throws -> [Settlement] {
        try database.read { connection in
            guard let page = try SettlementRepository(connection).settlements(merchant: merchant, limit: limit, before: before)
            else { throw SettlementError.settlementNotFound(merchant: merchant.rawValue, id: before ?? "") }
            return page
        }
    }

    /// One settlement of the merchant with each line matched to its order (and the merchant's reference), capture or
    /// refund, and time: what a merchant's books need.
    public func statement(merchant: MerchantID, id: String) throws -> SettlementStatement {
        try database.read { connection in
            let repository = SettlementRepository(connection)
            guard let settlement = try repository.settlement(merchant: merchant, id: id) else {
                throw SettlementError.settlementNotFound(merchant: merchant.rawValue, id: id)
            }
            let sources = try repository.lineSources(merchant: merchant, settlementID: id)
            let orderIDs = Set(settlement.lines.compactMap { line in
                PlanPostings.planID(ofTransfer: line.transferID).flatMap { Order.orderID(ofPlan: $0.rawValue) }
            })
            var orders: [String: Order] = [:]
            for record in try CheckoutRepository(connection).orders(merchantID: merchant.rawValue, ids: orderIDs.sorted()) {
                orders[record.id] = try CheckoutService.decode(Order.self, record.document)
            }
            return SettlementStatement(
                settlement: settlement, lines: SettlementStatement.lines(settlement, sources: sources, orders: orders))
        }
    }

    /// One settlement of the merchant.
    public func settlement(merchant: MerchantID, id: String) throws -> Settlement {
        try database.read { connection in
            guard let settlement = try SettlementRepository(connection).settlement(merchant: merchant, id: id) else {
                throw SettlementError.settlementNotFound(merchant: merchant.rawValue, id: id)
            }
            return settlement
        }
    }

    /// Where the merchant stands in every currency it has a payable in (one made by its first capture), by currency
    /// code: the payable's balance now and the latest settlement. Read in one transaction, so the two agree.
    public func balances(merchant: MerchantID) throws -> [MerchantBalance] {
        try database.read { connection in
            let ledger = LedgerRepository(connection)
            let settlements = SettlementRepository(connection)
            let payables = Dictionary(uniqueKeysWithValues: try ledger.platformCurrencies().map { currency in
                (ChartOfAccounts.merchant(merchant, .merchantPayable, currency), currency)
            })
            let accounts = try ledger.accounts(Set(payables.keys))
            return try accounts.compactMap { id, account -> MerchantBalance? in
                guard let currency = payables[id] else { return nil }
                return MerchantBalance(
                    currency: currency, balance: Money(minorUnits: account.balance.postedCreditBalance, currency: currency),
                    latestSettlement: try settlements.latest(merchant: merchant, currency: currency))
            }.sorted { $0.currency.code < $1.currency.code }
        }
    }

    // MARK: End of day

    /// Every currency a merchant can be owed in: those the ledger has platform accounts in. The end of day settles
    /// these, not only the catalog's: a currency dropped from the catalog, or a run given a narrower one, would
    /// otherwise leave its merchants' payables unsettled without a word.
    public func currencies() throws -> [Currency] {
        try database.read { connection in try LedgerRepository(connection).platformCurrencies() }
    }

    /// Settles every merchant with a payable in `currency` through `cutoff`, each in its own transaction, with
    /// settlement id `<merchant>-<date>-<currency>`; a merchant with no line through the cutoff since its previous
    /// settlement gets none (`SettlementRun.nothingToSettle`: nothing happened, nothing is owed anew); a merchant whose lines through the cutoff fill it gets more
    /// settlements for the date, `…-<currency>-2`, `-3`, …, each continuing where the previous stopped, until every
    /// line through the cutoff is settled (at most `partsPerRunMaximum` a run). Rerunning it for the same date
    /// returns the same settlements and makes only those an interrupted run did not. Merchants without pricing are
    /// listed as unpriced; a refused merchant is listed and the others go on.
    public func settleAll(
        currency: Currency, through cutoff: Instant, pricing: (MerchantID) -> MerchantPricing?, date: LocalDate,
        pageSize: Int = 200
    ) throws -> SettlementRun {
        var run = SettlementRun()
        var cursor: AccountID?
        while true {
            let page = try database.read { connection in
                try LedgerRepository(connection).merchantPayableIDs(currency: currency, after: cursor, limit: pageSize)
            }
            for account in page {
                guard let merchant = Self.merchant(of: account, currency: currency) else { continue }
                guard let terms = pricing(merchant) else {
                    run.unpriced.append(merchant)
                    continue
                }
                try settleDate(merchant, currency: currency, through: cutoff, pricing: terms, date: date, into: &run)
            }
            guard page.count == pageSize, let last = page.last else { return run }
            cursor = last
        }
    }

    /// One merchant's settlements for `date` in `currency` through `cutoff`, made as `settleAll` makes them (the same
    /// ids, so the date's own run finds them made); an empty run when the merchant has no payable in the currency.
    /// `EndOfDaySettlement` settles the day before a pricing change this way.
    public func settleOne(
        _ merchant: MerchantID, currency: Currency, through cutoff: Instant, pricing: MerchantPricing, date: LocalDate
    ) throws -> SettlementRun {
        var run = SettlementRun()
        let payable = ChartOfAccounts.merchant(merchant, .merchantPayable, currency)
        guard try database.read({ connection in try LedgerRepository(connection).account(payable) }) != nil else { return run }
        try settleDate(merchant, currency: currency, through: cutoff, pricing: pricing, date: date, into: &run)
        return run
    }

    /// The id of a merchant's `part`th settlement (1, 2, …) for a date: `<merchant>-<date>-<currency>[-<part>]`.
    static func settlementID(merchant: MerchantID, date: LocalDate, currency: Currency, part: Int) -> String {
        "\(merchant)-\(date)-\(currency.code)" + (part == 1 ? "" : "-\(part)")
    }

    /// The latest date the end of day has made a settlement of `merchant` for (read from its ids), nil if none.
    static func latestEndOfDayDate(merchant: MerchantID, in connection: any SQLConnection) throws -> LocalDate? {
        let prefix = "\(merchant)-"
        return try SettlementRepository(connection).settlementIDs(merchant: merchant, startingWith: prefix)
            .compactMap { id in
                let rest = id.dropFirst(prefix.count)
                guard rest.count > 11, rest.dropFirst(10).first == "-" else { return nil }
                return try? LocalDate(iso8601: String(rest.prefix(10)))
            }
            .max()
    }

    /// One merchant's settlements for a date, part after part while each is full (more lines may wait through the
    /// cutoff), into `run`. A settlement found under one of the date's ids is the date's, whatever pricing and cutoff
    /// it was made with: an end of day of the date run with another catalog's time zone settled that day already, and
    /// every later run of the date, its own or the catch-up before a pricing change, must take it so (the catch-up
    /// held the merchant back for good otherwise, and the date's own rerun failed it on every run).
    private func settleDate(
        _ merchant: MerchantID, currency: Currency, through cutoff: Instant, pricing: MerchantPricing, date: LocalDate,
        into run: inout SettlementRun
    ) throws {
        for part in 1...Self.partsPerRunMaximum {
            let id = Self.settlementID(merchant: merchant, date: date, currency: currency, part: part)
            let settlement: Settlement
            do {
                switch try settleSaying(
                    merchant: merchant, currency: currency, through: cutoff, pricing: pricing, settlementID: id,
                    recordingEmpty: false, date: date)
                {
                case let .made(made):
                    settlement = made
                    run.settlements.append(made)
                case let .foundMade(made):
                    settlement = made
                    run.madeEarlier.append(made)
                case .nothingToSettle:
                    if part == 1 { run.nothingToSettle.append(merchant) }
                    return
                }
            } catch SettlementError.cutoffBeforePrevious {
                // A later date's run settled on from here: nothing through this cutoff waits any more.
                if part == 1 { run.settledLater.append(merchant) }
                return
            } catch SettlementError.pricingChanged {
                run.pricingChanged.append(merchant)
                return
            } catch let error as SettlementError {
                run.failures.append((merchant, error.description))
                return
            }
            guard settlement.lines.count == Self.linesMaximum else { return }
        }
        run.leftOver.append(merchant)
    }

    /// The merchant of a payable id `merchant:<id>:payable:<currency>`.
    static func merchant(of account: AccountID, currency: Currency) -> MerchantID? {
        let parts = account.rawValue.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 4, parts[0] == "merchant", parts[2] == Substring(AccountType.merchantPayable.slug),
            parts[3] == Substring(currency.code)
        else { return nil }
        return try? MerchantID(String(parts[1]))
    }
}
