import Foundation
import Glibc

/// Waits for SIGTERM or SIGINT without a signal handler, so `paylater serve` can shut down gracefully.
///
/// Call `block()` first thing in `main`, before any thread starts: threads inherit the mask, so the signal stays
/// pending for `wait()` instead of killing the process. Then start the server and call `wait()`.
public enum TerminationSignal {
    /// The signals that ask the server to stop.
    public static let defaultSignals: [Int32] = [SIGTERM, SIGINT]

    /// Blocks `signals` on the calling thread (and every thread it starts afterwards).
    public static func block(_ signals: [Int32] = defaultSignals) {
        var set = signalSet(signals)
        pthread_sigmask(SIG_BLOCK, &set, nil)
    }

    /// Blocks `signals` on the calling thread and waits there until one of them arrives; returns which.
    public static func wait(for signals: [Int32] = defaultSignals) -> Int32 {
        var set = signalSet(signals)
        pthread_sigmask(SIG_BLOCK, &set, nil)
        var received: Int32 = 0
        while sigwait(&set, &received) != 0 {}
        return received
    }

    /// Waits, on a thread of its own, for one more of `signals`, then calls `announce` with it and ends the process
    /// at once with `status`: a second SIGTERM or SIGINT while the server finishes its requests is an operator who
    /// will not wait for them. Call it after `wait()` returned, so the first signal is not taken for the second.
    ///
    /// Nothing is left half-written: every change is one database transaction, which an ended process never commits.
    public static func exitOnNext(
        _ signals: [Int32] = defaultSignals, status: Int32, announce: @escaping @Sendable (Int32) -> Void
    ) {
        let thread = Thread {
            let received = wait(for: signals)
            announce(received)
            _exit(status)
        }
        thread.name = "second-signal"
        thread.start()
    }

    private static func signalSet(_ signals: [Int32]) -> sigset_t {
        var set = sigset_t()
        sigemptyset(&set)
        for signal in signals { sigaddset(&set, signal) }
        return set
    }
}
