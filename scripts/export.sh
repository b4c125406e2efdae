#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Regenerate patches/ and series from the worktree's commits, and the
# include/ and net/ mirrors of the files the series adds.
# With CHECK=1, write nothing and fail when anything differs.
set -euo pipefail
. "$(dirname "$0")/common.sh"

cd "$WORKTREE"
range="$(base_ref)..${BRANCH_REF:-$BRANCH}"
git rev-parse -q --verify "${BRANCH_REF:-$BRANCH}" >/dev/null ||
	die "no branch ${BRANCH_REF:-$BRANCH} in $WORKTREE: run 'make apply'"
[ -z "${CHECK:-}" ] || [ -z "$(git status --porcelain -uno)" ] ||
	die "$WORKTREE has uncommitted changes"

out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
format_patch "$out/patches" "$range"
(cd "$out/patches" && ls) > "$out/series"
# Mirrors: every file the series adds under include/ or net/.
for f in $(git diff --diff-filter=A --name-only "$range" -- include net); do
	mkdir -p "$out/mirror/$(dirname "$f")"
	git show "${BRANCH_REF:-$BRANCH}:$f" > "$out/mirror/$f"
done

mirrors() { (cd "$1" 2>/dev/null && find include net -type f 2>/dev/null | sort); }

if [ -n "${CHECK:-}" ]; then
	bad=0
	diff -u "$PROJECT/series" "$out/series" || bad=1
	diff -ru "$PROJECT/patches" "$out/patches" || bad=1
	[ "$(mirrors "$PROJECT")" = "$(mirrors "$out/mirror")" ] ||
		{ echo "mirror file lists differ"; bad=1; }
	for f in $(mirrors "$out/mirror"); do
		cmp "$out/mirror/$f" "$PROJECT/$f" || bad=1
	done
	[ $bad = 0 ] || die "patches/ or mirrors differ from $range: run 'make export'"
	note "patches/, series and mirrors match $range"
	exit 0
fi

rm -rf "$PROJECT/patches"
cp -r "$out/patches" "$PROJECT/patches"
cp "$out/series" "$PROJECT/series"
for f in $(mirrors "$PROJECT"); do rm -f "$PROJECT/$f"; done
[ -d "$out/mirror" ] && cp -r "$out/mirror/." "$PROJECT/"
note "exported $(wc -l < "$out/series") patches from $range"
