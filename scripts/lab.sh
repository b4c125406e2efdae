#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Two kernels on a wire (issue 14): an NFS client UML and a knfsd UML on
# one host socketpair, fio with verification under loss, a blackout and a
# knfsd restart.  docs/lab.md has the wiring and how to run it by hand.
#   scripts/lab.sh short   make check's step: one NFSv4.2 mount, one fio job
#                          with verification, 2 % loss and reordering
#   scripts/lab.sh full    make lab: NFSv4.2 and NFSv3, several fio jobs,
#                          loss + reordering, a 10 s blackout, knfsd restart,
#                          once with tcp_zerocopy=Y and once with N
# Boots the kernel of the KUnit build (build/kunit-uml/vmlinux; LAB_KERNEL
# overrides it) with kunit.enable=0.  RECORD=1 records PASS/FAIL lines.
# LAB_ZC_LIST (full: "Y N") picks the tcp_zerocopy settings, LAB_TAG is
# appended to the run names (LAB_TAG=-mut for a mutant kernel's runs).
# LAB_CORRUPT=1 makes the server flip a byte before hashing (a test that
# the checksum comparison fails), LAB_MTU sets vec0's MTU.
# Runs: build/lab/<name>/ (console-*.log, *.steps, fio output, sums).
set -uo pipefail
. "$(dirname "$0")/common.sh"

mode=${1:-short}
KERNEL=$(realpath -m "${LAB_KERNEL:-$BUILD/kunit-uml/vmlinux}")
LABDIR=$BUILD/lab
mkdir -p "$LABDIR"
rc_all=0

result() {	# PASS|FAIL text
	if [ "${RECORD:-0}" = 1 ]; then record "$1" "$2"; else echo "[$1] $2"; fi
	[ "$1" = PASS ] || rc_all=1
}

preflight() {
	local m=""
	for t in rpc.nfsd rpc.mountd exportfs rpcbind mount.nfs fio tc ip sha256sum python3; do
		command -v "$t" >/dev/null || m="$m $t"
	done
	[ -z "$m" ] || { echo "lab: missing on the host:$m (make deps)"; return 1; }
	[ -x "$KERNEL" ] || { echo "lab: no kernel at $KERNEL (make kunit)"; return 1; }
	local c
	c=$(dirname "$KERNEL")/.config
	for o in UML_NET_VECTOR HOSTFS TMPFS DEVTMPFS UNIX SYSVIPC NFSD_V4 NFS_V4_2 \
		NFS_V3 NET_SCH_NETEM; do
		grep -q "^CONFIG_$o=y" "$c" 2>/dev/null ||
			{ echo "lab: $KERNEL lacks CONFIG_$o (kunit/.kunitconfig)"; return 1; }
	done
}

# check_console RUN NAME: no hung task, oops, warning or panic.
check_console() {
	local run=$1 name=$2
	# The kernels' consoles: no hung task, oops, warning or panic.
	local k
	if [ ! -s "$run/console-server.log" ] || [ ! -s "$run/console-client.log" ]; then
		result FAIL "lab $name: no console logs in $run"
		return 1
	fi
	# From init on: the one boot-time WARN is kunit's arch_uml.config
	# (UML_PCI_OVER_VIRTIO without a device id, virt-pci.c), every boot.
	k=$(for f in "$run"/console-*.log; do sed -n '/as init process/,$p' "$f"; done |
		grep -E 'blocked for more than|Kernel panic|BUG:|WARNING:|Oops|RIP:|Call Trace|soft lockup|rcu.*stall|pages still held' |
		head -5)
	if [ -z "$k" ]; then
		result PASS "lab $name: no hung task, warning or oops on either console"
	else
		echo "$k" | sed 's/^/    /'
		result FAIL "lab $name: kernel reports on the console ($run/console-*.log)"
		return 1
	fi
}

# check RUN NAME ZC: everything the run left behind, after the guests.
check_run() {
	local run=$1 name=$2 zc=$3 bad=0 n f
	# fio's own verification: exit status (steps) and its error lines
	# (fio prints a job's error as "err=%2d").
	local verr
	verr=$(cat "$run"/fio.*.out 2>/dev/null | grep -ciE 'verify: bad|bad magic|verify failed|verify type mismatch|err= *[1-9]')
	local nfio
	nfio=$(ls "$run"/fio.*.out 2>/dev/null | wc -l)
	if [ "$nfio" -gt 0 ] && [ "$verr" = 0 ] && ! grep -q '^END fio[^ ]* fail' "$run/client.steps"; then
		result PASS "lab $name: fio verification, $nfio run(s), 0 errors"
	else
		result FAIL "lab $name: fio verification ($nfio runs, $verr error lines; $run/fio.*.out)"
		bad=1
	fi
	# The client's sums (data made in client tmpfs, and fio's files read
	# back with O_DIRECT) against the server's, taken on the export itself.
	local total=0 mism=0 miss=0
	for f in "$run"/client.*.sums; do
		[ -e "$f" ] || continue
		n=${f#"$run"/client.}
		n=${n%.sums}
		while read -r sum file; do
			total=$((total + 1))
			local srv
			srv=$(awk -v f="$file" '$2 == f {print $1}' "$run/server.$n.sums" 2>/dev/null)
			if [ -z "$srv" ]; then
				miss=$((miss + 1)); echo "    missing on server: phase $n $file"
			elif [ "$srv" != "$sum" ]; then
				mism=$((mism + 1)); echo "    MISMATCH: phase $n $file client $sum server $srv"
			fi
		done < "$f"
	done
	if [ $total -gt 0 ] && [ $mism = 0 ] && [ $miss = 0 ]; then
		result PASS "lab $name: $total files, server sha256 = client sha256"
	else
		result FAIL "lab $name: checksums: $total files, $mism mismatched, $miss missing"
		bad=1
	fi
	check_console "$run" "$name" || bad=1
	# Every RPC completed: every step (fio, copies, umount) ended within
	# its limit on a hard mount, and no RPC task was queued on any
	# transport when the client was idle before each umount (sysfs
	# xprt_info: binding, sending, pending, backlog queue lengths).
	# "not responding" / "OK" are rate-limited by the kernel: shown only.
	local nr ok left
	nr=$(grep -c 'not responding' "$run/console-client.log")
	ok=$(grep -cE 'nfs: server .* OK' "$run/console-client.log")
	left=$(cat "$run"/rpc-tasks.* 2>/dev/null | grep -v '^n/a$' |
		awk -F= '{s += $2} END {print s + 0}')
	if grep -q '^END .* fail' "$run"/*.steps; then
		result FAIL "lab $name: guest steps failed: $(grep -h '^END .* fail' "$run"/*.steps | cut -d' ' -f2 | tr '\n' ' ')"
		bad=1
	elif [ "${left:-0}" != 0 ]; then
		result FAIL "lab $name: $left RPC tasks queued at idle ($run/rpc-tasks.*)"
		bad=1
	else
		local how="0 tasks queued at idle on $(cat "$run"/rpc-tasks.* | grep -c pending_q_len) transports"
		grep -qx n/a "$run"/rpc-tasks.* 2>/dev/null && how="queued tasks n/a (no xprt_info)"
		result PASS "lab $name: every step and RPC completed ($how; ${nr:-0} 'not responding', ${ok:-0} 'OK' lines)"
	fi
	# Proof of the path taken, from the SUNRPC counters (n/a without them).
	local zsum
	zsum=$(cat "$run"/zc.* 2>/dev/null | awk '$1 == "zerocopy_sends" {s += $2; f = 1} END {if (f) print s}')
	if [ -z "$zsum" ]; then
		echo "    zero-copy counters: n/a (no xprt_zerocopy in this kernel)"
	elif [ "$zc" = Y ] && [ "$zsum" -gt 0 ]; then
		result PASS "lab $name: tcp_zerocopy=Y, $zsum zero-copy sends"
	elif [ "$zc" = N ] && [ "$zsum" = 0 ]; then
		result PASS "lab $name: tcp_zerocopy=N, 0 zero-copy sends"
	else
		result FAIL "lab $name: tcp_zerocopy=$zc but $zsum zero-copy sends"
		bad=1
	fi
	for f in "$run"/zc.* "$run"/zc-trace.*; do
		[ -e "$f" ] && echo "    $(basename "$f"): $(tr '\n' ' ' < "$f")"
	done
	return $bad
}

# boot NAME LIMIT ENV...: one pair of UMLs, a fresh run directory.
boot() {
	local name=$1 limit=$2
	shift 2
	local run=$LABDIR/$name
	rm -rf "$run"
	mkdir -p "$run"
	note "lab $name: $run"
	local t0=$SECONDS
	python3 "$PROJECT/scripts/lab-launch.py" --kernel "$KERNEL" \
		--run "$run" --guest "$PROJECT/scripts/lab-guest.sh" \
		--limit "$limit" ${LAB_CPU_SAMPLES:+--cpu-samples "$run/cpu.samples"} \
		$(for e in "$@"; do echo --env "$e"; done) \
		${LAB_CORRUPT:+--env LAB_CORRUPT="$LAB_CORRUPT"} \
		${LAB_MTU:+--env LAB_MTU="$LAB_MTU"}
	local rc=$?
	echo "    (lab $name: $((SECONDS - t0))s)"
	return $rc
}

run_case() {	# name limit zc env...
	local name=$1${LAB_TAG:-} limit=$2 zc=$3
	shift 3
	boot "$name" "$limit" LAB_ZC="$zc" "$@"
	local rc=$?
	if [ $rc = 0 ]; then
		result PASS "lab $name: both UMLs booted, ran every step, powered off"
		check_run "$LABDIR/$name" "$name" "$zc" || true
	elif [ $rc = 3 ]; then
		# Both guests got to the end: every check has its evidence.
		result FAIL "lab $name: both UMLs ran to the end, a step failed"
		check_run "$LABDIR/$name" "$name" "$zc" || true
	else
		result FAIL "lab $name: the run failed (see above; $LABDIR/$name)"
		# What the consoles say still helps; the other checks need a run.
		check_console "$LABDIR/$name" "$name" || true
	fi
}

if ! preflight; then
	result FAIL "lab: preflight"
	exit 1
fi
case $mode in
short)
	run_case short "${LAB_LIMIT:-420}" "${LAB_ZC:-Y}" LAB_MODE=short \
		LAB_FAULTS="${LAB_FAULTS:-loss}" \
		LAB_FIO_SIZE="${LAB_FIO_SIZE:-24m}" LAB_SRC_MB=8
	;;
full)
	for zc in ${LAB_ZC_LIST:-Y N}; do
		run_case "full-zc$zc" "${LAB_LIMIT:-1800}" $zc LAB_MODE=full \
			LAB_FAULTS=all LAB_FIO_SIZE="${LAB_FIO_SIZE:-48m}" \
			LAB_FIO_SIZE_4K="${LAB_FIO_SIZE_4K:-12m}" LAB_SRC_MB=32
	done
	;;
*)
	die "usage: $0 short|full"
	;;
esac
exit $rc_all
