#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Apply the series with git am, in series order, on branch fragdtor.
#
# build/linux is a worktree of the base tree.  When its fragdtor branch
# already carries exactly patches/, nothing is re-applied (so a developer's
# build keeps its timestamps).  When it carries something else, the
# developer's unexported commits are kept: apply refuses unless FORCE=1.
# With KERNEL_SRC, the series is applied with git am on that tree's HEAD.
set -euo pipefail
. "$(dirname "$0")/common.sh"

am() {
	local p
	for p in $(series_patches); do
		if ! git am -q --whitespace=nowarn "$PROJECT/patches/$p"; then
			git am --abort || true
			die "patch $p does not apply"
		fi
	done
}

if [ -n "${KERNEL_SRC:-}" ]; then
	cd "$KERNEL_SRC"
	note "applying the series on $(git rev-parse --short HEAD) in $KERNEL_SRC"
	am
	exit 0
fi

[ -d "$WORKTREE" ] || git -C "$BASE_TREE" worktree add -q --detach "$WORKTREE" base
cd "$WORKTREE"
git config user.name >/dev/null || git config user.name "fragdtor build"
git config user.email >/dev/null || git config user.email "build@fragdtor.invalid"

if git rev-parse -q --verify "refs/heads/$BRANCH" >/dev/null; then
	tmp=$(mktemp -d)
	format_patch "$tmp" "base..$BRANCH"
	same=1
	[ "$(cd "$tmp" && ls)" = "$(series_patches)" ] || same=0
	for p in $(series_patches); do
		cmp -s "$tmp/$p" "$PROJECT/patches/$p" || same=0
	done
	rm -rf "$tmp"
	if [ $same = 1 ]; then
		[ "$(git symbolic-ref -q --short HEAD)" = "$BRANCH" ] ||
			git checkout -q "$BRANCH"
		[ -z "$(git status --porcelain -uno)" ] ||
			die "$WORKTREE has uncommitted changes"
		note "series already applied on $BRANCH ($(git rev-parse --short HEAD))"
		exit 0
	fi
	[ -n "${FORCE:-}" ] || [ "$(git rev-list --count base.."$BRANCH")" = 0 ] ||
		die "branch $BRANCH in $WORKTREE differs from patches/: run" \
		    "'make export' to keep it, or FORCE=1 to replace it"
fi
git checkout -q -f -B "$BRANCH" base
am
note "applied $(series_patches | wc -l) patches on $BRANCH ($(git rev-parse --short HEAD))"
