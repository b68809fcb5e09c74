import Foundation
import PaylaterMoney
import PaylaterTime

/// Computes annual percentage rates over all costs of a credit: every fee and all interest are in the payments.
public enum APRCalculator {
    /// The APR of `schedule` by `method`; every rate of the result can be shown (`APRResult.percent`).
    /// - Throws: `APRError` when the payments fall short of the advances, no rate balances them, or the rate is too
    ///   large to show (`.rateTooLarge`: a short, expensive advance compounded to a year).
    public static func apr(_ schedule: CashFlowSchedule, method: APRMethod) throws(APRError) -> APRResult {
        guard schedule.paidMinorUnits >= schedule.advancedMinorUnits else { throw .paymentsBelowAdvances }
        let result: APRResult
        switch method {
        case .usRegZ: result = try regulationZ(schedule)
        case .eu: result = try europeanUnion(schedule)
        case .cnIRR: result = try chinaIRR(schedule)
        }
        guard result.isDisplayable else { throw .rateTooLarge(periodicRate: result.periodicRate, period: result.period) }
        return result
    }

    /// Appendix J (b)(8): Σ A_k / ((1 + f_k i)(1 + i)^t_k) = Σ P_j / ((1 + f_j i)(1 + i)^t_j), t and f counted back
    /// from each date to the start; APR = i × unit periods per year.
    private static func regulationZ(_ schedule: CashFlowSchedule) throws(APRError) -> APRResult {
        let unit = UnitPeriod.of(schedule)
        let flows = timedFlows(schedule) { date in unit.position(of: date, from: schedule.start) }
        let rate = try RateSolver.solve(flows)
        return APRResult(method: .usRegZ, annualRate: rate * unit.perYear, periodicRate: rate, period: unit, simpleAnnualRate: nil)
    }

    /// Annex I: Σ C_k (1 + X)^(−t_k) = Σ D_l (1 + X)^(−s_l), t in years from the first advance. Day count: whole
    /// months from the first advance (to the same day of a later month, clamped to month ends) count 1/12 of a year
    /// each, the remaining days 1/365 each — the Annex's "12 equal months" and "365 days" conventions.
    private static func europeanUnion(_ schedule: CashFlowSchedule) throws(APRError) -> APRResult {
        let flows = timedFlows(schedule) { date in (EUDayCount.years(from: schedule.start, to: date), 0) }
        let rate = try RateSolver.solve(flows)
        return APRResult(method: .eu, annualRate: rate, periodicRate: rate, period: .months(12), simpleAnnualRate: nil)
    }

    /// PBOC 2021 No. 3: the IRR r per payment period (the unit period, odd days as a fraction of it, discounted
    /// with compound interest), annualised as (1 + r)^w − 1; r × w is reported as the labelled simple rate.
    private static func chinaIRR(_ schedule: CashFlowSchedule) throws(APRError) -> APRResult {
        let unit = UnitPeriod.of(schedule)
        let flows = timedFlows(schedule) { date in
            let position = unit.position(of: date, from: schedule.start)
            return (position.periods + position.fraction, 0)
        }
        let rate = try RateSolver.solve(flows)
        let compound = pow(1 + rate, unit.perYear) - 1
        return APRResult(
            method: .cnIRR, annualRate: compound, periodicRate: rate, period: unit, simpleAnnualRate: rate * unit.perYear)
    }

    /// Advances as positive and payments as negative amounts in major units, each converted from exact minor
    /// units once, placed by `position`.
    private static func timedFlows(
        _ schedule: CashFlowSchedule, _ position: (LocalDate) -> (periods: Double, fraction: Double)
    ) -> [TimedFlow] {
        let scale = Double(schedule.currency.minorUnitsPerMajorUnit)
        func flow(_ date: LocalDate, _ minorUnits: Int64, sign: Double) -> TimedFlow {
            let (periods, fraction) = position(date)
            return TimedFlow(amount: sign * Double(minorUnits) / scale, periods: periods, fraction: fraction)
        }
        return schedule.advances.map { flow($0.date, $0.amount.minorUnits, sign: 1) }
            + schedule.payments.map { flow($0.date, $0.amount.minorUnits, sign: -1) }
    }
}

/// The EU day count: years from the first advance as whole months / 12 plus remaining days / 365.
enum EUDayCount {
    static func years(from start: LocalDate, to date: LocalDate) -> Double {
        var months = max(0, (date.year - start.year) * 12 + (date.month - start.month))
        while months > 0, let moved = try? start.adding(months: months), moved > date { months -= 1 }
        let anchor = (try? start.adding(months: months)) ?? start
        return Double(months) / 12 + Double(anchor.days(until: date)) / 365
    }
}
