import PaylaterTime
import PaylaterUnderwriting
import Testing

@Suite("Counting recent orders for fraud velocity")
struct VelocityCounterTests {
    let now = DecisionFixture.now

    func event(
        secondsBefore: Int64, device: String = "device-1", address: String = "address-1",
        instrument: String = "card-1", shopper: String = "shopper-1"
    ) -> OrderEvent {
        OrderEvent(
            at: now.shifted(seconds: -secondsBefore), deviceHash: device, addressHash: address,
            instrumentHash: instrument, shopperHash: shopper)
    }

    func count(_ events: [OrderEvent]) -> VelocityCounts {
        VelocityCounter.count(
            events, at: now, deviceHash: "device-1", addressHash: "address-1",
            instrumentHash: "card-1", shopperHash: "shopper-1")
    }

    @Test(
        "windows are (at − window, at]: an event exactly 1 h before is outside the hour and inside the day",
        arguments: [
            (0, 1, 1), (3_599, 1, 1), (3_600, 0, 1), (3_601, 0, 1), (86_399, 0, 1), (86_400, 0, 0), (-1, 0, 0),
        ] as [(Int64, Int, Int)])
    func windowEdges(secondsBefore: Int64, hour: Int, day: Int) {
        let counts = count([event(secondsBefore: secondsBefore)])
        #expect(counts.deviceHour == hour)
        #expect(counts.deviceDay == day)
        #expect(counts.addressHour == hour)
        #expect(counts.instrumentDay == day)
    }

    @Test("each of device, address and instrument counts only its own matches")
    func separateKeys() {
        let counts = count([
            event(secondsBefore: 60, device: "other"), event(secondsBefore: 60, address: "other"),
            event(secondsBefore: 60, instrument: "other"), event(secondsBefore: 7_200),
        ])
        #expect(counts.deviceHour == 2)
        #expect(counts.addressHour == 2)
        #expect(counts.instrumentHour == 2)
        #expect(counts.deviceDay == 3)
    }

    @Test("accounts on a device count distinct shoppers in the day, this shopper included")
    func accountsOnDevice() {
        let counts = count([
            event(secondsBefore: 60, shopper: "a"), event(secondsBefore: 120, shopper: "a"),
            event(secondsBefore: 180, shopper: "b"), event(secondsBefore: 90_000, shopper: "c"),
            event(secondsBefore: 60, device: "other", shopper: "d"),
        ])
        #expect(counts.accountsOnDeviceDay == 3)
        #expect(count([]).accountsOnDeviceDay == 1)
    }
}
