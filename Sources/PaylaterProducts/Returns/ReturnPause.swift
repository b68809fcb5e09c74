public import PaylaterTime

/// Why a return pause cannot be made.
public enum ReturnPauseError: Error, Equatable, Sendable, CustomStringConvertible {
    case daysOutOfRange(Int, allowed: ClosedRange<Int>)
    case endsBeforeReport(end: LocalDate, reported: LocalDate)
    case dateOutOfRange

    public var description: String {
        switch self {
        case let .daysOutOfRange(days, allowed):
            "a return pause lasts \(allowed.lowerBound) to \(allowed.upperBound) days, not \(days)"
        case let .endsBeforeReport(end, reported): "a pause cannot end on \(end), before the return was reported on \(reported)"
        case .dateOutOfRange: "the pause's dates are outside the supported calendar"
        }
    }
}

/// A shopper reported a return: the plan's due dates pause until a week after the merchant refunds or until the
/// pause runs out, with no late fees meanwhile (Klarna pauses an invoice about 28 days for a return).
///
/// The pause covers the days from the report up to, not including, its end. An installment that falls due inside
/// it becomes due on the day it ends; an installment already overdue when the return was reported keeps its due
/// date but accrues no late fees while the pause lasts, and the days of the pause count toward neither its grace
/// period nor the delay of a follow-up fee.
public struct ReturnPause: Hashable, Sendable {
    /// The longest pause a product may set.
    public static let daysAllowed = 1...60
    /// The pause when the product says nothing else.
    public static let defaultDays = 28

    public let reportedOn: LocalDate
    /// The first day no longer paused.
    public let endsOn: LocalDate

    /// A pause of `days` starting on the day the return was reported.
    public init(reportedOn: LocalDate, days: Int = ReturnPause.defaultDays) throws(ReturnPauseError) {
        guard Self.daysAllowed.contains(days) else { throw .daysOutOfRange(days, allowed: Self.daysAllowed) }
        do { endsOn = try reportedOn.adding(days: days) } catch { throw .dateOutOfRange }
        self.reportedOn = reportedOn
    }

    private init(reportedOn: LocalDate, endsOn: LocalDate) {
        self.reportedOn = reportedOn
        self.endsOn = endsOn
    }

    /// The pause after the merchant refunded on `date`: it ends `PaymentNotice.days` later, or keeps its end if
    /// that comes first. A partial refund settles the return; what is left of the plan is then owed again, but the
    /// shopper learns of it on the day of the refund, so the installments the pause moved fall due a week later, not
    /// that day (r6-journey: they were overdue, and the line frozen, the night of the refund).
    public func endedByRefund(on date: LocalDate) throws(ReturnPauseError) -> ReturnPause {
        guard date >= reportedOn else { throw .endsBeforeReport(end: date, reported: reportedOn) }
        let notice: LocalDate
        do { notice = try date.adding(days: PaymentNotice.days) } catch { throw .dateOutOfRange }
        return ReturnPause(reportedOn: reportedOn, endsOn: min(endsOn, notice))
    }

    /// Whether `date` falls inside the pause.
    public func isActive(on date: LocalDate) -> Bool { reportedOn <= date && date < endsOn }

    /// When an installment originally due on `dueDate` is due, given the pause.
    public func effectiveDueDate(for dueDate: LocalDate) -> LocalDate {
        isActive(on: dueDate) ? endsOn : dueDate
    }

    /// Whether late fees are held back on `date`: on every day of the pause, for every installment of the plan.
    public func suppressesLateFees(on date: LocalDate) -> Bool { isActive(on: date) }

    /// How many of the days from `start` up to, not including, `end` fall inside the pause.
    public func pausedDays(from start: LocalDate, until end: LocalDate) -> Int {
        let first = max(start, reportedOn)
        let last = min(end, endsOn)
        return first < last ? first.days(until: last) : 0
    }
}

extension ReturnPause: Codable {
    private enum CodingKeys: String, CodingKey {
        case reportedOn = "reported_on"
        case endsOn = "ends_on"
    }

    /// Decodes a stored pause, refusing one that ends before it starts.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let reportedOn = try container.decode(LocalDate.self, forKey: .reportedOn)
        let endsOn = try container.decode(LocalDate.self, forKey: .endsOn)
        guard endsOn >= reportedOn else {
            throw DecodingError.dataCorruptedError(
                forKey: .endsOn, in: container, debugDescription: "a pause cannot end before it starts")
        }
        self.init(reportedOn: reportedOn, endsOn: endsOn)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(reportedOn, forKey: .reportedOn)
        try container.encode(endsOn, forKey: .endsOn)
    }
}
