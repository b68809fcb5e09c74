public import PaylaterMoney
public import PaylaterTime

/// The money a credit agreement moves: advances to the consumer and payments back to the creditor, each on a date,
/// all in one currency. Every cost the consumer pays (interest and fees) is part of some payment.
public struct CashFlowSchedule: Sendable {
    /// The most cash flows (advances plus payments) one schedule may hold.
    public static let cashFlowsMaximum = 10_000

    /// The currency of every amount.
    public let currency: Currency
    /// Money given to the consumer, in date order.
    public let advances: [(date: LocalDate, amount: Money)]
    /// Money paid back, in date order.
    public let payments: [(date: LocalDate, amount: Money)]

    /// Checks the schedule and sorts each list by date.
    /// - Throws: `CashFlowScheduleError` naming the first problem: no advances or payments, too many flows, an
    ///   amount that is not positive or not in `currency`, or a payment before the first advance.
    public init(
        currency: Currency, advances: [(LocalDate, Money)], payments: [(LocalDate, Money)]
    ) throws(CashFlowScheduleError) {
        guard !advances.isEmpty else { throw .noAdvances }
        guard !payments.isEmpty else { throw .noPayments }
        guard advances.count + payments.count <= Self.cashFlowsMaximum else {
            throw .tooManyCashFlows(count: advances.count + payments.count, maximum: Self.cashFlowsMaximum)
        }
        try Self.check(advances, .advance, currency)
        try Self.check(payments, .payment, currency)
        let sortedAdvances = advances.sorted { $0.0 < $1.0 }.map { (date: $0.0, amount: $0.1) }
        let sortedPayments = payments.sorted { $0.0 < $1.0 }.map { (date: $0.0, amount: $0.1) }
        let firstAdvance = sortedAdvances[0].date
        if let early = payments.firstIndex(where: { $0.0 < firstAdvance }) {
            throw .paymentBeforeFirstAdvance(index: early, date: payments[early].0, firstAdvance: firstAdvance)
        }
        self.currency = currency
        self.advances = sortedAdvances
        self.payments = sortedPayments
    }

    /// The date the term begins: the first advance.
    public var start: LocalDate { advances[0].date }

    /// The sum of the advances, in minor units (at most 10,000 amounts of at most `Int64.max`, so `Int128` holds it).
    public var advancedMinorUnits: Int128 { advances.reduce(0) { $0 + Int128($1.amount.minorUnits) } }

    /// The sum of the payments, in minor units.
    public var paidMinorUnits: Int128 { payments.reduce(0) { $0 + Int128($1.amount.minorUnits) } }

    private static func check(
        _ flows: [(LocalDate, Money)], _ kind: CashFlowScheduleError.Kind, _ currency: Currency
    ) throws(CashFlowScheduleError) {
        for (index, flow) in flows.enumerated() {
            guard flow.1.currency == currency else {
                throw .currencyMismatch(kind, index: index, found: flow.1.currency, expected: currency)
            }
            guard flow.1.isPositive else { throw .nonPositiveAmount(kind, index: index, amount: flow.1) }
        }
    }
}

/// Why a cash-flow schedule was rejected. Indexes count from 0 in the order the flows were given.
public enum CashFlowScheduleError: Error, Equatable, Sendable, CustomStringConvertible {
    /// Which list a flow belongs to.
    public enum Kind: String, Sendable {
        case advance = "advances"
        case payment = "payments"
    }

    /// The schedule has no advance, so there is no credit to price.
    case noAdvances
    /// The schedule has no payment, so the credit is never repaid.
    case noPayments
    /// More flows than `CashFlowSchedule.cashFlowsMaximum`.
    case tooManyCashFlows(count: Int, maximum: Int)
    /// An amount is zero or negative.
    case nonPositiveAmount(Kind, index: Int, amount: Money)
    /// An amount is in another currency than the schedule's.
    case currencyMismatch(Kind, index: Int, found: Currency, expected: Currency)
    /// A payment falls before the first advance.
    case paymentBeforeFirstAdvance(index: Int, date: LocalDate, firstAdvance: LocalDate)

    public var description: String {
        switch self {
        case .noAdvances: "the schedule has no advances; give at least one"
        case .noPayments: "the schedule has no payments; give at least one"
        case let .tooManyCashFlows(count, maximum): "the schedule has \(count) cash flows; at most \(maximum) are allowed"
        case let .nonPositiveAmount(kind, index, amount):
            "\(kind.rawValue)[\(index)].amount is \(amount.decimalString); every amount must be above zero"
        case let .currencyMismatch(kind, index, found, expected):
            "\(kind.rawValue)[\(index)].amount is in \(found.code), but the schedule is in \(expected.code)"
        case let .paymentBeforeFirstAdvance(index, date, firstAdvance):
            "payments[\(index)].date \(date) is before the first advance on \(firstAdvance)"
        }
    }
}
