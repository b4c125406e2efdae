#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# pahole sizes of skb_frag_t, struct skb_shared_info and struct sk_buff,
# base against series, on x86_64 and i386 defconfig builds of
# net/core/skbuff.o with DWARF.  Writes build/results/sizes.md.
set -euo pipefail
. "$(dirname "$0")/common.sh"

prepend_ccache
out=$RESULTS/sizes.md
mkdir -p "$RESULTS"
{
	echo "| arch | tree | skb_frag_t | skb_shared_info | sk_buff |"
	echo "|---|---|---|---|---|"
} > "$out"

for arch in x86_64 i386; do
	for tree in base series; do
		src=$BASE_TREE
		[ $tree = series ] && src=$WORKTREE
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
