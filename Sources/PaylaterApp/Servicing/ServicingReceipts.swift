public import PaylaterMoney
public import PaylaterProducts
public import PaylaterTime

/// What a payment did, as stored for retries and shown to the payer.
public struct PaymentReceipt: Codable, Hashable, Sendable {
    public let operationID: String
    public let planID: String
    public let amount: Money
    public let principal: Money
    public let fees: Money
    public let lateFees: Money
    /// Paid beyond what the plan owed; kept on the shopper's credit balance.
    public let overpayment: Money
    public let owedAfter: Money
    public let status: PlanStatus
    /// When the payment covered what paying off cost that day, it paid the plan off: the fees or interest waived
    /// then, and those paid ahead and returned (nil otherwise, and in receipts stored before payments could).
    public var rebate: Money? = nil
    public var feesReturned: Money? = nil
}

/// What an early payoff did.
public struct PayoffReceipt: Codable, Hashable, Sendable {
    public let operationID: String
    public let planID: String
    /// What the shopper paid: the quoted amount.
    public let amount: Money
    public let principal: Money
    /// Installment fees or interest earned by the payoff day.
    public let fees: Money
    public let lateFees: Money
    /// Fees or interest not yet earned and not paid, waived by the plan's rebate rule.
    public let rebate: Money
    /// Fees or interest paid ahead and not earned by the payoff day, rebated too: returned to the shopper's credit
    /// balance.
    public let feesReturned: Money
    public let status: PlanStatus
}

extension PaymentReceipt {
    /// A payoff told as a payment of `paid`: the payoff's parts and rebates, what `paid` had beyond the payoff
    /// amount as the overpayment, and nothing owed after. The answer to a payment that paid a plan off, whether the
    /// shopper asked for the payoff or paid enough to cover it.
    public init(_ payoff: PayoffReceipt, paid: Money) throws {
        self.init(
            operationID: payoff.operationID, planID: payoff.planID, amount: paid, principal: payoff.principal,
            fees: payoff.fees, lateFees: payoff.lateFees, overpayment: try paid - payoff.amount,
            owedAfter: .zero(paid.currency), status: payoff.status, rebate: payoff.rebate,
            feesReturned: payoff.feesReturned)
    }
}

extension PayoffReceipt {
    /// What `payoff` did, under `operationID`, leaving the plan `status`.
    init(operationID: String, planID: String, _ payoff: PlanPayoff, status: PlanStatus) {
        self.init(
            operationID: operationID, planID: planID, amount: payoff.quote.amount, principal: payoff.principal,
            fees: payoff.fees, lateFees: payoff.lateFees, rebate: payoff.rebate, feesReturned: payoff.feesReturned,
            status: status)
    }

    private enum CodingKeys: String, CodingKey {
        case operationID, planID, amount, principal, fees, lateFees, rebate, feesReturned, status
    }

    /// Reads a stored receipt; one stored before prepaid fees were returned reads as returning none.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        operationID = try container.decode(String.self, forKey: .operationID)
        planID = try container.decode(String.self, forKey: .planID)
        amount = try container.decode(Money.self, forKey: .amount)
        principal = try container.decode(Money.self, forKey: .principal)
        fees = try container.decode(Money.self, forKey: .fees)
        lateFees = try container.decode(Money.self, forKey: .lateFees)
        rebate = try container.decode(Money.self, forKey: .rebate)
        feesReturned = try container.decodeIfPresent(Money.self, forKey: .feesReturned) ?? .zero(amount.currency)
        status = try container.decode(PlanStatus.self, forKey: .status)
    }
}

/// What a merchant refund did.
public struct RefundReceipt: Codable, Hashable, Sendable {
    public let operationID: String
    public let planID: String
    public let amount: Money
    public let feesWaived: Money
    /// Money the shopper had already paid that now sits on their credit balance.
    public let returnedToShopper: Money
    public let owedAfter: Money
    public let status: PlanStatus
}

/// A reported return and the pause it started.
public struct ReturnReceipt: Codable, Hashable, Sendable {
    public let operationID: String
    public let planID: String
    public let pause: ReturnPause
}

/// A due-date extension.
public struct ExtensionReceipt: Codable, Hashable, Sendable {
    public let operationID: String
    public let planID: String
    public let installment: Int
    public let newDueDate: LocalDate
    public let fee: Money
}

/// What one end-of-day run did for one date.
public struct EndOfDayReport: Hashable, Sendable {
    public let date: LocalDate
    /// Overdue plans looked at.
    public var plansExamined = 0
    /// Plans charged at least one late fee in this run.
    public var plansCharged = 0
    /// Plans that a previous run for the same date had already handled.
    public var plansAlreadyDone = 0
    /// Plans looked at that owed no late fee on the date (within the grace period, in a return pause, capped).
    public var plansWithNothingDue = 0
    /// Plans another worker held even when waited for: none, since a plan passed over is waited for at the end.
    public var plansSkipped = 0
    /// Late fees charged, by currency.
    public var lateFees: [Currency: Money] = [:]

    public init(date: LocalDate) { self.date = date }

    /// Counts one plan's charge for the date: charged when positive, nothing due when zero. `examined` also counts
    /// it as looked at (a plan charged with its statement that the pages did not list).
    mutating func count(_ amount: Money, examined: Bool = false) throws {
        if examined { plansExamined += 1 }
        guard amount.isPositive else {
            plansWithNothingDue += 1
            return
        }
        plansCharged += 1
        lateFees[amount.currency] = try (lateFees[amount.currency] ?? .zero(amount.currency)) + amount
    }
}

/// A plan as the service shows it.
public struct ServicedPlan: Hashable, Sendable {
    public let consumerID: String
    public let merchantID: String
    public let productID: String
    public let plan: RepaymentPlan
}
