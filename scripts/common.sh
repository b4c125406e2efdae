# SPDX-License-Identifier: GPL-2.0
# Shared settings for the project's scripts. Sourced, not run.

PROJECT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BUILD=${BUILD:-$PROJECT/build}
# The Debian package the base tree comes from, pinned.
BASE_PKG=linux-source-6.12
BASE_VERSION=${BASE_VERSION:-6.12.117-1~deb12u1}
BASE_TARBALL=/usr/src/linux-source-6.12.tar.xz
# The kernel tree the series is applied to. KERNEL_SRC overrides it.
BASE_TREE=$BUILD/linux-base
WORKTREE=${KERNEL_SRC:-$BUILD/linux}
# Fixed identity and date, so the base commit id is the same everywhere.
BASE_IDENT_NAME="fragdtor base"
BASE_IDENT_EMAIL="base@fragdtor.invalid"
BASE_DATE="2025-01-01T00:00:00Z"
BRANCH=fragdtor

die() { echo "error: $*" >&2; exit 1; }
note() { echo "==> $*"; }

# Results of the project's checks, one "PASS name" or "FAIL name" a line.
RESULTS=$BUILD/results
record() {
	mkdir -p "$RESULTS"
	echo "$1 $2" >> "$RESULTS/checks"
	echo "[$1] $2"
}

# The base the series applies to: the tag in our base tree, or BASE_REF in
# a KERNEL_SRC tree.
base_ref() {
	if [ -n "${KERNEL_SRC:-}" ]; then
		echo "${BASE_REF:-base}"
	else
		echo base
	fi
}

series_patches() {
	sed 's/#.*//; s/[[:space:]]*$//; /^$/d' "$PROJECT/series"
}

# format-patch options: stable output whatever the git version or commit ids.
format_patch() {	# dir range
	git format-patch -q --zero-commit --no-signature --full-index \
		--base="$(git rev-parse "$(base_ref)")" -o "$1" "$2"
}

prepend_ccache() {
	# Use Debian's ccache when present; the project never depends on it.
	if [ -d /usr/lib/ccache ] && [ -z "${NO_CCACHE:-}" ]; then
		PATH=/usr/lib/ccache:$PATH
		export PATH
	fi
}

# The series' tree-wide conversion patch: the output of scripts/convert.sh
# on the base tree, committed with this subject.
CONVERSION_SUBJECT="net: convert raw fragment page references"

patch_subject() {	# file: the subject, unfolded, without [PATCH n/m]
	git mailinfo /dev/null /dev/null < "$1" | sed -n 's/^Subject: //p'
}

conversion_patch() {	# the file name in patches/, or fail
	local p
	for p in $(series_patches); do
		if [ "$(patch_subject "$PROJECT/patches/$p")" = "$CONVERSION_SUBJECT" ]; then
			echo "$p"
			return 0
		fi
	done
	return 1
}

# Boot one of the bench UML kernels (build/bench/linux-<layout>, built by
# scripts/bench-heads.sh) with the arguments kunit.py gives a UML kernel,
# running only the KUnit suite @suite; the console goes to @log.  Fails
# unless the suite passed.
bench_boot() {	# layout suite log
	local dir=$BUILD/bench
	[ -x "$dir/linux-$1" ] || die "$dir/linux-$1 missing: run scripts/bench-heads.sh"
	(cd "$dir" && timeout 900 "./linux-$1" mem=1G console=tty \
		kunit_shutdown=halt kunit.filter_glob="$2" </dev/null) > "$3" 2>&1 || true
	grep -q "ok 1 $2" "$3" || { tail -30 "$3"; die "$1: suite $2 did not pass"; }
}
