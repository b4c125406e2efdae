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

# The rule's own options, and the macros that let spatch parse code under
# scoped_guard() (cocci/frag_macros.h).
opts_of() {
	sed -n 's|^// Options:||p' "$1"
	echo "--macro-file $PROJECT/cocci/frag_macros.h"
}

# Let spatch pick the files with git grep when the tree is a git tree.
if git -C "$tree" rev-parse --is-inside-work-tree >/dev/null 2>&1; then
	select=--use-gitgrep
else
	select=
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# The files spatch parses for a rule.  Every rule of frag_page_ref.cocci
# depends on its "has" rule, which needs skb_frag_page or skb_frag_netmem
# in the file; spatch's own --use-gitgrep query is the union of all the
# tokens of all its rules (get_page, put_page, the headers its include rules
# look for) and would parse thousands of files for nothing.  So its files
# are those git grep finds with these words, given as --file-groups.
files_of() {	# rule
	if [ "$1" = frag_page_ref ] && [ -n "$select" ]; then
		(cd "$tree" && git grep -l -w -E 'skb_frag_page|skb_frag_netmem' \
			-- '*.c' '*.h') | awk '{ print; print "" }' > "$work/$1.files"
		echo "--file-groups $work/$1.files"
	else
		echo "--dir . $select"
	fi
}

# 1. Every file a rule changes in the tree as it is.  A later rule run on
#    the output of an earlier one only sees files already in this list.
start=$SECONDS
: > "$work/files"
for r in $RULES; do
	cocci=$PROJECT/cocci/$r.cocci
	t0=$SECONDS
	# shellcheck disable=SC2046,SC2086
	(cd "$tree" && "$SPATCH" --sp-file "$cocci" $(opts_of "$cocci") \
		-D patch --very-quiet $(files_of "$r") --jobs "$JOBS" \
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
# The tree's .gitattributes (diff=cpp for C) shapes the hunk headers the
# way git format-patch does in the kernel tree.  It stays untracked.
[ -f "$tree/.gitattributes" ] && cp "$tree/.gitattributes" "$repo/"
git -C "$repo" -c core.quotePath=false -c diff.noprefix=false \
	diff --full-index --no-color --no-ext-diff --no-renames -- .
echo "convert: $(wc -l < "$work/files") files, $((SECONDS - start)) s in all" >&2
