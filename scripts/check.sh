#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# `make` (test) and `make check`: run every step, keep going past a failed
# step so that the summary counts everything, and fail at the end.
#   check.sh test   dependencies, base tree, apply, KUnit (ours + net_core)
#   check.sh check  the same, plus the short NFS lab (two UMLs, issue 14),
#                   checkpatch, sparse, export drift, git am and quilt,
#                   Coccinelle tests, the conversion patch regenerated
#                   and compiled on x86_64, and the touched
#                   objects built at every patch (BISECT=quick; BISECT=full
#                   builds vmlinux at every patch, BISECT=0 skips it);
#                   KASAN=1 adds the suites under KASAN, HARDENING=1 under
#                   UBSAN, lockdep and kmemleak (another full build each);
#                   and the net-tree fixes of patches-net/ with their test
set -uo pipefail
. "$(dirname "$0")/common.sh"

mode=${1:-test}
rm -rf "$RESULTS"
mkdir -p "$RESULTS"
start=$(date +%s)

step() {	# name command...
	local name=$1 t0=$(date +%s) rc
	shift
	note "$name"
	local fails=$(grep -c '^FAIL ' "$RESULTS/checks" 2>/dev/null)
	"$@"
	rc=$?
	echo "    ($name: $(( $(date +%s) - t0 ))s, exit $rc)"
	# A step that failed without recording why still counts as a failure.
	[ $rc = 0 ] || [ "$(grep -c '^FAIL ' "$RESULTS/checks" 2>/dev/null)" != "${fails:-0}" ] ||
		record FAIL "$name (exit $rc)"
	return $rc
}

fatal() { record FAIL "$1"; bash "$PROJECT/scripts/summary.sh"; exit 1; }

step deps bash "$PROJECT/scripts/deps.sh" || fatal "dependencies"
step base bash "$PROJECT/scripts/base-tree.sh" || fatal "base tree"
if step apply bash "$PROJECT/scripts/apply.sh"; then
	record PASS "worktree carries the series"
else
	fatal "apply the series to the worktree"
fi
step kunit bash "$PROJECT/scripts/kunit.sh"

if [ "$mode" = check ]; then
	# Two UMLs of the kernel just built, NFS over a socketpair with loss.
	step lab env RECORD=1 bash "$PROJECT/scripts/lab.sh" short
	step checkpatch bash "$PROJECT/scripts/checkpatch.sh"
	step sparse bash "$PROJECT/scripts/sparse.sh"
	if step export-check env CHECK=1 bash "$PROJECT/scripts/export.sh"; then
		record PASS "patches/ and mirrors match the worktree"
	else
		record FAIL "patches/ and mirrors match the worktree"
	fi
	step apply-check bash "$PROJECT/scripts/apply-check.sh"
	if [ -x "$PROJECT/scripts/cocci-test.sh" ]; then
		step cocci-tests bash "$PROJECT/scripts/cocci-test.sh"
	fi
	if step coccicheck bash "$PROJECT/scripts/coccicheck.sh"; then
		record PASS "make coccicheck runs every rule in every mode"
	else
		record FAIL "make coccicheck runs every rule in every mode"
	fi
	if [ "${KASAN:-0}" != 0 ]; then
		step kasan bash "$PROJECT/scripts/kasan.sh"
	fi
	if [ "${HARDENING:-0}" != 0 ]; then
		step hardening bash "$PROJECT/scripts/hardening.sh"
	fi
	step convert-check bash "$PROJECT/scripts/convert-check.sh"
	# patches-net/: the MSG_ZEROCOPY MTU-probe fix, with and without.
	step net-fixes bash "$PROJECT/scripts/bench-ubuf-netfix.sh"
	if [ "${BISECT:-quick}" != 0 ]; then
		step bisect env BISECT="${BISECT:-quick}" bash "$PROJECT/scripts/bisect.sh"
	fi
fi

echo "    (total: $(( $(date +%s) - start ))s)"
bash "$PROJECT/scripts/summary.sh" | tee "$RESULTS/summary"
tail -1 "$RESULTS/summary" | grep -q ', 0 failed$'
