import Foundation
import PaylaterCrypto
public import PaylaterLedger
public import PaylaterMoney
public import PaylaterProducts
public import PaylaterStore
public import PaylaterTime
import PaylaterUnderwriting

/// Merchant checkout: sessions with quotes, authorization (decision + hold + order in one transaction), captures
/// that make plans, refunds, cancellation, releasing or extending the authorization — each one database
/// transaction with its ledger postings and its webhook event.
public struct CheckoutService: Sendable {
    public let database: any Database
    public let clock: any Clock
    /// The products, and the late fees (`lateFeePolicies`) written into each plan's contract at capture, by the
    /// plan's currency; a currency without one charges none.
    public let catalog: ProductCatalog
    public let underwriting: UnderwritingService
    public let servicing: ServicingService
    /// The merchant-funded promotions (贴息) offered at checkout; see `createCheckout` for which one an offer gets.
    public let promotions: PromotionBook
    /// The days a try-then-pay shipment is given to arrive when no delivery confirmation comes: the plan is due
    /// this many days after the capture plus the product's window, until a confirmation moves it (see
    /// `TryThenPayDueDate`). Default 7, a typical domestic parcel time with margin; 0...90.
    public let deliveryAllowanceDays: Int
    /// How long an open checkout can be authorized after it was made: its quotes (schedules, costs, APRs) are the
    /// shopper's as of that day, and a checkout left open for weeks would be authorized on terms they saw long ago.
    /// Default 48 hours (Klarna's sessions live as long); 1 hour to 30 days.
    public let checkoutLifetime: Duration

    /// The most lines one checkout may have.
    public static let linesMaximum = 200
    /// The default delivery allowance of try-then-pay plans.
    public static let deliveryAllowanceDaysDefault = 7
    public static let checkoutLifetimeDefault = Duration.seconds(48 * 3_600)
    public static let checkoutLifetimeAllowed = Duration.seconds(3_600)...Duration.seconds(30 * 86_400)

    public init(
        database: any Database, clock: any Clock, catalog: ProductCatalog, underwriting: UnderwritingService,
        servicing: ServicingService, promotions: PromotionBook = .empty,
        deliveryAllowanceDays: Int = CheckoutService.deliveryAllowanceDaysDefault,
        checkoutLifetime: Duration = CheckoutService.checkoutLifetimeDefault
    ) {
        precondition(
            TryThenPayDueDate.deliveryAllowanceDaysAllowed.contains(deliveryAllowanceDays),
            "a delivery allowance of 0...90 days")
        precondition(Self.checkoutLifetimeAllowed.contains(checkoutLifetime), "a checkout lifetime of 1 hour to 30 days")
        self.checkoutLifetime = checkoutLifetime
        self.promotions = promotions
        self.deliveryAllowanceDays = deliveryAllowanceDays
        self.database = database
        self.clock = clock
        self.catalog = catalog
        self.underwriting = underwriting
        self.servicing = servicing
    }

    // MARK: Checkouts

    /// Starts a checkout: checks the lines against the total and quotes every product offered for the amount.
    ///
    /// Each offer with a cost gets the merchant's best promotion that applies (`PromotionBook.best`: the highest
    /// merchant share, then the smallest id) and shows the shopper's schedule, cost and APR under it; an offer
    /// with no fee or interest gets none, since there would be nothing to subsidise.
    ///
    /// `confirmation`: the merchant's (`MerchantProfile.checkoutConfirmation`); a checkout its shopper confirms
    /// gets the row they fill (`confirmByShopper`) in the same transaction.
    public func createCheckout(
        merchant: MerchantID, confirmation: CheckoutConfirmation = .merchant, _ new: NewCheckout
    ) throws -> Checkout {
        try validate(new)
        let now = clock.now()
        let today = servicing.today()
        let offers = try catalog.products.compactMap { product -> ProductOffer? in
            guard let quote = try? catalog.quote(productID: product.id, amount: new.total, date: today) else { return nil }
            guard quote.totalCost.isPositive,
                let promotion = promotions.best(
                    merchantID: merchant.rawValue, productID: product.id, amount: new.total, date: today)
            else { return ProductOffer(quote) }
            switch try promotion.apply(to: quote, merchantID: merchant.rawValue) {
            case .applied(let promoted): return ProductOffer(promoted)
            case .notApplied: return ProductOffer(quote)
            }
        }
        guard !offers.isEmpty else { throw CheckoutError.noProductOffered(amount: new.total) }
        let checkout = Checkout(
            id: try Self.newID("chk_", at: now), merchantID: merchant.rawValue,
            consumerID: new.consumerID, merchantReference: new.merchantReference, lines: new.lines, total: new.total,
            createdAt: now, offers: offers, state: .open, orderID: nil, reasons: [],
            shopperConfirmation: confirmation == .shopper ? ShopperConfirmation() : nil)
        let document = try CanonicalJSON.encode(checkout)
        let terms = try CanonicalJSON.encode(CheckoutTerms(of: checkout))
        // The one write returns the checkout, so the API can store its response in the same transaction.
        return try database.write { connection in
            let repository = CheckoutRepository(connection)
            try repository.insert(
                CheckoutRecord(
                    merchantID: merchant.rawValue, id: checkout.id, consumerID: new.consumerID, document: document,
                    terms: terms),
                at: now)
            if confirmation == .shopper {
                try repository.awaitShopperConfirmation(
                    merchantID: merchant.rawValue, checkoutID: checkout.id, consumerID: new.consumerID)
            }
            return checkout
        }
    }

    /// A new id for a checkout (`chk_`) or an order (`ord_`): the prefix, the time it is made as Unix milliseconds
    /// in 12 hex digits (an `Instant` ends in 2262, well within them; before 1970 counts as 0), then 64 random bits
    /// as 16.
    ///
    /// Time first, so that ids made together sort together: the rows keyed by them, and by the ledger transfers
    /// and holds named after an order, go to the end of each index, a page every authorization of a group commit
    /// shares, rather than to a random page of each, one page of the write-ahead log per index per authorization
    /// (docs/BENCHMARKS.md). Milliseconds, not seconds: thousands of ids a second made in random order within
    /// their second still spread over a dozen pages. The random part keeps ids unguessable and distinct within a
    /// millisecond.
    static func newID(_ prefix: String, at now: Instant) throws -> String {
        let milliseconds = UInt64(clamping: max(0, now.nanosecondsSinceUnixEpoch / 1_000_000))
        let time = (0..<6).reversed().map { UInt8(truncatingIfNeeded: milliseconds >> ($0 * 8)) }
        return prefix + Hex.encode(time + (try SecureRandom.bytes(count: 8)))
    }

    public func checkout(merchant: MerchantID, id: String) throws -> Checkout {
        try database.read { connection in try checkout(merchant, id, connection) }
    }

    /// The merchant's checkout `id` as it stands, read on `connection`.
    func checkout(_ merchant: MerchantID, _ id: String, _ connection: any SQLConnection) throws -> Checkout {
        guard let record = try CheckoutRepository(connection).checkout(merchantID: merchant.rawValue, id: id) else {
            throw CheckoutError.checkoutNotFound(id)
        }
        var checkout = try Self.decode(Checkout.self, record.document)
        let outcome = try Self.outcome(
            of: record.outcome, checkoutID: id, documentOrderID: checkout.orderID, documentReasons: checkout.reasons)
        (checkout.state, checkout.orderID, checkout.reasons) = (outcome.state, outcome.orderID, outcome.reasons)
        if outcome.state == .open {
            let expiresAt = expiry(ofCheckoutMadeAt: checkout.createdAt)
            checkout.expiresAt = expiresAt
            if clock.now() >= expiresAt { checkout.state = .expired }
        }
        if outcome.state == .referred, let referral = try ReferralRepository(connection).referral(checkoutID: id),
            referral.review == nil
        {
            checkout.referralExpiresAt = expiry(of: referral)
        }
        if checkout.shopperConfirmation != nil,
            let confirmed = try CheckoutRepository(connection).shopperConfirmation(checkoutID: id)?.confirmed
        {
            checkout.shopperConfirmation = ShopperConfirmation(productID: confirmed.productID, confirmedAt: confirmed.at)
        }
        return checkout
    }

    /// The merchant withdraws a checkout no one has said yes or no to: an open one (the shopper left, or the cart
    /// changed) or one referred for review (the shopper paid another way, or will not wait). It becomes
    /// `cancelled`, for good: it cannot be authorized, and a referral leaves the review queue (its verdict
    /// `withdrawn`) and is never approved or expired. Nothing was held for either, so nothing is released.
    /// Cancelling a cancelled checkout again returns it (a retry).
    /// - Throws: `CheckoutError.checkoutNotFound`; `.checkoutNotCancellable` for one authorized (its order is to be
    ///   cancelled instead) or declined.
    public func cancelCheckout(merchant: MerchantID, id: String) throws -> Checkout {
        let now = clock.now()
        return try database.write { connection in
            let repository = CheckoutRepository(connection)
            let cancelled = CheckoutOutcomeRecord(state: Checkout.State.cancelled.rawValue, orderID: nil, reasons: "[]")
            switch try repository.checkoutStanding(merchantID: merchant.rawValue, id: id, forUpdate: true) {
            case .notFound: throw CheckoutError.checkoutNotFound(id)
            case .open: try repository.recordOutcome(merchantID: merchant.rawValue, id: id, cancelled)
            case .decided(let outcome):
                switch Checkout.State(rawValue: outcome.state) {
                case .cancelled?: break
                case .referred?:
                    // Under the checkout's lock, which a review takes too: one of them finds it still referred.
                    guard try repository.resolveReferral(merchantID: merchant.rawValue, id: id, cancelled),
                        try ReferralRepository(connection).recordReview(
                            checkoutID: id, merchantID: merchant.rawValue,
                            ReferralReviewRecord(
                                verdict: ReferralRepository.withdrawn, reviewedBy: nil, note: nil, outcome: cancelled.state,
                                at: now))
                    else { throw StoreError.inconsistent("checkout \(id) is locked and referred, yet not withdrawn") }
                default:
                    throw CheckoutError.checkoutNotCancellable(id: id, state: outcome.state, orderID: outcome.orderID)
                }
            }
            return try checkout(merchant, id, connection)
        }
    }

    /// The shopper chose a product and confirmed: decide, and on approval hold the credit and make the order, all
    /// in one transaction. Authorizing a checkout again returns the first answer.
    ///
    /// Everything that depends only on the checkout's terms (which never change once quoted) and on the request is
    /// done before the write transaction: reading and decoding the terms, hashing the applicant's identifiers and
    /// finding which ledger accounts are already open. Inside it, under the single writer, only the checkout's
    /// state is read again.
    ///
    /// `confirmation`: the merchant's rule now (`MerchantProfile.checkoutConfirmation`; see
    /// `requireShopperConfirmation`).
    public func authorize(
        merchant: MerchantID, checkoutID: String, _ request: AuthorizationRequest,
        confirmation: CheckoutConfirmation = .merchant
    ) throws -> AuthorizationOutcome {
        let now = clock.now()
        let (checkout, createdAt, application) = try database.read { connection in
            guard let terms = try CheckoutRepository(connection).checkoutTerms(merchantID: merchant.rawValue, id: checkoutID)
            else { throw CheckoutError.checkoutNotFound(checkoutID) }
            let checkout = try CheckoutTerms.read(terms.terms)
            try requireShopperConfirmation(
                checkout, madeAt: terms.createdAt, productID: request.productID, rule: confirmation, connection, at: now)
            // Underwriting would put an income in another currency aside for the policy's default, and decide on that.
            if let income = request.applicant.declaredMonthlyIncome, income.currency != checkout.total.currency {
                throw CheckoutError.invalidField(
                    field: "/declared_monthly_income/currency",
                    reason: "the income must be in the order's currency, \(checkout.total.currency.code)")
            }
            let application = try underwriting.prepare(
                DecisionRequest(
                    decisionID: checkoutID, consumer: try ConsumerID(checkout.consumerID), merchantID: merchant.rawValue,
                    orderAmount: checkout.total, requestedProducts: [request.productID],
                    offeredProducts: checkout.offers.map(\.productID), applicant: request.applicant),
                at: now, reading: connection)
            return (checkout, terms.createdAt, application)
        }
        let consumer = application.consumer
        // The id an approval's order takes, drawn before the writer's transaction: the random bits come from
        // OpenSSL's generator, which takes a lock.
        let orderID = try Self.newID("ord_", at: now)
        return try database.write { connection in
            let repository = CheckoutRepository(connection)
            let recorded: CheckoutOutcomeRecord?
            switch try repository.checkoutStanding(merchantID: merchant.rawValue, id: checkoutID, forUpdate: true) {
            case .notFound: throw CheckoutError.checkoutNotFound(checkoutID)
            case .open:
                try requireUnexpired(checkoutID, madeAt: createdAt, at: now)
                recorded = nil
            case .decided(let outcome): recorded = outcome
            }
            guard checkout.offers.contains(where: { $0.productID == request.productID }) else {
                throw CheckoutError.productNotOffered(request.productID)
            }
            let current = try Self.outcome(
                of: recorded, checkoutID: checkoutID, documentOrderID: checkout.orderID, documentReasons: checkout.reasons)
            if current.state == .cancelled { throw CheckoutError.checkoutCancelled(checkoutID) }
            if current.state != .open {
                try Self.requireSameApplication(application, decidedAs: current.state, connection)
            }
            if let answered = try Self.previousAnswer(current, checkout, connection) { return answered }
            let decided = try underwriting.decide(application, in: connection, deferringLimitTransfer: true)
            let decision = decided.decision
            let limitTransfer = decided.limitTransfer.map { [$0] } ?? []
            // Only an approval grants a limit, posted in one batch with the hold; should any other outcome carry one,
            // it is posted on its own.
            if case .approved = decision.outcome {} else {
                try post(limitTransfer, consumer, checkout.total.currency, connection, at: now)
            }
            let outcome: AuthorizationOutcome
            let next: CheckoutOutcome
            var approved: Order?
            switch decision.outcome {
            case .approved:
                let order = try Self.makeOrder(orderID, of: checkout, productID: request.productID, connection, at: now)
                next = CheckoutOutcome(state: .authorized, orderID: order.id, reasons: [])
                outcome = .approved(order, decisionID: decision.id)
                approved = order
            case .declined:
                next = CheckoutOutcome(state: .declined, orderID: nil, reasons: decision.shopperReasons)
                outcome = .declined(decisionID: decision.id, reasons: next.reasons)
            case .referred:
                next = CheckoutOutcome(state: .referred, orderID: nil, reasons: decision.shopperReasons)
                outcome = .referred(decisionID: decision.id, reasons: next.reasons)
                try ReferralRepository(connection).insert(
                    ReferralRecord(
                        checkoutID: checkoutID, merchantID: merchant.rawValue, consumerID: consumer.rawValue, referredAt: now))
            }
            try repository.recordOutcome(
                merchantID: merchant.rawValue, id: checkoutID,
                CheckoutOutcomeRecord(
                    state: next.state.rawValue, orderID: next.orderID, reasons: try CanonicalJSON.encode(next.reasons)))
            if let order = approved {
                // The new limit and the hold in one ledger batch, the limit first, on the accounts as the decision
                // read them (nothing has written to the ledger since). Last in the transaction: its submit locks the
                // platform's exposure, which every authorization moves, and so holds it only until the COMMIT.
                try hold(
                    order, consumer, remaining: checkout.total, connection, at: now, after: limitTransfer,
                    reusing: decided.ledgerAccounts, approvedBy: decision)
            }
            return outcome
        }
    }

    /// The order an approval of `checkout` makes for `productID`, with the checkout's promotion for it: recorded,
    /// with its `order.authorized` event. The caller records the checkout's outcome and places the hold.
    static func makeOrder(
        _ id: String, of checkout: CheckoutTerms, productID: String, _ connection: any SQLConnection, at now: Instant
    ) throws -> Order {
        let offer = checkout.offers.first { $0.productID == productID }
        let order = Order(
            id: id, merchantID: checkout.merchantID, consumerID: checkout.consumerID, checkoutID: checkout.id,
            productID: productID, merchantReference: checkout.merchantReference, authorized: checkout.total, at: now,
            promotion: offer?.promotion?.grant(merchantID: checkout.merchantID))
        try CheckoutRepository(connection).insert(try record(order, version: 1), at: now)
        try event(.orderAuthorized, order, connection, at: now, numbered: .firstOfNewOrder)
        return order
    }

    // MARK: Orders

    public func order(merchant: MerchantID, id: String) throws -> Order {
        try database.read { connection in
            guard let record = try CheckoutRepository(connection).order(merchantID: merchant.rawValue, id: id) else {
                throw CheckoutError.orderNotFound(id)
            }
            return try Self.decode(Order.self, record.document)
        }
    }

    public func order(consumer: ConsumerID, id: String) throws -> Order {
        try database.read { connection in
            guard let record = try CheckoutRepository(connection).order(consumerID: consumer.rawValue, id: id) else {
                throw CheckoutError.orderNotFound(id)
            }
            return try Self.decode(Order.self, record.document)
        }
    }

    /// Captures `amount` (nil: all that remains): makes the capture's plan from the product's terms, converts that
    /// much of the hold, and holds the rest again. A retry (a capture id already used on the order, for the same
    /// amount) returns the order; the id reused for another amount is refused (`OrderError.idReused`).
    ///
    /// Under the order's promotion the plan is the shopper's schedule of a quote for the captured amount on the
    /// capture date, and the capture's chain charges the merchant the subsidy. A try-then-pay plan is due the
    /// delivery allowance plus the product's window after the capture, until a delivery confirmation moves it.
    public func capture(merchant: MerchantID, orderID: String, amount: Money?, captureID: String) throws -> Order {
        try Self.refuseControlCharacters(captureID, field: "/capture_id")
        return try changeOrder(merchant, orderID, postingLast: { order, connection, now in
            if try Self.orderStep({ () throws(OrderError) in try order.isRetry(capture: captureID, amount: amount, at: now) }) {
                return nil
            }
            let amount = amount ?? order.remainingAuthorization(at: now)
            let previousHold = try TransferID(order.holdID(generation: order.holdGeneration))
            let (capture, remainder) = try Self.orderStep { () throws(OrderError) in
                try order.capture(amount, id: captureID, at: now)
            }
            let product = try catalog.product(id: order.productID)
            let terms = try planTerms(order, product, amount)
            let consumer = try ConsumerID(order.consumerID)
            let opened = try servicing.openPlanPostingLater(
                NewPlan(
                    consumer: consumer, merchant: merchant, plan: try PlanID(capture.planID), productID: order.productID,
                    schedule: terms.schedule, lateFeePolicy: catalog.lateFeePolicies[amount.currency],
                    rebateRule: terms.rebateRule, chargesAreInterest: product.kind == "financing", hold: previousHold,
                    orderID: order.id,
                    promotion: terms.promotion, tryThenPay: terms.tryThenPay),
                in: connection, at: now)
            try Self.event(.orderCaptured, order, connection, at: now, extra: ["capture_id": .text(captureID), "amount": .money(amount)])
            let captured = order
            return {
                try servicing.post(opened.capture, in: connection, at: now)
                if remainder.isPositive { try hold(captured, consumer, remaining: remainder, connection, at: now) }
            }
        })
    }

    /// The terms of a capture's plan that depend on the product and the order.
    private struct CaptureTerms {
        let schedule: InstallmentSchedule
        /// The product's early-payoff rule (`CatalogProduct.rebateRule`), at the shopper's rate under a promotion.
        let rebateRule: RebateRule
        var promotion: PromotionSubsidy? = nil
        var tryThenPay: TryThenPayDueDate? = nil
    }

    /// The schedule and rebate rule of a capture's plan, with the promotion it is priced under and the try-then-pay
    /// rule, if any.
    private func planTerms(_ order: Order, _ product: CatalogProduct, _ amount: Money) throws -> CaptureTerms {
        let today = servicing.today()
        if case .tryThenPay(let days)? = product.terms {
            // Free of charge, so never promoted: only the due date rule applies.
            let rule = TryThenPayDueDate(dueAfterDays: days, shippedOn: today, deliveryAllowanceDays: deliveryAllowanceDays)
            let schedule = try ScheduleGenerator.schedule(
                for: .tryThenPay(dueAfterDays: days), principal: amount, start: try rule.fallbackStart, remainder: .first)
            return CaptureTerms(schedule: schedule, rebateRule: product.rebateRule, tryThenPay: rule)
        }
        // Priced and checked against the cap like a quote (a monthly bill's purchase is due in full on its
        // statement's due date, the quote's schedule).
        let quote = try captureQuote(order, amount, on: today)
        if let grant = order.promotion {
            let promoted = try grant.apply(to: quote)
            return CaptureTerms(
                schedule: promoted.shopperSchedule, rebateRule: promoted.shopperRebateRule,
                promotion: promoted.subsidy.isPositive ? promoted.subsidyRecord : nil)
        }
        return CaptureTerms(schedule: quote.schedule, rebateRule: product.rebateRule)
    }

    /// The catalog's quote of a capture, its refusals as the merchant's: too small to split, or above the cap.
    private func captureQuote(_ order: Order, _ amount: Money, on date: LocalDate) throws(CheckoutError) -> Quote {
        do { return try catalog.captureQuote(productID: order.productID, amount: amount, date: date) } catch {
            if case let .schedule(_, .principalTooSmallToSplit(_, installments)) = error {
                throw .captureTooSmall(
                    amount: amount, installments: installments,
                    minimum: Money(minorUnits: Int64(installments), currency: amount.currency))
            }
            throw .captureNotPriced(amount: amount, error)
        }
    }

    /// The merchant confirms the goods shipped so far arrived on `deliveredOn`: every try-then-pay plan of the order
    /// shipped by then becomes due `deliveredOn` plus the product's window, by `TryThenPayDueDate`'s rules, in one
    /// transaction. Confirming the same date again returns the order; another date is refused.
    /// - Throws: `CheckoutError.invalidField("/delivered_on")` for an order not on try-then-pay, a date in the
    ///   future, before the first shipment, or other than the one confirmed; `.order(.invalidState)` before any
    ///   capture.
    public func confirmDelivery(merchant: MerchantID, orderID: String, deliveredOn: LocalDate) throws -> Order {
        try changeOrder(merchant, orderID) { order, connection, now in
            let field = "/delivered_on"
            guard case .tryThenPay? = try catalog.product(id: order.productID).terms else {
                throw CheckoutError.invalidField(field: field, reason: "order \(order.id) is on \(order.productID), not try-then-pay")
            }
            let fresh: Bool
            do {
                fresh = try order.confirmDelivery(deliveredOn: deliveredOn, confirmedOn: servicing.today())
            } catch let error as DeliveryError {
                if case .notShipped = error {
                    throw CheckoutError.order(.invalidState(operation: "confirm the delivery of", state: order.state))
                }
                throw CheckoutError.invalidField(field: field, reason: error.description)
            }
            guard fresh else { return false }
            let consumer = try ConsumerID(order.consumerID)
            var confirmed = 0
            for capture in order.captures {
                let plan = try PlanID(capture.planID)
                guard let rule = try servicing.tryThenPayTerms(consumer: consumer, plan: plan, in: connection),
                    rule.shippedOn <= deliveredOn
                else { continue }
                let operation = DerivedOperationID.delivery(orderID: orderID, planID: capture.planID)
                _ = try servicing.confirmDelivery(
                    consumer: consumer, plan: plan, deliveredOn: deliveredOn, operationID: operation, in: connection, at: now)
                confirmed += 1
            }
            guard confirmed > 0 else {
                throw CheckoutError.invalidField(field: field, reason: "\(deliveredOn) is before the first shipment")
            }
            return true
        }
    }

    /// Refunds `amount` of what was captured, newest capture's plan first. A retry (a refund id already used, for
    /// the same amount) returns the order; the id reused for another amount is refused (`OrderError.idReused`).
    public func refund(merchant: MerchantID, orderID: String, amount: Money, refundID: String) throws -> Order {
        try Self.refuseControlCharacters(refundID, field: "/refund_id")
        return try changeOrder(merchant, orderID, postingLast: { order, connection, now in
            if try Self.orderStep({ () throws(OrderError) in try order.isRetry(refund: refundID, amount: amount) }) {
                return nil
            }
            let refund = try Self.orderStep { () throws(OrderError) in try order.refund(amount, id: refundID, at: now) }
            let consumer = try ConsumerID(order.consumerID)
            // Plan operation ids are per shopper and at most 64 bytes: derive one from the order and refund ids.
            let operation = DerivedOperationID.refund(orderID: orderID, refundID: refundID)
            let batches = try refund.allocations.enumerated().map { index, portion in
                try servicing.refundPostingLater(
                    consumer: consumer, plan: try PlanID(portion.planID), amount: portion.amount,
                    operationID: "\(operation):\(index)", in: connection, at: now
                ).transfers
            }
            try Self.event(.orderRefunded, order, connection, at: now, extra: ["refund_id": .text(refundID), "amount": .money(amount)])
            return {
                for transfers in batches { try servicing.post(transfers, in: connection, at: now) }
            }
        })
    }

    /// Cancels an order with no capture and releases its hold.
    public func cancel(merchant: MerchantID, orderID: String) throws -> Order {
        try changeOrder(merchant, orderID) { order, connection, now in
            if order.state == .cancelled { return false }
            try Self.orderStep { () throws(OrderError) in try order.cancel(at: now) }
            try Self.release(order, generation: order.holdGeneration, connection, at: now)
            try Self.event(.orderCancelled, order, connection, at: now)
            return true
        }
    }

    /// Gives up the authorization not yet captured and releases its hold: `order.cancelled` when nothing was
    /// captured, `order.authorization_released` with the amount `released` otherwise.
    public func releaseRemainingAuthorization(merchant: MerchantID, orderID: String) throws -> Order {
        try changeOrder(merchant, orderID) { order, connection, now in
            let generation = order.holdGeneration
            let released = order.remainingAuthorization(at: now)
            try Self.orderStep { () throws(OrderError) in try order.releaseRemaining(at: now) }
            try Self.release(order, generation: generation, connection, at: now)
            if order.state == .cancelled {
                try Self.event(.orderCancelled, order, connection, at: now)
            } else {
                try Self.event(.orderAuthorizationReleased, order, connection, at: now, extra: ["released": .money(released)])
            }
            return true
        }
    }

    /// Extends the authorization by `days`: the hold is replaced by one that lasts until the new expiry.
    public func extendAuthorization(merchant: MerchantID, orderID: String, days: Int) throws -> Order {
        try changeOrder(merchant, orderID) { order, connection, now in
            let generation = order.holdGeneration
            let remaining = order.remainingAuthorization(at: now)
            try Self.orderStep { () throws(OrderError) in
                try order.extendAuthorization(by: .seconds(Int64(days) * 86_400), at: now)
            }
            try Self.release(order, generation: generation, connection, at: now)
            try hold(order, try ConsumerID(order.consumerID), remaining: remaining, connection, at: now)
            return true
        }
    }

    // MARK: Helpers

    /// Loads and locks a merchant's order, lets `body` change it (returning false when it is a retry that changes
    /// nothing), and writes it back, all in one transaction.
    private func changeOrder(
        _ merchant: MerchantID, _ orderID: String, _ body: (inout Order, any SQLConnection, Instant) throws -> Bool
    ) throws -> Order {
        try changeOrder(merchant, orderID, postingLast: { order, connection, now in
            try body(&order, connection, now) ? {} : nil
        })
    }

    /// `changeOrder`, where the body returns nil for an unchanged order, or what to do after the order's update: the
    /// ledger batches that lock the platform's exposure (PostgreSQL) until the COMMIT, so that they come last.
    private func changeOrder(
        _ merchant: MerchantID, _ orderID: String,
        postingLast body: (inout Order, any SQLConnection, Instant) throws -> (() throws -> Void)?
    ) throws -> Order {
        let now = clock.now()
        return try database.write { connection in
            let repository = CheckoutRepository(connection)
            guard let record = try repository.order(merchantID: merchant.rawValue, id: orderID, forUpdate: true) else {
                throw CheckoutError.orderNotFound(orderID)
            }
            var order = try Self.decode(Order.self, record.document)
            guard let last = try body(&order, connection, now) else { return order }
            try repository.update(try Self.record(order, version: record.version), expectedVersion: record.version, at: now)
            try last()
            return order
        }
    }

    /// Places the hold of the order's current generation for `remaining`, lasting until the order's expiry;
    /// `earlier` transfers (a new shopper's first limit) go first in the same ledger batch.
    /// `accountsRead`: see `LedgerRepository.submit(_:at:reusing:)`.
    ///
    /// `decision`: the approval the hold is for, whose decision read the platform's exposure without locking it
    /// (`ContextGatherer`). The submit locks the exposure; if it meets the capacity there, or the decision would not
    /// be the same on the exposure it found, the transaction is run again (a conflict), and decides anew on the
    /// exposure as it then stands: every approval stands on the exposure its hold was posted on.
    func hold(
        _ order: Order, _ consumer: ConsumerID, remaining: Money, _ connection: any SQLConnection, at now: Instant,
        after earlier: [TransferRequest] = [], reusing accountsRead: LedgerAccountsRead? = nil,
        approvedBy decision: CreditDecision? = nil
    ) throws {
        // Whole seconds (the ledger's unit for timeouts), rounded down: the hold never outlives the order.
        let timeout = Duration.seconds(max(1, now.duration(to: order.expiresAt).components.seconds))
        let requests = try CreditLineService.holdRequests(
            consumer, holdID: try TransferID(order.holdID(generation: order.holdGeneration)), amount: remaining,
            timeout: timeout)
        let posted = try post(
            earlier + requests, consumer, remaining.currency, connection, at: now, reusing: accountsRead,
            capacityIsConflict: decision != nil)
        if let decision, let posted {
            try underwriting.confirmExposure(of: decision, holding: remaining, after: posted)
        }
    }

    /// Posts `requests`; returns the ledger's outcome (nil when there was nothing to post). `capacityIsConflict`:
    /// the platform's capacity reached is a conflict to run the transaction again on, not a refusal.
    @discardableResult
    func post(
        _ requests: [TransferRequest], _ consumer: ConsumerID, _ currency: Currency, _ connection: any SQLConnection,
        at now: Instant, reusing accountsRead: LedgerAccountsRead? = nil, capacityIsConflict: Bool = false
    ) throws -> LedgerBatchOutcome? {
        guard !requests.isEmpty else { return nil }
        do {
            return try CreditLineService.post(
                requests, consumer, currency, LedgerRepository(connection), at: now, reusing: accountsRead)
        } catch let error as CreditLineError {
            if capacityIsConflict, case .platformCapacityReached = error {
                throw UnderwritingService.exposureMoved("the platform's capacity was reached since the decision read the exposure")
            }
            throw CheckoutError.creditUnavailable(error.description)
        }
    }

    /// Releases the hold of `generation`; one already expired in the ledger has nothing left to release.
    static func release(_ order: Order, generation: Int, _ connection: any SQLConnection, at now: Instant) throws {
        let holdID = try TransferID(order.holdID(generation: generation))
        let requests = try CreditLineService.releaseRequests(holdID: holdID, releaseID: try TransferID(holdID.rawValue + ":release"))
        let results = try LedgerRepository(connection).submit(requests, at: now).results
        for result in results {
            switch result {
            case .created, .exists, .rejected(.pendingTransferExpired), .rejected(.linkedEventFailed): continue
            case let .rejected(rejection): throw CreditLineError.rejected(rejection)
            }
        }
    }

    static func event(
        _ type: WebhookEventType, _ order: Order, _ connection: any SQLConnection, at now: Instant,
        extra: [String: WebhookValue] = [:], numbered numbering: WebhookOutbox.EventNumbering = .afterPrevious
    ) throws {
        var data: [String: WebhookValue] = [
            "order_id": .text(order.id), "state": .text(order.state.rawValue),
            "merchant_reference": .text(order.merchantReference), "currency": .text(order.currency.code),
            "authorized": .money(order.authorized), "captured": .money(order.captured), "refunded": .money(order.refunded),
        ]
        data.merge(extra) { $1 }
        try WebhookOutbox.enqueue(
            type, merchant: try MerchantID(order.merchantID), orderID: order.id, values: data, numbered: numbering,
            in: connection, at: now)
    }

    /// Refuses a merchant's text with a control character (`containsControlCharacters`) at `field`.
    static func refuseControlCharacters(_ text: String, field: String) throws(CheckoutError) {
        guard !text.containsControlCharacters else {
            throw .invalidField(field: field, reason: "must not hold control characters (NUL, line breaks, tabs, escape)")
        }
    }

    private func validate(_ new: NewCheckout) throws {
        guard !new.lines.isEmpty, new.lines.count <= Self.linesMaximum else {
            throw CheckoutError.invalidField(field: "/lines", reason: "expected 1 to \(Self.linesMaximum) lines")
        }
        guard new.total.isPositive else { throw CheckoutError.invalidField(field: "/total", reason: "must be positive") }
        guard (try? ConsumerID(new.consumerID)) != nil else {
            throw CheckoutError.invalidField(field: "/shopper_reference", reason: "1 to 64 letters, digits or . _ - /")
        }
        try Self.refuseControlCharacters(new.merchantReference, field: "/merchant_reference")
        var sum: Int64 = 0
        for (index, line) in new.lines.enumerated() {
            try Self.refuseControlCharacters(line.name, field: "/lines/\(index)/name")
            guard line.unitPrice.currency == new.total.currency else {
                throw CheckoutError.invalidField(field: "/lines/\(index)/unit_price", reason: "not in \(new.total.currency.code)")
            }
            guard line.quantity > 0, line.quantity <= 1_000_000, !line.unitPrice.isNegative else {
                throw CheckoutError.invalidField(field: "/lines/\(index)", reason: "quantity must be 1 to 1000000 and the price not negative")
            }
            guard (0...10_000).contains(line.taxRate.rawValue) else {
                throw CheckoutError.invalidField(field: "/lines/\(index)/tax_rate_bp", reason: "must be 0 to 10000")
            }
            let (amount, overflow) = line.unitPrice.minorUnits.multipliedReportingOverflow(by: line.quantity)
            let (next, overflowSum) = sum.addingReportingOverflow(amount)
            guard !overflow, !overflowSum else {
                throw CheckoutError.invalidField(field: "/lines/\(index)", reason: "the amount is too large")
            }
            sum = next
        }
        guard sum == new.total.minorUnits else {
            let linesSum = Money(minorUnits: sum, currency: new.total.currency)
            throw CheckoutError.totalMismatch(
                total: new.total, linesSum: linesSum,
                difference: Money(minorUnits: new.total.minorUnits - sum, currency: new.total.currency))
        }
    }

    /// A checkout's state, order and reasons.
    struct CheckoutOutcome {
        var state: Checkout.State
        var orderID: String?
        var reasons: [String]
    }

    /// The outcome a stored checkout has: open without a recorded one; else the record's, with the document's
    /// order and reasons where the record has none (checkouts decided before schema version 7).
    static func outcome(
        of recorded: CheckoutOutcomeRecord?, checkoutID: String, documentOrderID: String?, documentReasons: [String]?
    ) throws -> CheckoutOutcome {
        guard let recorded else { return CheckoutOutcome(state: .open, orderID: nil, reasons: []) }
        guard let state = Checkout.State(rawValue: recorded.state), state != .open, state != .expired else {
            throw StoreError.unreadableRow("checkout \(checkoutID) has the outcome state '\(recorded.state)'")
        }
        let reasons = try recorded.reasons.map { try decode([String].self, $0) } ?? documentReasons ?? []
        return CheckoutOutcome(state: state, orderID: recorded.orderID ?? documentOrderID, reasons: reasons)
    }

    /// A checkout is decided once: authorizing it again answers the first decision, but only to the request that
    /// was decided (a retry). Another product or other shopper details would otherwise be answered with a decision
    /// they were never weighed for: a merchant who switched the shopper to another product read "approved" for an
    /// order on the first. Decisions are compared as applied for, without the instant (a retry comes later).
    /// A checkout decided before decisions were stored with their application has nothing to compare with, and
    /// answers as before.
    private static func requireSameApplication(
        _ prepared: PreparedApplication, decidedAs state: Checkout.State, _ connection: any SQLConnection
    ) throws {
        let id = prepared.application.decisionId
        guard let record = try UnderwritingRepository(connection).decision(consumerID: prepared.consumer.rawValue, decisionID: id)
        else { return }
        var decided = try UnderwritingService.decode(record.document).snapshot.application
        decided.at = prepared.application.at
        guard decided == prepared.application else { throw CheckoutError.checkoutClosed(id: id, state: state.rawValue) }
    }

    /// The answer a decided checkout gives, naming the decision that decided it: the authorization's (the
    /// checkout's id) or, for a referral a person reviewed, the review's. Only a decided checkout reads its referral.
    private static func previousAnswer(
        _ outcome: CheckoutOutcome, _ checkout: CheckoutTerms, _ connection: any SQLConnection
    ) throws -> AuthorizationOutcome? {
        switch outcome.state {
        case .open: return nil
        case .referred: return .referred(decisionID: checkout.id, reasons: outcome.reasons)
        case .cancelled: throw CheckoutError.checkoutCancelled(checkout.id)
        case .expired: throw StoreError.inconsistent("checkout \(checkout.id) has the stored state expired, only ever read")
        case .authorized, .declined: break
        }
        let reviewed = try ReferralRepository(connection).referral(checkoutID: checkout.id)?.review != nil
        let decisionID = reviewed ? reviewDecisionID(checkout.id) : checkout.id
        guard outcome.state == .authorized else { return .declined(decisionID: decisionID, reasons: outcome.reasons) }
        guard let orderID = outcome.orderID,
            let record = try CheckoutRepository(connection).order(merchantID: checkout.merchantID, id: orderID)
        else { throw StoreError.inconsistent("checkout \(checkout.id) is authorized without its order") }
        return .approved(try decode(Order.self, record.document), decisionID: decisionID)
    }

    static func record(_ order: Order, version: Int64) throws -> OrderRecord {
        OrderRecord(
            consumerID: order.consumerID, id: order.id, merchantID: order.merchantID, state: order.state.rawValue,
            expiresAt: order.expiresAt, document: try CanonicalJSON.encode(order), version: version)
    }

    static func decode<T: Decodable>(_ type: T.Type, _ document: String) throws -> T {
        do { return try JSONDecoder().decode(type, from: Data(document.utf8)) } catch {
            throw StoreError.unreadableRow("\(type): \(error)")
        }
    }

    static func orderStep<T>(_ body: () throws(OrderError) -> T) throws(CheckoutError) -> T {
        do { return try body() } catch { throw .order(error) }
    }
}
