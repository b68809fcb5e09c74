import PaylaterTime
import Testing

@Suite struct ManualClockRules {
    @Test("a manual clock reads its start until moved")
    func readsStart() {
        let start = instant("2026-11-24T08:00:00Z")
        let clock = ManualClock(start)
        #expect(clock.now() == start)
        #expect(clock.now() == start)
    }

    @Test("advancing moves the clock forward by exactly the duration")
    func advances() {
        let clock = ManualClock(instant("2026-11-24T08:00:00Z"))
        clock.advance(by: .seconds(3600))
        #expect(clock.now() == instant("2026-11-24T09:00:00Z"))
        clock.advance(by: .milliseconds(250))
        #expect(clock.now() == instant("2026-11-24T09:00:00.250Z"))
        clock.advance(by: .zero)
        #expect(clock.now() == instant("2026-11-24T09:00:00.250Z"))
    }

    @Test("setting jumps the clock forward")
    func setsForward() {
        let clock = ManualClock(instant("2026-11-24T08:00:00Z"))
        clock.set(to: instant("2027-01-01T00:00:00Z"))
        #expect(clock.now() == instant("2027-01-01T00:00:00Z"))
        clock.set(to: instant("2027-01-01T00:00:00Z"))
        #expect(clock.now() == instant("2027-01-01T00:00:00Z"))
    }

    @Test("concurrent advances are all applied")
    func threadSafe() async {
        let clock = ManualClock(.unixEpoch)
        await withTaskGroup(of: Void.self) { group in
            for _ in 0..<100 {
                group.addTask { for _ in 0..<100 { clock.advance(by: .seconds(1)) } }
            }
        }
        #expect(clock.now() == Instant(secondsSinceUnixEpoch: 10_000))
    }

    @Test("today in a zone is the clock's instant seen on that zone's calendar")
    func todayInZone() throws {
        let clock = ManualClock(instant("2026-11-24T02:00:00Z"))
        #expect(clock.today(in: .utc) == date(2026, 11, 24))
        let newYork = try TimeZoneRules(identifier: "New York", posixTZ: "EST5EDT,M3.2.0,M11.1.0")
        #expect(clock.today(in: newYork) == date(2026, 11, 23))
    }
}

@Suite struct SystemClockRules {
    @Test("the system clock reads a plausible present and does not run backwards")
    func plausible() {
        let clock = SystemClock()
        let first = clock.now()
        let second = clock.now()
        #expect(first > instant("2024-01-01T00:00:00Z"))
        #expect(first < instant("2200-01-01T00:00:00Z"))
        #expect(second >= first)
    }
}

@Suite("Durations in seconds")
struct DurationInSecondsTests {
    @Test("whole, fractional and negative durations read as seconds")
    func seconds() {
        #expect(Duration.seconds(3).inSeconds == 3)
        #expect(Duration.milliseconds(1_500).inSeconds == 1.5)
        #expect(Duration.nanoseconds(1).inSeconds == 1e-9)
        #expect(Duration.milliseconds(-250).inSeconds == -0.25)
    }
}
