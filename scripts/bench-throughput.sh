#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Loopback TCP throughput, base against series: boot the UML kernels that
# scripts/bench-heads.sh built (build/bench/linux-base, linux-series, each
# with bench/tcp_loopback_bench_test.c) alternately, ROUNDS times each.
# Each boot sends 1 GiB over a kernel TCP connection on lo, 7 times per
# mode (copy from a kernel buffer; MSG_SPLICE_PAGES of plain pages), and
# reports the median MB/s.  Writes build/bench/throughput.tsv (round,
# layout, mode, median, min, max) and build/bench/throughput.md.
set -euo pipefail
. "$(dirname "$0")/common.sh"

OUT=$BUILD/bench
ROUNDS=${ROUNDS:-5}
: > "$OUT/throughput.tsv"
for r in $(seq "$ROUNDS"); do
	for l in base series; do
		log=$OUT/throughput-$l-$r.log
		bench_boot "$l" net_tcp_loopback_bench "$log"
		sed -n "s/.*bench tcp_stream \([a-z]*\) \([0-9]*\) \([0-9]*\) \([0-9]*\).*/$r\t$l\t\1\t\2\t\3\t\4/p" \
			"$log" >> "$OUT/throughput.tsv"
		note "round $r $l: $(grep "	$l	" "$OUT/throughput.tsv" | tail -2 | cut -f3,4 | tr '\n\t' ' :') MB/s"
	done
done

python3 - "$OUT/throughput.tsv" "$ROUNDS" > "$OUT/throughput.md" <<'EOF'
import statistics as st
import sys
from collections import defaultdict

t = defaultdict(dict)	# (mode, layout) -> round -> median MB/s
for line in open(sys.argv[1]):
    r, layout, mode, med, lo, hi = line.split()
    t[(mode, layout)][int(r)] = int(med)
print(f"Loopback TCP, 1 GiB per run, median of 7 runs per boot, {sys.argv[2]}"
      " alternating rounds:")
print()
print("| mode | base MB/s | series MB/s | series/base median | min | max |")
print("|---|---|---|---|---|---|")
for mode in ("copy", "splice"):
    b, s = t[(mode, "base")], t[(mode, "series")]
    ratios = [s[r] / b[r] for r in sorted(b) if r in s and b[r]]
    print(f"| {mode} | {st.median(b.values())} | {st.median(s.values())} |"
          f" {st.median(ratios):.3f} | {min(ratios):.3f} | {max(ratios):.3f} |")
EOF
cat "$OUT/throughput.md"
