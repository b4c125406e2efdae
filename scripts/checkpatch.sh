#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# checkpatch.pl --strict on every patch of the series: 0 errors, 0 warnings
# and 0 checks each.
set -euo pipefail
. "$(dirname "$0")/common.sh"

cd "$WORKTREE"
# spdxcheck.py needs Debian's python3-ply and python3-git.
export PATH=/usr/bin:$PATH
bad=0
for p in $(series_patches); do
	out=$(./scripts/checkpatch.pl --strict --quiet --showfile \
		"$PROJECT/patches/$p" 2>&1) || true
	if [ -z "$out" ]; then
		record PASS "checkpatch $p"
	else
		echo "$out"
		record FAIL "checkpatch $p"
		bad=1
	fi
done
exit $bad
