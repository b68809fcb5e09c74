import PaylaterLedger
import PaylaterProducts
public import PaylaterStore
public import PaylaterTime

/// Records authorizations that ran out: the order's new state, its hold released (or found expired by the
/// ledger), and the `order.expired` event with the amount `released`, one transaction per order.
///
/// An order's expiry is otherwise only a matter of time (`Order.state(at:)`): without this sweep nothing changes
/// when it passes, and a merchant driven by webhooks would keep an expired order authorized. The API server's worker
/// runs it every pass and `paylater eod` once a run.
public struct AuthorizationExpiry: Sendable {
    public let database: any Database
    public let clock: any Clock

    /// The most orders one pass takes.
    public static let passLimit = 100

    public init(database: any Database, clock: any Clock) {
        self.database = database
        self.clock = clock
    }

    /// Records up to `limit` orders whose authorization ran out by now, earliest first; returns their ids.
    public func expireDue(limit: Int = Self.passLimit) throws -> [String] {
        precondition((1...Self.passLimit).contains(limit), "a limit in 1...\(Self.passLimit)")
        let due = try database.read { connection in
            try CheckoutRepository(connection).ordersPastExpiry(at: clock.now(), limit: limit)
        }
        var expired: [String] = []
        for order in due where try expire(merchantID: order.merchantID, orderID: order.id) {
            expired.append(order.id)
        }
        return expired
    }

    /// Records one order's expiry unless another transaction did first (or extended it meanwhile).
    private func expire(merchantID: String, orderID: String) throws -> Bool {
        let now = clock.now()
        return try database.write { connection in
            let repository = CheckoutRepository(connection)
            guard let record = try repository.order(merchantID: merchantID, id: orderID, forUpdate: true) else {
                throw StoreError.inconsistent("order \(orderID) vanished")
            }
            var order = try CheckoutService.decode(Order.self, record.document)
            guard order.state == .authorized || order.state == .partiallyCaptured, now >= order.expiresAt else {
                return false
            }
            let generation = order.holdGeneration
            let released = try CheckoutService.orderStep { () throws(OrderError) in try order.expire(at: now) }
            try CheckoutService.release(order, generation: generation, connection, at: now)
            try CheckoutService.event(.orderExpired, order, connection, at: now, extra: ["released": .money(released)])
            try repository.update(try CheckoutService.record(order, version: record.version), expectedVersion: record.version, at: now)
            return true
        }
    }
}
