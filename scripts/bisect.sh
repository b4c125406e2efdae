#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Build the UML kernel at every patch of the series, so that the series is
# bisectable.  Uses the KUnit build directory and configuration, and leaves
# the worktree on the series' last commit.
#   BISECT=full   (default) build vmlinux at every commit;
#   BISECT=quick  build only the objects of the C files the series touches
#                 (what `make check` runs: a header change that breaks some
#                 other includer is only caught by the full build).
set -euo pipefail
. "$(dirname "$0")/common.sh"

KBUILD=${KBUILD:-$BUILD/kunit-uml}
prepend_ccache
cd "$WORKTREE"
tip=$(git symbolic-ref -q --short HEAD) || die "worktree HEAD is detached"
[ -z "$(git status --porcelain -uno)" ] || die "$WORKTREE has uncommitted changes"
# Start from the configuration kunit.py made (run kunit.sh first); options
# a commit does not know yet are dropped by olddefconfig for that commit.
[ -f "$KBUILD/.config" ] || die "no $KBUILD/.config: run scripts/kunit.sh first"
cp "$KBUILD/.config" "$KBUILD/.config.bisect"

mode=${BISECT:-full}
[ "$mode" = 1 ] && mode=full
case $mode in full|quick) ;; *) die "BISECT=$mode: full or quick" ;; esac
# The C files the series touches, for BISECT=quick.
touched=$(git diff --name-only "$(base_ref)..$tip" -- '*.c')

bad=0
i=0
commits=$(git rev-list --reverse "$(base_ref)..$tip")
total=$(echo "$commits" | wc -l)
for c in $commits; do
	i=$((i + 1))
	[ "$i" = "$total" ] && break	# the tip is built by kunit.sh
	git checkout -q "$c"
	name="build $(git log -1 --format=%s "$c")"
	cp "$KBUILD/.config.bisect" "$KBUILD/.config"
	targets=
	if [ "$mode" = quick ]; then
		name="$name (objects)"
		for f in $touched; do
			# Files of this commit that the configuration compiles.
			[ -f "$f" ] && [ -f "$KBUILD/${f%.c}.o" ] && targets="$targets ${f%.c}.o"
		done
	fi
	# shellcheck disable=SC2086
	if make -s ARCH=um O="$KBUILD" olddefconfig >/dev/null &&
	   make -s ARCH=um O="$KBUILD" -j"$(nproc)" $targets >"$KBUILD/bisect.log" 2>&1; then
		record PASS "$name"
	else
		tail -40 "$KBUILD/bisect.log"
		record FAIL "$name"
		bad=1
	fi
done
git checkout -q "$tip"
cp "$KBUILD/.config.bisect" "$KBUILD/.config"
exit $bad
