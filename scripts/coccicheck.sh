#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Run every rule of cocci/ through the kernel's own `make coccicheck`, in
# every mode the rule declares (its "virtual" lines) and in MODE=chain, on a
# small subtree of the series tree, as a user would:
#
#   make coccicheck MODE=<mode> COCCI=$PROJECT/cocci/<rule>.cocci \
#        M=<dir> SPFLAGS="--macro-file $PROJECT/cocci/frag_macros.h"
#
# and record one PASS or FAIL per rule and mode: make must exit 0 and
# coccicheck must not say "coccicheck failed".  The tree is only read
# (coccicheck without --in-place writes nothing; checked with git status).
#
# Usage: scripts/coccicheck.sh [dir...]
#   dirs default to $COCCICHECK_DIRS, else net/kcm (one file that uses the
#   accessors, so every rule's file filter lets it through).
#   The tree is $WORKTREE (build/linux, or KERNEL_SRC).
set -euo pipefail
. "$(dirname "$0")/common.sh"

tree=$WORKTREE
dirs=${*:-${COCCICHECK_DIRS:-net/kcm}}
macros=$PROJECT/cocci/frag_macros.h
out=$BUILD/coccicheck
command -v spatch >/dev/null || die "spatch not found"
[ -f "$tree/scripts/coccicheck" ] || die "$tree has no scripts/coccicheck"
rm -rf "$out"
mkdir -p "$out"

status() { git -C "$tree" status --porcelain --ignored 2>/dev/null || true; }
before=$(status)

failed=0
for cocci in "$PROJECT"/cocci/*.cocci; do
	rule=$(basename "$cocci" .cocci)
	modes=$(sed -n 's/^virtual[[:space:]]\+\(patch\|context\|org\|report\)[[:space:]]*$/\1/p' \
		"$cocci")
	for m in $modes chain; do
		for d in $dirs; do
			log=$out/$rule.$m.${d//\//_}.log
			rc=0
			make -C "$tree" -s coccicheck MODE="$m" COCCI="$cocci" \
				M="$d" SPFLAGS="--macro-file $macros" \
				> "$log" 2>&1 || rc=$?
			if [ $rc = 0 ] && ! grep -q 'coccicheck failed' "$log"; then
				record PASS "coccicheck:$rule MODE=$m M=$d"
			else
				record FAIL "coccicheck:$rule MODE=$m M=$d"
				sed 's/^/    /' "$log" | tail -20
				failed=$((failed + 1))
			fi
		done
	done
done

if [ "$(status)" = "$before" ]; then
	record PASS "coccicheck left $tree unchanged"
else
	record FAIL "coccicheck left $tree unchanged"
	failed=$((failed + 1))
fi
note "coccicheck: $failed failed (logs in $out)"
[ $failed = 0 ]
