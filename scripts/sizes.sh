#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# pahole sizes of skb_frag_t, struct skb_shared_info and struct sk_buff,
# on x86_64 and i386 defconfig builds of net/core/skbuff.o with DWARF, for
# three layouts: the base, the series, and the 2011 layout (the base with
# bench/2011-layout.patch, in the worktree build/linux-2011).  Writes
# build/results/sizes.md.
set -euo pipefail
. "$(dirname "$0")/common.sh"

prepend_ccache
out=$RESULTS/sizes.md
mkdir -p "$RESULTS"
{
	echo "| arch | tree | skb_frag_t | skb_shared_info | sk_buff |"
	echo "|---|---|---|---|---|"
} > "$out"

# The 2011 layout's tree: the base plus the comparison patch.
old=$BUILD/linux-2011
if [ ! -d "$old" ]; then
	git -C "$BASE_TREE" worktree add -q --detach "$old" "$(base_ref)"
	git -C "$old" apply "$PROJECT/bench/2011-layout.patch"
fi

for arch in x86_64 i386; do
	for tree in base series 2011; do
		case $tree in
		base) src=$BASE_TREE ;;
		series) src=$WORKTREE ;;
		2011) src=$old ;;
		esac
		o=$BUILD/sizes-$arch-$tree
		mkdir -p "$o"
		if [ ! -f "$o/.config" ]; then
			make -s -C "$src" O="$o" ARCH=$arch defconfig >/dev/null
			"$src/scripts/config" --file "$o/.config" \
				-e DEBUG_KERNEL -e DEBUG_INFO \
				-d DEBUG_INFO_NONE -e DEBUG_INFO_DWARF5
			make -s -C "$src" O="$o" ARCH=$arch olddefconfig >/dev/null
		fi
		make -s -C "$src" O="$o" ARCH=$arch -j"$(nproc)" net/core/skbuff.o >/dev/null
		sz() { pahole -C "$1" "$o/net/core/skbuff.o" | sed -n 's/.*size: \([0-9]*\),.*/\1/p' | head -1; }
		echo "| $arch | $tree | $(sz skb_frag) | $(sz skb_shared_info) | $(sz sk_buff) |" >> "$out"
	done
done
cat "$out"
