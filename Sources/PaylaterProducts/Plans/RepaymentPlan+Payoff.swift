public import PaylaterMoney
public import PaylaterTime

/// What an early payoff moved: the payment by kind, the fees it waived and the prepaid fees it returned.
public struct PlanPayoff: Hashable, Sendable {
    /// The quote the payoff was made at; its `amount` is what the shopper paid.
    public let quote: PayoffQuote
    /// Principal paid: all that was still owed.
    public var principal: Money { quote.outstandingPrincipal }
    /// Installment fees or interest paid: those earned by the payoff day and not paid before.
    public var fees: Money { quote.feesEarned }
    /// Late fees paid: every one still owed.
    public var lateFees: Money { quote.lateFees }
    /// Scheduled fees or interest not paid, waived by the rebate rule.
    public var rebate: Money { quote.rebate }
    /// Fees or interest paid ahead and not earned, rebated by the rule and returned to the shopper.
    public var feesReturned: Money { quote.feesReturned }
}

extension RepaymentPlan {
    /// What it takes to pay the plan off on `date` under its rebate rule, from what is recorded as paid on each
    /// installment (the principal and the fee apart).
    /// - Throws: `.alreadySettled` when nothing is owed, `.payoff` when the quote cannot be made.
    public func payoffQuote(on date: LocalDate) throws(PlanError) -> PayoffQuote {
        guard status.isOpen, !owed.isZero else { throw .alreadySettled }
        // Installments a refund emptied have nothing left to pay or earn, and a schedule cannot hold them.
        let open = openInstallments()
        let schedule: InstallmentSchedule
        do { schedule = try openSchedule() } catch { throw .payoff(.schedule(error)) }
        let paid = open.map { InstallmentPaid(principal: $0.principalPaid, fee: $0.feePaid) }
        do {
            let start = try payoffStart(on: date, firstDueDate: schedule.installments[0].dueDate)
            return try PayoffQuote(
                schedule: schedule, start: start, paid: paid, lateFees: lateFeesOwed, date: date, rule: rebateRule)
        } catch { throw .payoff(error) }
    }

    /// A payment of at least what paying off costs today clears the plan, so it is a payoff: the plan is paid off
    /// under its rebate rule at today's quote, and what the payment has beyond the quote is the payer's to keep (an
    /// overpayment). Without this, a shopper who paid everything owed early as an ordinary payment would pay every
    /// fee and all the interest a payoff waives. Nil, changing nothing, when the payment is less than the quote, when
    /// the rule rebates nothing today (the payment pays what is owed, which is then the same thing), or when no
    /// quote can be made.
    public mutating func payOffIfCovered(by amount: Money, on date: LocalDate) throws(PlanError) -> PlanPayoff? {
        guard amount.currency == currency, status.isOpen, !owed.isZero,
            let quote = try? payoffQuote(on: date),
            quote.rebate.isPositive || quote.feesReturned.isPositive,
            amount.minorUnits >= quote.amount.minorUnits
        else { return nil }
        return try payOff(quote.amount, on: date)
    }

    /// Pays the plan off on `date`: `amount` must be the quote's amount. Every installment is settled, keeping of
    /// its fee only what the rebate rule says was earned (the rest, paid or not, is taken off), and the plan is
    /// `paidOff`; `feesReturned` is what the shopper had paid of the fees taken off.
    /// - Throws: `.currencyMismatch`, `.notPositive`, `.alreadySettled`, `.payoff`, or `.payoffAmountMismatch`
    ///   naming the quoted amount.
    public mutating func payOff(_ amount: Money, on date: LocalDate) throws(PlanError) -> PlanPayoff {
        guard amount.currency == currency else { throw .currencyMismatch(expected: currency, found: amount.currency) }
        guard amount.isPositive else { throw .notPositive(amount) }
        let quote = try payoffQuote(on: date)
        guard amount == quote.amount else { throw .payoffAmountMismatch(offered: amount, quoted: quote.amount) }
        let open = openInstallments()
        assert(open.count == quote.feesEarnedByInstallment.count, "one earned fee per open installment")
        assert(open.count == quote.feesReturnedByInstallment.count, "one returned fee per open installment")
        var updated = self
        for (position, installment) in open.enumerated() {
            let feeDue = quote.feesEarnedByInstallment[position].minorUnits
            let feeBack = quote.feesReturnedByInstallment[position].minorUnits
            let index = updated.index(of: installment.number)
            // What stays of the fee is what was earned: what was paid plus what the payoff collects, less what it
            // returns; the rest is rebated.
            updated.installments[index].fee = Money(minorUnits: installment.feePaid.minorUnits + feeDue - feeBack, currency: currency)
            updated.installments[index].feePaid = updated.installments[index].fee
            updated.installments[index].principalPaid = installment.principal
        }
        // Late fees are never rebated, including those left on installments a refund emptied.
        for index in updated.installments.indices {
            updated.installments[index].lateFeePaid = updated.installments[index].lateFee
        }
        updated.recordSettlements(since: self, on: date)
        updated.status = .paidOff(on: date)
        updated.assertConsistent()
        assert(updated.owed.isZero, "a payoff settles everything")
        self = updated
        return PlanPayoff(quote: quote)
    }

    /// The start the payoff quote measures periods from: the recorded start, or when none was recorded one month
    /// before the first due date (exact for monthly splits and financing; the other products carry no fees, so
    /// their start changes nothing). It is never after the payoff day (a bill split paid off before its
    /// statement's due date has begun no period) nor on or after the first due date (pay-in-4's first part is
    /// due at capture, and is owed in full either way).
    private func payoffStart(on date: LocalDate, firstDueDate: LocalDate) throws(PayoffError) -> LocalDate {
        do {
            let recorded = if let start { start } else { try firstDueDate.adding(months: -1) }
            return min(recorded, date, try firstDueDate.adding(days: -1))
        } catch { throw .dateOutOfRange(error) }
    }
}
