public import PaylaterMoney
public import PaylaterTime

/// An installment that is past due, with the late fees it has carried so far.
public struct OverdueInstallment: Hashable, Sendable {
    /// The unpaid installment; its `total` (principal + fee) is the base of any percentage fee.
    public let installment: Installment
    /// How many of the policy's fee stages have already been charged on it (0, 1 or 2).
    public let stagesCharged: Int
    /// The late fees already charged on this installment, counted against the per-installment cap.
    public let lateFeesCharged: Money
    /// The days past due that count toward the grace period and the follow-up delay, when some do not (the days
    /// of a return pause); nil counts every day since the due date.
    public let daysLate: Int?

    /// Describes an overdue installment and the late fees it already carries.
    public init(installment: Installment, stagesCharged: Int = 0, lateFeesCharged: Money? = nil, daysLate: Int? = nil) {
        self.installment = installment
        self.stagesCharged = stagesCharged
        self.lateFeesCharged = lateFeesCharged ?? .zero(installment.principal.currency)
        self.daysLate = daysLate
    }

    /// The days past due on `date` that count toward the policy's delays: `daysLate`, or every day since the due
    /// date.
    public func daysLate(on date: LocalDate) -> Int { daysLate ?? installment.dueDate.days(until: date) }
}

/// Which of a policy's fees a charge is.
public enum LateFeeStage: Int, Hashable, Sendable, Comparable {
    /// The fee after the grace period.
    case first = 1
    /// The follow-up fee some days later.
    case followUp = 2

    public static func < (lhs: LateFeeStage, rhs: LateFeeStage) -> Bool { lhs.rawValue < rhs.rawValue }
}

/// A late fee to charge now on one installment, already reduced to fit every cap.
public struct LateFeeCharge: Hashable, Sendable {
    /// The installment the fee is for.
    public let installmentNumber: Int
    /// Which fee of the policy this is.
    public let stage: LateFeeStage
    /// The amount to charge, above zero.
    public let amount: Money
}

extension LateFeePolicy {
    /// The late fees to charge on `date`, in installment order, so that no cap is exceeded.
    ///
    /// A stage is due once the installment is more than `graceDays` days late (plus `followUp.afterDays` for the
    /// second), counted by `OverdueInstallment.daysLate(on:)`; stages already charged are skipped, and stages that became due together are both charged. Each fee
    /// is cut to what the per-installment cap and the order cap (`orderCap(for:)` minus `alreadyCharged`) leave;
    /// a fee cut to zero is not returned. Percentages apply to the installment's principal + fee only, rounded
    /// half-even.
    /// - Parameters:
    ///   - overdue: the unpaid installments, each at most once.
    ///   - orderAmount: the amount of the order, the base of the percentage order cap.
    ///   - alreadyCharged: all late fees charged on the order so far, on any installment.
    /// - Throws: `.currencyMismatch`, `.negativeAmount`, `.duplicateInstallment`, `.stagesChargedOutOfRange`,
    ///   `.tooManyInstallments`, or `.arithmetic` on overflow.
    public func fees(
        for overdue: [OverdueInstallment], orderAmount: Money, alreadyCharged: Money, on date: LocalDate
    ) throws(LateFeeError) -> [LateFeeCharge] {
        try checkRequest(overdue, orderAmount: orderAmount, alreadyCharged: alreadyCharged)
        var orderRoom: Money?
        if let cap = try orderCap(for: orderAmount) {
            orderRoom = try arithmetic { () throws(MoneyError) in
                try Money.maximum(cap - alreadyCharged, .zero(currency))
            }
        }
        var charges: [LateFeeCharge] = []
        let ordered = overdue.sorted {
            ($0.installment.dueDate, $0.installment.number) < ($1.installment.dueDate, $1.installment.number)
        }
        for item in ordered {
            var installmentRoom = try perInstallmentCap.map { cap throws(LateFeeError) in
                try arithmetic { () throws(MoneyError) in
                    try Money.maximum(cap - item.lateFeesCharged, .zero(currency))
                }
            }
            for stage in dueStages(for: item, on: date) {
                var amount = try fee(stage, on: item.installment)
                try arithmetic { () throws(MoneyError) in
                    if let room = installmentRoom { amount = try Money.minimum(amount, room) }
                    if let room = orderRoom { amount = try Money.minimum(amount, room) }
                    installmentRoom = try installmentRoom.map { room throws(MoneyError) in try room - amount }
                    orderRoom = try orderRoom.map { room throws(MoneyError) in try room - amount }
                }
                assert(!amount.isNegative, "a late fee is never negative")
                if amount.isPositive {
                    charges.append(
                        LateFeeCharge(installmentNumber: item.installment.number, stage: stage, amount: amount))
                }
            }
        }
        return charges
    }

    /// The most late fees the order may carry: the lower of the percentage and the fixed cap, or nil without either.
    /// The percentage is rounded half-even.
    public func orderCap(for orderAmount: Money) throws(LateFeeError) -> Money? {
        try Self.check(orderAmount, "the order amount", currency)
        return try arithmetic { () throws(MoneyError) -> Money? in
            let share = try orderCapPercentage.map { rate throws(MoneyError) in
                try orderAmount.multiplied(by: rate, rounding: .halfEven)
            }
            switch (share, orderCapAmount) {
            case let (share?, fixed?): return try Money.minimum(share, fixed)
            case let (share, fixed): return share ?? fixed
            }
        }
    }

    /// How many stages have come due for an installment `daysPastDue` days past due: a stage is due once it is more
    /// than `graceDays` (+ `followUp.afterDays`) days past due.
    public func stagesDue(daysPastDue: Int) -> Int {
        if let followUp, daysPastDue > graceDays + followUp.afterDays { return 2 }
        return daysPastDue > graceDays ? 1 : 0
    }

    /// The stages not yet charged whose day has come.
    private func dueStages(for item: OverdueInstallment, on date: LocalDate) -> [LateFeeStage] {
        let due = stagesDue(daysPastDue: item.daysLate(on: date))
        return [LateFeeStage.first, .followUp].filter { $0.rawValue <= due && $0.rawValue > item.stagesCharged }
    }

    /// The uncapped fee of `stage`: fixed + percentage × (principal + fee), rounded half-even.
    private func fee(_ stage: LateFeeStage, on installment: Installment) throws(LateFeeError) -> Money {
        let amount = stage == .first ? first : (followUp?.amount ?? first)
        return try arithmetic { () throws(MoneyError) in
            try amount.fixed + installment.total.multiplied(by: amount.percentage, rounding: .halfEven)
        }
    }

    private func checkRequest(
        _ overdue: [OverdueInstallment], orderAmount: Money, alreadyCharged: Money
    ) throws(LateFeeError) {
        guard overdue.count <= InstallmentSchedule.installmentsMaximum else {
            throw .tooManyInstallments(overdue.count, maximum: InstallmentSchedule.installmentsMaximum)
        }
        try Self.check(orderAmount, "the order amount", currency)
        try Self.check(alreadyCharged, "the late fees already charged", currency)
        var seen = Set<Int>()
        for item in overdue {
            let number = item.installment.number
            guard seen.insert(number).inserted else { throw .duplicateInstallment(number: number) }
            try Self.check(item.installment.principal, "installment \(number)", currency)
            try Self.check(item.lateFeesCharged, "the late fees of installment \(number)", currency)
            guard (0...stageCount).contains(item.stagesCharged) else {
                throw .stagesChargedOutOfRange(installment: number, stages: item.stagesCharged, allowed: 0...stageCount)
            }
        }
    }

    private func arithmetic<T>(_ body: () throws(MoneyError) -> T) throws(LateFeeError) -> T {
        do { return try body() } catch { throw .arithmetic(error) }
    }
}
