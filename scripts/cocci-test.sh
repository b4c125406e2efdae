#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Run the Coccinelle tests in cocci/tests/ and record one PASS or FAIL each.
#
# A test is cocci/tests/<rule>_<name>.c for the semantic patch
# cocci/<rule>.cocci, with its expectations next to it:
#   <test>.res  for a rule with a patch mode: the file after spatch -D patch;
#               for a report-only rule: the -D report output;
#   <test>.rep  optional, for a rule with a patch mode: its -D report output.
# Report output is spatch's "file:line:col-col: message" with the test's
# own file name (spatch runs in the test's directory), sorted by file, line
# and column.  A first line "// cocci-test-path: <path>" runs the test as
# that path (the accessor files the rules must leave alone).
#
# Each test also checks that a second pass changes nothing (spatch -D patch
# over the .res, or over the input for a report-only rule) and that the
# context and org modes run.  spatch gets the "// Options:" of the rule, as
# make coccicheck gives it, and cocci/frag_macros.h (scoped_guard()).
#
# And that the code compiles, before and after: the input of every test,
# and for a rule with a patch mode both spatch's conversion and the .res,
# go through gcc -fsyntax-only
# -Werror against the small declarations in cocci/tests/include/
# (cocci-test.h, force-included), so a conversion that yields code that
# does not build (an rvalue assigned to, a void helper used as a value, a
# wrong argument type) fails.  Tests run as the accessor files themselves
# (cocci-test-path: include/...) are not compiled: they define what the
# declarations declare.
#
# Usage: scripts/cocci-test.sh [test-name...]
#   COCCI_TEST_JOBS (default 2) tests run at a time.
set -euo pipefail
. "$(dirname "$0")/common.sh"

SPATCH=${SPATCH:-spatch}
TESTS=$PROJECT/cocci/tests
# Macros spatch needs to parse code under scoped_guard() and the like.
MACROS=$PROJECT/cocci/frag_macros.h
WORK=$BUILD/cocci-tests
CC=${CC:-gcc}
command -v "$SPATCH" >/dev/null || die "spatch not found"
command -v "$CC" >/dev/null || die "$CC not found"

rm -rf "$WORK"
mkdir -p "$WORK"

sort_report() { LC_ALL=C sort -t: -k1,1 -k2,2n -k3,3n; }

# The rule a test belongs to: the longest cocci/<rule>.cocci prefix.
rule_of() {
	local t=$1 best='' f r
	for f in "$PROJECT"/cocci/*.cocci; do
		r=$(basename "$f" .cocci)
		case $t in
		"$r"_*) [ ${#r} -gt ${#best} ] && best=$r ;;
		esac
	done
	echo "$best"
}

# Does the rule transform code?  Report-only rules say "no patch mode".
has_patch_mode() { ! grep -qi '^///.*no patch mode' "$1"; }

# Run spatch on one file from its directory: spatch <cocci> <dir> <file> <args>
run_spatch() {
	local cocci=$1 dir=$2 file=$3
	shift 3
	local opts
	opts=$(sed -n 's|^// Options:||p' "$cocci")
	# shellcheck disable=SC2086
	(cd "$dir" && "$SPATCH" --sp-file "$cocci" $opts --macro-file "$MACROS" \
		--very-quiet "$@" "$file")
}

# spatch -D patch --in-place on the copy in the test's directory.  A rule
# without patch rules makes spatch say "No rules apply" and exit 255: that
# changes nothing and is fine.
patch_in_place() {	# cocci dir path
	local rc=0
	run_spatch "$1" "$2" "$3" -D patch --no-show-diff --in-place \
		>"$2/patch.out" 2>"$2/patch.err" || rc=$?
	[ $rc = 0 ] && return 0
	if [ $rc = 255 ] && grep -q '^No rules apply' "$2/patch.err"; then
		return 0
	fi
	cat "$2/patch.err"
	return 1
}

# gcc -fsyntax-only on one file against cocci/tests/include/.
compiles() {	# file
	"$CC" -x c -fsyntax-only -nostdinc -I "$TESTS/include" \
		-include cocci-test.h -Wall -Werror -Wno-unused-function \
		-Wno-unused-variable -Wno-unused-but-set-variable "$1"
}

report() {	# cocci dir path: sorted -D report output in dir/report.out
	run_spatch "$1" "$2" "$3" -D report --no-show-diff 2>"$2/report.err" |
		sort_report > "$2/report.out" || { cat "$2/report.err"; return 1; }
}

run_test() {
	local t=$1 src=$TESTS/$1.c rule cocci dir path ok=1
	rule=$(rule_of "$t")
	[ -n "$rule" ] || { echo "$t: no rule for this test"; return 1; }
	cocci=$PROJECT/cocci/$rule.cocci
	dir=$WORK/$t
	path=$(sed -n '1s|^// cocci-test-path: *||p' "$src")
	[ -n "$path" ] || path=$t.c
	mkdir -p "$dir/$(dirname "$path")"
	cp "$src" "$dir/$path"
	[ -f "$TESTS/$t.res" ] || { echo "$t: no $t.res"; return 1; }

	if has_patch_mode "$cocci"; then
		# The conversion, in place on the copy.
		patch_in_place "$cocci" "$dir" "$path" ||
			{ echo "$t: spatch -D patch failed"; ok=0; }
		diff -u "$TESTS/$t.res" "$dir/$path" || ok=0
		if [ "$path" = "$t.c" ]; then
			compiles "$dir/$path" ||
				{ echo "$t: spatch's conversion does not compile"; ok=0; }
		fi
		# A second pass over the result changes nothing.
		cp "$TESTS/$t.res" "$dir/$path"
		patch_in_place "$cocci" "$dir" "$path" ||
			{ echo "$t: second pass failed"; ok=0; }
		cmp -s "$TESTS/$t.res" "$dir/$path" ||
			{ echo "$t: second pass changed the .res:";
			  diff -u "$TESTS/$t.res" "$dir/$path" || true; ok=0; }
		cp "$src" "$dir/$path"
		if [ -f "$TESTS/$t.rep" ]; then
			report "$cocci" "$dir" "$path" ||
				{ echo "$t: spatch -D report failed"; ok=0; }
			diff -u "$TESTS/$t.rep" "$dir/report.out" || ok=0
		fi
	else
		report "$cocci" "$dir" "$path" ||
			{ echo "$t: spatch -D report failed"; ok=0; }
		diff -u "$TESTS/$t.res" "$dir/report.out" || ok=0
		# Report only: patch mode leaves the input alone.
		patch_in_place "$cocci" "$dir" "$path" ||
			{ echo "$t: spatch -D patch failed"; ok=0; }
		cmp -s "$src" "$dir/$path" ||
			{ echo "$t: patch mode changed a report-only input"; ok=0; }
	fi

	# The input, and the conversion, compile.
	if [ "$path" = "$t.c" ]; then
		compiles "$src" || { echo "$t: the input does not compile"; ok=0; }
		if has_patch_mode "$cocci"; then
			compiles "$TESTS/$t.res" ||
				{ echo "$t: the expected conversion does not compile"; ok=0; }
		fi
	fi

	# The other modes run (make coccicheck MODE=context / MODE=org).
	local m
	for m in context org; do
		run_spatch "$cocci" "$dir" "$path" -D "$m" >"$dir/$m.out" \
			2>"$dir/$m.err" ||
			{ echo "$t: spatch -D $m failed"; cat "$dir/$m.err"; ok=0; }
	done
	[ $ok = 1 ]
}

if [ $# -gt 0 ]; then
	tests=("$@")
else
	mapfile -t tests < <(cd "$TESTS" && for f in *.c; do echo "${f%.c}"; done |
		LC_ALL=C sort)
fi
[ ${#tests[@]} -gt 0 ] || die "no tests in $TESTS"

# COCCI_TEST_JOBS tests at a time (default 2); results in test order.
jobs=${COCCI_TEST_JOBS:-2}
for t in "${tests[@]}"; do
	while [ "$(jobs -rp | wc -l)" -ge "$jobs" ]; do
		wait -n || true
	done
	( if run_test "$t" > "$WORK/$t.log" 2>&1; then echo 0; else echo 1; fi \
		> "$WORK/$t.rc" ) &
done
wait

failed=0
for t in "${tests[@]}"; do
	if [ "$(cat "$WORK/$t.rc" 2>/dev/null)" = 0 ]; then
		record PASS "cocci:$t"
	else
		record FAIL "cocci:$t"
		sed 's/^/    /' "$WORK/$t.log"
		failed=$((failed + 1))
	fi
done

note "${#tests[@]} cocci tests, $failed failed"
[ $failed = 0 ]
