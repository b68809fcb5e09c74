import Foundation
public import PaylaterLedger
public import PaylaterMoney
public import PaylaterProducts
public import PaylaterStore
public import PaylaterTime

/// The terms of a plan made at capture.
public struct NewPlan: Sendable {
    public var consumer: ConsumerID
    public var merchant: MerchantID
    public var plan: PlanID
    public var productID: String
    public var schedule: InstallmentSchedule
    public var lateFeePolicy: LateFeePolicy?
    /// What an early payoff gives back of the fees not yet earned; stored with the plan as a contract term.
    public var rebateRule: RebateRule
    /// The day the schedule's first period begins, when it is not the capture day (a bill split's statement due
    /// date); nil means the business date of the capture.
    public var start: LocalDate?
    /// Whether the schedule's charges are fees (fee income) or interest (interest income).
    public var chargesAreInterest: Bool
    /// The authorization hold the capture converts, or nil to use the shopper's limit directly.
    public var hold: TransferID?
    /// The merchant's order the plan belongs to, when it came from checkout: the plan's webhook events
    /// (`plan.paid_off`, `plan.overdue`) go to that order's merchant under this order id.
    public var orderID: String?
    /// The merchant promotion the schedule was priced under: its subsidy is charged to the merchant at capture and
    /// given back pro rata on refunds. The schedule is then the shopper's (`PromotedQuote.shopperSchedule`).
    public var promotion: PromotionSubsidy?
    /// For a try-then-pay plan, the rule that moves its due date when the delivery is confirmed.
    public var tryThenPay: TryThenPayDueDate?

    public init(
        consumer: ConsumerID, merchant: MerchantID, plan: PlanID, productID: String, schedule: InstallmentSchedule,
        lateFeePolicy: LateFeePolicy? = nil, rebateRule: RebateRule = .none, start: LocalDate? = nil,
        chargesAreInterest: Bool = false, hold: TransferID? = nil, orderID: String? = nil,
        promotion: PromotionSubsidy? = nil, tryThenPay: TryThenPayDueDate? = nil
    ) {
        self.promotion = promotion
        self.tryThenPay = tryThenPay
        self.orderID = orderID
        self.consumer = consumer
        self.merchant = merchant
        self.plan = plan
        self.productID = productID
        self.schedule = schedule
        self.lateFeePolicy = lateFeePolicy
        self.rebateRule = rebateRule
        self.start = start
        self.chargesAreInterest = chargesAreInterest
        self.hold = hold
    }
}

/// Plans after capture: payments, refunds, returns, extensions and the end-of-day late fees, each one database
/// transaction that changes the plan and posts its ledger transfers together.
///
/// Every request names an operation id; a retry with the same id and request returns the stored result and posts
/// nothing, and the same id with a different request is refused.
public struct ServicingService: Sendable {
    public let database: any Database
    public let clock: any Clock
    /// The zone whose calendar dates due dates are in; nil means UTC.
    public let zone: TimeZoneRules?

    /// The monthly-bill terms of the catalog's products, by product id: the end of day charges a statement's
    /// purchases late fees as one bill (`RepaymentPlan.assessStatementLateFees`). Empty without a catalog, when
    /// every plan is charged by itself.
    public let monthlyBills: [String: MonthlyBillTerms]
    /// The currencies whose platform accounts captures have found open (shared by copies of the service).
    private let openPlatformAccounts = OpenPlatformAccounts()

    public init(database: any Database, clock: any Clock, zone: TimeZoneRules? = nil, catalog: ProductCatalog? = nil) {
        self.database = database
        self.clock = clock
        self.zone = zone
        monthlyBills = Dictionary(
            (catalog?.products ?? []).compactMap { product in product.monthlyBill.map { (product.id, $0) } },
            uniquingKeysWith: { first, _ in first })
    }

    /// Today in the servicing calendar.
    public func today() -> LocalDate { businessDate(clock.now()) }

    func businessDate(_ instant: Instant) -> LocalDate {
        zone?.localDate(at: instant) ?? instant.utcDateTime.date
    }

    // MARK: Opening

    /// Makes the plan at capture and posts the capture; retrying with the same terms returns the plan.
    public func openPlan(_ new: NewPlan) throws -> ServicedPlan {
        let now = clock.now()
        return try database.write { connection in try openPlan(new, in: connection, at: now) }
    }

    /// Makes the plan inside the caller's write transaction (checkout captures in the same one as the order).
    func openPlan(_ new: NewPlan, in connection: any SQLConnection, at now: Instant) throws -> ServicedPlan {
        let opened = try openPlanPostingLater(new, in: connection, at: now)
        try post(opened.capture, in: connection, at: now)
        return opened.plan
    }

    /// Makes the plan like `openPlan(_:in:at:)`, but leaves its capture's ledger batch (`capture`, empty when the
    /// plan was made before) to the caller, to post with `post(_:in:at:)` after its other writes: the batch locks
    /// the platform's exposure, which on PostgreSQL every authorization, capture and payment waits on until COMMIT.
    func openPlanPostingLater(
        _ new: NewPlan, in connection: any SQLConnection, at now: Instant
    ) throws -> (plan: ServicedPlan, capture: [TransferRequest]) {
        let plan = RepaymentPlan(
            id: new.plan.rawValue, schedule: new.schedule, lateFeePolicy: new.lateFeePolicy, rebateRule: new.rebateRule,
            start: new.start ?? businessDate(now))
        precondition(new.promotion.map { $0.principal == new.schedule.principal } ?? true, "the subsidy of this principal")
        let stored = StoredPlan(
            plan: plan, chargesAreInterest: new.chargesAreInterest, orderID: new.orderID, promotion: new.promotion,
            tryThenPay: new.tryThenPay)
        let postings = PlanPostings(
            consumer: new.consumer, merchant: new.merchant, plan: new.plan, currency: stored.plan.currency,
            income: stored.income, prefix: PlanPostings.prefix(plan: new.plan, version: 1),
            reference: PlanPostings.captureReference)
        let record = try stored.record(consumer: new.consumer.rawValue, merchant: new.merchant.rawValue, product: new.productID)
        let plans = PlanRepository(connection)
        if let existing = try plans.plan(consumerID: new.consumer.rawValue, planID: new.plan.rawValue) {
            let existingPlan = try StoredPlan.decode(existing.document)
            guard existingPlan.plan.installments == stored.plan.installments,
                existingPlan.plan.rebateRule == stored.plan.rebateRule, existing.merchantID == record.merchantID,
                existing.productID == record.productID
            else { throw ServicingError.planExistsWithDifferentTerms(new.plan.rawValue) }
            return (try Self.view(existing), [])
        }
        try openAccounts(postings, LedgerRepository(connection), at: now)
        let capture = try postings.capture(
            principal: new.schedule.principal, fees: new.schedule.totalFees, subsidy: new.promotion?.subsidy,
            hold: new.hold)
        try plans.insert(record, at: now)
        let opened = ServicedPlan(
            consumerID: record.consumerID, merchantID: record.merchantID, productID: record.productID, plan: stored.plan)
        return (opened, capture)
    }

    /// Posts a plan's ledger batch in the caller's transaction (`openPlanPostingLater`); a rejection throws
    /// `ServicingError.ledgerRejected`, which rolls the transaction back.
    func post(_ transfers: [TransferRequest], in connection: any SQLConnection, at now: Instant) throws {
        try Self.post(transfers, LedgerRepository(connection), at: now)
    }

    // MARK: Reading

    public func plan(consumer: ConsumerID, plan: PlanID) throws -> ServicedPlan {
        try database.read { connection in
            guard let record = try PlanRepository(connection).plan(consumerID: consumer.rawValue, planID: plan.rawValue)
            else { throw ServicingError.planNotFound(consumer: consumer.rawValue, plan: plan.rawValue) }
            return try Self.view(record)
        }
    }

    public func plans(consumer: ConsumerID) throws -> [ServicedPlan] {
        try database.read { connection in try Self.plans(consumer, in: connection) }
    }

    /// `consumer`'s plans, read on `connection`.
    static func plans(_ consumer: ConsumerID, in connection: any SQLConnection) throws -> [ServicedPlan] {
        try PlanRepository(connection).plans(consumerID: consumer.rawValue).map(Self.view)
    }

    // MARK: Operations

    /// A shopper's payment toward one plan, split by the waterfall.
    public func pay(
        consumer: ConsumerID, plan: PlanID, amount: Money, operationID: String,
        waterfall: PaymentWaterfall = .standard
    ) throws -> PaymentReceipt {
        let now = clock.now()
        return try database.write { connection in
            try pay(
                consumer: consumer, plan: plan, amount: amount, operationID: operationID, waterfall: waterfall,
                in: connection, at: now)
        }
    }

    /// A payment inside the caller's write transaction (a statement payment spans its plans in one, and gives what
    /// they owe together as `owedInAll`, which bounds the overpayment instead of this plan's debt).
    func pay(
        consumer: ConsumerID, plan: PlanID, amount: Money, operationID: String, waterfall: PaymentWaterfall = .standard,
        owedInAll: Money? = nil, in connection: any SQLConnection, at now: Instant
    ) throws -> PaymentReceipt {
        try perform(
            kind: "payment", consumer, plan, operationID, request: ["amount": amount.description], in: connection, at: now
        ) { stored, postings, today in
            // A payment that covers what paying off costs today is a payoff (`payOffIfCovered`); the plan's own
            // refusals (currency, amount, the overpayment limit) come from `pay` below otherwise.
            if let payoff = try Self.domain({ () throws(PlanError) -> PlanPayoff? in
                let owed = owedInAll ?? stored.plan.owed
                guard amount.currency == owed.currency,
                    amount.minorUnits <= OverpaymentLimit.maximumPayment(owed: owed).minorUnits
                else { return nil }
                return try stored.plan.payOffIfCovered(by: amount, on: today)
            }) {
                let receipt = try PaymentReceipt(
                    PayoffReceipt(operationID: operationID, planID: plan.rawValue, payoff, status: stored.plan.status),
                    paid: amount)
                return (receipt, try postings.payoff(payoff, overpayment: receipt.overpayment))
            }
            let paid = try Self.domain { () throws(PlanError) in
                try stored.plan.pay(amount, on: today, waterfall: waterfall, owedInAll: owedInAll)
            }
            var receipt = PaymentReceipt(
                operationID: operationID, planID: plan.rawValue, amount: amount, principal: paid.principal,
                fees: paid.fees, lateFees: paid.lateFees, overpayment: paid.overpayment, owedAfter: stored.plan.owed,
                status: stored.plan.status)
            // A payment that paid the plan off says what the payoff waived and returned, as one under a rebate
            // rule does: nothing, here (the rule rebated nothing today), so that every payoff reads the same.
            if case .paidOff = stored.plan.status {
                (receipt.rebate, receipt.feesReturned) = (.zero(amount.currency), .zero(amount.currency))
            }
            return (receipt, try postings.payment(paid))
        }
    }

    /// What paying the plan off on `date` takes under its rebate rule: read only, nothing is recorded.
    public func payoffQuote(consumer: ConsumerID, plan: PlanID, on date: LocalDate) throws -> PayoffQuote {
        let plan = try self.plan(consumer: consumer, plan: plan).plan
        return try Self.domain { () throws(PlanError) in try plan.payoffQuote(on: date) }
    }

    /// Pays the plan off today: `amount` must equal today's `payoffQuote`. One linked chain posts the payment
    /// (cash in against the receivables), the rebate (out of income, off the fee receivable), the fees paid ahead
    /// and not earned (out of income, to the shopper's credit balance) and the principal's return to the shopper's
    /// limit and the platform's capacity; the plan is then paid off.
    /// - Throws: `ServicingError.plan(.payoffAmountMismatch)` naming the quoted amount when `amount` differs.
    public func payOff(consumer: ConsumerID, plan: PlanID, amount: Money, operationID: String) throws -> PayoffReceipt {
        try payOff(consumer: consumer, plan: plan, expected: amount, operationID: operationID)
    }

    /// Pays the plan off today at today's quote, made in the payoff's own transaction: for a shopper who asks to pay
    /// off without naming the amount (the receipt says what it was).
    /// - Throws: `ServicingError.plan(.alreadySettled)` when nothing is owed.
    public func payOff(consumer: ConsumerID, plan: PlanID, operationID: String) throws -> PayoffReceipt {
        try payOff(consumer: consumer, plan: plan, expected: nil, operationID: operationID)
    }

    private func payOff(consumer: ConsumerID, plan: PlanID, expected: Money?, operationID: String) throws -> PayoffReceipt {
        let request = ["amount": expected?.description ?? "quoted"]
        return try perform(kind: "payoff", consumer, plan, operationID, request: request) { stored, postings, today in
            let payoff = try Self.domain { () throws(PlanError) in
                let amount = if let expected { expected } else { try stored.plan.payoffQuote(on: today).amount }
                return try stored.plan.payOff(amount, on: today)
            }
            let receipt = PayoffReceipt(operationID: operationID, planID: plan.rawValue, payoff, status: stored.plan.status)
            return (receipt, try postings.payoff(payoff))
        }
    }

    /// A merchant refund on one plan.
    public func refund(consumer: ConsumerID, plan: PlanID, amount: Money, operationID: String) throws -> RefundReceipt {
        let now = clock.now()
        return try database.write { connection in
            let refund = try refundPostingLater(
                consumer: consumer, plan: plan, amount: amount, operationID: operationID, in: connection, at: now)
            try post(refund.transfers, in: connection, at: now)
            return refund.receipt
        }
    }

    /// A merchant refund inside the caller's write transaction (an order refund spans its plans in one), its ledger
    /// batch left to the caller to post last (`post(_:in:at:)`; see `openPlanPostingLater`). A monthly-bill purchase
    /// still on its statement shares the statement bill's late fees and their cap: the bill's other purchases are
    /// locked, and late fees the refund leaves beyond the bill's cap come off them too, each its own operation.
    func refundPostingLater(
        consumer: ConsumerID, plan: PlanID, amount: Money, operationID: String, in connection: any SQLConnection,
        at now: Instant
    ) throws -> (receipt: RefundReceipt, transfers: [TransferRequest]) {
        let record = try lockStatementInPlanIDOrder(of: plan, consumer, in: connection)
        var othersCapped: [StatementCap] = []
        let (receipt, transfers) = try performPostingLater(
            kind: "refund", consumer, plan, operationID, request: ["amount": amount.description],
            in: connection, at: now
        ) { stored, postings, today in
            let alreadyRefunded = stored.refundedPrincipal
            let statement = try record.flatMap { record in
                try statementPurchases(of: record, stored.plan, consumer, skipLocked: false, in: connection)
            }
            let refund: PlanRefund
            if let statement {
                var lines = statement.plans
                let outcome = try Self.domain { () throws(PlanError) in
                    try RepaymentPlan.refundStatementPurchase(amount, of: plan.rawValue, on: today, statement: &lines)
                }
                refund = outcome.refund
                let own: StatementLateFeeWaiver?
                (stored.plan, own, othersCapped) = Self.separate(plan.rawValue, in: statement, lines, outcome.waivers)
                assert(own == nil, "the refunded purchase's own share is taken off by its refund")
            } else {
                refund = try Self.domain { () throws(PlanError) in try stored.plan.refund(amount, on: today) }
            }
            let subsidyReturned = try stored.promotion?.refund(refunding: amount, alreadyRefunded: alreadyRefunded)
            if let subsidyReturned {
                stored.subsidyReturned = try (stored.subsidyReturned ?? .zero(amount.currency)) + subsidyReturned
            }
            let receipt = RefundReceipt(
                operationID: operationID, planID: plan.rawValue, amount: amount, feesWaived: refund.feesWaived,
                returnedToShopper: refund.returnedToShopper, owedAfter: stored.plan.owed, status: stored.plan.status)
            return (receipt, try postings.refund(refund, subsidyReturned: subsidyReturned))
        }
        let capped = try postStatementCaps(othersCapped, consumer, causedBy: operationID, of: plan, in: connection, at: now)
        return (receipt, transfers + capped)
    }

    /// A statement purchase whose late fees a change to another purchase of its statement took off: its record as
    /// locked, its plan with them taken off, and what was taken off.
    typealias StatementCap = (record: PlanRecord, plan: RepaymentPlan, waiver: StatementLateFeeWaiver)

    /// Writes each purchase of `caps` as its own operation (`statement-late-fee-cap`, its id derived from the
    /// operation `operationID` on `plan` that caused it) and returns their ledger batches, for the caller to post.
    private func postStatementCaps(
        _ caps: [StatementCap], _ consumer: ConsumerID, causedBy operationID: String, of plan: PlanID,
        in connection: any SQLConnection, at now: Instant
    ) throws -> [TransferRequest] {
        var transfers: [TransferRequest] = []
        for cap in caps {
            let otherPlan = try Self.identifier { () throws(LedgerError) in try PlanID(cap.record.planID) }
            transfers += try performPostingLater(
                kind: "statement-late-fee-cap", consumer, otherPlan,
                DerivedOperationID.statementPlan(operationID: operationID, planID: cap.record.planID),
                request: ["caused_by": plan.rawValue, "operation": operationID], in: connection, at: now
            ) { stored, postings, _ in
                stored.plan = cap.plan
                return (cap.waiver, try postings.lateFeesTakenOff(waived: cap.waiver.waived, returned: cap.waiver.returned))
            }.1
        }
        return transfers
    }

    /// Caps the bills of `statement` again after its purchase `changed` (as it is now) moved to another due date:
    /// returns `changed` with what was taken off it, and the other purchases that had some taken off.
    private func capStatementBills(_ statement: StatementPurchases, changed: RepaymentPlan, on date: LocalDate) throws
        -> (own: RepaymentPlan, waiver: StatementLateFeeWaiver?, others: [StatementCap])
    {
        var lines = statement.plans.map { $0.id == changed.id ? changed : $0 }
        let waivers = try Self.domain { () throws(PlanError) in try RepaymentPlan.capStatementBills(&lines, on: date) }
        return Self.separate(changed.id, in: statement, lines, waivers)
    }

    /// `lines` (the purchases of `statement`, in its order, as changed) split into the purchase `planID` with what
    /// was taken off it, and the others that had some taken off (`waivers`).
    private static func separate(
        _ planID: String, in statement: StatementPurchases, _ lines: [RepaymentPlan], _ waivers: [StatementLateFeeWaiver]
    ) -> (own: RepaymentPlan, waiver: StatementLateFeeWaiver?, others: [StatementCap]) {
        let byPlan = Dictionary(uniqueKeysWithValues: waivers.map { ($0.planID, $0) })
        guard let own = lines.first(where: { $0.id == planID }) else {
            preconditionFailure("\(planID) is one of its statement's purchases")
        }
        let others = zip(statement.records, lines).compactMap { record, line -> StatementCap? in
            guard line.id != planID, let waiver = byPlan[line.id] else { return nil }
            return (record, line, waiver)
        }
        return (own, byPlan[planID], others)
    }

    /// The goods of a try-then-pay plan were delivered on `deliveredOn`: the due date follows the delivery by
    /// `TryThenPayDueDate`'s rules. One transaction, no postings; a retry with the same operation id returns the
    /// first answer.
    /// - Throws: `DeliveryError.notTryThenPay` for another plan, or the rule's refusals.
    public func confirmDelivery(
        consumer: ConsumerID, plan: PlanID, deliveredOn: LocalDate, operationID: String
    ) throws -> DeliveryConfirmation {
        let now = clock.now()
        return try database.write { connection in
            try confirmDelivery(
                consumer: consumer, plan: plan, deliveredOn: deliveredOn, operationID: operationID, in: connection, at: now)
        }
    }

    /// A delivery confirmation inside the caller's write transaction (an order's spans its plans in one).
    func confirmDelivery(
        consumer: ConsumerID, plan: PlanID, deliveredOn: LocalDate, operationID: String, in connection: any SQLConnection,
        at now: Instant
    ) throws -> DeliveryConfirmation {
        try perform(
            kind: "delivery", consumer, plan, operationID, request: ["delivered_on": deliveredOn.description],
            in: connection, at: now
        ) { stored, _, today in
            guard var terms = stored.tryThenPay else { throw DeliveryError.notTryThenPay(plan: plan.rawValue) }
            let confirmation = try stored.plan.confirmDelivery(&terms, deliveredOn: deliveredOn, today: today)
            stored.tryThenPay = terms
            return (confirmation, [])
        }
    }

    /// The try-then-pay rule of a plan, if it has one: read only.
    func tryThenPayTerms(consumer: ConsumerID, plan: PlanID, in connection: any SQLConnection) throws -> TryThenPayDueDate? {
        guard let record = try PlanRepository(connection).plan(consumerID: consumer.rawValue, planID: plan.rawValue) else {
            throw ServicingError.planNotFound(consumer: consumer.rawValue, plan: plan.rawValue)
        }
        return try StoredPlan.decode(record.document).tryThenPay
    }

    /// The shopper reports a return: due dates pause for `days`.
    public func reportReturn(
        consumer: ConsumerID, plan: PlanID, operationID: String, days: Int = ReturnPause.defaultDays
    ) throws -> ReturnReceipt {
        try perform(kind: "return", consumer, plan, operationID, request: ["days": "\(days)"]) { stored, _, today in
            try Self.domain { () throws(PlanError) in try stored.plan.reportReturn(on: today, days: days) }
            guard let pause = stored.plan.returnPause else { preconditionFailure("a reported return has a pause") }
            return (ReturnReceipt(operationID: operationID, planID: plan.rawValue, pause: pause), [])
        }
    }

    /// Moves one installment's due date, once per plan, charging the rule's fee.
    public func extendDueDate(
        consumer: ConsumerID, plan: PlanID, installment: Int, days: Int, rule: DueDateExtension, operationID: String
    ) throws -> ExtensionReceipt {
        let request = ["installment": "\(installment)", "days": "\(days)"]
        let now = clock.now()
        return try database.write { connection in
            // A monthly-bill purchase moved off its statement's due date leaves that bill for one of its own: each
            // is capped again on its own purchases, in this transaction (`capStatementBills`).
            let record = try lockStatementInPlanIDOrder(of: plan, consumer, in: connection)
            var othersCapped: [StatementCap] = []
            let (receipt, transfers) = try performPostingLater(
                kind: "extension", consumer, plan, operationID, request: request, in: connection, at: now
            ) { stored, postings, today in
                let statement = try record.flatMap { record in
                    try statementPurchases(of: record, stored.plan, consumer, skipLocked: false, in: connection)
                }
                let fee = try Self.domain { () throws(PlanError) in
                    try stored.plan.extendDueDate(installment: installment, by: days, rule: rule, today: today)
                }
                var transfers = try postings.extensionFee(fee)
                if let statement {
                    // The bill it joins is the purchases already due on its new date with it: locked after those of
                    // the bill it leaves (an extension only moves a date later, so two never wait on each other).
                    let joined = try record.flatMap { record in
                        try statementPurchases(of: record, stored.plan, consumer, skipLocked: false, in: connection)
                    }
                    let waiver: StatementLateFeeWaiver?
                    (stored.plan, waiver, othersCapped) = try capStatementBills(
                        statement.joining(joined), changed: stored.plan, on: today)
                    if let waiver {
                        transfers += try postings.lateFeesTakenOff(waived: waiver.waived, returned: waiver.returned)
                    }
                }
                guard let moved = stored.plan.installments.first(where: { $0.number == installment }) else {
                    preconditionFailure("the extended installment is on the plan")
                }
                let receipt = ExtensionReceipt(
                    operationID: operationID, planID: plan.rawValue, installment: installment, newDueDate: moved.dueDate,
                    fee: fee)
                return (receipt, transfers)
            }
            let capped = try postStatementCaps(othersCapped, consumer, causedBy: operationID, of: plan, in: connection, at: now)
            try post(transfers + capped, in: connection, at: now)
            return receipt
        }
    }

    // MARK: End of day

    /// Charges the late fees due on `date` on every overdue plan, one short transaction per plan (or per monthly-bill
    /// statement), paging through the overdue plans in key order. Running it again for the same date charges nothing
    /// more: each plan's run is recorded as operation `eod:<date>:<plan hash>`. Several workers may run it at once on
    /// PostgreSQL: each plan is taken with `SKIP LOCKED`, so a plan another worker holds is passed over, and taken
    /// again at the end, waiting for it this time: the other worker may be charging another date, and the plan would
    /// otherwise go uncharged for this one. A plan left by a worker that died is charged by the next run.
    public func runEndOfDay(on date: LocalDate, pageSize: Int = 200) throws -> EndOfDayReport {
        var report = EndOfDayReport(date: date)
        var cursor: (consumerID: String, planID: String)?
        var passedOver: [PlanKey] = []
        // Statement purchases this run charged with an earlier purchase of their statement, and their shares.
        var chargedWithStatement: [String: Money] = [:]
        func count(_ outcome: LateFeeOutcome, of key: PlanKey) throws {
            switch outcome {
            case .alreadyDone: report.plansAlreadyDone += 1
            case .lockedElsewhere: report.plansSkipped += 1
            case .charged(let amounts):
                for (plan, amount) in amounts where plan != key.planID { chargedWithStatement[plan] = amount }
                guard let amount = amounts[key.planID] else { preconditionFailure("a plan's own charge is reported") }
                try report.count(amount)
            }
        }
        while true {
            let keys = try database.read { connection in
                try PlanRepository(connection).overduePlanKeys(before: date, after: cursor, limit: pageSize).map {
                    PlanKey(consumerID: $0.consumerID, planID: $0.planID)
                }
            }
            for key in keys {
                report.plansExamined += 1
                if let amount = chargedWithStatement.removeValue(forKey: key.planID) {
                    try report.count(amount)
                    continue
                }
                let outcome = try chargeLateFees(key, on: date, skipLocked: true)
                if case .lockedElsewhere = outcome { passedOver.append(key) } else { try count(outcome, of: key) }
            }
            guard keys.count == pageSize, let last = keys.last else { break }
            cursor = (last.consumerID, last.planID)
        }
        for key in passedOver {
            if let amount = chargedWithStatement.removeValue(forKey: key.planID) {
                try report.count(amount)
                continue
            }
            try count(try chargeLateFees(key, on: date, skipLocked: false), of: key)
        }
        // Charged with their statement but no longer listed as overdue when the pages reached them.
        for amount in chargedWithStatement.values { try report.count(amount, examined: true) }
        return report
    }

    struct PlanKey: Sendable {
        let consumerID: String
        let planID: String
    }

    enum LateFeeOutcome: Sendable {
        case alreadyDone
        /// What each plan was charged now, zero included: the plan itself, and for a monthly-bill purchase the
        /// other purchases of its statement, charged with it.
        case charged([String: Money])
        /// Another end-of-day worker holds the plan right now (only when the plan is taken with `SKIP LOCKED`).
        case lockedElsewhere
    }

    /// The plan was locked by another transaction and the caller asked not to wait for it.
    struct PlanBusy: Error {}

    struct LateFeeResult: Codable, Equatable {
        let amount: Money
    }

    /// One plan's late fees on `date` in a transaction of their own; a monthly-bill purchase is charged with the
    /// rest of its statement, as one bill (`chargeStatementLateFees`). A plan whose run would change nothing (no
    /// fee and no stage due today, no `plan.overdue` to send: most overdue plans on most days, a fee falling due on
    /// a few days only) is found so by a read (`previewLateFees`) and not written: a write would be a durable commit
    /// of nothing, one for each such plan every day.
    private func chargeLateFees(_ key: PlanKey, on date: LocalDate, skipLocked: Bool) throws -> LateFeeOutcome {
        let consumer = try Self.identifier { () throws(LedgerError) in try ConsumerID(key.consumerID) }
        let plan = try Self.identifier { () throws(LedgerError) in try PlanID(key.planID) }
        // Operation ids are per shopper, and a shopper may have several plans: name the plan too (hashed, to fit).
        let operationID = DerivedOperationID.lateFees(on: date, planID: plan.rawValue)
        switch try previewLateFees(consumer, plan, operationID, on: date) {
        case .alreadyDone: return .alreadyDone
        case .nothingToDo(let currency): return .charged([plan.rawValue: .zero(currency)])
        case .mayChange: break
        }
        let now = clock.now()
        do {
            return try database.write { connection in
                if let statement = try statementPurchases(consumer, plan, operationID, skipLocked: skipLocked, in: connection) {
                    return try chargeStatementLateFees(statement, consumer, on: date, skipLocked: skipLocked, in: connection, at: now)
                }
                var fresh = false
                let result: LateFeeResult = try perform(
                    kind: "late-fees", consumer, plan, operationID, request: Self.lateFeeRequest(date), on: date,
                    in: connection, at: now, skipLocked: skipLocked
                ) { stored, postings, _ in
                    fresh = true
                    let charges = try Self.domain { () throws(PlanError) in try stored.plan.assessLateFees(on: date) }
                    let total = try Money.sum(of: charges.map(\.amount), currency: stored.plan.currency)
                    return (LateFeeResult(amount: total), try postings.lateFees(total))
                }
                return fresh ? .charged([plan.rawValue: result.amount]) : .alreadyDone
            }
        } catch is PlanBusy {
            return .lockedElsewhere
        }
    }

    /// What a plan's late-fee run for a date would do, as read before writing.
    enum LateFeePreview: Equatable {
        /// The run for the date is recorded: nothing to do, as the write would find.
        case alreadyDone
        /// Nothing would change: no fee, no stage counted, no event. Zero is charged, in the plan's currency.
        case nothingToDo(Currency)
        /// Something may change, or the plan is a monthly-bill purchase charged with its statement: the write decides.
        case mayChange
    }

    /// Reads the plan (without locking it) and runs its late fees for `date` on a copy. Concurrent changes cannot
    /// make a fee due that the read missed: only time does, and a payment, refund or extension made meanwhile does its
    /// own write (and events); a rerun of the date would still find anything missed.
    func previewLateFees(_ consumer: ConsumerID, _ plan: PlanID, _ operationID: String, on date: LocalDate) throws
        -> LateFeePreview
    {
        try database.read { connection in
            let plans = PlanRepository(connection)
            guard let record = try plans.plan(consumerID: consumer.rawValue, planID: plan.rawValue) else { return .mayChange }
            if try plans.operation(consumerID: consumer.rawValue, operationID: operationID) != nil { return .alreadyDone }
            let stored = try StoredPlan.decode(record.document)
            if !monthlyBills.isEmpty, statementDueDate(stored.plan, productID: record.productID) != nil { return .mayChange }
            var after = stored.plan
            let charges = try Self.domain { () throws(PlanError) in try after.assessLateFees(on: date) }
            guard charges.isEmpty, after == stored.plan, Self.overdueToAnnounce(stored, today: date) == nil else {
                return .mayChange
            }
            return .nothingToDo(stored.plan.currency)
        }
    }

    /// The request recorded with a plan's late-fee run for `date`.
    static func lateFeeRequest(_ date: LocalDate) -> [String: String] { ["date": date.description] }

    // MARK: The operation template

    /// Runs one operation in one write transaction: a recorded operation id returns its stored result; otherwise the
    /// plan is loaded and locked, changed by `body`, its postings submitted as one linked chain, and the plan and
    /// the operation written. Any error rolls all of it back.
    private func perform<Result: Codable & Sendable>(
        kind: String, _ consumer: ConsumerID, _ plan: PlanID, _ operationID: String, request: [String: String],
        on date: LocalDate? = nil, skipLocked: Bool = false,
        _ body: (inout StoredPlan, PlanPostings, LocalDate) throws -> (Result, [TransferRequest])
    ) throws -> Result {
        let now = clock.now()
        return try database.write { connection in
            try perform(
                kind: kind, consumer, plan, operationID, request: request, on: date, in: connection, at: now,
                skipLocked: skipLocked, body)
        }
    }

    /// The operation template inside the caller's write transaction.
    func perform<Result: Codable & Sendable>(
        kind: String, _ consumer: ConsumerID, _ plan: PlanID, _ operationID: String, request: [String: String],
        on date: LocalDate? = nil, in connection: any SQLConnection, at now: Instant, skipLocked: Bool = false,
        _ body: (inout StoredPlan, PlanPostings, LocalDate) throws -> (Result, [TransferRequest])
    ) throws -> Result {
        let (result, transfers) = try performPostingLater(
            kind: kind, consumer, plan, operationID, request: request, on: date, in: connection, at: now,
            skipLocked: skipLocked, body)
        // Last: the batch locks the accounts it moves, the platform's exposure among them (PostgreSQL), until the
        // COMMIT; a rejection still rolls back everything before it.
        try post(transfers, in: connection, at: now)
        return result
    }

    /// `perform`, with the operation's ledger batch (empty for a retry) left to the caller to post after its other
    /// writes (`post(_:in:at:)`).
    private func performPostingLater<Result: Codable & Sendable>(
        kind: String, _ consumer: ConsumerID, _ plan: PlanID, _ operationID: String, request: [String: String],
        on date: LocalDate? = nil, in connection: any SQLConnection, at now: Instant, skipLocked: Bool = false,
        _ body: (inout StoredPlan, PlanPostings, LocalDate) throws -> (Result, [TransferRequest])
    ) throws -> (Result, [TransferRequest]) {
        try Self.checkOperationID(operationID)
        let today = date ?? businessDate(now)
        let requestText = try CanonicalJSON.encode(request.merging(["kind": kind, "plan": plan.rawValue]) { $1 })
        let plans = PlanRepository(connection)
        // Lock the plan before looking for the operation: two requests with one operation id (a retry racing the
        // original) then queue, and the second finds the first's record instead of applying it again.
        let locked = try plans.plan(
            consumerID: consumer.rawValue, planID: plan.rawValue, forUpdate: true, skipLocked: skipLocked)
        guard let record = locked else {
            if skipLocked { throw PlanBusy() }
            throw ServicingError.planNotFound(consumer: consumer.rawValue, plan: plan.rawValue)
        }
        if let done = try plans.operation(consumerID: consumer.rawValue, operationID: operationID) {
            guard done.kind == kind, done.request == requestText else {
                throw ServicingError.operationReused(operationID)
            }
            return (try Self.storedResult(done), [])
        }
        var stored = try StoredPlan.decode(record.document)
        let merchant = try Self.identifier { () throws(LedgerError) in try MerchantID(record.merchantID) }
        let postings = PlanPostings(
            consumer: consumer, merchant: merchant, plan: plan, currency: stored.plan.currency,
            income: stored.income, prefix: PlanPostings.prefix(plan: plan, version: record.version + 1), reference: operationID)
        let wasOpen = stored.plan.status.isOpen
        let (result, transfers) = try body(&stored, postings, today)
        try planEvents(&stored, wasOpen: wasOpen, merchant: merchant, today: today, connection, at: now)
        let updated = try stored.record(consumer: record.consumerID, merchant: record.merchantID, product: record.productID)
        try plans.update(updated, expectedVersion: record.version, at: now)
        let resultText = try CanonicalJSON.encode(result)
        try plans.insert(
            PlanOperationRecord(
                consumerID: consumer.rawValue, operationID: operationID, planID: plan.rawValue, kind: kind,
                request: requestText, result: resultText),
            at: now)
        return (result, transfers)
    }

    // MARK: Helpers

    /// Opens the accounts a plan's postings touch; the platform's fourteen only until they have been seen open in
    /// the currency (accounts are never closed), so that a capture does not try to insert and read them again.
    private func openAccounts(_ postings: PlanPostings, _ ledger: LedgerRepository, at now: Instant) throws {
        let platform = openPlatformAccounts.areOpen(in: postings.currency) ? [] : ChartOfAccounts.platformAccounts(postings.currency)
        let requests = platform + postings.ownAccountsToOpen
        let results = try ledger.createAccounts(requests, at: now)
        // Seen open only when they existed before this transaction (`exists`), so a rollback cannot undo them.
        if !platform.isEmpty, results.prefix(platform.count).allSatisfy({ $0 == .exists }) {
            openPlatformAccounts.markOpen(in: postings.currency)
        }
    }

    /// The merchant's webhook events of a plan from checkout, in the operation's transaction: `plan.paid_off` when
    /// it is paid off, and `plan.overdue` once for each installment that becomes the oldest one past due.
    private func planEvents(
        _ stored: inout StoredPlan, wasOpen: Bool, merchant: MerchantID, today: LocalDate, _ connection: any SQLConnection,
        at now: Instant
    ) throws {
        guard let orderID = stored.orderID else { return }
        let plan = stored.plan
        func enqueue(_ type: WebhookEventType, _ data: [String: WebhookValue]) throws {
            let base: [String: WebhookValue] = [
                "plan_id": .text(plan.id), "owed": .money(plan.owed), "currency": .text(plan.currency.code),
            ]
            try WebhookOutbox.enqueue(
                type, merchant: merchant, orderID: orderID, values: base.merging(data) { $1 }, in: connection, at: now)
        }
        if wasOpen, case .paidOff = plan.status { try enqueue(.planPaidOff, [:]) }
        if let oldest = Self.overdueToAnnounce(stored, today: today) {
            stored.overdueNotifiedFor = oldest
            try enqueue(
                .planOverdue, ["days_past_due": .count(plan.daysPastDue(on: today)), "due_date": .text(oldest.description)])
        }
    }

    /// The due date `plan.overdue` announces today, if any: that of the oldest installment past due, once per date.
    /// A plan in a return pause is not past due (`daysPastDue`), so it is not announced overdue until the pause ends.
    static func overdueToAnnounce(_ stored: StoredPlan, today: LocalDate) -> LocalDate? {
        guard stored.orderID != nil else { return nil }
        let plan = stored.plan
        let overdue = plan.installments.filter { !$0.isSettled && plan.effectiveDueDate(of: $0) < today }
        guard let oldest = overdue.map(plan.effectiveDueDate(of:)).min(), stored.overdueNotifiedFor != oldest,
            plan.daysPastDue(on: today) > 0
        else { return nil }
        return oldest
    }

    /// Submits a linked chain and insists every transfer is new: a plan write's ids are never reused, so anything
    /// but `created` means the chain was refused.
    private static func post(_ transfers: [TransferRequest], _ ledger: LedgerRepository, at now: Instant) throws {
        guard !transfers.isEmpty else { return }
        let results = try ledger.submit(transfers, at: now).results
        let rejections = results.compactMap { result -> TransferRejection? in
            if case let .rejected(rejection) = result, rejection != .linkedEventFailed { return rejection }
            return nil
        }
        if let rejection = rejections.first { throw ServicingError.ledgerRejected(rejection) }
        guard results.allSatisfy({ $0 == .created }) else {
            throw StoreError.inconsistent("a plan posting was not created: \(results)")
        }
    }

    /// Refuses an operation id that is empty, longer than 64 bytes, or not usable in a transfer id.
    static func checkOperationID(_ operationID: String) throws(ServicingError) {
        guard (1...64).contains(operationID.utf8.count), (try? TransferID(operationID)) != nil else {
            throw .invalidOperationID(operationID)
        }
    }

    /// The result recorded with an operation, returned again to a retry.
    static func storedResult<Result: Decodable>(_ done: PlanOperationRecord) throws -> Result {
        try JSONDecoder().decode(Result.self, from: Data(done.result.utf8))
    }

    static func domain<T>(_ body: () throws(PlanError) -> T) throws(ServicingError) -> T {
        do { return try body() } catch { throw .plan(error) }
    }

    static func identifier<T>(_ body: () throws(LedgerError) -> T) throws(ServicingError) -> T {
        do { return try body() } catch { throw .invalidIdentifier(error) }
    }

    static func view(_ record: PlanRecord) throws -> ServicedPlan {
        ServicedPlan(
            consumerID: record.consumerID, merchantID: record.merchantID, productID: record.productID,
            plan: try StoredPlan.decode(record.document).plan)
    }
}

/// The document stored for a plan: the domain plan and how its charges are booked.
struct StoredPlan: Codable, Sendable {
    var plan: RepaymentPlan
    var chargesAreInterest: Bool
    /// The checkout order the plan belongs to, if any.
    var orderID: String? = nil
    /// The due date of the overdue installment last announced with `plan.overdue`.
    var overdueNotifiedFor: LocalDate? = nil
    /// The merchant promotion the plan was priced under, if any.
    var promotion: PromotionSubsidy? = nil
    /// The subsidy given back to the merchant by refunds so far.
    var subsidyReturned: Money? = nil
    /// For a try-then-pay plan, the rule its due date follows.
    var tryThenPay: TryThenPayDueDate? = nil

    /// The principal refunded so far: what refunds took off the principal at capture.
    var refundedPrincipal: Money {
        Money(
            minorUnits: plan.originalPrincipal.minorUnits - plan.installments.reduce(0) { $0 + $1.principal.minorUnits },
            currency: plan.currency)
    }

    var income: AccountType { chargesAreInterest ? .interestIncome : .feeIncome }

    static func decode(_ document: String) throws -> StoredPlan {
        do { return try JSONDecoder().decode(StoredPlan.self, from: Data(document.utf8)) } catch {
            throw StoreError.unreadableRow("plan document: \(error)")
        }
    }

    func record(consumer: String, merchant: String, product: String) throws -> PlanRecord {
        let status: String =
            switch plan.status {
            case .active: "active"
            case .paidOff: "paid_off"
            case .closedByRefund: "closed_by_refund"
            }
        let oldest = plan.installments.filter { !$0.isSettled }.map(plan.effectiveDueDate(of:)).min()
        return PlanRecord(
            consumerID: consumer, planID: plan.id, merchantID: merchant, productID: product, currency: plan.currency.code,
            status: status, oldestUnpaidDueDate: oldest, document: try CanonicalJSON.encode(self), version: 0)
    }
}
