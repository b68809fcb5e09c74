import PaylaterMoney
import PaylaterTime

extension ScheduleGenerator {
    /// Throws the first problem with the inputs, in the order: principal, then the terms' own settings.
    static func validate(_ terms: ScheduleTerms, principal: Money, start: LocalDate) throws(ScheduleError) {
        guard principal.isPositive else { throw .nonPositivePrincipal(principal) }
        guard principal.minorUnits <= principalMinorUnitsMaximum else {
            throw .principalTooLarge(principal, maximumMinorUnits: principalMinorUnitsMaximum)
        }
        switch terms {
        case .tryThenPay(let days):
            let allowed = ScheduleTerms.tryThenPayDueAfterDaysAllowed
            guard allowed.contains(days) else { throw .dueAfterDaysOutOfRange(days, allowed: allowed) }
        case .payIn4(let interval):
            let allowed = ScheduleTerms.payIn4IntervalDaysAllowed
            guard allowed.contains(interval) else { throw .intervalDaysOutOfRange(interval, allowed: allowed) }
        case let .monthlySplit(months, rate, firstDueDate):
            let offered = ScheduleTerms.monthlySplitMonthsOffered
            guard offered.contains(months) else { throw .monthsNotOffered(months, offered: offered) }
            try validate(rate)
            if let firstDueDate, firstDueDate <= start {
                throw .firstDueDateNotAfterStart(firstDueDate: firstDueDate, start: start)
            }
        case let .financingEqualInstallments(months, rate), let .financingEqualPrincipal(months, rate):
            let allowed = ScheduleTerms.financingMonthsAllowed
            guard allowed.contains(months) else { throw .monthsOutOfRange(months, allowed: allowed) }
            try validate(rate)
        }
        let count = terms.installmentCount
        guard principal.minorUnits >= Int64(count) else {
            throw .principalTooSmallToSplit(principal, installments: count)
        }
    }

    private static func validate(_ rate: Rational) throws(ScheduleError) {
        guard !rate.isNegative else { throw .negativeRate(rate) }
        guard rate <= ScheduleTerms.monthlyRateMaximum else {
            throw .rateTooHigh(rate, maximum: ScheduleTerms.monthlyRateMaximum)
        }
    }
}
