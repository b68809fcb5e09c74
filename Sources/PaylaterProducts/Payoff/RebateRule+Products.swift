public import PaylaterMoney

// Which rebate rule each product's plans carry: decided here once, from the shape of the product's schedule, so
// that a plan opened at checkout, a monthly bill's split and a quote all agree.

extension ScheduleTerms {
    /// What an early payoff gives back under these terms: financing rebates unearned interest actuarially at its
    /// contract rate, a monthly split (分期) waives the fees of periods not begun, and the products that charge
    /// nothing (try-then-pay, pay-in-4) have nothing to rebate.
    public var rebateRule: RebateRule {
        switch self {
        case .tryThenPay, .payIn4: .none
        case .monthlySplit: .unearnedFees
        case .financingEqualInstallments(_, let monthlyRate), .financingEqualPrincipal(_, let monthlyRate):
            .actuarialInterest(monthlyRate: monthlyRate)
        }
    }
}

extension CatalogProduct {
    /// The rebate rule of a plan this product opens at capture (`ScheduleTerms.rebateRule`); a monthly bill's
    /// purchase charges no fee until it is split, and then takes `MonthlyBillTerms.splitRebateRule`.
    public var rebateRule: RebateRule { terms?.rebateRule ?? .none }
}

extension MonthlyBillTerms {
    /// The rebate rule of a split purchase or statement: its schedule is a `ScheduleTerms.monthlySplit`, so it is
    /// that rule (the Huabei rule: the current period's fee is owed, later ones are waived), whatever the months.
    public var splitRebateRule: RebateRule {
        ScheduleTerms.monthlySplit(months: splits.months.first ?? 0, monthlyFeeRate: splits.monthlyFeeRate).rebateRule
    }
}

extension RebateRule {
    /// The rule of the shopper's schedule when a merchant pays `merchantShare` of every fee and all interest: the
    /// shopper's interest accrues at their part of the contract rate, `monthlyRate × (1 − share)`; the other rules
    /// are unchanged, since they rebate whole fees.
    /// - Throws: `MoneyError.overflow` when the exact rate does not fit in 64 bits.
    public func promoted(merchantShare: BasisPoints) throws(MoneyError) -> RebateRule {
        guard case .actuarialInterest(let monthlyRate) = self else { return self }
        let shopperShare = try Rational.one - merchantShare.rational
        return .actuarialInterest(monthlyRate: try monthlyRate * shopperShare)
    }
}
