/// The kinds of account in Paylater's chart of accounts, with their codes.
///
/// Two books share the ledger. The money book holds real money and claims: cash, what shoppers owe, what the
/// platform owes merchants, income and losses. The credit book is off balance sheet: it holds credit capacity, so
/// that a shopper's limit and the platform's exposure cap are enforced by the same balance constraints that keep
/// money from going negative. Transfers never cross books.
public enum AccountType: UInt16, CaseIterable, Sendable, CustomStringConvertible {
    // Money book: assets (normally debit balances).
    /// The platform's money at its bank or payment processor.
    case platformCash = 1000
    /// What a shopper owes on one plan: principal captured and not yet repaid.
    case planReceivable = 1100
    /// Fees and interest charged on one plan and not yet paid.
    case planFeeReceivable = 1110
    /// The allowance for expected credit losses (a contra-asset, normally a credit balance).
    case lossAllowance = 1900

    // Money book: liabilities (normally credit balances).
    /// What the platform owes one merchant for captured orders, until settlement pays it. It has no balance
    /// constraint: a refund after the day's settlement leaves the merchant owing the platform (a debit balance),
    /// which the next settlement nets, as Afterpay and Klarna deduct refunds from future payouts.
    case merchantPayable = 2000
    /// A shopper's overpayments and refunds due back to them.
    case consumerCreditBalance = 2100

    // Money book: funding and equity.
    /// Capital provided to the platform to pay merchants before shoppers repay.
    case platformFunding = 3000

    // Money book: income.
    case merchantDiscountIncome = 4000
    case feeIncome = 4100
    case interestIncome = 4200
    case lateFeeIncome = 4300
    /// Money recovered on plans already written off.
    case recoveryIncome = 4400

    // Money book: expenses.
    /// Receivables written off as uncollectable.
    case creditLossExpense = 5000
    /// Installment fees or interest a merchant-funded promotion waived for the shopper and the platform absorbs.
    case promotionCost = 5100

    // Credit book (off balance sheet).
    /// Where every granted consumer limit comes from.
    case creditLimitSource = 9000
    /// A shopper's unused limit; holds and captures debit it, so it can never go below zero.
    case consumerCreditAvailable = 9100
    /// A shopper's limit in use: credited by holds (pending) and captures (posted), debited when repayments
    /// restore the limit.
    case consumerCreditUsed = 9110
    /// Where the platform's funding capacity comes from.
    case exposureCapacitySource = 9200
    /// Funding capacity not yet committed to outstanding plans and holds; can never go below zero.
    case platformExposureAvailable = 9210
    /// Funding capacity committed to outstanding plans and holds.
    case platformExposureUsed = 9220

    /// The two books of the chart.
    public enum Book: Sendable { case money, credit }

    /// The side on which this account's balance normally grows.
    public enum NormalSide: Sendable { case debit, credit }

    public var code: AccountCode { AccountCode(rawValue) }

    public init(code: AccountCode) throws(LedgerError) {
        guard let type = AccountType(rawValue: code.rawValue) else { throw .unknownAccountType(code.rawValue) }
        self = type
    }

    public var book: Book { rawValue >= 9000 ? .credit : .money }

    public var normalSide: NormalSide {
        switch self {
        case .platformCash, .planReceivable, .planFeeReceivable, .creditLossExpense, .promotionCost,
            .creditLimitSource, .exposureCapacitySource:
            .debit
        case .lossAllowance, .merchantPayable, .consumerCreditBalance, .platformFunding, .merchantDiscountIncome,
            .feeIncome, .interestIncome, .lateFeeIncome, .recoveryIncome, .consumerCreditAvailable,
            .consumerCreditUsed, .platformExposureAvailable, .platformExposureUsed:
            .credit
        }
    }

    /// The constraint the ledger enforces: accounts that must never go below zero on their normal side.
    public var flags: AccountFlags {
        switch self {
        case .consumerCreditAvailable, .platformExposureAvailable, .consumerCreditBalance:
            .debitsMustNotExceedCredits
        case .planReceivable, .planFeeReceivable:
            .creditsMustNotExceedDebits
        default:
            []
        }
    }

    /// The name used in account ids, such as `credit-available`.
    public var slug: String {
        switch self {
        case .platformCash: "cash"
        case .planReceivable: "receivable"
        case .planFeeReceivable: "fee-receivable"
        case .lossAllowance: "loss-allowance"
        case .merchantPayable: "payable"
        case .consumerCreditBalance: "credit-balance"
        case .platformFunding: "funding"
        case .merchantDiscountIncome: "merchant-discount-income"
        case .feeIncome: "fee-income"
        case .interestIncome: "interest-income"
        case .lateFeeIncome: "late-fee-income"
        case .recoveryIncome: "recovery-income"
        case .creditLossExpense: "credit-loss-expense"
        case .promotionCost: "promotion-cost"
        case .creditLimitSource: "credit-limit-source"
        case .consumerCreditAvailable: "credit-available"
        case .consumerCreditUsed: "credit-used"
        case .exposureCapacitySource: "exposure-capacity-source"
        case .platformExposureAvailable: "exposure-available"
        case .platformExposureUsed: "exposure-used"
        }
    }

    public var description: String { slug }
}
