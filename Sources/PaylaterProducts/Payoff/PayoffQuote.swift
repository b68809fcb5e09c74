public import PaylaterMoney
public import PaylaterTime

/// What an early payoff gives back of the fees and interest not yet earned: a product setting.
public enum RebateRule: Hashable, Sendable, Codable {
    /// No rebate: every scheduled fee remains due.
    case none
    /// The Huabei rule: the fee of the current period (the first installment not yet due, once its period has
    /// begun) is charged in full; the fees of later installments are waived.
    case unearnedFees
    /// Financing: interest of installments already due is earned; the current period's interest accrues daily on
    /// the scheduled principal balance at the start of the period, Actual/365 at the nominal annual rate
    /// `monthlyRate × 12`, rounded half-even once, and capped at that installment's scheduled interest; all later
    /// interest is rebated.
    case actuarialInterest(monthlyRate: Rational)
}

/// What it takes to pay a plan off on one day, itemised.
///
/// `amount = outstandingPrincipal + feesEarned + lateFees` and `rebate = scheduledFeesUnpaid − feesEarned`, so
/// `amount = remainingScheduled − rebate` and a payoff never costs more than paying the plan out as scheduled.
///
/// Fees the shopper paid ahead for what the payoff does not earn (an installment paid before its period ran) are
/// rebated too, as `feesReturned`, which goes back to the shopper. So what the shopper pays in all, what they paid
/// before plus `amount` less `feesReturned`, is the same whether or not they paid anything early.
///
/// Periods: installment k's period runs from the previous due date (the capture date for the first) exclusive to
/// its own due date inclusive. An installment due on or before the payoff date is owed in full; on the capture day
/// itself no period has begun, so every fee is rebated under `.unearnedFees` and `.actuarialInterest`.
/// Given one paid amount per installment, payments are taken as paying its fee first, then its principal; a live
/// plan, which records the two apart, gives them as `InstallmentPaid`.
public struct PayoffQuote: Hashable, Sendable {
    /// The payoff day.
    public let date: LocalDate
    /// Principal not yet paid, over every installment.
    public let outstandingPrincipal: Money
    /// Fees and interest earned to `date` and not yet paid.
    public let feesEarned: Money
    /// `feesEarned` by installment, in schedule order: what of each installment's fee the payoff still collects.
    public let feesEarnedByInstallment: [Money]
    /// Late fees charged and not yet paid.
    public let lateFees: Money
    /// Scheduled fees and interest not yet earned and not paid, waived by the payoff.
    public let rebate: Money
    /// Fees and interest paid ahead and not earned by `date`: returned to the shopper by the payoff.
    public let feesReturned: Money
    /// `feesReturned` by installment, in schedule order.
    public let feesReturnedByInstallment: [Money]
    /// What the shopper pays today to close the plan.
    public let amount: Money
    /// What the plan would still cost if paid as scheduled: principal, every unpaid fee, and late fees.
    public let remainingScheduled: Money
}

/// Why a payoff quote could not be made.
public enum PayoffError: Error, Equatable, Sendable, CustomStringConvertible {
    /// One paid amount per installment is needed.
    case paidCountMismatch(installments: Int, paid: Int)
    /// A paid amount is negative, above its installment's total, or in another currency.
    case paidOutOfRange(installment: Int, paid: Money)
    /// Late fees negative or in another currency.
    case lateFeesOutOfRange(Money)
    /// The payoff day is before the capture, or the capture is not before the first due date.
    case dateBeforeStart(date: LocalDate, start: LocalDate)
    /// The plan is already paid.
    case nothingOwed
    /// A live plan's installments do not form a schedule.
    case schedule(ScheduleError)
    /// A date fell outside the calendar.
    case dateOutOfRange(TimeError)
    case arithmetic(MoneyError)

    public var description: String {
        switch self {
        case let .paidCountMismatch(installments, paid): "\(paid) paid amounts for \(installments) installments"
        case let .paidOutOfRange(installment, paid): "installment \(installment) records \(paid) paid, which does not fit it"
        case .lateFeesOutOfRange(let fees): "late fees of \(fees) do not fit the plan"
        case let .dateBeforeStart(date, start): "\(date) is before the plan started on \(start)"
        case .nothingOwed: "the plan is paid; there is nothing to pay off"
        case .schedule(let error): "the plan's installments do not form a schedule: \(error)"
        case .dateOutOfRange(let error): "a date is out of range: \(error)"
        case .arithmetic(let error): "the payoff's arithmetic failed: \(error)"
        }
    }
}

/// What has been paid toward one installment, by part.
public struct InstallmentPaid: Hashable, Sendable {
    public let principal: Money
    public let fee: Money

    public init(principal: Money, fee: Money) {
        self.principal = principal
        self.fee = fee
    }
}

extension PayoffQuote {
    /// The payoff of `schedule` (captured on `start`) on `date`, when `paid[i]` was paid toward installment i+1
    /// and `lateFees` are charged and unpaid, under `rule`.
    /// - Throws: `PayoffError` for inconsistent inputs or a plan already paid.
    public init(
        schedule: InstallmentSchedule, start: LocalDate, paid: [Money], lateFees: Money, date: LocalDate, rule: RebateRule
    ) throws(PayoffError) {
        try Self.checkPaid(schedule, paid)
        // A payment toward an installment pays its fee first.
        let parts = zip(schedule.installments, paid).map { installment, amount in
            let fee = min(amount.minorUnits, installment.fee.minorUnits)
            return InstallmentPaid(
                principal: Money(minorUnits: amount.minorUnits - fee, currency: amount.currency),
                fee: Money(minorUnits: fee, currency: amount.currency))
        }
        try self.init(schedule: schedule, start: start, paid: parts, lateFees: lateFees, date: date, rule: rule)
    }

    /// The payoff when the principal and the fee paid toward each installment are known apart, as a live plan
    /// records them.
    /// - Throws: `PayoffError` for inconsistent inputs or a plan already paid.
    public init(
        schedule: InstallmentSchedule, start: LocalDate, paid: [InstallmentPaid], lateFees: Money, date: LocalDate,
        rule: RebateRule
    ) throws(PayoffError) {
        let currency = schedule.principal.currency
        try Self.check(schedule, start: start, paid: paid, lateFees: lateFees, date: date)
        var principal: Int64 = 0
        var unpaidFees: Int64 = 0
        var earned: Int64 = 0
        var returned: Int64 = 0
        var feesDue: [Money] = []
        var feesBack: [Money] = []
        let current = schedule.installments.firstIndex { $0.dueDate > date }
        for (index, installment) in schedule.installments.enumerated() {
            let feePaid = paid[index].fee.minorUnits
            principal += installment.principal.minorUnits - paid[index].principal.minorUnits
            unpaidFees += installment.fee.minorUnits - feePaid
            let earnedFee = try Self.earned(schedule, index, current: current, start: start, date: date, rule: rule)
            assert((0...installment.fee.minorUnits).contains(earnedFee), "earned fees are within the scheduled fee")
            let due = max(0, earnedFee - feePaid)
            let back = max(0, feePaid - earnedFee)
            earned += due
            returned += back
            feesDue.append(Money(minorUnits: due, currency: currency))
            feesBack.append(Money(minorUnits: back, currency: currency))
        }
        guard principal + unpaidFees + lateFees.minorUnits > 0 else { throw .nothingOwed }
        func money(_ minorUnits: Int64) -> Money { Money(minorUnits: minorUnits, currency: currency) }
        self.date = date
        outstandingPrincipal = money(principal)
        feesEarned = money(earned)
        feesEarnedByInstallment = feesDue
        self.lateFees = lateFees
        rebate = money(unpaidFees - earned)
        feesReturned = money(returned)
        feesReturnedByInstallment = feesBack
        amount = money(principal + earned + lateFees.minorUnits)
        remainingScheduled = money(principal + unpaidFees + lateFees.minorUnits)
        assert(rebate.minorUnits >= 0 && amount.minorUnits <= remainingScheduled.minorUnits, "a payoff never costs more")
    }

    /// The fee of installment `index` earned by `date` under `rule`.
    private static func earned(
        _ schedule: InstallmentSchedule, _ index: Int, current: Int?, start: LocalDate, date: LocalDate, rule: RebateRule
    ) throws(PayoffError) -> Int64 {
        let installment = schedule.installments[index]
        if installment.dueDate <= date { return installment.fee.minorUnits }
        let periodStart = index == 0 ? start : schedule.installments[index - 1].dueDate
        let isCurrent = index == current && date > periodStart
        switch rule {
        case .none: return installment.fee.minorUnits
        case .unearnedFees: return isCurrent ? installment.fee.minorUnits : 0
        case .actuarialInterest(let monthlyRate):
            guard isCurrent else { return 0 }
            let balance = schedule.installments[index...].reduce(Int64(0)) { $0 + $1.principal.minorUnits }
            let accrued = try accruedInterest(balance, monthlyRate: monthlyRate, days: periodStart.days(until: date))
            return min(accrued, installment.fee.minorUnits)
        }
    }

    /// round_half_even(balance × monthlyRate × 12 × days / 365), exact in 128 bits.
    static func accruedInterest(_ balance: Int64, monthlyRate: Rational, days: Int) throws(PayoffError) -> Int64 {
        let numerator = Int128(balance) * Int128(monthlyRate.numerator) * 12 * Int128(days)
        let denominator = Int128(monthlyRate.denominator) * 365
        do { return try divide(numerator, by: denominator, rounding: .halfEven) } catch { throw .arithmetic(error) }
    }

    private static func checkPaid(_ schedule: InstallmentSchedule, _ paid: [Money]) throws(PayoffError) {
        let currency = schedule.principal.currency
        guard paid.count == schedule.installments.count else {
            throw .paidCountMismatch(installments: schedule.installments.count, paid: paid.count)
        }
        for (installment, amount) in zip(schedule.installments, paid) {
            guard amount.currency == currency, !amount.isNegative, amount.minorUnits <= installment.total.minorUnits else {
                throw .paidOutOfRange(installment: installment.number, paid: amount)
            }
        }
    }

    private static func check(
        _ schedule: InstallmentSchedule, start: LocalDate, paid: [InstallmentPaid], lateFees: Money, date: LocalDate
    ) throws(PayoffError) {
        let currency = schedule.principal.currency
        guard paid.count == schedule.installments.count else {
            throw .paidCountMismatch(installments: schedule.installments.count, paid: paid.count)
        }
        for (installment, part) in zip(schedule.installments, paid) {
            let fits =
                part.principal.currency == currency && part.fee.currency == currency
                && (0...installment.principal.minorUnits).contains(part.principal.minorUnits)
                && (0...installment.fee.minorUnits).contains(part.fee.minorUnits)
            guard fits else {
                let total = Money(minorUnits: part.principal.minorUnits + part.fee.minorUnits, currency: part.principal.currency)
                throw .paidOutOfRange(installment: installment.number, paid: total)
            }
        }
        guard lateFees.currency == currency, !lateFees.isNegative, lateFees.minorUnits <= ScheduleGenerator.principalMinorUnitsMaximum else {
            throw .lateFeesOutOfRange(lateFees)
        }
        guard start <= date, start < schedule.installments[0].dueDate else { throw .dateBeforeStart(date: date, start: start) }
    }
}
