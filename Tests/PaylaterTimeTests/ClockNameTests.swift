// This file imports PaylaterTime the way any other module does, plus the standard library's concurrency module
// explicitly, to show that the bare name `Clock` means `PaylaterTime.Clock` there: a module's own import shadows
// the standard library's `_Concurrency.Clock`, so other modules can write `any Clock` and `some Clock` unqualified.
import _Concurrency
import PaylaterTime
import Testing

private func readTwice(clock: some Clock) -> (Instant, Instant) {
    (clock.now(), clock.now())
}

private struct FixedClock: Clock {
    let instant: Instant
    func now() -> Instant { instant }
}

@Suite struct ClockName {
    @Test("`Clock` written unqualified in an importing module is PaylaterTime.Clock")
    func unqualifiedNameIsPaylaterClock() {
        let clock: any Clock = ManualClock(instant("2026-11-24T08:00:00Z"))
        let (first, second) = readTwice(clock: clock)
        #expect(first == instant("2026-11-24T08:00:00Z") && second == first)
        let explicit: any PaylaterTime.Clock = clock
        #expect(explicit.now() == first)
        #expect(readTwice(clock: FixedClock(instant: .unixEpoch)).0 == .unixEpoch)
        #expect(readTwice(clock: SystemClock()).0 > instant("2024-01-01T00:00:00Z"))
    }

    @Test("the standard library clock stays reachable as _Concurrency.Clock")
    func standardClockStillReachable() {
        func elapsed<C: _Concurrency.Clock>(on clock: C) -> C.Instant { clock.now }
        _ = elapsed(on: ContinuousClock())
    }
}
