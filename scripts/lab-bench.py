#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Table for scripts/lab-bench.sh: copy against zero-copy, one kernel.

Reads RUN/bench.marks (guest wall-clock marks around each timed fio run),
RUN/cpu.samples (host: time, clock ticks of the client UML's process tree,
utime+stime of every process plus what each reaped) and RUN/bench.*.json.
UML's wall clock is the host's, so a mark maps onto the samples directly;
ticks are interpolated between the two samples around a mark.
"""
import json
import os
import statistics
import sys

run = sys.argv[1]
HZ = os.sysconf("SC_CLK_TCK")

samples = []
with open(os.path.join(run, "cpu.samples")) as f:
    for line in f:
        t, ticks, _ = line.split()
        samples.append((float(t), int(ticks)))


def ticks_at(t):
    for (t0, k0), (t1, k1) in zip(samples, samples[1:]):
        if t0 <= t <= t1:
            return k0 + (k1 - k0) * (t - t0) / (t1 - t0) if t1 > t0 else k0
    raise SystemExit(f"no CPU sample around {t}")


marks = {}
with open(os.path.join(run, "bench.marks")) as f:
    for line in f:
        _, what, rid, t = line.split()
        marks.setdefault(rid, {})[what] = float(t)

rows = {}
for rid, m in marks.items():
    bs, rep, zc = rid.split(".")
    with open(os.path.join(run, f"bench.{rid}.json")) as f:
        j = json.load(f)
    nbytes = sum(job["write"]["io_bytes"] for job in j["jobs"])
    secs = m["end"] - m["start"]
    cpu = (ticks_at(m["end"]) - ticks_at(m["start"])) / HZ
    rows.setdefault(bs, {}).setdefault(int(rep), {})[zc] = {
        "mbs": nbytes / secs / 1e6, "cpu_ns_per_byte": cpu * 1e9 / nbytes,
        "bytes": nbytes, "secs": secs, "cpu": cpu}


def spread(xs):
    """median [min..max] of the per-repetition ratios"""
    return f"{statistics.median(xs):.3f} [{min(xs):.3f}..{max(xs):.3f}]"


with open(os.path.join(run, "bench.zc")) as f:
    if "n/a" in f.read():
        print("A/A run: this kernel has no tcp_zerocopy switch, so the Y and N "
              "halves took the same path; the ratios show the method's noise.\n")
print("| block | runs | N (copy) MB/s | Y (zero-copy) MB/s | throughput Y/N "
      "| N CPU ns/B | Y CPU ns/B | CPU per byte Y/N |")
print("|---|---|---|---|---|---|---|---|")
order = {"4k": 0, "64k": 1, "1m": 2}
for bs in sorted(rows, key=lambda b: order.get(b, 9)):
    reps = [r for r in sorted(rows[bs]) if {"Y", "N"} <= set(rows[bs][r])]
    if not reps:
        continue
    y = [rows[bs][r]["Y"] for r in reps]
    n = [rows[bs][r]["N"] for r in reps]
    tr = [a["mbs"] / b["mbs"] for a, b in zip(y, n)]
    cr = [a["cpu_ns_per_byte"] / b["cpu_ns_per_byte"] for a, b in zip(y, n)]
    print(f"| {bs} | {len(reps)} "
          f"| {statistics.median([x['mbs'] for x in n]):.1f} "
          f"| {statistics.median([x['mbs'] for x in y]):.1f} "
          f"| {spread(tr)} "
          f"| {statistics.median([x['cpu_ns_per_byte'] for x in n]):.2f} "
          f"| {statistics.median([x['cpu_ns_per_byte'] for x in y]):.2f} "
          f"| {spread(cr)} |")
print()
print("Per run (rep, switch, MB written, seconds, client CPU seconds):")
for bs in sorted(rows, key=lambda b: order.get(b, 9)):
    for r in sorted(rows[bs]):
        for zc, x in sorted(rows[bs][r].items()):
            print(f"    {bs} rep {r} tcp_zerocopy={zc}: {x['bytes'] / 1e6:.0f} MB "
                  f"{x['secs']:.2f} s {x['mbs']:.1f} MB/s cpu {x['cpu']:.2f} s "
                  f"{x['cpu_ns_per_byte']:.2f} ns/B")
