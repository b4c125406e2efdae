#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Mutation check: apply a sed expression to one file of the worktree, run
# the KUnit suites matching a glob in the KUnit build, restore the file,
# and print what failed.  A test that cannot fail catches nothing here.
#   scripts/mutate.sh NAME FILE SED-EXPR GLOB
# Log: build/logs/mut-NAME.log.  Exit 0 when the mutation was caught.
set -uo pipefail
. "$(dirname "$0")/common.sh"

[ $# = 4 ] || die "usage: $0 NAME FILE SED-EXPR GLOB"
name=$1 file=$2 expr=$3 glob=$4
log=$BUILD/logs/mut-$name.log
mkdir -p "$BUILD/logs"
cd "$WORKTREE"
orig=$(mktemp)
cp "$file" "$orig"
trap 'cp "$orig" "$file"; rm -f "$orig"' EXIT
sed -i "$expr" "$file"
cmp -s "$file" "$orig" && die "$name: the expression changed nothing in $file"
python3 tools/testing/kunit/kunit.py run --arch=um \
	--kunitconfig "$PROJECT/kunit/.kunitconfig" \
	--build_dir "$BUILD/kunit-uml" --jobs "$(nproc)" --timeout 600 \
	"$glob" > "$log" 2>&1
rc=$?
note "$name: $(grep -E 'Testing complete' "$log" | sed 's/^\[[0-9:]*\] //')"
grep -E '\[FAILED\]' "$log" | sed 's/^\[[0-9:]*\] //' | sort -u
[ $rc != 0 ]
