#!/usr/bin/env python3
"""What PostgreSQL's backends do under a load: samples pg_stat_activity and pg_locks every 0.1 s for SECONDS over
one psql connection, then prints how many of the database's client backends were busy (not idle) on average, how
many of them waited on a lock, what they waited on, and which locks were waited for.

    pg_activity.py SECONDS URL [--psql PATH]

URL is the database's (only its backends count; the sampler's own is left out). scripts/bench_api_pg runs it
beside wrk. A backend "idle in transaction" is counted busy: it holds its transaction (and any row locks) while the
server works between two statements.
"""
import argparse
import collections
import subprocess
import threading
import time

ACTIVITY = ("SELECT 'A', state, COALESCE(wait_event_type, '-'), COALESCE(wait_event, '-') FROM pg_stat_activity"
            " WHERE backend_type = 'client backend' AND pid <> pg_backend_pid() AND datname = current_database()"
            " AND state <> 'idle';")
LOCKS = ("SELECT 'L', l.locktype, COALESCE(c.relname, '-'), l.mode FROM pg_locks l"
         " LEFT JOIN pg_class c ON c.oid = l.relation WHERE NOT l.granted;")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("seconds", type=float)
    parser.add_argument("url")
    parser.add_argument("--psql", default="psql")
    args = parser.parse_args()

    psql = subprocess.Popen([args.psql, "-X", "-Atq", "-F", "|", args.url], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, text=True)
    lines = []
    reader = threading.Thread(target=lambda: lines.extend(psql.stdout))
    reader.start()
    end = time.monotonic() + args.seconds
    while time.monotonic() < end:
        psql.stdin.write(ACTIVITY + LOCKS + "SELECT 'T';\n")
        psql.stdin.flush()
        time.sleep(0.1)
    psql.stdin.close()
    psql.wait()
    reader.join()

    ticks, busy, lock_waits, peak, now = 0, 0, 0, 0, 0
    by_wait, waited_for = collections.Counter(), collections.Counter()
    for line in lines:
        kind, *fields = line.rstrip("\n").split("|")
        if kind == "T":
            ticks += 1
            peak, now = max(peak, now), 0
        elif kind == "A":
            state, wait_type, wait = fields
            busy += 1
            now += 1
            lock_waits += wait_type == "Lock"
            if state.startswith("idle in transaction"):
                by_wait["idle in transaction (the server's turn)"] += 1
            else:
                by_wait[f"{wait_type}/{wait}" if wait_type != "-" else f"{state} (no wait: on CPU)"] += 1
        elif kind == "L":
            waited_for[" ".join(fields)] += 1
    if not ticks:
        print("PostgreSQL backends: no samples")
        return
    print(f"PostgreSQL backends ({ticks} samples, every 0.1 s): busy {busy / ticks:.1f} on average (at most {peak}),"
          f" waiting on a lock {lock_waits / ticks:.1f}")
    print("  busy backends by wait: " + "; ".join(f"{name} {n / ticks:.2f}" for name, n in by_wait.most_common(6)))
    if waited_for:
        print("  locks waited for (type, relation, mode): "
              + "; ".join(f"{name} {n / ticks:.2f}" for name, n in waited_for.most_common(4)))


if __name__ == "__main__":
    main()
