public import PaylaterTime

/// The due date of a try-then-pay plan (先用后付): the shopper's payment window of `dueAfterDays` starts when the
/// goods are received, not when they ship.
///
/// The rules:
/// - At capture (the shipment) the delivery is not known yet, so the plan is due on the fallback date:
///   `shippedOn + deliveryAllowanceDays + dueAfterDays`.
/// - A delivery confirmation made on `confirmedOn`, saying the goods arrived on `deliveredOn`, moves the due date to
///   `deliveredOn + dueAfterDays`, earlier or later than the fallback (the window starts at receipt, as Douyin
///   先用后付 counts it), but never to less than `noticeDays` after `confirmedOn` unless that would be later than the
///   date the plan had: `max(deliveredOn + dueAfterDays, min(confirmedOn + noticeDays, the date it had))`. A
///   confirmation made a day or two after the delivery keeps the window from receipt; one backdated further never
///   leaves the shopper less than a week to pay, nor brings forward a date they already hold to less than that
///   (r6-journey: a confirmation backdated by 18 days made a plan shown as due on the 26th due on the day of the
///   confirmation, the 24th).
/// - A confirmation that comes after the fallback date has passed leaves the date alone: the plan fell due by the
///   fallback rule (or a later date the shopper extended it to) and may already carry late fees for it; the
///   delivery is still recorded. After a due-date extension the shopper paid for, the date only moves later.
/// - The delivery date lies between the shipment and the confirmation. One delivery per plan: confirming the same
///   date again changes nothing, another date is refused.
public struct TryThenPayDueDate: Codable, Hashable, Sendable {
    /// The catalog's window: days from receipt to the due date.
    public let dueAfterDays: Int
    /// The shipment: the business date of the capture.
    public let shippedOn: LocalDate
    /// The days allowed for delivery when no confirmation comes.
    public let deliveryAllowanceDays: Int
    /// The confirmed delivery, once there is one.
    public internal(set) var deliveredOn: LocalDate?
    /// The day the delivery was confirmed.
    public internal(set) var confirmedOn: LocalDate?

    /// The least time, in days, a delivery confirmation leaves the shopper to pay from the day it is made: the
    /// `PaymentNotice`, or the whole window when that is shorter.
    public var noticeDays: Int { min(dueAfterDays, PaymentNotice.days) }

    /// The most days of delivery allowance accepted.
    public static let deliveryAllowanceDaysAllowed: ClosedRange<Int> = 0...90

    public init(dueAfterDays: Int, shippedOn: LocalDate, deliveryAllowanceDays: Int) {
        precondition(ScheduleTerms.tryThenPayDueAfterDaysAllowed.contains(dueAfterDays), "a catalog window")
        precondition(Self.deliveryAllowanceDaysAllowed.contains(deliveryAllowanceDays), "a checked allowance")
        self.dueAfterDays = dueAfterDays
        self.shippedOn = shippedOn
        self.deliveryAllowanceDays = deliveryAllowanceDays
    }

    /// The date the schedule starts from at capture: the shipment plus the allowance, so the plan's one
    /// installment is due on the fallback date.
    public var fallbackStart: LocalDate {
        get throws(TimeError) { try shippedOn.adding(days: deliveryAllowanceDays) }
    }

    /// The due date without a confirmation.
    public var fallbackDueDate: LocalDate {
        get throws(TimeError) { try fallbackStart.adding(days: dueAfterDays) }
    }
}

/// What a delivery confirmation did to a try-then-pay plan.
public struct DeliveryConfirmation: Codable, Hashable, Sendable {
    public enum Change: String, Codable, Hashable, Sendable {
        /// The due date moved (see `TryThenPayDueDate` for where to).
        case moved
        /// The due date already was what the delivery gives.
        case unchanged
        /// The confirmation came after the fallback due date had passed: the date stays.
        case tooLate = "too_late"
        /// Nothing is owed on the plan any more: the date stays.
        case settled
    }

    public let planID: String
    public let deliveredOn: LocalDate
    public let confirmedOn: LocalDate
    public let dueDateBefore: LocalDate
    public let dueDate: LocalDate
    public let change: Change
}

/// Why a delivery confirmation was refused; the plan is unchanged when one is thrown.
public enum DeliveryError: Error, Equatable, Sendable, CustomStringConvertible {
    /// Only try-then-pay plans count their due date from the delivery.
    case notTryThenPay(plan: String)
    /// Nothing was captured (shipped) on the order yet.
    case notShipped(order: String)
    case deliveredBeforeShipment(deliveredOn: LocalDate, shippedOn: LocalDate)
    case deliveredInTheFuture(deliveredOn: LocalDate, today: LocalDate)
    /// The plan's delivery was already confirmed with another date.
    case alreadyConfirmed(deliveredOn: LocalDate)
    case calendar(TimeError)

    public var description: String {
        switch self {
        case .notTryThenPay(let plan): "plan \(plan) is not a try-then-pay plan: its due dates do not follow the delivery"
        case .notShipped(let order): "nothing was captured on order \(order): no goods have shipped"
        case let .deliveredBeforeShipment(delivered, shipped): "a delivery on \(delivered) is before the shipment on \(shipped)"
        case let .deliveredInTheFuture(delivered, today): "a delivery on \(delivered) is after today, \(today)"
        case .alreadyConfirmed(let delivered): "the delivery was already confirmed as \(delivered)"
        case .calendar(let error): "the due date is outside the calendar: \(error)"
        }
    }
}

extension RepaymentPlan {
    /// Applies a delivery confirmation to a try-then-pay plan by `terms`' rules (see `TryThenPayDueDate`), recording
    /// the delivery in `terms`. No money moves.
    /// - Throws: `DeliveryError` for a delivery before the shipment or after `today`, or already confirmed as
    ///   another date.
    public mutating func confirmDelivery(
        _ terms: inout TryThenPayDueDate, deliveredOn: LocalDate, today: LocalDate
    ) throws(DeliveryError) -> DeliveryConfirmation {
        precondition(installments.count == 1, "a try-then-pay plan has one installment")
        guard deliveredOn >= terms.shippedOn else {
            throw .deliveredBeforeShipment(deliveredOn: deliveredOn, shippedOn: terms.shippedOn)
        }
        guard deliveredOn <= today else { throw .deliveredInTheFuture(deliveredOn: deliveredOn, today: today) }
        let before = installments[0].dueDate
        if let recorded = terms.deliveredOn, let confirmedOn = terms.confirmedOn {
            guard recorded == deliveredOn else { throw .alreadyConfirmed(deliveredOn: recorded) }
            return DeliveryConfirmation(
                planID: id, deliveredOn: recorded, confirmedOn: confirmedOn, dueDateBefore: before, dueDate: before,
                change: .unchanged)
        }
        let target: LocalDate
        do {
            let afterReceipt = try deliveredOn.adding(days: terms.dueAfterDays)
            let notice = try today.adding(days: terms.noticeDays)
            target = max(afterReceipt, min(notice, before))
        } catch {
            throw .calendar(error)
        }
        terms.deliveredOn = deliveredOn
        terms.confirmedOn = today
        let change: DeliveryConfirmation.Change
        if installments[0].isSettled {
            change = .settled
        } else if today > before {
            change = .tooLate
        } else if target == before || (dueDateExtended && target < before) {
            change = .unchanged
        } else {
            installments[0].dueDate = target
            change = .moved
        }
        assertConsistent()
        return DeliveryConfirmation(
            planID: id, deliveredOn: deliveredOn, confirmedOn: today, dueDateBefore: before,
            dueDate: installments[0].dueDate, change: change)
    }
}
