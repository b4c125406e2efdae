#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Unpack Debian's linux-source-6.12 into a git repository with a
# deterministic base commit: build/linux-base, branch "base", tag "base".
set -euo pipefail
. "$(dirname "$0")/common.sh"

if [ -n "${KERNEL_SRC:-}" ]; then
	git -C "$KERNEL_SRC" rev-parse --verify HEAD >/dev/null ||
		die "KERNEL_SRC=$KERNEL_SRC is not a git tree"
	note "using KERNEL_SRC=$KERNEL_SRC at $(git -C "$KERNEL_SRC" rev-parse --short HEAD)"
	exit 0
fi

if git -C "$BASE_TREE" rev-parse --verify -q refs/tags/base >/dev/null 2>&1; then
	note "base tree: $BASE_TREE $(git -C "$BASE_TREE" rev-parse --short base)"
	exit 0
fi

[ -f "$BASE_TARBALL" ] || die "$BASE_TARBALL missing: run 'make deps'"
installed=$(dpkg-query -W -f='${Version}' "$BASE_PKG" 2>/dev/null || true)
if [ "$installed" != "$BASE_VERSION" ]; then
	echo "warning: $BASE_PKG $installed installed, README names $BASE_VERSION;" \
	     "the base commit id will differ and the series may need a rebase" >&2
fi

rm -rf "$BASE_TREE.tmp"
mkdir -p "$BASE_TREE.tmp"
note "unpacking $BASE_TARBALL ($installed)"
tar -C "$BASE_TREE.tmp" --strip-components=1 -xJf "$BASE_TARBALL"
cd "$BASE_TREE.tmp"
git init -q -b debian-6.12
git config core.autocrlf false
git config user.name "$BASE_IDENT_NAME"
git config user.email "$BASE_IDENT_EMAIL"
# Debian's tarball ships a .gitignore that ignores every top-level path.
git add -f -A .
export GIT_AUTHOR_NAME="$BASE_IDENT_NAME" GIT_AUTHOR_EMAIL="$BASE_IDENT_EMAIL"
export GIT_COMMITTER_NAME="$BASE_IDENT_NAME" GIT_COMMITTER_EMAIL="$BASE_IDENT_EMAIL"
export GIT_AUTHOR_DATE="$BASE_DATE" GIT_COMMITTER_DATE="$BASE_DATE"
git commit -q -m "Linux $BASE_PKG $installed (Debian)"
git tag base
cd - >/dev/null
mv "$BASE_TREE.tmp" "$BASE_TREE"
note "base tree: $BASE_TREE $(git -C "$BASE_TREE" rev-parse base)"
