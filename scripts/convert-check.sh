#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Prove the series' conversion patch:
#  1. scripts/convert.sh on the base tree gives the diff of the conversion
#     patch in patches/, byte for byte;
#  2. on the series tree the patch-mode rules find nothing left to convert;
#  3. every file the conversion touches compiles on x86_64 with W=1, at the
#     conversion commit and at the tip (scripts/convert-build.sh).
# Outputs in build/cocci/: conversion.diff (base), left.diff (series).
set -euo pipefail
. "$(dirname "$0")/common.sh"

[ -z "${KERNEL_SRC:-}" ] || { note "conversion check skipped with KERNEL_SRC"; exit 0; }
out=$BUILD/cocci
mkdir -p "$out"
bad=0

patch=$(conversion_patch) || die "no conversion patch in series"
# The diff of a format-patch file: from the first "diff --git" to the end,
# without the blank line and base-commit: trailer that git adds.
sed -n '/^diff --git /,$p' "$PROJECT/patches/$patch" |
	sed '/^base-commit: /,$d' | sed '${/^$/d}' > "$out/conversion.patch.diff"

bash "$PROJECT/scripts/convert.sh" "$BASE_TREE" > "$out/conversion.diff"
if cmp -s "$out/conversion.diff" "$out/conversion.patch.diff"; then
	record PASS "conversion on the base tree reproduces $patch"
else
	diff -u "$out/conversion.patch.diff" "$out/conversion.diff" | head -60 || true
	record FAIL "conversion on the base tree reproduces $patch"
	bad=1
fi

bash "$PROJECT/scripts/convert.sh" "$WORKTREE" > "$out/left.diff"
if [ ! -s "$out/left.diff" ]; then
	record PASS "nothing left to convert on the series tree"
else
	cat "$out/left.diff"
	record FAIL "nothing left to convert on the series tree"
	bad=1
fi

bash "$PROJECT/scripts/convert-build.sh" || bad=1
exit $bad
