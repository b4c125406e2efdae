#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Slab buckets of skb heads, measured in the running kernel, for three
# layouts: the base, the series, and the 2011 layout (bench/2011-layout.patch
# on the base: a destructor pointer in every fragment).  For each layout the
# UML kernel runs bench/skb_head_probe_test.c, which allocates an skb for
# every linear size 0..4096 in steps of 8 and prints ksize(skb->head).
# Writes build/bench/heads-<layout>.tsv (size, ksize, end offset) and
# build/bench/heads.md; scripts/bench-plot.py draws docs/skb-head-buckets.png.
# Each layout's kernel also carries bench/skb_fastpath_bench_test.c and
# bench/tcp_loopback_bench_test.c and is kept as build/bench/linux-<layout>
# for scripts/bench-fastpath.sh and scripts/bench-throughput.sh.
# Worktree build/linux-bench, build directory build/bench-uml (reused: the
# layouts differ in skbuff.h only, so after the first build each is a
# rebuild of its includers).
set -euo pipefail
. "$(dirname "$0")/common.sh"

OUT=$BUILD/bench
WT=$BUILD/linux-bench
KBUILD=$BUILD/bench-uml
prepend_ccache
mkdir -p "$OUT"
[ -d "$WT" ] || git -C "$BASE_TREE" worktree add -q --detach "$WT" base
series_rev=$(git -C "$WORKTREE" rev-parse "$BRANCH")

for layout in ${LAYOUTS:-base 2011 series}; do
	cd "$WT"
	case $layout in
	base | 2011) git checkout -q -f --detach "$(base_ref)" ;;
	series) git checkout -q -f --detach "$series_rev" ;;
	*) die "unknown layout $layout" ;;
	esac
	git clean -q -f net/core
	[ "$layout" = 2011 ] && git apply "$PROJECT/bench/2011-layout.patch"
	cp "$PROJECT/bench/skb_head_probe_test.c" \
		"$PROJECT/bench/skb_fastpath_bench_test.c" \
		"$PROJECT/bench/tcp_loopback_bench_test.c" net/core/
	echo 'obj-$(CONFIG_KUNIT) += skb_head_probe_test.o skb_fastpath_bench_test.o tcp_loopback_bench_test.o' \
		>> net/core/Makefile
	log=$OUT/heads-$layout.log
	note "skb heads: $layout"
	python3 tools/testing/kunit/kunit.py run --arch=um \
		--kunitconfig "$PROJECT/bench/bench.kunitconfig" \
		--build_dir "$KBUILD" --jobs "$(nproc)" --raw_output=all \
		'net_skb_head_probe' > "$log" 2>&1 ||
		{ tail -30 "$log"; die "probe run failed for $layout"; }
	cp "$KBUILD/linux" "$OUT/linux-$layout"
	sed -n 's/.*probe-head \([0-9]*\) \([0-9]*\) \([0-9]*\).*/\1\t\2\t\3/p' "$log" \
		> "$OUT/heads-$layout.tsv"
	sed -n 's/.*probe-sizes \(.*\)$/\1/p' "$log" | head -1 > "$OUT/sizes-$layout.txt"
	n=$(wc -l < "$OUT/heads-$layout.tsv")
	[ "$n" = 513 ] || die "$layout: $n sizes probed, expected 513"
	note "$layout: $(cat "$OUT/sizes-$layout.txt")"
done
cd "$WT"
git checkout -q -f --detach "$(base_ref)"
git clean -q -f net/core

# Table of the sizes where the layouts differ, and the counts.
python3 - "$OUT" > "$OUT/heads.md" <<'EOF'
import sys
out = sys.argv[1]
def load(l):
    return {int(a): int(b) for a, b, _ in
            (line.split('\t') for line in open(f"{out}/heads-{l}.tsv"))}
base, series, old = load("base"), load("series"), load("2011")
sizes = sorted(base)
def shifted(other):
    return [s for s in sizes if other[s] != base[s]]
print("| layout | struct sizes (UML x86_64) | sizes 0..4096 (step 8) whose head"
      " allocation differs from base |")
print("|---|---|---|")
for name, d in (("series", series), ("2011", old)):
    info = open(f"{out}/sizes-{name}.txt").read().strip()
    print(f"| {name} | {info} | {len(shifted(d))} of {len(sizes)} |")
print(f"| base | {open(out + '/sizes-base.txt').read().strip()} | - |")
print()
print("Linear sizes where a layout's head allocation differs from base"
      " (ranges of consecutive sizes with the same allocations):")
print()
print("| linear size | base | series | 2011 |")
print("|---|---|---|---|")
rows = [s for s in sizes if series[s] != base[s] or old[s] != base[s]]
start = None
for i, s in enumerate(rows):
    key = (base[s], series[s], old[s])
    if start is None:
        start, prev, pkey = s, s, key
        continue
    if s == prev + 8 and key == pkey:
        prev = s
        continue
    print(f"| {start}-{prev} | {pkey[0]} | {pkey[1]} | {pkey[2]} |")
    start, prev, pkey = s, s, key
if start is not None:
    print(f"| {start}-{prev} | {pkey[0]} | {pkey[1]} | {pkey[2]} |")
EOF
cat "$OUT/heads.md"
py=python3
[ -x /usr/bin/python3 ] && py=/usr/bin/python3
if "$py" -c 'import matplotlib' 2>/dev/null; then
	"$py" "$PROJECT/scripts/bench-plot.py" "$OUT" "$PROJECT/docs/skb-head-buckets.png"
else
	note "no matplotlib (Debian: python3-matplotlib): plot skipped"
fi
