#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# On a fresh checkout of the base, `git am` of patches/ in series order and
# `quilt push -a` with QUILT_PATCHES/QUILT_SERIES must both apply cleanly and
# give exactly the tree of the worktree's fragdtor branch.
set -euo pipefail
. "$(dirname "$0")/common.sh"

[ -z "${KERNEL_SRC:-}" ] || { note "apply check skipped with KERNEL_SRC"; exit 0; }
q=$BUILD/apply-check
want=$(git -C "$WORKTREE" rev-parse "$BRANCH^{tree}")
bad=0

fresh() {
	git -C "$BASE_TREE" worktree remove --force "$q" 2>/dev/null || rm -rf "$q"
	git -C "$BASE_TREE" worktree prune
	git -C "$BASE_TREE" worktree add -q --detach "$q" base
}

compare() {	# name
	local got
	git -C "$q" add -A -f .
	got=$(git -C "$q" write-tree)
	if [ "$got" = "$want" ]; then
		record PASS "$1 gives the fragdtor tree"
	else
		record FAIL "$1 gives tree $got, fragdtor has $want"
		bad=1
	fi
}

fresh
ok=1
for p in $(series_patches); do
	if ! git -C "$q" -c user.name=check -c user.email=check@invalid \
		am -q "$PROJECT/patches/$p"; then
		record FAIL "git am: $p does not apply"
		ok=0 bad=1
		break
	fi
done
[ $ok = 1 ] && record PASS "git am of every patch on a fresh base" && compare "git am"

fresh
if (cd "$q" && QUILT_PATCHES="$PROJECT/patches" QUILT_SERIES="$PROJECT/series" \
    QUILT_PC="$q/.pc" quilt push -a -q) >"$BUILD/quilt.log" 2>&1; then
	rm -rf "$q/.pc"
	record PASS "quilt push -a on a fresh base"
	compare "quilt push -a"
else
	cat "$BUILD/quilt.log"
	record FAIL "quilt push -a on a fresh base"
	bad=1
fi
git -C "$BASE_TREE" worktree remove --force "$q"
exit $bad
