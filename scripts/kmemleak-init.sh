#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# init for the kmemleak boot of scripts/hardening.sh: the UML kernel has
# run the KUnit suites before init; scan for leaks twice (objects
# allocated just before a scan are not reported by it), print the report
# between markers and power off.  The root is the host's, read-only.
PATH=/usr/sbin:/usr/bin:/sbin:/bin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t debugfs debugfs /sys/kernel/debug
k=/sys/kernel/debug/kmemleak
echo scan > $k
sleep 2
echo scan > $k
echo "kmemleak-report-begin"
cat $k
echo "kmemleak-report-end"
echo o > /proc/sysrq-trigger
