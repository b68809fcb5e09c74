public import PaylaterLedger
import PaylaterMoney
import PaylaterStore
import PaylaterTime

/// Checkouts confirmed by their shopper (`CheckoutConfirmation.shopper`): the shopper's view, their confirmation, and
/// the checks an authorization makes of it; and a checkout's lifetime, which bounds both.
extension CheckoutService {
    /// The checkout `id` as its shopper sees it before confirming it: the merchant's name, the lines, the total and
    /// every offer with its schedule, cost and APRs. Only a checkout its shopper confirms can be seen so, and only by
    /// that shopper.
    /// - Throws: `CheckoutError.checkoutNotFound` for any other (whether it exists is not the caller's to learn).
    public func checkout(consumer: ConsumerID, id: String) throws -> Checkout {
        try database.read { connection in
            let merchant = try Self.shopperConfirmation(consumer, id, connection).merchantID
            var checkout = try checkout(try MerchantID(merchant), id, connection)
            checkout.merchantName = try CheckoutRepository(connection).merchant(id: merchant)?.name
            return checkout
        }
    }

    /// The shopper confirms checkout `id` for `productID`, with their own credential: from then on the merchant may
    /// authorize it for that product only, and `checkout.confirmed` tells it so. Confirming it again for the same
    /// product returns it (a retry); a checkout is confirmed once, so another product is refused (the merchant makes
    /// a new checkout).
    /// - Throws: `CheckoutError.checkoutNotFound` (not the shopper's, or not one they confirm); `.productNotOffered`;
    ///   `.shopperConfirmedAnotherProduct`; `.checkoutNotOpen` once decided or cancelled.
    public func confirmByShopper(consumer: ConsumerID, id: String, productID: String) throws -> Checkout {
        let now = clock.now()
        return try database.write { connection in
            let repository = CheckoutRepository(connection)
            // Locked: a confirmation of the same checkout at once (a double tap) is waited for and read as made.
            let confirmation = try Self.shopperConfirmation(consumer, id, connection, forUpdate: true)
            let merchant = try MerchantID(confirmation.merchantID)
            let standing = try repository.checkoutStanding(merchantID: merchant.rawValue, id: id, forUpdate: true)
            if let confirmed = confirmation.confirmed {
                guard confirmed.productID == productID else {
                    throw CheckoutError.shopperConfirmedAnotherProduct(id: id, productID: confirmed.productID)
                }
                return try checkout(merchant, id, connection)
            }
            if case .decided(let outcome) = standing { throw CheckoutError.checkoutNotOpen(id: id, state: outcome.state) }
            guard let terms = try repository.checkoutTerms(merchantID: merchant.rawValue, id: id) else {
                throw CheckoutError.checkoutNotFound(id)
            }
            try requireUnexpired(id, madeAt: terms.createdAt, at: now)
            let quoted = try CheckoutTerms.read(terms.terms)
            guard quoted.offers.contains(where: { $0.productID == productID }) else {
                throw CheckoutError.productNotOffered(productID)
            }
            guard try repository.recordShopperConfirmation(checkoutID: id, productID: productID, at: now) else {
                throw StoreError.inconsistent("checkout \(id) is locked and unconfirmed, yet not confirmed")
            }
            try WebhookOutbox.enqueue(
                .checkoutConfirmed, merchant: merchant, orderID: id,
                values: [
                    "checkout_id": .text(id), "state": .text(Checkout.State.open.rawValue), "product_id": .text(productID),
                    "merchant_reference": .text(quoted.merchantReference), "currency": .text(quoted.total.currency.code),
                    "total": .money(quoted.total),
                ],
                numbered: .afterPrevious, in: connection, at: now)
            return try checkout(merchant, id, connection)
        }
    }

    /// The confirmation row of checkout `id` if it is `consumer`'s to confirm.
    static func shopperConfirmation(
        _ consumer: ConsumerID, _ id: String, _ connection: any SQLConnection, forUpdate: Bool = false
    ) throws -> ShopperConfirmationRecord {
        guard let record = try CheckoutRepository(connection).shopperConfirmation(checkoutID: id, forUpdate: forUpdate),
            record.consumerID == consumer.rawValue
        else { throw CheckoutError.checkoutNotFound(id) }
        return record
    }

    /// When an open checkout made at `createdAt` can no longer be authorized or confirmed.
    func expiry(ofCheckoutMadeAt createdAt: Instant) -> Instant { createdAt.advanced(by: checkoutLifetime) }

    /// Refuses an open checkout made at `createdAt` once its lifetime is over at `now`.
    func requireUnexpired(_ id: String, madeAt createdAt: Instant, at now: Instant) throws(CheckoutError) {
        let expiresAt = expiry(ofCheckoutMadeAt: createdAt)
        if now >= expiresAt { throw .checkoutExpired(id: id, expiredAt: expiresAt) }
    }

    /// Refuses to authorize a checkout its shopper confirms, unless they confirmed it for `productID`. Read before
    /// the writer's transaction: a confirmation, once made, never changes.
    ///
    /// `rule` is the merchant's now: a checkout made before its merchant's checkouts needed the shopper's
    /// confirmation has none to give, and is refused as well (the merchant makes a new one), so that a merchant
    /// switched to `shopper` cannot go on authorizing the open checkouts it made on its own word.
    func requireShopperConfirmation(
        _ checkout: CheckoutTerms, madeAt createdAt: Instant, productID: String, rule: CheckoutConfirmation,
        _ connection: any SQLConnection, at now: Instant
    ) throws {
        guard checkout.shopperConfirmation != nil || rule == .shopper else { return }
        let repository = CheckoutRepository(connection)
        guard let confirmed = try repository.shopperConfirmation(checkoutID: checkout.id)?.confirmed else {
            // One decided (cancelled) or expired unconfirmed is answered so, by the writer.
            if case .decided = try repository.checkoutStanding(merchantID: checkout.merchantID, id: checkout.id) { return }
            if now >= expiry(ofCheckoutMadeAt: createdAt) { return }
            guard checkout.shopperConfirmation != nil else { throw CheckoutError.madeBeforeShopperConfirmation(checkout.id) }
            throw CheckoutError.shopperConfirmationRequired(checkout.id)
        }
        guard confirmed.productID == productID else {
            throw CheckoutError.shopperConfirmedAnotherProduct(id: checkout.id, productID: confirmed.productID)
        }
    }
}
