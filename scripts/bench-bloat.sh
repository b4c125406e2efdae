#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Text growth: x86_64 defconfig (which has networking: INET, IPv6, the
# common NICs) vmlinux, base against series, compared with the kernel's
# scripts/bloat-o-meter and size(1).  One tree and one build directory:
# the base is built first, then the series is checked out in the same tree
# and built again, so the second build recompiles only what the series
# changes (git gives the changed files new times; kbuild's dependency
# files do the rest).  Tree BLOAT_TREE (default: a worktree
# build/linux-bloat, created here), build directory BLOAT_BUILD (default
# build/bloat-x86_64).  The tree is left checked out as it was found.
# Writes build/bench/vmlinux-{base,series}, build/bench/bloat.txt,
# build/bench/bloat-text.txt and build/bench/bloat.md.
set -euo pipefail
. "$(dirname "$0")/common.sh"

OUT=$BUILD/bench
TREE=${BLOAT_TREE:-$BUILD/linux-bloat}
O=${BLOAT_BUILD:-$BUILD/bloat-x86_64}
mkdir -p "$OUT" "$O"
prepend_ccache
[ -d "$TREE" ] || git -C "$BASE_TREE" worktree add -q --detach "$TREE" "$(base_ref)"
series_rev=$(git -C "$WORKTREE" rev-parse HEAD)
base_rev=$(git -C "$WORKTREE" rev-parse "$(base_ref)")
was=$(git -C "$TREE" symbolic-ref -q --short HEAD || git -C "$TREE" rev-parse HEAD)
restore() { git -C "$TREE" checkout -q "$was"; }
trap restore EXIT

[ -f "$O/.config" ] || make -s -C "$TREE" O="$O" ARCH=x86_64 defconfig >/dev/null
for tree in base series; do
	rev=$base_rev
	[ $tree = series ] && rev=$series_rev
	git -C "$TREE" checkout -q --detach "$rev"
	note "x86_64 defconfig vmlinux: $tree ($(git -C "$TREE" log --oneline -1 "$rev"))"
	make -s -C "$TREE" O="$O" ARCH=x86_64 -j"$(nproc)" vmlinux >"$O/build-$tree.log" 2>&1 ||
		{ tail -30 "$O/build-$tree.log"; die "$tree build failed"; }
	cp "$O/vmlinux" "$OUT/vmlinux-$tree"
done
b=$OUT/vmlinux-base
s=$OUT/vmlinux-series
"$WORKTREE/scripts/bloat-o-meter" "$b" "$s" > "$OUT/bloat.txt"
"$WORKTREE/scripts/bloat-o-meter" -t "$b" "$s" > "$OUT/bloat-text.txt"
read -r bt _ < <(size -A "$b" | awk '$1 == ".text" { print $2 }')
read -r st _ < <(size -A "$s" | awk '$1 == ".text" { print $2 }')
{
	echo "| vmlinux (x86_64 defconfig) | .text bytes |"
	echo "|---|---|"
	echo "| base | $bt |"
	echo "| series | $st |"
	echo "| growth | $((st - bt)) ($(awk -v a="$bt" -v b="$st" 'BEGIN { printf "%.4f", (b - a) * 100 / a }') %) |"
	echo
	echo "bloat-o-meter -t (functions only), largest changes:"
	echo
	echo '```'
	head -1 "$OUT/bloat-text.txt"
	sed -n '2,$p' "$OUT/bloat-text.txt" | grep -v '^Total' | head -25
	grep '^Total' "$OUT/bloat-text.txt" || true
	echo '```'
} > "$OUT/bloat.md"
cat "$OUT/bloat.md"
