#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# The KUnit suites under KASAN on UML, in their own build directory.
# Fails on a failed case or on any KASAN report in the kernel log.
set -euo pipefail
. "$(dirname "$0")/common.sh"

KBUILD=$BUILD/kunit-kasan
mkdir -p "$RESULTS"
prepend_ccache
cd "$WORKTREE"
set +e
python3 tools/testing/kunit/kunit.py run --arch=um \
	--kunitconfig "$PROJECT/kunit/.kunitconfig" \
	--kunitconfig "$PROJECT/kunit/kasan.config" \
	--build_dir "$KBUILD" --jobs "$(nproc)" --timeout 900 \
	--json="$RESULTS/kasan.json" > "$RESULTS/kasan.log" 2>&1
rc=$?
set -e
tail -3 "$RESULTS/kasan.log"
reports=$(grep -c "BUG: KASAN" "$KBUILD/test.log" 2>/dev/null || true)
read -r pass fail < <(python3 "$PROJECT/scripts/kunit-count.py" "$RESULTS/kasan.json" 2>/dev/null || echo "0 1")
if [ "$rc" = 0 ] && [ "${reports:-0}" = 0 ] && [ "$fail" = 0 ] && [ "$pass" -gt 0 ]; then
	record PASS "KUnit under KASAN: $pass cases, 0 KASAN reports"
else
	record FAIL "KUnit under KASAN: $pass passed, $fail failed, ${reports:-?} KASAN reports"
	exit 1
fi
