@testable import PaylaterStore
import PaylaterTestSupport
import PaylaterTime
import Testing

/// Migration 20: who confirms a merchant's checkouts, and the rows shoppers confirm.
@Suite("Migration 20: checkouts confirmed by shoppers")
struct CheckoutsConfirmedByShoppersTests {
    @Test("merchants made before the migration take their own word, as they did; the rule accepts only merchant or shopper",
          arguments: StoreKind.available)
    func existingMerchants(kind: StoreKind) throws {
        let store = try TestStore(kind, migrations: Array(Schema.migrations.prefix(19)))
        try store.database.write { connection in
            try connection.execute(
                """
                INSERT INTO merchants (id, name, api_key_hash, discount_rate_bp, fixed_fees, created_at)
                VALUES ('m1', 'Acme', 'h', 250, '{}', 0)
                """, [])
        }
        #expect(try Migrator(migrations: Array(Schema.migrations.prefix(20))).migrate(store.database, at: store.clock.now()) == [20])
        #expect(try store.database.read { try CheckoutRepository($0).merchant(id: "m1") }?.checkoutConfirmation == "merchant")
        #expect(try store.database.write { try CheckoutRepository($0).replaceCheckoutConfirmation(merchantID: "m1", with: "shopper") })
        #expect(try store.database.read { try CheckoutRepository($0).merchant(id: "m1") }?.checkoutConfirmation == "shopper")
        #expect(throws: StoreError.self) {
            try store.database.write { try CheckoutRepository($0).replaceCheckoutConfirmation(merchantID: "m1", with: "nobody") }
        }
    }

    @Test("a checkout's shopper confirms it once; the row names its shopper and merchant", arguments: StoreKind.available)
    func confirmedOnce(kind: StoreKind) throws {
        let store = try TestStore(kind)
        let now = store.clock.now()
        try store.database.write { connection in
            let repository = CheckoutRepository(connection)
            try repository.insert(CheckoutRecord(merchantID: "m1", id: "chk_1", consumerID: "c1", document: "{}"), at: now)
            try repository.awaitShopperConfirmation(merchantID: "m1", checkoutID: "chk_1", consumerID: "c1")
        }
        let waiting = try store.database.read { try CheckoutRepository($0).shopperConfirmation(checkoutID: "chk_1") }
        #expect(waiting == ShopperConfirmationRecord(checkoutID: "chk_1", merchantID: "m1", consumerID: "c1"))
        #expect(try store.database.write { try CheckoutRepository($0).recordShopperConfirmation(checkoutID: "chk_1", productID: "pay-in-4", at: now) })
        #expect(try !store.database.write { try CheckoutRepository($0).recordShopperConfirmation(checkoutID: "chk_1", productID: "other", at: now) })
        let confirmed = try store.database.read { try CheckoutRepository($0).shopperConfirmation(checkoutID: "chk_1") }
        #expect(confirmed?.confirmed?.productID == "pay-in-4" && confirmed?.confirmed?.at == now)
        #expect(try store.database.read { try CheckoutRepository($0).shopperConfirmation(checkoutID: "chk_other") } == nil)
    }
}
