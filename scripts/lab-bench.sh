#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Copy against zero-copy with one kernel binary (issue 14, item 5): the lab
# UMLs on a clean wire, NFSv4.2 over TCP, O_DIRECT sequential writes of
# 4 KiB, 64 KiB and 1 MiB (libaio, iodepth 8), the SUNRPC switch
# /sys/module/sunrpc/parameters/tcp_zerocopy alternated Y/N (N/Y on even
# repetitions) in one boot.  Throughput from the bytes fio wrote over the
# guest's wall clock; CPU from the host: utime+stime of every process and
# thread of the client UML (and what they reaped), sampled every 0.1 s.
#   LAB_BENCH_REPS (3), LAB_BENCH_SIZE (256m), LAB_BENCH_4K (48m)
# Output: build/lab/bench/table.md.  Without the switch in the kernel it
# says n/a and exits 0: there is nothing to compare.
set -uo pipefail
. "$(dirname "$0")/common.sh"

KERNEL=$(realpath -m "${LAB_KERNEL:-$BUILD/kunit-uml/vmlinux}")
[ -x "$KERNEL" ] || die "no kernel at $KERNEL (make kunit)"
# LAB_BENCH_FORCE=1 runs without it: both halves then take the same path,
# an A/A run that shows the noise of the method.
if ! grep -qa tcp_zerocopy "$KERNEL" && [ "${LAB_BENCH_FORCE:-0}" != 1 ]; then
	echo "bench-lab: n/a: $KERNEL has no sunrpc tcp_zerocopy parameter"
	exit 0
fi
run=$BUILD/lab/bench
rm -rf "$run"
mkdir -p "$run"
note "bench-lab: $run"
python3 "$PROJECT/scripts/lab-launch.py" --kernel "$KERNEL" --run "$run" \
	--guest "$PROJECT/scripts/lab-guest.sh" --limit "${LAB_LIMIT:-5400}" \
	--cpu-samples "$run/cpu.samples" --env LAB_MODE=bench \
	--env LAB_FAULTS=none \
	--env LAB_BENCH_REPS="${LAB_BENCH_REPS:-5}" \
	--env LAB_BENCH_SIZE="${LAB_BENCH_SIZE:-256m}" \
	--env LAB_BENCH_4K="${LAB_BENCH_4K:-48m}" ||
	die "bench-lab: the run failed ($run)"
# From init on (the boot-time virt-pci WARN is kunit's arch_uml.config).
for f in "$run"/console-*.log; do sed -n '/as init process/,$p' "$f"; done |
	grep -E 'blocked for more than|BUG:|WARNING:|Oops|pages still held' &&
	die "bench-lab: kernel reports on the console ($run)"
python3 "$PROJECT/scripts/lab-bench.py" "$run" | tee "$run/table.md"
echo
echo "zero-copy sends per run (the switch took effect):"
sed 's/^/    /' "$run/bench.zc"
# With the counters: Y runs must have sent zero-copy, N runs must not.
if grep -q 'zc_param=Y zerocopy_sends_delta=0$' "$run/bench.zc" ||
   grep -qE 'zc_param=N zerocopy_sends_delta=[1-9]' "$run/bench.zc"; then
	die "bench-lab: the switch did not take effect (see above)"
fi
