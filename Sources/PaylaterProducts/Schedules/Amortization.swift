import Foundation
import PaylaterMoney

/// Loan amortisation tables in whole minor units: interest on the declining balance, rounded half-even each month.
enum Amortization {
    /// Equal payments (an annuity): each month's interest is round_half_even(balance × rate), its principal is the
    /// payment less that interest, and the last installment repays whatever balance is left so that it ends at
    /// exactly zero. A zero rate is an equal split of the principal.
    ///
    /// If rounding would repay the balance before the last month (only for tiny principals), the principal part is
    /// capped at the balance, so no part is ever negative.
    static func equalInstallments(
        _ principal: Money, months: Int, rate: Rational, remainder: RemainderPlacement
    ) throws(ScheduleError) -> [Part] {
        if rate.isZero { return try ScheduleGenerator.equalParts(principal, count: months, remainder: remainder) }
        let payment = annuityPaymentMinorUnits(principal.minorUnits, rate: rate, months: months)
        var balance = principal.minorUnits
        var parts: [Part] = []
        parts.reserveCapacity(months)
        for month in 1...months {
            let interest = try interestMinorUnits(on: balance, rate: rate)
            let repaid = month == months ? balance : min(max(payment - interest, 0), balance)
            balance -= repaid
            parts.append(part(repaid, interest, principal.currency))
        }
        assert(balance == 0, "the last installment repays the balance")
        return parts
    }

    /// Equal principal parts (leftover minor units placed by `remainder`) plus interest on the balance before each
    /// payment, rounded half-even.
    static func equalPrincipal(
        _ principal: Money, months: Int, rate: Rational, remainder: RemainderPlacement
    ) throws(ScheduleError) -> [Part] {
        let shares = try ScheduleGenerator.equalParts(principal, count: months, remainder: remainder)
        var balance = principal.minorUnits
        var parts: [Part] = []
        parts.reserveCapacity(months)
        for share in shares {
            let interest = try interestMinorUnits(on: balance, rate: rate)
            balance -= share.principal.minorUnits
            parts.append(part(share.principal.minorUnits, interest, principal.currency))
        }
        assert(balance == 0, "equal parts repay the whole principal")
        return parts
    }

    /// The annuity payment P·r·(1+r)^n / ((1+r)^n − 1) in minor units, rounded half-even once.
    ///
    /// Computed in `Double` with the same operations, in the same order, as `numpy_financial.pmt` (which the
    /// fixture generator `tools/schedule_fixtures.py` uses), so the two agree bit for bit: with P ≤ 10^13 minor
    /// units and r ≤ 10%, the result is within a few ulps of the exact value, far below the half-unit rounding
    /// step. Everything after this single rounding is exact integer arithmetic.
    static func annuityPaymentMinorUnits(_ principalMinorUnits: Int64, rate: Rational, months: Int) -> Int64 {
        let periodicRate = Double(rate.numerator) / Double(rate.denominator)
        let growth = pow(1 + periodicRate, Double(months))
        let factor = (growth - 1) / periodicRate
        let payment = (Double(principalMinorUnits) * growth) / factor
        return Int64(payment.rounded(.toNearestOrEven))
    }

    private static func interestMinorUnits(on balance: Int64, rate: Rational) throws(ScheduleError) -> Int64 {
        do { return try rate.applied(to: balance, rounding: .halfEven) } catch { throw .arithmetic(error) }
    }

    private static func part(_ principal: Int64, _ interest: Int64, _ currency: Currency) -> Part {
        Part(principal: Money(minorUnits: principal, currency: currency), fee: Money(minorUnits: interest, currency: currency))
    }
}
