public import PaylaterLedger
public import PaylaterMoney
public import PaylaterTime

/// Why a transfer appears on a merchant's settlement.
public enum SettlementLineKind: String, Sendable, Hashable, CaseIterable {
    /// An order captured (a capture credited to the payable): the gross amount, from which the discount is taken.
    case capture
    /// A refund the merchant gave (a refund debited from the payable).
    case refund
    /// A merchant-funded promotion's subsidy taken from the payable.
    case promotionSubsidy = "promotion_subsidy"
    /// Anything else that moved the payable (a correction, a reversal), listed with its sign.
    case adjustment
}

/// One ledger transfer on a settlement.
public struct SettlementLine: Sendable, Hashable {
    /// 1, 2, 3, ... in ledger order.
    public let number: Int
    public let transferID: TransferID
    public let kind: SettlementLineKind
    /// Signed from the merchant's side: positive when the transfer credited the payable (owed to the merchant),
    /// negative when it debited it.
    public let amount: Money
    /// The merchant discount taken on this line: only captures carry one.
    public let discount: Money

    public init(number: Int, transferID: TransferID, kind: SettlementLineKind, amount: Money, discount: Money) {
        precondition(number > 0 && amount.currency == discount.currency && !discount.isNegative)
        self.number = number
        self.transferID = transferID
        self.kind = kind
        self.amount = amount
        self.discount = discount
    }

    /// What the line adds to the merchant's payout: the amount less the discount.
    public var net: Money { Money(minorUnits: amount.minorUnits - discount.minorUnits, currency: amount.currency) }
}

/// One merchant's settlement in one currency: which payable transfers it covered, what it took and what it paid.
///
/// The law it keeps: `broughtForward + gross − refunds − subsidies + adjustments − discount = payout + carriedOver`,
/// with `payout ≥ 0` and `carriedOver ≤ 0` (never both non-zero).
public struct Settlement: Sendable, Hashable {
    public let merchantID: MerchantID
    /// The caller's id, unique per merchant: the idempotency key.
    public let id: String
    public let currency: Currency
    /// The merchant's 1st, 2nd, ... settlement in this currency.
    public let number: Int64
    /// Transfers stamped after this instant wait for the next settlement.
    public let cutoff: Instant
    /// The start of the period covered, `periodStart` (exclusive) to `cutoff`: the latest earlier cutoff of the
    /// merchant's settlements in this currency (a date's second settlement has its first one's period); nil for the
    /// first. Lines are in the period by ledger position: one written late with an earlier stamp is on the next
    /// settlement.
    public let periodStart: Instant?
    public let discountRate: BasisPoints
    public let fixedFeePerOrder: Money
    /// The payable's ledger positions covered: after `positionFrom`, up to and including `positionTo`.
    public let positionFrom: Int64
    public let positionTo: Int64
    /// The previous settlement's `carriedOver`: what the merchant owed before these lines (zero or negative).
    public let broughtForward: Money
    /// Captured orders, before the discount.
    public let gross: Money
    /// Refunds taken back (a positive amount).
    public let refunds: Money
    /// Promotion subsidies taken (a positive amount).
    public let subsidies: Money
    /// Other movements of the payable, signed (positive in the merchant's favour).
    public let adjustments: Money
    /// The merchant discount taken (a positive amount).
    public let discount: Money
    /// Paid to the merchant (zero when the balance was zero or negative).
    public let payout: Money
    /// Still owed by the merchant and netted by the next settlement (zero or negative).
    public let carriedOver: Money
    public let createdAt: Instant
    /// The lines, in ledger order; empty when read without them (a list), when `lineCount` still counts them.
    public let lines: [SettlementLine]
    /// How many lines the settlement has.
    public let lineCount: Int

    public init(
        merchantID: MerchantID, id: String, currency: Currency, number: Int64, cutoff: Instant, periodStart: Instant?,
        discountRate: BasisPoints, fixedFeePerOrder: Money, positionFrom: Int64, positionTo: Int64,
        broughtForward: Money, gross: Money, refunds: Money, subsidies: Money, adjustments: Money, discount: Money,
        payout: Money, carriedOver: Money, createdAt: Instant, lines: [SettlementLine], lineCount: Int? = nil
    ) {
        precondition(lineCount.map { lines.isEmpty || $0 == lines.count } ?? true, "the line count counts the lines")
        self.merchantID = merchantID
        self.id = id
        self.currency = currency
        self.number = number
        self.cutoff = cutoff
        self.periodStart = periodStart
        self.discountRate = discountRate
        self.fixedFeePerOrder = fixedFeePerOrder
        self.positionFrom = positionFrom
        self.positionTo = positionTo
        self.broughtForward = broughtForward
        self.gross = gross
        self.refunds = refunds
        self.subsidies = subsidies
        self.adjustments = adjustments
        self.discount = discount
        self.payout = payout
        self.carriedOver = carriedOver
        self.createdAt = createdAt
        self.lines = lines
        self.lineCount = lineCount ?? lines.count
    }

    /// The balance these lines leave before the payout: `payout + carriedOver`.
    public var closingBalance: Money {
        Money(minorUnits: payout.minorUnits + carriedOver.minorUnits, currency: currency)
    }

    /// Every transfer a settlement posts starts with this, so later settlements know their own postings (which they
    /// skip) from transfers to settle. Settlement ids are up to 100 bytes, so the ids derive from the merchant,
    /// currency and number, which identify the settlement as well and always fit the ledger's 128-byte limit; the
    /// settlement id goes in the transfers' reference.
    public static func transferIDPrefix(merchant: MerchantID, currency: Currency) -> String {
        "settlement:\(merchant.rawValue):\(currency.code):"
    }

    /// The id of the transfer that takes the discount (`leg` "discount") or pays the merchant (`leg` "payout").
    public static func transferID(merchant: MerchantID, currency: Currency, number: Int64, leg: String) throws(LedgerError)
        -> TransferID
    {
        try TransferID(transferIDPrefix(merchant: merchant, currency: currency) + "\(number):\(leg)")
    }
}
