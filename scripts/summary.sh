#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# One line: KUnit cases plus the project's other checks.
. "$(dirname "$0")/common.sh"
kp=0 kf=0 cp=0 cf=0
[ -f "$RESULTS/kunit.count" ] && read -r kp kf < "$RESULTS/kunit.count"
if [ -f "$RESULTS/checks" ]; then
	cp=$(grep -c '^PASS ' "$RESULTS/checks")
	cf=$(grep -c '^FAIL ' "$RESULTS/checks")
	grep '^FAIL ' "$RESULTS/checks" | sed 's/^/  /'
fi
[ -f "$RESULTS/kunit.count" ] || cf=$((cf + 1))	# KUnit never ran
echo "KUnit cases: $kp passed, $kf failed; other checks: $cp passed, $cf failed"
echo "$((kp + cp)) passed, $((kf + cf)) failed"
