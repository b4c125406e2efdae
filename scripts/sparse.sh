#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# sparse (C=2) and W=1 on the C files the series touches, in the UML KUnit
# build.  Fails on any warning that points at a line the series added.
set -euo pipefail
. "$(dirname "$0")/common.sh"

KBUILD=${KBUILD:-$BUILD/kunit-uml}
prepend_ccache
cd "$WORKTREE"
range="$(base_ref)..$BRANCH"
objs=""
for f in $(git diff --name-only "$range" -- '*.c'); do
	o=${f%.c}.o
	[ -f "$KBUILD/$o" ] && objs="$objs $o"
done
[ -n "$objs" ] || die "no objects of touched files in $KBUILD: run kunit.sh first"

# Lines the series added, as file:line.
added=$(mktemp)
trap 'rm -f "$added"' EXIT
git diff -U0 "$range" | awk '
	/^\+\+\+ b\// { file = substr($0, 7) }
	/^@@/ { split($3, a, ","); line = substr(a[1], 2); n = (a[2] == "" ? 1 : a[2]);
		for (i = 0; i < n; i++) print file ":" line + i }' > "$added"

log=$RESULTS/sparse.log
mkdir -p "$RESULTS"
# shellcheck disable=SC2086
touch $(for o in $objs; do echo "${o%.o}.c"; done)
make ARCH=um O="$KBUILD" C=1 W=1 $objs > "$log" 2>&1 || { cat "$log"; die "build failed"; }
bad=0
while IFS= read -r w; do
	loc=$(echo "$w" | sed -n 's|^\([^:]*\):\([0-9]*\):.*|\1:\2|p')
	loc=${loc#"$WORKTREE/"}
	if [ -n "$loc" ] && grep -qx "$loc" "$added"; then
		echo "new: $w"
		bad=1
	fi
done < <(grep -E ': (warning|error):' "$log" || true)
total=$(grep -cE ': (warning|error):' "$log" || true)
if [ $bad = 0 ]; then
	record PASS "sparse and W=1 on touched files ($total warnings, none on added lines)"
else
	record FAIL "sparse and W=1 on touched files"
fi
exit $bad
