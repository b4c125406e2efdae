#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Issue 5, item 5: CPU time per byte of a SUNRPC-style send over loopback
# TCP, copy against zero-copy with fragment destructors, 4 KiB to 1 MiB,
# and the delay from the last ACK to the last callback, in one UML boot.
# bench/sunrpc/socklib_bench.c is built into the series tip for the run
# (bench.patch adds its Kconfig and Makefile lines); not part of the series.
# Worktree build/linux-sunrpc (detached at the series tip), build directory
# build/kunit-sunrpc.  Output: build/bench/sunrpc.log and sunrpc.txt.
set -euo pipefail
. "$(dirname "$0")/common.sh"

OUT=$BUILD/bench
WT=${SUNRPC_TREE:-$BUILD/linux-sunrpc}
KBUILD=${SUNRPC_BUILD:-$BUILD/kunit-sunrpc}
prepend_ccache
mkdir -p "$OUT"
[ -d "$WT" ] || git -C "$BASE_TREE" worktree add -q --detach "$WT" base
rev=$(git -C "$WORKTREE" rev-parse "$BRANCH")
cd "$WT"
[ -z "$(git status --porcelain -uno)" ] || die "$WT has uncommitted changes"
git checkout -q --detach "$rev"
restore() { git checkout -q -- net/sunrpc; rm -f net/sunrpc/socklib_bench.c; }
trap restore EXIT
git apply "$PROJECT/bench/sunrpc/bench.patch"
cp "$PROJECT/bench/sunrpc/socklib_bench.c" net/sunrpc/
note "SUNRPC send: copy against zero-copy ($(git rev-parse --short HEAD))"
python3 tools/testing/kunit/kunit.py run --arch=um \
	--kunitconfig "$PROJECT/bench/sunrpc/bench.kunitconfig" \
	--build_dir "$KBUILD" --jobs "$(nproc)" --timeout 1200 \
	--raw_output=all 'sunrpc_socklib_bench' > "$OUT/sunrpc.log" 2>&1 ||
	{ tail -30 "$OUT/sunrpc.log"; die "bench run failed"; }
grep -E 'sb_bench:' "$OUT/sunrpc.log" > "$OUT/sunrpc.txt" || true
cat "$OUT/sunrpc.txt"
