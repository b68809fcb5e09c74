import PaylaterLedger
import PaylaterMoney
import PaylaterProducts

/// The ledger transfers of each servicing event, built as one linked chain so that they post all together or not
/// at all.
///
/// Money book: a plan's principal sits in its receivable (owed to the platform), its scheduled fees or interest in
/// its fee receivable, booked in full at capture against income so the receivables always equal what the shopper
/// owes; payments move cash in against them; refunds take the merchant's payable back. Credit book: captured
/// principal uses the shopper's limit and the platform's funding capacity, and every unit of principal repaid or
/// refunded gives both back.
struct PlanPostings {
    let consumer: ConsumerID
    let merchant: MerchantID
    let plan: PlanID
    let currency: Currency
    /// Where installment fees are booked: fee income for fee-based products, interest income for financing.
    let income: AccountType
    /// Unique per plan write (the plan's version), so that every transfer id is new: `prefix(plan:version:)`.
    let prefix: String
    let reference: String?

    /// The reference of the postings that open a plan (a capture's): a refund's carry its plan operation's id.
    static let captureReference = "capture"

    /// The prefix of the transfers of a plan's write that makes its `version`: `plan:<plan>:v<version>`.
    static func prefix(plan: PlanID, version: Int64) -> String { "plan:\(plan.rawValue):v\(version)" }

    /// The plan a plan write's transfer belongs to (its id starts with `prefix(plan:version:)`; a plan id holds no
    /// ':'), nil for any other transfer.
    static func planID(ofTransfer id: TransferID) -> PlanID? {
        let parts = id.rawValue.split(separator: ":", maxSplits: 3, omittingEmptySubsequences: false)
        guard parts.count == 4, parts[0] == "plan", parts[2].first == "v" else { return nil }
        return try? PlanID(String(parts[1]))
    }

    private var receivable: AccountID { ChartOfAccounts.plan(plan, .planReceivable, currency) }
    private var feeReceivable: AccountID { ChartOfAccounts.plan(plan, .planFeeReceivable, currency) }
    private var payable: AccountID { ChartOfAccounts.merchant(merchant, .merchantPayable, currency) }
    private var creditBalance: AccountID { ChartOfAccounts.consumer(consumer, .consumerCreditBalance, currency) }
    private var cash: AccountID { ChartOfAccounts.platform(.platformCash, currency) }
    private var creditUsed: AccountID { ChartOfAccounts.consumer(consumer, .consumerCreditUsed, currency) }
    private var creditAvailable: AccountID { ChartOfAccounts.consumer(consumer, .consumerCreditAvailable, currency) }
    private var incomeAccount: AccountID { ChartOfAccounts.platform(income, currency) }
    private var exposureAvailable: AccountID { ChartOfAccounts.platform(.platformExposureAvailable, currency) }
    private var exposureUsed: AccountID { ChartOfAccounts.platform(.platformExposureUsed, currency) }

    /// The accounts every posting may touch besides the platform's, to open (idempotently) before the first one.
    var ownAccountsToOpen: [NewAccount] {
        ChartOfAccounts.consumerAccounts(consumer, currency) + ChartOfAccounts.planAccounts(plan, currency)
            + ChartOfAccounts.merchantAccounts(merchant, currency)
    }

    /// Capture: the hold (the shopper's and the platform's legs) becomes used credit and committed capacity (or,
    /// without a hold, both are used directly), the principal is owed by the shopper and owed to the merchant, and
    /// the scheduled fees are booked. Under a merchant promotion the shopper's fees are booked against the fee
    /// receivable and the merchant's subsidy against the payable (code `promotionSubsidy`, a subsidy line of the
    /// merchant's settlement), so income is the product's full price either way.
    func capture(principal: Money, fees: Money, subsidy: Money? = nil, hold: TransferID?) throws -> [TransferRequest] {
        var legs: [Leg] = []
        if let hold {
            legs.append(Leg("hold", .postPending(hold, amount: principal), .authorizationHold))
            legs.append(Leg("hold-exposure", .postPending(try CreditLineService.exposureID(hold), amount: principal), .authorizationHold))
        } else {
            legs.append(Leg("credit", .posted(debit: creditAvailable, credit: creditUsed, amount: principal), .capture))
            legs.append(Leg("exposure", .posted(debit: exposureAvailable, credit: exposureUsed, amount: principal), .capture))
        }
        legs.append(Leg("principal", .posted(debit: receivable, credit: payable, amount: principal), .capture))
        legs.append(Leg("fees", .posted(debit: feeReceivable, credit: incomeAccount, amount: fees), .fee))
        if let subsidy {
            legs.append(Leg("subsidy", .posted(debit: payable, credit: incomeAccount, amount: subsidy), .promotionSubsidy))
        }
        return try chain(legs)
    }

    /// A payment: cash in against principal, fees and late fees; any overpayment to the shopper's credit balance;
    /// repaid principal back to the limit.
    func payment(_ payment: PlanPayment) throws -> [TransferRequest] {
        let feesAndLate = try payment.fees + payment.lateFees
        return try chain([
            Leg("principal", .posted(debit: cash, credit: receivable, amount: payment.principal), .repayment),
            Leg("fees", .posted(debit: cash, credit: feeReceivable, amount: feesAndLate), .repayment),
            Leg("overpayment", .posted(debit: cash, credit: creditBalance, amount: payment.overpayment), .repayment),
            Leg("restore", .posted(debit: creditUsed, credit: creditAvailable, amount: payment.principal), .creditRestored),
            Leg("restore-exposure", .posted(debit: exposureUsed, credit: exposureAvailable, amount: payment.principal), .creditRestored),
        ])
    }

    /// An early payoff: cash in against the principal, the earned fees and the late fees; the rebate out of
    /// income and off the fee receivable; fees paid ahead and not earned out of income to the shopper's credit
    /// balance; the principal back to the limit and the platform's capacity.
    /// `overpayment`: what a payment had beyond the payoff amount, to the shopper's credit balance.
    func payoff(_ payoff: PlanPayoff, overpayment: Money? = nil) throws -> [TransferRequest] {
        let feesAndLate = try payoff.fees + payoff.lateFees
        return try chain([
            Leg("principal", .posted(debit: cash, credit: receivable, amount: payoff.principal), .repayment),
            Leg("fees", .posted(debit: cash, credit: feeReceivable, amount: feesAndLate), .repayment),
            Leg("overpayment", .posted(debit: cash, credit: creditBalance, amount: overpayment ?? .zero(currency)), .repayment),
            Leg("rebate", .posted(debit: incomeAccount, credit: feeReceivable, amount: payoff.rebate), .fee),
            Leg("returned-fees", .posted(debit: incomeAccount, credit: creditBalance, amount: payoff.feesReturned), .fee),
            Leg("restore", .posted(debit: creditUsed, credit: creditAvailable, amount: payoff.principal), .creditRestored),
            Leg("restore-exposure", .posted(debit: exposureUsed, credit: exposureAvailable, amount: payoff.principal), .creditRestored),
        ])
    }

    /// A merchant refund: the merchant's payable pays off the refunded principal; what the shopper had already
    /// paid on it comes back to their credit balance; waived fees, and late fees beyond the cap on what is left,
    /// leave income; unpaid principal refunded gives the limit back. Under a merchant promotion the subsidy of the refunded principal goes back to the merchant out of
    /// income (code `promotionSubsidy`, so the merchant's settlement nets it against the subsidy it paid).
    func refund(_ refund: PlanRefund, subsidyReturned: Money? = nil) throws -> [TransferRequest] {
        let unpaidPrincipal = try refund.principalReduced - refund.returnedPrincipal
        let unpaidFees = try refund.feesWaived - refund.returnedFees
        return try chain([
            Leg("principal", .posted(debit: payable, credit: receivable, amount: unpaidPrincipal), .refund),
            Leg("returned-principal", .posted(debit: payable, credit: creditBalance, amount: refund.returnedPrincipal), .refund),
            Leg("fees", .posted(debit: incomeAccount, credit: feeReceivable, amount: unpaidFees), .refund),
            Leg("returned-fees", .posted(debit: incomeAccount, credit: creditBalance, amount: refund.returnedFees), .refund),
        ] + lateFeeLegs(waived: refund.lateFeesWaived, returned: refund.returnedLateFees) + [
            Leg("subsidy", .posted(debit: incomeAccount, credit: payable, amount: subsidyReturned ?? .zero(currency)), .promotionSubsidy),
            Leg("restore", .posted(debit: creditUsed, credit: creditAvailable, amount: unpaidPrincipal), .creditRestored),
            Leg("restore-exposure", .posted(debit: exposureUsed, credit: exposureAvailable, amount: unpaidPrincipal), .creditRestored),
        ])
    }

    /// Late fees taken off a monthly-bill purchase because a refund of another purchase on its statement lowered the
    /// bill's cap: out of late-fee income, off the fee receivable or, when paid, back to the shopper's credit balance.
    func lateFeesTakenOff(waived: Money, returned: Money) throws -> [TransferRequest] {
        try chain(try lateFeeLegs(waived: waived, returned: returned))
    }

    /// Late fees taken off (`waived`, of which `returned` had been paid) leave late-fee income.
    private func lateFeeLegs(waived: Money, returned: Money) throws -> [Leg] {
        let lateFeeIncome = ChartOfAccounts.platform(.lateFeeIncome, currency)
        return [
            Leg("late-fees", .posted(debit: lateFeeIncome, credit: feeReceivable, amount: try waived - returned), .refund),
            Leg("returned-late-fees", .posted(debit: lateFeeIncome, credit: creditBalance, amount: returned), .refund),
        ]
    }

    /// Late fees charged by the end-of-day batch.
    func lateFees(_ amount: Money) throws -> [TransferRequest] {
        try chain([
            Leg("late-fees", .posted(debit: feeReceivable, credit: ChartOfAccounts.platform(.lateFeeIncome, currency), amount: amount), .lateFee)
        ])
    }

    /// A due-date extension's fee.
    func extensionFee(_ amount: Money) throws -> [TransferRequest] {
        try chain([Leg("extension-fee", .posted(debit: feeReceivable, credit: incomeAccount, amount: amount), .fee)])
    }

    /// The fees of a monthly-bill purchase split into installments, booked in full when it is split.
    func splitFees(_ amount: Money) throws -> [TransferRequest] {
        try chain([Leg("split-fees", .posted(debit: feeReceivable, credit: incomeAccount, amount: amount), .fee)])
    }

    // MARK: Chaining

    private struct Leg {
        let name: String
        let kind: TransferKind
        let type: TransferType

        init(_ name: String, _ kind: TransferKind, _ type: TransferType) {
            self.name = name
            self.kind = kind
            self.type = type
        }

        /// Zero-amount posted legs are left out: the ledger refuses them and they would move nothing.
        var isEmpty: Bool {
            if case let .posted(_, _, amount) = kind { return amount.isZero }
            return false
        }
    }

    /// The non-empty legs as one linked chain (every transfer but the last carries the linked flag).
    private func chain(_ legs: [Leg]) throws -> [TransferRequest] {
        let kept = legs.filter { !$0.isEmpty }
        return try kept.enumerated().map { index, leg in
            TransferRequest(
                id: try TransferID("\(prefix):\(leg.name)"), kind: leg.kind, code: leg.type.code,
                isLinked: index < kept.count - 1, reference: reference)
        }
    }
}
