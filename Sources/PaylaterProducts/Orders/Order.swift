public import PaylaterMoney
public import PaylaterTime

/// Where a merchant's order stands.
public enum OrderState: String, Hashable, Sendable, Codable {
    /// Approved and held; nothing captured yet.
    case authorized
    /// Part captured; the rest of the authorization is still held.
    case partiallyCaptured = "partially_captured"
    /// Everything the merchant will capture is captured (in full, or the rest was released or expired).
    case captured
    /// Cancelled before any capture; the hold was released.
    case cancelled
    /// The authorization ran out before any capture.
    case expired
}

/// One capture: it made its own plan.
public struct OrderCapture: Hashable, Sendable, Codable {
    public let id: String
    public let planID: String
    public let amount: Money
    public let at: Instant
}

/// A confirmed delivery: when the goods arrived, and when that was confirmed.
public struct OrderDelivery: Hashable, Sendable, Codable {
    public let deliveredOn: LocalDate
    public let confirmedOn: LocalDate
}

/// One merchant refund and how it was spread over the order's plans.
public struct OrderRefund: Hashable, Sendable, Codable {
    public let id: String
    public let amount: Money
    /// Plan id → amount, newest capture first.
    public let allocations: [RefundPortion]
    public let at: Instant
}

public struct RefundPortion: Hashable, Sendable, Codable {
    public let planID: String
    public let amount: Money
}

/// Why an order operation was refused; the order is unchanged when one is thrown.
public enum OrderError: Error, Equatable, Sendable, CustomStringConvertible {
    case currencyMismatch(expected: Currency, found: Currency)
    case notPositive(Money)
    /// A capture above what remains authorized.
    case exceedsAuthorization(requested: Money, remaining: Money)
    /// A refund above what was captured and not yet refunded.
    case exceedsCaptured(requested: Money, refundable: Money)
    /// The operation needs another state (cancel after a capture, capture after expiry, …).
    case invalidState(operation: String, state: OrderState)
    /// The order captured less than it authorized and the rest was released or ran out: nothing is left for
    /// `operation`. (Its state reads `captured`, which alone would say it was captured in full.)
    case restReleased(operation: String, captured: Money, authorized: Money)
    /// An extension past `maximum` from the authorization; `remaining` is how much later the expiry may still move.
    case extensionTooLong(maximum: Duration, remaining: Duration)
    /// A capture or refund id already used on the order for another amount (`requested` nil: all that remains).
    case idReused(operation: String, id: String, earlier: Money, requested: Money?)

    public var description: String {
        switch self {
        case let .currencyMismatch(expected, found): "the order is in \(expected.code), not \(found.code)"
        case let .notPositive(amount): "the amount must be positive, not \(amount)"
        case let .exceedsAuthorization(requested, remaining):
            "a capture of \(requested) is more than the \(remaining) still authorized"
        case let .exceedsCaptured(requested, refundable):
            "a refund of \(requested) is more than the \(refundable) captured and not yet refunded"
        case let .invalidState(operation, state): "cannot \(operation) an order that is \(state.rawValue)"
        case let .restReleased(operation, captured, authorized):
            "cannot \(operation) the order: \(captured) of the \(authorized) authorized was captured, and the rest of the "
                + "authorization was released or ran out, so nothing is left"
        case let .extensionTooLong(maximum, remaining):
            "an authorization may last at most \(Self.days(maximum)) from its start: "
                + (remaining >= .seconds(86_400)
                    ? "this one can be extended by at most \(Self.days(remaining))"
                    : "this one cannot be extended any more")
        case let .idReused(operation, id, earlier, requested):
            "\(operation) \(id) was already made for \(earlier), not \(requested.map(\.description) ?? "all that remains"); "
                + "give another \(operation) id for another \(operation)"
        }
    }

    /// The whole days in `duration` (rounded down), as "1 day" or "32 days".
    private static func days(_ duration: Duration) -> String {
        let days = duration.components.seconds / 86_400
        return days == 1 ? "1 day" : "\(days) days"
    }
}

/// A merchant's order after authorization: what is authorized, held, captured and refunded.
///
/// Each capture makes its own plan (as Klarna and Afterpay do for split shipments). The authorization is one
/// ledger hold at a time: a partial capture posts part of it (which releases the rest, the ledger's rule) and a
/// new hold, the next generation, takes the remainder with the same expiry. Refunds go to the newest capture's
/// plan first, so the plans captured last shrink first, like installments within a plan.
public struct Order: Hashable, Sendable, Codable {
    /// The longest an authorization may last, extensions included.
    public static let authorizationMaximum = Duration.seconds(60 * 86_400)
    /// The default authorization period.
    public static let authorizationDefault = Duration.seconds(28 * 86_400)

    public let id: String
    public let merchantID: String
    public let consumerID: String
    public let checkoutID: String
    public let productID: String
    public let merchantReference: String
    public let authorized: Money
    public let authorizedAt: Instant
    public private(set) var expiresAt: Instant
    public private(set) var state: OrderState
    /// Which hold currently carries the remaining authorization (`<order>:hold:<generation>`).
    public private(set) var holdGeneration: Int
    public private(set) var captures: [OrderCapture]
    public private(set) var refunds: [OrderRefund]
    /// The merchant promotion the shopper chose at checkout, which prices every capture; nil without one.
    public let promotion: PromotionGrant?
    /// The confirmed delivery of the goods shipped so far, once confirmed.
    public private(set) var delivery: OrderDelivery?

    public init(
        id: String, merchantID: String, consumerID: String, checkoutID: String, productID: String,
        merchantReference: String, authorized: Money, at now: Instant, validFor: Duration = Order.authorizationDefault,
        promotion: PromotionGrant? = nil
    ) {
        self.promotion = promotion
        delivery = nil
        self.id = id
        self.merchantID = merchantID
        self.consumerID = consumerID
        self.checkoutID = checkoutID
        self.productID = productID
        self.merchantReference = merchantReference
        self.authorized = authorized
        authorizedAt = now
        expiresAt = now.advanced(by: validFor)
        state = .authorized
        holdGeneration = 0
        captures = []
        refunds = []
    }

    public var currency: Currency { authorized.currency }
    public var captured: Money { sum(captures.map(\.amount)) }
    public var refunded: Money { sum(refunds.map(\.amount)) }

    /// The state as of `now`, as `expire(at:)` records it once the authorization's time has run out: expired before
    /// any capture, captured after some. Until the expiry is recorded (the worker's next pass), the stored `state`
    /// still says authorized or partially captured, while the ledger has already let the hold go.
    public func state(at now: Instant) -> OrderState {
        guard now >= expiresAt else { return state }
        switch state {
        case .authorized: return .expired
        case .partiallyCaptured: return .captured
        case .captured, .cancelled, .expired: return state
        }
    }

    /// What the authorization holds beyond the captures, whatever the state.
    private var uncaptured: Money { Money(minorUnits: authorized.minorUnits - captured.minorUnits, currency: currency) }

    /// What may still be captured at `now`.
    public func remainingAuthorization(at now: Instant) -> Money {
        switch state(at: now) {
        case .authorized, .partiallyCaptured: uncaptured
        case .captured, .cancelled, .expired: .zero(currency)
        }
    }

    /// The hold id of a generation.
    public func holdID(generation: Int) -> String { "\(id):hold:\(generation)" }

    // MARK: Operations

    /// Whether `captureID` names a capture already made: true for a retry of it, which changes nothing. A retry asks
    /// for the same amount, or for all that remains (nil) once nothing does, as after such a capture.
    /// - Throws: `.idReused` when the id was used for a capture of another amount.
    public func isRetry(capture captureID: String, amount: Money?, at now: Instant) throws(OrderError) -> Bool {
        guard let earlier = captures.first(where: { $0.id == captureID }) else { return false }
        guard amount.map({ $0 == earlier.amount }) ?? remainingAuthorization(at: now).isZero else {
            throw .idReused(operation: "capture", id: captureID, earlier: earlier.amount, requested: amount)
        }
        return true
    }

    /// Whether `refundID` names a refund already made: true for a retry of it (the same amount), which changes
    /// nothing.
    /// - Throws: `.idReused` when the id was used for a refund of another amount.
    public func isRetry(refund refundID: String, amount: Money) throws(OrderError) -> Bool {
        guard let earlier = refunds.first(where: { $0.id == refundID }) else { return false }
        guard amount == earlier.amount else {
            throw .idReused(operation: "refund", id: refundID, earlier: earlier.amount, requested: amount)
        }
        return true
    }

    /// Captures `amount`: returns the new capture (its plan id is `<order>-p<n>`) and the remainder that a new
    /// hold must carry (zero when this capture takes all that was left).
    public mutating func capture(_ amount: Money, id captureID: String, at now: Instant) throws(OrderError)
        -> (capture: OrderCapture, remainder: Money)
    {
        let current = state(at: now)
        guard current == .authorized || current == .partiallyCaptured else {
            throw refusal("capture", current)
        }
        try check(amount)
        let remaining = remainingAuthorization(at: now)
        guard amount.minorUnits <= remaining.minorUnits else {
            throw .exceedsAuthorization(requested: amount, remaining: remaining)
        }
        let capture = OrderCapture(id: captureID, planID: Self.capturePlanID(order: id, number: captures.count + 1), amount: amount, at: now)
        captures.append(capture)
        let remainder = Money(minorUnits: remaining.minorUnits - amount.minorUnits, currency: currency)
        if remainder.isZero {
            state = .captured
        } else {
            state = .partiallyCaptured
            holdGeneration += 1
        }
        return (capture, remainder)
    }

    /// Spreads a refund over the plans, newest capture first, each up to what it has left.
    public mutating func refund(_ amount: Money, id refundID: String, at now: Instant) throws(OrderError) -> OrderRefund {
        try check(amount)
        let refundable = Money(minorUnits: captured.minorUnits - refunded.minorUnits, currency: currency)
        guard amount.minorUnits <= refundable.minorUnits else {
            throw .exceedsCaptured(requested: amount, refundable: refundable)
        }
        var left = amount.minorUnits
        var portions: [RefundPortion] = []
        for capture in captures.reversed() where left > 0 {
            let already = refunds.flatMap(\.allocations).filter { $0.planID == capture.planID }
                .reduce(Int64(0)) { $0 + $1.amount.minorUnits }
            let room = capture.amount.minorUnits - already
            let portion = min(room, left)
            guard portion > 0 else { continue }
            portions.append(RefundPortion(planID: capture.planID, amount: Money(minorUnits: portion, currency: currency)))
            left -= portion
        }
        assert(left == 0, "the refund was checked against what is refundable")
        let refund = OrderRefund(id: refundID, amount: amount, allocations: portions, at: now)
        refunds.append(refund)
        return refund
    }

    /// Cancels an order nothing was captured on; the caller releases the hold.
    public mutating func cancel(at now: Instant) throws(OrderError) {
        let current = state(at: now)
        guard current == .authorized else { throw .invalidState(operation: "cancel", state: current) }
        state = .cancelled
    }

    /// Why `operation` is refused in `current`: a captured order that captured less than it authorized had the rest
    /// released or run out, which its state alone does not say.
    private func refusal(_ operation: String, _ current: OrderState) -> OrderError {
        guard current == .captured, uncaptured.isPositive else {
            return .invalidState(operation: operation, state: current)
        }
        return .restReleased(operation: operation, captured: captured, authorized: authorized)
    }

    /// Gives up what is left of the authorization; the caller releases the hold. Without captures this is a cancel.
    public mutating func releaseRemaining(at now: Instant) throws(OrderError) {
        let current = state(at: now)
        switch current {
        case .authorized: state = .cancelled
        case .partiallyCaptured: state = .captured
        case .captured, .cancelled, .expired: throw refusal("release the rest of", current)
        }
    }

    /// Records that the authorization ran out at `expiresAt`: an order with nothing captured is expired, one with
    /// captures is captured (as after `releaseRemaining`). Returns what was left uncaptured, now released; the
    /// caller releases the hold (the ledger's own expiry may already have).
    public mutating func expire(at now: Instant) throws(OrderError) -> Money {
        guard now >= expiresAt, state == .authorized || state == .partiallyCaptured else {
            throw .invalidState(operation: "expire", state: state(at: now))
        }
        state = captures.isEmpty ? .expired : .captured
        return uncaptured
    }

    /// Moves the expiry later (the caller replaces the hold with one of the new length); at most
    /// `authorizationMaximum` after authorization.
    public mutating func extendAuthorization(by extra: Duration, at now: Instant) throws(OrderError) {
        let current = state(at: now)
        guard current == .authorized || current == .partiallyCaptured else {
            throw refusal("extend", current)
        }
        let newExpiry = expiresAt.advanced(by: extra)
        guard extra > .zero, authorizedAt.duration(to: newExpiry) <= Self.authorizationMaximum else {
            throw .extensionTooLong(
                maximum: Self.authorizationMaximum,
                remaining: max(.zero, Self.authorizationMaximum - authorizedAt.duration(to: expiresAt)))
        }
        expiresAt = newExpiry
        holdGeneration += 1
    }

    /// Records that the goods shipped so far arrived on `deliveredOn`, confirmed on `confirmedOn`; returns false
    /// when the same delivery was already recorded. Needs a capture (a shipment); the caller checks the dates against
    /// the shipments and moves the due dates. One delivery per order.
    /// - Throws: `.notShipped` before any capture, `.alreadyConfirmed` for another date than the one recorded.
    public mutating func confirmDelivery(deliveredOn: LocalDate, confirmedOn: LocalDate) throws(DeliveryError) -> Bool {
        guard !captures.isEmpty else { throw .notShipped(order: id) }
        guard deliveredOn <= confirmedOn else { throw .deliveredInTheFuture(deliveredOn: deliveredOn, today: confirmedOn) }
        if let delivery {
            guard delivery.deliveredOn == deliveredOn else { throw .alreadyConfirmed(deliveredOn: delivery.deliveredOn) }
            return false
        }
        delivery = OrderDelivery(deliveredOn: deliveredOn, confirmedOn: confirmedOn)
        return true
    }

    private func check(_ amount: Money) throws(OrderError) {
        guard amount.currency == currency else { throw .currencyMismatch(expected: currency, found: amount.currency) }
        guard amount.isPositive else { throw .notPositive(amount) }
    }

    private func sum(_ amounts: [Money]) -> Money {
        Money(minorUnits: amounts.reduce(0) { $0 + $1.minorUnits }, currency: currency)
    }
}

extension Order {
    /// The plan the `number`th capture of order `order` opens (from 1): `<order>-p<number>`.
    public static func capturePlanID(order: String, number: Int) -> String { "\(order)-p\(number)" }

    /// The order a plan made by `capturePlanID` belongs to, nil for a plan not named so.
    public static func orderID(ofPlan planID: String) -> String? { captureOfPlan(planID)?.order }

    /// Which capture of its order a plan made by `capturePlanID` is (1 for the first), nil for a plan not named so.
    public static func captureNumber(ofPlan planID: String) -> Int? { captureOfPlan(planID)?.number }

    /// `capturePlanID` read back: the order and the capture's number, nil unless the id ends in `-p` and a number
    /// as `capturePlanID` spells it (no leading zero), so that spelling it again gives the same id.
    private static func captureOfPlan(_ planID: String) -> (order: String, number: Int)? {
        let bytes = Array(planID.utf8)
        let digits = bytes.reversed().prefix { (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }.count
        let marker = bytes.count - digits - 2
        guard digits > 0, marker >= 0, bytes[marker] == UInt8(ascii: "-"), bytes[marker + 1] == UInt8(ascii: "p"),
            bytes[marker + 2] != UInt8(ascii: "0"),
            let number = Int(String(decoding: bytes[(marker + 2)...], as: UTF8.self))
        else { return nil }
        return (String(decoding: bytes[..<marker], as: UTF8.self), number)
    }
}
