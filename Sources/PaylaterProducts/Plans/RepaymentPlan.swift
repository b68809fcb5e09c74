public import PaylaterMoney
public import PaylaterTime

/// Where a plan stands.
public enum PlanStatus: Hashable, Sendable, Codable {
    /// Something is still owed.
    case active
    /// The shopper paid everything, last on the date given.
    case paidOff(on: LocalDate)
    /// Merchant refunds removed everything that was not already paid, or all the principal (paid off before or not:
    /// what was paid came back to the shopper).
    case closedByRefund(on: LocalDate)

    public var isOpen: Bool { self == .active }
}

/// A plan being serviced: its installments, what has been charged and paid on each, and any return pause.
///
/// Every operation is a pure, all-or-nothing mutation that returns what moved, so the caller can post exactly that
/// to the ledger: a thrown error leaves the plan as it was. Amounts move in whole minor units; nothing rounds here
/// except percentage late fees, which `LateFeePolicy` rounds half-even.
public struct RepaymentPlan: Hashable, Sendable, Codable {
    public let id: String
    public let currency: Currency
    /// The principal at capture: the base of the order-level late-fee cap, which refunds do not lower.
    public let originalPrincipal: Money
    public internal(set) var installments: [PlanInstallment]
    public internal(set) var status: PlanStatus
    public private(set) var returnPause: ReturnPause?
    /// Whether the one due-date extension a plan allows has been used.
    public private(set) var dueDateExtended: Bool
    /// The late fees of the contract, fixed when the plan is made (terms do not change under a live plan); nil
    /// for products that charge none.
    public let lateFeePolicy: LateFeePolicy?
    /// What an early payoff gives back of the fees not yet earned: a contract term, fixed when the plan is made
    /// (or when a monthly-bill purchase is split, which makes a new contract for it).
    public internal(set) var rebateRule: RebateRule
    /// The day the schedule's first period began (the capture, the disbursement, or a bill split's statement due
    /// date), from which fees are earned for an early payoff; nil when not recorded, see `payoffStart(on:)`.
    public internal(set) var start: LocalDate?
    /// The split of a monthly-bill purchase into installments, once it is split; nil otherwise.
    public internal(set) var billSplit: PlanSplit?

    /// A new plan from a schedule made at capture.
    public init(
        id: String, schedule: InstallmentSchedule, lateFeePolicy: LateFeePolicy? = nil, rebateRule: RebateRule = .none,
        start: LocalDate? = nil
    ) {
        self.id = id
        self.lateFeePolicy = lateFeePolicy
        self.rebateRule = rebateRule
        self.start = start
        currency = schedule.principal.currency
        originalPrincipal = schedule.principal
        installments = schedule.installments.map(PlanInstallment.init)
        status = .active
        returnPause = nil
        dueDateExtended = false
        billSplit = nil
    }

    private enum CodingKeys: String, CodingKey {
        case id, currency, originalPrincipal, installments, status, returnPause, dueDateExtended, lateFeePolicy
        case rebateRule, start, billSplit
    }

    /// Reads a stored plan; plans stored before the rebate rule, the start and bill splits were recorded read as
    /// `.none`, nil and nil.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        id = try container.decode(String.self, forKey: .id)
        currency = try container.decode(Currency.self, forKey: .currency)
        originalPrincipal = try container.decode(Money.self, forKey: .originalPrincipal)
        installments = try container.decode([PlanInstallment].self, forKey: .installments)
        status = try container.decode(PlanStatus.self, forKey: .status)
        returnPause = try container.decodeIfPresent(ReturnPause.self, forKey: .returnPause)
        dueDateExtended = try container.decode(Bool.self, forKey: .dueDateExtended)
        lateFeePolicy = try container.decodeIfPresent(LateFeePolicy.self, forKey: .lateFeePolicy)
        rebateRule = try container.decodeIfPresent(RebateRule.self, forKey: .rebateRule) ?? .none
        start = try container.decodeIfPresent(LocalDate.self, forKey: .start)
        billSplit = try container.decodeIfPresent(PlanSplit.self, forKey: .billSplit)
    }

    // MARK: Reading

    /// When an installment is due, once a return pause has deferred it.
    public func effectiveDueDate(of installment: PlanInstallment) -> LocalDate {
        returnPause?.effectiveDueDate(for: installment.dueDate) ?? installment.dueDate
    }

    /// The principal lent, less what merchant refunds took off it (paid or not): the order as refunds left it, on
    /// which the late-fee order cap is taken.
    public var principalAfterRefunds: Money { sum(\.principal) }
    /// The principal still owed.
    public var principalOwed: Money { sum(\.principalOwed) }
    /// Installment fees or interest still owed.
    public var feesOwed: Money { sum(\.feeOwed) }
    /// Late fees still owed.
    public var lateFeesOwed: Money { sum(\.lateFeeOwed) }
    /// Everything still owed.
    public var owed: Money { sum(\.owed) }
    /// All late fees ever charged on the plan, counted against the order cap.
    public var lateFeesCharged: Money { sum(\.lateFee) }

    /// Days since the oldest installment still owing fell due, not counting the days of a return pause (0 when
    /// none is overdue on `date`, and on every day the pause lasts): the shopper said the goods went back, so
    /// nothing is late while the merchant has not refunded, and the plan is not delinquent for it (limit reviews,
    /// underwriting and the `plan.overdue` event read this), as late fees are not charged for it.
    public func daysPastDue(on date: LocalDate) -> Int {
        if let returnPause, returnPause.isActive(on: date) { return 0 }
        let overdue = installments.filter { !$0.isSettled && effectiveDueDate(of: $0) < date }
        guard let oldest = overdue.map(effectiveDueDate(of:)).min() else { return 0 }
        let paused = returnPause?.pausedDays(from: oldest, until: date) ?? 0
        return oldest.days(until: date) - paused
    }

    /// The next date something is due on or after `date`, if any.
    public func nextDueDate(onOrAfter date: LocalDate) -> LocalDate? {
        installments.filter { !$0.isSettled }.map(effectiveDueDate(of:)).filter { $0 >= date }.min()
    }

    // MARK: Payments

    /// Applies a shopper's payment by `waterfall`; what is left over is an overpayment for the shopper's credit
    /// balance, not kept on the plan. The payment may be at most what `owedInAll` is owed and as much again
    /// (`OverpaymentLimit`): by default what this plan owes; a payment toward several plans (a statement) gives
    /// what they owe together.
    /// - Throws: `.currencyMismatch`, `.notPositive`, `.alreadySettled`, `.payment(.exceedsOverpaymentLimit)`.
    public mutating func pay(
        _ amount: Money, on date: LocalDate, waterfall: PaymentWaterfall = .standard, owedInAll: Money? = nil
    ) throws(PlanError) -> PlanPayment {
        try checkAmount(amount)
        guard !owed.isZero else { throw .alreadySettled }
        do { try OverpaymentLimit.check(amount, owed: owedInAll ?? owed) } catch { throw .payment(error) }
        let owedList = installments.filter { !$0.isSettled }.map {
            InstallmentOwed(
                number: $0.number, dueDate: effectiveDueDate(of: $0), principal: $0.principalOwed, fee: $0.feeOwed,
                lateFee: $0.lateFeeOwed)
        }
        let allocated: AllocatedPayment
        do { allocated = try waterfall.allocate(amount, to: owedList, on: date) } catch { throw .payment(error) }
        var updated = self
        var paid = PlanPayment(currency: currency, overpayment: allocated.overpayment, allocations: allocated.allocations)
        for allocation in allocated.allocations {
            let index = updated.index(of: allocation.installment)
            let units = allocation.amount.minorUnits
            switch allocation.component {
            case .principal:
                Self.add(&updated.installments[index].principalPaid, units)
                Self.add(&paid.principal, units)
            case .fee:
                Self.add(&updated.installments[index].feePaid, units)
                Self.add(&paid.fees, units)
            case .lateFee:
                Self.add(&updated.installments[index].lateFeePaid, units)
                Self.add(&paid.lateFees, units)
            }
        }
        updated.recordSettlements(since: self, on: date)
        if updated.owed.isZero { updated.status = .paidOff(on: date) }
        updated.assertConsistent()
        self = updated
        return paid
    }

    /// Dates the installments that a payment on `date` settled (owing something in `before`, nothing now).
    mutating func recordSettlements(since before: RepaymentPlan, on date: LocalDate) {
        assert(before.installments.map(\.number) == installments.map(\.number), "a payment keeps the installments")
        for index in installments.indices where installments[index].isSettled && !before.installments[index].isSettled {
            installments[index].settledOn = date
        }
    }

    // MARK: Refunds

    /// Applies a merchant refund: the last installments shrink first, the fees and interest charged on the refunded
    /// principal go with it (`RefundAllocation`), a return pause ends, and whatever the shopper already paid beyond
    /// the new amounts comes back to them. Late fees already charged stay owed up to the late-fee policy's order cap
    /// on the principal that is left (`capLateFeesToRemainingPrincipal`): a refund makes the order smaller, and a
    /// refund of all of it leaves no order for late fees to be owed on. The plan closes only when nothing at all is
    /// owed.
    /// - Throws: `.currencyMismatch`, `.notPositive`, `.refundExceedsPrincipal`.
    /// - Parameter statementRest: the plan is a monthly-bill purchase still on its statement, whose late fees are the
    ///   statement bill's, capped on all its purchases: what the bill's other purchases carry. The bill's excess this
    ///   plan cannot absorb is `PlanRefund.statementExcess`, for `refundStatementPurchase` to take off the others.
    public mutating func refund(
        _ amount: Money, on date: LocalDate, statementRest: StatementBillRest? = nil
    ) throws(PlanError) -> PlanRefund {
        try checkAmount(amount)
        let remaining = principalAfterRefunds
        guard amount.minorUnits <= remaining.minorUnits else {
            throw .refundExceedsPrincipal(refund: amount, remaining: remaining)
        }
        let outcome: RefundOutcome
        do {
            let balances = try installments.map { installment throws(RefundError) in
                try InstallmentBalance(
                    number: installment.number, principal: installment.principal, fee: installment.fee,
                    principalPaid: installment.principalPaid, feePaid: installment.feePaid)
            }
            outcome = try RefundAllocation.apply(amount, to: balances)
        } catch {
            throw .refund(error)
        }
        var updated = self
        var result = PlanRefund(currency: currency, principalReduced: amount)
        for balance in outcome.installments {
            let index = updated.index(of: balance.number)
            let old = updated.installments[index]
            Self.add(&result.returnedPrincipal, old.principalPaid.minorUnits - balance.principalPaid.minorUnits)
            Self.add(&result.returnedFees, old.feePaid.minorUnits - balance.feePaid.minorUnits)
            Self.add(&result.feesWaived, old.fee.minorUnits - balance.fee.minorUnits)
            updated.installments[index].principal = balance.principal
            updated.installments[index].fee = balance.fee
            updated.installments[index].principalPaid = balance.principalPaid
            updated.installments[index].feePaid = balance.feePaid
            // An installment the refund emptied was not paid at all in the end (its payments came back).
            if balance.principal.isZero, balance.fee.isZero { updated.installments[index].settledOn = nil }
        }
        let lateFees = try updated.capLateFeesToRemainingPrincipal(statementRest: statementRest)
        result.lateFeesWaived = Money(minorUnits: lateFees.waived, currency: currency)
        result.returnedLateFees = Money(minorUnits: lateFees.returned, currency: currency)
        result.statementExcess = Money(minorUnits: lateFees.statementExcess, currency: currency)
        if let pause = updated.returnPause {
            do { updated.returnPause = try pause.endedByRefund(on: max(date, pause.reportedOn)) } catch {
                throw .returnPause(error)
            }
        }
        // A refund of all the principal closes the plan whatever was paid before (the payments came back to the
        // shopper), the same end as a refund before any payment; a part refund closes only an open plan it leaves
        // owing nothing, and leaves a paid-off plan paid off.
        if updated.owed.isZero, updated.status == .active || updated.principalAfterRefunds.isZero {
            updated.status = .closedByRefund(on: date)
        }
        updated.assertConsistent()
        assert(result.returnedPrincipal.minorUnits <= amount.minorUnits, "only refunded principal comes back")
        self = updated
        return result
    }

    /// Takes the late fees charged beyond the policy's order cap on the principal that remains off the plan
    /// (`takeLateFeesOff`). With no principal left the cap is zero whatever the policy says: nothing remains of the
    /// order. Returns the minor units taken off (`waived`, paid or not) and, of them, those that had been paid
    /// (`returned`).
    ///
    /// A monthly-bill purchase still on its statement is charged as part of one bill whose cap is on the sum of its
    /// purchases (`assessStatementLateFees`), so the cap is the bill's, on this plan's principal and the rest's, and
    /// the excess is the bill's: this plan gives up its share first, as the one refunded, and what it cannot
    /// absorb is `statementExcess`. Capping the share on the purchase alone would take off fees the bill's cap
    /// allows (a 0.01 refund waived most of them). A purchase refunded in full gives up all its share whatever the
    /// bill's cap: nothing is left of it to owe it on.
    mutating func capLateFeesToRemainingPrincipal(statementRest rest: StatementBillRest?) throws(PlanError)
        -> (waived: Int64, returned: Int64, statementExcess: Int64)
    {
        let remaining = principalAfterRefunds.minorUnits
        let (restCharged, restPrincipal) = (rest?.lateFeesCharged.minorUnits ?? 0, rest?.principalAfterRefunds.minorUnits ?? 0)
        let cap = try Self.orderCap(lateFeePolicy, on: Money(minorUnits: remaining + restPrincipal, currency: currency))
        let excess = cap.map { max(0, lateFeesCharged.minorUnits + restCharged - $0) } ?? 0
        let own = remaining == 0 ? lateFeesCharged.minorUnits : min(excess, lateFeesCharged.minorUnits)
        let (waived, returned) = takeLateFeesOff(own)
        return (waived, returned, max(0, excess - own))
    }

    /// The late fees an order of `principal` (as refunds left it) may carry under `policy`: zero with nothing left
    /// of the order, whatever the policy says; nil when the policy caps no order.
    static func orderCap(_ policy: LateFeePolicy?, on principal: Money) throws(PlanError) -> Int64? {
        guard !principal.isZero else { return 0 }
        do { return try policy?.orderCap(for: principal)?.minorUnits } catch { throw .lateFee(error) }
    }

    /// Takes `units` of late fees off: unpaid ones first, then paid ones (which go back to the shopper), the last
    /// installments first, as a refund takes principal. Charged stages stay charged, so this never makes a stage
    /// due again. Returns the minor units taken off and, of them, those that had been paid.
    mutating func takeLateFeesOff(_ units: Int64) -> (waived: Int64, returned: Int64) {
        precondition(units >= 0 && units <= lateFeesCharged.minorUnits, "only late fees charged can be taken off")
        var (excess, waived, returned): (Int64, Int64, Int64) = (units, 0, 0)
        for index in installments.indices.reversed() where excess > 0 {
            let unpaid = min(excess, installments[index].lateFee.minorUnits - installments[index].lateFeePaid.minorUnits)
            Self.add(&installments[index].lateFee, -unpaid)
            (excess, waived) = (excess - unpaid, waived + unpaid)
        }
        for index in installments.indices.reversed() where excess > 0 {
            let paid = min(excess, installments[index].lateFeePaid.minorUnits)
            Self.add(&installments[index].lateFee, -paid)
            Self.add(&installments[index].lateFeePaid, -paid)
            (excess, waived, returned) = (excess - paid, waived + paid, returned + paid)
        }
        assert(excess == 0, "late fees charged cannot fall short of what is taken off")
        return (waived, returned)
    }

    // MARK: Returns and extensions

    /// The shopper reported a return: due dates inside the pause move to its end, and no late fees are charged
    /// while it lasts. One report per plan.
    public mutating func reportReturn(on date: LocalDate, days: Int = ReturnPause.defaultDays) throws(PlanError) {
        if let pause = returnPause { throw .returnAlreadyReported(on: pause.reportedOn) }
        do { returnPause = try ReturnPause(reportedOn: date, days: days) } catch { throw .returnPause(error) }
    }

    /// Moves one installment's due date later, once per plan, by `extension`'s rules; its fee (which may be
    /// zero) is added to that installment's fee and returned so the caller books it. An installment with nothing
    /// left to pay is refused, and the plan keeps its extension.
    /// - Throws: `.dueDateExtension` with `.nothingDue` or the rule's refusal.
    public mutating func extendDueDate(
        installment number: Int, by days: Int, rule: DueDateExtension, today: LocalDate
    ) throws(PlanError) -> Money {
        if let installment = installments.first(where: { $0.number == number }), installment.principalOwed.isZero,
            installment.feeOwed.isZero
        {
            throw .dueDateExtension(.nothingDue(installment: number))
        }
        let schedule: InstallmentSchedule
        do { schedule = try openSchedule() } catch { throw .dueDateExtension(.schedule(error)) }
        let extended: (schedule: InstallmentSchedule, fee: Money)
        do {
            extended = try rule.extend(schedule, installment: number, by: days, alreadyExtended: dueDateExtended, today: today)
        } catch {
            throw .dueDateExtension(error)
        }
        guard let moved = extended.schedule.installments.first(where: { $0.number == number }) else {
            throw .dueDateExtension(.noSuchInstallment(number))
        }
        let index = index(of: number)
        installments[index].dueDate = moved.dueDate
        Self.add(&installments[index].fee, extended.fee.minorUnits)
        dueDateExtended = true
        assertConsistent()
        return extended.fee
    }

    // MARK: Late fees

    /// Charges the late fees due on `date` by the plan's own policy, if it has one.
    public mutating func assessLateFees(on date: LocalDate) throws(PlanError) -> [LateFeeCharge] {
        guard let lateFeePolicy else { return [] }
        return try assessLateFees(on: date, policy: lateFeePolicy)
    }

    /// Charges the late fees due on `date` by `policy` (nothing while a return pause lasts, and the pause's days do
    /// not count toward the policy's delays) and returns them.
    public mutating func assessLateFees(on date: LocalDate, policy: LateFeePolicy) throws(PlanError) -> [LateFeeCharge] {
        guard status.isOpen else { return [] }
        if let pause = returnPause, pause.suppressesLateFees(on: date) { return [] }
        let overdue: [OverdueInstallment]
        do {
            overdue = try installments.filter { !($0.principalOwed.isZero && $0.feeOwed.isZero) }
                .filter { effectiveDueDate(of: $0) < date }
                .map { installment throws(ScheduleError) in
                    OverdueInstallment(
                        installment: try Installment(
                            number: installment.number, dueDate: effectiveDueDate(of: installment),
                            principal: installment.principal, fee: installment.fee),
                        stagesCharged: installment.lateFeeStages, lateFeesCharged: installment.lateFee,
                        daysLate: daysLate(installment, on: date))
                }
        } catch {
            throw .dueDateExtension(.schedule(error))
        }
        guard !overdue.isEmpty else { return [] }
        let charges: [LateFeeCharge]
        do {
            // The order cap follows the order as refunds left it (`capLateFeesToRemainingPrincipal`).
            charges = try policy.fees(
                for: overdue, orderAmount: principalAfterRefunds, alreadyCharged: lateFeesCharged, on: date)
        } catch {
            throw .lateFee(error)
        }
        for charge in charges {
            let index = index(of: charge.installmentNumber)
            Self.add(&installments[index].lateFee, charge.amount.minorUnits)
            installments[index].lateFeeStages = max(installments[index].lateFeeStages, charge.stage.rawValue)
        }
        // A stage cut to zero by a cap still counts as charged, so it is not tried again every day.
        for item in overdue {
            let index = index(of: item.installment.number)
            let due = policy.stagesDue(daysPastDue: item.daysLate(on: date))
            installments[index].lateFeeStages = max(installments[index].lateFeeStages, due)
        }
        assertConsistent()
        return charges
    }

    // MARK: Helpers

    /// The days an installment has been past due on `date`, leaving out the days of a return pause: they count
    /// toward neither the grace period nor a follow-up fee's delay.
    func daysLate(_ installment: PlanInstallment, on date: LocalDate) -> Int {
        let dueDate = effectiveDueDate(of: installment)
        let paused = returnPause?.pausedDays(from: dueDate, until: date) ?? 0
        return dueDate.days(until: date) - paused
    }

    /// The installments with something left to pay or earn: installments a refund emptied are left out, since a
    /// schedule cannot hold them.
    func openInstallments() -> [PlanInstallment] {
        installments.filter { $0.principal.isPositive || $0.fee.isPositive }
    }

    /// `openInstallments()` as a schedule, at their own (unpaused) due dates.
    func openSchedule() throws(ScheduleError) -> InstallmentSchedule {
        try InstallmentSchedule(installments: openInstallments().map { installment throws(ScheduleError) in
            try Installment(
                number: installment.number, dueDate: installment.dueDate, principal: installment.principal,
                fee: installment.fee)
        })
    }

    func index(of number: Int) -> Int {
        guard let index = installments.firstIndex(where: { $0.number == number }) else {
            preconditionFailure("installment \(number) is not on plan \(id)")
        }
        return index
    }

    /// Adds minor units to an amount in place; every caller adds amounts already bounded by the plan's totals.
    static func add(_ amount: inout Money, _ units: Int64) {
        amount = Money(minorUnits: amount.minorUnits + units, currency: amount.currency)
    }

    private func sum(_ amount: KeyPath<PlanInstallment, Money>) -> Money {
        Money(minorUnits: installments.reduce(0) { $0 + $1[keyPath: amount].minorUnits }, currency: currency)
    }

    private func checkAmount(_ amount: Money) throws(PlanError) {
        guard amount.currency == currency else { throw .currencyMismatch(expected: currency, found: amount.currency) }
        guard amount.isPositive else { throw .notPositive(amount) }
    }

    func assertConsistent() {
        assert(installments.allSatisfy(\.isConsistent), "paid amounts stay within what they pay for")
    }
}

/// What a payment paid, by kind, so each part can be credited to its receivable.
public struct PlanPayment: Hashable, Sendable {
    public internal(set) var principal: Money
    public internal(set) var fees: Money
    public internal(set) var lateFees: Money
    /// The part of the payment the plan did not need; it belongs to the shopper.
    public let overpayment: Money
    public let allocations: [PaymentAllocation]

    init(currency: Currency, overpayment: Money, allocations: [PaymentAllocation]) {
        principal = .zero(currency)
        fees = .zero(currency)
        lateFees = .zero(currency)
        self.overpayment = overpayment
        self.allocations = allocations
    }
}

/// What a refund changed on a plan.
public struct PlanRefund: Hashable, Sendable {
    /// The refund: the principal removed from the plan.
    public let principalReduced: Money
    /// Installment fees and interest removed with the principal they were charged on.
    public internal(set) var feesWaived: Money
    /// Principal the shopper had already paid that comes back to them.
    public internal(set) var returnedPrincipal: Money
    /// Fees and interest the shopper had already paid beyond what remains of them, which come back to them.
    public internal(set) var returnedFees: Money
    /// Late fees taken off because the order cap on the principal left is lower than what was charged (all of them
    /// on a refund of everything), paid or not.
    public internal(set) var lateFeesWaived: Money
    /// The part of `lateFeesWaived` the shopper had paid, which comes back to them.
    public internal(set) var returnedLateFees: Money
    /// For a monthly-bill purchase on its statement: the late fees beyond the bill's cap on what refunds left that
    /// this purchase could not give up, to come off the bill's other purchases (`refundStatementPurchase`).
    public internal(set) var statementExcess: Money

    init(currency: Currency, principalReduced: Money) {
        self.principalReduced = principalReduced
        feesWaived = .zero(currency)
        returnedPrincipal = .zero(currency)
        returnedFees = .zero(currency)
        lateFeesWaived = .zero(currency)
        returnedLateFees = .zero(currency)
        statementExcess = .zero(currency)
    }

    /// Everything that goes back to the shopper.
    public var returnedToShopper: Money {
        Money(
            minorUnits: returnedPrincipal.minorUnits + returnedFees.minorUnits + returnedLateFees.minorUnits,
            currency: principalReduced.currency)
    }
}
