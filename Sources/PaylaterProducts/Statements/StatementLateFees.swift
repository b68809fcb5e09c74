public import PaylaterMoney
public import PaylaterTime

/// One purchase's part of a monthly-bill statement's late fees, charged on `date`.
public struct StatementLateFeeShare: Hashable, Sendable {
    /// The purchase's plan.
    public let planID: String
    /// What this purchase carries of the fees charged now; zero when nothing was charged (the fee was not yet due,
    /// or a cap left nothing), though the purchase was past due and its stages are recorded.
    public let amount: Money
}

/// What the other purchases on a monthly-bill statement's bill carry, for a refund of one of them: the bill's order
/// cap is on all its purchases, so a refund caps the bill's late fees, not the purchase's alone.
public struct StatementBillRest: Hashable, Sendable {
    /// The late fees the other purchases carry, paid or not.
    public let lateFeesCharged: Money
    /// The other purchases' principal as refunds left it.
    public let principalAfterRefunds: Money
}

/// Late fees a refund of another purchase on the same statement bill took off this purchase, its bill's cap on what
/// refunds left of the bill being lower than what the bill carried.
public struct StatementLateFeeWaiver: Hashable, Sendable, Codable {
    /// The purchase's plan.
    public let planID: String
    /// Late fees taken off, paid or not.
    public let waived: Money
    /// The part of `waived` the shopper had paid, which comes back to them.
    public let returned: Money
}

extension RepaymentPlan {
    /// Refunds `amount` of the purchase `planID` among `lines`, a monthly-bill statement's purchases, and keeps the
    /// late fees of the bill it is on within the order cap on what refunds left of all the bill's purchases
    /// (README: late fees already charged beyond the cap on what is left are taken off). The refunded purchase gives
    /// up its share first; the rest comes off the bill's other purchases, the latest purchase first, unpaid late
    /// fees before paid ones (`takeLateFeesOff`). A purchase left owing nothing is paid off on `date`.
    /// - Parameter lines: the statement's purchases (each `isStatementPurchase`), oldest first, `planID` among them.
    /// - Returns: the refund of `planID` and what was taken off each other purchase (none when nothing was).
    /// - Throws: the refund's errors; `lines` is unchanged then.
    public static func refundStatementPurchase(
        _ amount: Money, of planID: String, on date: LocalDate, statement lines: inout [RepaymentPlan]
    ) throws(PlanError) -> (refund: PlanRefund, waivers: [StatementLateFeeWaiver]) {
        precondition(lines.allSatisfy(\.isStatementPurchase), "only unsplit one-installment purchases are statement lines")
        guard let refunded = lines.firstIndex(where: { $0.id == planID }) else {
            preconditionFailure("the refunded purchase \(planID) is one of the statement's")
        }
        let others = bills(of: lines).first { $0.members.contains(refunded) }?.members.filter { $0 != refunded } ?? []
        var updated = lines
        let rest = try money { () throws(MoneyError) in
            StatementBillRest(
                lateFeesCharged: try Money.sum(of: others.map { lines[$0].lateFeesCharged }, currency: amount.currency),
                principalAfterRefunds: try Money.sum(of: others.map { lines[$0].principalAfterRefunds }, currency: amount.currency))
        }
        let refund = try updated[refunded].refund(amount, on: date, statementRest: others.isEmpty ? nil : rest)
        let waivers = takeOff(refund.statementExcess.minorUnits, from: others, of: &updated, on: date)
        lines = updated
        return (refund, waivers)
    }

    /// Keeps every bill among `lines` within its order cap on what refunds left of its purchases, taking what a
    /// bill carries beyond it off its purchases, the latest first (`takeLateFeesOff`). For a purchase that left a
    /// bill (its due date extended): the bill it left and the one it joined are each capped on their own purchases.
    /// - Parameter lines: the purchases of one or more statements (each `isStatementPurchase`), oldest first.
    /// - Returns: what was taken off each purchase (none when every bill was within its cap).
    public static func capStatementBills(_ lines: inout [RepaymentPlan], on date: LocalDate) throws(PlanError)
        -> [StatementLateFeeWaiver]
    {
        precondition(lines.allSatisfy(\.isStatementPurchase), "only unsplit one-installment purchases are statement lines")
        var updated = lines
        var waivers: [StatementLateFeeWaiver] = []
        for bill in bills(of: lines) {
            let currency = lines[bill.members[0]].currency
            let (charged, principal) = try money { () throws(MoneyError) in
                (
                    try Money.sum(of: bill.members.map { lines[$0].lateFeesCharged }, currency: currency),
                    try Money.sum(of: bill.members.map { lines[$0].principalAfterRefunds }, currency: currency)
                )
            }
            guard let cap = try orderCap(bill.policy, on: principal), charged.minorUnits > cap else { continue }
            waivers += takeOff(charged.minorUnits - cap, from: bill.members, of: &updated, on: date)
        }
        lines = updated
        return waivers
    }

    /// Takes `excess` late fees off the purchases at `members` of `lines`, the last first, each as far as it carries
    /// them; a purchase left owing nothing is paid off on `date`.
    private static func takeOff(
        _ excess: Int64, from members: [Int], of lines: inout [RepaymentPlan], on date: LocalDate
    ) -> [StatementLateFeeWaiver] {
        var excess = excess
        var waivers: [StatementLateFeeWaiver] = []
        for index in members.reversed() where excess > 0 {
            let units = min(excess, lines[index].lateFeesCharged.minorUnits)
            guard units > 0 else { continue }
            let (waived, returned) = lines[index].takeLateFeesOff(units)
            excess -= waived
            if lines[index].status.isOpen, lines[index].owed.isZero { lines[index].status = .paidOff(on: date) }
            lines[index].assertConsistent()
            let currency = lines[index].currency
            waivers.append(
                StatementLateFeeWaiver(
                    planID: lines[index].id, waived: Money(minorUnits: waived, currency: currency),
                    returned: Money(minorUnits: returned, currency: currency)))
        }
        assert(excess == 0, "a bill's purchases carry what exceeds its cap")
        return waivers
    }

    /// Whether the plan is a purchase on a monthly-bill statement as far as late fees go: not split, one installment.
    public var isStatementPurchase: Bool { billSplit == nil && installments.count == 1 }

    /// Charges the late fees due on `date` on one monthly-bill statement (月付账单) as one bill, and returns the
    /// share of each purchase that was past due.
    ///
    /// A statement's purchases are separate plans, each one installment due on the statement's due date, but the
    /// shopper owes one bill: charged per purchase, an unpaid 300.00 statement cost three fees when it held three
    /// purchases and one fee when it held one. So the purchases due on one date under one late-fee policy are one
    /// bill: its first fee and its follow-up are charged once, the percentage part on the bill's past-due
    /// principal and fees, the per-installment cap applies to the bill and the order cap to the sum of its
    /// purchases (their principals as refunds left them, as for a plan). A bill's stage is the furthest any of its purchases
    /// reached, and its days late the most of any purchase past due (a return pause's days left out, as for a
    /// plan). Each fee is shared among the purchases past due in proportion to what each still owes of principal
    /// and fees (largest remainder, so the shares add up exactly), so that paying or refunding one purchase later
    /// settles its own share. A purchase whose due date was extended or deferred by a return pause is due on
    /// another date, so it is a bill of its own; a purchase in a return pause is not charged while the pause lasts.
    /// - Parameter lines: the statement's purchases (each `isStatementPurchase`), in one currency.
    /// - Returns: one share per purchase past due, in the order of `lines`.
    /// - Throws: `.lateFee` when the policy refuses the bill, `.arithmetic` on overflow. `lines` is unchanged then.
    public static func assessStatementLateFees(_ lines: inout [RepaymentPlan], on date: LocalDate) throws(PlanError)
        -> [StatementLateFeeShare]
    {
        precondition(lines.allSatisfy(\.isStatementPurchase), "only unsplit one-installment purchases are statement lines")
        var assessed = lines
        var shares: [StatementLateFeeShare] = []
        for bill in bills(of: lines) {
            shares += try assess(bill, of: &assessed, on: date)
        }
        lines = assessed
        let order = Dictionary(uniqueKeysWithValues: lines.enumerated().map { ($0.element.id, $0.offset) })
        return shares.sorted { (order[$0.planID] ?? 0) < (order[$1.planID] ?? 0) }
    }

    /// The purchases due on one date under one late-fee policy: the positions of the lines in one bill.
    private struct Bill {
        let dueDate: LocalDate
        let policy: LateFeePolicy
        var members: [Int]
    }

    /// The lines grouped into bills, in the order each bill's first line comes; lines without a late-fee policy
    /// are on none.
    private static func bills(of lines: [RepaymentPlan]) -> [Bill] {
        var bills: [Bill] = []
        for (index, plan) in lines.enumerated() {
            guard let policy = plan.lateFeePolicy else { continue }
            let dueDate = plan.effectiveDueDate(of: plan.installments[0])
            if let found = bills.firstIndex(where: { $0.dueDate == dueDate && $0.policy == policy }) {
                bills[found].members.append(index)
            } else {
                bills.append(Bill(dueDate: dueDate, policy: policy, members: [index]))
            }
        }
        return bills
    }

    /// Charges one bill on `lines` and returns the shares of its purchases past due.
    private static func assess(_ bill: Bill, of lines: inout [RepaymentPlan], on date: LocalDate) throws(PlanError)
        -> [StatementLateFeeShare]
    {
        let pastDue = bill.members.filter { index in
            let plan = lines[index]
            let installment = plan.installments[0]
            guard plan.status.isOpen, bill.dueDate < date else { return false }
            if let pause = plan.returnPause, pause.suppressesLateFees(on: date) { return false }
            return installment.principalOwed.isPositive || installment.feeOwed.isPositive
        }
        guard !pastDue.isEmpty else { return [] }
        let currency = lines[pastDue[0]].currency
        let daysLate = pastDue.map { lines[$0].daysLate(lines[$0].installments[0], on: date) }.max() ?? 0
        let stagesCharged = bill.members.map { lines[$0].installments[0].lateFeeStages }.max() ?? 0
        let sums = try money { () throws(MoneyError) in
            (
                charged: try Money.sum(of: bill.members.map { lines[$0].lateFeesCharged }, currency: currency),
                amount: try Money.sum(of: bill.members.map { lines[$0].principalAfterRefunds }, currency: currency),
                principal: try Money.sum(of: pastDue.map { lines[$0].installments[0].principal }, currency: currency),
                fee: try Money.sum(of: pastDue.map { lines[$0].installments[0].fee }, currency: currency),
                weights: try pastDue.map { index throws(MoneyError) in
                    try (lines[index].installments[0].principalOwed + lines[index].installments[0].feeOwed).minorUnits
                })
        }
        let whole: Installment
        do { whole = try Installment(number: 1, dueDate: bill.dueDate, principal: sums.principal, fee: sums.fee) } catch {
            throw .dueDateExtension(.schedule(error))
        }
        let charges: [LateFeeCharge]
        do {
            charges = try bill.policy.fees(
                for: [
                    OverdueInstallment(
                        installment: whole, stagesCharged: stagesCharged, lateFeesCharged: sums.charged, daysLate: daysLate)
                ],
                orderAmount: sums.amount, alreadyCharged: sums.charged, on: date)
        } catch {
            throw .lateFee(error)
        }
        var amounts = Array(repeating: Int64(0), count: pastDue.count)
        for charge in charges {
            let parts: [Money]
            parts = try money { () throws(MoneyError) in try charge.amount.allocate(byWeights: sums.weights) }
            for (position, index) in pastDue.enumerated() {
                amounts[position] += parts[position].minorUnits
                Self.add(&lines[index].installments[0].lateFee, parts[position].minorUnits)
                lines[index].installments[0].lateFeeStages = max(lines[index].installments[0].lateFeeStages, charge.stage.rawValue)
            }
        }
        // A stage cut to zero by a cap still counts as charged, so it is not tried again every day.
        let due = bill.policy.stagesDue(daysPastDue: daysLate)
        for index in pastDue {
            lines[index].installments[0].lateFeeStages = max(lines[index].installments[0].lateFeeStages, due)
            lines[index].assertConsistent()
        }
        return zip(pastDue, amounts).map { index, units in
            StatementLateFeeShare(planID: lines[index].id, amount: Money(minorUnits: units, currency: currency))
        }
    }

    /// Runs money arithmetic, its overflow a plan error.
    private static func money<T>(_ body: () throws(MoneyError) -> T) throws(PlanError) -> T {
        do { return try body() } catch { throw .arithmetic(error) }
    }
}
