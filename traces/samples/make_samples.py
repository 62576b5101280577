#!/usr/bin/env python3
"""Writes the synthetic sample traces of traces/samples/ (deterministic).

Every sample describes the same small program: it fills a 64 KiB heap array
(16 pages at 0x55d0c0a00000) with stores, reads it back twice, and touches
its stack (near 0x7ffd3c2a1000) in between. sample.lackey is not made here:
it is the head of a real `valgrind --tool=lackey --trace-mem=yes /bin/true`
log (see README.md).
"""
import random

HEAP = 0x55D0C0A00000
STACK = 0x7FFD3C2A1F00
rng = random.Random(6)


def stream():
    """(op, addr) pairs: op 'R' or 'W'."""
    out = []
    for i in range(0, 65536, 1024):
        out.append(("W", HEAP + i))
        if i % 8192 == 0:
            out.append(("R", STACK - rng.randrange(0, 256, 8)))
    for rep in range(2):
        for i in range(0, 65536, 2048):
            out.append(("R", HEAP + i))
            if i % 16384 == 0:
                out.append(("W", STACK - rng.randrange(0, 256, 8)))
    return out


S = stream()

with open("sample.pinatrace", "w") as f:
    for op, a in S:
        ip = 0x55D0BF2011A0 + rng.randrange(0, 0x200)
        f.write("0x%x: %s 0x%x\n" % (ip, op, a))
    f.write("#eof\n")

with open("sample.ramulator", "w") as f:
    for op, a in S:
        f.write("%d %s 0x%x\n" % (rng.randrange(0, 6), "ST" if op == "W" else "LD", a))

with open("sample.prospero", "w") as f:
    cyc = 1000
    for op, a in S:
        cyc += rng.randrange(1, 40)
        f.write("%d %s %d 8\n" % (cyc, op, a))

with open("sample.csv", "w") as f:
    f.write("# time in ns, pid, cpu, address, op\n")
    f.write("time_ns,pid,cpu,addr,op\n")
    t = 0
    for op, a in S:
        t += rng.randrange(5, 120)
        f.write("%d,7,%d,0x%x,%s\n" % (t, rng.randrange(0, 2), a, op))

with open("sample.perf", "w") as f:
    # perf script --fields pid,tid,cpu,time,event,addr of a perf mem record
    t = 81234.000000
    for op, a in S:
        t += rng.randrange(20, 400) / 1e6
        ev = "cpu/mem-stores/P:" if op == "W" else "cpu/mem-loads,ldlat=30/P:"
        f.write("%7d/%-7d [%03d] %12.6f: %26s %16x\n" % (4242, 4242, rng.randrange(0, 2), t, ev, a))

with open("sample.damon", "w") as f:
    # damo report raw (human-readable numbers): one target, 3 snapshots
    f.write("base_time_absolute: 8 m 59.809 s\n\n")
    start = 0
    for snap in range(3):
        dur = 100000000 + snap * 4000000
        f.write("monitoring_start:    %16s\n" % ("%d ns" % 0 if start == 0 else "%.3f ms" % (start / 1e6)))
        f.write("monitoring_end:      %16s\n" % ("%.3f ms" % ((start + dur) / 1e6)))
        f.write("monitoring_duration: %16s\n" % ("%.3f ms" % (dur / 1e6)))
        f.write("target_id: 4242\n")
        regions = [
            (HEAP, HEAP + 0x8000, [3, 1, 0][snap]),
            (HEAP + 0x8000, HEAP + 0x10000, [0, 2, 1][snap]),
            (0x7F9A10000000, 0x7F9A10200000, 0),
            (STACK - 0x3000, STACK + 0x100, [5, 4, 5][snap]),
        ]
        f.write("nr_regions: %d\n" % len(regions))
        f.write("# %10s %12s  %12s  %11s %5s\n" % ("start_addr", "end_addr", "length", "nr_accesses", "age"))
        for s, e, nr in regions:
            size = e - s
            hs = "%.3f KiB" % (size / 1024) if size < (1 << 20) else "%.3f MiB" % (size / (1 << 20))
            f.write("%012x-%012x (%12s) %11d %5d\n" % (s, e, hs, nr, snap + 1))
        f.write("\n")
        start += dur
