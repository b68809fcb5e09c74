public import PaylaterMoney
public import PaylaterTime

/// Why a due date could not be extended; each case names the rule that refused it.
public enum DueDateExtensionError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The policy's maximum is outside `DueDateExtension.maximumDaysAllowed`.
    case maximumDaysOutOfRange(Int, allowed: ClosedRange<Int>)
    /// The extension fee is negative.
    case negativeFee(Money)
    /// The fee is in another currency than the schedule.
    case currencyMismatch(found: Currency, expected: Currency)
    /// The plan has already used its one extension.
    case alreadyExtended
    /// The requested number of days is zero, negative, or above the policy's maximum.
    case daysOutOfRange(Int, allowed: ClosedRange<Int>)
    /// The schedule has no installment with this number.
    case noSuchInstallment(Int)
    /// The installment's principal and fee are paid (or refunded): there is no payment left to postpone.
    case nothingDue(installment: Int)
    /// The new due date would be on or after the next installment's due date.
    case reachesNextInstallment(newDueDate: LocalDate, nextDueDate: LocalDate)
    /// The new due date would be before today.
    case newDueDateInPast(newDueDate: LocalDate, today: LocalDate)
    /// The new due date is outside the calendar's supported years.
    case dateOutOfRange(TimeError)
    /// The moved installment no longer forms a valid schedule (never happens after the checks above).
    case schedule(ScheduleError)

    public var description: String {
        switch self {
        case let .maximumDaysOutOfRange(days, allowed):
            "an extension of up to \(days) days is outside \(allowed.lowerBound)...\(allowed.upperBound)"
        case .negativeFee(let fee):
            "the extension fee is \(fee); it must not be negative"
        case let .currencyMismatch(found, expected):
            "the extension fee is in \(found.code), but the schedule is in \(expected.code)"
        case .alreadyExtended:
            "this plan has already used its one due date extension"
        case let .daysOutOfRange(days, allowed):
            "an extension of \(days) days is outside \(allowed.lowerBound)...\(allowed.upperBound)"
        case .noSuchInstallment(let number):
            "the schedule has no installment \(number)"
        case .nothingDue(let number):
            "installment \(number) has nothing left to pay (it is paid or refunded), so there is no due date to move"
        case let .reachesNextInstallment(newDueDate, nextDueDate):
            "the new due date \(newDueDate) is not before the next installment's due date \(nextDueDate)"
        case let .newDueDateInPast(newDueDate, today):
            "the new due date \(newDueDate) is before today, \(today)"
        case .dateOutOfRange(let error):
            "the new due date is out of range: \(error)"
        case .schedule(let error):
            "the extended schedule is invalid: \(error)"
        }
    }
}

/// A product's due date extension: once per plan, one installment moves later by up to `maximumDays` days, for a
/// fee that may be zero (Klarna: about 10 days, once per order).
public struct DueDateExtension: Hashable, Sendable {
    /// The default longest extension, in days.
    public static let defaultMaximumDays = 10
    /// The range a policy's maximum may take.
    public static let maximumDaysAllowed = 1...60

    /// The longest extension allowed, in days.
    public let maximumDays: Int
    /// What an extension costs; zero when it is free.
    public let fee: Money

    /// Checks and makes a policy.
    /// - Throws: `.maximumDaysOutOfRange` or `.negativeFee`.
    public init(maximumDays: Int = defaultMaximumDays, fee: Money) throws(DueDateExtensionError) {
        guard Self.maximumDaysAllowed.contains(maximumDays) else {
            throw .maximumDaysOutOfRange(maximumDays, allowed: Self.maximumDaysAllowed)
        }
        guard !fee.isNegative else { throw .negativeFee(fee) }
        self.maximumDays = maximumDays
        self.fee = fee
    }

    /// Moves installment `number` later by `days` days and returns the new schedule with the fee to charge.
    ///
    /// Amounts are unchanged; only that installment's due date moves. It must stay strictly before the next
    /// installment's due date and must not be before `today`.
    /// - Throws: `.alreadyExtended`, `.daysOutOfRange`, `.noSuchInstallment`, `.currencyMismatch`,
    ///   `.reachesNextInstallment`, `.newDueDateInPast`, or `.dateOutOfRange`.
    public func extend(
        _ schedule: InstallmentSchedule, installment number: Int, by days: Int, alreadyExtended: Bool,
        today: LocalDate
    ) throws(DueDateExtensionError) -> (schedule: InstallmentSchedule, fee: Money) {
        guard !alreadyExtended else { throw .alreadyExtended }
        guard (1...maximumDays).contains(days) else { throw .daysOutOfRange(days, allowed: 1...maximumDays) }
        guard fee.currency == schedule.principal.currency else {
            throw .currencyMismatch(found: fee.currency, expected: schedule.principal.currency)
        }
        var installments = schedule.installments
        guard let index = installments.firstIndex(where: { $0.number == number }) else {
            throw .noSuchInstallment(number)
        }
        let moved = installments[index]
        let newDueDate: LocalDate
        do { newDueDate = try moved.dueDate.adding(days: days) } catch { throw .dateOutOfRange(error) }
        if index + 1 < installments.count, newDueDate >= installments[index + 1].dueDate {
            throw .reachesNextInstallment(newDueDate: newDueDate, nextDueDate: installments[index + 1].dueDate)
        }
        guard newDueDate >= today else { throw .newDueDateInPast(newDueDate: newDueDate, today: today) }
        do {
            installments[index] = try Installment(
                number: moved.number, dueDate: newDueDate, principal: moved.principal, fee: moved.fee)
            return (try InstallmentSchedule(installments: installments), fee)
        } catch {
            throw .schedule(error)
        }
    }
}
