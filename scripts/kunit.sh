#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Build the UML KUnit kernel with kunit/.kunitconfig and run our suite and
# net_core.  Results: build/results/kunit.json and PASS/FAIL counts.
set -euo pipefail
. "$(dirname "$0")/common.sh"

KUNITCONFIG=${KUNITCONFIG:-$PROJECT/kunit/.kunitconfig}
KBUILD=${KBUILD:-$BUILD/kunit-uml}
mkdir -p "$RESULTS"
prepend_ccache
cd "$WORKTREE"
set +e
python3 tools/testing/kunit/kunit.py run --arch=um \
	--kunitconfig "$KUNITCONFIG" --build_dir "$KBUILD" \
	--jobs "$(nproc)" --timeout "${KUNIT_TIMEOUT:-600}" \
	--json="$RESULTS/kunit.json" "$@" | tee "$RESULTS/kunit.log"
rc=${PIPESTATUS[0]}
set -e
python3 "$PROJECT/scripts/kunit-count.py" "$RESULTS/kunit.json" \
	> "$RESULTS/kunit.count" || echo "0 0" > "$RESULTS/kunit.count"
read -r pass fail < "$RESULTS/kunit.count"
note "KUnit: $pass passed, $fail failed (kunit.py exit $rc)"
[ "$rc" = 0 ] && [ "$fail" = 0 ] && [ "$pass" -gt 0 ]
