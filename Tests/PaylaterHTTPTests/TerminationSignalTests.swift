import Foundation
import PaylaterHTTP
import Synchronization
import Testing

@Suite("Termination signal")
struct TerminationSignalTests {
    @Test("wait returns the signal that arrives on the waiting thread")
    func waitReturnsTheSignal() {
        let waiter = Mutex<pthread_t?>(nil)
        let received = Mutex<Int32>(0)
        let ready = DispatchSemaphore(value: 0)
        let done = DispatchSemaphore(value: 0)
        Thread.detachNewThread {
            TerminationSignal.block([SIGUSR2])
            waiter.withLock { $0 = pthread_self() }
            ready.signal()
            let signal = TerminationSignal.wait(for: [SIGUSR2])
            received.withLock { $0 = signal }
            done.signal()
        }
        ready.wait()
        pthread_kill(waiter.withLock { $0 }!, SIGUSR2)
        #expect(done.wait(timeout: .now() + 5) == .success)
        #expect(received.withLock { $0 } == SIGUSR2)
    }
}
