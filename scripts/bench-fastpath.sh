#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Fast-path cost, base against series: run the UML kernels that
# scripts/bench-heads.sh built (build/bench/linux-base, linux-series, each
# with bench/skb_fastpath_bench_test.c) alternately, ROUNDS times each, and
# compare per benchmark.  Writes build/bench/fastpath.tsv (round, layout,
# bench, frags, median, min, max in ps/op) and build/bench/fastpath.md.
set -euo pipefail
. "$(dirname "$0")/common.sh"

OUT=$BUILD/bench
ROUNDS=${ROUNDS:-5}
: > "$OUT/fastpath.tsv"
for r in $(seq "$ROUNDS"); do
	for l in base series; do
		log=$OUT/fastpath-$l-$r.log
		bench_boot "$l" net_skb_fastpath_bench "$log"
		sed -n "s/.*bench \([a-z_]*\) \(plain\|tagged\) \([0-9]*\) \([0-9]*\) \([0-9]*\).*/$r\t$l\t\1\t\2\t\3\t\4\t\5/p" \
			"$log" >> "$OUT/fastpath.tsv"
		note "round $r $l: $(grep -c "	$l	" "$OUT/fastpath.tsv") timings so far"
	done
done

python3 - "$OUT/fastpath.tsv" "$ROUNDS" > "$OUT/fastpath.md" <<'EOF'
import statistics as st
import sys
from collections import defaultdict

rows = [l.rstrip("\n").split("\t") for l in open(sys.argv[1])]
rounds = int(sys.argv[2])
t = defaultdict(dict)	# (bench, frags, layout) -> round -> median ps/op
for r, layout, bench, frags, med, lo, hi in rows:
    t[(bench, frags, layout)][int(r)] = int(med)
benches = []
for r, layout, bench, frags, *_ in rows:
    if (bench, frags) not in benches:
        benches.append((bench, frags))

def ns(x):
    return f"{x / 1000:.2f}"

def table(title, names, frags, num, den):
    """One row per benchmark: num/den per round, from the keys given."""
    print(title)
    print()
    print(f"| benchmark | {names[0]} ns/op | {names[1]} ns/op |"
          f" {names[1]}/{names[0]} median | min | max |")
    print("|---|---|---|---|---|---|")
    for bench, f in benches:
        if f != frags:
            continue
        d, n = t[(bench,) + den], t[(bench,) + num]
        ratios = [n[r] / d[r] for r in sorted(d) if r in n and d[r]]
        print(f"| {bench} | {ns(st.median(d.values()))} |"
              f" {ns(st.median(n.values()))} | {st.median(ratios):.3f} |"
              f" {min(ratios):.3f} | {max(ratios):.3f} |")
    print()

table(f"Plain fragments, series/base, {rounds} alternating rounds (each value"
      " the median of 11 repetitions of 20000 operations in one boot):",
      ("base", "series"), "plain", ("plain", "series"), ("plain", "base"))
table("Series kernel, tagged against plain fragments (same boots):",
      ("plain", "tagged"), "tagged", ("tagged", "series"), ("plain", "series"))
EOF
cat "$OUT/fastpath.md"
