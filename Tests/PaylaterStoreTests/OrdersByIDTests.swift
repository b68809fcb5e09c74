import PaylaterLedger
@testable import PaylaterStore
import PaylaterTestSupport
import PaylaterTime
import Testing

/// `CheckoutRepository.orders(merchantID:ids:)`: a merchant's orders looked up in bulk (a settlement's statement).
@Suite("Orders looked up in bulk")
struct OrdersByIDTests {
    @Test("the merchant's orders among the ids, across IN lists of 512, never another merchant's", arguments: StoreKind.available)
    func bulk(kind: StoreKind) throws {
        let store = try TestStore(kind)
        let now = store.clock.now()
        let ids = (0..<600).map { "ord_\($0)" }
        try store.database.write { connection in
            let orders = CheckoutRepository(connection)
            for (index, id) in ids.enumerated() {
                try orders.insert(
                    OrderRecord(
                        consumerID: "c\(index)", id: id, merchantID: index == 7 ? "m2" : "m1", state: "authorized",
                        expiresAt: now, document: #"{"id":"\#(id)"}"#, version: 1),
                    at: now)
            }
        }
        let found = try store.database.read { connection in
            try CheckoutRepository(connection).orders(merchantID: "m1", ids: ids + ["ord_missing"])
        }
        #expect(Set(found.map(\.id)) == Set(ids).subtracting(["ord_7"]))
        #expect(found.count == 599 && found.allSatisfy { $0.merchantID == "m1" })
        #expect(try store.database.read { try CheckoutRepository($0).orders(merchantID: "m1", ids: []) }.isEmpty)
    }
}
