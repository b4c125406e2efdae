#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# The KUnit suites under UBSAN (alignment included, as on UML by default),
# lockdep and kmemleak, in their own build directory build/kunit-hardening
# (kunit/.kunitconfig + kunit/hardening.config).
#  1. All suites (net_core and ours): every sanitizer report is listed with
#     the function it came from.
#  2. Our suites alone (net_frag_*): must give 0 reports.
#  3. kmemleak: the same kernel boots again, runs all suites, and then,
#     with the host's root read-only on hostfs, scripts/kmemleak-init.sh
#     scans twice and prints the report.  Must find 0 leaks.
# Writes build/results/hardening.md.  Fails on a failed case, on a report
# from our suites, or on a leak.
set -euo pipefail
. "$(dirname "$0")/common.sh"

KBUILD=$BUILD/kunit-hardening
OUT=$RESULTS/hardening
mkdir -p "$OUT"
prepend_ccache
cd "$WORKTREE"
kunit() {
	python3 tools/testing/kunit/kunit.py "$@" --arch=um \
		--kunitconfig "$PROJECT/kunit/.kunitconfig" \
		--kunitconfig "$PROJECT/kunit/hardening.config" \
		--build_dir "$KBUILD" --timeout 1200
}
# Sanitizer and lockdep reports in a console log: "kind<TAB>where".
reports() {
	awk '
	/UBSAN: / { kind = $0; sub(/.*UBSAN: /, "UBSAN ", kind); sub(/ in .*/, "", kind); want = 1; next }
	/WARNING: possible|WARNING: inconsistent|BUG: sleeping function|BUG: KASAN|BUG: scheduling while/ {
		kind = $0; sub(/^.*\] /, "", kind); want = 1; next }
	want && /^ *\[?.*\]? *[a-z_0-9.]+\+0x/ && !/dump_stack|ubsan|__ubsan|print_|lockdep|kunit_try|warn/ {
		w = $0; sub(/^.*\] /, "", w); sub(/^ */, "", w); print kind "\t" w; want = 0 }
	' "$1"
}

set +e
kunit run --jobs "$(nproc)" --json="$OUT/all.json" > "$OUT/all.log" 2>&1
rc_all=$?
cp "$KBUILD/test.log" "$OUT/all-console.log"
kunit exec --json="$OUT/ours.json" 'net_frag_*' > "$OUT/ours.log" 2>&1
rc_ours=$?
cp "$KBUILD/test.log" "$OUT/ours-console.log"
set -e
read -r pass_all fail_all < <(python3 "$PROJECT/scripts/kunit-count.py" "$OUT/all.json" 2>/dev/null || echo "0 1")
read -r pass_ours fail_ours < <(python3 "$PROJECT/scripts/kunit-count.py" "$OUT/ours.json" 2>/dev/null || echo "0 1")
reports "$OUT/all-console.log" > "$OUT/all.reports"
reports "$OUT/ours-console.log" > "$OUT/ours.reports"

# kmemleak: boot the same kernel with a shell as init.
note "kmemleak boot"
(cd "$KBUILD" && timeout 1200 ./linux mem=1G console=tty kunit.enable=1 \
	root=/dev/root rootfstype=hostfs rootflags=/ ro \
	init="$PROJECT/scripts/kmemleak-init.sh" </dev/null) > "$OUT/kmemleak.log" 2>&1 || true
grep -q kmemleak-report-end "$OUT/kmemleak.log" || { tail -30 "$OUT/kmemleak.log"; die "the kmemleak boot did not finish"; }
sed -n '/kmemleak-report-begin/,/kmemleak-report-end/p' "$OUT/kmemleak.log" > "$OUT/kmemleak.report"
leaks=$(grep -c 'unreferenced object' "$OUT/kmemleak.report" || true)
suites_ran=$(grep -c '^ *ok [0-9]* net_' "$OUT/kmemleak.log" || true)

{
	echo "| run | cases passed | failed | sanitizer/lockdep reports |"
	echo "|---|---|---|---|"
	echo "| all suites | $pass_all | $fail_all | $(wc -l < "$OUT/all.reports") |"
	echo "| net_frag_* only | $pass_ours | $fail_ours | $(wc -l < "$OUT/ours.reports") |"
	echo
	echo "Reports (kind, first frame outside the sanitizer):"
	echo
	echo '```'
	sort "$OUT/all.reports" | uniq -c
	echo '```'
	echo
	echo "kmemleak after all suites ($suites_ran suites ran in that boot): $leaks unreferenced objects"
	if [ "$leaks" != 0 ]; then
		echo
		echo '```'
		grep -A12 'unreferenced object' "$OUT/kmemleak.report" | head -80
		echo '```'
	fi
} > "$OUT/../hardening.md"
cat "$OUT/../hardening.md"
ok=1
[ "$rc_all" = 0 ] && [ "$fail_all" = 0 ] && [ "$pass_all" -gt 0 ] || ok=0
[ "$rc_ours" = 0 ] && [ "$fail_ours" = 0 ] && [ ! -s "$OUT/ours.reports" ] || ok=0
[ "$leaks" = 0 ] && [ "$suites_ran" -gt 0 ] || ok=0
if [ $ok = 1 ]; then
	record PASS "hardening: UBSAN+lockdep $pass_all cases, 0 reports from net_frag_*, kmemleak 0 leaks"
else
	record FAIL "hardening: see build/results/hardening.md"
	exit 1
fi
