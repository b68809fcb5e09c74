"""Running paylater at a chosen instant, for tools/eod_book.py and tools/eod_timed.py (scripts/bench_eod).

The CLI has no clock override: paylater reads CLOCK_REALTIME, which libfaketime moves. It is run through the
`faketime -f "@INSTANT"` wrapper (the clock starts at INSTANT and runs on), with TZ=UTC so the instant is read as
UTC and FAKETIME_DONT_FAKE_MONOTONIC=1 so timeouts keep the real clock. The wrapper forks and waits for the program
without passing signals on: stop a server by the wrapper's child (`pgrep -P`), not the wrapper.

Two pitfalls of libfaketime 0.9.10 (Debian's):
- Preloading libfaketime.so.1 by hand (LD_PRELOAD with FAKETIME, without the wrapper) makes the Swift binary lose
  its arguments: it prints its usage.
- The wrapper names its shared memory and semaphore after its own pid (/dev/shm/faketime_shm_PID,
  sem.faketime_sem_PID) and removes them when it exits; a wrapper that was killed leaves them behind, and a later
  wrapper given the same pid fails at once ("The faketime wrapper only works on platforms that support the
  sem_open() system call"), before running anything. That failure is retried here: the next try has another pid.
"""
import os
import subprocess
import time

WRAPPER_FAILED = "faketime wrapper only works"


def command(instant, argv):
    """The command line running argv at `instant` ("2026-11-12 17:00:00", UTC)."""
    return ["faketime", "-f", f"@{instant}", *argv]


def environment():
    return dict(os.environ, TZ="UTC", FAKETIME_DONT_FAKE_MONOTONIC="1")


def run(instant, argv, **options):
    """subprocess.run of argv at `instant` with stdout and stderr captured as text, retrying the wrapper's failure."""
    for attempt in range(10):
        done = subprocess.run(command(instant, argv), env=environment(), capture_output=True, text=True, **options)
        if WRAPPER_FAILED not in done.stderr:
            break
        time.sleep(0.05 * (attempt + 1))
    return done
