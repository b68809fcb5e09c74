/// Why a transfer happened, with its code. Later modules add cases as they post new kinds of transfer.
public enum TransferType: UInt16, CaseIterable, Sendable, CustomStringConvertible {
    // Credit book.
    case creditLimitChange = 100
    case authorizationHold = 110
    case creditRestored = 120
    case exposureCapacityChange = 150
    // Money book.
    case funding = 200
    case capture = 210
    /// The merchant discount (basis points plus a fixed fee per order) taken from the merchant's payable.
    case merchantDiscount = 215
    /// A merchant-funded promotion's subsidy (贴息) taken from the merchant's payable at capture.
    case promotionSubsidy = 216
    case merchantSettlement = 220
    case repayment = 230
    case refund = 240
    /// A shopper's credit balance (overpayments, refunds of money they had paid) paid back out to them.
    case creditBalancePayout = 245
    case fee = 250
    case interest = 260
    case lateFee = 270
    case writeOff = 280
    case recovery = 290
    case correction = 900
    /// Synthetic load from `paylater bench`.
    case benchmark = 990

    public var code: TransferCode { TransferCode(rawValue) }
    public var description: String { String(describing: self) }
}
