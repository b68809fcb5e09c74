public import PaylaterLedger
public import PaylaterMoney
public import PaylaterTime

/// Why a settlement was refused; nothing was posted or stored when one is thrown.
public enum SettlementError: Error, Equatable, Sendable, CustomStringConvertible {
    case invalidPricing(String)
    /// A settlement id must be 1...100 letters, digits or `: . _ - /`.
    case invalidSettlementID(String)
    /// The settlement id was already used with a different currency, cutoff or pricing.
    case settlementReused(String)
    /// The pricing is in another currency than the settlement.
    case currencyMismatch(settlement: Currency, pricing: Currency)
    case payableNotFound(merchant: String, currency: String)
    case settlementNotFound(merchant: String, id: String)
    /// A settlement cannot cover a time that hasn't come yet.
    case cutoffInFuture(cutoff: Instant, now: Instant)
    /// Cutoffs only move forward: the merchant's previous settlement in this currency went further.
    case cutoffBeforePrevious(cutoff: Instant, previous: Instant)
    /// The business date has no end in the time zone's calendar (its last day), so nothing can be settled through it.
    case noEnd(LocalDate)
    /// The end of day's settlement of the merchant for the date was refused: its pricing for the date is no longer
    /// the one the run read (a change on or before the date was scheduled, or one made at once, meanwhile).
    case pricingChanged(merchant: String, date: LocalDate)
    case ledgerRejected(TransferRejection)
    case money(MoneyError)

    public var description: String {
        switch self {
        case let .invalidPricing(problem): "invalid merchant pricing: \(problem)"
        case let .invalidSettlementID(id): "\"\(id)\" is not a valid settlement id (1 to 100 letters, digits or : . _ - /)"
        case let .settlementReused(id): "settlement \(id) was already made with a different currency, cutoff or pricing"
        case let .currencyMismatch(settlement, pricing): "the pricing is in \(pricing), the settlement in \(settlement)"
        case let .payableNotFound(merchant, currency): "merchant \(merchant) has no payable account in \(currency)"
        case let .settlementNotFound(merchant, id): "merchant \(merchant) has no settlement \(id)"
        case let .cutoffInFuture(cutoff, now): "the cutoff \(cutoff) is after now (\(now))"
        case let .cutoffBeforePrevious(cutoff, previous): "the cutoff \(cutoff) is before the previous settlement's \(previous)"
        case let .noEnd(date): "\(date) has no end in the calendar"
        case let .pricingChanged(merchant, date):
            "merchant \(merchant)'s pricing for \(date) changed while the end of day settled it; rerun the date"
        case let .ledgerRejected(rejection): "the ledger refused the settlement's posting: \(rejection)"
        case let .money(error): error.description
        }
    }
}
