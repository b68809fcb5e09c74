public import PaylaterMoney
public import PaylaterTime

/// A quote with a merchant promotion applied: what the shopper pays, and what the merchant pays instead.
///
/// The split rule: the subsidy is round_half_even(total fees × merchant share), allocated over the installments in
/// proportion to their fees by the largest remainder method (`Money.allocate(byWeights:)`), so each installment's
/// subsidy is at most its fee and, installment by installment, shopper fee + subsidy = the unpromoted fee exactly.
/// A full share (10,000 bp) gives a subsidy equal to every fee and a shopper schedule with none.
///
/// When the merchant pays: all of the subsidy at capture, deducted from that day's settlement to the merchant
/// (`subsidyChargedOn` is the quote's purchase date), the usual practice for 免息 promotions. On a refund the
/// merchant gets back the subsidy of the refunded principal, pro rata; see `subsidyRefund(refunding:alreadyRefunded:)`.
public struct PromotedQuote: Sendable {
    /// The quote without the promotion, which the shopper would otherwise pay.
    public let unpromoted: Quote
    /// The promotion applied.
    public let promotion: MerchantPromotion
    /// The shopper's installments: the same principal and due dates, only the shopper's share of each fee.
    public let shopperSchedule: InstallmentSchedule
    /// The APR by every method on the shopper's own cash flows (0 when the merchant funds everything).
    public let shopperAPRs: [APRResult]
    /// The merchant's part of each installment's fee, in installment order.
    public let subsidyByInstallment: [Money]
    /// The money the merchant pays: the sum of `subsidyByInstallment`.
    public let subsidy: Money
    /// The early-payoff rule of the shopper's plan: the product's, at the shopper's part of the rate
    /// (`RebateRule.promoted(merchantShare:)`).
    public let shopperRebateRule: RebateRule

    /// The day the subsidy is charged to the merchant: the capture (purchase) date.
    public var subsidyChargedOn: LocalDate { unpromoted.date }

    /// The shopper's APR by `method`.
    public func shopperAPR(_ method: APRMethod) -> APRResult {
        guard let result = shopperAPRs.first(where: { $0.method == method }) else { preconditionFailure("every method is quoted") }
        return result
    }

    /// The subsidy returned to the merchant for a refund of `refund` principal, when `alreadyRefunded` was refunded
    /// before: subsidy × refunded / principal by the largest remainder method on the cumulative refunded principal,
    /// less what earlier refunds returned. So refunds add up to the whole subsidy exactly when the whole principal
    /// is refunded, whatever the order of partial refunds.
    /// - Throws: `.refundOutOfRange` for a refund not positive, in another currency, or past the principal.
    public func subsidyRefund(refunding refund: Money, alreadyRefunded: Money? = nil) throws(PromotionError) -> Money {
        try subsidyRecord.refund(refunding: refund, alreadyRefunded: alreadyRefunded)
    }
}

/// What applying a promotion to a quote gave.
public enum PromotionOutcome: Sendable {
    /// The promotion applies.
    case applied(PromotedQuote)
    /// The promotion does not apply; the quote is unchanged.
    case notApplied(Quote, because: PromotionIneligibility)
}

extension MerchantPromotion {
    /// Applies the promotion to a quote for `merchantID`'s order, or says why it does not apply.
    /// - Throws: `PromotionError` only when the arithmetic or the APR solver fails.
    public func apply(to quote: Quote, merchantID: String) throws(PromotionError) -> PromotionOutcome {
        if let reason = ineligibility(merchantID: merchantID, productID: quote.product.id, amount: quote.amount, date: quote.date) {
            return .notApplied(quote, because: reason)
        }
        let fees = quote.schedule.installments.map(\.fee)
        let subsidies = try subsidyByInstallment(fees: fees, total: quote.schedule.totalFees)
        var installments: [Installment] = []
        for (installment, subsidy) in zip(quote.schedule.installments, subsidies) {
            let shopperFee: Money
            do { shopperFee = try installment.fee - subsidy } catch { throw .arithmetic(error) }
            do {
                installments.append(
                    try Installment(
                        number: installment.number, dueDate: installment.dueDate, principal: installment.principal,
                        fee: shopperFee))
            } catch { throw .schedule(error) }
        }
        let shopper: InstallmentSchedule
        do { shopper = try InstallmentSchedule(installments: installments) } catch { throw .schedule(error) }
        let aprs: [APRResult]
        do { aprs = try ProductCatalog.aprs(shopper, advancedOn: quote.date, product: quote.product.id) } catch { throw .catalog(error) }
        let subsidy: Money
        let rule: RebateRule
        do {
            subsidy = try Money.sum(of: subsidies, currency: quote.amount.currency)
            rule = try quote.product.rebateRule.promoted(merchantShare: merchantShare)
        } catch { throw .arithmetic(error) }
        return .applied(
            PromotedQuote(
                unpromoted: quote, promotion: self, shopperSchedule: shopper, shopperAPRs: aprs,
                subsidyByInstallment: subsidies, subsidy: subsidy, shopperRebateRule: rule))
    }

    /// round_half_even(total × share), allocated over the installments by their fees (largest remainder).
    private func subsidyByInstallment(fees: [Money], total: Money) throws(PromotionError) -> [Money] {
        guard total.isPositive else { return fees }
        do {
            let subsidy = try total.multiplied(by: merchantShare, rounding: .halfEven)
            return try subsidy.allocate(byWeights: fees.map(\.minorUnits), remainder: .first)
        } catch { throw .arithmetic(error) }
    }
}
