public import PaylaterMoney
public import PaylaterTime

/// One payment of a schedule: the principal it repays and the fee (service fee or interest) it carries.
public struct Installment: Hashable, Sendable {
    /// The position in the schedule, from 1.
    public let number: Int
    /// The day the payment is due.
    public let dueDate: LocalDate
    /// The part of the principal this payment repays.
    public let principal: Money
    /// The installment service fee or the interest this payment carries.
    public let fee: Money
    /// `principal + fee`: what the consumer pays on `dueDate`.
    public let total: Money

    /// Makes an installment; the total is computed, never given.
    /// - Throws: `.negativeAmount` for a negative part, `.currencyMismatch` when principal and fee differ in
    ///   currency, `.arithmetic` when the total overflows.
    public init(number: Int, dueDate: LocalDate, principal: Money, fee: Money) throws(ScheduleError) {
        guard principal.currency == fee.currency else {
            throw .currencyMismatch(installment: number, found: fee.currency, expected: principal.currency)
        }
        guard !principal.isNegative else { throw .negativeAmount(installment: number, amount: principal) }
        guard !fee.isNegative else { throw .negativeAmount(installment: number, amount: fee) }
        do { total = try principal + fee } catch { throw .arithmetic(error) }
        self.number = number
        self.dueDate = dueDate
        self.principal = principal
        self.fee = fee
    }
}

/// A complete repayment plan: installments numbered from 1 with strictly increasing due dates, whose principals add
/// up exactly to `principal` and whose totals add up exactly to `principal + totalFees`.
public struct InstallmentSchedule: Hashable, Sendable {
    /// The most installments a schedule may hold.
    public static let installmentsMaximum = 120

    /// The installments in due-date order.
    public let installments: [Installment]
    /// The sum of the installments' principals: the amount financed.
    public let principal: Money
    /// The sum of the installments' fees.
    public let totalFees: Money
    /// The sum of the installments' totals: `principal + totalFees`.
    public let total: Money

    /// Checks the installments and sums them.
    /// - Throws: `.installmentCountOutOfRange`, `.misnumbered`, `.currencyMismatch`, `.dueDatesNotIncreasing`, or
    ///   `.arithmetic` when a sum overflows.
    public init(installments: [Installment]) throws(ScheduleError) {
        let allowed = 1...Self.installmentsMaximum
        guard allowed.contains(installments.count) else {
            throw .installmentCountOutOfRange(installments.count, allowed: allowed)
        }
        try Self.checkOrder(installments)
        let currency = installments[0].principal.currency
        do {
            principal = try Money.sum(of: installments.map(\.principal), currency: currency)
            totalFees = try Money.sum(of: installments.map(\.fee), currency: currency)
            total = try Money.sum(of: installments.map(\.total), currency: currency)
            let expectedTotal = try principal + totalFees
            assert(total == expectedTotal, "installment totals must add up to principal + fees")
        } catch {
            throw .arithmetic(error)
        }
        self.installments = installments
    }

    /// Numbers run 1, 2, 3 …, every amount is in the first installment's currency, due dates strictly increase.
    private static func checkOrder(_ installments: [Installment]) throws(ScheduleError) {
        let currency = installments[0].principal.currency
        for (position, installment) in installments.enumerated() {
            guard installment.number == position + 1 else {
                throw .misnumbered(position: position, number: installment.number)
            }
            guard installment.principal.currency == currency else {
                throw .currencyMismatch(
                    installment: installment.number, found: installment.principal.currency, expected: currency)
            }
            if position > 0, installment.dueDate <= installments[position - 1].dueDate {
                throw .dueDatesNotIncreasing(
                    installment: installment.number, dueDate: installment.dueDate,
                    previous: installments[position - 1].dueDate)
            }
        }
    }
}
