#!/usr/bin/env python3
"""One timed end of day (`paylater eod --date DATE`), stage by stage, for scripts/bench_eod (docs/BENCHMARKS.md).

    python3 tools/eod_timed.py DATE [--paylater BIN] [--at "INSTANT"] [--log FILE] -- STORE_OPTIONS...
    e.g. python3 tools/eod_timed.py 2026-11-12 -- --data-dir /tmp/book/data

Runs `faketime -f "@DATE 17:00:00" paylater eod --date DATE STORE_OPTIONS` from the repository root (the example
catalog and policy of config/ apply). 17:00Z is 01:00 of the next day in the example catalog's Asia/Shanghai, so
DATE has just ended there (eod refuses a date not yet over); --at sets another instant (UTC). The clock is
libfaketime's (tools/faketime_clock.py).

Each line eod prints is timestamped as it arrives: a stage (a line such as "late fees:") lasts from its header to
the next header, the last one to the end of the process. Prints one summary line (exit code, wall time, CPU user
and system, peak resident memory: from wait4, so eod itself and nothing else), then a line per stage with its time
and what the stage printed (fees charged, limit changes, settlements, ...). --log writes every line with its
timestamp. Exits with eod's exit code.
"""
import argparse
import os
import subprocess
import sys
import tempfile
import time

import faketime_clock

REPOSITORY = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("date", help="the business date, 2026-11-12")
    parser.add_argument("--paylater", default=os.environ.get("PAYLATER", ".build/release/paylater"))
    parser.add_argument("--at", help='the instant eod runs at, UTC (default "DATE 17:00:00")')
    parser.add_argument("--log", help="write eod's output here, each line with its time since the start")
    arguments = sys.argv[1:]
    store = arguments[arguments.index("--") + 1:] if "--" in arguments else []  # --data-dir DIR, --database URL...
    options = parser.parse_args(arguments[:len(arguments) - len(store) - ("--" in arguments)])

    at = options.at or f"{options.date} 17:00:00"
    argv = [os.path.abspath(options.paylater), "eod", "--date", options.date, *store]
    for attempt in range(10):  # faketime's wrapper may fail at once (tools/faketime_clock.py): try again
        with tempfile.TemporaryFile("w+") as errors:
            started = time.monotonic()
            process = subprocess.Popen(faketime_clock.command(at, argv), cwd=REPOSITORY,
                                       env=faketime_clock.environment(), stdout=subprocess.PIPE, stderr=errors,
                                       text=True)
            lines, stages = [], []  # stages: [name, started, lines]
            for line in process.stdout:
                now = time.monotonic() - started
                line = line.rstrip("\n")
                lines.append(f"{now:9.3f} {line}")
                if line.endswith(":") and not line.startswith(" "):
                    stages.append([line[:-1], now, []])
                elif stages and line.strip():
                    stages[-1][2].append(line.strip())
            _, status, usage = os.wait4(process.pid, 0)  # faketime's usage includes eod's, the child it waited for
            wall = time.monotonic() - started
            process.returncode = os.waitstatus_to_exitcode(status)
            process.stdout.close()
            errors.seek(0)
            said = errors.read()
        if lines or faketime_clock.WRAPPER_FAILED not in said:
            break
        time.sleep(0.05 * (attempt + 1))
    sys.stderr.write(said)
    code = process.returncode
    if options.log:
        with open(options.log, "w") as log:
            log.write("\n".join(lines) + "\n")

    cpu = usage.ru_utime + usage.ru_stime
    print(f"eod {options.date}: exit {code}, {wall:.2f} s wall, CPU {cpu:.2f} s (user {usage.ru_utime:.2f}, "
          f"system {usage.ru_stime:.2f}; {100 * cpu / wall:.0f}% of a core), peak memory "
          f"{usage.ru_maxrss / 1024:.0f} MB; "
          + ", ".join(f"{name} {end - begin:.2f} s" for (name, begin, _), end in
                      zip(stages, [s[1] for s in stages[1:]] + [wall])))
    for name, _, printed in stages:
        print(f"  {name}: {'; '.join(printed)}")
    if not stages:
        print("\n".join(lines))
    return code


if __name__ == "__main__":
    sys.exit(main())
