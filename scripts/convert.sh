#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Run the patch-mode semantic patches over a kernel tree and print the
# resulting tree-wide conversion as one git diff on stdout.
#
# Usage: scripts/convert.sh [tree] > conversion.diff
#   tree defaults to $COCCI_TREE, else the base tree ($BUILD/linux-base).
#   COCCI_JOBS (default 2) spatch processes.
#
# The tree is only read.  The rules run in a fixed order (frag_raw_netmem
# turns raw handle reads into accessor calls, which frag_page_ref then
# understands), each on the output of the one before, over a copy of the
# files they change.  The diff has a/ and b/ paths relative to the tree,
# files sorted by path, full blob ids and no dates, so the same tree gives
# the same bytes every time: it can be stored as the series' conversion
# patch and regenerated to check it.  Timings go to stderr.
set -euo pipefail
. "$(dirname "$0")/common.sh"

SPATCH=${SPATCH:-spatch}
RULES="frag_raw_netmem frag_page_ref"
JOBS=${COCCI_JOBS:-2}
tree=$(cd "${1:-${COCCI_TREE:-$BASE_TREE}}" && pwd)
command -v "$SPATCH" >/dev/null || die "spatch not found"
[ -d "$tree/include/linux" ] || die "$tree is not a kernel tree"

opts_of() { sed -n 's|^// Options:||p' "$1"; }

# Let spatch pick the files with git grep when the tree is a git tree.
if git -C "$tree" rev-parse --is-inside-work-tree >/dev/null 2>&1; then
	select=--use-gitgrep
else
	select=
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# 1. Every file a rule changes in the tree as it is.  A later rule run on
#    the output of an earlier one only sees files already in this list.
start=$SECONDS
: > "$work/files"
for r in $RULES; do
	cocci=$PROJECT/cocci/$r.cocci
	t0=$SECONDS
	# shellcheck disable=SC2046,SC2086
	(cd "$tree" && "$SPATCH" --sp-file "$cocci" $(opts_of "$cocci") \
		-D patch --very-quiet --dir . $select --jobs "$JOBS" \
		--chunksize 1 --patch .) > "$work/$r.diff" 2> "$work/$r.err" ||
		{ cat "$work/$r.err" >&2; die "spatch $r failed"; }
	sed -n 's|^+++ b/||p' "$work/$r.diff" >> "$work/files"
	echo "convert: $r over $tree: $((SECONDS - t0)) s" >&2
done
LC_ALL=C sort -u -o "$work/files" "$work/files"

# 2. The same rules, in order and in place, on a copy of those files in a
#    scratch git repository; its diff is the conversion.
repo=$work/repo
mkdir -p "$repo"
git -C "$repo" init -q
while read -r f; do
	mkdir -p "$repo/$(dirname "$f")"
	cp "$tree/$f" "$repo/$f"
done < "$work/files"
if [ -s "$work/files" ]; then
	git -C "$repo" add -A
	for r in $RULES; do
		cocci=$PROJECT/cocci/$r.cocci
		# shellcheck disable=SC2046
		(cd "$repo" && xargs -n 1 -a "$work/files" "$SPATCH" --sp-file "$cocci" \
			$(opts_of "$cocci") -D patch --very-quiet --no-show-diff \
			--in-place) > /dev/null 2> "$work/$r.err2" ||
			{ cat "$work/$r.err2" >&2; die "spatch $r failed on the copy"; }
	done
fi
git -C "$repo" -c core.quotePath=false -c diff.noprefix=false \
	diff --full-index --no-color --no-ext-diff --no-renames -- .
echo "convert: $(wc -l < "$work/files") files, $((SECONDS - start)) s in all" >&2
