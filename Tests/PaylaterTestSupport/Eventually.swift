import Glibc

/// Polls `condition` every 5 ms until it holds, for at most ten seconds; returns whether it held.
///
/// For what another thread or process does on its own time (a server accepting or closing a connection, an access
/// log written after the response): a passing test waits only as long as that takes, and the bound is far beyond
/// what a loaded machine running the whole suite at once holds a thread back (seconds, seen in CI).
public func eventually(_ condition: () -> Bool) -> Bool {
    for _ in 0..<2_000 {
        if condition() { return true }
        usleep(5_000)
    }
    return condition()
}
