public import PaylaterMoney
public import PaylaterTime

/// What is still owed on one installment, by component.
public struct InstallmentOwed: Hashable, Sendable {
    public let number: Int
    public let dueDate: LocalDate
    public let principal: Money
    /// The installment's service fee or interest.
    public let fee: Money
    /// Late fees charged on this installment.
    public let lateFee: Money

    public init(number: Int, dueDate: LocalDate, principal: Money, fee: Money, lateFee: Money) {
        self.number = number
        self.dueDate = dueDate
        self.principal = principal
        self.fee = fee
        self.lateFee = lateFee
    }
}

/// A part of an installment a payment can go to.
public enum OwedComponent: Hashable, Sendable, CaseIterable {
    case lateFee
    case fee
    case principal
}

/// One piece of a payment: how much went to which component of which installment.
public struct PaymentAllocation: Hashable, Sendable {
    public let installment: Int
    public let component: OwedComponent
    public let amount: Money
}

/// A payment split by the waterfall, and what was left over.
public struct AllocatedPayment: Hashable, Sendable {
    public let allocations: [PaymentAllocation]
    /// More than everything owed: kept as the shopper's refundable credit balance.
    public let overpayment: Money
}

/// Why a payment cannot be allocated.
public enum PaymentError: Error, Equatable, Sendable, CustomStringConvertible {
    case notPositive(Money)
    case currencyMismatch(expected: Currency, found: Currency)
    case negativeOwed(installment: Int)
    case stepsMustEachAppearOnce
    /// More than `OverpaymentLimit` takes: what is owed and as much again.
    case exceedsOverpaymentLimit(payment: Money, owed: Money, maximum: Money)

    public var description: String {
        switch self {
        case let .notPositive(amount): "a payment must be positive, not \(amount)"
        case let .currencyMismatch(expected, found): "the plan is in \(expected), the payment in \(found)"
        case let .negativeOwed(installment): "installment \(installment) owes a negative amount"
        case .stepsMustEachAppearOnce: "a waterfall lists each step exactly once"
        case let .exceedsOverpaymentLimit(payment, owed, maximum):
            "a payment of \(payment) is too large: \(owed) is owed, and a payment may be at most \(maximum) "
                + "(what is owed and as much again, kept as a credit balance)"
        }
    }
}

/// The order in which a payment pays what is owed. The default, what regulators and shoppers expect, settles
/// arrears before anything else: past-due fees (late fees, then installment fees), past-due principal, then the
/// installments not yet due; within each step the oldest installment first.
public struct PaymentWaterfall: Hashable, Sendable {
    /// One step of the waterfall.
    public enum Step: Hashable, Sendable, CaseIterable {
        /// Late fees and installment fees of installments due before the payment date.
        case pastDueFees
        /// Principal of installments due before the payment date.
        case pastDuePrincipal
        /// Installments due on or after the payment date, each one's fee then its principal.
        case currentInstallments
    }

    public let steps: [Step]

    public static let standard = PaymentWaterfall(validated: [.pastDueFees, .pastDuePrincipal, .currentInstallments])

    /// A waterfall in the given order; each step must appear exactly once.
    public init(steps: [Step]) throws(PaymentError) {
        guard steps.count == Step.allCases.count, Set(steps).count == steps.count else { throw .stepsMustEachAppearOnce }
        self.steps = steps
    }

    private init(validated steps: [Step]) { self.steps = steps }

    /// Splits `payment`, received on `date`, over what `owed` lists.
    public func allocate(
        _ payment: Money, to owed: [InstallmentOwed], on date: LocalDate
    ) throws(PaymentError) -> AllocatedPayment {
        guard payment.isPositive else { throw .notPositive(payment) }
        for installment in owed {
            for amount in [installment.principal, installment.fee, installment.lateFee] {
                guard amount.currency == payment.currency else {
                    throw .currencyMismatch(expected: amount.currency, found: payment.currency)
                }
                guard !amount.isNegative else { throw .negativeOwed(installment: installment.number) }
            }
        }
        var remaining = payment.minorUnits
        var allocations: [PaymentAllocation] = []
        for (installment, component, amount) in queue(owed, on: date) where remaining > 0 && amount.isPositive {
            let paid = min(remaining, amount.minorUnits)
            remaining -= paid
            allocations.append(PaymentAllocation(
                installment: installment, component: component, amount: Money(minorUnits: paid, currency: payment.currency)))
        }
        return AllocatedPayment(allocations: allocations, overpayment: Money(minorUnits: remaining, currency: payment.currency))
    }

    /// Everything owed in the order this waterfall pays it.
    private func queue(_ owed: [InstallmentOwed], on date: LocalDate) -> [(Int, OwedComponent, Money)] {
        let oldestFirst = owed.sorted { ($0.dueDate, $0.number) < ($1.dueDate, $1.number) }
        let pastDue = oldestFirst.filter { $0.dueDate < date }
        let current = oldestFirst.filter { $0.dueDate >= date }
        var queue: [(Int, OwedComponent, Money)] = []
        for step in steps {
            switch step {
            case .pastDueFees:
                for installment in pastDue {
                    queue.append((installment.number, .lateFee, installment.lateFee))
                    queue.append((installment.number, .fee, installment.fee))
                }
            case .pastDuePrincipal:
                queue += pastDue.map { ($0.number, .principal, $0.principal) }
            case .currentInstallments:
                for installment in current {
                    queue.append((installment.number, .lateFee, installment.lateFee))
                    queue.append((installment.number, .fee, installment.fee))
                    queue.append((installment.number, .principal, installment.principal))
                }
            }
        }
        return queue
    }
}
