#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# The KUnit suites under UBSAN, lockdep and kmemleak, in their own build
# directory build/kunit-hardening (kunit/.kunitconfig +
# kunit/hardening.config).
#  1. All suites (net_core and ours): every report is listed.
#  2. Our suites alone (net_frag_*): must give 0 reports.
#  3. kmemleak: the same kernel boots again, runs all suites, and then,
#     with the host's root read-only on hostfs, scripts/kmemleak-init.sh
#     scans twice and prints the report.  Must find 0 leaks.
# UBSAN_ALIGNMENT=1: the same with CONFIG_UBSAN_ALIGNMENT (UML's default,
# off in hardening.config, see there) in build/kunit-hardening-align.  The
# reports are listed; none may come from our suites at a line the series
# added or changed (git blame), and the kmemleak boot is skipped.
# Writes build/results/hardening[-align].md.  Fails on a failed case (not
# with UBSAN_ALIGNMENT=1, where base code fails them), on a report from our
# suites, or on a leak.
set -euo pipefail
. "$(dirname "$0")/common.sh"

ALIGN=${UBSAN_ALIGNMENT:-0}
sfx=
extra=()
if [ "$ALIGN" != 0 ]; then
	sfx=-align
	extra=(--kconfig_add CONFIG_UBSAN_ALIGNMENT=y)
fi
KBUILD=$BUILD/kunit-hardening$sfx
OUT=$RESULTS/hardening$sfx
mkdir -p "$OUT"
prepend_ccache
cd "$WORKTREE"
kunit() {
	python3 tools/testing/kunit/kunit.py "$@" --arch=um \
		--kunitconfig "$PROJECT/kunit/.kunitconfig" \
		--kunitconfig "$PROJECT/kunit/hardening.config" \
		"${extra[@]}" --build_dir "$KBUILD" --timeout 1200
}
# Sanitizer and lockdep reports in a console log, one a line: the report's
# first line (for UBSAN, "UBSAN: <check> in <file>:<line>:<col>").
reports() {
	grep -E 'UBSAN: |BUG: |WARNING: (possible|inconsistent|suspicious)|INFO: task .* blocked' "$1" |
		sed -e 's/^\[[^]]*\] *//' -e "s|$WORKTREE/||" || true
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
leaks=-
suites_ran=0
if [ "$ALIGN" = 0 ]; then
	note "kmemleak boot"
	(cd "$KBUILD" && timeout 1200 ./linux mem=1G console=tty kunit.enable=1 \
		root=/dev/root rootfstype=hostfs rootflags=/ ro \
		init="$PROJECT/scripts/kmemleak-init.sh" </dev/null) > "$OUT/kmemleak.log" 2>&1 || true
	grep -q kmemleak-report-end "$OUT/kmemleak.log" ||
		{ tail -30 "$OUT/kmemleak.log"; die "the kmemleak boot did not finish"; }
	sed -n '/kmemleak-report-begin/,/kmemleak-report-end/p' "$OUT/kmemleak.log" > "$OUT/kmemleak.report"
	leaks=$(grep -c 'unreferenced object' "$OUT/kmemleak.report" || true)
	suites_ran=$(grep -c -E '^(not )?ok [0-9]+ ' "$OUT/kmemleak.log" || true)
else
	# Reports from our suites at lines the series added or changed.
	base=$(git rev-parse "$(base_ref)")
	sed -n 's/^UBSAN: .* in \([^ ]*\):\([0-9]*\):[0-9]*$/\1 \2/p' "$OUT/ours.reports" | sort -u |
	while read -r f n; do
		c=$(git blame -L "$n,$n" --porcelain "$base..HEAD" -- "$f" 2>/dev/null | head -1 | cut -c1-40)
		[ -z "$c" ] || [ "$c" = "$base" ] || echo "$f:$n"
	done > "$OUT/ours.series-lines"
fi

{
	echo "| run | cases passed | failed | reports |"
	echo "|---|---|---|---|"
	echo "| all suites | $pass_all | $fail_all | $(wc -l < "$OUT/all.reports") |"
	echo "| net_frag_* only | $pass_ours | $fail_ours | $(wc -l < "$OUT/ours.reports") |"
	echo
	echo "Reports, all suites (count, first line):"
	echo
	echo '```'
	sort "$OUT/all.reports" | uniq -c | sort -rn
	echo '```'
	echo
	if [ "$ALIGN" = 0 ]; then
		echo "kmemleak after all suites ($suites_ran suites ran in that boot):" \
			"$leaks unreferenced objects"
		if [ "$leaks" != 0 ]; then
			echo
			echo '```'
			grep -A12 'unreferenced object' "$OUT/kmemleak.report" | head -80
			echo '```'
		fi
	else
		echo "Reports of net_frag_* at lines the series added or changed:" \
			"$(wc -l < "$OUT/ours.series-lines")"
		sed 's/^/    /' "$OUT/ours.series-lines"
	fi
} > "$RESULTS/hardening$sfx.md"
cat "$RESULTS/hardening$sfx.md"
ok=1
if [ "$ALIGN" = 0 ]; then
	[ "$rc_all" = 0 ] && [ "$fail_all" = 0 ] && [ "$pass_all" -gt 0 ] || ok=0
	[ "$rc_ours" = 0 ] && [ "$fail_ours" = 0 ] && [ ! -s "$OUT/ours.reports" ] || ok=0
	[ "$leaks" = 0 ] && [ "$suites_ran" -ge 3 ] || ok=0
	what="UBSAN+lockdep: $pass_all cases, 0 reports from net_frag_*; kmemleak: 0 leaks"
else
	[ "$pass_ours" -gt 0 ] && [ ! -s "$OUT/ours.series-lines" ] || ok=0
	what="UBSAN with alignment: no report from net_frag_* at a line of the series"
fi
if [ $ok = 1 ]; then
	record PASS "hardening$sfx: $what"
else
	record FAIL "hardening$sfx: see build/results/hardening$sfx.md"
	exit 1
fi
