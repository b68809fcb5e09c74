#!/usr/bin/env python3
"""Where a benchmark's CPU went: the server's threads by role, and the host's time by kind, in cores.

On two cores the server's connection threads and its single writer share the CPUs, so work moved from one to the
other can leave the rate where it was (docs/BENCHMARKS.md, "2026-12-06, 14:15"). This splits the time so that a
change shows where it moved:

    python3 tools/thread_cpu.py snapshot PID > before     # at the start of the measured window
    python3 tools/thread_cpu.py snapshot PID > after      # at its end
    python3 tools/thread_cpu.py report before after SECONDS

Roles (each with the part of it spent in the kernel): the writer (the thread with the most CPU among libdispatch's, named "...qos..."), the connection threads
(libmicrohttpd's, "MHD-connection"; those started during the window count from zero), and the server's other threads.
Host kinds from /proc/stat's first line: user (with nice), system, softirq and irq, I/O wait, idle.
"""
import os
import sys


def snapshot(pid):
    ticks = os.sysconf("SC_CLK_TCK")
    print(f"ticks {ticks}")
    for tid in sorted(os.listdir(f"/proc/{pid}/task")):
        try:
            with open(f"/proc/{pid}/task/{tid}/stat") as stat:
                text = stat.read()
        except FileNotFoundError:  # the thread ended meanwhile
            continue
        # The name is in parentheses and may hold spaces; the fields after it are space-separated.
        name = text[text.index("(") + 1:text.rindex(")")].replace(" ", "_")
        fields = text[text.rindex(")") + 2:].split()
        print(f"thread {tid} {name} {int(fields[11])} {int(fields[12])}")  # user, system
    with open("/proc/stat") as stat:
        cpu = stat.readline().split()[1:]
    print("host " + " ".join(cpu))


def load(path):
    threads, host, ticks = {}, [], 100
    with open(path) as lines:
        for line in lines:
            parts = line.split()
            if parts[0] == "ticks":
                ticks = int(parts[1])
            elif parts[0] == "thread":
                threads[parts[1]] = (parts[2], int(parts[3]), int(parts[4]) if len(parts) > 4 else 0)
            elif parts[0] == "host":
                host = [int(value) for value in parts[1:]]
    return threads, host, ticks


def report(before_path, after_path, seconds):
    before, host_before, ticks = load(before_path)
    after, host_after, _ = load(after_path)
    used = {}
    for tid, (name, user, system) in after.items():
        _, user_before, system_before = before.get(tid, (name, 0, 0))
        used[tid] = (name, user - user_before, system - system_before)
    dispatch = [(user + system, tid) for tid, (name, user, system) in used.items() if "qos" in name]
    writer = max(dispatch)[1] if dispatch else None
    roles = {"writer": [0, 0], "connection threads": [0, 0], "other server threads": [0, 0]}
    for tid, (name, user, system) in used.items():
        role = "writer" if tid == writer else "connection threads" if name == "MHD-connection" else "other server threads"
        roles[role][0] += user
        roles[role][1] += system
    cores = lambda value: value / ticks / seconds
    server = ", ".join(f"{role} {cores(user + system):.2f} (in the kernel {cores(system):.2f})"
                       for role, (user, system) in roles.items())
    print(f"server threads' CPU in cores: {server}")
    delta = [a - b for a, b in zip(host_after, host_before)]
    # user nice system idle iowait irq softirq steal ...
    kinds = {
        "user": delta[0] + delta[1], "system": delta[2], "irq and softirq": delta[5] + delta[6],
        "I/O wait": delta[4], "idle": delta[3],
    }
    print("host CPU in cores: " + ", ".join(f"{kind} {cores(time):.2f}" for kind, time in kinds.items()))


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "snapshot":
        snapshot(sys.argv[2])
    elif len(sys.argv) == 5 and sys.argv[1] == "report":
        report(sys.argv[2], sys.argv[3], float(sys.argv[4]))
    else:
        sys.exit(__doc__)
