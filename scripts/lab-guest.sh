#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# init (PID 1) of the two lab UMLs (issue 14); scripts/lab.sh boots them.
# The root is the host's / through hostfs, read-only; everything written
# goes to tmpfs, and results go to the run directory on the host ($LAB_RUN,
# a second hostfs mount, read-write).  The kernel passes LAB_ROLE
# (server|client), LAB_RUN, LAB_MODE (short|full|bench) and LAB_FAULTS in
# the environment.
#
# Progress, for the host to watch: $LAB_RUN/<role>.steps gets
#   BEGIN <step> <limit seconds>  /  END <step> ok|fail <detail>
# Guests talk to each other only through files in $LAB_RUN and NFS on vec0.
set -a	# every variable goes to the step commands' shells (see step)
export PATH=/usr/sbin:/usr/bin:/sbin:/bin
export LC_ALL=C
ROLE=${LAB_ROLE:?} RUN=${LAB_RUN:?} MODE=${LAB_MODE:-short}
FAULTS=${LAB_FAULTS:-loss}
# fio job files take their sizes from the environment.
export LAB_FIO_SIZE=${LAB_FIO_SIZE:-32m} LAB_FIO_SIZE_4K=${LAB_FIO_SIZE_4K:-8m}
SERVER_IP=10.14.0.1 CLIENT_IP=10.14.0.2
EXPORT=/tmp/export MNT=/tmp/mnt
LAB_DIR=$(cd "$(dirname "$0")" && pwd)

poweroff_now() {
	sync
	# reboot(2), LINUX_REBOOT_CMD_POWER_OFF: UML exits.
	python3 -c 'import ctypes; ctypes.CDLL(None).reboot(0x4321fedc)'
	sleep 5
	exit 1
}

mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs dev /dev 2>/dev/null || mount -t tmpfs dev /dev
mount -t debugfs debugfs /sys/kernel/debug 2>/dev/null
ln -sf /proc/self/fd /dev/fd
for d in /run /tmp /var/tmp /var/lib/nfs /var/log; do
	mount -t tmpfs -o mode=0755 tmpfs "$d"
done
# The run directory, wherever it is on the host (even under /tmp, which
# tmpfs now hides), at /run/lab.
mkdir -p /run/lab
mount -t hostfs -o "$RUN" none /run/lab || { echo "LAB: cannot mount $RUN"; poweroff_now; }
RUN=/run/lab
# The same for this script's directory (the fio job files).
mkdir -p /run/lab-scripts
mount -t hostfs -o "$LAB_DIR" none /run/lab-scripts || { echo "LAB: cannot mount $LAB_DIR"; poweroff_now; }
LAB_DIR=/run/lab-scripts
exec > >(tee -a "$RUN/$ROLE.out") 2>&1
STEPS=$RUN/$ROLE.steps
FAILED=0

log() { echo "LAB[$ROLE $(date +%T.%N | cut -c1-12)] $*"; }
# step NAME LIMIT command...: run with a time limit, record the outcome.
# The command may be a function of this script: timeout runs it in a new
# bash, which gets the functions and variables exported (set -a, export -f).
step() {
	local name=$1 limit=$2 rc
	shift 2
	echo "BEGIN $name $limit $(date +%s.%N)" >> "$STEPS"
	log "step $name (limit ${limit}s): $*"
	timeout -k 5 "$limit" bash -c '"$@"' step "$@"
	rc=$?
	if [ $rc = 0 ]; then
		echo "END $name ok $(date +%s.%N)" >> "$STEPS"
	else
		[ $rc = 124 ] && log "step $name: TIMED OUT after ${limit}s"
		echo "END $name fail rc=$rc $(date +%s.%N)" >> "$STEPS"
		FAILED=1
	fi
	return $rc
}
fatal() {
	echo "FATAL $*" >> "$STEPS"
	log "FATAL: $*"
	poweroff_now
}
# wait_file FILE LIMIT: the peer's signal, or fail.
wait_file() {
	local i=0
	while [ ! -e "$1" ]; do
		sleep 0.2
		i=$((i + 1))
		[ $i -lt $(($2 * 5)) ] || return 1
		grep -q '^FATAL' "$RUN"/*.steps 2>/dev/null && return 1
	done
	return 0
}

# A task blocked for a minute is reported on the console (lab.sh greps).
echo 60 > /proc/sys/kernel/hung_task_timeout_secs
ip link set lo up
if [ "$ROLE" = server ]; then ip=$SERVER_IP; else ip=$CLIENT_IP; fi
ip link set vec0 mtu "${LAB_MTU:-1500}" 2>/dev/null
ip addr add "$ip/24" dev vec0 && ip link set vec0 up || fatal "vec0 setup"
log "kernel $(uname -r), vec0 $ip, mode $MODE, faults $FAULTS"

# The series' zero-copy switch and counters (n/a before they exist).
ZC_PARAM=/sys/module/sunrpc/parameters/tcp_zerocopy
zc_param() { if [ -e $ZC_PARAM ]; then cat $ZC_PARAM; else echo n/a; fi; }
zc_set() { [ -e $ZC_PARAM ] && echo "$1" > $ZC_PARAM; zc_param; }
# Sum of each counter over every transport, "name value" lines.
zc_counters() {
	local f found=0
	for f in /sys/kernel/sunrpc/xprt-switches/switch-*/xprt-*/xprt_zerocopy; do
		[ -e "$f" ] || continue
		found=1
		cat "$f"
	done | awk '{s[$1] += $2} END {for (k in s) print k, s[k]}' | sort
	ls /sys/kernel/sunrpc/xprt-switches/switch-*/xprt-*/xprt_zerocopy \
		>/dev/null 2>&1 || echo "xprt_zerocopy n/a"
}

###########################################################################
server() {
	mkdir -p $EXPORT
	mount -t tmpfs -o size=${LAB_EXPORT_SIZE:-1500m} export $EXPORT
	mkdir -p /var/lib/nfs/sm /var/lib/nfs/sm.bak /var/lib/nfs/v4recovery \
		/run/rpcbind
	touch /var/lib/nfs/etab /var/lib/nfs/rmtab /var/lib/nfs/xtab
	step rpcbind 20 rpcbind -w || fatal rpcbind
	mount -t nfsd nfsd /proc/fs/nfsd || fatal "mount nfsd"
	# Short lease and grace so a knfsd restart costs seconds, not 90.
	echo 10 > /proc/fs/nfsd/nfsv4leasetime
	echo 10 > /proc/fs/nfsd/nfsv4gracetime
	step exportfs 20 exportfs -o rw,sync,no_root_squash,no_subtree_check,insecure,fsid=0 \
		"$CLIENT_IP:$EXPORT" || fatal exportfs
	step mountd 20 rpc.mountd || fatal rpc.mountd
	step nfsd-start 30 rpc.nfsd 8 || fatal rpc.nfsd
	log "versions: $(cat /proc/fs/nfsd/versions)"
	touch "$RUN/server.ready"
	local n=0
	while :; do
		# The client announces each phase; knfsd restarts in it if asked.
		while [ ! -e "$RUN/phase.$n.start" ] && [ ! -e "$RUN/client.done" ]; do
			sleep 0.2
			grep -q '^FATAL' "$RUN/client.steps" 2>/dev/null && poweroff_now
		done
		[ -e "$RUN/phase.$n.start" ] || break
		local restart_at=
		[ -e "$RUN/phase.$n.restart" ] && restart_at=$(cat "$RUN/phase.$n.restart")
		local t0=$SECONDS
		while [ ! -e "$RUN/phase.$n.umounted" ]; do
			if [ -e "$RUN/phase.$n.corrupt" ] && [ ! -e "$RUN/phase.$n.corrupted" ]; then
				local f; f=$(find $EXPORT -type f -name 'fio*' | sort | head -1)
				printf '\xff' | dd of="$f" bs=1 seek=4097 conv=notrunc 2>/dev/null
				log "phase $n: corrupted one byte of $f (LAB_CORRUPT=fio)"
				touch "$RUN/phase.$n.corrupted"
			fi
			if [ -n "$restart_at" ] && [ $((SECONDS - t0)) -ge "$restart_at" ]; then
				log "phase $n: stopping knfsd"
				step "nfsd-stop.$n" 60 rpc.nfsd 0
				sleep 3
				step "nfsd-restart.$n" 60 rpc.nfsd 8
				log "phase $n: knfsd running again"
				restart_at=
			fi
			sleep 0.2
			grep -q '^FATAL' "$RUN/client.steps" 2>/dev/null && poweroff_now
		done
		# LAB_CORRUPT=1 (a test of the checker, not of the kernel): flip
		# one byte of the first file so lab.sh must see a mismatch.
		if [ "${LAB_CORRUPT:-0}" = 1 ]; then
			local victim; victim=$(find $EXPORT -type f | sort | head -1)
			printf '\xff' | dd of="$victim" bs=1 seek=4097 conv=notrunc 2>/dev/null
			log "phase $n: corrupted one byte of $victim (LAB_CORRUPT)"
		fi
		# Independently of fio and of NFS: the bytes as knfsd stored them.
		(cd $EXPORT && find . -type f | sort | xargs -r sha256sum) \
			> "$RUN/server.$n.sums"
		rm -rf "${EXPORT:?}"/*
		touch "$RUN/phase.$n.summed"
		n=$((n + 1))
	done
	log "server done"
}

###########################################################################
wait_pid() { while kill -0 "$1" 2>/dev/null; do sleep 0.2; done; }
# faults PHASE: loss and reordering all along, a blackout in the middle.
set_netem() {	# loss% [extra]
	tc qdisc replace dev vec0 root netem delay 1ms reorder 10% 50% loss "$@"
}
fault_script() {	# phase blackout_at
	local n=$1 at=$2
	[ -n "$at" ] || return 0
	sleep "$at"
	log "phase $n: blackout (100% loss) for 10s"
	echo "BLACKOUT $n start $(date +%s.%N)" >> "$STEPS"
	set_netem 100%
	sleep 10
	set_netem 2%
	echo "BLACKOUT $n end $(date +%s.%N)" >> "$STEPS"
	log "phase $n: blackout over"
}

# The SUNRPC zero-copy tracepoints, when the kernel has tracing: enable
# them at mount, count each event at umount ("n/a" without them).
TR=/sys/kernel/tracing
zc_trace_on() {
	mount -t tracefs tracefs $TR 2>/dev/null
	[ -d $TR/events/sunrpc/xprt_zc_send ] || return 0
	echo 8192 > $TR/buffer_size_kb
	echo > $TR/trace
	local e
	for e in send fallback done abort; do
		echo 1 > $TR/events/sunrpc/xprt_zc_$e/enable
	done
}
zc_trace_count() {
	[ -d $TR/events/sunrpc/xprt_zc_send ] || { echo "tracepoints n/a"; return; }
	local e
	for e in send fallback done abort; do
		echo "xprt_zc_$e $(grep -c " xprt_zc_$e:" $TR/trace)"
	done
	echo "overruns $(awk '/overrun:/ {print $2}' $TR/per_cpu/cpu0/stats)"
}
# RPC tasks still queued on every transport (sysfs xprt_info: the
# binding, sending, pending and backlog queues), "n/a" without it.
rpc_tasks() {
	local f
	ls /sys/kernel/sunrpc/xprt-switches/switch-*/xprt-*/xprt_info \
		>/dev/null 2>&1 || { echo n/a; return; }
	for f in /sys/kernel/sunrpc/xprt-switches/switch-*/xprt-*/xprt_info; do
		grep -E '^(binding|sending|pending|backlog)_q_len=' "$f" |
			sed "s|^|${f#/sys/kernel/sunrpc/xprt-switches/} |"
	done
}
# A file whose content the client knows independently of NFS: random bytes
# made in client tmpfs, hashed there, then copied through the mount.
sha_copy() {	# name dd-flags...
	local name=$1
	shift
	dd if=/tmp/src of="$MNT/$name" bs=1M "$@" 2>/dev/null || return 1
	echo "$SRC_SUM  ./$name" >> "$CLIENT_SUMS"
}
# Read each fio file back with O_DIRECT (past the client's page cache).
readback_sums() {
	local f
	(cd $MNT && for f in $(find . -type f -name 'fio*' | sort); do
		echo "$(dd if="$f" iflag=direct bs=1M 2>/dev/null | sha256sum | cut -d' ' -f1)  $f"
	done) >> "$CLIENT_SUMS"
}

run_fio() {	# phase name jobfile-args...
	local n=$1 name=$2
	shift 2
	# Threads: this kernel has no SysV IPC for fio's shared memory.
	fio --thread --output-format=normal,json --output="$RUN/fio.$n.$name.out" \
		--directory=$MNT "$@"
}

# phase N VERS FIOJOB [blackout_at] [restart_at]
phase() {
	local n=$1 vers=$2 job=$3 blackout_at=$4 restart_at=$5
	local opts="vers=$vers,proto=tcp,hard,timeo=100,retrans=3"
	# fsid=0: the export is the root of the NFSv4 name space (hostfs and
	# tmpfs above it have no UUID for a pseudo root); v3 names the path.
	local path=/
	[ "$vers" = 3 ] && opts="$opts,nolock,mountproto=tcp" path=$EXPORT
	CLIENT_SUMS=$RUN/client.$n.sums
	: > "$CLIENT_SUMS"
	mkdir -p $MNT
	step "mount.$n" 60 mount -t nfs -o "$opts" "$SERVER_IP:$path" $MNT ||
		fatal "mount.$n (vers=$vers)"
	log "phase $n: $(grep " $MNT " /proc/mounts)"
	log "phase $n: tcp_zerocopy=$(zc_param)"
	[ -n "$restart_at" ] && echo "$restart_at" > "$RUN/phase.$n.restart"
	zc_trace_on
	touch "$RUN/phase.$n.start"
	fault_script "$n" "$blackout_at" &
	local fpid=$!
	step "sha-direct.$n" 300 sha_copy sha-direct oflag=direct
	step "fio.$n" "${FIO_LIMIT:-600}" run_fio "$n" "v$vers" "$job"
	if [ "${LAB_CORRUPT:-0}" = fio ]; then
		# A test of fio's verification here: the server changes a byte
		# of a fio file, fio reads everything back and must object.
		touch "$RUN/phase.$n.corrupt"
		wait_file "$RUN/phase.$n.corrupted" 60
		echo 3 > /proc/sys/vm/drop_caches
		step "fio-verify-only.$n" 300 run_fio "$n" "v$vers-verify-only" "$job" --verify_only
	fi
	step "sha-buffered.$n" 300 sha_copy sha-buffered conv=fsync
	step "fault-wait.$n" 60 wait_pid $fpid
	step "readback.$n" 300 readback_sums
	zc_counters > "$RUN/zc.$n"
	cp /proc/self/mountstats "$RUN/mountstats.$n"
	rpc_tasks > "$RUN/rpc-tasks.$n"
	zc_trace_count > "$RUN/zc-trace.$n"
	step "umount.$n" 120 umount $MNT || fatal "umount.$n"
	touch "$RUN/phase.$n.umounted"
	step "server-sums.$n" 300 wait_file "$RUN/phase.$n.summed" 300 ||
		fatal "server-sums.$n"
}

client() {
	cd /tmp	# fio writes its verify state file to the cwd
	step wait-server 120 wait_file "$RUN/server.ready" 120 || fatal "server not ready"
	log "tcp_zerocopy=$(zc_set "${LAB_ZC:-Y}")"
	case $FAULTS in
	none) ;;
	drop) set_netem 100% ;;	# bad input: a wire that drops everything
	*) set_netem 2% ;;
	esac
	tc qdisc show dev vec0
	head -c "${LAB_SRC_MB:-16}M" /dev/urandom > /tmp/src
	SRC_SUM=$(sha256sum < /tmp/src | cut -d' ' -f1)
	local jobs=$LAB_DIR/lab-fio
	case $MODE in
	short)
		phase 0 4.2 "$jobs/short.fio"
		;;
	full)
		local b= r=
		[ "$FAULTS" = all ] && b=15 r=35
		phase 0 4.2 "$jobs/full.fio" $b $r
		phase 1 3 "$jobs/full.fio" $b $r
		;;
	bench)
		bench
		;;
	esac
	touch "$RUN/client.done"
	log "client done"
}

# Copy against zero-copy with one kernel: alternate the switch, run the
# same write job; the host samples this UML's CPU time around the marks.
bench() {
	local opts="vers=4.2,proto=tcp,hard"
	mkdir -p $MNT
	step mount.bench 60 mount -t nfs -o "$opts" "$SERVER_IP:/" $MNT ||
		fatal mount.bench
	touch "$RUN/phase.0.start"
	local bs rep zc size
	for bs in ${LAB_BENCH_BS:-4k 64k 1m}; do
		case $bs in 4k) size=${LAB_BENCH_4K:-48m} ;; *) size=${LAB_BENCH_SIZE:-256m} ;; esac
		for rep in $(seq 1 "${LAB_BENCH_REPS:-5}"); do
			for zc in Y N; do
				[ $((rep % 2)) = 0 ] && { [ $zc = Y ] && zc=N || zc=Y; }
				zc_set $zc > /dev/null
				local id=$bs.$rep.$zc
				rm -f $MNT/bench
				# Lay the file out first so the timed run only writes.
				fio --thread --name=lay --filename=$MNT/bench --rw=write --bs=1m \
					--size=$size --direct=1 > /dev/null 2>&1
				sync
				local before; before=$(zc_counters | awk '$1=="zerocopy_sends"{print $2}')
				echo "MARK start $id $(date +%s.%N)" >> "$RUN/bench.marks"
				step "bench.$id" 600 fio --thread --name=w --filename=$MNT/bench \
					--rw=write --bs=$bs --size=$size --direct=1 \
					--ioengine=libaio --iodepth=8 --end_fsync=1 \
					--output-format=json --output="$RUN/bench.$id.json"
				echo "MARK end $id $(date +%s.%N)" >> "$RUN/bench.marks"
				local after; after=$(zc_counters | awk '$1=="zerocopy_sends"{print $2}')
				echo "$id zc_param=$(zc_param) zerocopy_sends_delta=$(( ${after:-0} - ${before:-0} ))$( [ -n "$after" ] || echo ' (n/a)')" >> "$RUN/bench.zc"
			done
		done
	done
	zc_counters > "$RUN/zc.bench"
	step umount.bench 120 umount $MNT
	touch "$RUN/phase.0.umounted"
	step server-sums.bench 300 wait_file "$RUN/phase.0.summed" 300
}

export -f $(declare -F | awk '{print $3}')
case $ROLE in
server) server ;;
client) client ;;
esac
echo "DONE $ROLE failed=$FAILED $(date +%s.%N)" >> "$STEPS"
poweroff_now
