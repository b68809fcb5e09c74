public import PaylaterMoney
public import PaylaterTime

/// The shape of a product's repayment plan: one case per product, each carrying the settings that product needs.
///
/// What `start` means in `ScheduleGenerator.schedule(for:principal:start:remainder:)` depends on the case, and is
/// written on each one.
public enum ScheduleTerms: Hashable, Sendable {
    /// Pay in one go, `dueAfterDays` days after `start` (the delivery confirmation); no fee.
    case tryThenPay(dueAfterDays: Int)
    /// Four equal parts: the first due at `start` (the down payment at capture), then one every `intervalDays`
    /// days; no fee.
    case payIn4(intervalDays: Int = 14)
    /// The principal split equally over `months` (3, 6 or 12) with a fee each month of principal × `monthlyFeeRate`
    /// (rounded half-even). `start` is the statement due date; the first part is due one month later, or on
    /// `firstDueDate` when one is given (it must be after `start`), then monthly from that date.
    case monthlySplit(months: Int, monthlyFeeRate: Rational, firstDueDate: LocalDate? = nil)
    /// A loan over `months` (3...36) repaid by equal payments (an annuity) at `monthlyRate` on the declining
    /// balance; the first payment is due one month after `start` (the disbursement). A zero rate splits the
    /// principal equally.
    case financingEqualInstallments(months: Int, monthlyRate: Rational)
    /// A loan over `months` (3...36) repaid by equal parts of principal plus interest at `monthlyRate` on the
    /// declining balance; the first payment is due one month after `start`.
    case financingEqualPrincipal(months: Int, monthlyRate: Rational)
}

extension ScheduleTerms {
    /// The number of days a try-then-pay order may stay unpaid after delivery.
    public static let tryThenPayDueAfterDaysAllowed: ClosedRange<Int> = 1...180
    /// The number of days between pay-in-4 installments.
    public static let payIn4IntervalDaysAllowed: ClosedRange<Int> = 1...31
    /// The number of months a monthly split may run.
    public static let monthlySplitMonthsOffered: [Int] = [3, 6, 12]
    /// The number of months a financing loan may run.
    public static let financingMonthsAllowed: ClosedRange<Int> = 3...36
    /// The highest monthly fee or interest rate accepted: 10% a month. Keeps every product exact in 64 bits and the
    /// annuity payment well inside `Double` precision.
    public static let monthlyRateMaximum: Rational = {
        do { return try Rational(1, 10) } catch { preconditionFailure("1/10 is a valid fraction") }
    }()

    /// The number of installments the terms produce.
    public var installmentCount: Int {
        switch self {
        case .tryThenPay: 1
        case .payIn4: 4
        case .monthlySplit(let months, _, _),
            .financingEqualInstallments(let months, _),
            .financingEqualPrincipal(let months, _):
            months
        }
    }
}

