#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Compile every C file the series' conversion patch touches, on x86_64
# allmodconfig (CONFIG_WERROR off) with W=1: on the base, at the conversion
# commit and at the series' tip.  Fails when an object does not build, or
# when a warning appears that the base does not have (compared by file and
# message, without line numbers, which the patches move).
# Build directory: build/x86-convert.  The worktree is left on the tip.
set -euo pipefail
. "$(dirname "$0")/common.sh"

KBUILD=${KBUILD:-$BUILD/x86-convert}
prepend_ccache
patch=$(conversion_patch) || die "no conversion patch in series"
files=$(sed -n 's|^+++ b/\(.*\.c\)$|\1|p' "$PROJECT/patches/$patch")
[ -n "$files" ] || die "$patch touches no C file"
objs=$(for f in $files; do echo "${f%.c}.o"; done)

cd "$WORKTREE"
tip=$(git symbolic-ref -q --short HEAD) || die "worktree HEAD is detached"
[ -z "$(git status --porcelain -uno)" ] || die "$WORKTREE has uncommitted changes"
subject=$(patch_subject "$PROJECT/patches/$patch")
conv=$(git log --format='%H %s' "$(base_ref)..$tip" |
	awk -v s="$subject" 'substr($0, 42) == s { print $1 }')
[ -n "$conv" ] || die "no commit \"$subject\" in $(base_ref)..$tip"
trap 'git checkout -q "$tip"' EXIT

mkdir -p "$KBUILD" "$RESULTS"
if [ ! -f "$KBUILD/.config" ]; then
	git checkout -q "$(base_ref)"
	make -s ARCH=x86_64 O="$KBUILD" allmodconfig >/dev/null
	scripts/config --file "$KBUILD/.config" -d WERROR -d DRM_WERROR
	make -s ARCH=x86_64 O="$KBUILD" olddefconfig >/dev/null
fi

# warnings <log>: "file: message" of each warning, without line and column.
warnings() {
	sed -n 's|^\([^:]*\.[ch]\):[0-9]*:[0-9]*: warning: \(.*\)|\1: \2|p' "$1" |
		sed "s|^$WORKTREE/||" | LC_ALL=C sort -u
}

bad=0
for stage in base conversion tip; do
	case $stage in
	base) rev=$(base_ref) ;;
	conversion) rev=$conv ;;
	tip) rev=$tip ;;
	esac
	git checkout -q "$rev"
	log=$RESULTS/convert-build-$stage.log
	# shellcheck disable=SC2086
	touch $files
	# shellcheck disable=SC2086
	if ! make ARCH=x86_64 O="$KBUILD" W=1 -j"$(nproc)" $objs > "$log" 2>&1; then
		grep -E 'error|Error' "$log" | head -20
		record FAIL "x86_64 allmodconfig W=1: converted files build at $stage"
		bad=1
		continue
	fi
	warnings "$log" > "$log.warnings"
	if [ $stage = base ]; then
		note "x86_64 W=1 at base: $(wc -l < "$log.warnings") warnings in $(echo $files | wc -w) files"
		continue
	fi
	new=$(LC_ALL=C comm -13 "$RESULTS/convert-build-base.log.warnings" "$log.warnings")
	if [ -z "$new" ]; then
		record PASS "x86_64 allmodconfig W=1: converted files build at $stage, no new warnings"
	else
		echo "$new"
		record FAIL "x86_64 allmodconfig W=1: new warnings at $stage"
		bad=1
	fi
done
exit $bad
