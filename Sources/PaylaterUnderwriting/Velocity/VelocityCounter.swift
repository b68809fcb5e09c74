public import PaylaterTime

/// One earlier order on the platform, as the fraud counters see it: when, and the hashed device, shipping
/// address, payment instrument and shopper.
public struct OrderEvent: Sendable, Hashable, Codable {
    public var at: Instant
    public var deviceHash: String
    public var addressHash: String
    public var instrumentHash: String
    public var shopperHash: String

    public init(at: Instant, deviceHash: String, addressHash: String, instrumentHash: String, shopperHash: String) {
        self.at = at
        self.deviceHash = deviceHash
        self.addressHash = addressHash
        self.instrumentHash = instrumentHash
        self.shopperHash = shopperHash
    }
}

/// How many earlier orders share this order's device, address or instrument within the last hour and day, and
/// how many distinct shoppers used its device within the day.
public struct VelocityCounts: Sendable, Hashable {
    public var deviceHour = 0
    public var deviceDay = 0
    public var addressHour = 0
    public var addressDay = 0
    public var instrumentHour = 0
    public var instrumentDay = 0
    /// Distinct shoppers on the device within the day, this order's shopper included.
    public var accountsOnDeviceDay = 0

    public init() {}
}

/// Counts earlier orders around an application from the events the caller loaded (the last 24 hours suffice).
///
/// Windows are half-open, `(at − window, at]`: an event exactly one hour before the application is outside the
/// hour (and inside the day); an event exactly 24 hours before is outside the day. Events after the application
/// time (a clock ahead of ours) are not counted, so a replay sees only what could have been known. The counts
/// leave out this order itself; the rules add it.
public enum VelocityCounter {
    public static let hour: Duration = .seconds(3_600)
    public static let day: Duration = .seconds(86_400)

    /// The counts for an order at `at` from `deviceHash`, `addressHash` and `instrumentHash` by `shopperHash`.
    public static func count(
        _ events: [OrderEvent], at: Instant, deviceHash: String, addressHash: String, instrumentHash: String,
        shopperHash: String
    ) -> VelocityCounts {
        let dayStart = at.advanced(by: .zero - day).nanosecondsSinceUnixEpoch
        let hourStart = at.advanced(by: .zero - hour).nanosecondsSinceUnixEpoch
        var counts = VelocityCounts()
        var shoppersOnDevice: Set<String> = [shopperHash]
        for event in events {
            let time = event.at.nanosecondsSinceUnixEpoch
            guard time > dayStart, time <= at.nanosecondsSinceUnixEpoch else { continue }
            let inHour = time > hourStart
            if event.deviceHash == deviceHash {
                counts.deviceDay += 1
                if inHour { counts.deviceHour += 1 }
                shoppersOnDevice.insert(event.shopperHash)
            }
            if event.addressHash == addressHash {
                counts.addressDay += 1
                if inHour { counts.addressHour += 1 }
            }
            if event.instrumentHash == instrumentHash {
                counts.instrumentDay += 1
                if inHour { counts.instrumentHour += 1 }
            }
        }
        counts.accountsOnDeviceDay = shoppersOnDevice.count
        return counts
    }
}
