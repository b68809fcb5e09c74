#!/usr/bin/env python3
"""The server's own latency of one route by window of the run, from its access log (JSON lines with `route`,
`time` and `duration_us`): whether the tail holds over a sustained run or climbs.

Usage: python3 tools/latency_windows.py ACCESS_LOG [ROUTE] [WINDOW_SECONDS]
(defaults: /v1/checkouts/{id}/authorize, 10). scripts/bench_api prints it after the authorizations.
"""
import datetime
import json
import sys


def main():
    path = sys.argv[1]
    route = sys.argv[2] if len(sys.argv) > 2 else "/v1/checkouts/{id}/authorize"
    window = float(sys.argv[3]) if len(sys.argv) > 3 else 10.0
    windows, start = {}, None
    with open(path, errors="replace") as log:
        for line in log:
            if not line.startswith("{"):
                continue
            entry = json.loads(line)
            if entry.get("route") != route:
                continue
            at = datetime.datetime.fromisoformat(entry["time"][:26].rstrip("Z")).timestamp()
            start = at if start is None else start
            windows.setdefault(int((at - start) // window), []).append(entry["duration_us"])
    for index in sorted(windows):
        durations = sorted(windows[index])
        n = len(durations)

        def at(q):
            return durations[min(n - 1, int(n * q))] / 1000

        print(f"{index * window:6.0f} s  {n:7d} requests  {n / window:7.0f}/s  p50 {at(0.5):6.2f}  p99 {at(0.99):6.2f}"
              f"  p99.9 {at(0.999):6.2f}  max {durations[-1] / 1000:6.2f} ms")


if __name__ == "__main__":
    main()
