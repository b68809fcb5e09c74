#!/usr/bin/env python3
"""The host's speed: a fixed, single-threaded CPU task (3M steps of a Python loop), the median of three, in ms.

The host's speed per instruction moves by 2x between sessions and within one (docs/BENCHMARKS.md): timed just before
a run, it says how fast the host was, so figures from different times can be told apart from the code's own changes.
Lower is faster (it reads ~400 ms when this 2-core host is fast). scripts/bench_api and scripts/bench_eod print it.
"""
import time

times = []
for _ in range(3):
    start = time.perf_counter()
    total = 0
    for i in range(3_000_000):
        total += i * i % 7
    times.append(time.perf_counter() - start)
print(f"{sorted(times)[1] * 1000:.0f} ms")
