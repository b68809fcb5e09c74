import PaylaterLedger
import PaylaterMoney
import PaylaterProducts
import PaylaterStore

/// The lines and totals of a settlement being made, from the merchant payable's transfers in ledger order.
///
/// The rules, in one place:
/// - a capture credited to the payable is its gross amount, less the discount of `MerchantPricing`, whose fixed fee
///   only the order's first capture pays (the plan it opened says which capture it was, `Order.captureNumber`; a
///   plan not opened by a checkout capture counts as an order of its own);
/// - a refund debited from the payable is taken back in full; the discount already taken on the order is not
///   returned (the platform's cost of processing it stays earned), the common rule in card acquiring;
/// - a promotion subsidy is taken as posted;
/// - anything else (a correction, a capture reversed by debiting the payable) is an adjustment with its sign and no
///   discount.
struct SettlementDraft {
    let payable: AccountID
    let pricing: MerchantPricing
    private(set) var lines: [SettlementLine] = []
    private(set) var gross: Int64 = 0
    private(set) var refunds: Int64 = 0
    private(set) var subsidies: Int64 = 0
    private(set) var adjustments: Int64 = 0
    private(set) var discount: Int64 = 0

    init(payable: AccountID, pricing: MerchantPricing) {
        self.payable = payable
        self.pricing = pricing
    }

    /// Adds one posted transfer of the payable as the next line.
    mutating func add(_ transfer: Transfer) throws(SettlementError) {
        precondition(transfer.movesPostedTotals, "only posted amounts are settled")
        let credited = transfer.creditAccountID == payable
        precondition(credited || transfer.debitAccountID == payable, "\(transfer.id) does not touch \(payable)")
        let amount = transfer.amount.minorUnits
        let signed = credited ? amount : -amount
        let code = transfer.request.code
        var lineDiscount: Int64 = 0
        let kind: SettlementLineKind
        if code == TransferType.capture.code && credited {
            kind = .capture
            let plan = ChartOfAccounts.planID(of: transfer.debitAccountID)
            let number = plan.flatMap { Order.captureNumber(ofPlan: $0.rawValue) }
            lineDiscount = try pricing.discount(onCapture: transfer.amount, firstOfOrder: (number ?? 1) == 1).minorUnits
            gross += amount
            discount += lineDiscount
        } else if code == TransferType.refund.code && !credited {
            kind = .refund
            refunds += amount
        } else if code == TransferType.promotionSubsidy.code {
            kind = .promotionSubsidy
            subsidies -= signed
        } else {
            kind = .adjustment
            adjustments += signed
        }
        let currency = transfer.amount.currency
        lines.append(SettlementLine(
            number: lines.count + 1, transferID: transfer.id, kind: kind,
            amount: Money(minorUnits: signed, currency: currency), discount: Money(minorUnits: lineDiscount, currency: currency)))
    }

    /// What the lines add to the payable, after the discount.
    var net: Int64 { gross - refunds - subsidies + adjustments - discount }
}
