#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# make check's step for patches-net/ (issue 15): net-tree fixes kept out
# of the series.  Runs the correctness suite of bench/ubuf/ubuf_bench.c
# (ubuf_vs_destructors) through scripts/bench-ubuf.sh twice on the series
# tip: without the fixes, where the msg_ubuf MTU-probe case must fail (the
# bug the fix is for, so the test can fail), and with them, where every
# case must pass.  Incremental after the first run (tcp_output.c and the
# link), about 40 s each on two cores.
set -uo pipefail
. "$(dirname "$0")/common.sh"

OUT=$BUILD/bench
mkdir -p "$OUT"
cd "$PROJECT"
if [ "$(id -u)" != 0 ]; then
	export NO_SEED=1
	note "not root: a full build of build/ubuf-uml"
fi
for p in patches-net/*.patch; do
	if git -C "$BASE_TREE" apply --check "$PROJECT/$p" 2>/dev/null; then
		record PASS "patches-net: $(basename "$p") applies to the base"
	else
		record FAIL "patches-net: $(basename "$p") applies to the base"
	fi
done

UBUF_FILTER=ubuf_vs_destructors UBUF_LOG=$OUT/ubuf-nofix.log \
	bash scripts/bench-ubuf.sh > /dev/null 2>&1
if grep -q 'not ok 2 msg_ubuf' "$OUT/ubuf-nofix.log" &&
   grep -q 'ok 4 dtor' "$OUT/ubuf-nofix.log"; then
	record PASS "without patches-net, msg_ubuf completes before the MTU probe let go (the test catches it)"
else
	tail -20 "$OUT/ubuf-nofix.log"
	record FAIL "without patches-net, msg_ubuf completes before the MTU probe let go (the test catches it)"
fi

PATCHES_NET=1 UBUF_FILTER=ubuf_vs_destructors UBUF_LOG=$OUT/ubuf-netfix.log \
	bash scripts/bench-ubuf.sh > /dev/null 2>&1
if grep -q '^ok 1 ubuf_vs_destructors' "$OUT/ubuf-netfix.log"; then
	record PASS "with patches-net, msg_ubuf and destructors pass retransmission and MTU probe"
else
	grep -E 'not ok|EXPECTATION' "$OUT/ubuf-netfix.log" | head
	record FAIL "with patches-net, msg_ubuf and destructors pass retransmission and MTU probe"
fi
