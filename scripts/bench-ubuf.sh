#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Issue 15: copy / msg_ubuf / fragment destructors side by side over
# loopback TCP, in one UML boot of the series tip with
# bench/ubuf/ubuf_bench.c built into net/sunrpc (bench/ubuf/bench.patch adds
# its Kconfig and Makefile lines; not part of the series).  Two suites:
# ubuf_vs_destructors (retransmission and MTU-probe correctness) and
# ubuf_bench (sizes x requests in flight x mechanism, 0 and 1 % loss).
#
# Worktree build/linux-ubuf (detached at the series tip), build directory
# build/ubuf-uml.  The first run seeds build/ubuf-uml with a copy of the
# series' own UML build (build/kunit-uml) and runs kunit.py in a private
# mount namespace (unshare -m, root) where the worktree and the build
# directory are bind-mounted over build/linux and build/kunit-uml, so the
# object files' command lines match and only what differs is rebuilt; the
# lead's trees are never written.  NO_SEED=1 builds from scratch instead.
# With PATCHES_NET=1 the net-tree fixes in patches-net/ are applied first.
# ROUNDS=n boots the bench suite n times (medians in the table).  Output:
# build/bench/ubuf.log*, ubuf.txt (bench lines), ubuf-tests.txt, ubuf.md;
# the configuration is kunit/.kunitconfig plus CONFIG_UBUF_KUNIT_BENCH.
set -euo pipefail
. "$(dirname "$0")/common.sh"

OUT=$BUILD/bench
WT=${UBUF_TREE:-$BUILD/linux-ubuf}
KBUILD=${UBUF_BUILD:-$BUILD/ubuf-uml}
LOG=${UBUF_LOG:-$OUT/ubuf.log}
FILTER=${UBUF_FILTER:-ubuf*}
prepend_ccache
mkdir -p "$OUT"
[ -d "$WT" ] || git -C "$WORKTREE" worktree add -q --detach "$WT" "$BRANCH"
rev=$(git -C "$WORKTREE" rev-parse "$BRANCH")
cd "$WT"
[ -z "$(git status --porcelain -uno)" ] || die "$WT has uncommitted changes"
git checkout -q --detach "$rev"
restore() {
	# Only what we changed: a checkout of whole directories would give
	# every file a new mtime and the next build would rebuild them all.
	local f
	f=$(git diff --name-only)
	[ -z "$f" ] || git checkout -q -- $f
	rm -f net/sunrpc/ubuf_bench.c
}
trap restore EXIT
git apply "$PROJECT/bench/ubuf/bench.patch"
cp "$PROJECT/bench/ubuf/ubuf_bench.c" net/sunrpc/
if [ -n "${PATCHES_NET:-}" ]; then
	for p in "$PROJECT"/patches-net/*.patch; do
		git apply "$p"
		note "applied $(basename "$p")"
	done
fi
{ cat "$PROJECT/kunit/.kunitconfig"; echo CONFIG_UBUF_KUNIT_BENCH=y; } \
	> "$OUT/ubuf.kunitconfig"

run=(python3 tools/testing/kunit/kunit.py run --arch=um
	--kunitconfig "$OUT/ubuf.kunitconfig" --jobs 2 --timeout 1800
	--raw_output=all)
kunit() {	# filter log
	if [ -n "${NO_SEED:-}" ]; then
		nice -n 10 "${run[@]}" "$1" --build_dir "$KBUILD" > "$2" 2>&1 || true
		return
	fi
	unshare -m bash -c '
		set -e
		mount --bind "$1" "$3"; mount --bind "$2" "$4"
		cd "$3"; shift 4
		exec nice -n 10 "$@" --build_dir "'"$BUILD"'/kunit-uml"
	' _ "$WT" "$KBUILD" "$WORKTREE" "$BUILD/kunit-uml" "${run[@]}" "$1" \
		> "$2" 2>&1 || true
}
if [ -z "${NO_SEED:-}" ]; then
	[ "$(id -u)" = 0 ] || die "the seeded build needs root (or NO_SEED=1)"
	if [ ! -e "$KBUILD/.seeded" ]; then
		note "seeding $KBUILD from $BUILD/kunit-uml"
		[ "$(git -C "$WORKTREE" rev-parse HEAD)" = "$rev" ] ||
			die "$WORKTREE is not at $BRANCH: cannot seed (NO_SEED=1)"
		rm -rf "$KBUILD"
		cp -a "$BUILD/kunit-uml" "$KBUILD"
		# Older than the copied objects: only what we change rebuilds.
		git ls-files -z | xargs -0 touch -h -d '2000-01-01'
		# Files the copied objects may have been built from in another
		# state: rebuilt from ours.
		dirty=$(git -C "$WORKTREE" diff --name-only)
		[ -z "$dirty" ] || touch $dirty
		touch "$KBUILD/.seeded"
	fi
	# What this run changed is newer than the objects.
	touch net/sunrpc/Kconfig net/sunrpc/Makefile net/sunrpc/ubuf_bench.c
	[ -z "${PATCHES_NET:-}" ] || touch $(git diff --name-only)
fi
rm -f "$LOG".[0-9]*
kunit "$FILTER" "$LOG"
# The bench suite again, ROUNDS boots in all (the build is done).
ROUNDS=${ROUNDS:-1}
for r in $(seq 2 "$ROUNDS"); do
	case $FILTER in ubuf\*|ubuf_bench) ;; *) break ;; esac
	note "round $r"
	kunit ubuf_bench "$LOG.$r"
done
# The checkout back at the tip must rebuild what the fixes changed.
[ -z "${PATCHES_NET:-}" ] || touch $(git diff --name-only)
grep -q 'ubuf' "$LOG" || { tail -30 "$LOG"; die "no ubuf output"; }
r=1
: > "$OUT/ubuf.txt"
for l in "$LOG" $(ls "$LOG".[0-9]* 2>/dev/null); do
	grep -E 'ub_bench: (copy|msg_ubuf|ubuf_lnk|dtor) ' "$l" |
		sed "s/^.*ub_bench: ub_bench: *//; s/^/$r /" >> "$OUT/ubuf.txt" || true
	r=$((r + 1))
done
grep -E '^ *(# )?(msg_ubuf|ubuf_lnk|dtor|copy): |(ok|not ok) [0-9]+ (ub|ubuf)' "$LOG" \
	> "$OUT/ubuf-tests.txt" || true
cat "$OUT/ubuf-tests.txt" "$OUT/ubuf.txt"
[ -s "$OUT/ubuf.txt" ] || exit 0
python3 "$PROJECT/scripts/bench-ubuf-table.py" "$OUT/ubuf.txt" > "$OUT/ubuf.md"
cat "$OUT/ubuf.md"
