#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
# build/bench/ubuf.txt (round, then the ub_bench columns) to markdown
# tables: the median over rounds of each figure, per loss, size, requests
# in flight and mechanism.
import statistics as st
import sys
from collections import defaultdict

COLS = ("mech size inflight loss iters tx_ns_B mbps frames_mb psh_mb "
        "segs_req retrans_mb d_med d_max max_po dropped copied errors").split()
rows = defaultdict(list)
rounds = set()
for line in open(sys.argv[1]):
    f = line.split()
    if len(f) != len(COLS) + 1:
        continue
    rounds.add(f[0])
    r = dict(zip(COLS, f[1:]))
    rows[(r["loss"], int(r["size"].rstrip("K")), int(r["inflight"]),
          r["mech"])].append(r)


def med(rs, k, fmt="{:.3f}"):
    v = [float(r[k]) for r in rs]
    if k in ("d_med", "d_max") and all(x < 0 for x in v):
        return "-"
    return fmt.format(st.median(v))


order = {"copy": 0, "msg_ubuf": 1, "ubuf_lnk": 2, "dtor": 3}
for loss in sorted({k[0] for k in rows}):
    print(f"Loss {loss} of the sender's data frames, median of"
          f" {len(rounds)} boot(s):")
    print()
    print("| size | in flight | mech | sender ns/B | MB/s | TSO frames/MB |"
          " PSH/MB | wire segs/req | retrans/MB | max packets_out |"
          " last ACK -> done med / max us | frames dropped | ubuf copied |"
          " errors |")
    print("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|")
    for k in sorted((k for k in rows if k[0] == loss),
                    key=lambda k: (k[1], k[2], order[k[3]])):
        rs = rows[k]
        d = ("-" if med(rs, "d_med") == "-" else
             f"{float(med(rs, 'd_med')) / 1000:.1f} /"
             f" {float(med(rs, 'd_max')) / 1000:.0f}")
        print(f"| {k[1]}K | {k[2]} | {k[3]} | {med(rs, 'tx_ns_B')} |"
              f" {med(rs, 'mbps', '{:.0f}')} |"
              f" {med(rs, 'frames_mb', '{:.0f}')} |"
              f" {med(rs, 'psh_mb', '{:.0f}')} |"
              f" {med(rs, 'segs_req', '{:.2f}')} |"
              f" {med(rs, 'retrans_mb', '{:.2f}')} |"
              f" {med(rs, 'max_po', '{:.0f}')} | {d} |"
              f" {med(rs, 'dropped', '{:.0f}')} |"
              f" {med(rs, 'copied', '{:.0f}')} |"
              f" {max(int(r['errors']) for r in rs)} |")
    print()
