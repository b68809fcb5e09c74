import Foundation
import Synchronization
import PaylaterCrypto
public import PaylaterLedger
public import PaylaterMoney
public import PaylaterStore
public import PaylaterTime

/// A merchant as the API sees it.
public struct MerchantProfile: Sendable, Hashable {
    public let id: MerchantID
    public let name: String
    /// The pricing the merchant's next settlement applies; changes scheduled for a later date wait until the end of
    /// day reaches it (`MerchantService.scheduledPricing`, `applyScheduledPricing(of:through:)`).
    public let pricing: MerchantPricingTerms
    /// Who confirms the merchant's checkouts before they can be authorized.
    public let checkoutConfirmation: CheckoutConfirmation

    /// Whether the merchant reads the shopper's own reasons for a decline or referral. Those tell of the shopper's
    /// standing everywhere (an overdue repayment, a paused limit, the credit available), which only a merchant
    /// trusted with its shoppers (`CheckoutConfirmation.merchant`) is told; one whose checkouts the shopper
    /// confirms reads the policy's generic text, and the shopper their own reasons (`GET /v1/me/decisions`,
    /// `GET /v1/me/checkouts/{id}`).
    public var readsShopperReasons: Bool { checkoutConfirmation == .merchant }

    /// `reasons` as the merchant reads them: as they are, or `generic` in place of any.
    func reasons(_ reasons: [String], generic: String) -> [String] {
        readsShopperReasons || reasons.isEmpty ? reasons : [generic]
    }
}

/// Who confirms a merchant's checkouts before they can be authorized.
///
/// A checkout names its shopper and carries the applicant's details on the merchant's word. That suits a caller the
/// platform trusts with its shoppers (the marketplace itself, a merchant under contract), `merchant`. A merchant it
/// does not, such as a self-service seller on an open marketplace, could otherwise open a plan in its own favour on
/// any shopper id: its checkouts are confirmed by the shopper, `shopper`, with their own credential
/// (`POST /v1/me/checkouts/{id}/confirm`), before the merchant may authorize them, and only for the product the
/// shopper chose.
public enum CheckoutConfirmation: String, Sendable, Hashable, CaseIterable {
    case merchant, shopper
}

/// A merchant's discount: basis points of each capture plus a fixed fee per order in each currency.
public struct MerchantPricingTerms: Sendable, Hashable, Codable {
    public var discountRate: BasisPoints
    public var fixedFees: [String: Money]

    public init(discountRate: BasisPoints, fixedFees: [Currency: Money] = [:]) {
        self.discountRate = discountRate
        self.fixedFees = Dictionary(uniqueKeysWithValues: fixedFees.map { ($0.key.code, $0.value) })
    }

    /// These terms with `change` made: its rate when it gives one, its fixed fees in the currencies it names (a zero
    /// fee removes the currency's), and the other currencies' fees kept unless it clears them.
    public func applying(_ change: MerchantPricingChange) -> MerchantPricingTerms {
        var changed = self
        if let rate = change.discountRate { changed.discountRate = rate }
        if change.clearsOtherFixedFees { changed.fixedFees = [:] }
        for (currency, fee) in change.fixedFees {
            changed.fixedFees[currency.code] = fee.isZero ? nil : fee
        }
        return changed
    }

    /// The settlement pricing in `currency` (a zero fixed fee where none is set).
    public func settlementPricing(_ currency: Currency) throws -> MerchantPricing {
        try MerchantPricing(
            discountRate: discountRate, fixedFeePerOrder: fixedFees[currency.code] ?? .zero(currency), currency: currency)
    }
}

/// What an operator changes of a merchant's pricing; what it leaves out stays as it is.
public struct MerchantPricingChange: Sendable, Hashable {
    /// The new discount rate, or nil to keep it.
    public var discountRate: BasisPoints?
    /// The new fixed fee per order in each currency named; zero removes the currency's fee.
    public var fixedFees: [Currency: Money]
    /// Removes the fixed fees of the currencies `fixedFees` does not name.
    public var clearsOtherFixedFees: Bool

    public init(discountRate: BasisPoints? = nil, fixedFees: [Currency: Money] = [:], clearsOtherFixedFees: Bool = false) {
        self.discountRate = discountRate
        self.fixedFees = fixedFees
        self.clearsOtherFixedFees = clearsOtherFixedFees
    }

    /// Every term replaced by `terms`.
    public static func replacing(with terms: MerchantPricingTerms) -> MerchantPricingChange {
        MerchantPricingChange(
            discountRate: terms.discountRate,
            fixedFees: Dictionary(uniqueKeysWithValues: terms.fixedFees.compactMap { code, fee in
                (try? Currency(code: code)).map { ($0, fee) }
            }),
            clearsOtherFixedFees: true)
    }
}

/// What a pricing change did: the pricing before and after it, and the changes scheduled for later dates, which
/// take over from theirs.
public struct MerchantPricingChangeResult: Sendable {
    public let before: MerchantPricingTerms
    public let after: MerchantPricingTerms
    public let later: [(effectiveOn: LocalDate, pricing: MerchantPricingTerms)]
}

/// Merchants and their API keys: a key is shown once when made and only its SHA-256 is stored, so a database
/// leak does not leak keys (keys are 256-bit random, so a plain hash is enough; no salt or stretching needed).
public struct MerchantService: Sendable {
    public let database: any Database
    public let clock: any Clock

    /// Shared by the copies of this service, as the API's request threads hold it.
    private let authenticated = AuthenticatedMerchants()

    public init(database: any Database, clock: any Clock) {
        self.database = database
        self.clock = clock
    }

    /// The longest merchant name, in UTF-8 bytes.
    public static let nameByteCountMaximum = 200

    /// A merchant's name without the spaces around it: not blank, at most `nameByteCountMaximum` bytes, and no
    /// control characters (a name lands in settlement reports and logs, where a line break would forge a line).
    /// - Throws: `CheckoutError.invalidField("name")` saying which rule it breaks.
    public static func checkedName(_ name: String) throws(CheckoutError) -> String {
        let trimmed = name.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty else { throw .invalidField(field: "name", reason: "a merchant's name must not be blank") }
        guard trimmed.utf8.count <= nameByteCountMaximum else {
            throw .invalidField(
                field: "name", reason: "at most \(nameByteCountMaximum) bytes, not \(trimmed.utf8.count)")
        }
        guard !trimmed.containsControlCharacters else {
            throw .invalidField(field: "name", reason: "a merchant's name must not hold control characters (line breaks, tabs)")
        }
        return trimmed
    }

    /// Makes a merchant; returns it with its API key, which is never shown again.
    public func create(
        name: String, pricing: MerchantPricingTerms, checkoutConfirmation: CheckoutConfirmation = .merchant
    ) throws -> (merchant: MerchantProfile, apiKey: String) {
        let trimmed = try Self.checkedName(name)
        let id = try MerchantID("m_" + Hex.encode(try SecureRandom.bytes(count: 8)))
        let apiKey = try Self.newAPIKey()
        let record = MerchantRecord(
            id: id.rawValue, name: trimmed, apiKeyHash: Self.hash(apiKey),
            discountRateBasisPoints: pricing.discountRate.rawValue, fixedFees: try CanonicalJSON.encode(pricing.fixedFees),
            checkoutConfirmation: checkoutConfirmation.rawValue)
        let now = clock.now()
        try database.write { connection in try CheckoutRepository(connection).insert(record, at: now) }
        return (MerchantProfile(id: id, name: trimmed, pricing: pricing, checkoutConfirmation: checkoutConfirmation), apiKey)
    }

    /// Sets who confirms the merchant's checkouts made from now on (those made before keep their rule); returns
    /// the rule it had. Forgets the merchant here at once, in other server processes within
    /// `AuthenticatedMerchants.timeToLive`.
    /// - Throws: `CheckoutError.merchantNotFound`.
    @discardableResult
    public func setCheckoutConfirmation(_ merchant: MerchantID, to confirmation: CheckoutConfirmation) throws -> CheckoutConfirmation {
        let before = try database.write { connection in
            let repository = CheckoutRepository(connection)
            guard let record = try repository.merchant(id: merchant.rawValue, forUpdate: true) else {
                throw CheckoutError.merchantNotFound(merchant.rawValue)
            }
            _ = try repository.replaceCheckoutConfirmation(merchantID: merchant.rawValue, with: confirmation.rawValue)
            return try Self.merchant(record).checkoutConfirmation
        }
        authenticated.forget(merchant)
        return before
    }

    /// Gives a merchant a new API key, returned here and never shown again; the old key stops working at once in
    /// this process, and in other server processes once they forget it (`AuthenticatedMerchants.timeToLive`).
    /// For a key that leaked, or a routine rotation (there is one key per merchant, so the merchant's systems
    /// switch to the new key as it is made).
    /// - Throws: `CheckoutError.merchantNotFound`.
    public func rotateKey(_ merchant: MerchantID) throws -> String {
        let apiKey = try Self.newAPIKey()
        try database.write { connection in
            guard try CheckoutRepository(connection).replaceAPIKeyHash(merchantID: merchant.rawValue, with: Self.hash(apiKey))
            else { throw CheckoutError.merchantNotFound(merchant.rawValue) }
        }
        authenticated.forget(merchant)
        return apiKey
    }

    /// Replaces a merchant's pricing; returns the pricing it had (`changePricing`).
    /// - Throws: `CheckoutError.merchantNotFound`.
    public func setPricing(_ merchant: MerchantID, to pricing: MerchantPricingTerms) throws -> MerchantPricingTerms {
        try changePricing(merchant, .replacing(with: pricing)).before
    }

    /// Changes a merchant's pricing, read and written with the merchant's row locked so that two changes at once
    /// apply one after the other (each reports the other's result as its "before").
    ///
    /// Without `effectiveOn`, the change takes effect at once: the merchant's next settlement prices every line it
    /// covers at the new terms, lines captured before the change included. It builds on, and replaces, changes
    /// scheduled for yesterday (UTC) or earlier that no end of day has applied yet: their date has come in every
    /// time zone. Changes scheduled for later dates stay, and take over from their dates (`later`).
    ///
    /// With `effectiveOn`, the change is scheduled: the end of day's settlement for that date and later ones price at
    /// it (`applyScheduledPricing(of:through:)`); "before" is the pricing that date would otherwise have had, and the
    /// whole new pricing is kept for the date, so a change scheduled for a later date keeps the terms it set
    /// (`later`). The date must still be open: not before yesterday (UTC), which is past in every time zone, and
    /// after the latest date the end of day has settled this merchant for.
    /// - Throws: `CheckoutError.merchantNotFound`; `.invalidField("effective_on")` for a date no longer open.
    public func changePricing(_ merchant: MerchantID, _ change: MerchantPricingChange, effectiveOn: LocalDate? = nil)
        throws -> MerchantPricingChangeResult
    {
        let now = clock.now()
        let yesterday = try now.utcDateTime.date.adding(days: -1)
        if let effectiveOn, effectiveOn < yesterday {
            throw CheckoutError.invalidField(
                field: "effective_on", reason: "\(effectiveOn) is past in every time zone (it is \(now.utcDateTime.date) in UTC)")
        }
        let result = try database.write { connection in
            let repository = CheckoutRepository(connection)
            guard let record = try repository.merchant(id: merchant.rawValue, forUpdate: true) else {
                throw CheckoutError.merchantNotFound(merchant.rawValue)
            }
            if let effectiveOn, let settled = try SettlementService.latestEndOfDayDate(merchant: merchant, in: connection),
                effectiveOn <= settled
            {
                throw CheckoutError.invalidField(
                    field: "effective_on",
                    reason: "the end of day has settled \(merchant) for \(settled) already: a change applies from "
                        + "\(try settled.adding(days: 1)) at the earliest")
            }
            let through = effectiveOn ?? yesterday
            let scheduled = try repository.scheduledPricing(merchantID: merchant.rawValue)
            let before = try scheduled.last { $0.effectiveOn <= through.description }.map(Self.pricing)
                ?? Self.merchant(record).pricing
            let after = before.applying(change)
            let fixedFees = try CanonicalJSON.encode(after.fixedFees)
            if let effectiveOn {
                try repository.schedulePricing(
                    merchantID: merchant.rawValue, effectiveOn: effectiveOn.description,
                    discountRateBasisPoints: after.discountRate.rawValue, fixedFees: fixedFees, at: now)
            } else {
                _ = try repository.replacePricing(
                    merchantID: merchant.rawValue, discountRateBasisPoints: after.discountRate.rawValue, fixedFees: fixedFees)
                try repository.removeScheduledPricing(merchantID: merchant.rawValue, through: yesterday.description)
            }
            let later = try scheduled.filter { $0.effectiveOn > through.description }.map { record in
                (effectiveOn: try LocalDate(iso8601: record.effectiveOn), pricing: try Self.pricing(record))
            }
            return MerchantPricingChangeResult(before: before, after: after, later: later)
        }
        authenticated.forget(merchant)
        return result
    }

    /// The pricing changes scheduled for `merchant` and not yet made effective, in date order.
    public func scheduledPricing(_ merchant: MerchantID) throws -> [(effectiveOn: LocalDate, pricing: MerchantPricingTerms)] {
        try database.read { connection in
            try CheckoutRepository(connection).scheduledPricing(merchantID: merchant.rawValue).map { record in
                (try LocalDate(iso8601: record.effectiveOn), try Self.pricing(record))
            }
        }
    }

    /// The pricing changes scheduled on or before `date` that no end of day has applied yet: each merchant and the
    /// date its change takes effect, in date order (then merchant id).
    public func scheduledPricingDue(through date: LocalDate) throws -> [(merchant: MerchantID, effectiveOn: LocalDate)] {
        let due = try database.read { connection in
            try CheckoutRepository(connection).scheduledPricing(through: date.description).map { record in
                (merchant: try MerchantID(record.merchantID), effectiveOn: try LocalDate(iso8601: record.effectiveOn))
            }
        }
        return due.sorted { ($0.effectiveOn, $0.merchant.rawValue) < ($1.effectiveOn, $1.merchant.rawValue) }
    }

    /// Makes the latest pricing change scheduled on or before `date` for each of `merchants` its pricing, in one
    /// transaction. The end of day does this (`EndOfDaySettlement`), one merchant at a time and only after settling
    /// the day before the change at the old terms: applying every merchant's due changes at once, before settling,
    /// priced a missed day's lines at the new terms. Returns the merchants whose pricing changed. A rerun finds
    /// nothing left to do.
    @discardableResult
    public func applyScheduledPricing(of merchants: Set<MerchantID>, through date: LocalDate) throws -> [MerchantID] {
        let changed = try database.write { connection in
            let repository = CheckoutRepository(connection)
            // Each merchant's changes are read below, under its row lock: reading every merchant's changes due for
            // each one applied made the end of day quadratic in the changes due.
            let due = Set(merchants.map(\.rawValue))
            var changed: [MerchantID] = []
            for merchantID in due.sorted() {
                // The merchant's row locked, then its changes read again, as `changePricing` does: one made at once
                // meanwhile built on the due change and dropped it, and must not be overwritten by it.
                guard try repository.merchant(id: merchantID, forUpdate: true) != nil,
                    let change = try repository.scheduledPricing(merchantID: merchantID, through: date.description).last
                else { continue }
                _ = try repository.replacePricing(
                    merchantID: merchantID, discountRateBasisPoints: change.discountRateBasisPoints,
                    fixedFees: change.fixedFees)
                try repository.removeScheduledPricing(merchantID: merchantID, through: date.description)
                changed.append(try MerchantID(merchantID))
            }
            return changed
        }
        for merchant in changed { authenticated.forget(merchant) }
        return changed
    }

    private static func newAPIKey() throws -> String { "plk_" + (try SecureRandom.token(byteCount: 32)) }

    /// The merchant whose API key this is if it is remembered (`AuthenticatedMerchants`), without reading the store;
    /// nil otherwise.
    public func remembered(apiKey: String) -> MerchantProfile? {
        guard apiKey.hasPrefix("plk_"), apiKey.utf8.count <= 128 else { return nil }
        return authenticated.merchant(keyHash: Self.hash(apiKey), at: clock.now())
    }

    /// The merchant whose API key this is, or nil. A merchant found is remembered for a short while (see
    /// `AuthenticatedMerchants`); a key not found is looked up again every time.
    public func authenticate(apiKey: String) throws -> MerchantProfile? {
        guard apiKey.hasPrefix("plk_"), apiKey.utf8.count <= 128 else { return nil }
        let hash = Self.hash(apiKey)
        let now = clock.now()
        if let merchant = authenticated.merchant(keyHash: hash, at: now) { return merchant }
        let merchant = try database.read { connection in
            try CheckoutRepository(connection).merchant(apiKeyHash: hash).map(Self.merchant)
        }
        if let merchant { authenticated.remember(merchant, keyHash: hash, at: now) }
        return merchant
    }

    public func merchant(_ id: MerchantID) throws -> MerchantProfile {
        try database.read { connection in
            guard let record = try CheckoutRepository(connection).merchant(id: id.rawValue) else {
                throw CheckoutError.merchantNotFound(id.rawValue)
            }
            return try Self.merchant(record)
        }
    }

    public func merchants() throws -> [MerchantProfile] {
        try database.read { connection in try CheckoutRepository(connection).merchants().map(Self.merchant) }
    }

    static func hash(_ apiKey: String) -> String { SHA256.hash(apiKey).hex }

    static func merchant(_ record: MerchantRecord) throws -> MerchantProfile {
        guard let confirmation = CheckoutConfirmation(rawValue: record.checkoutConfirmation) else {
            throw StoreError.unreadableRow("merchant \(record.id) has the checkout confirmation '\(record.checkoutConfirmation)'")
        }
        return MerchantProfile(
            id: try MerchantID(record.id), name: record.name,
            pricing: try pricing(discountRateBasisPoints: record.discountRateBasisPoints, fixedFees: record.fixedFees),
            checkoutConfirmation: confirmation)
    }

    private static func pricing(_ record: ScheduledPricingRecord) throws -> MerchantPricingTerms {
        try pricing(discountRateBasisPoints: record.discountRateBasisPoints, fixedFees: record.fixedFees)
    }

    private static func pricing(discountRateBasisPoints: Int64, fixedFees: String) throws -> MerchantPricingTerms {
        // Read on every merchant request (the API key's check), so by hand rather than with `JSONDecoder`.
        let stored = try CanonicalJSONObject.read(fixedFees, path: "fixed fees")
        var fees: [String: Money] = [:]
        for currency in stored.keys { fees[currency] = try stored.money(currency) }
        var pricing = MerchantPricingTerms(discountRate: BasisPoints(discountRateBasisPoints))
        pricing.fixedFees = fees
        return pricing
    }
}

/// Merchants recently authenticated, by the SHA-256 of their API key, each for `timeToLive` after it was read.
///
/// Nearly every API request is a merchant's, and checking its key took a read transaction and the decoding of the
/// merchant's pricing each time: 9% of a connection thread's work per authorization. A merchant found may be reused;
/// the time to live bounds how long one would outlive a change made behind the service (a key rotated or pricing
/// set by another process, or anything changed by hand); a rotation or a pricing change in this process forgets the
/// merchant at once (`MerchantService.rotateKey`, `setPricing`). A key that was not found is never remembered, so a merchant made a moment ago authenticates at once, and wrong keys cannot
/// fill the table.
final class AuthenticatedMerchants: Sendable {
    static let timeToLive: Duration = .seconds(10)
    /// At most this many keys are remembered; a full table first forgets the expired ones, then all.
    static let capacity = 4_096

    private let entries = Mutex<[String: (merchant: MerchantProfile, expiresAt: Instant)]>([:])

    /// The merchant remembered under `keyHash`, unless it has expired by `now`.
    func merchant(keyHash: String, at now: Instant) -> MerchantProfile? {
        entries.withLock { entries in
            guard let entry = entries[keyHash] else { return nil }
            return now < entry.expiresAt ? entry.merchant : nil
        }
    }

    /// Forgets every key remembered for `merchant` (its key was replaced).
    func forget(_ merchant: MerchantID) {
        entries.withLock { entries in entries = entries.filter { $0.value.merchant.id != merchant } }
    }

    func remember(_ merchant: MerchantProfile, keyHash: String, at now: Instant) {
        let expiresAt = (try? now.adding(Self.timeToLive)) ?? Instant(nanosecondsSinceUnixEpoch: .max)
        entries.withLock { entries in
            if entries.count >= Self.capacity, entries[keyHash] == nil {
                entries = entries.filter { now < $0.value.expiresAt }
                if entries.count >= Self.capacity { entries.removeAll(keepingCapacity: true) }
            }
            entries[keyHash] = (merchant, expiresAt)
        }
    }
}
