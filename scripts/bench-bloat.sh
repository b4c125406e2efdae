#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Text growth: x86_64 defconfig (which has networking: INET, IPv6, the
# common NICs) vmlinux, base against series, compared with the kernel's
# scripts/bloat-o-meter and size(1).  Build directories
# build/bloat-x86_64-base and build/bloat-x86_64-series (a full build each,
# about 25 minutes on 2 cores without ccache).  Writes build/bench/bloat.txt
# and build/bench/bloat.md.
set -euo pipefail
. "$(dirname "$0")/common.sh"

OUT=$BUILD/bench
mkdir -p "$OUT"
prepend_ccache
for tree in base series; do
	src=$BASE_TREE
	[ $tree = series ] && src=$WORKTREE
	o=$BUILD/bloat-x86_64-$tree
	mkdir -p "$o"
	[ -f "$o/.config" ] || make -s -C "$src" O="$o" ARCH=x86_64 defconfig >/dev/null
	note "x86_64 defconfig vmlinux: $tree"
	make -s -C "$src" O="$o" ARCH=x86_64 -j"$(nproc)" vmlinux >"$o/build.log" 2>&1 ||
		{ tail -30 "$o/build.log"; die "$tree build failed"; }
done
b=$BUILD/bloat-x86_64-base/vmlinux
s=$BUILD/bloat-x86_64-series/vmlinux
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
