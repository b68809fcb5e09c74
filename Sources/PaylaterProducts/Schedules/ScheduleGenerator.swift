public import PaylaterMoney
public import PaylaterTime

/// Builds the installment schedule of a product from its terms, the amount financed and the start date.
public enum ScheduleGenerator {
    /// The largest principal accepted, in minor units (10^13: 100 billion units of a two-decimal currency); keeps
    /// every amount exact in `Double` for the annuity payment and every sum far from `Int64` overflow.
    public static let principalMinorUnitsMaximum: Int64 = 10_000_000_000_000

    /// The schedule for `terms`; `remainder` says which installments receive the leftover minor units of an equal
    /// split (`.first`: 100.01 in 4 is 25.01, 25.00, 25.00, 25.00).
    ///
    /// What `start` means depends on the terms; see `ScheduleTerms`.
    /// - Throws: `ScheduleError` naming the first bad input: a principal that is not positive, too large or too
    ///   small to split, a term or interval outside its range, a rate that is negative or too high, or a due date
    ///   outside the calendar.
    public static func schedule(
        for terms: ScheduleTerms, principal: Money, start: LocalDate, remainder: RemainderPlacement
    ) throws(ScheduleError) -> InstallmentSchedule {
        try validate(terms, principal: principal, start: start)
        let parts: [Part]
        switch terms {
        case .tryThenPay(let days):
            parts = [Part(principal: principal, fee: .zero(principal.currency))]
            return try assemble(parts, dueDates: [date(start, days: days)], principal: principal)
        case .payIn4(let interval):
            parts = try equalParts(principal, count: 4, remainder: remainder)
            let dates = try (0..<4).map { (index) throws(ScheduleError) in try date(start, days: index * interval) }
            return try assemble(parts, dueDates: dates, principal: principal)
        case let .monthlySplit(months, rate, firstDueDate):
            parts = try splitWithFlatFee(principal, months: months, rate: rate, remainder: remainder)
            let dates = try monthlyDates(anchor: firstDueDate ?? start, count: months, firstOffset: firstDueDate == nil ? 1 : 0)
            return try assemble(parts, dueDates: dates, principal: principal)
        case let .financingEqualInstallments(months, rate):
            parts = try Amortization.equalInstallments(principal, months: months, rate: rate, remainder: remainder)
            return try assemble(parts, dueDates: monthlyDates(anchor: start, count: months), principal: principal)
        case let .financingEqualPrincipal(months, rate):
            parts = try Amortization.equalPrincipal(principal, months: months, rate: rate, remainder: remainder)
            return try assemble(parts, dueDates: monthlyDates(anchor: start, count: months), principal: principal)
        }
    }

    /// Numbers the parts, dates them, and checks the money law: the principals add up to the amount financed.
    private static func assemble(_ parts: [Part], dueDates: [LocalDate], principal: Money) throws(ScheduleError)
        -> InstallmentSchedule
    {
        assert(parts.count == dueDates.count, "one due date per part")
        var installments: [Installment] = []
        installments.reserveCapacity(parts.count)
        for (index, part) in parts.enumerated() {
            installments.append(
                try Installment(number: index + 1, dueDate: dueDates[index], principal: part.principal, fee: part.fee))
        }
        let schedule = try InstallmentSchedule(installments: installments)
        assert(schedule.principal == principal, "installment principals must add up to the principal")
        return schedule
    }

    /// Equal principal parts plus the same fee each month: principal × rate, rounded half-even.
    private static func splitWithFlatFee(
        _ principal: Money, months: Int, rate: Rational, remainder: RemainderPlacement
    ) throws(ScheduleError) -> [Part] {
        let fee: Money
        do { fee = try principal.multiplied(by: rate, rounding: .halfEven) } catch { throw .arithmetic(error) }
        return try equalParts(principal, count: months, remainder: remainder).map { Part(principal: $0.principal, fee: fee) }
    }

    /// The principal split into `count` parts that differ by at most one minor unit, with no fee.
    static func equalParts(_ principal: Money, count: Int, remainder: RemainderPlacement) throws(ScheduleError)
        -> [Part]
    {
        let shares: [Money]
        do { shares = try principal.allocate(into: count, remainder: remainder) } catch { throw .arithmetic(error) }
        return shares.map { Part(principal: $0, fee: .zero(principal.currency)) }
    }

    /// `count` dates, the k-th (from 0) at `anchor + (k + firstOffset)` months, each computed from the anchor so that
    /// month-end clamping never accumulates (Jan 31 → Feb 29 → Mar 31).
    private static func monthlyDates(anchor: LocalDate, count: Int, firstOffset: Int = 1) throws(ScheduleError)
        -> [LocalDate]
    {
        var dates: [LocalDate] = []
        dates.reserveCapacity(count)
        for index in 0..<count {
            do { dates.append(try anchor.adding(months: index + firstOffset)) } catch { throw .dateOutOfRange(error) }
        }
        return dates
    }

    private static func date(_ start: LocalDate, days: Int) throws(ScheduleError) -> LocalDate {
        do { return try start.adding(days: days) } catch { throw .dateOutOfRange(error) }
    }
}

/// One installment's money before it is numbered and dated.
struct Part: Hashable, Sendable {
    var principal: Money
    var fee: Money
}
